"""Bringing the derived graph up to date after an ingest, from the documents' facts.

Ingest hands each new document's facts to the ledger beside the store
(graph.analysis.ledger) as its worker maps it; after the run :func:`bring_up_to_date`
compares the ledger with the store and

- recomputes the derived graph whole **from the store** when asked (``--derived whole``), or
  when the ledger lacked a document's facts (they are read back from the store, and what the
  derived graph was computed over is not known: a ledger deleted, spoilt, or older than the
  store);
- recomputes it whole **from the facts** (no read of the store's documents) on a first
  computation, when the derived graph is missing, unfinished or was behind the documents
  when the run began (a run stopped before its derived step), when a changed document
  names no municipality, and ("auto") in a store of fewer than ``PARTIAL_MIN_DOCUMENTS``
  or once the documents added or removed since links and centrality were computed exceed
  ``PARTIAL_MAX_SHARE`` of those they cover;
- otherwise recomputes, from the facts, only the threads and the tallies (counts kept at
  ingest, graph.analysis.tallies) of the municipalities whose documents entered or left
  (added, replaced, removed, moved aside: an item graph's edges never leave a
  municipality, and no tally counts another municipality's items), and patches them in;
  links and centrality stay as last computed, and the count of documents they cover says
  how stale they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kommunegraf.graph.analysis.derive import compute, patch_threads, recompute, write_whole
from kommunegraf.graph.analysis.health import computed_over
from kommunegraf.graph.analysis.items import threads_of
from kommunegraf.graph.analysis.ledger import FactSource, Ledger
from kommunegraf.graph.analysis.model import Tally, Thread
from kommunegraf.graph.analysis.tallies import compute_tallies

if TYPE_CHECKING:
    from kommunegraf.graph.store.local import Store

# A whole recomputation from the facts costs the links and centrality of the whole country
# (seconds at 10,000 documents, betweenness most of it); the threads of a few municipalities
# cost a fraction of a second.  Links and centrality lag by at most this share.
PARTIAL_MIN_DOCUMENTS = 2_000
PARTIAL_MAX_SHARE = 0.10
DERIVED_MODES = ("auto", "whole", "threads")


@dataclass(frozen=True)
class Update:
    """What :func:`bring_up_to_date` did."""

    how: str  # "store" (whole from the store), "facts" (whole from the facts), "threads"
    municipalities: int = 0  # whose threads were recomputed ("threads")
    repaired: int = 0  # documents whose facts were read back from the store
    links_over: int | None = None  # the documents links and centrality cover


def bring_up_to_date(
    store: Store, ledger: Ledger, mode: str = "auto", *, current: bool = True
) -> Update:
    """Update the store's derived graph after a run (see the module docstring).

    ``current``: whether the derived graph was up to date with the documents when the run
    began (graph.analysis.health.threads_current, read before the run's first write); a run
    that stopped before its derived step leaves it behind, and the next recomputes whole."""
    if mode not in DERIVED_MODES:
        raise ValueError(f"derived must be one of {', '.join(DERIVED_MODES)}, not {mode!r}")
    sync = ledger.sync(store)
    if mode == "whole" or sync.repaired:
        recompute(store)
        ledger.settle(sync, links_computed=True)
        return Update("store", repaired=sync.repaired, links_over=len(sync.current))
    facts = FactSource(ledger, sync.current)
    covered = computed_over(store)
    pending = ledger.since_links() + len(sync.changed)
    complete = store.is_complete(store.derived_graph)
    if current and complete and sync.synced and not sync.changed:  # nothing entered or left
        patch_threads(store, [], [], len(sync.current))
        ledger.settle(sync, links_computed=False)
        return Update("threads", links_over=covered)
    whole = (
        not current
        or not sync.synced
        or not complete
        or sync.unplaced
        or covered is None
        or (
            mode == "auto"
            and (len(sync.current) < PARTIAL_MIN_DOCUMENTS or pending > PARTIAL_MAX_SHARE * covered)
        )
    )
    if whole:
        write_whole(store, compute(facts, store.derived_graph))
        ledger.settle(sync, links_computed=True)
        return Update("facts", links_over=len(sync.current))
    touched = sorted(sync.touched)
    threads: list[Thread] = []
    tallies: list[Tally] = []
    if touched:
        mine = FactSource(ledger, ledger.docs_of(touched, sync.current))
        threads = threads_of(mine, set(touched))
        tallies = compute_tallies(mine, set(touched))
    patch_threads(store, threads, touched, len(sync.current), tallies)
    ledger.settle(sync, links_computed=False)
    return Update("threads", municipalities=len(touched), links_over=covered)
