"""The meeting's header: committee, period, date, time, location and kind.

``parse_meeting`` reads the lines before the first item.  Each label pattern is a
``Pattern`` with the first letters its labels may start with, so most lines cost one
character test (extract/text/pattern.py; tests/test_prechecks.py checks every pre-check).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from kommunegraf.extract.layouts.headings import is_toc_entry
from kommunegraf.extract.layouts.lines import Line
from kommunegraf.extract.layouts.meeting_fields import (
    KIND_BEFORE_NAME,
    clean_committee,
    clean_location,
    clock_after_date,
    committee_from_heading,
    place_after_clock,
)
from kommunegraf.extract.patterns import PERIOD_CHECKED
from kommunegraf.extract.records import Meeting
from kommunegraf.extract.text.dates import find_dates, parse_time
from kommunegraf.extract.text.fold import fold_space
from kommunegraf.extract.text.pattern import Pattern, first_in


@dataclass
class RawMeeting(Meeting):
    """The record's meeting fields as the header gives them, with the header's lines kept
    for the readers that look at it again (the pipeline's committee and date fallbacks)."""

    header_lines: list[Line] = field(default_factory=list)


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


# " 2018-2021", " d. 15-05", " den 3.", " 15": where the committee's name in a title ends
TITLE_NAME_END = re.compile(r"\s(?:\(?(?:19|20)\d\d\s?[-–]|d\.\s|den\s|\d)")
# " d. ", " den ", " 3", ",": where a committee's name on a header line ends
HEADER_NAME_END = re.compile(r"\s(?:d\.|den)\s|\s\d|,")


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
    first, last = text[:1], text[-1:]
    return (first in "mMdDtTsSuU" or first > "\x7f") and (
        last in "oOtTdDeEgG:" or last > "\x7f" or last.isspace()
    )


def _may_be_committee_line(text: str) -> bool:
    """Whether COMMITTEE_LINE may match: a label's first letter first, and a colon."""
    first = text[:1]
    return (first in "uUfFoOmM" or first > "\x7f") and ":" in text


# Each label pattern runs only on a line that starts with one of its labels' first letters
# (or with a blank, where DOC_KIND allows it).
DOC_KIND_CHECKED = Pattern(
    "DOC_KIND_CHECKED",
    DOC_KIND,
    first_in("rRdDbBpP", blanks=True),
    examples=("REFERAT Økonomiudvalget", " Dagsorden", "Beslutningsprotokol for …"),
)
DATE_LINE_CHECKED = Pattern(
    "DATE_LINE_CHECKED",
    DATE_LINE,
    first_in("mMdDtT"),
    examples=("Mødedato Tirsdag d. 15. maj 2018", "Mødet afholdt: 12. marts 2024", "TID: 9"),
)
COMMITTEE_LINE_CHECKED = Pattern(
    "COMMITTEE_LINE_CHECKED",
    COMMITTEE_LINE,
    _may_be_committee_line,
    examples=("Udvalg: Teknik- og Miljøudvalget", "Mødeforum : Byrådet", "FORUM: Børneudvalget"),
)
CLOCK_LINE_CHECKED = Pattern(
    "CLOCK_LINE_CHECKED",
    CLOCK_LINE,
    first_in("tTmMsS"),
    examples=("Tidspunkt: Kl. 15:30", "Start: 9:30", "Mødetid: 17:00-19:00", "tid 8.15"),
)
PLACE_LINE_CHECKED = Pattern(
    "PLACE_LINE_CHECKED",
    PLACE_LINE,
    first_in("MSL"),
    examples=("Mødested Rådmandshaven 20", "Sted: Rådhuset", "MØDESTED: Byrådssalen"),
)
LABEL_ONLY_CHECKED = Pattern(
    "LABEL_ONLY_CHECKED",
    LABEL_ONLY,
    _may_be_label_only,
    examples=("Mødested", "Dato:", "UDVALG :", "Tidspunkt "),
)


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
        if joined and LABEL_ONLY_CHECKED(joined[-1].text):
            prev = joined.pop()
            line = Line(f"{prev.text.rstrip(':')}: {line.text}", prev.start, line.end)
        joined.append(line)
    date_line = None
    for idx, line in enumerate(joined[:40]):
        text = line.text
        if is_toc_entry(text):
            continue
        first = text[:1]
        kind = DOC_KIND_CHECKED(text)
        dated = DATE_LINE_CHECKED(text)
        if kind and meeting.kind is None:
            word = kind["kind"].lower()
            meeting.kind = "dagsorden" if word == "dagsorden" else "referat"
            if meeting.committee is None:
                meeting.committee = _committee_from_title(text)
        if meeting.period is None and (period := PERIOD_CHECKED(text)):
            a, b = int(period["a"]), int(period["b"])
            if 1 <= b - a <= 8:
                meeting.period = f"{a}-{b}"
        if m := COMMITTEE_LINE_CHECKED(text):
            meeting.committee = clean_committee(m["name"])
        if meeting.date is None and (dated or kind):
            dates = find_dates(text)
            if dates:
                meeting.date = dates[-1][2] if dated else dates[0][2]
        if meeting.start_time is None:
            if dated or text[:2].lower() == "kl":
                meeting.start_time = parse_time(text) or (clock_after_date(text) if dated else None)
            if meeting.start_time is None and (clock := CLOCK_LINE_CHECKED(text)):
                meeting.start_time = f"{int(clock['h']):02d}:{clock['m']}"
        if meeting.location is None and (place := PLACE_LINE_CHECKED(text)):
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
