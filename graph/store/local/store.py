"""The embedded store: the only package that knows pyoxigraph.

Each triple is stored once (format 3, issue 21).  The store folder holds two RocksDB stores:

- the data store, whose named graphs a query's default graph is the union of: one graph per
  source document (``…/id/kilde/<sha16>``) with the document's own triples (its meeting,
  items, decisions, votes, mentions and provenance: graph.rdf.ownership.owned_by_document),
  ``<base>graph/shared`` with the descriptions of shared things (a person's name, a
  committee's label, a law, a case), written once however many documents state them,
  ``<base>graph/reference`` (reference data, whose triples the shared graph then leaves out)
  and ``<base>graph/derived`` (what networkx computes);
- the bookkeeping store ``<dir>/bookkeeping`` (model.BOOKS_DIR), which no query sees: the
  ingest log ``<base>graph/ingest-log`` and the earlier versions of a meeting's documents
  (``<base>graph/earlier/<sha16>``, graph.store.versions).

So the union of the data store's graphs holds no triple twice, and queries run over it
directly (Oxigraph's union default graph is a bag: the merged copy of format 2 existed only
because each document graph restated the shared descriptions).  Replacing or removing a
document drops its graph alone; a shared description no document mentions any more is
collected later (:meth:`collect`, graph.store.local.collect; ``kommunegraf gc``).

Documents are loaded through pyoxigraph's bulk loader, which is fast but not transactional.
Completion is therefore explicit: once a batch of document graphs is loaded, the log gets
``<doc> kg:ingestComplete "<sha256>"`` for each, and every writer that opens the store first
drops any graph without that marker.  A writer holds the step lock (graph.store.local.locks)
from a batch's first change to its marks, so a reader copies both stores between batches.
A document is thus wholly in or wholly absent whenever a process dies.  What a batch, a
replacement and a removal do is graph.store.updates' (the same for a SPARQL server, which
keeps format 2); this module says how the embedded store reads its log and loads text.

The log also tracks which file produced which graph (``<doc> kg:sourcePathDigest "<hex>"``,
an HMAC of the absolute path under a secret kept in the store folder outside every graph
(graph.store.pathkeys), so that no path can be read or reversed by guessing), so that
re-ingesting an edited file (new content, new sha, new graph IRI) drops the graph of its
previous version.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.rdf.ownership import owned_by_document
from kommunegraf.graph.store import pathkeys, versions
from kommunegraf.graph.store.local.collect import collect_shared
from kommunegraf.graph.store.local.derived import DerivedWrites
from kommunegraf.graph.store.local.exchange import Exchange
from kommunegraf.graph.store.local.reading import Reading
from kommunegraf.graph.store.model import (
    BOOKS_SUFFIX,
    CLOSED_COMPLETE,
    DOCUMENT_GRAPH,
    FILE_STAMP,
    FORMAT,
    INGEST_COMPLETE,
    LAST_RUN,
    LOG_PATH,
    OF_MEETING,
    SOURCE_PATH,
    STATED_PATH,
    STORE_FORMAT,
    VERSION_KEY,
    DocumentLoad,
    OldStore,
    StoreError,
    TornView,
    forget_unkeyed_paths,
    now_literal,
    path_key,
)
from kommunegraf.graph.store.updates import LOG, Aside, DocumentUpdates, Phase, iri_of


class Store(DocumentUpdates, Reading, DerivedWrites, Exchange):
    """An open store; get one from :func:`open_store`."""

    patches_derived = True  # graph.store.backend.Backend: patch_derived applies a difference

    def __init__(
        self, inner: ox.Store, books: Any, path: Path, *, writable: bool, base: str
    ) -> None:
        self._store = inner
        self._books = books  # the bookkeeping store (a writer's shares its step lock)
        self.path = path
        self.writable = writable
        self._name_graphs(base)
        self._log = ox.NamedNode(self.log_graph)
        self._shared = ox.NamedNode(self.shared_graph)
        # None: every named graph; else those a reader may see (completed ones).
        self._visible: list[ox.NamedNode] | None = None
        self._checkpoint: Path | None = None  # the private copy a reader reads, if any
        self._secret: bytes | None = None  # the path-key secret, once read or made

    def _path_secret(self) -> bytes | None:
        """The secret that keys the log's path entries (made by the first writer that needs
        it, after it has dropped any unkeyed entries an earlier version wrote)."""
        if self._secret is None:
            self._secret = pathkeys.store_secret(
                self.path / pathkeys.PATH_KEY_FILE,
                writable=self.writable,
                forget_unkeyed=lambda: self._books.update(forget_unkeyed_paths(self._log)),
            )
        return self._secret

    def _release(self) -> None:
        """Close the handles (and remove the reader's checkpoint)."""
        del self._store, self._books
        if self._checkpoint is not None:
            shutil.rmtree(self._checkpoint, ignore_errors=True)
            shutil.rmtree(str(self._checkpoint) + BOOKS_SUFFIX, ignore_errors=True)

    @staticmethod
    def check_layout(inner: ox.Store, folder: Path, base: str) -> None:
        """Refuse, in one line, a store of an earlier layout: its ingest log is a graph of
        the data store (format 2 kept a merged copy of every triple beside its graph).
        One index look-up: every reader pays it (a scan of the graphs took 0.2 s at 10,000
        documents)."""
        if inner.contains_named_graph(ox.NamedNode(base + LOG_PATH)):
            raise OldStore(
                f"store {folder} was written by an earlier kommunegraf, which kept every "
                "triple twice; this version keeps each once — ingest the documents again "
                "into a new --store"
            )

    # ----- bookkeeping ---------------------------------------------------------------

    def _complete(self) -> set[Any]:
        return {
            q.subject for q in self._books.quads_for_pattern(None, INGEST_COMPLETE, None, self._log)
        }

    def _managed(self, graph: Any) -> bool:
        """The data store's graphs that carry a marker (the shared graph has none: what a
        killed batch left there is collected like any description no document mentions)."""
        return isinstance(graph, ox.NamedNode) and (
            bool(DOCUMENT_GRAPH.search(graph.value))
            or graph.value in (self.reference_graph, self.derived_graph)
        )

    def _incomplete(self) -> list[ox.NamedNode]:
        complete = self._complete()
        return [g for g in self._store.named_graphs() if self._managed(g) and g not in complete]

    def _recover(self) -> list[str]:
        """Undo what a killed writer left half-done: data graphs without a completion marker
        go, with their log entries and the shared descriptions only they mentioned, and so do
        earlier copies the log does not mark."""
        self.check_layout(self._store, self.path, self.base)
        if self._store_format() != STORE_FORMAT:
            self._books.add(ox.Quad(self._log, FORMAT, ox.Literal(STORE_FORMAT), self._log))
        dropped = self._incomplete()
        complete = self._complete()
        stale = {
            q.subject
            for q in self._books.quads_for_pattern(None, None, None, self._log)
            if q.subject not in complete and q.subject != self._log
        }
        earlier = self.base + versions.EARLIER_PATH
        loose = [
            g
            for g in self._books.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(earlier) and g not in complete
        ]
        with self._one_step():
            if stale or dropped:
                self._books.update(" ;\n".join(self._forget_ops(stale | set(dropped))))
            for graph in loose:
                self._books.remove_graph(graph)
            if dropped:
                self._store.update(" ;\n".join(self._retract_ops(dropped)))
                self._store.update(self._unshare_reference_op())
            if any(DOCUMENT_GRAPH.search(g.value) for g in dropped):
                # what the killed batch wrote to the shared graph, about things no document
                # in the store mentions, must not be read as if a document had said it
                collect_shared(self._store, self._shared)
        return [g.value for g in dropped]

    def _store_format(self) -> str | None:
        found = self._books.quads_for_pattern(self._log, FORMAT, None, self._log)
        return next((q.object.value for q in found), None)

    def _one_step(self) -> contextlib.AbstractContextManager[None]:
        """Hold the step lock across many small changes (one flush, not one each: 8 ms per
        document otherwise), and across a batch from its first change to its marks."""
        step = getattr(self._store, "step", None)
        return step() if step is not None else contextlib.nullcontext()

    def _any_unmarked(self) -> bool:
        """Whether some data graph lacks its completion marker."""
        complete = self._complete()
        return any(self._managed(g) and g not in complete for g in self._store.named_graphs())

    def _closed_complete(self) -> bool:
        found = self._books.quads_for_pattern(self._log, CLOSED_COMPLETE, None, self._log)
        return next(iter(found), None) is not None

    def _set_closed_complete(self, value: bool) -> None:
        """Drop the flag as a writer opens (before it changes anything, so a reader that sees
        a change sees the flag gone); set it as the writer closes with every graph marked."""
        self._books.update(f"DELETE WHERE {{ GRAPH {self._log} {{ ?s {CLOSED_COMPLETE} ?o }} }}")
        if value and not self._any_unmarked():
            self._books.add(ox.Quad(self._log, CLOSED_COMPLETE, now_literal(), self._log))

    def _restrict_to_complete(self, unguarded_writer: bool = False) -> None:
        """Show a reader only the graphs wholly written (in ``GRAPH`` patterns).

        Beside a writer that takes no step lock (an earlier version) the view itself may be
        torn (see :meth:`_torn`): the flag a closing writer sets is not trusted then, and a
        view that shows a completion marker without its document is refused
        (:class:`TornView`), so that the caller reads again.
        """
        if unguarded_writer and self._torn():
            raise TornView(f"store {self.path}: a completion marker without its document")
        if not unguarded_writer and self._closed_complete():  # the usual case: a trace
            return
        if not self._any_unmarked():
            return
        incomplete = set(self._incomplete())
        if incomplete:
            self._visible = [g for g in self._store.named_graphs() if g not in incomplete]

    def _torn(self) -> bool:
        """Whether some document is marked complete but missing from its graph.

        RocksDB opens a read-only view (and copies a checkpoint) from its file list and its
        write-ahead log read at two moments.  Beside a writer, the log can then be newer
        than the files: a marker written after a batch was bulk-loaded is there, the batch
        is not.  The step lock keeps a writer's changes out of that window; this check is
        what is left beside a writer that takes no step lock.  A document's description of
        itself (its triples whose subject is the document) stands for its whole batch.
        """
        for graph in self._complete():
            if not (isinstance(graph, ox.NamedNode) and DOCUMENT_GRAPH.search(graph.value)):
                continue
            if next(iter(self._store.quads_for_pattern(None, None, None, graph)), None) is None:
                return True
        return False

    def _unshare_reference_op(self) -> str:
        """The update that removes from the shared graph what the reference graph states
        (a municipality's name, a party's label): each triple once in the union."""
        shared, reference = self._shared, ox.NamedNode(self.reference_graph)
        return (
            f"DELETE {{ GRAPH {shared} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {reference} {{ ?s ?p ?o }} GRAPH {shared} {{ ?s ?p ?o }} }}"
        )

    def markers(self) -> dict[str, str]:
        """Every completed graph's marker (documents, reference, derived), by graph IRI."""
        found = self._books.quads_for_pattern(None, INGEST_COMPLETE, None, self._log)
        return {
            q.subject.value: q.object.value
            for q in found
            if isinstance(q.subject, ox.NamedNode) and self._managed(q.subject)
        }

    def log_ntriples(self) -> bytes:
        """The ingest log as N-Triples (bookkeeping: path digests, markers, runs)."""
        return self.graph_ntriples(self.log_graph)

    def earlier_versions(self) -> list[str]:
        """The graphs of earlier versions kept aside (graph.store.versions), sorted."""
        earlier = self.base + versions.EARLIER_PATH
        return sorted(
            g.value
            for g in self._complete()
            if isinstance(g, ox.NamedNode) and g.value.startswith(earlier)
        )

    def collect(self) -> int:
        """Drop the shared descriptions no document mentions any more (``kommunegraf gc``):
        returns how many triples went."""
        self._require_writable()
        with self._one_step():
            return collect_shared(self._store, self._shared)

    # ----- documents ---------------------------------------------------------------------

    def documents(self) -> set[str]:
        """IRIs of the document graphs that are wholly in."""
        return {g.value for g in self._complete() if DOCUMENT_GRAPH.search(g.value)}

    def sources(self) -> dict[str, list[str]]:
        """Each completed document graph with the file name(s) it states (``kg:path``)."""
        return {graph: list(self._names(graph)) for graph in self.documents()}

    def graph_of_path(self, path: str | os.PathLike[str]) -> str | None:
        """The completed document graph last ingested from the file at ``path``, if any."""
        secret = self._path_secret()
        if secret is None:  # no writer ever keyed a path here
            return None
        key = path_key(os.path.abspath(path), secret)
        for q in self._books.quads_for_pattern(None, SOURCE_PATH, key, self._log):
            return q.subject.value
        return None

    def completed_in_run(self, graph: str, run: str) -> bool:
        """Whether ``graph`` was completed by the ingest run ``run`` (a duplicate check)."""
        return _has(self._books, ox.NamedNode(graph), LAST_RUN, ox.Literal(run), self._log)

    def is_complete(self, graph: str) -> bool:
        """Whether ``graph`` carries its completion marker (wholly written)."""
        return _has(self._books, ox.NamedNode(graph), INGEST_COMPLETE, None, self._log)

    # ----- the hooks of graph.store.updates ------------------------------------------------

    def _update(self, operations: list[str]) -> None:
        if operations:
            self._store.update(" ;\n".join(operations))

    def _apply(self, phases: list[Phase]) -> None:
        """The phases in order, each log phase one transaction of the bookkeeping store and
        each data phase one of the data store, all under one hold of the step lock."""
        with self._one_step():
            for phase in phases:
                if callable(phase):
                    phase()
                    continue
                kind, ops = phase
                if ops:
                    target = self._books if kind == LOG else self._store
                    target.update(" ;\n".join(ops))

    def _retract_ops(self, graphs: Iterable[Any]) -> list[str]:
        """Dropping a graph is all a retraction is here: no triple has a second copy."""
        return [f"DROP SILENT GRAPH <{iri}>" for iri in self._existing([iri_of(g) for g in graphs])]

    def _aside_parts(self, loser: str, earlier: str, shown: str) -> Aside:
        """Copy the loser's quads into its earlier graph in the bookkeeping store (in Python:
        the two stores share no update), move its log entries there, drop its graph."""
        loser_node, earlier_node = ox.NamedNode(loser), ox.NamedNode(earlier)

        def copy() -> None:
            if self._books.contains_named_graph(earlier_node):
                self._books.remove_graph(earlier_node)
            quads = self._store.quads_for_pattern(None, None, None, loser_node)
            self._books.extend(
                [ox.Quad(q.subject, q.predicate, q.object, earlier_node) for q in quads]
            )

        log = versions.aside_log_ops(f"<{loser}>", f"<{earlier}>", f"<{shown}>", str(self._log))
        return Aside(copy=[copy], log=log, data=self._retract_ops([loser]))

    def _existing(self, graphs: list[str]) -> list[str]:
        return [g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))]

    def _unchanged(self, markers: dict[str, str]) -> set[str]:
        def marked(graph: str, marker: str) -> bool:
            found = self._books.quads_for_pattern(
                ox.NamedNode(graph), INGEST_COMPLETE, None, self._log
            )
            return any(q.object.value == marker for q in found)

        return {graph for graph, marker in markers.items() if marked(graph, marker)}

    def _paths_of(self, keys: Iterable[str], *, by: str) -> list[tuple[str, str]]:
        found = []
        for key in keys:
            subject, obj = (None, ox.Literal(key)) if by == "key" else (ox.NamedNode(key), None)
            for q in self._books.quads_for_pattern(subject, SOURCE_PATH, obj, self._log):
                found.append((q.subject.value, q.object.value))
        return found

    def _stamped(self, stamps: list[tuple[str, str]]) -> dict[str, str]:
        books, log, earlier = self._books, self._log, self.base + versions.EARLIER_PATH
        found = {}
        for value, name in stamps:
            key = ox.Literal(value.split(" ", 1)[0])
            for q in books.quads_for_pattern(None, FILE_STAMP, ox.Literal(value), log):
                graph = q.subject
                if not (
                    _has(books, graph, SOURCE_PATH, key, log) and self.is_complete(graph.value)
                ):
                    continue
                # a shown document's quads are in the data store, an earlier version's here
                held = books if graph.value.startswith(earlier) else self._store
                for stated in held.quads_for_pattern(None, STATED_PATH, ox.Literal(name), graph):
                    found[value] = stated.subject.value
        return found

    def _shown_versions(self, meetings: list[str]) -> dict[str, dict[str, str]]:
        """The documents shown for each meeting (complete, in the log) → their version keys."""
        log, books = self._log, self._books
        found: dict[str, dict[str, str]] = {}
        for meeting in meetings:
            shown = found.setdefault(meeting, {})
            for q in books.quads_for_pattern(None, OF_MEETING, ox.NamedNode(meeting), log):
                graph = q.subject
                if not isinstance(graph, ox.NamedNode):
                    continue
                if next(iter(books.quads_for_pattern(graph, INGEST_COMPLETE, None, log)), None):
                    key = books.quads_for_pattern(graph, VERSION_KEY, None, log)
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
        """The batch's own quads as N-Quads, and its shared descriptions as N-Triples."""
        own: list[str] = []
        shared: list[str] = []
        for doc in loading:
            mine, theirs = split_document(doc)
            own.append(mine)
            shared.append(theirs)
        return "".join(own).encode("utf-8"), "".join(shared).encode("utf-8")

    def _load(self, prepared: tuple[bytes, bytes]) -> None:
        """Both loads are lenient, i.e. do not check each IRI again, which is a quarter of
        their work: the text is graph.rdf.mapping's, whose IRIs graph.rdf.iris mints from
        slugs and percent-encoded segments and checks, and whose literals it escapes (tests
        parse its output strictly, fuzzed records included; lines of another shape are
        refused by :func:`split_document`).  A shared description already stored is written
        again as a no-op (a graph is a set); one the reference data states is then removed."""
        own, shared = prepared
        self._store.bulk_load(own, format=ox.RdfFormat.N_QUADS, lenient=True)
        if shared:
            self._store.bulk_load(
                shared, format=ox.RdfFormat.N_TRIPLES, to_graph=self._shared, lenient=True
            )
            self._store.update(self._unshare_reference_op())

    # ----- housekeeping ------------------------------------------------------------------

    def optimize(self) -> None:
        """Compact after a large load (fewer files, faster reads)."""
        self._require_writable()
        self._store.optimize()
        self._books.optimize()

    def flush(self) -> None:
        if self.writable:
            self._store.flush()
            self._books.flush()

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"store {self.path} is open read-only")


def _has(store: ox.Store, s: Any, p: ox.NamedNode, o: Any, g: ox.NamedNode) -> bool:
    """Whether ``store`` holds a quad of the pattern (one index look-up)."""
    return next(iter(store.quads_for_pattern(s, p, o, g)), None) is not None


def split_document(doc: DocumentLoad) -> tuple[str, str]:
    """A document's N-Quads split into its own quads (they stay in its graph) and the
    descriptions of shared things, as N-Triples (graph.rdf.ownership.owned_by_document).

    Each line must be one quad in the document's graph, ending `` <graph> .`` and a line
    feed, as graph.rdf.mapping prints them; a line that did not would be loaded lenient into
    some other graph, so the batch is refused instead."""
    text = doc.nquads or ""
    if not text:
        return "", ""
    end = f" <{doc.graph}> .\n"
    own: list[str] = []
    shared: list[str] = []
    if not text.endswith("\n"):
        raise ValueError(_shape_error(doc.graph))
    for line in text[:-1].split("\n"):
        line += "\n"
        if not line.endswith(end):
            raise ValueError(_shape_error(doc.graph))
        if owned_by_document(line_subject(line), doc.graph):
            own.append(line)
        else:
            shared.append(line[: -len(end)] + " .\n")
    return "".join(own), "".join(shared)


def line_subject(line: str) -> str:
    """The subject of an N-Triples or N-Quads line as graph.rdf.ownership.owned_by_document takes
    it: the IRI between its first ``<`` and ``>``, or ``"_:"`` for a blank node."""
    return line[1 : line.find(">")] if line.startswith("<") else "_:"


def _shape_error(graph: str) -> str:
    return (
        f"the N-Quads of {graph} are not one quad a line in that graph, each ending "
        "' <graph> .' and a line feed"
    )
