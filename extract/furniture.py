"""Text → the one clean form every layout parser sees: NFC, LF, ordinary spaces, no page furniture.

Page numbers and running headers repeat on every page of a PDF and cut through agenda items;
they are recognised by repetition across pages (not by their wording) and removed.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

# --- normalisation ------------------------------------------------------------------------

_SPACE = " "
_LINE_BREAK = "\n"
# Visible-in-effect characters rewritten to their plain form (the form feed survives as a
# page break and is handled by normalise itself).
_CHAR_MAP: dict[str, str] = {
    "\x0b": _LINE_BREAK,  # vertical tab: a manual line break in Word exports
    "\x85": _LINE_BREAK,  # NEXT LINE
    "\u2028": _LINE_BREAK,  # LINE SEPARATOR
    "\u2029": _LINE_BREAK,  # PARAGRAPH SEPARATOR
    "\u00a0": _SPACE,  # no-break space
    "\u2007": _SPACE,  # figure space
    "\u202f": _SPACE,  # narrow no-break space
    "\u205f": _SPACE,  # medium mathematical space
    "\u3000": _SPACE,  # ideographic space
    **{chr(c): _SPACE for c in range(0x2000, 0x200B)},  # en quad … hair space
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero width space
    "\u200c": "",  # zero width non-joiner
    "\u200d": "",  # zero width joiner
    "\u200e": "",  # left-to-right mark
    "\u200f": "",  # right-to-left mark
    "\u2060": "",  # word joiner
    "\ufeff": "",  # zero width no-break space / a BOM inside the text
    # typographic ligatures from PDF text layers: "ﬁnansiering" must match "finansiering"
    **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)},
}
# control characters dropped by normalise (all but \t \n \v \f \r and NEL): "\x00", "\x1b", "\x9c"
CONTROL_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+")
# any character normalise() rewrites or drops: "\u00a0", "\u00ad", "\u200b", "\x07"
SPECIAL_CHAR = re.compile(
    "[" + "".join(re.escape(ch) for ch in sorted(_CHAR_MAP)) + r"\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
# the start of a line that may be page furniture: "\nSide 2", "\n  - 3 -", "\n2/14\n"
FURNITURE_HINT = re.compile(
    r"\n[ \t]*(?:(?:[Ss]ide|SIDE|[Pp]age|PAGE)[ \t]*\d[^\n]{0,20}|[-–—][ \t]*\d{1,4}[ \t]*[-–—]"
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*(?:\n|$)"
)
# a run of digits, replaced by "#" to compare running headers: "12", "2024"
DIGITS = re.compile(r"\d+")
# a page number alone on a line: "Side 2", "Side 2 af 14", "side 3/9", "Page 4 of 7", "- 2 -"
PAGE_NUMBER_LINE = re.compile(
    r"(?:(?:side|page)\s*\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])",
    re.IGNORECASE,
)
# "page of pages" alone on a line: "2/14", "3 / 9" — also the shape of a case number such as
# "17/46", so only removed when the lines form a page series (see _page_series_lines)
PAGE_OF_LINE = re.compile(r"(\d{1,4})\s*/\s*(\d{1,4})")

_MAX_FURNITURE_LEN = 120  # running headers and footers are short lines
_MAX_PAGE_NUMBER_LEN = 30
_ZONE = 2  # lines at the top and at the bottom of a page where furniture is printed
_MIN_PAGES = 3  # a running header must repeat on at least this many pages (and on most)
_MIN_UNPAGED_SERIES = 3  # "1/9", "2/9", "3/9" without page breaks


def _clean_chars(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # One scan decides; str.replace per character beats a regex substitution with a
    # callback by an order of magnitude on text full of no-break spaces.
    if SPECIAL_CHAR.search(text):
        for char, replacement in _CHAR_MAP.items():
            if char in text:
                text = text.replace(char, replacement)
        if CONTROL_CHAR.search(text):
            text = CONTROL_CHAR.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _zone(lines: list[str]) -> list[int]:
    """Indexes of the first and last non-empty lines of a page (where furniture sits).

    On a short page the edges shrink so that at least one line stays body text.
    """
    filled = [i for i, line in enumerate(lines) if line]
    size = min(_ZONE, (len(filled) - 1) // 2)
    if size <= 0:
        return []
    return sorted(set(filled[:size] + filled[-size:]))


def _is_page_number(line: str) -> bool:
    return (
        len(line) <= _MAX_PAGE_NUMBER_LEN and PAGE_NUMBER_LINE.fullmatch(line.strip()) is not None
    )


def _page_series_lines(pages: list[list[str]], paged: bool) -> set[tuple[int, int]]:
    """Lines "n/m" that number pages, never with n above m.

    A case number like "17/46" alone on a line has the same shape, so a line is only
    taken for a page number inside a series: with pages, lines at page edges whose n
    keeps step with the page index; without, at least three lines n, n+1, n+2 … of one m.
    """
    by_total: dict[str, list[tuple[int, int, int]]] = {}
    for p, lines in enumerate(pages):
        candidates = _zone(lines) if paged else range(len(lines))
        for i in candidates:
            line = lines[i]
            if len(line) > _MAX_PAGE_NUMBER_LEN or "/" not in line:
                continue
            m = PAGE_OF_LINE.fullmatch(line.strip())
            if m is not None:
                by_total.setdefault(m.group(2), []).append((int(m.group(1)), p, i))
    found: set[tuple[int, int]] = set()
    for total, hits in by_total.items():
        numbers = [n for n, _, _ in hits]
        if max(numbers) > int(total):
            continue
        if paged:
            series = len(hits) > 1 and len({n - p for n, p, _ in hits}) == 1
        else:
            steps = all(b == a + 1 for a, b in pairwise(numbers))
            series = steps and len(hits) >= _MIN_UNPAGED_SERIES
        if series:
            found.update((p, i) for _, p, i in hits)
    return found


def _rising(values: tuple[str, ...]) -> bool:
    return all(int(a) < int(b) for a, b in pairwise(values))


def _furniture_key(line: str) -> str:
    return DIGITS.sub("#", " ".join(line.split()))


def _running_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """Short lines repeated at the page edges of most pages, up to one changing number.

    Lines are compared with digit runs replaced by "#"; across the pages, at most one of
    the numbers may change, and it must rise (a page number).  A case number or an item
    title that happens to open several pages changes in more places and is kept, and so is
    a line that also occurs inside a page (a "Godkendt" that ends items page after page).
    """
    zones = [_zone(lines) for lines in pages]
    seen: dict[str, dict[int, tuple[int, list[str]]]] = {}
    for p, lines in enumerate(pages):
        for i in zones[p]:
            line = lines[i].strip()
            if len(line) <= _MAX_FURNITURE_LEN:
                seen.setdefault(_furniture_key(line), {}).setdefault(p, (i, DIGITS.findall(line)))
    running: dict[str, dict[int, tuple[int, list[str]]]] = {}
    for key, per_page in seen.items():
        if len(per_page) < _MIN_PAGES or 2 * len(per_page) <= len(pages):
            continue
        numbers = [per_page[p][1] for p in sorted(per_page)]
        changing = [col for col in zip(*numbers, strict=True) if len(set(col)) > 1]
        if len(changing) > 1 or (changing and not _rising(changing[0])):
            continue
        running[key] = per_page
    if running:
        heads = {key[0] for key in running}
        for p, lines in enumerate(pages):
            edge = set(zones[p])
            for i, line in enumerate(lines):
                body = line.strip()
                if i in edge or not body or len(body) > _MAX_FURNITURE_LEN:
                    continue
                if ("#" if body[0].isdigit() else body[0]) in heads:
                    running.pop(_furniture_key(body), None)
    return {(p, i) for per_page in running.values() for p, (i, _) in per_page.items()}


def _remove_furniture(pages: list[list[str]]) -> list[list[str]]:
    paged = len(pages) > 1
    drop = _page_series_lines(pages, paged)
    if len(pages) >= _MIN_PAGES:
        drop |= _running_lines(pages)
    return [
        [
            line
            for i, line in enumerate(lines)
            if (p, i) not in drop and not (line and _is_page_number(line))
        ]
        for p, lines in enumerate(pages)
    ]


def _tidy(lines: list[str]) -> list[str]:
    """Trailing spaces gone, at most one blank line in a row, none at the start."""
    lines = [line.rstrip() for line in lines]
    return [line for line, before in zip(lines, ["", *lines], strict=False) if line or before]


def normalise(text: str) -> str:
    """One clean form of a document's text: what the layout parsers and spans rely on.

    NFC; LF line ends; ordinary spaces; no invisible or control characters; no trailing
    spaces; at most one blank line in a row; no page numbers or running headers.  A form
    feed marks a page break (PDF pages arrive that way); pages are joined by a blank line.
    """
    text = _clean_chars(text)
    # The line-by-line pass is the slow part; most plain text needs none of it.
    if "\f" in text or FURNITURE_HINT.search(text) or FURNITURE_HINT.match("\n" + text[:40]):
        pages = [[line.rstrip() for line in page.split("\n")] for page in text.split("\f")]
        kept = ("\n".join(_tidy(lines)).strip("\n") for lines in _remove_furniture(pages))
        text = "\n\n".join(page for page in kept if page)
    elif " \n" in text or "\t\n" in text or "\n\n\n" in text or text.endswith((" ", "\t")):
        text = "\n".join(_tidy(text.split("\n")))
    return text.strip("\n")
