"""Recurring case threads, cross-municipality links and central actors: the derived graph.

The work is done in rooms of its own; this module keeps the names the CLI, the answers and
the tests use, and takes a store wherever a graph.analysis.sources.Source is read:

- graph.analysis.items: the item graph and its threads;
- graph.analysis.links: the item–entity graph and the cross-municipality links;
- graph.analysis.centrality: degree and betweenness of people and organisations;
- graph.analysis.facts / ledger / update: the documents' facts beside the store, from which
  ingest updates the derived graph without reading the store back;
- graph.analysis.derive / partial: computing it whole, and patching some municipalities'
  threads (from the store);
- graph.rdf.derived: the derived graph's N-Triples (the one writer of its RDF text);
- graph.analysis.listing: reading and rendering the threads (no networkx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kommunegraf.graph.analysis import items as _items
from kommunegraf.graph.analysis import links as _links
from kommunegraf.graph.analysis.centrality import (
    BETWEENNESS_BUDGET,
    BETWEENNESS_MIN_SAMPLE,
    BETWEENNESS_SEED,
    betweenness_sample,
    centrality,
)
from kommunegraf.graph.analysis.derive import compute as _compute
from kommunegraf.graph.analysis.derive import derived_lines, forget_threads_count, recompute
from kommunegraf.graph.analysis.health import computed_over, threads_current, threads_over
from kommunegraf.graph.analysis.items import find_threads, item_graph
from kommunegraf.graph.analysis.ledger import FactSource
from kommunegraf.graph.analysis.links import cross_links
from kommunegraf.graph.analysis.listing import (
    ThreadRow,
    list_threads,
    render_threads,
)
from kommunegraf.graph.analysis.model import (
    POSTPONED_TAIL_RE,
    Centrality,
    CrossLink,
    Derived,
    ItemNode,
    Thread,
    title_key,
)
from kommunegraf.graph.analysis.partial import (
    municipality_items,
    touched_municipalities,
    update_threads,
)
from kommunegraf.graph.analysis.sources import StoreSource
from kommunegraf.graph.rdf.derived import XSD_DOUBLE
from kommunegraf.graph.rdf.derived import double as _double

if TYPE_CHECKING:
    import networkx as nx

    from kommunegraf.graph.analysis.sources import Source
    from kommunegraf.graph.store.local import Store

__all__ = [
    "BETWEENNESS_BUDGET",
    "BETWEENNESS_MIN_SAMPLE",
    "BETWEENNESS_SEED",
    "POSTPONED_TAIL_RE",
    "XSD_DOUBLE",
    "Centrality",
    "CrossLink",
    "Derived",
    "ItemNode",
    "Thread",
    "ThreadRow",
    "_double",
    "betweenness_sample",
    "centrality",
    "compute",
    "computed_over",
    "cross_links",
    "derived_lines",
    "entity_graph",
    "find_threads",
    "forget_threads_count",
    "item_graph",
    "list_threads",
    "load_items",
    "municipality_items",
    "recompute",
    "render_threads",
    "threads_current",
    "threads_over",
    "title_key",
    "touched_municipalities",
    "update_threads",
]


def _source(store: Store | Source) -> Source:
    """A source as given, or the reads from a store."""
    if isinstance(store, (StoreSource, FactSource)):
        return store
    return StoreSource(store)  # type: ignore[arg-type]


def compute(store: Store | Source) -> Derived:
    """Threads, cross-municipality links and centrality from the store's documents."""
    source = _source(store)
    graph = "" if source is store else store.derived_graph  # type: ignore[union-attr]
    return _compute(source, graph)


def load_items(store: Store | Source) -> dict[str, ItemNode]:
    """Every agenda item in the store, once each (graph.analysis.items.load_items)."""
    return _items.load_items(_source(store))


def entity_graph(store: Store | Source, items: dict[str, ItemNode]) -> nx.Graph:
    """The item–entity graph (graph.analysis.links.entity_graph)."""
    return _links.entity_graph(_source(store), items)
