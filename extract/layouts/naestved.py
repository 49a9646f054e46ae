"""The "naestved" layout: `Punkt N: Title`, a KLE number alone on a line, and decisions dated
per body under `Beslutning` (`<Udvalg>, 15.05.2018`), one block per treatment."""

from __future__ import annotations

import regex as re

from extract.layouts.engine import Line

NAME = "naestved"
STYLE = "punkt"

# "Beskæftigelses- og Uddannelsesudvalget, 15.05.2018" alone on a line
DATED_BODY_LINE = re.compile(r"^[\p{Lu}][^,]{2,120},\s*[0-3]?\d\.[01]?\d\.(?:19|20)\d\d$")


def detect(lines: list[Line], items: int) -> float:
    """Sure when items are `Punkt N:` headers and decisions carry a `<Body>, DD.MM.YYYY` line."""
    if items == 0:
        return 0.0
    texts = [line.text for line in lines]
    dated = len(
        [
            i
            for i, t in enumerate(texts[:-1])
            # only B and b lower-case to "b"; lower() keeps the length of "Beslutning"
            if t[:1] in "bB"
            and len(t) == 10
            and t.lower() == "beslutning"
            and DATED_BODY_LINE.match(texts[i + 1])
        ]
    )
    return 0.9 if dated >= max(1, items // 3) else 0.0
