"""What a reader is told when the derived graph (case threads, cross-municipality links,
centrality) is missing, unfinished or behind the documents.

Answers drawn from the derived graph (``threads``, ``central-actors``, ``threads.rq``, …)
would otherwise come back empty or short without a word, and a journalist would read "no
threads" as a fact about the minutes.  The ingest that follows always repairs it (a missing
or stale derived graph makes the next ingest recompute it whole).

The counts the derived graph states of itself are read here, not beside the computation
(graph.analysis.derive): every answering command checks them, and the computation's module
imports the mapping and with it the extractors' patterns (0.43 s of each `query` process).
"""

from __future__ import annotations

from kommunegraf.graph.store.local import Store
from kommunegraf.ontology.terms import KG

WHAT = "the derived graph (case threads, cross-municipality links, centrality)"
REPAIR = "the next `kommunegraf ingest` rebuilds it"


def derived_warning(store: Store) -> str | None:
    """One line saying what is wrong with the store's derived graph, or None if it is whole
    and covers every document (a store without documents needs none)."""
    documents = store.documents()
    if not documents:
        return None
    if not store.is_complete(store.derived_graph):
        return f"{WHAT} is missing or unfinished, so answers from it are empty; {REPAIR}"
    over = threads_over(store)
    if over != len(documents):
        return (
            f"{WHAT} is behind: its case threads cover {over or 0} of {len(documents)} "
            f"documents; {REPAIR}"
        )
    if _count(store, KG.talliesOverDocuments) is None:  # written before the tallies were
        return (
            f"{WHAT} was computed by an earlier kommunegraf and holds none of the counts the "
            "aggregate queries sum (decisions-by-outcome, laws-per-municipality, "
            "organisations-most-mentioned, projects), so their answers are "
            f"empty; {REPAIR}"
        )
    return None


def computed_over(store: Store) -> int | None:
    """How many documents the store held when its cross-municipality links and centrality
    were last computed whole (None: never, or by a version that did not say)."""
    return _count(store, KG.computedOverDocuments)


def threads_over(store: Store) -> int | None:
    """How many documents the store held when its threads were last brought up to date: none
    while a run that writes documents has not yet updated them
    (graph.analysis.derive.forget_threads_count)."""
    return _count(store, KG.threadsOverDocuments)


def threads_current(store: Store, existing: set[str]) -> bool:
    """Whether the store's case threads (and tallies) are up to date with its documents
    ``existing``: not so in a derived graph written before there were tallies, which the
    next ingest then recomputes whole."""
    return (
        store.is_complete(store.derived_graph)
        and threads_over(store) == len(existing)
        and _count(store, KG.talliesOverDocuments) is not None
    )


def _count(store: Store, predicate: str) -> int | None:
    """The derived graph's one count stated with ``predicate``."""
    return next((int(value) for _graph, value in store.pairs(predicate)), None)
