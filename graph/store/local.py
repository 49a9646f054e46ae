"""The graph store: the only module that knows pyoxigraph.

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

The log also tracks which file produced which graph (``<doc> kg:sourcePathDigest "<hex>"``,
an HMAC of the absolute path under a secret kept in the store folder outside every graph
(graph.ingest.pathkeys), so that no query can read a path or reverse one by guessing), so that
re-ingesting an edited file (new content, new sha, new graph IRI) drops the graph of its
previous version.

Only one process writes at a time (``flock`` on ``<dir>/.kommunegraf.lock``, with its pid in
it).  Readers open the store read-only, which RocksDB allows beside a writer: they see a
snapshot as of opening (beside a running writer, read from a hard-linked checkpoint in
``<dir>/.kommunegraf-snapshots``, since the writer's compactions delete files that a
read-only handle may still need); ``GRAPH`` patterns and :meth:`Store.documents` then see completed
documents only (the merged graph may show part of a batch being loaded at that instant).
RocksDB opens a read-only view from its file list and its write-ahead log, read at two
moments; a writer's change between them tears the view (a marker without its batch, a term
without its text).  So a writer holds ``<dir>/.kommunegraf-step.lock`` through each change
(flushed before it lets go) and a reader holds it shared while it opens and copies its view;
a gate (``<dir>/.kommunegraf-gate.lock``) lets a writer waiting for its next change go before
readers that come later.  The writer says in its lock file that it takes the step lock, so
that readers beside a writer of an earlier version still check their view themselves.
A reader that finds unmarked graphs while no writer runs repairs the store first, since a
killed writer's batch would otherwise stay visible in the merged graph.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.ingest import pathkeys, versions
from kommunegraf.ontology.terms import (
    PREFIXES as EXPORT_PREFIXES,  # every prefix the project declares
)

DEFAULT_BASE = "https://w3id.org/kommunegraf/"
KG = "https://w3id.org/kommunegraf/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
LOCK_FILE = ".kommunegraf.lock"
# Held by a writer through each change it makes (exclusive) and by a reader while it opens its
# snapshot (shared): RocksDB opens a view from its file list and its log read at two moments,
# and a change between them would tear the view.
STEP_LOCK_FILE = ".kommunegraf-step.lock"
# Held by a writer from before it waits for the step lock until its change is done, and by a
# reader only while it takes the step lock: a writer waits for the readers already opening,
# never for a stream of new ones (flock itself lets shared holders overtake a waiting writer).
GATE_LOCK_FILE = ".kommunegraf-gate.lock"
STEPS = "steps"  # what a writer that takes the step lock writes after its pid in LOCK_FILE
STEP_WAIT = 60.0  # seconds a reader waits for one change to end (a compaction-sized one)
SNAPSHOT_DIR = ".kommunegraf-snapshots"  # readers' private checkpoints while a writer runs

# The IRI of a source document's graph, whatever the base: …/id/kilde/5f8974b0a3dc02d0
DOCUMENT_GRAPH = re.compile(r"/id/kilde/[0-9a-f]{16}\Z")

INGEST_COMPLETE = ox.NamedNode(KG + "ingestComplete")
SOURCE_PATH = ox.NamedNode(KG + "sourcePathDigest")
STATED_PATH = ox.NamedNode(KG + "path")  # the file name the mapping states on a document
LAST_RUN = ox.NamedNode(KG + "ingestRun")
FORMAT = ox.NamedNode(KG + "storeFormat")
OF_MEETING = ox.NamedNode(KG + "ofMeeting")  # see graph.ingest.versions
VERSION_KEY = ox.NamedNode(KG + "versionKey")
# On the log: the last writer closed with every graph complete (readers may skip checking)
CLOSED_COMPLETE = ox.NamedNode(KG + "closedComplete")
# Triples per bulk load of the derived graph (the loader holds its whole input in memory)
DERIVED_LOAD_SLICE = 50_000
# An N-Triples line whose subject or object is a blank node: "_:b0 <p> <o> .", "<s> <p> _:b1 ."
BLANK_NODE_TRIPLE = re.compile(r"(?:_:|<[^>]*> <[^>]*> _:)")
STORE_FORMAT = "2"  # 2: the default graph holds the merge of the managed graphs
SHA256 = ox.NamedNode(KG + "sha256")  # stated by the mapping on each source document

EXPORT_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def content_marker(nquads: str) -> str:
    """A document's completion marker: the digest of exactly what was loaded, so that a
    re-ingest of unchanged content (same file, same extraction) can leave it in place."""
    return "quads-sha256:" + hashlib.sha256(nquads.encode("utf-8")).hexdigest()


class StoreError(KommunegrafError):
    """A store problem worth one line to the user (no traceback)."""


class StoreBusy(StoreError):
    """Another process is writing the store."""


class TornView(RuntimeError):
    """A read-only view caught between a writer's bulk load and its log (read it again).

    Not a ``KommunegrafError``: the store catches it and reads again; it is no user's error."""


class StoreMissing(StoreError):
    """A read-only command was pointed at a folder that holds no store."""


class QueryError(StoreError):
    """A SPARQL query that does not parse or cannot take its bindings."""


class IRI(str):
    """A string that is an IRI: binds as a named node, and marks named nodes in results."""

    __slots__ = ()


class BNode(str):
    """A blank node's label in query results."""

    __slots__ = ()


Value = IRI | BNode | str | int | float | Decimal | bool | dt.date


@dataclass(frozen=True)
class DocumentLoad:
    """One document for :meth:`Store.replace_documents`.

    ``nquads`` holds every quad of the document, all in the named graph ``graph``, as
    graph.rdf.mapping prints them: one quad a line, each ending `` <graph> .`` and a line feed,
    with valid IRIs (they are loaded without checking each IRI again); ``None`` only records
    ``paths`` as further names of a graph already loaded in the same run.  ``paths`` are
    absolute file paths.
    """

    graph: str
    nquads: str | None
    sha256: str
    paths: tuple[str, ...] = ()
    meeting: str | None = None  # the meeting IRI it describes (graph.ingest.versions: one shown)
    version: str = ""  # graph.ingest.versions.version_key: the largest of a meeting's is shown


@dataclass(frozen=True)
class Rows:
    """The solutions of a SELECT query: variable names and one dict per row."""

    variables: list[str]
    rows: Iterator[dict[str, Value | None]]

    def __iter__(self) -> Iterator[dict[str, Value | None]]:
        return self.rows


def _term(value: Value) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as the RDF term it binds to (typed literals for numbers and dates)."""
    if isinstance(value, IRI):
        return ox.NamedNode(value)
    if isinstance(value, BNode):
        return ox.BlankNode(value)
    if isinstance(value, bool):
        return ox.Literal(value)
    if isinstance(value, int):
        return ox.Literal(value)
    if isinstance(value, float):
        return ox.Literal(value)
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} into SPARQL")


def _value(term: Any) -> Value | None:
    """An RDF term as a plain Python value; IRIs come back as :class:`IRI`."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == XSD + "decimal":
                return Decimal(term.value)
            if datatype in (XSD + "double", XSD + "float"):
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return str(term)


def _bindings(bindings: dict[str, Value] | None) -> dict[ox.Variable, Any] | None:
    if not bindings:
        return None
    return {ox.Variable(name.lstrip("?$")): _term(value) for name, value in bindings.items()}


def _path_key(path: str, secret: bytes) -> ox.Literal:
    """What the log keeps of a file's absolute path: its keyed hash (see graph.ingest.pathkeys)."""
    return ox.Literal(pathkeys.keyed(path, secret))


def forget_unkeyed_paths(log: ox.NamedNode) -> str:
    """The update that drops every path entry of the log: run once, before a store's secret
    is made, so that no plain sha256 of a path written by an earlier version stays readable.
    (Those files are then matched by content only: an edited one goes in beside its old
    version, which the meeting rule of the ingest then supersedes.)"""
    return f"DELETE WHERE {{ GRAPH {log} {{ ?g {SOURCE_PATH} ?k }} }}"


def _lock_words(lock_path: Path) -> list[str]:
    """What the lock file says: the holder's pid, then STEPS from a writer that steps."""
    try:
        return lock_path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def _lock_holder(lock_path: Path) -> str:
    return next(iter(_lock_words(lock_path)), "?")


def _writer_takes_steps(folder: Path) -> bool:
    """Whether the running writer said it takes the step lock (one of an earlier version
    does not, though a later one may have left the lock file behind)."""
    return STEPS in _lock_words(folder / LOCK_FILE)[1:]


def _busy_message(path: Path, pid: str) -> str:
    return (
        f"store {path} is in use by another kommunegraf process (pid {pid}) — "
        "wait for it to finish or use another --store"
    )


class Store:
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
        # Earlier versions of a meeting's documents (graph.ingest.versions) are no source of the
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

    def _retract_ops(self, graphs: Iterable[ox.NamedNode]) -> list[str]:
        """SPARQL Update operations dropping ``graphs`` and, from the merged default graph,
        the triples that no other named graph states."""
        graphs = [g for g in graphs if self._store.contains_named_graph(g)]
        if not graphs:
            return []
        # The operations run in order, each graph dropped right after its share: a triple
        # that several leaving graphs state stays until the last of them goes.  (Naming
        # every leaving graph in each operation made the text grow with their square: a
        # batch of thousands of small documents gave an update of gigabytes.)  The ingest
        # log is no source of the merged graph: a triple it also holds does not keep one.
        ops = []
        for g in graphs:
            if g.value == self.derived_graph:  # its predicates are stated by no other graph
                ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
            else:
                ops.append(
                    f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                    f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                    f"FILTER(?other != {g} && ?other != {self._log} && {self._not_earlier}) }} }}"
                )
            ops.append(f"DROP SILENT GRAPH {g}")
        return ops

    def _forget_ops(self, graphs: Iterable[ox.NamedNode]) -> list[str]:
        return [f"DELETE WHERE {{ GRAPH {self._log} {{ {g} ?p ?o }} }}" for g in graphs]

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
            self._store.add(ox.Quad(self._log, CLOSED_COMPLETE, _now_literal(), self._log))

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
        key = _path_key(os.path.abspath(path), secret)
        for q in self._store.quads_for_pattern(None, SOURCE_PATH, key, self._log):
            return q.subject.value
        return None

    def completed_in_run(self, graph: str, run: str) -> bool:
        """Whether ``graph`` was completed by the ingest run ``run`` (a duplicate check)."""
        pattern = (ox.NamedNode(graph), LAST_RUN, ox.Literal(run), self._log)
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    def replace_documents(
        self,
        docs: Iterable[DocumentLoad],
        *,
        run: str = "",
        loaded: set[str] | None = None,
        overlaps: list[versions.Overlap] | None = None,
    ) -> list[str]:
        """Load a batch of documents, each replacing its graph and older versions of its paths.

        Returns the graphs dropped because each of their paths now yields another graph;
        ``loaded`` gets the graphs written (a document already in with the same quads is not);
        ``overlaps`` gets each document moved aside as an earlier version of its meeting
        (graph.ingest.versions: of one meeting's documents only one is shown).

        1. one transaction unmarks and empties the graphs about to be reloaded;
        2. the bulk loader writes the batch's graphs, then their triples into the merged
           default graph (fast, not transactional).  Both loads are lenient, i.e. do not
           check each IRI again, which is a quarter of their work: the text is
           graph.rdf.mapping's, whose IRIs graph.rdf.iris mints from slugs and percent-encoded
           segments and checks, and whose literals it escapes (tests parse its output
           strictly, fuzzed records included; lines of another shape are refused);
        3. one transaction marks them complete, moves the paths' log entries and drops the
           superseded graphs, and moves aside the documents of a meeting not shown.
        A crash before 3 leaves the batch unmarked; the next writer removes it.
        """
        self._require_writable()
        batch = _one_per_graph(docs)
        if not batch:
            return []
        log = self._log
        markers = {d.graph: content_marker(d.nquads) for d in batch.values() if d.nquads}

        def marked(graph: str, marker: str) -> bool:
            node = ox.NamedNode(graph)
            found = self._store.quads_for_pattern(node, INGEST_COMPLETE, None, log)
            return any(q.object.value == marker for q in found)

        # already wholly in with the same quads: never unmarked, so a kill keeps it
        unchanged = {graph for graph, marker in markers.items() if marked(graph, marker)}
        # … or kept aside as an earlier version of its meeting with the same quads: left there
        aside = {
            graph
            for graph, marker in markers.items()
            if graph not in unchanged and marked(versions.earlier_graph(self.base, graph), marker)
        }
        unchanged |= aside
        loading = [d for d in batch.values() if d.nquads is not None and d.graph not in unchanged]
        # The same triples for the merged default graph, made before anything is written: a
        # document whose lines are shaped otherwise is refused with its batch whole.
        triples = "".join(_merged_triples(d) for d in loading)
        if loaded is not None:
            loaded.update(d.graph for d in loading)

        if loading:
            nodes = [ox.NamedNode(d.graph) for d in loading]
            unmark = [
                f"DELETE WHERE {{ GRAPH {log} {{ {g} {INGEST_COMPLETE} ?x }} }}" for g in nodes
            ]
            self._store.update(" ;\n".join(unmark + self._retract_ops(nodes)))
            self._store.bulk_load(
                "".join(d.nquads or "" for d in loading).encode("utf-8"),
                format=ox.RdfFormat.N_QUADS,
                lenient=True,
            )
            # A second load rather than one of both texts: the bulk loader holds ≈ 1.1 KB per
            # quad it writes, so one load of both took twice the memory (+285 against +145 MB
            # a batch) and was no faster.
            self._store.bulk_load(
                triples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True
            )
        del triples

        superseded: set[str] = set()
        remaining: dict[str, set[str]] = {}
        ops: list[str] = []
        inserts: list[str] = []
        secret = self._path_secret()
        assert secret is not None  # a writer always has one
        for doc in batch.values():
            node = ox.NamedNode(doc.graph)
            if doc.graph in aside:
                node = ox.NamedNode(versions.earlier_graph(self.base, doc.graph))
            for path in doc.paths:
                literal = _path_key(path, secret)
                for q in self._store.quads_for_pattern(None, SOURCE_PATH, literal, log):
                    old = q.subject.value
                    if old == node.value:
                        continue
                    ops.append(
                        f"DELETE DATA {{ GRAPH {log} {{ {q.subject} {SOURCE_PATH} {literal} }} }}"
                    )
                    if old not in remaining:
                        remaining[old] = {
                            p.object.value
                            for p in self._store.quads_for_pattern(
                                q.subject, SOURCE_PATH, None, log
                            )
                        }
                    remaining[old].discard(literal.value)
                    if not remaining[old] and old not in batch:
                        superseded.add(old)
                inserts.append(f"{node} {SOURCE_PATH} {literal} .")
            if doc.graph in markers and doc.graph not in unchanged:
                inserts.append(f"{node} {INGEST_COMPLETE} {ox.Literal(markers[doc.graph])} .")
            ops.append(f"DELETE WHERE {{ GRAPH {log} {{ {node} {LAST_RUN} ?r }} }}")
            inserts.append(f"{node} {LAST_RUN} {ox.Literal(run)} .")
            if doc.meeting and doc.graph not in aside:
                inserts.append(f"{node} {versions.OF_MEETING} {ox.NamedNode(doc.meeting)} .")
                ops.append(f"DELETE WHERE {{ GRAPH {log} {{ {node} {versions.VERSION_KEY} ?v }} }}")
                inserts.append(f"{node} {versions.VERSION_KEY} {ox.Literal(doc.version)} .")
        old_nodes = [ox.NamedNode(g) for g in sorted(superseded)]
        ops += self._retract_ops(old_nodes) + self._forget_ops(old_nodes)
        ops.append(f"INSERT DATA {{ GRAPH {log} {{ {' '.join(inserts)} }} }}")
        news = [d for d in loading if d.meeting]
        ops += self._aside(news, superseded, overlaps)
        self._store.update(" ;\n".join(ops))
        return sorted(superseded)

    def _meeting_versions(self, meeting: str) -> dict[str, str]:
        """The documents shown for ``meeting`` (complete, in the log) → their version keys."""
        log, node = self._log, ox.NamedNode(meeting)
        found: dict[str, str] = {}
        for q in self._store.quads_for_pattern(None, OF_MEETING, node, log):
            graph = q.subject
            if not (isinstance(graph, ox.NamedNode) and DOCUMENT_GRAPH.search(graph.value)):
                continue  # an earlier version, kept aside
            if next(iter(self._store.quads_for_pattern(graph, INGEST_COMPLETE, None, log)), None):
                key = self._store.quads_for_pattern(graph, VERSION_KEY, None, log)
                found[graph.value] = next((k.object.value for k in key), "")
        return found

    def _names(self, graph: str) -> tuple[str, ...]:
        """The file name(s) a document states (for the overlap report)."""
        node = ox.NamedNode(graph)
        return tuple(
            sorted(
                q.object.value for q in self._store.quads_for_pattern(node, STATED_PATH, None, node)
            )
        )

    def _aside(
        self,
        news: list[DocumentLoad],
        dropped: set[str],
        overlaps: list[versions.Overlap] | None,
    ) -> list[str]:
        """Operations moving aside, for each meeting of the documents ``news`` loads, every
        document of it but the one graph.ingest.versions shows (``dropped`` are leaving anyway)."""
        candidates: dict[str, dict[str, str]] = {}
        for meeting in {d.meeting for d in news if d.meeting}:
            stored = self._meeting_versions(meeting).items()
            candidates[meeting] = {g: v for g, v in stored if g not in dropped}
            candidates[meeting].update({d.graph: d.version for d in news if d.meeting == meeting})
        ops: list[str] = []
        for loser, shown in versions.set_aside(candidates, self._names, overlaps):
            lose, earlier = ox.NamedNode(loser), versions.earlier_graph(self.base, loser)
            ops += versions.aside_ops(
                str(lose),
                str(ox.NamedNode(earlier)),
                str(ox.NamedNode(shown)),
                str(self._log),
                self._retract_ops([lose]),
            )
        return ops

    def drop_documents(self, graphs: Iterable[str]) -> None:
        """Remove document graphs, their share of the merged graph and their log entries."""
        self._require_writable()
        nodes = [ox.NamedNode(g) for g in graphs]
        if nodes:
            self._store.update(" ;\n".join(self._retract_ops(nodes) + self._forget_ops(nodes)))

    def _replace_managed(self, node: ox.NamedNode, load: Any, marker: str) -> None:
        """Swap a non-document graph: unmark and empty it, load it, merge it into the default
        graph (bulk, from its own dump), then mark it complete; a crash before the mark
        leaves it unmarked, and the next writer retracts it."""
        unmark = f"DELETE WHERE {{ GRAPH {self._log} {{ {node} {INGEST_COMPLETE} ?x }} }}"
        self._store.update(" ;\n".join([unmark, *self._retract_ops([node])]))
        load()
        merged = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
        merge = ""
        if b"_:" in merged:  # a reparse would rename blank nodes: copy them in SPARQL
            merge = f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }} ;\n"
        elif merged:
            self._store.bulk_load(merged, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        self._store.update(
            f"{merge}INSERT DATA {{ GRAPH {self._log} {{ "
            f"{node} {INGEST_COMPLETE} {ox.Literal(marker)} }} }}"
        )

    def replace_graph(self, graph: str, ntriples: str | Iterable[str]) -> int:
        """Replace the derived graph (or another non-document graph) with N-Triples: a text,
        or its lines without their ends, read once (a national corpus's derived graph is
        streamed so: loaded as it comes the first time, held once with 16-byte keys to be
        compared with what is stored afterwards).  Returns the number of triples given."""
        self._require_writable()
        node = ox.NamedNode(graph)
        if isinstance(ntriples, str):
            # not splitlines(): a literal may hold U+2028 or U+0085, which end a line there
            lines: Iterable[str] = [line for line in ntriples.split("\n") if line]
        else:
            lines = ntriples
        if graph == self.derived_graph:
            return self._update_derived(node, lines)
        lines = list(lines)
        text = "".join(line + "\n" for line in lines)
        data = text.encode("utf-8")

        def load() -> None:
            if data:
                self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)

        marker = ntriples if isinstance(ntriples, str) else text
        self._replace_managed(node, load, hashlib.sha256(marker.encode("utf-8")).hexdigest())
        return len(lines)

    def _update_derived(self, node: ox.NamedNode, lines: Iterable[str]) -> int:
        """Bring the derived graph to ``lines`` by its difference from what is stored.

        An ingest changes a small part of the threads, links and centralities, and deleting
        is the slow half of Oxigraph's writes (seconds per 50,000 triples), so only the
        triples that went away are deleted and only new ones added.  The derived graph's
        predicates are stated by no other graph, so its triples leave the merged default
        graph with it.  Its lines never hold a blank node: the named graph and the merged
        graph are written from the same text.

        Readers must see the old derived graph or the new one, never none and never half:
        a graph already stored changes in one SPARQL update with its marker (one Oxigraph
        transaction; a writer killed before it leaves the old graph, marked, and the count
        of documents it covers says it is stale).  Only a first computation, with nothing
        for a reader to lose, is bulk-loaded in slices as it comes, unmarked until whole (a
        writer killed meanwhile leaves it unmarked; the next one retracts it and recomputes).
        """
        log = self._log
        unmark = f"DELETE WHERE {{ GRAPH {log} {{ {node} {INGEST_COMPLETE} ?x }} }}"
        with tempfile.TemporaryFile() as stored:  # the stored lines, read back as they come
            if self._store.contains_named_graph(node):
                self._store.dump(stored, format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            if stored.tell() == 0:
                self._store.update(unmark)
                count, digest = self._load_derived_first(node, lines)
                marker = ox.Literal(digest)
                self._store.update(
                    f"INSERT DATA {{ GRAPH {log} {{ {node} {INGEST_COMPLETE} {marker} }} }}"
                )
                return count
            count, digest, gone, added = _derived_difference(lines, stored)
        ops: list[str] = []
        if gone:
            ops += _in_both("DELETE", " ".join(gone), node)
        if added:
            ops += _in_both("INSERT", "\n".join(added), node)
        marker = ox.Literal(digest)
        ops += [unmark, f"INSERT DATA {{ GRAPH {log} {{ {node} {INGEST_COMPLETE} {marker} }} }}"]
        self._store.update(" ;\n".join(ops))
        return count

    def _load_derived_first(self, node: ox.NamedNode, lines: Iterable[str]) -> tuple[int, str]:
        """Load a first derived graph as its lines come (never held whole: hundreds of MB at
        national scale); returns how many lines there are and their text's digest."""
        digest, count, pending = hashlib.sha256(), 0, []

        def load() -> None:
            data = "\n".join(pending).encode("utf-8")
            self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
            self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            pending.clear()

        for line in lines:
            _check_derived_line(line)
            digest.update(line.encode("utf-8") + b"\n")
            count += 1
            pending.append(line)
            if len(pending) >= DERIVED_LOAD_SLICE:
                load()
        if pending:
            load()
        return count, digest.hexdigest()

    def patch_derived(self, remove: Iterable[str], add: Iterable[str]) -> int:
        """Change a part of the derived graph: delete the N-Triples lines ``remove`` (as
        :meth:`construct_lines` gave them) and insert ``add``; returns the lines added.

        What an ingest of a few documents into a large store needs (the threads of the
        municipalities it touched) without recomputing the whole graph.  One SPARQL update,
        which Oxigraph applies as a transaction: readers see the graph before or after, a
        writer killed meanwhile leaves it as it was, and a line that does not parse changes
        nothing.  (Patches are small; a whole recomputation goes through the bulk loader.)
        The lines are N-Triples this project printed (no user text is spliced unescaped).
        """
        self._require_writable()
        gone, added = list(remove), list(add)
        for line in added:
            _check_derived_line(line)
        node, log = ox.NamedNode(self.derived_graph), self._log
        digest = hashlib.sha256("\n".join(["-", *gone, "+", *added]).encode("utf-8"))
        marker = ox.Literal("patch:" + digest.hexdigest())
        ops = []
        if gone:
            ops += _in_both("DELETE", "\n".join(gone), node)
        if added:
            ops += _in_both("INSERT", "\n".join(added), node)
        ops += [
            f"DELETE WHERE {{ GRAPH {log} {{ {node} {INGEST_COMPLETE} ?x }} }}",
            f"INSERT DATA {{ GRAPH {log} {{ {node} {INGEST_COMPLETE} {marker} }} }}",
        ]
        self._store.update(" ;\n".join(ops))
        return len(added)

    def is_complete(self, graph: str) -> bool:
        """Whether ``graph`` carries its completion marker (wholly written)."""
        pattern = (ox.NamedNode(graph), INGEST_COMPLETE, None, self._log)
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    def construct_lines(self, sparql: str, bindings: dict[str, Value] | None = None) -> set[str]:
        """The triples a CONSTRUCT query makes, as N-Triples lines in the form the store
        prints them: what :meth:`patch_derived` deletes must match what is stored."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("construct_lines needs a CONSTRUCT query")
        return {f"{triple} ." for triple in self._reading(result)}

    def load_reference(self, paths: Iterable[Path] | None = None) -> bool:
        """(Re)load the reference data (``ontology/reference/*.ttl``) into its graph.

        Skipped when the files are those loaded last time (their digest is the graph's
        completion marker); returns whether it loaded.
        """
        self._require_writable()
        files = sorted(paths) if paths is not None else reference_files()
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
        node = ox.NamedNode(self.reference_graph)
        marker = (node, INGEST_COMPLETE, ox.Literal(digest.hexdigest()), self._log)
        if next(iter(self._store.quads_for_pattern(*marker)), None) is not None:
            return False

        def load() -> None:
            for path in files:
                self._store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=node)

        self._replace_managed(node, load, digest.hexdigest())
        return True

    # ----- reading -----------------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        """Every named graph a query can see, sorted."""
        graphs = self._visible if self._visible is not None else self._store.named_graphs()
        return sorted(g.value for g in graphs if isinstance(g, ox.NamedNode))

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """(subject, object) of every ``predicate`` triple in the merged default graph, as
        IRIs or lexical forms; only those whose object is the IRI ``obj`` if given.

        One index scan, without SPARQL: the derived-graph computation reads every mention
        and type in the store this way (a plain SELECT costs twice as much).  Yielded as
        read, so that a national corpus's million mentions are never all held at once.
        """
        node = ox.NamedNode(obj) if obj is not None else None
        found = self._store.quads_for_pattern(
            None, ox.NamedNode(predicate), node, ox.DefaultGraph()
        )
        try:
            for quad in found:
                yield quad.subject.value, quad.object.value
        except OSError as exc:
            raise self._read_error(exc) from exc

    def quad_count(self, graph: str | None = None) -> int:
        """Quads in one graph, or in the whole store (named graphs, the merged default graph
        and the ingest log)."""
        if graph is None:
            return len(self._store)
        count = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            substitutions={ox.Variable("g"): ox.NamedNode(graph)},
        )
        row = next(iter(count), None)
        return int(row["n"].value) if row is not None else 0

    def _query(self, sparql: str, bindings: dict[str, Value] | None) -> Any:
        options: dict[str, Any] = {"substitutions": _bindings(bindings)}
        if self._legacy_union:
            options["use_default_graph_as_union"] = True
        if self._visible is not None:
            options["named_graphs"] = self._visible
        try:
            return self._store.query(sparql, **options)
        except OSError as exc:
            raise self._failed_read(exc) from exc
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:
            if _store_fault(exc):
                raise self._read_error(exc) from exc
            if "projection" in str(exc):
                raise QueryError(
                    f"{exc}: a bound variable must be in scope at the top of the query "
                    "(in SELECT, or in a pattern of ASK/CONSTRUCT) — add it to SELECT/GROUP BY"
                ) from None
            raise QueryError(str(exc)) from None

    def _read_error(self, exc: Exception) -> StoreError:
        if not self.writable and (pid := writer_pid(self.path)):
            return StoreBusy(
                f"store {self.path} changed under this read (kommunegraf pid {pid} is writing it)"
                " — run the command again when that process has finished"
            )
        return StoreError(f"store {self.path}: {exc}")

    def query(
        self, sparql: str, bindings: dict[str, Value] | None = None
    ) -> Rows | bool | list[tuple[Value, Value, Value]]:
        """Run SPARQL over the merged graph of all documents, reference and derived data.

        The store's default graph holds that merge as a set (kept in step by every write),
        so a triple stated by many documents matches once; ``GRAPH ?g { … }`` reaches the
        named graphs one by one (documents, reference, derived, and the ingest log).

        Bindings are substituted as terms (SEP-0007), never pasted into the text: ``str`` is a
        plain literal, :class:`IRI` a named node, numbers/dates typed literals.  A bound
        variable must be in scope at the top of the query (projected by SELECT).
        SELECT gives :class:`Rows`, ASK a bool, CONSTRUCT/DESCRIBE a list of triples.
        """
        result = self._query(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            triples = self._reading(result)
            return [(_value(t.subject), _value(t.predicate), _value(t.object)) for t in triples]
        names = [v.value for v in result.variables]
        rows = ({name: _value(s[name]) for name in names} for s in self._reading(result))
        return Rows(names, rows)

    def _reading(self, results: Iterable[Any]) -> Iterator[Any]:
        """Oxigraph's lazy results, with a fault of the store met while reading them (a file
        a writer's compaction removed, a view torn beside a writer) said in one line."""
        try:
            yield from results
        except (OSError, RuntimeError) as exc:
            raise self._failed_read(exc) from exc

    def _failed_read(self, exc: Exception) -> StoreError:
        return self._read_error(exc) if _store_fault(exc) else QueryError(str(exc))

    def select(self, sparql: str, bindings: dict[str, Value] | None = None) -> Rows:
        """The rows of a SELECT query (see :meth:`query`)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, Rows):
            raise QueryError("select() needs a SELECT query")
        return result

    def ask(self, sparql: str, bindings: dict[str, Value] | None = None) -> bool:
        """The answer of an ASK query (see :meth:`query`)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, bool):
            raise QueryError("ask() needs an ASK query")
        return result

    def construct(
        self, sparql: str, bindings: dict[str, Value] | None = None
    ) -> list[tuple[Value, Value, Value]]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        result = self.query(sparql, bindings)
        if not isinstance(result, list):
            raise QueryError("construct() needs a CONSTRUCT or DESCRIBE query")
        return result

    def describe(self, iri: str) -> list[tuple[Value, Value, Value]]:
        """Every triple (in any graph) whose subject is ``iri``."""
        return self.construct("DESCRIBE ?x", {"x": IRI(iri)})

    def query_serialized(
        self, sparql: str, fmt: str = "json", bindings: dict[str, Value] | None = None
    ) -> bytes:
        """A query's results as SPARQL results JSON/CSV/TSV/XML (SELECT, ASK) or RDF
        (CONSTRUCT/DESCRIBE; ``fmt`` one of ``EXPORT_FORMATS``), ready for an HTTP answer."""
        result = self._query(sparql, bindings)
        if isinstance(result, ox.QueryTriples):
            out_format: Any = EXPORT_FORMATS.get(fmt, ox.RdfFormat.N_TRIPLES)
        elif fmt in RESULT_FORMATS:
            out_format = RESULT_FORMATS[fmt]
        else:
            raise StoreError(f"unknown results format {fmt!r}; use one of {sorted(RESULT_FORMATS)}")
        try:
            return result.serialize(format=out_format)
        except (OSError, RuntimeError) as exc:  # met while the results are read
            raise self._failed_read(exc) from exc

    def query_results(self, sparql: str, bindings: dict[str, Value] | None = None) -> Any:
        """Oxigraph's own lazy results (QuerySolutions, QueryBoolean or QueryTriples), for a
        server that serialises them in the format a client asks for, under its own size cap."""
        return self._query(sparql, bindings)

    def graph_ntriples(self, graph: str) -> bytes:
        """One graph as N-Triples (for pySHACL and tests)."""
        quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the store (the ingest log left out: it holds bookkeeping only).

        ``nq``, ``trig`` and ``jsonld`` write the named graphs; ``ttl`` cannot hold graphs,
        so it is the merged default graph (a triple stated by several documents appears once).
        """
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {sorted(EXPORT_FORMATS)}")
        prefixes = EXPORT_PREFIXES  # (IRIs below id/ have slashes: no readable prefix)
        if fmt == "ttl":
            triples = (
                q.triple for q in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            )
            ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            return
        earlier = self.base + versions.EARLIER_PATH  # bookkeeping like the log
        graphs = [
            g for g in self.named_graphs() if g != self.log_graph and not g.startswith(earlier)
        ]
        quads = (
            q
            for g in graphs
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        if fmt == "nq":
            ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
        else:
            ox.serialize(quads, out, format=EXPORT_FORMATS[fmt], prefixes=prefixes)

    def import_(self, path: Path, fmt: str | None = None) -> int:
        """Add an export (N-Quads, TriG, JSON-LD…) to the store: its graphs are merged into
        the default graph and marked complete.  Returns the number of documents marked."""
        self._require_writable()
        rdf_format = EXPORT_FORMATS[fmt] if fmt else ox.RdfFormat.from_extension(path.suffix[1:])
        if rdf_format is None:
            raise StoreError(f"{path.name}: unknown RDF format")
        self._store.bulk_load(path=str(path), format=rdf_format)
        unmarked = self._incomplete()
        inserts = []
        for graph in unmarked:
            # The mapping states the document's sha256 on its own IRI.
            stated = self._store.quads_for_pattern(graph, SHA256, None, graph)
            marker = next((q.object.value for q in stated), "imported")
            inserts.append(f"{graph} {INGEST_COMPLETE} {ox.Literal(marker)} .")
        with self._one_step():
            for graph in self._store.named_graphs():
                if self._managed(graph):
                    self._store.update(
                        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
                    )
            if inserts:
                log = self._log
                self._store.update(f"INSERT DATA {{ GRAPH {log} {{ {' '.join(inserts)} }} }}")
        return sum(1 for g in unmarked if DOCUMENT_GRAPH.search(g.value))

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


def reference_files() -> list[Path]:
    """The reference-data Turtle files shipped in the ``ontology`` package."""
    from kommunegraf import ontology

    return ontology.reference_files()


def writer_pid(path: Path) -> str | None:
    """The pid of the kommunegraf process writing the store at ``path``, if one is."""
    lock_path = Path(path) / LOCK_FILE
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return _lock_holder(lock_path)
        raise
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    path.mkdir(parents=True, exist_ok=True)
    lock_path = path / LOCK_FILE
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StoreBusy(_busy_message(path, _lock_holder(lock_path))) from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {STEPS}\n".encode("ascii"))
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class _Stepped:
    """A writer's pyoxigraph handle whose every change holds the step lock (exclusive).

    The in-memory table is flushed before the lock is let go, so that no flush is left
    running in the background while a reader opens its view.  Compaction is not a change:
    it leaves the content as it was.  :meth:`step` holds the lock across several changes.
    """

    _CHANGES = frozenset(
        {"update", "add", "remove", "extend", "load", "clear", "clear_graph", "remove_graph"}
        | {"add_graph", "bulk_load", "bulk_extend"}
    )

    def __init__(self, folder: Path) -> None:
        """Open the store at ``folder`` (under the lock: opening replays RocksDB's log);
        raises OSError as ``ox.Store`` does."""
        self._step_fd = os.open(folder / STEP_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        self._gate_fd = os.open(folder / GATE_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        # flock is held per open file, not per thread: changes from two threads of the
        # writer (the ingest's loader and its main thread) take turns here first
        self._turn = threading.Lock()
        self._owner: int | None = None  # the thread inside a change: its own nest in it
        self._closed = False
        self._inner: ox.Store | None = None
        try:
            with self._locked():
                self._inner = ox.Store(str(folder))
        except BaseException:
            self._let_go()
            raise

    def __len__(self) -> int:
        return len(self._open())

    def _open(self) -> ox.Store:
        if self._closed or self._inner is None:
            raise StoreError("this store was closed; open it again (open_store)")
        return self._inner

    @contextlib.contextmanager
    def step(self) -> Iterator[None]:
        self._open()  # before any lock: a closed wrapper's descriptors may be another's now
        if self._owner == threading.get_ident():  # a change made inside a change
            yield
            return
        with self._locked():
            self._owner = threading.get_ident()
            try:
                yield
            finally:
                self._owner = None
                if self._inner is not None:
                    self._inner.flush()  # nothing to do after a bulk load alone

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This thread's turn, then the gate, then the step lock (exclusive)."""
        with (
            self._turn,
            _holding(self._gate_fd, fcntl.LOCK_EX),
            _holding(self._step_fd, fcntl.LOCK_EX),
        ):
            yield

    def close(self) -> None:
        """Let the handle go, under the lock (closing may write what is left), then the lock
        files."""
        if self._closed:
            return
        try:
            with self.step():
                self._inner = None
        finally:
            self._let_go()

    def _let_go(self) -> None:
        self._closed = True
        os.close(self._step_fd)
        os.close(self._gate_fd)

    def __getattr__(self, name: str) -> Any:
        if name not in self._CHANGES:
            return getattr(self._open(), name)

        def change(*args: Any, **kwargs: Any) -> Any:
            with self.step():  # the method is looked up now: a traceback keeps no handle
                return getattr(self._open(), name)(*args, **kwargs)

        return change


@contextlib.contextmanager
def _holding(fd: int, kind: int) -> Iterator[None]:
    fcntl.flock(fd, kind)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def _between_steps(folder: Path) -> Iterator[bool]:
    """Hold the step lock shared: no writer is in the middle of a change meanwhile.

    Waits up to STEP_WAIT for the change under way, passing the gate first so that a writer
    waiting for its next change goes before readers that come after it.  Gives whether it
    holds the lock: a store no writer of this version has opened has no lock file, and is
    read as it is.
    """
    try:
        fd = os.open(folder / STEP_LOCK_FILE, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        gate = os.open(folder / GATE_LOCK_FILE, os.O_RDONLY)
    except OSError:
        gate = None
    try:
        deadline = time.monotonic() + STEP_WAIT
        while not _take_shared(fd, gate):
            if time.monotonic() >= deadline:
                pid = writer_pid(folder) or "?"
                raise StoreBusy(
                    f"store {folder} is busy: kommunegraf pid {pid} has been changing it "
                    f"for over {STEP_WAIT:g} s — try again when it has finished"
                )
            time.sleep(0.002)  # a writer lets go only between its changes: look often
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
        if gate is not None:
            os.close(gate)


def _take_shared(fd: int, gate: int | None) -> bool:
    """The step lock shared, through the gate (exclusive, for a moment); False: not now."""
    try:
        if gate is not None:
            fcntl.flock(gate, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        if gate is not None:
            fcntl.flock(gate, fcntl.LOCK_UN)


def _repair(folder: Path, base: str) -> None:
    """Finish what a killed writer left: opening for writing recovers the store."""
    try:
        with open_store(folder, write=True, base=base):
            pass
    except StoreBusy:
        pass  # a writer has just started; its own opening recovers the store
    except (StoreError, OSError) as exc:
        raise StoreError(
            f"store {folder} was left half-written by a killed ingest, and this user cannot "
            f"repair it ({exc}) — run `kommunegraf ingest` as a user who may write the store"
        ) from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _checkpoint(inner: ox.Store, folder: Path) -> Path | None:
    """Hard-link a private copy of what the read-only handle ``inner`` sees.

    A writer's compaction deletes files that a read-only handle still reads, and pyoxigraph
    0.5 can then spin forever inside a query; a RocksDB checkpoint keeps those files alive.
    None when this user may not write in the store folder (the live folder is read then).
    """
    parent = folder / SNAPSHOT_DIR
    try:
        parent.mkdir(exist_ok=True)
        for old in parent.iterdir():  # left by killed readers
            pid = old.name.partition("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    target = parent / f"{os.getpid()}-{uuid.uuid4().hex}"
    try:
        inner.backup(str(target))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def unmarked_query(log: ox.NamedNode | str) -> str:
    """ASK: does some graph other than the log lack its completion marker?"""
    return (
        f"ASK {{ GRAPH ?g {{ }} FILTER(?g != {log}) "
        f"FILTER NOT EXISTS {{ GRAPH {log} {{ ?g {INGEST_COMPLETE} ?m }} }} }}"
    )


def _now_literal() -> ox.Literal:
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return ox.Literal(when, datatype=ox.NamedNode(XSD + "dateTime"))


def _snapshot(folder: Path, base: str, attempts: int = 5) -> Store:
    """A read-only snapshot; retried, because a writer compacting at the moment of opening
    can delete a file the snapshot's manifest names (RocksDB reports "Corruption"), and a
    view opened beside a writer of an earlier version can be torn (see Store._torn).

    Beside a running writer the snapshot is read from a checkpoint (see _checkpoint)."""
    for attempt in range(attempts):
        checkpoint, inner, store = None, None, None
        writing = writer_pid(folder)  # before opening too: a writer may finish meanwhile
        try:
            with _between_steps(folder) as guarded:
                inner = ox.Store.read_only(str(folder))
                writing = writer_pid(folder) or writing
                # read while that writer cannot finish: one of an earlier version says no
                guarded = guarded and (not writing or _writer_takes_steps(folder))
                if writing:
                    checkpoint = _checkpoint(inner, folder)
                    if checkpoint is not None:
                        inner = ox.Store.read_only(str(checkpoint))
            store = Store(inner, folder, writable=False, base=base)
            store._checkpoint = checkpoint
            store._restrict_to_complete(unguarded_writer=bool(writing) and not guarded)
            return store
        except (OSError, RuntimeError) as exc:
            inner = store = None  # close the handle before its checkpoint goes
            if checkpoint is not None:
                shutil.rmtree(checkpoint, ignore_errors=True)
            pid = writer_pid(folder) or writing
            if not pid:
                raise StoreError(f"cannot open store {folder}: {exc}") from None
            if attempt == attempts - 1:
                raise StoreBusy(
                    f"store {folder} is busy: kommunegraf pid {pid} is writing it and no "
                    "consistent snapshot could be read — try again when it has finished"
                ) from None
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


# How Oxigraph's messages for a fault of the store's files begin ("Corruption: block checksum
# mismatch", "Not able to find the string with id …", "the term buffer has an invalid type
# id"), as opposed to the query's own failures: a SERVICE that does not answer is an OSError
# too, and its error may quote the remote store's words after "Error 500 … with payload:".
STORE_FAULTS = ("Corruption", "IO error", "No such file", "Not able to find the string")
STORE_FAULTS += ("the term buffer",)


def _store_fault(exc: Exception) -> bool:
    """Whether Oxigraph's error is about the store's files rather than the query: a file
    gone, or a term whose text is not in the view (a read beside a writer can be torn)."""
    return isinstance(exc, FileNotFoundError) or str(exc).startswith(STORE_FAULTS)


def _one_per_graph(docs: Iterable[DocumentLoad]) -> dict[str, DocumentLoad]:
    """The batch by graph: the same document under several names is loaded once."""
    batch: dict[str, DocumentLoad] = {}
    for doc in docs:
        if doc.graph in batch:
            first = batch[doc.graph]
            paths = tuple(dict.fromkeys(first.paths + doc.paths))
            nquads = first.nquads if first.nquads is not None else doc.nquads
            batch[doc.graph] = dataclasses.replace(first, nquads=nquads, paths=paths)
        else:
            batch[doc.graph] = doc
    return batch


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


def _line_key(line: bytes) -> bytes:
    """A derived line's key for telling lines apart: 16 bytes in place of a line of ≈ 150
    (the odds of two of a national corpus's 13 million lines sharing one: below 1 in 10^24)."""
    return hashlib.blake2b(line, digest_size=16).digest()


def _check_derived_line(line: str) -> None:
    """The derived graph is loaded into its graph and the merged graph from the same text,
    which a blank node would make two different nodes."""
    if "_:" in line and BLANK_NODE_TRIPLE.match(line):
        raise ValueError(f"a derived triple with a blank node: {line[:200]}")


def _derived_difference(
    lines: Iterable[str], stored: IO[bytes]
) -> tuple[int, str, list[str], list[str]]:
    """The derived graph's new ``lines`` against the ``stored`` N-Triples (a file at its
    end): how many lines there are, their text's digest, the stored lines that went away and
    the new lines not stored.

    Lines are told apart by 16-byte keys, so that neither the old lines nor a second copy of
    the new ones are held as sets.  One triple may be printed two ways ("0.0" given, "0"
    stored, one xsd:double): it is then deleted and added, which the one update applies in
    that order.
    """
    stored.seek(0)
    digest, new, keys = hashlib.sha256(), [], []
    for line in lines:
        _check_derived_line(line)
        encoded = line.encode("utf-8")
        digest.update(encoded + b"\n")
        keys.append(_line_key(encoded))
        new.append(line)
    unmatched = set(keys)  # the new lines not (yet) met among the stored ones
    gone: list[str] = []
    for raw in stored:
        raw = raw.rstrip(b"\n")
        if raw:
            key = _line_key(raw)
            if key in unmatched:  # the stored lines are distinct: met once at most
                unmatched.discard(key)
            else:
                gone.append(raw.decode("utf-8"))
    added = [line for line, key in zip(new, keys, strict=True) if key in unmatched]
    return len(new), digest.hexdigest(), gone, added


def _in_both(verb: str, triples: str, graph: ox.NamedNode) -> list[str]:
    """``verb`` DATA of N-Triples in the merged default graph and in ``graph``."""
    return [f"{verb} DATA {{ {triples} }}", f"{verb} DATA {{ GRAPH {graph} {{ {triples} }} }}"]


def _open_read_only(folder: Path, base: str) -> Store:
    """A snapshot for reading.

    Graphs without a completion marker while no writer runs were left by a killed writer,
    and their triples are still in the merged default graph that queries read: the store is
    repaired (as the next writer would) before the snapshot is taken again.
    """
    store = _snapshot(folder, base)
    if store._visible is not None and not writer_pid(folder):
        store._release()
        _repair(folder, base)
        store = _snapshot(folder, base)
    return store


@contextlib.contextmanager
def open_store(
    path: str | os.PathLike[str], *, write: bool, base: str | None = None
) -> Iterator[Store]:
    """Open the store at ``path`` for writing (exclusive; recovers from a killed writer) or
    reading (a snapshot; allowed beside a writer)."""
    folder = Path(path)
    base = base or os.environ.get("KOMMUNEGRAF_BASE") or DEFAULT_BASE
    if write:
        with _writer_lock(folder):
            try:
                inner = _Stepped(folder)
            except OSError as exc:
                if "lock" in str(exc).lower():
                    raise StoreBusy(
                        f"store {folder} is in use by another process (not kommunegraf) — "
                        "stop it or use another --store"
                    ) from None
                raise StoreError(f"cannot open store {folder}: {exc}") from None
            store = Store(inner, folder, writable=True, base=base)
            try:
                store._recover()
                store._set_closed_complete(False)
                yield store
                store._set_closed_complete(True)
                store.flush()
            finally:
                inner.close()
                del store._store
                del inner
        return
    if not (folder / "CURRENT").is_file():
        raise StoreMissing(
            f"no store at {folder} — run `kommunegraf ingest` first (or pass --store)"
        )
    store = _open_read_only(folder, base)
    try:
        yield store
    finally:
        store._release()
