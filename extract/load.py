"""Bytes of a minutes file → normalised text, the one input every layout parser sees.

Minutes arrive as plain text in whatever encoding the publishing system used, as PDFs with
(or without) a text layer, and as HTML pages wrapped in navigation and cookie banners.
Everything after this module assumes one clean form: NFC, LF line ends, ordinary spaces,
no invisible characters, and no page furniture (page numbers, running headers) cutting
through the agenda items.  Only ``read_path``/``load_path`` touch the file system.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import json
import logging
import os
import re
import stat
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from kommunegraf.errors import KommunegrafError

if TYPE_CHECKING:
    from bs4 import Tag

    from kommunegraf.extract.ocr import PageProgress

# bs4 and pypdf are imported where a page or PDF is read: importing them costs a few tenths
# of a second, which a short command that only reads text files should not pay.

# The stdlib ``re`` is used on purpose: these patterns are character classes and ASCII
# shapes (no word boundaries next to æ/ø/å), and ``re`` scans such classes faster than
# ``regex``, which matters because every document passes through here.

__all__ = [
    "LoadError",
    "LoadedText",
    "load_bytes",
    "load_path",
    "normalise",
    "read_path",
    "read_sidecar",
]


class LoadError(KommunegrafError):
    """A document that cannot be turned into text, with a reason a user can act on."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = str(name)
        self.reason = " ".join(str(reason).split())[:300]  # always one line
        super().__init__(f"{self.name}: {self.reason}")

    def __reduce__(self) -> tuple[type[LoadError], tuple[str, str]]:
        # Ingest runs in worker processes; the default pickling would call __init__ with
        # the formatted message only.
        return (LoadError, (self.name, self.reason))


@dataclass(frozen=True)
class LoadedText:
    """The normalised text of one document and how it was read."""

    text: str
    format: str  # "text" | "pdf" | "html" | "json"
    encoding: str | None  # codec name for text/html/json; None for pdf
    # What the structured readers need beside the text: the parsed object of a FirstAgenda
    # meeting (format "json"), the decoded markup of an HTML page (format "html").
    data: Any = None


# --- format detection -------------------------------------------------------------------

_PDF_SUFFIXES = frozenset({".pdf"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_JSON_SUFFIXES = frozenset({".json"})

# Leading bytes of formats that are not text and that we do not read: (magic, description).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive, e.g. .docx/.xlsx; save it as PDF or text first"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls); save it as PDF"),
    (b"{\\rtf", "an RTF document; save it as PDF or plain text first"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
)

# "<!DOCTYPE html>", "<html lang=da>", "  <head>" at the start of a file whose name says nothing
HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


# the opening of a JSON object whatever the file is called: '{"Id": …', '{\n  "Udvalg"', '{}'
JSON_OBJECT_START = re.compile(rb'\s*\{\s*(?:"|\}\s*$)')


def _decide_format(data: bytes, name: str) -> str:
    """The name's suffix says what the file claims to be; the first bytes say what it is."""
    suffix = PurePath(name).suffix.lower()
    # A PDF header may follow a little junk; only trusted there when the name says PDF.
    if data.startswith(b"%PDF-") or (suffix in _PDF_SUFFIXES and b"%PDF-" in data[:1024]):
        return "pdf"
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise LoadError(name, f"binary file, not text ({what})")
    if suffix in _PDF_SUFFIXES:
        if HTML_START.match(data[:4096]):
            raise LoadError(name, "not a PDF (the file is an HTML page; was a download blocked?)")
        raise LoadError(name, "not a PDF (no %PDF header)")
    if suffix in _HTML_SUFFIXES:
        return "html"
    head = _strip_bom(data[:4096])
    if suffix in _JSON_SUFFIXES or JSON_OBJECT_START.match(head):
        return "json"
    if suffix not in _TEXT_SUFFIXES and HTML_START.match(head):
        return "html"
    return "text"


# --- decoding -----------------------------------------------------------------------------

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Code pages tried, in order of preference, when the bytes are neither UTF-8 nor strict
# Windows-1252 (DOS code pages put Danish Ø and Å at bytes Windows-1252 leaves undefined).
# charset-normalizer was tried here and rejected: unrestricted it reads Danish as Baltic or
# Central European code pages, and restricted it took Latin-1 text for cp850.
_FALLBACK_CODEPAGES = ("cp1252", "cp865", "cp850", "mac_roman")
_CODEPAGE_SAMPLE = 1 << 16  # bytes scored per candidate

# Labels that browsers read as Windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252_ALIASES = frozenset({"iso8859-1", "ascii", "latin-1", "iso8859-15"})

# control characters that plain text does not contain: "\x00", "\x1b", "\x85" (not \t \n \v \f \r)
BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_BINARY_SAMPLE = 1 << 20  # characters (or bytes) inspected for control characters
_BINARY_RATIO = 0.05


_HIGH_BYTES = bytes(range(0x80, 0x100))
_MIXED_SAMPLE = 1 << 16  # bytes


def _strip_bom(data: bytes) -> bytes:
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :]
    return data


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte; binary data does not."""
    sample = data[: 1 << 16]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.25 and nul_even < 0.02:
        return "utf-16-le"
    if nul_even > 0.25 and nul_odd < 0.02:
        return "utf-16-be"
    return None


def _bad_utf8_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes that are not UTF-8 as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


_MIXED_HANDLER = "kommunegraf.load.cp1252"
codecs.register_error(_MIXED_HANDLER, _bad_utf8_as_cp1252)


def _utf8_balance(data: bytes) -> tuple[str, int, int]:
    """(text with bad bytes read as Windows-1252, valid multi-byte characters, bad bytes)."""
    text = data.decode("utf-8", errors=_MIXED_HANDLER)  # one character per bad byte
    invalid = len(text) - len(data.decode("utf-8", errors="ignore"))
    high_bytes = len(data) - len(data.translate(None, _HIGH_BYTES))
    return text, len(text) - (len(data) - high_bytes) - invalid, invalid


def _decode_mixed_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray Windows-1252 bytes (a pasted quote, an edited line).

    Accepted only when valid multi-byte characters outnumber the bad bytes: genuine
    Windows-1252 text almost never forms valid UTF-8 sequences.  A sample decides early,
    since the error handler runs once per bad byte.
    """
    _, valid, invalid = _utf8_balance(data[:_MIXED_SAMPLE])
    if invalid > valid:
        return None
    text, valid, invalid = _utf8_balance(data)
    return text if valid > invalid else None


def _letter_score(text: str) -> int:
    """Non-ASCII letters minus other non-ASCII characters.

    In a Latin-alphabet text read with the right code page, the bytes above 127 are
    mostly letters (æ, ø, å, é); read with a wrong one they turn into symbols, box
    drawing and control characters.
    """
    score = 0
    for ch in text:
        if ch > "\x7f":
            score += 1 if ch.isalpha() else -1
    return score


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """Windows-1252, or the Western code page whose reading gives the most letters."""
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("cp1252"), "cp1252"
    sample = data[:_CODEPAGE_SAMPLE]
    best = max(
        _FALLBACK_CODEPAGES,
        key=lambda encoding: _letter_score(sample.decode(encoding, errors="replace")),
    )
    return data.decode(best, errors="replace"), best


def _decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes → (str, codec name).

    Order: a BOM; UTF-16 without BOM; strict UTF-8; the encoding an HTML page declares;
    UTF-8 with stray Windows-1252 bytes; Windows-1252; other Western code pages.  Valid
    UTF-8 goes before a declaration because pages saying "iso-8859-1" while sending UTF-8
    are common, and Windows-1252 text practically never passes as UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return text, "utf-8-sig" if encoding == "utf-8" else encoding
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is not None:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(encoding), encoding
        raise LoadError(name, "binary file, not text (found NUL bytes)")
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    if declared is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(declared), declared
    mixed = _decode_mixed_utf8(data)
    if mixed is not None:
        return mixed, "utf-8"
    return _decode_single_byte(data)


def _check_not_binary(text: str, data: bytes, encoding: str, name: str) -> None:
    """Reject text with many control characters (a binary file that decoded by chance)."""
    if encoding.startswith(("utf-16", "utf-32")):
        sample = text[:_BINARY_SAMPLE]
        size, controls = len(sample), sum(1 for _ in BINARY_CONTROL.finditer(sample))
    else:  # ASCII-compatible: count the bytes, an order of magnitude faster
        raw = data[:_BINARY_SAMPLE]
        size, controls = len(raw), len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if size and controls / size > _BINARY_RATIO:
        share = round(100 * controls / size)
        raise LoadError(name, f"binary file, not text ({share}% control characters)")


def _declared_html_encoding(data: bytes) -> str | None:
    from bs4.dammit import EncodingDetector

    label = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not label:
        return None
    try:
        encoding = codecs.lookup(label).name
    except LookupError:
        return None
    if encoding.startswith(("utf-16", "utf-32")):
        return None  # a meta tag readable as ASCII cannot be UTF-16 (WHATWG: read as UTF-8)
    return "cp1252" if encoding in _WINDOWS_1252_ALIASES else encoding


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


# --- PDF ----------------------------------------------------------------------------------


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_saved_level = logging.NOTSET


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning for every small flaw in a file; the caller only needs the text.

    Counted, so that overlapping loads in threads restore the level the user had set.
    """
    global _quiet_depth, _saved_level
    logger = logging.getLogger("pypdf")
    with _QUIET_LOCK:
        if _quiet_depth == 0:
            _saved_level = logger.level
            logger.setLevel(logging.CRITICAL)
        _quiet_depth += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.setLevel(_saved_level)


def _pdf_pages(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader

    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    decrypted = reader.decrypt("")
                except Exception as exc:  # e.g. AES without the cryptography package
                    raise LoadError(name, f"encrypted PDF that cannot be opened ({exc})") from exc
                if not decrypted:
                    raise LoadError(name, "encrypted PDF (needs a password)")
            pages = [page.extract_text() or "" for page in reader.pages]
        except LoadError:
            raise
        except Exception as exc:  # pypdf raises many kinds of error on damaged files
            reason = f"corrupt or truncated PDF ({type(exc).__name__}: {exc})"
            raise LoadError(name, reason) from exc
    if not pages:
        raise LoadError(name, "PDF has no pages")
    return pages


def _load_pdf(
    data: bytes, name: str, ocr: bool | None = None, on_page: PageProgress | None = None
) -> LoadedText:
    """The text layer of a PDF, or its pages read by OCR (extract/ocr.py): when ``ocr`` is
    true, or when it is None (the default) and the PDF has no text layer (a scan)."""
    pages = None if ocr else _pdf_pages(data, name)
    if pages is None or not any(page.strip() for page in pages):
        if ocr is False:
            raise LoadError(name, "no text layer (scanned PDF? read it with --ocr)")
        from kommunegraf.extract.ocr import OcrError, ocr_pages

        try:
            pages = ocr_pages(data, on_page=on_page)
        except OcrError as exc:
            scanned = "no text layer (scanned PDF), and OCR failed: " if pages is not None else ""
            raise LoadError(name, f"{scanned}{exc}") from exc
        if not any(page.strip() for page in pages):
            raise LoadError(name, "no text layer, and OCR found no text on its pages")
    text = normalise("\f".join(page.replace("\f", "\n") for page in pages))
    if not text.strip():
        raise LoadError(name, "no text besides page numbers and running headers")
    return LoadedText(text=text, format="pdf", encoding=None)


# --- HTML ---------------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "form", "button", "select",
    "iframe", "svg", "canvas", "object", "embed", "dialog",
)  # fmt: skip
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"})
_KEEP_CONTAINERS = frozenset({"html", "body", "main", "article"})
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote",
     "pre", "section", "article", "main", "figure", "hr", "address", "caption", "details"}
)  # fmt: skip
_LINE_TAGS = frozenset(
    {"div", "li", "dt", "dd", "summary", "figcaption", "legend", "fieldset", "tbody",
     "thead", "tfoot", "center", "aside", "header", "footer", "body"}
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# an id or class naming a cookie or consent banner: "cookie-banner", "CybotCookiebotDialog",
# "gdpr-consent", "consent_overlay"
COOKIE_MARK = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
# whitespace runs inside HTML text, folded to one space: "  \n\t "
HTML_SPACE = re.compile(r"\s+")


def _is_page_chrome(tag: Tag) -> bool:
    """Navigation and banners around the minutes, not part of them."""
    if tag.name in _KEEP_CONTAINERS:
        return False
    if tag.name in ("header", "footer") and tag.find_parent(("article", "main")) is None:
        return True
    if str(tag.get("role", "")).lower() in _DROP_ROLES:
        return True
    classes = tag.get("class") or []
    marks = [str(tag.get("id", "")), *([classes] if isinstance(classes, str) else classes)]
    return any(COOKIE_MARK.search(mark) for mark in marks)


class _HtmlText:
    """Collects lines from a parsed page: blocks on their own lines, table cells tab-joined."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.line: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.nested = 0  # cells of tables inside the current cell

    def text(self, s: str, pre: bool) -> None:
        s = s if pre else HTML_SPACE.sub(" ", s)
        (self.cell if self.cell is not None else self.line).append(s)

    def flush(self, blank: bool) -> None:
        line = "".join(self.line).strip(" ")
        self.line = []
        if line:
            self.out.append(line)
        if blank:
            self.out.append("")

    def start(self, name: str) -> None:
        if self.cell is not None:  # whatever sits inside a cell folds into it
            self.nested += name in _CELL_TAGS
            if name == "br" or name in _PARAGRAPH_TAGS or name in _LINE_TAGS or name == "tr":
                self.cell.append(" ")
            return
        if name == "tr":
            self.flush(False)
            self.row = []
        elif name in _CELL_TAGS and self.row is not None:
            self.cell = []
        elif name == "br":
            self.flush(False)
        elif name in _PARAGRAPH_TAGS:
            self.flush(True)
        elif name in _LINE_TAGS:
            self.flush(False)

    def end(self, name: str) -> None:
        if self.cell is not None:
            if name not in _CELL_TAGS:
                return
            if self.nested:
                self.nested -= 1
                self.cell.append(" ")
                return
            if self.row is not None:
                self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif name == "tr" and self.row is not None:
            if any(self.row):
                self.out.append("\t".join(self.row))
            self.row = None
        elif name in _PARAGRAPH_TAGS:
            self.flush(True)
        elif name in _LINE_TAGS:
            self.flush(False)

    def result(self) -> str:
        self.flush(False)
        return "\n".join(self.out)


def _html_text(markup: str, name: str) -> str:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag

    skip_strings = (Comment, Declaration, Doctype)  # markup, not text
    try:
        soup = BeautifulSoup(markup, "html.parser")
    except Exception as exc:  # html.parser and bs4 reject some malformed markup
        raise LoadError(name, f"unreadable HTML ({type(exc).__name__}: {exc})") from exc
    # The page title often names the municipality and meeting that the body leaves out
    # ("Referat – Klima- og Teknikudvalget – Syddjurs Kommune"), so it becomes the first line.
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    if title_tag:
        title_tag.decompose()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_page_chrome):
        if not tag.decomposed:
            tag.decompose()
    collector = _HtmlText()
    # An explicit stack instead of recursion: deeply nested markup must not overflow.
    stack: list[tuple[object, bool, bool]] = [(soup, False, False)]
    while stack:
        node, leaving, pre = stack.pop()
        if isinstance(node, Tag):
            if leaving:
                collector.end(node.name)
                continue
            collector.start(node.name)
            inner_pre = pre or node.name == "pre"
            stack.append((node, True, pre))
            stack.extend((child, False, inner_pre) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, skip_strings):
            collector.text(str(node), pre)
    body = collector.result()
    return f"{title}\n\n{body}" if title else body


# --- JSON (a FirstAgenda Publication meeting) ---------------------------------------------

# The keys that make a JSON object a meeting as ``GET /api/agenda/dagsorden/<id>`` returns it.
FIRSTAGENDA_KEYS = ("Dagsordenpunkter", "Moede", "Udvalg")
# The keys of the sidecar ``fetch`` writes beside a meeting (contracts.md).
_SIDECAR_KEYS = frozenset({"meeting_id", "fetched_at", "sha256"})


def _load_json(data: bytes, name: str, claimed: bool) -> LoadedText | None:
    """A FirstAgenda meeting's JSON, parsed; None when an unnamed file is not such JSON.

    ``claimed``: the name says JSON, so anything else is an error; otherwise a file that only
    opens like a JSON object falls back to being read as text.
    """
    raw, encoding = _decode(data, name)
    try:
        parsed = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        if not claimed:
            return None
        if isinstance(exc, RecursionError):
            raise LoadError(name, "JSON nested too deeply to read") from None
        at = f"line {exc.lineno}, column {exc.colno}"
        if not raw[exc.pos :].strip() or _left_open(raw):  # it ran out before the object closed
            reason = f"truncated JSON (it ends inside a value at {at}; an interrupted download?)"
        else:
            reason = f"broken JSON ({exc.msg} at {at})"
        raise LoadError(name, reason) from None
    if isinstance(parsed, dict) and all(key in parsed for key in FIRSTAGENDA_KEYS):
        if not isinstance(parsed["Dagsordenpunkter"], list):
            raise LoadError(name, "FirstAgenda meeting whose Dagsordenpunkter is not a list")
        if not isinstance(parsed["Moede"], dict) or not isinstance(parsed["Udvalg"], dict):
            raise LoadError(name, "FirstAgenda meeting without its Moede/Udvalg objects")
        return LoadedText(text=raw, format="json", encoding=encoding, data=parsed)
    if not claimed:
        return None
    if isinstance(parsed, dict) and parsed.keys() >= _SIDECAR_KEYS:
        raise LoadError(name, "a fetch sidecar (.meta.json), not a meeting")
    if isinstance(parsed, dict):
        keys = ", ".join(sorted(map(str, parsed))[:6]) or "none"
        shape = f"an object with keys {keys}"
    else:
        shape = f"a JSON {type(parsed).__name__}"
    missing = "/".join(FIRSTAGENDA_KEYS)
    raise LoadError(name, f"JSON, but not a FirstAgenda meeting (no {missing}; {shape})")


def _left_open(raw: str) -> bool:
    """Whether JSON text ends inside a string or with brackets still open (cut off)."""
    depth, in_string, escaped = 0, False, False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return in_string or depth > 0


def read_sidecar(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The ``<id>.meta.json`` that ``fetch`` writes beside ``<id>.json``, if there is one.

    A sidecar only adds facts (the portal's municipality), so one that is missing or cannot
    be read leaves the meeting to be read on its own rather than failing it.
    """
    p = PurePath(os.fspath(path))
    if p.suffix.lower() != ".json" or p.name.lower().endswith(".meta.json"):
        return None
    sidecar = os.path.join(os.fspath(p.parent), p.stem + ".meta.json")
    try:
        with open(sidecar, "rb") as handle:
            parsed = json.loads(handle.read(1 << 20))
    except (OSError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


# --- entry points -------------------------------------------------------------------------


def load_bytes(
    data: bytes, name: str, *, ocr: bool | None = None, on_page: PageProgress | None = None
) -> LoadedText:
    """Decide the format from the name's suffix and the leading bytes, then read the text.

    ``name`` appears in errors and selects the format; nothing is read from disk (but a
    scanned PDF is read by OCR: ``ocr`` True always, None when it has no text layer, False
    never; ``on_page`` hears of each page OCR reads).
    """
    if not data:
        raise LoadError(name, "empty file")
    kind = _decide_format(data, name)
    if kind == "pdf":
        return _load_pdf(data, name, ocr, on_page)
    if kind == "json":
        claimed = PurePath(name).suffix.lower() in _JSON_SUFFIXES
        loaded = _load_json(data, name, claimed)
        if loaded is not None:
            return loaded
        kind = "text"
    if kind == "html":
        markup, encoding = _decode(data, name, _declared_html_encoding(data))
        _check_not_binary(markup, data, encoding, name)
        text = normalise(_html_text(markup, name))
        if not text.strip():
            raise LoadError(name, "no text in the HTML page")
        return LoadedText(text=text, format="html", encoding=encoding, data=markup)
    raw, encoding = _decode(data, name)
    _check_not_binary(raw, data, encoding, name)
    text = normalise(raw)
    if not text.strip():
        raise LoadError(name, "empty file (only whitespace)")
    return LoadedText(text=text, format="text", encoding=encoding)


_OS_REASONS = {
    errno.ENOENT: "file not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a directory, not a file",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a directory",
}


def read_path(path: str | os.PathLike[str]) -> bytes:
    """The bytes of one regular file; every failure is a LoadError naming the path.

    Callers that also hash the file hash these bytes, so that the digest always belongs to
    the text that was read (a file rewritten between two reads would otherwise get the
    identity of one version and the content of the other).
    """
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode
        if stat.S_ISDIR(mode):
            raise LoadError(name, _OS_REASONS[errno.EISDIR])
        if not stat.S_ISREG(mode):  # a pipe or device would block or never end
            raise LoadError(name, "not a regular file")
        with open(name, "rb") as handle:
            return handle.read()
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
        raise LoadError(name, reason) from exc


def load_path(path: str | os.PathLike[str]) -> LoadedText:
    """Read one file and load it; every failure is a LoadError naming the path."""
    return load_bytes(read_path(path), os.fspath(path))
