"""The "slagelse" layout: `Punkt N: Title (B)` repeated as `N. Title (B)`, `Sagsnr.:` and
`Dok.nr.:` lines, and decisions headed `Beslutning i <Udvalg> den 2. september 2019:`."""

from __future__ import annotations

import regex as re

from extract.layouts.engine import Line
from extract.patterns import CASE_LABEL, DOC_LABEL, case_label_may_start

NAME = "slagelse"
STYLE = "punkt"

# "Beslutning i Social- og Beskæftigelsesudvalget den 2. september 2019:"
DECISION_BY_BODY_HEADER = re.compile(r"^Beslutning i .{3,150} den .{5,40}:$")


def detect(lines: list[Line], items: int) -> float:
    """Sure when most items print a labelled case number and a dated `Beslutning i …` header."""
    if items == 0:
        return 0.0
    # Cheap necessary conditions first; the patterns run only on the lines that pass them.
    headed = len(
        [
            line
            for line in lines
            if line.text.startswith("Beslutning i ") and DECISION_BY_BODY_HEADER.match(line.text)
        ]
    )
    if headed < items * 0.5:
        return 0.0
    labelled = sum(
        1 for line in lines if case_label_may_start(line.text) and CASE_LABEL.match(line.text)
    )
    if labelled < items * 0.5:
        return 0.0
    documents = any("dok" in line.text.lower() and DOC_LABEL.search(line.text) for line in lines)
    return 0.95 if documents else 0.85
