"""The generic layout: whatever no publishing system claims — `1. Title`, `Pkt. 3 Title` or
`Punkt 4: Title` items, any case-number label, capitalised section headings."""

from __future__ import annotations

from extract.layouts.engine import Line

NAME = "generic"
STYLES = ("punkt", "labelled", "numbered")


def detect(lines: list[Line], items: int) -> float:
    """Always a fallback: a little confidence so any other layout that is sure wins."""
    return 0.1
