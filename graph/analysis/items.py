"""Case threads: the connected components of the item graph.

A *thread* is a connected component of the item graph, whose nodes are agenda items and
whose edges are

- ``case``: the same case (a case IRI already belongs to one municipality), chained in date
  order;
- ``reference``: an explicit reference ("den 5. marts 2018 - sag 21") to an item that is
  known;
- ``postponement``: an item postponed at its meeting ("Udsat", "Sagen genoptages på næste
  møde") → the next treatment of the same case, or, for an item without a case number, the
  next item of the same committee with the same title once a "- udsat …" tail is dropped.

An item graph's edges never leave a municipality (cases are minted per municipality,
references resolve within it, postponements follow a case or a committee), so the threads
of one municipality are computed from its items alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from kommunegraf.graph.analysis.model import ItemNode, Thread, sort_key, title_key
from kommunegraf.graph.analysis.paths import attach_treatments
from kommunegraf.graph.rdf.iris import IriMinter
from kommunegraf.ontology.terms import DCTERMS, KG, ORG, RDF

if TYPE_CHECKING:
    import networkx as nx

    from kommunegraf.graph.analysis.sources import Source

POSTPONED = "postponed"


def load_items(source: Source, municipalities: set[str] | None = None) -> dict[str, ItemNode]:
    """Every agenda item the source holds, once each (an item in two documents is one node);
    only those of ``municipalities`` when given.

    Read as one scan per property and joined here: the equivalent SELECT with six OPTIONALs
    costs several times more on a national corpus.  Where documents disagree on a value,
    the smallest wins, so that reruns agree.  Each IRI is held once (the dicts map a string
    to its first copy): a national corpus has a hundred thousand items, and every pair read
    is a fresh copy of its strings.
    """
    kept = {item: item for item, _ in source.pairs(RDF.type, KG.AgendaItem)}
    shared: dict[str, str] = {}  # meetings, committees, municipalities, dates, cases

    def values(predicate: str, subjects: dict[str, str], share: bool = True) -> dict[str, str]:
        found: dict[str, str] = {}
        for subject, value in source.pairs(predicate):
            subject = subjects.get(subject)  # type: ignore[assignment]
            if subject is not None and (subject not in found or value < found[subject]):
                found[subject] = shared.setdefault(value, value) if share else value
        return found

    meeting_of = values(KG.meeting, kept)
    meetings = {meeting: meeting for meeting in meeting_of.values()}
    dates = values(KG.date, meetings)
    committees = values(KG.committee, meetings)
    municipality_of = values(ORG.subOrganizationOf, {c: c for c in committees.values()})
    numbers = values(KG.number, kept, share=False)
    cases = values(KG.case, kept)
    titles = values(DCTERMS.title, kept, share=False)
    items: dict[str, ItemNode] = {}
    for iri, meeting in meeting_of.items():
        committee = committees.get(meeting)
        municipality = municipality_of.get(committee) if committee else None
        if municipalities is not None and municipality not in municipalities:
            continue
        items[iri] = ItemNode(
            iri=iri,
            number=item_number(numbers.get(iri)),
            meeting=meeting,
            date=dates.get(meeting),
            committee=committee,
            municipality=municipality,
            case=cases.get(iri),
            title=titles.get(iri),
        )
    return items


def item_number(text: str | None) -> int | None:
    """An item's number as stated ("7"), or None where it is not a plain number."""
    return int(text) if text is not None and text.isdigit() else None


def postponed_items(rows: Iterable[tuple[str, str | None]], items: dict[str, ItemNode]) -> set[str]:
    """Items postponed at their own meeting (a postponed decision dated that day, or
    undated), from (item, decision date) rows of postponed decisions."""
    found: set[str] = set()
    for iri, day in rows:
        item = items.get(iri)
        if item is not None and (day is None or day == item.date):
            found.add(item.iri)
    return found


def postponed_outcome(base: str) -> str:
    """The postponed outcome's IRI under ``base``."""
    return IriMinter(base).outcome(POSTPONED)


def item_graph(
    items: dict[str, ItemNode],
    references: Iterable[tuple[str, str]],
    postponed: set[str],
) -> nx.Graph:
    """The item graph: item IRIs as nodes; each edge's ``kinds`` says why it exists."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(items)

    def link(a: str, b: str, kind: str) -> None:
        if a == b:
            return
        if graph.has_edge(a, b):
            graph.edges[a, b]["kinds"].add(kind)
        else:
            graph.add_edge(a, b, kinds={kind})

    by_case: dict[str, list[ItemNode]] = defaultdict(list)
    by_title: dict[tuple[str | None, str], list[ItemNode]] = defaultdict(list)
    for item in items.values():
        if item.case:
            by_case[item.case].append(item)
        key = title_key(item.title)
        if key:
            by_title[(item.committee, key)].append(item)
    for group in (*by_case.values(), *by_title.values()):
        group.sort(key=sort_key)
    for group in by_case.values():
        for a, b in pairwise(group):
            link(a.iri, b.iri, "case")

    for source, target in references:
        if source in items and target in items:
            link(source, target, "reference")

    for iri in postponed:
        item = items[iri]
        if item.date is None:
            continue
        if item.case:
            group = by_case[item.case]
        else:
            group = by_title.get((item.committee, title_key(item.title) or ""), [])
        dates = [g.date or "" for g in group]
        index = bisect_right(dates, item.date)
        if index < len(group):
            link(iri, group[index].iri, "postponement")
            graph.edges[iri, group[index].iri].setdefault("postponed", []).append(
                (iri, group[index].iri)
            )
    return graph


def find_threads(graph: nx.Graph, items: dict[str, ItemNode], base: str) -> list[Thread]:
    """Connected components of two or more items, longest first."""
    import networkx as nx

    minter = IriMinter(base)
    threads: list[Thread] = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        members = sorted((items[i] for i in component), key=sort_key)
        first = members[0]
        municipalities = {m.municipality for m in members if m.municipality}
        municipality = first.municipality or (min(municipalities) if municipalities else None)
        cases = sorted({m.case for m in members if m.case})
        label = first.title or (cases[0].rsplit("/", 1)[-1] if cases else first.iri)
        postponements = [
            pair
            for a, b in graph.subgraph(component).edges
            for pair in graph.edges[a, b].get("postponed", [])
        ]
        threads.append(
            Thread(
                iri=minter.thread(municipality, first.iri),
                municipality=municipality,
                items=members,
                label=label,
                postponements=sorted(postponements),
            )
        )
    threads.sort(key=lambda t: (-t.meetings, -len(t.items), t.first or "", t.iri))
    return threads


def threads_of(source: Source, municipalities: set[str] | None = None) -> list[Thread]:
    """The threads of every item the source holds (of ``municipalities`` when given)."""
    return threads_and_items(source, municipalities)[0]


def threads_and_items(
    source: Source, municipalities: set[str] | None = None
) -> tuple[list[Thread], dict[str, ItemNode]]:
    """The threads, with their treatments, and the items they were found among (a whole
    computation builds the entity graph over the same items)."""
    items = load_items(source, municipalities)
    references = source.pairs(KG.refersTo)
    postponed = postponed_items(source.postponed(postponed_outcome(source.base)), items)
    threads = find_threads(item_graph(items, references, postponed), items, source.base)
    attach_treatments(threads, source)
    return threads, items
