"""Minutes → records: the extraction pipeline behind ``kommunegraf.extract``'s entry points.

``extract_text`` is pure (text in, record out); ``extract_path`` adds the one piece of I/O,
reading and decoding the file.  It lives in its own module, not in the package's
``__init__``, so that importing a light module of the package (the text core, the
municipality table) does not import every extractor.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import regex as re

from kommunegraf.errors import UsageError
from kommunegraf.extract.absences import absences_of, split_names
from kommunegraf.extract.decisions import (
    DECISION_HEADER_DATED_CHECKED,
    body_base,
    parse_decisions,
    references_of,
)
from kommunegraf.extract.entities import extract_entities
from kommunegraf.extract.layouts import Explanation, choose
from kommunegraf.extract.layouts.engine import RawItem, Segmented
from kommunegraf.extract.layouts.meeting import ATTENDANCE_ROW
from kommunegraf.extract.layouts.meeting_fields import ranged_absences
from kommunegraf.extract.layouts.profiles import Profile
from kommunegraf.extract.municipalities import lookup, recognise
from kommunegraf.extract.records import Item, Meeting, Municipality, Record, Section, Source
from kommunegraf.extract.text.dates import find_dates
from kommunegraf.extract.text.fold import fold_space

__all__ = ["extract_path", "extract_text"]

# Title openings that tell an item's kind when no (B)/(O)/(D) mark is printed.
_KIND_BY_TITLE = (
    ("orientation", ("orientering", "meddelelse", "gensidig orientering", "information", "status")),
    ("decision", ("godkendelse", "beslutning", "vedtagelse", "bevilling", "frigivelse")),
    ("discussion", ("drøftelse", "temadrøftelse", "debat")),
)
# "330-2019-": an archive number broken over two lines
_ARCHIVE_NUMBER_START = re.compile(r"\d[\d/]*-(?:\d+-)*")
_MARKS = {"B": "decision", "O": "orientation", "D": "discussion"}
# Item titles that say the item records who is absent ("Fraværende", "Afbud og fravær")
_ABSENCE_TITLES = ("fraværende", "afbud", "fravær")


def _item_kind(raw: RawItem) -> str | None:
    if raw.kind_mark:
        return _MARKS.get(raw.kind_mark)
    lowered = raw.title.lower()
    for kind, openings in _KIND_BY_TITLE:
        if lowered.startswith(openings):
            return kind
    return None


def _attachments(raw: RawItem) -> list[str]:
    out: list[str] = []
    for section in raw.sections:
        if section.heading.lower() not in ("bilag", "bilagsliste"):
            continue
        carried = ""
        for line in section.lines:
            if _ARCHIVE_NUMBER_START.fullmatch(line.text):  # "330-2019-" wrapped before its end
                carried = line.text
                continue
            name = fold_space((carried + line.text).lstrip("-•*· "))
            carried = ""
            # "330-2019-326003 Bilag_Ankestyrelsens …": the archive number is not the name
            parts = name.split(" ", 1)
            if len(parts) == 2 and "-" in parts[0] and parts[0].replace("-", "").isdigit():
                name = parts[1]
            if name and name not in out and not name.lower().startswith(("ingen bilag", "ingen")):
                out.append(name)
    return out


def _build_item(
    raw: RawItem,
    segmented: Segmented,
    text: str,
    municipality: str | None,
    meeting_absent: list[str],
) -> Item:
    meeting = segmented.meeting
    folded = segmented.folded
    decisions = parse_decisions(
        raw.lines,
        committee=meeting.committee,
        meeting_date=meeting.date,
        folded=folded,
        aliases=segmented.decision_aliases,
    )
    roll_call = raw.title.lower().startswith(_ABSENCE_TITLES)
    for decision in decisions:  # "Afbud: …" in the meeting header holds for its own decisions
        if decision.date == meeting.date and decision.body == meeting.committee:
            decision.absent += [n for n in meeting_absent if n not in decision.absent]
        if roll_call:  # item "Fraværende": its decision is the list of the absent
            decision.absent += [n for n in split_names(decision.text) if n not in decision.absent]
    item_text = text[raw.start : raw.end]
    entities = extract_entities(item_text, committee=meeting.committee, municipality=municipality)
    return Item(
        number=raw.number,
        title=raw.title,
        kind=_item_kind(raw),
        case_number=raw.case_number,
        document_number=raw.document_number,
        open=raw.open,
        decisions=decisions,
        people=entities.people,
        organizations=entities.organizations,
        laws=entities.laws,
        projects=entities.projects,
        references=references_of(
            item_text,
            meeting_date=meeting.date,
            folded=folded[raw.start : raw.end] if folded is not None else None,
        ),
        attachments=_attachments(raw),
        span=(raw.start, raw.end),
        sections=[
            Section(s.heading, fold_space(" ".join([line.text for line in s.lines])))
            for s in raw.sections
        ],
    )


def extract_text(
    text: str,
    *,
    path: str = "<text>",
    sha256: str | None = None,
    fmt: str = "text",
    municipality: str | None = None,
    profile: Profile | None = None,
    explain: Explanation | None = None,
) -> Record:
    """The record of one document's (already normalised) text.

    ``profile`` reads it with one publishing profile (a user's ``--profile``) instead of the
    best of the bundled ones; ``explain`` is filled with why it was read so.
    """
    layout, segmented = choose(text, profile, explain)
    entry = lookup(municipality) if municipality else recognise(text, path)
    if municipality and entry is None:
        raise UsageError(f"unknown municipality {municipality!r} (give a name or kommunekode)")
    muni = Municipality(entry.name, entry.code) if entry else Municipality()
    m = segmented.meeting
    kind = m.kind
    header_texts = [line.text[:2_000] for line in m.header_lines[:80]]
    ranged = ranged_absences(header_texts)
    ranged_names = {name for name, _, _ in ranged}
    meeting_absent, _ = absences_of(header_texts)
    meeting_absent = [n for n in meeting_absent if n not in ranged_names]
    meeting_absent += [
        fold_space(row["name"])
        for line in m.header_lines[:80]
        if "\t" in line.text  # a table row: cells apart by tabs
        and (row := ATTENDANCE_ROW.match(line.text[:2_000]))
        and fold_space(row["name"]) not in meeting_absent
    ]
    if m.committee is None or m.date is None:
        _meeting_from_decisions(segmented)
    items = [
        _build_item(
            raw,
            segmented,
            text,
            muni.name,
            meeting_absent + [n for n, a, b in ranged if a <= raw.number <= b],
        )
        for raw in segmented.items
    ]
    if _cut_off(text, items):
        items.pop()
    if kind is None:
        kind = "referat" if any(item.decisions for item in items) else "dagsorden"
    record = Record(
        source=Source(
            path=path,
            sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
            format=fmt,
            layout=layout,
        ),
        municipality=muni,
        meeting=Meeting(
            committee=m.committee,
            period=m.period,
            date=m.date,
            start_time=m.start_time,
            location=m.location,
            kind=kind,
        ),
        items=items,
    )
    # The member list stands at the top; a bounded slice keeps a huge header (one 20 MB line)
    # from costing minutes.
    header = text[: segmented.items[0].start] if items else text
    _parties_from_member_list(record, header[:20_000])
    _resolve(record)
    return record


# A text cut off mid-sentence: its last line is prose of this length or more with no end mark
CUT_OFF_LINE = 60


def _cut_off(text: str, items: list[Item]) -> bool:
    """Whether the last item is incomplete because the text was cut off inside it (an excerpt).

    The text must end inside prose (a long last line with no closing punctuation), the
    minutes must carry decisions elsewhere, and the last item's decision must be missing or
    be the very text that was cut: then it is no record of a decision.  A last item whose
    decision came before a cut later section (decisions printed before the case text) stays.
    """
    if len(items) < 2 or not any(item.decisions for item in items[:-1]):
        return False
    tail = text.rstrip()
    last_line = tail[tail.rfind("\n") + 1 :].strip()
    if len(last_line) < CUT_OFF_LINE or not last_line[-1:].isalpha():
        return False
    last = items[-1]
    if not last.decisions:
        return True
    cut = fold_space(last_line)
    return last.decisions[-1].text.endswith(cut[-40:])


def _meeting_from_decisions(segmented: Segmented) -> None:
    """A page with no meeting heading: the committee and date its own decision headers print
    ("Beslutning i Kommunalbestyrelsen den 17-01-2018"), the most frequent pair."""
    pairs: dict[tuple[str, str], int] = {}
    for raw in segmented.items:
        for line in raw.lines[:200]:
            text = line.text
            if (h := DECISION_HEADER_DATED_CHECKED(text)) and h["body"]:
                found = find_dates(h["date"])
                if found:
                    key = (body_base(h["body"]), found[0][2])
                    pairs[key] = pairs.get(key, 0) + 1
    if pairs:
        (body, date), _ = max(pairs.items(), key=lambda kv: kv[1])
        meeting = segmented.meeting
        meeting.committee = meeting.committee or body
        meeting.date = meeting.date or date


def _parties_from_member_list(record: Record, header: str) -> None:
    """A member list before the items ("Tilstede: Ida Holm (A), …") ties parties to names."""
    from kommunegraf.extract.entities.people import find_people

    parties = {p.name: p.party for p in find_people(header) if p.party}
    if not parties:
        return
    for item in record.items:
        for person in item.people:
            if person.party is None and person.name in parties:
                person.party = parties[person.name]


def _resolve(record: Record) -> None:
    try:
        from kommunegraf.extract.entities.resolve import resolve_record
    except ImportError:  # the resolver arrives with the entities work
        return
    resolve_record(record)


def extract_path(
    path: str | os.PathLike[str],
    *,
    municipality: str | None = None,
    ocr: bool | None = None,
    on_page: Callable[[int, int], None] | None = None,
    profile: Profile | None = None,
    explain: Explanation | None = None,
) -> Record:
    """Read, decode and extract one file; raises ``LoadError`` naming the file if unreadable.

    The file is read once: its sha256 (the document's identity) is of the bytes decoded.
    A scanned PDF is read by OCR (``ocr``: True always, None when it has no text layer,
    False never; ``on_page(page, pages)`` after each page, for a progress line).
    A FirstAgenda meeting (JSON, or the portal's page saved as HTML) is recognised by its
    content and read by its structure; everything else goes the text way.  The municipality
    comes from ``municipality``, else from the sidecar ``fetch`` wrote, else from the text.
    """
    from kommunegraf.extract.load import load_bytes, read_path, read_sidecar

    p = Path(path)
    data = read_path(p)
    loaded = load_bytes(data, os.fspath(p), ocr=ocr, on_page=on_page)
    sha256 = hashlib.sha256(data).hexdigest()
    if loaded.format == "json" or (
        loaded.format == "html" and isinstance(loaded.data, str) and _is_portal_page(loaded.data)
    ):
        given = None
        if municipality:
            given = lookup(municipality)
            if given is None:
                raise UsageError(
                    f"unknown municipality {municipality!r} (give a name or kommunekode)"
                )
        else:
            from kommunegraf.extract.firstagenda import municipality_of

            given = municipality_of(read_sidecar(p))
        if loaded.format == "json":
            from kommunegraf.extract.firstagenda import extract_meeting

            return extract_meeting(loaded.data, path=p.name, sha256=sha256, municipality=given)
        from kommunegraf.extract.firstagenda_html import extract_page

        return extract_page(loaded.data, path=p.name, sha256=sha256, municipality=given)
    return extract_text(
        loaded.text,
        path=p.name,
        sha256=sha256,
        fmt=loaded.format,
        municipality=municipality,
        profile=profile,
        explain=explain,
    )


def _is_portal_page(markup: str) -> bool:
    from kommunegraf.extract.firstagenda_html import is_portal_page

    return is_portal_page(markup)
