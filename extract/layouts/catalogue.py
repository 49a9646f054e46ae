"""The catalogue of named line shapes that publishing profiles choose from.

A profile (extract/profiles/*.toml) never holds a regular expression for an item header: it
names shapes from here ("punkt-colon", "number-colon", …), so a shape is written, tested and
made fast once, and a fix helps every system that prints it.  Each shape has a name, an
example and a pattern; tests/test_layouts.py checks every example against its pattern.

Two kinds of shape:

- ``HeaderShape``: a line that opens an agenda item, with ``num`` and ``title`` groups, and
  how the engine accepts it (whether an item body must follow, whether numbers go up by one);
- ``LineShape``: any other line a profile counts as a detection cue or reads a case number
  from ("kle-alone", "beslutningstema", …).

Item numbers take up to six digits: a dense document may number past 9999 (issue 19.4).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import regex as re

from kommunegraf.extract.patterns import CASE_LABEL, CASE_LABEL_FIRST, DOC_LABEL, KLE_CASE
from kommunegraf.extract.text.pattern import Pattern, holds

# "Punkt 37: Budgetkontrol pr. 1. april 2018", "Punkt 10001: Godkendelse af dagsorden (B)"
PUNKT_COLON_HEADER = re.compile(r"^Punkt\s+(?P<num>\d{1,6})\s*:\s*(?P<title>\S.*)$")
# "Pkt. 3 Vejplan", "Punkt 4 - Budget", "Sag nr. 5: Skolestruktur", "Dagsordenspunkt 2: X"
LABELLED_HEADER = re.compile(
    r"^(?:Punkt|Pkt\.?|Sag\s?nr\.?|Sag|Dagsordenspunkt)\s*(?P<num>\d{1,6})\s*[:.\-–]?\s+"
    r"(?P<title>[\p{Lu}\d\"«„“].*)$"
)
# "1. Godkendelse af dagsorden", "12. VEJPLAN 2024", "Indholdsfortegnelse1. Fraværende" (a
# web page's contents heading glued to the first item)
NUMBERED_HEADER = re.compile(
    r"^(?:Indholdsfortegnelse\s*|Indhold\s*)?(?P<num>\d{1,6})\.\s+(?P<title>[\p{Lu}\"«„“][^\t]*)$"
)
# "1: Spørgetid i Byrådet" (eDoc cards)
NUMBER_COLON_HEADER = re.compile(r"^(?P<num>\d{1,6})\s?:\s+(?P<title>[\p{Lu}\"«„“][^\t]*)$")
# "1Godkendelse af dagsorden": a web page that prints the number in its own box, glued
NUMBER_GLUED_HEADER = re.compile(r"^(?P<num>\d{1,4})(?P<title>\p{Lu}\p{Ll}[^\t]*)$")
# "1.  1. Godkendelse af dagsordenen": an HTML list marker before the printed number
NUMBER_TWICE_HEADER = re.compile(
    r"^(?P<num>\d{1,6})\.\s+(?P=num)\.?\s+(?P<title>[\p{Lu}\"«„“][^\t]*)$"
)
# "Sag nr. 129", "Punkt 4:" alone on a line, the title on the next (Acadre's web pages)
LABEL_ALONE_HEADER = re.compile(
    r"^(?:Sag\s?nr\.?|Punkt|Pkt\.?|Dagsordenspunkt)\s*(?P<num>\d{1,6})\s*[:.]?(?P<title>)$"
)
# "3." alone on a line, the title on the next (a PDF that sets the number in its own column)
NUMBER_ALONE_HEADER = re.compile(r"^(?P<num>\d{1,4})\.(?P<title>)$")


@dataclass(frozen=True)
class HeaderShape:
    """A named item-header shape and how the engine accepts its candidates."""

    name: str
    pattern: re.Pattern[str]
    example: str
    first_chars: str  # the ASCII characters a header may start with (any non-ASCII may)
    after_number: str | None = None  # ASCII characters after the leading digits (None: any)
    needs_body: bool = True  # a candidate needs evidence of an item body after it
    sequential: bool = False  # numbers go up by one (else the next needs strong evidence)
    list_guard: bool = False  # a candidate right after a numbered list line is in that list


_DIGITS = "0123456789"

HEADERS: dict[str, HeaderShape] = {
    s.name: s
    for s in (
        HeaderShape(
            "punkt-colon",
            PUNKT_COLON_HEADER,
            "Punkt 37: Budgetkontrol pr. 1. april 2018 (B)",
            "P",
            needs_body=False,
        ),
        HeaderShape(
            "labelled",
            LABELLED_HEADER,
            "Sag nr. 5: Skolestruktur",
            "PSD",
        ),
        HeaderShape(
            "numbered-dot",
            NUMBERED_HEADER,
            "12. Vejplan 2024",
            _DIGITS + "I",
            ".I",
            sequential=True,
            list_guard=True,
        ),
        HeaderShape(
            "number-twice",
            NUMBER_TWICE_HEADER,
            "3.  3. Godkendelse af boligprogram",
            _DIGITS,
            ".",
            sequential=True,
        ),
        HeaderShape(
            "number-colon",
            NUMBER_COLON_HEADER,
            "2: Godkendelse af dagsorden",
            _DIGITS,
            ": ",
            sequential=True,
        ),
        HeaderShape(
            "label-alone",
            LABEL_ALONE_HEADER,
            "Sag nr. 129",
            "PSD",
            sequential=True,
        ),
        HeaderShape(
            "number-alone",
            NUMBER_ALONE_HEADER,
            "7.",
            _DIGITS,
            ".",
            sequential=True,
        ),
        HeaderShape(
            "number-glued",
            NUMBER_GLUED_HEADER,
            "2Beslutning om forretningsorden",
            _DIGITS,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            sequential=True,
        ),
    )
}


# "EMN-2025-003383", "SAG-2024-00012" alone on a line: an archive case number
ARCHIVE_CASE_ALONE = re.compile(r"^(?P<value>[A-ZÆØÅ]{2,6}-(?:19|20)\d\d-\d{3,8})$")
ARCHIVE_CASE_ALONE_CHECKED = Pattern(
    "ARCHIVE_CASE_ALONE_CHECKED",
    ARCHIVE_CASE_ALONE,
    holds("-"),
    examples=("EMN-2025-003383", "SAG-2024-00012"),
)
# "Beslutning", "BESLUTNINGER" alone on a line
DECISION_ALONE = re.compile(r"^beslutning(?:er)?:?$", re.I)
# "Beskæftigelses- og Uddannelsesudvalget, 15.05.2018" alone on a line
DATED_BODY_LINE = re.compile(r"^[\p{Lu}][^,]{2,120},\s*[0-3]?\d\.[01]?\d\.(?:19|20)\d\d$")
# ", 15.05.2018" at the end of a line: a dated body after a "Beslutning" heading
DATED_LINE_END = re.compile(r",\s*[\d.]+\d{4}$")
# "Beslutning i Social- og Beskæftigelsesudvalget den 2. september 2019:"
DECISION_BY_BODY_HEADER = re.compile(r"^Beslutning i .{3,150} den .{5,40}:$")
# "Miljø- og teknikudvalget, 30. november 2017, pkt. 248:"
EARLIER_BODY_HEADER = re.compile(r"^[\p{Lu}][^,]{2,120},\s*\d{1,2}\.\s*\p{L}+\.?\s+\d{4},\s*pkt\.")
# "Beslutningstema" (SBSYS's opening section)
DECISION_THEME = re.compile(r"^Beslutningstema:?$", re.I)
# "Kopier link til punktet  -   Print" (eDoc's card toolbar)
COPY_LINK = re.compile(r"^Kopier link til punktet\b", re.I)
# "Til toppen" (a web page's back-to-top link after each item)
TO_TOP = re.compile(r"^(?:Til toppen|Tilbage til toppen|Til top)$", re.I)
# "Lisa Ward, A", "Ole Bak (V)": a member line with a party letter
MEMBER_WITH_PARTY = re.compile(r"^[•·\-*]?\s*\p{Lu}[\p{L}.'\- ]{2,60}(?:,\s*|\s+\()\p{Lu}{1,2}\)?$")
# "Sagsid.: 24/1234", "J.nr.: 01.02.03-G01-1-24": a Word/PDF document's case label
WORD_CASE_LABEL = re.compile(r"^(?:Sagsid|J\.\s?nr)\.?\s*:", re.I)
# "… Sagsfremstilling …": a page printed as one paragraph (a line of RUN_TOGETHER_MIN
# characters or more) that holds minutes' words
# A short page of minutes (a header and two small items) runs to about 600 characters; a
# paragraph of a case text that long is rare enough that the cue's share (of all lines) decides.
RUN_TOGETHER_MIN = 500
RUN_TOGETHER = re.compile(r"\b(?:Beslutning|Sagsfremstilling|Indstilling)\b")
# "Sagsnr:", "Sagsnr.: 19/7724": a case label whose value may be empty
CASE_LABEL_ANY = re.compile(r"^Sags?\s?nr\.?\s*:", re.I)


@dataclass(frozen=True)
class LineShape:
    """A named line shape: a detection cue, or where a case number is read from.

    The cheap tests (``first``, ``max_len``, ``min_len``, ``has``) are data, not code, so a
    count over every line of a document runs them in one comprehension before the pattern.
    """

    name: str
    pattern: re.Pattern[str]
    example: str
    first: str | None = None  # the ASCII characters a match may start with (non-ASCII may)
    max_len: int = 1_000_000
    min_len: int = 0
    has: str | None = None  # a substring every matching line holds
    last: str | None = None  # the ASCII characters a matching line may end with
    search: bool = False  # anywhere in the line (else from its start)
    full: bool = False  # the whole line (a number alone on its line)
    scan: bool = False  # find candidates by one scan of the whole text (cheaper for some)


_BLANK_OR_S = CASE_LABEL_FIRST + " \t\u00a0"


LINES: dict[str, LineShape] = {
    s.name: s
    for s in (
        LineShape("kle-alone", KLE_CASE, "15.00.00-P20-1-18", _DIGITS, 30, 15, ".", full=True),
        LineShape("archive-case-alone", ARCHIVE_CASE_ALONE, "EMN-2025-003383", None, 24, 10, "-"),
        LineShape("case-label", CASE_LABEL, "Sagsnr.: 330-2019-57265", _BLANK_OR_S),
        LineShape("case-label-any", CASE_LABEL_ANY, "Sagsnr:", "sS"),
        LineShape("doc-label", DOC_LABEL, "Dok.nr.: 330-2019-283408", search=True, scan=True),
        LineShape("decision-alone", DECISION_ALONE, "Beslutninger", "bB", 12, 10),
        LineShape(
            "dated-body-line", DATED_BODY_LINE, "Byrådet, 15.05.2018", None, 140, 0, ",", _DIGITS
        ),
        LineShape(
            "dated-line-end",
            DATED_LINE_END,
            "Byrådet, 15.05.2018",
            None,
            has=",",
            search=True,
            scan=True,
        ),
        LineShape(
            "decision-by-body-header",
            DECISION_BY_BODY_HEADER,
            "Beslutning i Kulturudvalget den 1. maj 2024:",
            "B",
            has="Beslutning i ",
            scan=True,
        ),
        LineShape(
            "earlier-body-header", EARLIER_BODY_HEADER, "Byrådet, 2. maj 2024, pkt. 9:", has="pkt."
        ),
        LineShape("decision-theme", DECISION_THEME, "Beslutningstema", "bB", 16, 15, scan=True),
        LineShape("copy-link", COPY_LINK, "Kopier link til punktet - Print", "kK", scan=True),
        LineShape("to-top", TO_TOP, "Til toppen", "tT", 22, 6),
        LineShape(
            "member-with-party",
            MEMBER_WITH_PARTY,
            "Lisa Ward, A",
            max_len=70,
            last="ABCDEFGHIJKLMNOPQRSTUVWXYZ)",
        ),
        LineShape(
            "run-together",
            RUN_TOGETHER,
            "Punkt 1 … Beslutning …",
            min_len=RUN_TOGETHER_MIN,
            search=True,
        ),
        LineShape("word-case-label", WORD_CASE_LABEL, "Sagsid.: 24/1234", "sSjJ", has=":"),
    )
}


# The key of the lines whose first character is not ASCII in an index of lines by first character
WIDE = "\x80"


def candidates(
    shape: LineShape, texts: list[str], by_first: dict[str, list[int]] | None = None
) -> list[int]:
    """Indexes of the lines that pass the shape's cheap tests (each a comprehension).

    ``by_first`` (line indexes by first character, ``WIDE`` for any non-ASCII one) spares
    looking at every line when the shape says how a line starts.
    """
    lo, hi = shape.min_len, shape.max_len
    if shape.first is not None and by_first is not None:
        pool = [i for ch in shape.first for i in by_first.get(ch, ())]
        pool += by_first.get(WIDE, ())
        pool.sort()
        idx = [i for i in pool if lo <= len(texts[i]) <= hi]
    else:
        idx = [i for i, t in enumerate(texts) if lo <= len(t) <= hi]
    if shape.has is not None:
        has = shape.has
        idx = [i for i in idx if has in texts[i]]
    if shape.first is not None:
        first = shape.first
        idx = [i for i in idx if texts[i][:1] in first or texts[i][:1] > "\x7f"]
    if shape.last is not None:
        last = shape.last
        idx = [i for i in idx if texts[i][-1:] in last or texts[i][-1:] > "\x7f"]
    return idx


def multiline(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with ^ and $ at every line's start and end, to scan a whole text at once."""
    return _multiline(pattern.pattern, pattern.flags)


@cache
def _multiline(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags | re.MULTILINE)


def matching_lines(pattern: re.Pattern[str], joined: str, starts: list[int]) -> list[int]:
    """Indexes of the lines of ``joined`` ("\\n".join of the lines; ``starts`` their
    offsets) where ``pattern`` (compiled by ``multiline``) finds a match: one scan in C of the
    whole text instead of a call per line.  A candidate only: callers confirm on the line."""
    out: list[int] = []
    last = -1
    for m in pattern.finditer(joined):
        i = bisect_right(starts, m.start()) - 1
        if i != last:
            out.append(i)
            last = i
    return out


def line_matches(shape: LineShape, text: str) -> re.Match[str] | None:
    """The shape's match on one line (after its cheap test)."""
    n = len(text)
    if not shape.min_len <= n <= shape.max_len or (shape.has is not None and shape.has not in text):
        return None
    if shape.first is not None and not (text[:1] in shape.first or text[:1] > "\x7f"):
        return None
    if shape.last is not None and not (text[-1:] in shape.last or text[-1:] > "\x7f"):
        return None
    if shape.full:
        return shape.pattern.fullmatch(text)
    return shape.pattern.search(text) if shape.search else shape.pattern.match(text)
