"""Item headers: the lines that start agenda items, for each header style.

A candidate line must match its style's shape (extract/layouts/catalogue.py), number the
items in order and be followed by an item's body (a case number, a section, a decision);
``find_all_item_headers`` finds them for several styles in one pass over the lines.
"""

from __future__ import annotations

import regex as re

from kommunegraf.extract.layouts.catalogue import HEADERS, HeaderShape
from kommunegraf.extract.layouts.headings import (
    DECISION_IN_LINE_CHECKED,
    INLINE_SECTION_CHECKED,
    LIST_LINE,
    is_toc_entry,
    may_be_heading,
    section_heading,
)
from kommunegraf.extract.layouts.lines import Line, has_cue, split_lines
from kommunegraf.extract.limits import MAX_ITEMS, check_items
from kommunegraf.extract.patterns import (
    CASE_LABEL_AT_START,
    CLOSED_LINE_CHECKED,
    KLE_CASE_AT_START,
    OPEN_LINE_CHECKED,
)
from kommunegraf.extract.text.pattern import Pattern, first_in

HeaderMatches = list[tuple[int, re.Match[str]]]
_DIGITS = "0123456789"


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
        if (
            KLE_CASE_AT_START(text)
            or CASE_LABEL_AT_START(text)
            or CLOSED_LINE_CHECKED(text)
            or OPEN_LINE_CHECKED(text)
        ):
            return 2
        if best == 0 and (
            (may_be_heading(text) and section_heading(text))
            or (
                has_cue(line, DECISION_IN_LINE_CHECKED.cue, folded)
                and DECISION_IN_LINE_CHECKED.unchecked(text)
            )
            or INLINE_SECTION_CHECKED(text)
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
        if strength < 2 and CLOSED_TITLE_PREFIX_CHECKED(m["title"]):
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


# "Lukket punkt: Personalesag", "Lukket: Klagesag", "LUKKET SAG - Ejendomshandel": a closed
# item's title, whose body the published minutes leave out
CLOSED_TITLE_PREFIX = re.compile(r"^lukket(?:\s+(?:punkt|sag|møde))?\s*[:\-–]\s*(?=\S)", re.I)
CLOSED_TITLE_PREFIX_CHECKED = Pattern(
    "CLOSED_TITLE_PREFIX_CHECKED",
    CLOSED_TITLE_PREFIX,
    first_in("lL"),
    examples=("Lukket punkt: Personalesag", "LUKKET SAG - Ejendomshandel", "lukket:x"),
)


def count_headers(text: str, style: str) -> int:
    """How many items a style finds: the basis of every layout's confidence."""
    return len(find_item_headers(split_lines(text), style))
