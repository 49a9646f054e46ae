"""What a reader is told when the derived graph (case threads, cross-municipality links,
centrality) is missing, unfinished or behind the documents.

Answers drawn from the derived graph (``threads``, ``central-actors``, ``threads.rq``, …)
would otherwise come back empty or short without a word, and a journalist would read "no
threads" as a fact about the minutes.  The ingest that follows always repairs it (a missing
or stale derived graph makes the next ingest recompute it whole).
"""

from __future__ import annotations

from kommunegraf.graph.store.local import Store

WHAT = "the derived graph (case threads, cross-municipality links, centrality)"
REPAIR = "the next `kommunegraf ingest` rebuilds it"


def derived_warning(store: Store) -> str | None:
    """One line saying what is wrong with the store's derived graph, or None if it is whole
    and covers every document (a store without documents needs none)."""
    from kommunegraf.graph.analysis.threads import threads_over

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
    return None
