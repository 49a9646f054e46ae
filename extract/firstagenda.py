"""A FirstAgenda Publication meeting (the portal's JSON, or its saved page) → the record.

88 of 98 municipalities publish on FirstAgenda portals, which serve each meeting as JSON
(``GET /api/agenda/dagsorden/<id>``): the committee, date and place, participants, and per
item its number, title, case number, attachments, absentees and the minutes as HTML.  The
structure is read as structure here, not recovered from text; only the HTML's wording
(decisions, votes, absences, entities) goes through the readers every layout shares.

``Shape`` is what both the API JSON and the saved page (``firstagenda_html``) reduce to, so
one builder makes the record.  The record's spans are offsets in a plain text of the meeting
that ``meeting_text`` builds (header, then each item: title, absentees, sections, history,
attachments), so provenance works as for a text document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import regex as re

from kommunegraf.extract.decisions import absences_of, outcome_of, references_of, votes_of
from kommunegraf.extract.entities import extract_entities
from kommunegraf.extract.firstagenda_felter import (
    Block,
    blocks_of,
    is_decision_heading,
    is_history,
    treatments,
)
from kommunegraf.extract.municipalities import MunicipalityEntry, lookup, recognise
from kommunegraf.extract.records import (
    Decision,
    Item,
    Meeting,
    Municipality,
    Person,
    Record,
    Reference,
    Section,
    Source,
    read_steps,
)
from kommunegraf.extract.text.fold import fold_space

__all__ = [
    "Shape",
    "ShapeItem",
    "build_record",
    "extract_meeting",
    "local_date_time",
    "meeting_text",
    "municipality_of",
    "municipality_of_host",
    "shape_of_json",
    "split_committee",
]

# "Byråd 2022-2025", "Økonomiudvalget 2018 - 2021": a committee name with its election period
COMMITTEE_PERIOD = re.compile(
    r"^(?P<name>.*?\S)\s*[,(]?\s*(?P<period>(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d)\)?\s*$"
)
# " – ", "- ": the dash of an election period, written "-" ("2022 – 2025" → "2022-2025")
PERIOD_DASH = re.compile(r"\s*[-–]\s*")
# "<p class='x'>", "</span>": a tag, dropped from the sample the municipality is read from
MARKUP_TAG = re.compile(r"<[^>]{0,400}>")
# ".Spørgsmål / Svar til Byrådet": sort marks that portals put before a committee's name
LEADING_MARKS = re.compile(r"^[^\p{L}\d]+")
# "Lukket: Salg af grund", "Lukket punkt - Personalesag", "LUKKET. Køb": a closed item's title
CLOSED_TITLE = re.compile(r"^\s*lukket(?:\s+punkt)?\s*[:.\-–]\s*", re.I)
# "4", "4a", " 12 ": the item number as the portal prints it
ITEM_NUMBER = re.compile(r"\d{1,4}")
# "Afbud fra Tina Rottbøll (A)", "Fravær: Ib Holm": labelled absences the shared reader
# does not know (it wants "Afbud:"); rewritten to that form before it reads them
ABSENCE_FROM = re.compile(r"^(?:Afbud|Fravær(?:ende)?)\s+fra\s+(?P<names>\p{Lu}.*)$")
# "Fraværende", "Afbud", "Forfald", "Inhabil", "Deltog ikke": an attendee's reason for being away
ABSENCE_REASON = re.compile(
    r"fravær|afbud|forfald|inhabil|syg|ikke\s+til\s+stede|deltog\s+ikke", re.I
)
# '<div><h3>Beslutning</h3>', '<h2 class="x">': markup that opens with its own heading
HEADING_START = re.compile(r"^\s*(?:<(?:div|span|section)[^>]*>\s*)*<h[1-6][\s>]", re.I)
# "Tillægsdagsorden", "Supplerende dagsorden": a supplementary agenda's name
SUPPLEMENTARY = re.compile(r"tillæg|supplerende", re.I)
# "Liselott Blixt (UP)": a local list's code in brackets after a person's name, kept as printed
LOCAL_LIST = re.compile(r"\s*\((?P<code>[A-ZÆØÅ]{2,3})\)")
# Indstilling wording that tells an item's kind when the title does not:
# "at planen godkendes", "anbefaler Byrådet at vedtage" / "drøfter og kommer med input" /
# "at orienteringen tages til efterretning"
KIND_APPROVE = re.compile(r"\bgodkend|\bvedtag|\banbefal|\bbevilge|\btiltræd|\bbeslutter\b", re.I)
KIND_DISCUSS = re.compile(r"\bdrøft", re.I)
KIND_NOTE = re.compile(r"\btil\s+efterretning|\borientering", re.I)
# Title openings that tell an item's kind: "Orientering om …", "Godkendelse af dagsorden"
KIND_TITLE = re.compile(
    r"^(?P<orientation>orientering|meddelelse|gensidig orientering|information|status)"
    r"|^(?P<decision>godkendelse|beslutning|vedtagelse|bevilling|frigivelse)"
    r"|^(?P<discussion>drøftelse|temadrøftelse|debat)",
    re.I,
)
# "https://dagsordener.greve.dk/Vis/Pdf/bilag/…": the portal's host in the links it serves
PORTAL_LINK = re.compile(r"https?://(?P<host>[a-z0-9.-]+\.[a-z]{2,})(?=[/:?#]|$)", re.I)
_INDSTILLING = ("indstilling", "beslutningspunkter", "indstillinger", "supplerende indstilling")


@dataclass
class ShapeItem:
    """One agenda item as the portal structures it."""

    number: int
    title: str
    case_number: str | None
    attachments: list[str]
    absent: list[str]  # structured absentees of this item
    html: str  # the item's minutes (all its HTML fields)


@dataclass
class Shape:
    """A meeting as the portal structures it, before any wording is read."""

    committee: str | None
    date: str | None
    start_time: str | None
    location: str | None
    name: str | None  # "Dagsorden", "Referat", "Tillægsdagsorden", …
    supplementary: bool
    participants: list[str]
    absent: list[str]  # absent or cancelled for the whole meeting
    items: list[ShapeItem] = field(default_factory=list)
    finished: bool = False  # the portal marks the meeting held (its minutes are out)
    # the document says it is the agenda only (a portal page titled "Dagsorden …"): what it
    # prints under "Beslutning" is a proposal, not this meeting's decision
    agenda_only: bool = False
    portal: str | None = None  # the host that serves the meeting, from its links


def split_committee(name: str | None) -> tuple[str | None, str | None]:
    """("Byråd 2022-2025") → ("Byråd", "2022-2025"); a name without period stays whole."""
    if not name:
        return None, None
    name = LEADING_MARKS.sub("", fold_space(name)) or fold_space(name)
    m = COMMITTEE_PERIOD.match(name)
    if not m:
        return name, None
    period = PERIOD_DASH.sub("-", m["period"])
    return m["name"].rstrip(" ,("), period


def local_date_time(value: Any) -> tuple[str | None, str | None]:
    """An API timestamp as the local date and start time printed on the agenda.

    "2023-01-10T16:00:00+01:00" carries its local offset; a UTC stamp ("…Z", "+00:00") is
    converted to Danish time, and one without zone is taken as local.
    """
    if not isinstance(value, str) or not value.strip():
        return None, None
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, None
    offset = stamp.utcoffset()
    if offset is not None and offset == dt.timedelta(0):
        try:
            from zoneinfo import ZoneInfo

            stamp = stamp.astimezone(ZoneInfo("Europe/Copenhagen"))
        except Exception:  # no time-zone database: keep UTC rather than fail the meeting
            pass
    time = stamp.strftime("%H:%M")
    return stamp.date().isoformat(), (None if time == "00:00" and "T" not in value else time)


def _text(value: Any) -> str | None:
    return fold_space(value) or None if isinstance(value, str) else None


def _names(entries: Any, *flags: str) -> list[str]:
    """Names of the participants with any of ``flags`` true (all when none given), once each."""
    out: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not (name := _text(entry.get("Name"))):
            continue
        if (not flags or any(entry.get(flag) is True for flag in flags)) and name not in out:
            out.append(name)
    return out


def _item_absent(attendees: Any) -> list[str]:
    """The item's attendee records that say someone was away from it ("Reason": "Fraværende").

    A record without a reason counts when its attendance type is the one the portal gives
    absentees; a reason that names no absence ("Deltager") does not make anyone absent.
    """
    out: list[str] = []
    for entry in attendees if isinstance(attendees, list) else []:
        if not isinstance(entry, dict) or not (name := _text(entry.get("Name"))):
            continue
        reason = _text(entry.get("Reason"))
        away = ABSENCE_REASON.search(reason) if reason else entry.get("AttendanceType") == 2
        if away and name not in out:
            out.append(name)
    return out


def _item_number(entry: dict[str, Any], index: int) -> int:
    for key in ("Punktnummer", "Number", "Sorting"):
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and (m := ITEM_NUMBER.search(value)):
            return int(m.group())
    return index


def _field_html(field_: dict[str, Any]) -> str:
    """A field's HTML; a named field ("Navn": "Beslutning") whose HTML has no heading of its
    own gets its name as one, so that sections read alike however a portal splits them."""
    html = field_.get("Html") if isinstance(field_.get("Html"), str) else ""
    name = _text(field_.get("Navn"))
    if name and html and not HEADING_START.match(html):
        from html import escape

        return f"<h3>{escape(name)}</h3>{html}"
    return html


def _portal_host(felter: list[Any]) -> str | None:
    for f in felter:
        link = f.get("Link") if isinstance(f, dict) else None
        if isinstance(link, str) and (m := PORTAL_LINK.match(link.strip())):
            return m["host"].lower()
    return None


def municipality_of_host(host: str | None) -> MunicipalityEntry | None:
    """The municipality a portal host names: "dagsordener.greve.dk" → Greve,
    "dagsordener.koege.dk" → Køge (the project's host table and the usual site names)."""
    if not host or not host.endswith(".dk"):
        return None
    return recognise(f"https://{host}/")


def shape_of_json(data: dict[str, Any]) -> Shape:
    """The structure of an API meeting (``GET /api/agenda/dagsorden/<id>``)."""
    moede = data.get("Moede") if isinstance(data.get("Moede"), dict) else {}
    udvalg = data.get("Udvalg") if isinstance(data.get("Udvalg"), dict) else {}
    date, time = local_date_time(moede.get("Dato"))
    if date is None:
        date, time = local_date_time(moede.get("MeetingBeginUtc"))
    name = _text(moede.get("Navn"))
    supplementary = bool(
        data.get("TillaegsDagsorden")
        or moede.get("IsSupplementaryAgenda")
        or (name and SUPPLEMENTARY.search(name))
    )
    people = moede.get("Moededeltagere")
    shape = Shape(
        committee=_text(udvalg.get("Navn")),
        date=date,
        start_time=time,
        location=_text(moede.get("Sted")),
        name=name,
        supplementary=supplementary,
        participants=_names(people),
        absent=_names(people, "Absent", "ParticipationCancelled"),
        finished=moede.get("Afsluttet") is True,
    )
    for index, entry in enumerate(data.get("Dagsordenpunkter") or [], start=1):
        if not isinstance(entry, dict):
            continue
        felter = entry.get("Felter") if isinstance(entry.get("Felter"), list) else []
        html = "\n".join(_field_html(f) for f in felter if isinstance(f, dict))
        if shape.portal is None:
            shape.portal = _portal_host(felter)
        bilag = entry.get("Bilag") if isinstance(entry.get("Bilag"), list) else []
        attachments: list[str] = []
        for b in bilag:
            if isinstance(b, dict) and (n := _text(b.get("Navn"))) and n not in attachments:
                attachments.append(n)
        shape.items.append(
            ShapeItem(
                number=_item_number(entry, index),
                title=_text(entry.get("Navn")) or _text(entry.get("Caption")) or "",
                case_number=_text(entry.get("SagsNummer")) or _text(entry.get("CaseNumber")),
                attachments=attachments,
                absent=_item_absent(entry.get("ExternalAgendaItemAttendees")),
                html=html,
            )
        )
    return shape


# ----- the record ------------------------------------------------------------------------


def _absence_lines(lines: list[str]) -> list[str]:
    return [f"Afbud: {m['names']}" if (m := ABSENCE_FROM.match(x)) else x for x in lines]


def _decision(body: str | None, date: str | None, lines: list[str]) -> Decision | None:
    absent, kept = absences_of(_absence_lines(lines))
    text = fold_space(" ".join(kept))
    if not any(ch.isalpha() for ch in text):  # "", ".", or only "Fraværende: …": no decision
        return None
    # The wording is read with its paragraphs apart: a vote's names never run on from the
    # paragraph before ("1. Godkendt" / "Ib Holm (F) stemte imod").
    printed = "\n".join(fold_space(line) for line in kept)
    return read_steps(
        Decision(
            body=body,
            date=date,
            outcome=outcome_of(printed),
            text=text,
            absent=absent,
            votes=votes_of(printed),
        )
    )


def _item_kind(title: str, blocks: list[Block]) -> str | None:
    """decision | orientation | discussion from the title's first words, else the Indstilling."""
    if m := KIND_TITLE.match(title):
        return next(kind for kind, hit in m.groupdict().items() if hit)
    wording = " ".join(
        line for b in blocks if (b.heading or "").lower() in _INDSTILLING for line in b.lines
    )
    if KIND_APPROVE.search(wording):
        return "decision"
    if KIND_DISCUSS.search(wording):
        return "discussion"
    if KIND_NOTE.search(wording):
        return "orientation"
    return None


def _preface_decision(
    lines: list[str], title: str, committee: str | None, shape: Shape
) -> Decision | None:
    """The decision some templates print first without a heading (a closed item's only text,
    or the title repeated and then the decision).  Taken only when the meeting was held: an
    agenda prints the case, not a decision, up there."""
    if not shape.finished:
        return None
    kept = [line for line in lines if fold_space(line) != fold_space(title)]
    return _decision(committee, shape.date, kept) if kept else None


def _local_lists(people: list[Person], text: str) -> None:
    """A local list's code printed after a person ("Liselott Blixt (UP)") is their party.

    The shared finder knows the national parties; a code it does not know is taken here only
    for someone it already found to be a person, so an organisation's abbreviation after its
    name ("Kommunernes Landsforening (KL)") makes no one a member of anything.
    """
    for person in people:
        if person.party is not None:
            continue
        at = text.find(person.name)
        while at != -1:
            if m := LOCAL_LIST.match(text, at + len(person.name)):
                person.party = m["code"]
                break
            at = text.find(person.name, at + 1)


def _merge_references(found: list[Reference], pointers: list[Reference]) -> list[Reference]:
    """The text's references, then the history's item pointers that the text did not hold."""
    seen = {(r.date, r.item_number) for r in found}
    return found + [p for p in pointers if (p.date, p.item_number) not in seen]


@dataclass
class _Built:
    item: Item
    text: str


def _item(
    raw: ShapeItem, shape: Shape, committee: str | None, offset: int, muni: str | None
) -> _Built:
    closed = bool(CLOSED_TITLE.match(raw.title))
    title = CLOSED_TITLE.sub("", raw.title) if closed else raw.title
    blocks = blocks_of(raw.html) if raw.html else []
    lines = [f"{raw.number}. {raw.title}"]
    if raw.case_number:
        lines.append(f"Sagsnummer: {raw.case_number}")
    if raw.absent:
        lines.append("Fraværende: " + ", ".join(raw.absent))
    decisions: list[Decision] = []
    pointers: list[Reference] = []
    own: Decision | None = None
    for block in blocks:
        if block.heading:
            lines.append(block.heading)
        lines += block.lines
        if is_decision_heading(block.heading) and own is None and not shape.agenda_only:
            own = _decision(committee, shape.date, block.lines)
        elif is_history(block.heading):
            for entry in treatments(block.lines):
                if d := _decision(entry.body, entry.date, entry.lines):
                    decisions.append(d)
                if entry.item_number is not None and entry.date:  # "Punktnummer: 4"
                    pointers.append(Reference(entry.body, entry.date, entry.item_number))
    if own is None and blocks and blocks[0].heading is None and not shape.agenda_only:
        own = _preface_decision(blocks[0].lines, raw.title, committee, shape)
    if own is not None:
        for name in [*raw.absent, *shape.absent]:  # structured absences hold for this meeting
            if name not in own.absent:
                own.absent.append(name)
        decisions = [d for d in decisions if (d.body, d.date) != (own.body, own.date)]
        decisions.append(own)
    decisions.sort(key=lambda d: d.date or "9999")  # stable: printed order within a date
    if raw.attachments:
        lines += ["Bilag", *raw.attachments]
    text = "\n".join(lines)
    entities = extract_entities(text, committee=committee, municipality=muni)
    _local_lists(entities.people, text)
    item = Item(
        number=raw.number,
        title=title,
        kind=_item_kind(title, blocks),
        case_number=raw.case_number,
        open=not closed,
        decisions=decisions,
        people=entities.people,
        organizations=entities.organizations,
        laws=entities.laws,
        projects=entities.projects,
        references=_merge_references(references_of(text, meeting_date=shape.date), pointers),
        attachments=list(raw.attachments),
        span=(offset, offset + len(text)),
        sections=[
            Section(b.heading, fold_space(" ".join(b.lines)))
            for b in blocks
            if b.heading and b.lines
        ],
    )
    return _Built(item, text)


def meeting_header(shape: Shape) -> str:
    """The lines that open the meeting's text: who met, when, where, who was away."""
    lines = [x for x in (shape.committee, shape.name) if x]
    when = " ".join(x for x in (shape.date, shape.start_time) if x)
    if when:
        lines.append(f"Dato: {when}")
    if shape.location:
        lines.append(f"Sted: {shape.location}")
    if shape.participants:
        lines.append("Deltagere: " + ", ".join(shape.participants))
    if shape.absent:
        lines.append("Fraværende: " + ", ".join(shape.absent))
    return "\n".join(lines)


def build_record(
    shape: Shape,
    *,
    path: str,
    sha256: str,
    fmt: str,
    layout: str,
    municipality: MunicipalityEntry | None = None,
) -> Record:
    """The record of a meeting's structure; ``municipality`` from the portal or the user."""
    committee, period = split_committee(shape.committee)
    header = meeting_header(shape)
    # The municipality is named in the items' text, not in the structure: read it first from
    # a cheap text of titles and minutes so that entity extraction can leave it out.
    if municipality is None:
        municipality = municipality_of_host(shape.portal)
    if municipality is None:
        sample = header + "\n" + "\n".join(f"{i.title}\n{i.html[:20_000]}" for i in shape.items)
        municipality = recognise(MARKUP_TAG.sub(" ", sample), path)
    muni = Municipality(municipality.name, municipality.code) if municipality else Municipality()
    offset = len(header) + 2
    items: list[Item] = []
    for raw in shape.items:
        built = _item(raw, shape, committee, offset, muni.name)
        items.append(built.item)
        offset += len(built.text) + 2
    kind = "referat" if (shape.name and "referat" in shape.name.lower()) else None
    if kind is None:
        own = any(d.date == shape.date and d.body == committee for i in items for d in i.decisions)
        kind = "referat" if own else "dagsorden"
    record = Record(
        source=Source(path=path, sha256=sha256, format=fmt, layout=layout),
        municipality=muni,
        meeting=Meeting(
            committee=committee,
            period=period,
            date=shape.date,
            start_time=shape.start_time,
            location=shape.location,
            kind=kind,
            supplementary=shape.supplementary,
        ),
        items=items,
    )
    from kommunegraf.extract.entities.resolve import resolve_record

    resolve_record(record)
    return record


def meeting_text(shape: Shape) -> str:
    """The plain text that the record's spans point into (header, then items by blank lines)."""
    committee, _ = split_committee(shape.committee)
    parts = [meeting_header(shape)]
    parts += [_item(raw, shape, committee, 0, None).text for raw in shape.items]
    return "\n\n".join(parts)


def extract_meeting(
    data: dict[str, Any],
    *,
    path: str = "<json>",
    sha256: str | None = None,
    municipality: MunicipalityEntry | None = None,
) -> Record:
    """The record of a FirstAgenda API meeting (already parsed JSON)."""
    if sha256 is None:
        import json

        sha256 = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return build_record(
        shape_of_json(data),
        path=path,
        sha256=sha256,
        fmt="json",
        layout="firstagenda-json",
        municipality=municipality,
    )


def municipality_of(sidecar: dict[str, Any] | None) -> MunicipalityEntry | None:
    """The municipality ``fetch`` recorded for a meeting (kommunekode first, then name)."""
    if not sidecar:
        return None
    for key in ("kommunekode", "municipality"):
        value = sidecar.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            entry = lookup(str(value).strip())
            if entry:
                return entry
    return None
