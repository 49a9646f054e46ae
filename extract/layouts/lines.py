"""A document's lines with their offsets, and the cheap cue search over them.

Every later step works on these lines: a ``Line`` keeps its character offsets in the source
text so that each record field can point back at what was printed (provenance spans).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import partial
from typing import NamedTuple

import regex as re

from kommunegraf.extract.text.pattern import Pattern, holds


class Line(NamedTuple):
    """A non-blank line: its stripped text and its character offsets in the source text.

    A named tuple rather than a frozen dataclass: every line of every document is one, and a
    tuple is several times cheaper to make.
    """

    text: str
    start: int
    end: int


# Line((text, start, end)) without the Python frame of the named tuple's __new__
new_line = partial(tuple.__new__, Line)


# "Læsø Kommune - Kommunalbestyrelsen - 25-04-2024 - Side 2 af 5", "Side 3": page furniture
PAGE_FURNITURE = re.compile(r"(?:^|\s[-–|]\s)Side\s+\d{1,4}(?:\s*(?:af|/)\s*\d{1,4})?$")

PAGE_FURNITURE_CHECKED = Pattern(
    "PAGE_FURNITURE_CHECKED",
    PAGE_FURNITURE,
    holds("Side"),
    how="search",
    examples=("Læsø Kommune - Kommunalbestyrelsen - 25-04-2024 - Side 2 af 5", "Side 3"),
)


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
        # the furniture pattern runs only on the few lines with its "Side"
        if stripped and not (len(stripped) < 160 and PAGE_FURNITURE_CHECKED(stripped)):
            # the line starts at its first non-blank character
            start = pos if raw[0] == stripped[0] else pos + raw.find(stripped[0])
            append(new_line((stripped, start, start + len(stripped))))
        pos += len(raw) + 1
    return out


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
