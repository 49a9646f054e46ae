"""The "randers" layout: `Punkt N: Title`, a KLE number line, and an undated `Beslutning`
(the meeting's own), with earlier bodies' decisions printed as `<Udvalg>, 30. november 2017,
pkt. 248:` inside the item."""

from __future__ import annotations

import regex as re

from extract.layouts.engine import Line
from extract.patterns import KLE_CASE

NAME = "randers"
STYLE = "punkt"

# "Miljø- og teknikudvalget, 30. november 2017, pkt. 248:"
EARLIER_BODY_HEADER = re.compile(r"^[\p{Lu}][^,]{2,120},\s*\d{1,2}\.\s*\p{L}+\.?\s+\d{4},\s*pkt\.")


def detect(lines: list[Line], items: int) -> float:
    """Sure when items carry KLE numbers and `Beslutning` is followed directly by its text."""
    if items == 0:
        return 0.0
    texts = [line.text for line in lines]
    kle = sum(1 for t in texts if KLE_CASE.fullmatch(t))
    bare = sum(
        1
        for i, t in enumerate(texts[:-1])
        if t.lower() == "beslutning" and not re.search(r",\s*[\d.]+\d{4}$", texts[i + 1])
    )
    earlier = any(EARLIER_BODY_HEADER.match(t) for t in texts)
    if kle >= items * 0.5 and bare >= items * 0.5:
        return 0.85 if earlier else 0.8
    return 0.0
