"""Structural segmentation shared by every layout: lines, meeting header, items, sections.

A layout module only says which item-header style it expects and how sure it is that a text
is its own; the work of cutting a document into items and sections is the same everywhere
and lives here, so that a fix for one publishing system helps all of them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple

import regex as re

from kommunegraf.extract.layouts.catalogue import (
    ARCHIVE_CASE_ALONE,
    HEADERS,
    LABELLED_HEADER,
    NUMBERED_HEADER,
    PUNKT_COLON_HEADER,
    HeaderShape,
)
from kommunegraf.extract.layouts.meeting_fields import (
    KIND_BEFORE_NAME,
    clean_committee,
    clean_location,
    clock_after_date,
    committee_from_heading,
    place_after_clock,
)
from kommunegraf.extract.limits import MAX_ITEMS, check_items
from kommunegraf.extract.patterns import (
    CASE_LABEL,
    CASE_LABEL_FIRST,
    CLOSED_LINE,
    DOC_LABEL,
    KIND_MARK,
    KLE_CASE,
    OPEN_LINE,
    PERIOD,
    TOC_ENTRY,
)
from kommunegraf.extract.text.dates import find_dates, parse_time
from kommunegraf.extract.text.fold import BLANKS, fold_ascii, fold_space


class Line(NamedTuple):
    """A non-blank line: its stripped text and its character offsets in the source text.

    A named tuple rather than a frozen dataclass: every line of every document is one, and a
    tuple is several times cheaper to make.
    """

    text: str
    start: int
    end: int


# Line((text, start, end)) without the Python frame of the named tuple's __new__
_new_line = partial(tuple.__new__, Line)


@dataclass
class RawSection:
    heading: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class RawItem:
    number: int
    title: str
    kind_mark: str | None
    start: int
    end: int
    lines: list[Line]  # every line of the item after its header line
    case_number: str | None = None
    document_number: str | None = None
    open: bool = True
    sections: list[RawSection] = field(default_factory=list)


@dataclass
class RawMeeting:
    committee: str | None = None
    period: str | None = None
    date: str | None = None
    start_time: str | None = None
    location: str | None = None
    kind: str | None = None
    header_lines: list[Line] = field(default_factory=list)


@dataclass
class Segmented:
    meeting: RawMeeting
    items: list[RawItem]
    folded: str | None = None  # fold_ascii of the text, for cheap tests of the item lines
    decision_aliases: frozenset[str] = frozenset()  # headings the profile reads as Beslutning


@dataclass(frozen=True)
class Options:
    """What a publishing profile changes in segmentation (extract/layouts/profiles.py)."""

    case_shapes: tuple[str, ...] = ("kle-alone", "archive-case-alone", "case-label")
    sections: frozenset[str] = frozenset()  # extra section headings, lower case
    decision_aliases: frozenset[str] = frozenset()
    meeting_labels: tuple[tuple[str, str], ...] = ()  # printed label → a label known here
    wrapped_titles: bool = False


DEFAULT_OPTIONS = Options()


# "REFERAT", "Dagsorden", "Beslutningsprotokol" at the start of a header line
DOC_KIND = re.compile(r"^\s*(?P<kind>referat|dagsorden|beslutningsprotokol|protokol)\b", re.I)
# "Mødedato Tirsdag d. 15. maj 2018 kl. 13:30", "Mødet afholdt: 12. marts 2024 kl. 16.00"
DATE_LINE = re.compile(
    r"^(?:Mødedato|Dato|Mødet\s+afholdt|Mødet\s+holdt|Mødetidspunkt|Tid)\b", re.I
)
# "Mødested Rådmandshaven 20", "Sted: Rådhuset", "Mødelokale: Byrådssalen"
PLACE_LINE = re.compile(r"^(?:Mødested|MØDESTED|Mødelokale|Sted|Lokale)\s*:?\s+(?P<place>\S.*)$")
# "Udvalg: Teknik- og Miljøudvalget", "Forum: Børneudvalget"
COMMITTEE_LINE = re.compile(r"^(?:Udvalg|Forum|Organ|Mødeforum)\s*:\s*(?P<name>\S.*)$", re.I)
# "Tidspunkt: 16.00", "Tidspunkt: Kl. 15:30", "Start: 9:30", "Mødetid: 17:00-19:00",
# "Mødetidspunkt: 15:30", "Mødetidspunkt: 09:00 - 11:30" (the start is the first clock)
CLOCK_LINE = re.compile(
    r"^(?:Tidspunkt|Mødetidspunkt|Mødetid|Start|Tid)\s*:?\s*(?:kl\.?\s*)?"
    r"(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)",
    re.I,
)
# "Beskæftigelses- og Uddannelsesudvalget", "Byrådet", "Kommunalbestyrelsen"
ORGAN_NAME = re.compile(
    r"(?:udvalg|udvalget|byråd|byrådet|kommunalbestyrelse|kommunalbestyrelsen|bestyrelse|"
    r"bestyrelsen|rådet|råd|nævn|nævnet|forsamling|repræsentantskab|direktion|direktionen)s?\b",
    re.I,
)
# Known section headings (matched case-insensitively against a whole line, colon optional)
SECTION_NAMES = (
    "resume", "resumé", "indstilling", "indstillinger", "beslutning", "beslutninger",
    "sagsfremstilling", "sagsbeskrivelse", "sagens indhold", "baggrund", "retligt grundlag",
    "lovgrundlag", "lovgivning", "hjemmel", "økonomi", "økonomiske konsekvenser",
    "økonomiske oplysninger", "økonomiske og personalemæssige konsekvenser",
    "bevillingsmæssige konsekvenser", "bilag", "bilagsliste", "beslutningstema", "kompetence",
    "kompetenceudvalg", "handlemuligheder", "vurdering", "konsekvenser for andre udvalg",
    "politisk behandling", "supplerende bemærkninger", "høring", "høringssvar", "kommunikation",
    "tidsplan", "administrativ tilføjelse", "sagen afgøres af", "beslutningskompetence",
    "miljøvurdering", "borgerinddragelse", "fremtidig sagsbehandling", "historik",
    "personalemæssige konsekvenser", "sagsforløb", "forslag", "bemærkninger", "ressourcer",
    "klima", "klimakonsekvenser", "effekt", "videre proces", "lovgrundlag og kompetence",
    "udvalgets beslutning", "beslutning i udvalget",
)  # fmt: skip
_SECTION_SET = frozenset(SECTION_NAMES)
# "SAGSFREMSTILLING", "ØKONOMI OG FINANSIERING": a short heading in capitals
CAPS_HEADING = re.compile(r"^[\p{Lu}][\p{Lu}\s\-/&]{2,48}:?$")
# "Beslutning i Social- og Beskæftigelsesudvalget den 2. september 2019:"
DECISION_IN_LINE = re.compile(r"^(?:\S+\s+){0,3}?beslutning\b.{0,160}\bden\s+\d", re.I)


# "Beslutning: Godkendt.", "Indstilling: at planen vedtages" — a section opened on its own line
INLINE_SECTION = re.compile(
    r"^(?:beslutning|indstilling|sagsfremstilling|resum[eé]|bilag)\s*:", re.I
)
# "1. at planen godkendes", "2) at …": a numbered list line inside a case text
LIST_LINE = re.compile(r"^\d{1,2}[.)]\s")


# "Mødested" alone on a line, its value on the next (web pages print label and value apart)
LABEL_ONLY = re.compile(
    r"^(?:Mødedato|Dato|Mødetidspunkt|Tidspunkt|Mødested|Sted|Mødelokale|Udvalg)\s*:?$", re.I
)
# "Rådhuset i Helsinge, mødelokale Arresø", "Byrådssalen", "Torvet 3": a place without a label
PLACE_HINT = re.compile(
    r"\b(?:rådhus\w*|mødelokale|mødesal\w*|byrådssal\w*|lokale\s+\S+|\p{L}+(?:vej|gade)\s+\d+)",
    re.I,
)
# "Bent Fruergaard\tV\t\tAfbud": an attendance table row whose last cell is the status
ATTENDANCE_ROW = re.compile(
    r"^(?P<name>[^\t]+)\t.*\t\s*(?P<status>Afbud|Fraværende|Fravær)\s*$", re.I
)


# "Læsø Kommune - Kommunalbestyrelsen - 25-04-2024 - Side 2 af 5", "Side 3": page furniture
PAGE_FURNITURE = re.compile(r"(?:^|\s[-–|]\s)Side\s+\d{1,4}(?:\s*(?:af|/)\s*\d{1,4})?$")


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets (the offsets make provenance spans possible).

    Running page headers and footers that a PDF conversion left are dropped here.
    """
    out: list[Line] = []
    append = out.append
    pos = 0
    for raw in text.split("\n"):
        if not raw:
            pos += 1
            continue
        stripped = raw.strip()
        # "Side" first: the furniture pattern is only worth running on the few lines with it
        if stripped and not (
            "Side" in stripped and len(stripped) < 160 and PAGE_FURNITURE.search(stripped)
        ):
            # the line starts at its first non-blank character
            start = pos if raw[0] == stripped[0] else pos + raw.find(stripped[0])
            append(_new_line((stripped, start, start + len(stripped))))
        pos += len(raw) + 1
    return out


# Cheap tests run before the patterns on every line.  Each is a necessary condition of its
# pattern (never stricter), so a line that fails one cannot match and the output is the same.
# A non-ASCII character always passes a test of a character class: ``str`` and ``regex``
# may know different Unicode versions.


def _may_start_upper(text: str) -> bool:
    """Whether ``text`` may start with \\p{Lu}."""
    first = text[:1]
    return first.isupper() or not first.isascii()


def _may_be_caps_heading(line: str) -> bool:
    """Whether CAPS_HEADING may match: a capital, then a capital, a blank or - / &."""
    if not _may_start_upper(line):
        return False
    second = line[1:2]
    return second.isupper() or second in BLANKS or second in "-/&" or not second.isascii()


def _may_be_open_or_closed(text: str) -> bool:
    """Whether CLOSED_LINE or OPEN_LINE may match: "Lukket"/"Åben" after "(" and blanks."""
    first = text[:1]
    if first == "(":
        first = text[1:2]
    return first in "lLåÅ\u212b" or first in BLANKS


def cue_lines(lines: list[Line], cue: str, folded: str | None) -> set[int]:
    """Indexes of the ``lines`` that hold ``cue`` (lower-case ASCII, no "s" or "i") in any case.

    ``folded`` is ``fold_ascii`` of the text that the lines (in order) were split from, or
    None: one search of it for the cue replaces lower-casing every line.
    """
    if folded is None:
        return {i for i, line in enumerate(lines) if cue in line.text.lower()}
    found: set[int] = set()
    if not lines:
        return found
    starts = [line.start for line in lines]
    stop = lines[-1].end
    at = folded.find(cue, starts[0], stop)
    while at != -1:
        i = bisect_right(starts, at) - 1
        if at + len(cue) <= lines[i].end:
            found.add(i)
        at = folded.find(cue, at + 1, stop)
    return found


def has_cue(line: Line, cue: str, folded: str | None) -> bool:
    """Whether ``line`` holds ``cue`` (lower-case ASCII, no "s" or "i") in any case.

    ``folded`` is ``fold_ascii`` of the text the line was split from (or None): looking up
    the line's offsets in it spares lower-casing the line.
    """
    if folded is None:
        return cue in line.text.lower()
    return folded.find(cue, line.start, line.end) >= 0


def may_be_heading(line: str) -> bool:
    """False for a line that ``section_heading`` rejects at once: longer than any heading
    with nothing to strip.  Cheap enough to run before it on every line."""
    return len(line) <= 60 or line[-1] == ":" or line[-1] in BLANKS or line[0] in BLANKS


@lru_cache(maxsize=4096)
def section_heading(line: str) -> str | None:
    """The heading a line opens, or None: known names in any case, or a short line in capitals.

    Cached: the segmenter and the decision parser ask about the same lines, and headings
    repeat from item to item.
    """
    if not may_be_heading(line):
        return None
    bare = line.rstrip(":").strip()
    if len(bare) > 60:
        return None
    if bare.lower() in _SECTION_SET:
        return bare
    if (
        _may_be_caps_heading(line)
        and CAPS_HEADING.match(line)
        and len(bare.split()) <= 6
        and not KLE_CASE.search(line)
    ):
        return bare
    return None


def is_toc_entry(line: str) -> bool:
    # dots, an ellipsis or a tab before the page number (a cheap test before the pattern)
    if "\t" in line or "...." in line or "……" in line:
        return bool(TOC_ENTRY.search(line)) or line.endswith(".....")
    return False


HeaderMatches = list[tuple[int, re.Match[str]]]
_DIGITS = "0123456789"

__all__ = ["LABELLED_HEADER", "NUMBERED_HEADER", "PUNKT_COLON_HEADER"]


def _evidence(
    lines: list[Line], i: int, stop: int, window: int = 10, folded: str | None = None
) -> int:
    """How strongly the lines after a candidate header look like an item's start.

    2: a case number or open/closed marker; 1: a section heading or a decision line; 0: none.
    Only lines before the next candidate count, so a table of contents has no evidence.
    """
    best = 0
    for line in lines[i + 1 : min(stop, i + 1 + window)]:
        text = line.text
        # Cheap tests first, inline: a KLE number has a dot third; case_label_may_start;
        # _may_be_open_or_closed after its own first test
        first = text[:1]
        if (
            (text[2:3] == "." and KLE_CASE.match(text))
            or ((first in CASE_LABEL_FIRST or first in BLANKS) and CASE_LABEL.match(text))
            or (
                (first in "(lLåÅ\u212b" or first in BLANKS)
                and _may_be_open_or_closed(text)
                and (CLOSED_LINE.match(text) or OPEN_LINE.match(text))
            )
        ):
            return 2
        if best == 0 and (
            (may_be_heading(text) and section_heading(text))
            or (has_cue(line, "lutn", folded) and DECISION_IN_LINE.match(text))
            or (":" in text and INLINE_SECTION.match(text))
        ):
            best = 1
    return best


def _header_candidates(lines: list[Line], styles: tuple[str, ...]) -> dict[str, HeaderMatches]:
    """The lines that match each style's header shape and are no table-of-contents entry.

    One pass for all styles.  A line's first character picks the shapes that may match it
    (a table built once per call; a non-ASCII first character may match any shape), then
    the character after any leading digits narrows them, and only then do patterns run.
    """
    shapes: list[HeaderShape] = [HEADERS[s] for s in styles]
    found: dict[str, HeaderMatches] = {style: [] for style in styles}
    pairs = [(shape, found[shape.name]) for shape in shapes]
    by_first: dict[str, list[tuple[HeaderShape, HeaderMatches]]] = {}
    for shape, out in pairs:
        for ch in shape.first_chars:
            by_first.setdefault(ch, []).append((shape, out))
    for i, line in enumerate(lines):
        text = line.text
        first = text[:1]
        if first > "\x7f":  # a non-ASCII first character may be anything to regex
            options, after = pairs, ""
        else:
            options = by_first.get(first)
            if options is None:
                continue
            after = text.lstrip(_DIGITS)[:1] if "0" <= first <= "9" else first
        toc = None
        for shape, out in options:
            allowed = shape.after_number
            if allowed is not None and after and after <= "\x7f" and after not in allowed:
                continue
            if m := shape.pattern.match(text):
                if toc is None:
                    toc = is_toc_entry(text)
                if not toc:
                    out.append((i, m))
    return found


def find_all_item_headers(
    lines: list[Line],
    styles: tuple[str, ...],
    folded: str | None = None,
    rejected: dict[str, list[tuple[int, str]]] | None = None,
) -> dict[str, HeaderMatches]:
    """``find_item_headers`` for several styles at once (one pass over the lines).

    ``rejected`` (for ``--explain``) is filled per style with the candidates turned down and
    why.
    """
    candidates = _header_candidates(lines, styles)
    evidence: dict[tuple[int, int], int] = {}  # shared: "Punkt 3:" is a candidate of two styles
    return {
        style: _accept_headers(
            lines,
            style,
            candidates[style],
            folded,
            evidence,
            None if rejected is None else rejected.setdefault(style, []),
        )
        for style in styles
    }


def find_item_headers(lines: list[Line], style: str, folded: str | None = None) -> HeaderMatches:
    """Indexes of the lines that start items, for one header style.

    Items are numbered in increasing order; a candidate needs evidence (see ``_evidence``),
    numbered lists inside a case text ("1. at …") start with a lower-case word and so are no
    candidates, and a table of contents is skipped because its entries have no body.
    ``folded`` (``fold_ascii`` of the text the lines come from) only saves time.
    """
    return find_all_item_headers(lines, (style,), folded)[style]


def _accept_headers(
    lines: list[Line],
    style: str,
    candidates: HeaderMatches,
    folded: str | None,
    evidence: dict[tuple[int, int], int],
    rejected: list[tuple[int, str]] | None = None,
) -> HeaderMatches:
    """The candidates that start items (see ``find_item_headers``); ``evidence`` caches
    ``_evidence`` by candidate and stop; ``rejected`` collects the others with the reason."""
    accepted: list[tuple[int, re.Match[str]]] = []
    shape = HEADERS[style]
    last = -1
    why = None
    for pos, (i, m) in enumerate(candidates):
        if why is not None and rejected is not None:
            rejected.append(why)
        why = None
        number = int(m["num"])
        if number <= last:
            why = (i, f"number {number} does not go on from item {last}")
            continue
        stop = candidates[pos + 1][0] if pos + 1 < len(candidates) else len(lines)
        strength = evidence.get((i, stop))
        if strength is None:
            strength = evidence[i, stop] = _evidence(lines, i, stop, folded=folded)
        if strength < 2 and m["title"][:1] in "lL" and CLOSED_TITLE_PREFIX.match(m["title"]):
            strength = 2  # a closed item prints no body: its mark is the evidence
        if strength == 0 and shape.needs_body:
            why = (i, "no item body follows (no case number, section or decision before the next)")
            continue
        if shape.sequential and last >= 0:
            if number != last + 1 and strength < 2:
                why = (i, f"number {number} skips from {last} and no case number follows")
                continue
            inside_item = i > accepted[-1][0] + 1
            if shape.list_guard and inside_item and LIST_LINE.match(lines[i - 1].text):
                why = (i, "a numbered list inside the item before")
                continue  # a numbered list inside the current item's text
        if not shape.needs_body and strength == 0 and stop - i < 2:
            why = (i, "nothing between it and the next header")
            continue
        accepted.append((i, m))
        last = number
        if len(accepted) > MAX_ITEMS:  # refused now: no need to find the rest
            check_items(len(accepted))
    if why is not None and rejected is not None:
        rejected.append(why)
    return accepted


# " 2018-2021", " d. 15-05", " den 3.", " 15": where the committee's name in a title ends
TITLE_NAME_END = re.compile(r"\s(?:\(?(?:19|20)\d\d\s?[-–]|d\.\s|den\s|\d)")
# " d. ", " den ", " 3", ",": where a committee's name on a header line ends
HEADER_NAME_END = re.compile(r"\s(?:d\.|den)\s|\s\d|,")
# " – ", "–": an en dash in a case number, printed as "-"
CASE_DASH = re.compile(r"\s?[–]\s?")
# "(lukket)", "( Lukket punkt )" at the end of an item title
CLOSED_TITLE_MARK = re.compile(r"\s*\(\s*lukket\s*(?:punkt)?\s*\)\s*$", re.I)
# "Lukket punkt: Personalesag", "Lukket: Klagesag", "LUKKET SAG - Ejendomshandel": a closed
# item's title, whose body the published minutes leave out
CLOSED_TITLE_PREFIX = re.compile(r"^lukket(?:\s+(?:punkt|sag|møde))?\s*[:\-–]\s*(?=\S)", re.I)


def _committee_from_title(line: str) -> str | None:
    """The committee in a title line such as "REFERAT Økonomiudvalget 2018-2021 d. 15-05-2018"."""
    rest = DOC_KIND.sub("", line, count=1).strip(" -–:")
    if rest[:4].lower() in ("fra ", "for ") or rest[:3].lower() in ("af ", "til"):
        # "Referat fra Økonomiudvalget", "Referat af møde i Erhvervs- og …udvalget"
        rest = KIND_BEFORE_NAME.sub("", f"referat {rest}")
    rest = TITLE_NAME_END.split(rest, maxsplit=1)[0]
    rest = rest.strip(" -–,:(")
    return rest if rest and ORGAN_NAME.search(rest) else None


def _may_be_label_only(text: str) -> bool:
    """Whether LABEL_ONLY may match: a label's first letter first and its last letter (or a
    colon or blank) last."""
    return text[:1] in "mMdDtTsSuU\u017f" and (text[-1:] in "oOtTdDeEgG:" or text[-1:] in BLANKS)


def parse_meeting(header: list[Line]) -> RawMeeting:
    """Committee, period, date, time, location and kind from the lines before the first item."""
    meeting = RawMeeting(header_lines=header)
    joined: list[Line] = []
    for line in header[:60]:
        if len(line.text) > 2_000:  # a header line is short; a huge one is no header field
            line = Line(line.text[:2_000], line.start, line.start + 2_000)
        if line.text[-1:] == "|":  # a table flattened to "Dato: | 18-03-2019 |"
            bare = line.text.rstrip(" |\t")
            if not bare.strip("-|: \t"):  # a rule "---|---|" between its rows
                continue
            line = Line(bare, line.start, line.start + len(bare))
        if joined and _may_be_label_only(joined[-1].text) and LABEL_ONLY.match(joined[-1].text):
            prev = joined.pop()
            line = Line(f"{prev.text.rstrip(':')}: {line.text}", prev.start, line.end)
        joined.append(line)
    date_line = None
    for idx, line in enumerate(joined[:40]):
        text = line.text
        if is_toc_entry(text):
            continue
        # Each label pattern runs only on a line that starts with one of its labels' first
        # letters (or with a blank, where DOC_KIND allows it).
        first = text[:1]
        kind = DOC_KIND.match(text) if first in "rRdDbBpP" or first in BLANKS else None
        dated = DATE_LINE.match(text) if first in "mMdDtT" else None
        if kind and meeting.kind is None:
            word = kind["kind"].lower()
            meeting.kind = "dagsorden" if word == "dagsorden" else "referat"
            if meeting.committee is None:
                meeting.committee = _committee_from_title(text)
        if (
            meeting.period is None
            and ("19" in text or "20" in text)
            and (period := PERIOD.search(text))
        ):
            a, b = int(period["a"]), int(period["b"])
            if 1 <= b - a <= 8:
                meeting.period = f"{a}-{b}"
        if first in "uUfFoOmM" and ":" in text and (m := COMMITTEE_LINE.match(text)):
            meeting.committee = clean_committee(m["name"])
        if meeting.date is None and (dated or kind):
            dates = find_dates(text)
            if dates:
                meeting.date = dates[-1][2] if dated else dates[0][2]
        if meeting.start_time is None:
            if dated or text[:2].lower() == "kl":
                meeting.start_time = parse_time(text) or (clock_after_date(text) if dated else None)
            if (
                meeting.start_time is None
                and first in "tTmMsS\u017f"
                and (clock := CLOCK_LINE.match(text))
            ):
                meeting.start_time = f"{int(clock['h']):02d}:{clock['m']}"
        if meeting.location is None and first in "MSL" and (place := PLACE_LINE.match(text)):
            location = place["place"]
            if text[:1] in "ML" and "lokale" in text[:10].lower() and ":" not in text[:12]:
                location = text  # "Mødelokale 4, rådhuset": the label is the place's name
            follow = joined[idx + 1].text if idx + 1 < len(joined) else ""
            if location.endswith(",") and follow and not PLACE_LINE.match(follow):
                location = f"{location} {follow}"
            meeting.location = fold_space(location)
        if meeting.committee is None and (first in "\u00c6\u00d8\u00c5" or first.isupper()):
            meeting.committee = committee_from_heading(text) or meeting.committee
    if meeting.date is None or meeting.start_time is None:
        for line in joined[:15]:
            dates = find_dates(line.text)
            if dates and not is_toc_entry(line.text):
                meeting.date = meeting.date or dates[0][2]
                meeting.start_time = meeting.start_time or parse_time(line.text)
                date_line = line
                break
    if meeting.location is None:
        for line in joined[:15]:
            if (place := place_after_clock(line.text)) and not is_toc_entry(line.text):
                meeting.location = place
                break
    if meeting.location is None:
        for line in joined[:15]:
            if line is date_line or is_toc_entry(line.text) or len(line.text) > 120:
                continue
            if PLACE_HINT.search(line.text) and not DOC_KIND.match(line.text):
                meeting.location = fold_space(line.text)
                break
    if meeting.start_time is None:  # "Mødelokale SL 1, Slangerup kl. 16.00"
        for line in joined[:15]:
            if "kl" in line.text.lower() and not is_toc_entry(line.text):
                meeting.start_time = parse_time(line.text)
                if meeting.start_time:
                    break
    if meeting.committee is None:
        for line in header[:12]:
            text = line.text
            if (
                len(text) < 90
                and ORGAN_NAME.search(text)
                and not is_toc_entry(text)
                and not PLACE_LINE.match(text)
            ):
                meeting.committee = _committee_from_title(text) or fold_space(
                    HEADER_NAME_END.split(text, maxsplit=1)[0]
                )
                break
    meeting.committee = clean_committee(meeting.committee)
    meeting.location, time = clean_location(meeting.location)
    meeting.start_time = meeting.start_time or time
    return meeting


def _item_front(
    lines: list[Line], folded: str | None = None, case_shapes: tuple[str, ...] | None = None
) -> tuple[str | None, str | None, bool]:
    """Case number, document number and open/closed from the first lines of an item.

    ``case_shapes`` (catalogue line names) say where a case number may stand: a KLE number
    or an archive number ("EMN-2025-003383") alone on a line, or a labelled one.
    """
    shapes = DEFAULT_OPTIONS.case_shapes if case_shapes is None else case_shapes
    kle, labelled, archive = ("kle-alone" in shapes, "case-label" in shapes,
                              "archive-case-alone" in shapes)  # fmt: skip
    case = doc = None
    is_open = True
    with_doc = cue_lines(lines[:14], "dok", folded)
    for index, line in enumerate(lines[:14]):
        text = line.text
        first = text[:1]  # a KLE number has a dot third; case_label_may_start, inline
        if case is None:
            if kle and text[2:3] == "." and (m := KLE_CASE.match(text)):
                case = m.group(0)
            elif (
                labelled
                and (first in CASE_LABEL_FIRST or first in BLANKS)
                and (m := CASE_LABEL.match(text))
            ):
                case = m["value"].strip()
            elif archive and "-" in text and (m := ARCHIVE_CASE_ALONE.match(text)):
                case = m["value"]
        if doc is None and index in with_doc and (m := DOC_LABEL.search(text)):
            doc = m["value"].strip()
        if (
            (first in "(lLåÅ\u212b" or first in BLANKS)
            and _may_be_open_or_closed(text)
            and CLOSED_LINE.match(text)
        ):
            is_open = False
    if case is not None:
        case = CASE_DASH.sub("-", case)
    return case, doc, is_open


def _sections(lines: list[Line], extra: frozenset[str] = frozenset()) -> list[RawSection]:
    """The sections of an item's lines: each heading takes the lines up to the next one.

    ``extra`` holds a profile's own headings (lower case) beside the known ones.
    """
    headings: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        text = line.text
        # may_be_heading, inline (this runs on every line): a long line is no heading, nor
        # a decision header, which ends with ":"
        if len(text) > 60 and text[-1] != ":" and text[-1] not in BLANKS and text[0] not in BLANKS:
            continue
        heading = section_heading(text)
        if heading is None and extra and (bare := text.rstrip(":").strip()).lower() in extra:
            heading = bare
        if heading is None and text[-1:] == ":" and DECISION_IN_LINE.match(text):
            heading = text.rstrip(":")
        if heading is not None:
            headings.append((i, heading))
    if not headings:
        return []
    ends = [i for i, _ in headings[1:]] + [len(lines)]
    return [
        RawSection(heading, lines[i + 1 : end])
        for (i, heading), end in zip(headings, ends, strict=True)
    ]


def segment(
    text: str,
    style: str,
    lines: list[Line] | None = None,
    headers: list[tuple[int, re.Match[str]]] | None = None,
    folded: str | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> Segmented:
    """Cut ``text`` into a meeting header and items using one item-header style.

    ``lines``, ``headers`` and ``folded`` (``fold_ascii(text)``) may be passed when the
    caller has them already; ``options`` are the chosen profile's.
    """
    lines = split_lines(text) if lines is None else lines
    folded = fold_ascii(text) if folded is None else folded
    headers = find_item_headers(lines, style, folded) if headers is None else headers
    first = headers[0][0] if headers else len(lines)
    header_lines = lines[:first]
    if options.meeting_labels:
        header_lines = [relabel(line, options.meeting_labels) for line in header_lines]
    meeting = parse_meeting(header_lines)
    items: list[RawItem] = []
    for pos, (i, m) in enumerate(headers):
        stop = headers[pos + 1][0] if pos + 1 < len(headers) else len(lines)
        body = lines[i + 1 : stop]
        if not m["title"]:  # "Sag nr. 129" or "3." alone: the title is the next line
            title = fold_space(body[0].text) if body else ""
            body = body[1:]
            if body and alone_title_goes_on(title, body):  # wrapped over two lines
                title = f"{title} {fold_space(body[0].text)}"
                body = body[1:]
        else:
            title = fold_space(m["title"])
        if options.wrapped_titles and body and continues_title(title, body[0].text):
            title = f"{title} {fold_space(body[0].text)}"
        mark = None
        if ")" in title and (km := KIND_MARK.search(title)):
            mark = km["mark"][0]
            title = title[: km.start()].strip()
        case, doc, is_open = _item_front(body, folded, options.case_shapes)
        if title[:1] in "lL" and (prefix := CLOSED_TITLE_PREFIX.match(title)):
            is_open = False
            title = title[prefix.end() :]
        closed_mark = title.endswith(")") or title[-1:].isspace()  # "(lukket)" ends a title
        if closed_mark and CLOSED_TITLE_MARK.search(title):
            is_open = False
            title = CLOSED_TITLE_MARK.sub("", title)
        end = headers[pos + 1][0] if pos + 1 < len(headers) else None
        items.append(
            RawItem(
                number=int(m["num"]),
                title=title,
                kind_mark=mark,
                start=lines[i].start,
                end=lines[end].start if end is not None else len(text),
                lines=body,
                case_number=case,
                document_number=doc,
                open=is_open,
                sections=_sections(body, options.sections),
            )
        )
    return Segmented(meeting, items, folded, options.decision_aliases)


def relabel(line: Line, labels: tuple[tuple[str, str], ...]) -> Line:
    """A header line whose printed label a profile maps to one the engine knows
    ("Lokale: X" → "Sted: X"); the offsets stay the line's own."""
    text = line.text
    for printed, known in labels:
        if text.startswith(printed) and (
            len(text) == len(printed) or not text[len(printed)].isalnum()
        ):
            return _new_line((known + text[len(printed) :], line.start, line.end))
    return line


# "(B)", "for et område": a title's second line ends with a kind mark or opens in lower case
TITLE_GOES_ON = re.compile(r"^\p{Ll}|\((?:[BOD](?:\s?[+/,]\s?[BOD])*)\)\s*$")
# " pr.", " og", " for", " -": a word a title cannot end with, so the next line goes on with it
TITLE_OPEN_END = re.compile(
    r"(?:\s(?:og|i|af|for|til|om|ved|på|med|fra|pr\.|samt|eller|under|mellem|inkl\.)|[-–,])$"
)


def continues_title(title: str, follow: str) -> bool:
    """Whether ``follow`` (the line after a header) is the rest of a title wrapped over two
    lines: short, no case number, label or section, and it opens in lower case, ends with
    the (B)/(O)/(D) mark the title lacks, or the title ends with a word such as "pr." or "og"."""
    if len(follow) > 90 or ":" in follow or title.endswith(")"):
        return False
    open_end = bool(TITLE_OPEN_END.search(title))
    if title.endswith(".") and not open_end:
        return False
    if KLE_CASE.match(follow) or ARCHIVE_CASE_ALONE.match(follow) or section_heading(follow):
        return False
    if open_end:
        return True
    return bool(TITLE_GOES_ON.search(follow))


def _is_case_line(text: str) -> bool:
    """Whether a line holds only a case number (KLE, archive) or a case label."""
    first = text[:1]
    return bool(
        (text[2:3] == "." and KLE_CASE.fullmatch(text))
        or ("-" in text and ARCHIVE_CASE_ALONE.match(text))
        or ((first in CASE_LABEL_FIRST or first in BLANKS) and CASE_LABEL.match(text))
    )


def alone_title_goes_on(title: str, body: list[Line]) -> bool:
    """Whether the title under a header printed alone ("Punkt 1.", "3.") goes on to the line
    after it: that line continues it (``continues_title``), or it is a short line with no
    label or section and a case number stands right after it, where the title block ends."""
    follow = body[0].text
    if _is_case_line(follow) or section_heading(follow):
        return False
    if continues_title(title, follow):
        return True
    return (
        len(body) > 1
        and len(follow) <= 90
        and ":" not in follow
        and not follow.endswith(".")
        and _is_case_line(body[1].text)
    )


def count_headers(text: str, style: str) -> int:
    """How many items a style finds: the basis of every layout's confidence."""
    return len(find_item_headers(split_lines(text), style))
