"""Computing the derived graph whole, and patching the threads of some municipalities.

:func:`compute` makes threads, cross-municipality links and centrality from a
graph.analysis.sources.Source (the store, or the documents' facts beside it);
:func:`recompute` replaces the store's derived graph (``<base>graph/derived``) with what the
store itself gives (``ingest --derived whole``).  :func:`patch_threads` replaces only the
threads of some municipalities, leaving links and centrality as last computed.  Reading the
results (graph.analysis.listing) needs no networkx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kommunegraf.graph.analysis.centrality import centrality
from kommunegraf.graph.analysis.items import threads_and_items
from kommunegraf.graph.analysis.links import cross_links, entity_graph
from kommunegraf.graph.analysis.model import Derived, Tally, Thread
from kommunegraf.graph.analysis.sources import StoreSource
from kommunegraf.graph.analysis.tallies import compute_tallies
from kommunegraf.graph.rdf.derived import derived_graph_lines
from kommunegraf.graph.store.local import IRI
from kommunegraf.ontology.terms import KG, RDF, sparql_prefixes

if TYPE_CHECKING:
    from kommunegraf.graph.analysis.sources import Source
    from kommunegraf.graph.store.local import Store

_P = sparql_prefixes(("kg",))
STORED_THREADS_COUNT_QUERY = (
    _P
    + """
CONSTRUCT { ?derived ?count ?n } WHERE {
  VALUES ?count { kg:threadsOverDocuments kg:talliesOverDocuments }
  GRAPH ?derived { ?derived ?count ?n }
}"""
)


def derived_lines(derived: Derived) -> Iterator[str]:
    """The derived graph as N-Triples lines (graph.rdf.derived writes them)."""
    counts: list[tuple[str, str, int]] = []
    if derived.graph and derived.documents is not None:
        counts.append((derived.graph, KG.computedOverDocuments, derived.documents))
    if derived.graph and derived.threads_documents is not None:
        counts.append((derived.graph, KG.threadsOverDocuments, derived.threads_documents))
        # the tallies are brought up to date with the threads, always (a derived graph
        # without this count was written before there were tallies: graph.analysis.health)
        counts.append((derived.graph, KG.talliesOverDocuments, derived.threads_documents))
    return derived_graph_lines(
        derived.threads, derived.links, derived.central, counts, derived.tallies
    )


def compute(source: Source, graph: str = "") -> Derived:
    """Threads, cross-municipality links and centrality from ``source``; ``graph`` is the
    derived graph's IRI, which the counts are stated of."""
    # the tallies first: what they read is let go before the items and the entity graph are
    # built, so the two never share the peak
    tallies = compute_tallies(source)
    threads, items = threads_and_items(source)
    entities = entity_graph(source, items)
    documents = source.document_count()
    return Derived(
        threads=threads,
        links=cross_links(entities, items, source.base),
        central=centrality(entities),
        tallies=tallies,
        graph=graph,
        documents=documents,
        threads_documents=documents,
    )


def recompute(store: Store) -> Derived:
    """Recompute the derived graph from the store and replace it in the (writable) store."""
    return write_whole(store, compute(StoreSource(store), store.derived_graph))


def write_whole(store: Store, derived: Derived) -> Derived:
    """Replace the store's derived graph with ``derived`` (by the difference of lines)."""
    derived.graph = store.derived_graph
    derived.triples = store.replace_graph(store.derived_graph, derived_lines(derived))
    return derived


def patch_threads(
    store: Store,
    threads: list[Thread],
    municipalities: Iterable[str],
    documents: int,
    tallies: list[Tally] | None = None,
) -> Derived:
    """Replace what the derived graph holds of the threads and tallies of ``municipalities``
    with ``threads`` and ``tallies`` (theirs, whole) and say the threads cover ``documents``."""
    part = Derived(
        threads,
        [],
        [],
        tallies=list(tallies or []),
        graph=store.derived_graph,
        threads_documents=documents,
    )
    new = set(derived_lines(part))
    old = store.construct_lines(STORED_THREADS_COUNT_QUERY, {"derived": IRI(store.derived_graph)})
    old |= stored_threads_and_tallies(store, municipalities)
    part.triples = store.patch_derived(sorted(old - new), sorted(new - old))
    return part


def stored_threads_and_tallies(store: Store, municipalities: Iterable[str]) -> set[str]:
    """What the derived graph holds of the threads and tallies of ``municipalities``: the
    lines about each thread and tally placed in one of them, and about the threads' items
    (their positions and postponements: no other derived line is about an item).  Read by
    index scans: the three CONSTRUCT queries that read the same (tests/test_threads_partial.py
    holds them as the oracle) took 37 s for 98 municipalities at 10,000 documents, 8× this."""
    threads = store.derived_subjects(RDF.type, KG.Thread)
    tallies = store.derived_subjects(RDF.type, KG.Tally)
    about: set[str] = set()
    for municipality in set(municipalities):
        placed = store.derived_subjects(KG.municipality, municipality)
        theirs = placed & threads
        about |= theirs | (placed & tallies) | store.derived_objects(theirs, KG.threadItem)
    return store.derived_lines_about(about)


def forget_threads_count(store: Store) -> None:
    """Drop the count of documents the threads are up to date with, before a run changes
    documents: a run stopped before its thread step then leaves no count, and readers are
    told the threads are behind until a run brings them up to date."""
    if not store.is_complete(store.derived_graph):
        return
    lines = store.construct_lines(STORED_THREADS_COUNT_QUERY, {"derived": IRI(store.derived_graph)})
    if lines:
        store.patch_derived(sorted(lines), [])
