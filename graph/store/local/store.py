"""The embedded store: the only package that knows pyoxigraph.

Named graphs: one per source document (``…/id/kilde/<sha16>``), ``<base>graph/reference``
(reference data), ``<base>graph/derived`` (what networkx computes) and
``<base>graph/ingest-log`` (bookkeeping).  The store's default graph holds the RDF merge of
the first three kinds, kept in step by every write: queries run over it with set semantics
(Oxigraph's "default graph as union" is a bag — a committee stated by 500 documents would
multiply every join by 500) and never see the ingest log.

Documents are loaded through pyoxigraph's bulk loader, which is fast but not transactional.
Completion is therefore explicit: once a batch of document graphs is loaded, one small
transaction writes ``<doc> kg:ingestComplete "<sha256>"`` for each into the ingest log, and
every writer that opens the store first removes any graph without that marker (with its share
of the merged graph).  A document is thus wholly in or wholly absent whenever a process dies.
What a batch, a replacement and a removal do is graph.store.updates' (the same for a SPARQL
server); this module says how the embedded store reads its log and loads text.

The log also tracks which file produced which graph (``<doc> kg:sourcePathDigest "<hex>"``,
an HMAC of the absolute path under a secret kept in the store folder outside every graph
(graph.store.pathkeys), so that no query can read a path or reverse one by guessing), so that
re-ingesting an edited file (new content, new sha, new graph IRI) drops the graph of its
previous version.

Locks are graph.store.local.locks', snapshots and opening graph.store.local.snapshots'.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.store import pathkeys, versions
from kommunegraf.graph.store.local.derived import DerivedWrites
from kommunegraf.graph.store.local.exchange import Exchange
from kommunegraf.graph.store.local.reading import Reading
from kommunegraf.graph.store.model import (
    CLOSED_COMPLETE,
    DOCUMENT_GRAPH,
    FORMAT,
    INGEST_COMPLETE,
    LAST_RUN,
    OF_MEETING,
    SOURCE_PATH,
    STATED_PATH,
    STORE_FORMAT,
    VERSION_KEY,
    DocumentLoad,
    StoreError,
    TornView,
    forget_unkeyed_paths,
    now_literal,
    path_key,
    unmarked_query,
)
from kommunegraf.graph.store.updates import DocumentUpdates


class Store(DocumentUpdates, Reading, DerivedWrites, Exchange):
    """An open store; get one from :func:`open_store`."""

    patches_derived = True  # graph.store.backend.Backend: patch_derived applies a difference

    def __init__(self, inner: ox.Store, path: Path, *, writable: bool, base: str) -> None:
        self._store = inner
        self.path = path
        self.writable = writable
        self.base = base
        self.reference_graph = base + "graph/reference"
        self.derived_graph = base + "graph/derived"
        self.log_graph = base + "graph/ingest-log"
        self._log = ox.NamedNode(self.log_graph)
        # Earlier versions of a meeting's documents (graph.store.versions) are no source of the
        # merged graph: a triple they also state does not keep it there.
        self._not_earlier = versions.not_earlier("?other", base)
        # None: every named graph; else those a reader may see (completed ones).
        self._visible: list[ox.NamedNode] | None = None
        self._legacy_union = False  # a store without the merged default graph
        self._checkpoint: Path | None = None  # the private copy a reader reads, if any
        self._secret: bytes | None = None  # the path-key secret, once read or made

    def _path_secret(self) -> bytes | None:
        """The secret that keys the log's path entries (made by the first writer that needs
        it, after it has dropped any unkeyed entries an earlier version wrote)."""
        if self._secret is None:
            self._secret = pathkeys.store_secret(
                self.path / pathkeys.PATH_KEY_FILE,
                writable=self.writable,
                forget_unkeyed=lambda: self._store.update(forget_unkeyed_paths(self._log)),
            )
        return self._secret

    def _release(self) -> None:
        """Close the handle (and remove the reader's checkpoint)."""
        del self._store
        if self._checkpoint is not None:
            shutil.rmtree(self._checkpoint, ignore_errors=True)

    # ----- bookkeeping ---------------------------------------------------------------

    def _complete(self) -> set[Any]:
        return {
            q.subject for q in self._store.quads_for_pattern(None, INGEST_COMPLETE, None, self._log)
        }

    def _managed(self, graph: Any) -> bool:
        """Graphs whose triples are merged into the default graph and that carry a marker."""
        return isinstance(graph, ox.NamedNode) and (
            bool(DOCUMENT_GRAPH.search(graph.value))
            or graph.value in (self.reference_graph, self.derived_graph)
        )

    def _incomplete(self) -> list[ox.NamedNode]:
        complete = self._complete()
        return [g for g in self._store.named_graphs() if self._managed(g) and g not in complete]

    def _recover(self) -> list[str]:
        """Undo what a killed writer left half-done: graphs without a completion marker go,
        with their share of the merged default graph and their log entries."""
        if self._store_format() != STORE_FORMAT:
            self._upgrade()
        dropped = self._incomplete()
        complete = self._complete()
        stale = {
            q.subject
            for q in self._store.quads_for_pattern(None, None, None, self._log)
            if q.subject not in complete and q.subject != self._log
        }
        ops = self._retract_ops(dropped) + self._forget_ops(stale | set(dropped))
        if ops:
            self._store.update(" ;\n".join(ops))
        return [g.value for g in dropped]

    def _store_format(self) -> str | None:
        found = self._store.quads_for_pattern(self._log, FORMAT, None, self._log)
        return next((q.object.value for q in found), None)

    def _upgrade(self) -> None:
        """A store from before the merged default graph: build it once, then mark the format."""
        complete = self._complete()
        with self._one_step():
            for g in self._store.named_graphs():
                if self._managed(g) and g in complete:
                    self._store.update(
                        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
                    )
            self._store.add(ox.Quad(self._log, FORMAT, ox.Literal(STORE_FORMAT), self._log))

    def _one_step(self) -> contextlib.AbstractContextManager[None]:
        """Hold the step lock across many small changes (one flush, not one each: 8 ms per
        document otherwise)."""
        step = getattr(self._store, "step", None)
        return step() if step is not None else contextlib.nullcontext()

    def _any_unmarked(self) -> bool:
        """Whether some graph lacks its completion marker (answered inside Oxigraph: a scan
        of every marker in Python cost 0.2–0.5 s at 10,000 documents; this, 0.1 s)."""
        return bool(self._store.query(unmarked_query(self._log)))

    def _closed_complete(self) -> bool:
        found = self._store.quads_for_pattern(self._log, CLOSED_COMPLETE, None, self._log)
        return next(iter(found), None) is not None

    def _set_closed_complete(self, value: bool) -> None:
        """Drop the flag as a writer opens (before it changes anything, so a reader that sees
        a change sees the flag gone); set it as the writer closes with every graph marked."""
        self._store.update(f"DELETE WHERE {{ GRAPH {self._log} {{ ?s {CLOSED_COMPLETE} ?o }} }}")
        if value and not self._any_unmarked():
            self._store.add(ox.Quad(self._log, CLOSED_COMPLETE, now_literal(), self._log))

    def _restrict_to_complete(self, unguarded_writer: bool = False) -> None:
        """Show a reader only the graphs wholly written.

        Beside a writer that takes no step lock (an earlier version) the view itself may be
        torn (see :meth:`_torn`): the flag a closing writer sets is not trusted then, and a
        view that shows a completion marker without its document is refused
        (:class:`TornView`), so that the caller reads again.
        """
        if self._store_format() != STORE_FORMAT:
            self._legacy_union = True
        if unguarded_writer and self._torn():  # 0.5 s at 10,000 documents
            raise TornView(f"store {self.path}: a completion marker without its document")
        if not unguarded_writer and self._closed_complete():  # the usual case: a trace
            return  # at 10,000 documents this waits for nothing, the check below 0.05 s
        if not self._any_unmarked():
            return
        incomplete = set(self._incomplete())
        if incomplete:
            self._visible = [g for g in self._store.named_graphs() if g not in incomplete]

    def _torn(self) -> bool:
        """Whether some document is marked complete but missing from its graph or from the
        merged default graph.

        RocksDB opens a read-only view (and copies a checkpoint) from its file list and its
        write-ahead log read at two moments.  Beside a writer, the log can then be newer
        than the files: a marker written after a batch was bulk-loaded is there, the batch
        is not.  The step lock keeps a writer's changes out of that window; this check is
        what is left beside a writer of an earlier version, which takes no step lock.
        Each batch is one bulk load of the documents, then one of the merged
        triples, then the markers, so a document's description of itself (its triples
        whose subject is the document) stands for its whole batch in each place.
        """
        default = ox.DefaultGraph()
        merged = not self._legacy_union  # a store from before the merged default graph
        for graph in self._complete():
            if not (isinstance(graph, ox.NamedNode) and DOCUMENT_GRAPH.search(graph.value)):
                continue
            own = next(iter(self._store.quads_for_pattern(graph, None, None, graph)), None)
            if own is None:
                if next(iter(self._store.quads_for_pattern(None, None, None, graph)), None):
                    continue  # a graph that does not describe its document: nothing to check
                return True
            found = self._store.quads_for_pattern(graph, own.predicate, own.object, default)
            if merged and next(iter(found), None) is None:
                return True
        return False

    # ----- documents ---------------------------------------------------------------------

    def documents(self) -> set[str]:
        """IRIs of the document graphs that are wholly in."""
        return {g.value for g in self._complete() if DOCUMENT_GRAPH.search(g.value)}

    def sources(self) -> dict[str, list[str]]:
        """Each completed document graph with the file name(s) it states (``kg:path``)."""
        found: dict[str, list[str]] = {}
        for graph in self.documents():
            node = ox.NamedNode(graph)
            names = self._store.quads_for_pattern(node, STATED_PATH, None, node)
            found[graph] = sorted(q.object.value for q in names)
        return found

    def graph_of_path(self, path: str | os.PathLike[str]) -> str | None:
        """The completed document graph last ingested from the file at ``path``, if any."""
        secret = self._path_secret()
        if secret is None:  # no writer ever keyed a path here
            return None
        key = path_key(os.path.abspath(path), secret)
        for q in self._store.quads_for_pattern(None, SOURCE_PATH, key, self._log):
            return q.subject.value
        return None

    def completed_in_run(self, graph: str, run: str) -> bool:
        """Whether ``graph`` was completed by the ingest run ``run`` (a duplicate check)."""
        pattern = (ox.NamedNode(graph), LAST_RUN, ox.Literal(run), self._log)
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    # ----- the hooks of graph.store.updates ------------------------------------------------

    def _update(self, operations: list[str]) -> None:
        if operations:
            self._store.update(" ;\n".join(operations))

    def _existing(self, graphs: list[str]) -> list[str]:
        return [g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))]

    def _unchanged(self, markers: dict[str, str]) -> set[str]:
        def marked(graph: str, marker: str) -> bool:
            found = self._store.quads_for_pattern(
                ox.NamedNode(graph), INGEST_COMPLETE, None, self._log
            )
            return any(q.object.value == marker for q in found)

        return {graph for graph, marker in markers.items() if marked(graph, marker)}

    def _paths_of(self, keys: Iterable[str], *, by: str) -> list[tuple[str, str]]:
        found = []
        for key in keys:
            subject, obj = (None, ox.Literal(key)) if by == "key" else (ox.NamedNode(key), None)
            for q in self._store.quads_for_pattern(subject, SOURCE_PATH, obj, self._log):
                found.append((q.subject.value, q.object.value))
        return found

    def _shown_versions(self, meetings: list[str]) -> dict[str, dict[str, str]]:
        """The documents shown for each meeting (complete, in the log) → their version keys."""
        log = self._log
        found: dict[str, dict[str, str]] = {}
        for meeting in meetings:
            shown = found.setdefault(meeting, {})
            for q in self._store.quads_for_pattern(None, OF_MEETING, ox.NamedNode(meeting), log):
                graph = q.subject
                if not isinstance(graph, ox.NamedNode):
                    continue
                if next(
                    iter(self._store.quads_for_pattern(graph, INGEST_COMPLETE, None, log)), None
                ):
                    key = self._store.quads_for_pattern(graph, VERSION_KEY, None, log)
                    shown[graph.value] = next((k.object.value for k in key), "")
        return found

    def _names(self, graph: str) -> tuple[str, ...]:
        node = ox.NamedNode(graph)
        return tuple(
            sorted(
                q.object.value for q in self._store.quads_for_pattern(node, STATED_PATH, None, node)
            )
        )

    def _prepare(self, loading: list[DocumentLoad]) -> tuple[bytes, bytes]:
        """The batch's N-Quads, and the same triples for the merged default graph."""
        triples = "".join(_merged_triples(d) for d in loading)
        nquads = "".join(d.nquads or "" for d in loading)
        return nquads.encode("utf-8"), triples.encode("utf-8")

    def _load(self, prepared: tuple[bytes, bytes]) -> None:
        """Both loads are lenient, i.e. do not check each IRI again, which is a quarter of
        their work: the text is graph.rdf.mapping's, whose IRIs graph.rdf.iris mints from
        slugs and percent-encoded segments and checks, and whose literals it escapes (tests
        parse its output strictly, fuzzed records included; lines of another shape are
        refused by :func:`_merged_triples`)."""
        nquads, triples = prepared
        self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        # A second load rather than one of both texts: the bulk loader holds ≈ 1.1 KB per
        # quad it writes, so one load of both took twice the memory (+285 against +145 MB
        # a batch) and was no faster.
        self._store.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    def is_complete(self, graph: str) -> bool:
        """Whether ``graph`` carries its completion marker (wholly written)."""
        pattern = (ox.NamedNode(graph), INGEST_COMPLETE, None, self._log)
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    # ----- housekeeping ------------------------------------------------------------------

    def optimize(self) -> None:
        """Compact after a large load (fewer files, faster reads)."""
        self._require_writable()
        self._store.optimize()

    def flush(self) -> None:
        if self.writable:
            self._store.flush()

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"store {self.path} is open read-only")


def _merged_triples(doc: DocumentLoad) -> str:
    """The document's triples for the merged default graph, as N-Triples: its N-Quads with
    the graph dropped from every line's end.  Each line must end so (as graph.rdf.mapping prints
    them); a line that did not would keep its graph and be missing from the merged graph."""
    text = doc.nquads or ""
    triples = text.replace(f" <{doc.graph}> .\n", " .\n")
    dropped = (len(text) - len(triples)) // (len(doc.graph) + 3)  # " <" + graph + ">"
    if text and (text.count("\n") != dropped or not text.endswith("\n")):
        raise ValueError(
            f"the N-Quads of {doc.graph} are not one quad a line in that graph, each ending "
            "' <graph> .' and a line feed"
        )
    return triples
