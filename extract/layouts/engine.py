"""Structural segmentation shared by every layout: lines, meeting header, items, sections.

A layout module only says which item-header style it expects and how sure it is that a text
is its own; the work of cutting a document into items and sections is the same everywhere
and lives here, so that a fix for one publishing system helps all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from extract.patterns import (
    CASE_LABEL,
    CLOSED_LINE,
    DOC_LABEL,
    KIND_MARK,
    KLE_CASE,
    OPEN_LINE,
    PERIOD,
    TOC_ENTRY,
    find_dates,
    fold_space,
    parse_time,
)


@dataclass(frozen=True)
class Line:
    """A non-blank line: its stripped text and its character offsets in the source text."""

    text: str
    start: int
    end: int


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


# "Punkt 37: Budgetkontrol pr. 1. april 2018", "Punkt 1: Godkendelse af dagsorden (B)"
PUNKT_COLON_HEADER = re.compile(r"^Punkt\s+(?P<num>\d{1,4})\s*:\s*(?P<title>\S.*)$")
# "Pkt. 3 Vejplan", "Punkt 4 - Budget", "Sag nr. 5: Skolestruktur", "Dagsordenspunkt 2: X"
LABELLED_HEADER = re.compile(
    r"^(?:Punkt|Pkt\.?|Sag\s?nr\.?|Sag|Dagsordenspunkt)\s*(?P<num>\d{1,4})\s*[:.\-–]?\s+"
    r"(?P<title>[\p{Lu}\d\"«„“].*)$"
)
# "1. Godkendelse af dagsorden", "12. VEJPLAN 2024" (a title starts with a capital)
NUMBERED_HEADER = re.compile(r"^(?P<num>\d{1,4})\.\s+(?P<title>[\p{Lu}\"«„“][^\t]*)$")
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
# "Tidspunkt: 16.00", "Tidspunkt: Kl. 15:30", "Start: 9:30", "Mødetid: 17:00-19:00"
CLOCK_LINE = re.compile(
    r"^(?:Tidspunkt|Mødetid|Start|Tid)\s*:?\s*(?:kl\.?\s*)?(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)",
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
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped and not (len(stripped) < 160 and PAGE_FURNITURE.search(stripped)):
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(raw) + 1
    return out


def section_heading(line: str) -> str | None:
    """The heading a line opens, or None: known names in any case, or a short line in capitals."""
    bare = line.rstrip(":").strip()
    if len(bare) > 60:
        return None
    if bare.lower() in _SECTION_SET:
        return bare
    if CAPS_HEADING.match(line) and len(bare.split()) <= 6 and not KLE_CASE.search(line):
        return bare
    return None


def is_toc_entry(line: str) -> bool:
    return bool(TOC_ENTRY.search(line)) or line.endswith(".....")


def _header_match(line: str, style: str) -> re.Match[str] | None:
    if style == "punkt":
        return PUNKT_COLON_HEADER.match(line)
    if style == "labelled":
        return LABELLED_HEADER.match(line)
    return NUMBERED_HEADER.match(line)


def _evidence(lines: list[Line], i: int, stop: int, window: int = 10) -> int:
    """How strongly the lines after a candidate header look like an item's start.

    2: a case number or open/closed marker; 1: a section heading or a decision line; 0: none.
    Only lines before the next candidate count, so a table of contents has no evidence.
    """
    best = 0
    for line in lines[i + 1 : min(stop, i + 1 + window)]:
        text = line.text
        if (
            KLE_CASE.match(text)
            or CASE_LABEL.match(text)
            or CLOSED_LINE.match(text)
            or OPEN_LINE.match(text)
        ):
            return 2
        if section_heading(text) or DECISION_IN_LINE.match(text) or INLINE_SECTION.match(text):
            best = 1
    return best


def find_item_headers(lines: list[Line], style: str) -> list[tuple[int, re.Match[str]]]:
    """Indexes of the lines that start items, for one header style.

    Items are numbered in increasing order; a candidate needs evidence (see ``_evidence``),
    numbered lists inside a case text ("1. at …") start with a lower-case word and so are no
    candidates, and a table of contents is skipped because its entries have no body.
    """
    candidates = [
        (i, m)
        for i, line in enumerate(lines)
        if (m := _header_match(line.text, style)) and not is_toc_entry(line.text)
    ]
    accepted: list[tuple[int, re.Match[str]]] = []
    last = -1
    for pos, (i, m) in enumerate(candidates):
        number = int(m["num"])
        if number <= last:
            continue
        stop = candidates[pos + 1][0] if pos + 1 < len(candidates) else len(lines)
        strength = _evidence(lines, i, stop)
        if strength == 0 and style != "punkt":
            continue
        if style == "numbered" and last >= 0:
            if number != last + 1 and strength < 2:
                continue
            inside_item = i > accepted[-1][0] + 1
            if inside_item and LIST_LINE.match(lines[i - 1].text):
                continue  # a numbered list inside the current item's text

        if style == "punkt" and strength == 0 and stop - i < 2:
            continue
        accepted.append((i, m))
        last = number
    return accepted


def _committee_from_title(line: str) -> str | None:
    """The committee in a title line such as "REFERAT Økonomiudvalget 2018-2021 d. 15-05-2018"."""
    rest = DOC_KIND.sub("", line, count=1).strip(" -–:")
    rest = re.split(r"\s(?:\(?(?:19|20)\d\d\s?[-–]|d\.\s|den\s|\d)", rest, maxsplit=1)[0]
    rest = rest.strip(" -–,:(")
    return rest if rest and ORGAN_NAME.search(rest) else None


def parse_meeting(header: list[Line]) -> RawMeeting:
    """Committee, period, date, time, location and kind from the lines before the first item."""
    meeting = RawMeeting(header_lines=header)
    joined: list[Line] = []
    for line in header[:60]:
        if len(line.text) > 2_000:  # a header line is short; a huge one is no header field
            line = Line(line.text[:2_000], line.start, line.start + 2_000)
        if joined and LABEL_ONLY.match(joined[-1].text):
            prev = joined.pop()
            line = Line(f"{prev.text.rstrip(':')}: {line.text}", prev.start, line.end)
        joined.append(line)
    date_line = None
    for idx, line in enumerate(joined[:40]):
        text = line.text
        if is_toc_entry(text):
            continue
        kind = DOC_KIND.match(text)
        if kind and meeting.kind is None:
            word = kind["kind"].lower()
            meeting.kind = "dagsorden" if word == "dagsorden" else "referat"
            if meeting.committee is None:
                meeting.committee = _committee_from_title(text)
        if meeting.period is None and (period := PERIOD.search(text)):
            a, b = int(period["a"]), int(period["b"])
            if 1 <= b - a <= 8:
                meeting.period = f"{a}-{b}"
        if m := COMMITTEE_LINE.match(text):
            meeting.committee = fold_space(m["name"])
        if meeting.date is None and (DATE_LINE.match(text) or DOC_KIND.match(text)):
            dates = find_dates(text)
            if dates:
                meeting.date = dates[-1][2] if DATE_LINE.match(text) else dates[0][2]
        if meeting.start_time is None:
            if DATE_LINE.match(text) or text.lower().startswith("kl"):
                meeting.start_time = parse_time(text)
            if meeting.start_time is None and (clock := CLOCK_LINE.match(text)):
                meeting.start_time = f"{int(clock['h']):02d}:{clock['m']}"
        if meeting.location is None and (place := PLACE_LINE.match(text)):
            location = place["place"]
            follow = joined[idx + 1].text if idx + 1 < len(joined) else ""
            if location.endswith(",") and follow and not PLACE_LINE.match(follow):
                location = f"{location} {follow}"
            meeting.location = fold_space(location)
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
            if line is date_line or is_toc_entry(line.text) or len(line.text) > 120:
                continue
            if PLACE_HINT.search(line.text) and not DOC_KIND.match(line.text):
                meeting.location = fold_space(line.text)
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
                    re.split(r"\s(?:d\.|den)\s|\s\d|,", text, maxsplit=1)[0]
                )
                break
    return meeting


def _item_front(lines: list[Line]) -> tuple[str | None, str | None, bool]:
    """Case number, document number and open/closed from the first lines of an item."""
    case = doc = None
    is_open = True
    for line in lines[:14]:
        text = line.text
        if case is None:
            if m := KLE_CASE.match(text):
                case = m.group(0)
            elif m := CASE_LABEL.match(text):
                case = m["value"].strip()
        if doc is None and (m := DOC_LABEL.search(text)):
            doc = m["value"].strip()
        if CLOSED_LINE.match(text):
            is_open = False
    if case is not None:
        case = re.sub(r"\s?[–]\s?", "-", case)
    return case, doc, is_open


def _sections(lines: list[Line]) -> list[RawSection]:
    sections: list[RawSection] = []
    current: RawSection | None = None
    for line in lines:
        heading = section_heading(line.text)
        if heading is None and DECISION_IN_LINE.match(line.text) and line.text.endswith(":"):
            heading = line.text.rstrip(":")
        if heading is not None:
            current = RawSection(heading=heading)
            sections.append(current)
        elif current is not None:
            current.lines.append(line)
    return sections


def segment(
    text: str,
    style: str,
    lines: list[Line] | None = None,
    headers: list[tuple[int, re.Match[str]]] | None = None,
) -> Segmented:
    """Cut ``text`` into a meeting header and items using one item-header style.

    ``lines`` and ``headers`` may be passed when the caller has found them already.
    """
    lines = split_lines(text) if lines is None else lines
    headers = find_item_headers(lines, style) if headers is None else headers
    first = headers[0][0] if headers else len(lines)
    meeting = parse_meeting(lines[:first])
    items: list[RawItem] = []
    for pos, (i, m) in enumerate(headers):
        stop = headers[pos + 1][0] if pos + 1 < len(headers) else len(lines)
        body = lines[i + 1 : stop]
        title = fold_space(m["title"])
        mark = None
        if km := KIND_MARK.search(title):
            mark = km["mark"][0]
            title = title[: km.start()].strip()
        case, doc, is_open = _item_front(body)
        if re.search(r"\(\s*lukket\s*(?:punkt)?\s*\)\s*$", title, re.I):
            is_open = False
            title = re.sub(r"\s*\(\s*lukket\s*(?:punkt)?\s*\)\s*$", "", title, flags=re.I)
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
                sections=_sections(body),
            )
        )
    return Segmented(meeting=meeting, items=items)


def count_headers(text: str, style: str) -> int:
    """How many items a style finds: the basis of every layout's confidence."""
    return len(find_item_headers(split_lines(text), style))
