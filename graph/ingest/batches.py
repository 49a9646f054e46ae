"""The loading side of ingest: documents gathered into batches, each one bulk load.

A batch is loaded once it holds ``batch_quads`` quads, in a background thread (the bulk
loader releases the GIL) while the workers extract the next one: at most one batch is
loading and one filling.  Each batch's documents are marked complete together (see
graph.store.local), so a killed ingest leaves every document wholly in or wholly absent.
A document met twice in one run (same content under two names) is loaded once, with both
names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from kommunegraf.graph.ingest.discover import shown
from kommunegraf.graph.ingest.report import Reporter, Summary
from kommunegraf.graph.ingest.workers import Outcome
from kommunegraf.graph.store.backend import Backend
from kommunegraf.graph.store.local import DocumentLoad
from kommunegraf.graph.store.versions import Overlap


class Batches:
    """One run's documents on their way into ``store``.

    Three states, one after the other for each document: *filling* (in :attr:`filling`,
    not yet sent), *loading* (its batch handed to the loader thread; its graph in
    :attr:`in_flight`) and *loaded* (the load returned: counted in ``summary.loaded``).
    :meth:`settle` moves the loading batch to loaded, :meth:`send` the filling one to
    loading; every error of a load surfaces in :meth:`settle`, in the caller's thread.
    """

    def __init__(
        self,
        store: Backend,
        run: str,
        summary: Summary,
        reporter: Reporter,
        *,
        existing: set[str],
        before_first_write: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.run = run
        self.summary = summary
        self.reporter = reporter
        self.existing = existing  # the documents before the run (see hidden)
        self.before_first_write = before_first_write
        self.filling: dict[str, DocumentLoad] = {}
        self.quads = 0  # in the filling batch
        self.in_flight: set[str] = set()  # graphs of the batch being loaded
        self.written: set[str] = set()  # the document graphs this run writes (not unchanged)
        # documents left as they are because a file of theirs is unchanged (graph.ingest.stamps)
        self.kept: set[str] = set()
        self.hidden = 0  # documents shown before this run and set aside by it
        self._overlaps: list[Overlap] = []  # filled by the loader thread, read by settle
        self._loading: Future[list[str]] | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kommunegraf-load")

    def add(self, outcome: Outcome, name: str, stamp: str = "") -> bool:
        """Take a mapped document read from the file ``name`` (absolute; ``stamp``: the
        file's, graph.ingest.stamps); returns whether it is new to the run (False: the same
        content again, recorded as a further name; also when the store keeps the document
        from another file found unchanged in this run, which would otherwise reload it for
        the file name it states)."""
        graph = outcome.graph
        if (
            graph in self.filling
            or graph in self.in_flight
            or graph in self.kept
            or self._completed(graph)
        ):
            first = self.filling.get(graph)
            self.filling[graph] = DocumentLoad(
                graph,
                first.nquads if first else None,  # None: only the name is recorded
                outcome.sha256,
                (*(first.paths if first else ()), name),
                outcome.meeting,
                outcome.version,
                (*(first.stamps if first else ()), stamp),
            )
            return False
        self.filling[graph] = DocumentLoad(
            graph,
            outcome.nquads,
            outcome.sha256,
            (name,),
            outcome.meeting,
            outcome.version,
            (stamp,),
        )
        self.quads += outcome.quads
        return True

    def _completed(self, graph: str) -> bool:
        return self.store.completed_in_run(graph, self.run)

    def settle(self) -> None:
        """Wait for the batch being loaded and count it; its errors raise here."""
        if self._loading is None:
            return
        done, self._loading = self._loading, None
        self.summary.superseded += len(done.result())
        self.summary.loaded += len(self.in_flight)
        self.in_flight.clear()
        for overlap in self._overlaps:
            self.summary.overlaps += 1
            self.reporter.warning(shown(overlap.line()))
            # set aside in the run that loaded it: no document of this run after all;
            # set aside from the store: a document removed (the threads then go whole)
            self.written.discard(overlap.earlier)
            if overlap.earlier in self.existing:
                self.hidden += 1
        self._overlaps.clear()
        self.reporter.loaded(self.summary)

    def send(self, *, wait: bool = False) -> None:
        """Settle the batch loading, then start loading the filling one (and, with
        ``wait``, settle that too: the end of a run)."""
        self.settle()
        if self.filling:
            if self.before_first_write is not None:
                self.before_first_write()
                self.before_first_write = None
            self.in_flight.update(g for g, d in self.filling.items() if d.nquads is not None)
            self._loading = self._loader.submit(
                self.store.replace_documents,
                list(self.filling.values()),
                run=self.run,
                loaded=self.written,
                overlaps=self._overlaps,
            )
            self.filling, self.quads = {}, 0
        if wait:
            self.settle()

    def close(self) -> None:
        """Let a load still running finish (an error elsewhere ended the run) before the
        store closes, and stop the loader thread."""
        if self._loading is not None:
            with contextlib.suppress(Exception):
                self._loading.result()
        self._loader.shutdown(wait=True)
