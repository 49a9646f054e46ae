"""What both store backends share: the bookkeeping vocabulary of the ingest log, the errors,
a document to load, and the small helpers every writer uses.

Kept apart from either backend so that the server client needs no import of the embedded
store's locks and snapshots, and the two lay out the log identically (a store written by one
reads the same through the other).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.store import pathkeys
from kommunegraf.graph.store.values import IRI, XSD, Rows, Value
from kommunegraf.ontology.terms import KG_NS as KG

DEFAULT_BASE = "https://w3id.org/kommunegraf/"


# The IRI of a source document's graph, whatever the base: …/id/kilde/5f8974b0a3dc02d0
DOCUMENT_GRAPH = re.compile(r"/id/kilde/[0-9a-f]{16}\Z")

INGEST_COMPLETE = ox.NamedNode(KG + "ingestComplete")
SOURCE_PATH = ox.NamedNode(KG + "sourcePathDigest")
STATED_PATH = ox.NamedNode(KG + "path")  # the file name the mapping states on a document
LAST_RUN = ox.NamedNode(KG + "ingestRun")
FORMAT = ox.NamedNode(KG + "storeFormat")
OF_MEETING = ox.NamedNode(KG + "ofMeeting")  # see graph.store.versions
VERSION_KEY = ox.NamedNode(KG + "versionKey")
# On a document in the log, per path: "<path key> <stamp>", what the file was when this
# document was last completed from it (graph.ingest.stamps: an unchanged file is not read again)
FILE_STAMP = ox.NamedNode(KG + "fileStamp")
# On the log: the last writer closed with every graph complete (readers may skip checking)
CLOSED_COMPLETE = ox.NamedNode(KG + "closedComplete")
# The embedded store's layout: 3, each triple once (a document's own triples in its graph,
# shared descriptions in graph/shared; the ingest log and earlier versions in a second store,
# BOOKS_DIR).  2, a SPARQL server's: the default graph holds the merge of the managed graphs.
STORE_FORMAT = "3"
SERVER_FORMAT = "2"
LOG_PATH = "graph/ingest-log"  # below the base: the ingest log's graph
BOOKS_DIR = "bookkeeping"  # the embedded store's bookkeeping store, inside its folder
BOOKS_SUFFIX = "-books"  # beside a reader's checkpoint: the checkpoint of the bookkeeping store
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


class OldStore(StoreError):
    """A store written by an earlier kommunegraf in a layout this one does not read."""


class StoreMissing(StoreError):
    """A read-only command was pointed at a folder that holds no store."""


class QueryError(StoreError):
    """A SPARQL query that does not parse or cannot take its bindings."""


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
    meeting: str | None = None  # the meeting IRI it describes (graph.store.versions: one shown)
    version: str = ""  # graph.store.versions.version_key: the largest of a meeting's is shown
    stamps: tuple[str, ...] = ()  # graph.ingest.stamps: each path's file stamp ("": none)


def path_key(path: str, secret: bytes) -> ox.Literal:
    """What the log keeps of a file's absolute path: its keyed hash (see graph.store.pathkeys)."""
    return ox.Literal(pathkeys.keyed(path, secret))


def forget_unkeyed_paths(log: ox.NamedNode) -> str:
    """The update that drops every path entry of the log: run once, before a store's secret
    is made, so that no plain sha256 of a path written by an earlier version stays readable.
    (Those files are then matched by content only: an edited one goes in beside its old
    version, which the meeting rule of the ingest then supersedes.)  The files' stamps go
    with them: each names its path by the key of a secret that is gone."""
    return (
        f"DELETE WHERE {{ GRAPH {log} {{ ?g {SOURCE_PATH} ?k }} }} ; "
        f"DELETE WHERE {{ GRAPH {log} {{ ?g {FILE_STAMP} ?s }} }}"
    )


def reference_files() -> list[Path]:
    """The reference-data Turtle files shipped in the ``ontology`` package."""
    from kommunegraf import ontology

    return ontology.reference_files()


def reference_digest(paths: Iterable[Path] | None = None) -> tuple[list[Path], str]:
    """The reference files to load (the shipped ones unless given) and the digest a load of
    them is marked with, so that either backend skips a load of the files it already has."""
    files = sorted(paths) if paths is not None else reference_files()
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return files, digest.hexdigest()


class QueryForms:
    """``select``, ``ask``, ``construct`` and ``describe`` over a backend's own ``query``: one
    query form each, refused when the query is of another form (both backends share them)."""

    def query(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> Rows | bool | list[tuple[Value, Value, Value]]:
        raise NotImplementedError

    def select(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> Rows:
        """The rows of a SELECT query (see :meth:`query`)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, Rows):
            raise QueryError("select() needs a SELECT query")
        return result

    def ask(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> bool:
        """The answer of an ASK query (see :meth:`query`)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, bool):
            raise QueryError("ask() needs an ASK query")
        return result

    def construct(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> list[tuple[Value, Value, Value]]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        result = self.query(sparql, bindings)
        if not isinstance(result, list):
            raise QueryError("construct() needs a CONSTRUCT or DESCRIBE query")
        return result

    def describe(self, iri: str) -> list[tuple[Value, Value, Value]]:
        """Every triple (in any graph) whose subject is ``iri``."""
        return self.construct("DESCRIBE ?x", {"x": IRI(iri)})


def unmarked_query(log: ox.NamedNode | str) -> str:
    """ASK: does some graph other than the log lack its completion marker?"""
    return (
        f"ASK {{ GRAPH ?g {{ }} FILTER(?g != {log}) "
        f"FILTER NOT EXISTS {{ GRAPH {log} {{ ?g {INGEST_COMPLETE} ?m }} }} }}"
    )


def now_literal() -> ox.Literal:
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return ox.Literal(when, datatype=ox.NamedNode(XSD + "dateTime"))


def one_per_graph(docs: Iterable[DocumentLoad]) -> dict[str, DocumentLoad]:
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
