"""The timeline layout: a case or a thread read left to right, one column per meeting date.

A force layout of a case draws its meetings wherever the physics leaves them; a reader asks
"what happened, and when".  So the meetings stand in a row by date, each with its agenda
items and their decisions under it, the case above, and what the items name (people,
organisations, laws, projects) in rows below, each under the items that name it.  Items
referred to but not ingested take the column of their meeting's date too.

Positions are computed here, once, so the page draws them as they are (physics off) and the
same store always gives the same picture.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from kommunegraf.graph.answers.viz_model import VizGraph, VizNode

LAYOUTS = ("auto", "timeline", "network")
COLUMN = 340  # pixels between two meeting dates: room for a 40-character label
ROW = 90  # pixels between two entries of a column
ENTITY_GAP = 190  # the least horizontal distance between two nodes of one entity row
STAGGER = 34  # every other node of an entity row a little lower, so labels do not collide
# The rows under the timeline, top to bottom: what the items name, by kind
ENTITY_ROWS = (
    ("law",),
    ("person", "party"),
    ("organisation", "committee", "municipality"),
    ("project",),
)


def lay_out_timeline(graph: VizGraph) -> bool:
    """Give every node of ``graph`` a position on the timeline; False (and nothing changed)
    when no meeting or item has a date to place."""
    by_id = {n.id: n for n in graph.nodes}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    dated = [n for n in graph.nodes if n.type in ("meeting", "item") and n.date]
    if not dated:
        return False
    columns = {day: i for i, day in enumerate(sorted({n.date for n in dated if n.date}))}
    bottom = _columns(graph.nodes, columns, neighbours, by_id)
    _above(graph.nodes, neighbours, by_id)
    _rows_below(graph.nodes, neighbours, by_id, bottom + 2 * ROW)
    for n in graph.nodes:  # whole pixels, as the page keeps them
        n.x, n.y = round(n.x or 0), round(n.y or 0)
    return True


def _columns(
    nodes: list[VizNode],
    columns: dict[str, int],
    neighbours: dict[str, set[str]],
    by_id: dict[str, VizNode],
) -> float:
    """Meetings in a row by date; under each, its items and under each item its decisions.
    Returns the lowest y used."""
    stacks: dict[int, list[VizNode]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (n.type != "meeting", n.label, n.id)):
        if n.type in ("meeting", "item") and n.date in columns:
            stacks[columns[n.date]].append(n)
    bottom = 0.0
    for column, stack in stacks.items():
        # items without their meeting (not ingested) still stand in the items' row
        x, y = column * COLUMN, 0.0 if stack[0].type == "meeting" else float(ROW)
        for n in stack:
            n.x, n.y = x, y
            y += ROW
            if n.type != "item":
                continue
            for other in sorted(neighbours[n.id]):
                d = by_id[other]
                if d.type == "decision" and d.x is None:
                    d.x, d.y = x + COLUMN / 6, y
                    y += ROW
        bottom = max(bottom, y)
    return bottom


def _above(
    nodes: list[VizNode], neighbours: dict[str, set[str]], by_id: dict[str, VizNode]
) -> None:
    """Cases (and any decision left over) above the row of meetings, over their items."""
    cases = [n for n in nodes if n.x is None and n.type in ("case", "decision")]
    for row, kind in enumerate(("case", "decision"), start=1):
        ones = [n for n in cases if n.type == kind]
        _spread(ones, neighbours, by_id, -2 * ROW * row)


def _rows_below(
    nodes: list[VizNode],
    neighbours: dict[str, set[str]],
    by_id: dict[str, VizNode],
    top: float,
) -> None:
    """What the items name, a row per kind, each node under the items it is linked to."""
    y = top
    for kinds in ENTITY_ROWS:
        ones = [n for n in nodes if n.x is None and n.type in kinds]
        if ones:
            _spread(ones, neighbours, by_id, y)
            y += 3 * ROW
    rest = [n for n in nodes if n.x is None]
    if rest:
        _spread(rest, neighbours, by_id, y)


def _spread(
    ones: list[VizNode], neighbours: dict[str, set[str]], by_id: dict[str, VizNode], y: float
) -> None:
    """One row: each node at the mean x of its placed neighbours (the row's left end when it
    has none), then pushed right until it keeps ENTITY_GAP from the one before."""

    def wanted(n: VizNode) -> float:
        xs = [by_id[o].x for o in neighbours[n.id] if by_id[o].x is not None]
        return fmean(x for x in xs if x is not None) if xs else 0.0

    order = sorted(ones, key=lambda n: (wanted(n), n.label, n.id))
    last: float | None = None
    for k, n in enumerate(order):
        x = wanted(n)
        if last is not None:
            x = max(x, last + ENTITY_GAP)
        n.x, n.y = x, y + (STAGGER if k % 2 else 0)
        last = x
