"""Structural segmentation shared by every layout: lines, meeting header, items, sections.

A layout module only says which item-header style it expects and how sure it is that a text
is its own; the work of cutting a document into items and sections is the same everywhere
and lives here, so that a fix for one publishing system helps all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from kommunegraf.extract.layouts.catalogue import ARCHIVE_CASE_ALONE, ARCHIVE_CASE_ALONE_CHECKED
from kommunegraf.extract.layouts.headers import (
    CLOSED_TITLE_PREFIX_CHECKED,
    find_item_headers,
)
from kommunegraf.extract.layouts.headings import DECISION_IN_LINE, may_be_heading, section_heading
from kommunegraf.extract.layouts.lines import Line, cue_lines, new_line, split_lines
from kommunegraf.extract.layouts.meeting import RawMeeting, parse_meeting
from kommunegraf.extract.patterns import (
    CASE_LABEL_AT_START,
    CLOSED_LINE_CHECKED,
    DOC_LABEL_CHECKED,
    KIND_MARK_CHECKED,
    KLE_CASE,
    KLE_CASE_AT_START,
)
from kommunegraf.extract.text.fold import fold_ascii, fold_space
from kommunegraf.extract.text.pattern import Pattern


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


# " – ", "–": an en dash in a case number, printed as "-"
CASE_DASH = re.compile(r"\s?[–]\s?")
# "(lukket)", "( Lukket punkt )" at the end of an item title
CLOSED_TITLE_MARK = re.compile(r"\s*\(\s*lukket\s*(?:punkt)?\s*\)\s*$", re.I)


def _may_end_closed(title: str) -> bool:
    """Whether CLOSED_TITLE_MARK may match: the title ends with ")" or a blank."""
    return title.endswith(")") or title[-1:].isspace()


CLOSED_TITLE_MARK_CHECKED = Pattern(
    "CLOSED_TITLE_MARK_CHECKED",
    CLOSED_TITLE_MARK,
    _may_end_closed,
    how="search",
    examples=("Personalesag (lukket)", "Klage ( Lukket punkt ) ", "X(LUKKET)\n"),
)


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
    with_doc = cue_lines(lines[:14], DOC_LABEL_CHECKED.cue, folded)
    for index, line in enumerate(lines[:14]):
        text = line.text
        if case is None:
            if kle and (m := KLE_CASE_AT_START(text)):
                case = m.group(0)
            elif labelled and (m := CASE_LABEL_AT_START(text)):
                case = m["value"].strip()
            elif archive and (m := ARCHIVE_CASE_ALONE_CHECKED(text)):
                case = m["value"]
        if doc is None and index in with_doc and (m := DOC_LABEL_CHECKED.unchecked(text)):
            doc = m["value"].strip()
        if CLOSED_LINE_CHECKED(text):
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
        if not may_be_heading(text):  # a long line is no heading, nor a decision header
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
        if km := KIND_MARK_CHECKED(title):
            mark = km["mark"][0]
            title = title[: km.start()].strip()
        case, doc, is_open = _item_front(body, folded, options.case_shapes)
        if prefix := CLOSED_TITLE_PREFIX_CHECKED(title):
            is_open = False
            title = title[prefix.end() :]
        if CLOSED_TITLE_MARK_CHECKED(title):  # "(lukket)" ends a title
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
            return new_line((known + text[len(printed) :], line.start, line.end))
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
    return bool(
        (KLE_CASE_AT_START.may(text) and KLE_CASE.fullmatch(text))
        or ARCHIVE_CASE_ALONE_CHECKED(text)
        or CASE_LABEL_AT_START(text)
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
