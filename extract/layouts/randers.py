"""The "randers" layout: `Punkt N: Title`, a KLE number line, and an undated `Beslutning`
(the meeting's own), with earlier bodies' decisions printed as `<Udvalg>, 30. november 2017,
pkt. 248:` inside the item."""

from __future__ import annotations

import regex as re

from extract.layouts.engine import Line
from extract.patterns import KLE_CASE

NAME = "randers"
STYLE = "punkt"

# ", 15.05.2018" at the end of a line: a dated body after a "Beslutning" heading
DATED_LINE_END = re.compile(r",\s*[\d.]+\d{4}$")
# "Miljø- og teknikudvalget, 30. november 2017, pkt. 248:"
EARLIER_BODY_HEADER = re.compile(r"^[\p{Lu}][^,]{2,120},\s*\d{1,2}\.\s*\p{L}+\.?\s+\d{4},\s*pkt\.")


def detect(lines: list[Line], items: int) -> float:
    """Sure when items carry KLE numbers and `Beslutning` is followed directly by its text."""
    if items == 0:
        return 0.0
    texts = [line.text for line in lines]
    # a KLE number has its first dot third: a cheap test before the pattern
    kle = len([t for t in texts if t[2:3] == "." and KLE_CASE.fullmatch(t)])
    if kle < items * 0.5:
        return 0.0
    bare = len(
        [
            i
            for i, t in enumerate(texts[:-1])
            # only B and b lower-case to "b"; lower() keeps the length of "Beslutning"
            if t[:1] in "bB"
            and len(t) == 10
            and t.lower() == "beslutning"
            and not DATED_LINE_END.search(texts[i + 1])
        ]
    )
    if bare < items * 0.5:
        return 0.0
    earlier = any("pkt." in t and EARLIER_BODY_HEADER.match(t) for t in texts)
    return 0.85 if earlier else 0.8
