"""Publishing layouts: each recognises its own documents from structure; the generic one takes
the rest.  ``choose`` picks the layout and the item-header style for a text."""

from __future__ import annotations

from extract.layouts import generic, naestved, randers, slagelse
from extract.layouts.engine import Segmented, find_all_item_headers, segment, split_lines
from extract.patterns import fold_ascii

SPECIFIC = (slagelse, naestved, randers)


def choose(text: str) -> tuple[str, Segmented]:
    """The best layout's name and the text segmented by it."""
    lines = split_lines(text)
    folded = fold_ascii(text)
    found = find_all_item_headers(lines, generic.STYLES, folded)
    counts = {style: len(headers) for style, headers in found.items()}
    best_name, best_score = generic.NAME, generic.detect(lines, 0)
    punkt_items = counts["punkt"]
    for layout in SPECIFIC:
        score = layout.detect(lines, punkt_items)
        if score > best_score:
            best_name, best_score = layout.NAME, score
    if best_name != generic.NAME:
        return best_name, segment(text, "punkt", lines, found["punkt"], folded)
    # Generic: the style that finds the most items; ties go to the most explicit style.
    style = max(generic.STYLES, key=lambda s: (counts[s], -generic.STYLES.index(s)))
    return generic.NAME, segment(text, style, lines, found[style], folded)
