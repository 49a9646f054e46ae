"""The embedded store's export and import: the data store's graphs as N-Quads, TriG or JSON-LD
(the ingest log and earlier versions, in the bookkeeping store, left out), their union as
Turtle, and an export added back with its graphs marked complete.

A mixin of graph.store.local.store.Store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf.graph.rdf.ownership import owned_by_document
from kommunegraf.graph.store.model import (
    DOCUMENT_GRAPH,
    EXPORT_FORMATS,
    INGEST_COMPLETE,
    SHA256,
    StoreError,
)
from kommunegraf.ontology.terms import PREFIXES as EXPORT_PREFIXES


class Exchange:
    """Export and import of a whole store."""

    _store: Any
    _books: Any
    _log: ox.NamedNode
    _shared: ox.NamedNode
    base: str
    log_graph: str
    _one_step: Callable[[], Any]
    _unshare_reference_op: Callable[[], str]
    _incomplete: Callable[[], list[ox.NamedNode]]
    _require_writable: Callable[[], None]

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the store (the ingest log and earlier versions left out: bookkeeping).

        ``nq``, ``trig`` and ``jsonld`` write the named graphs (documents, shared
        descriptions, reference, derived); ``ttl`` cannot hold graphs, so it is their union
        (each triple is in one graph: none appears twice).
        """
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {sorted(EXPORT_FORMATS)}")
        prefixes = EXPORT_PREFIXES  # (IRIs below id/ have slashes: no readable prefix)
        if fmt == "ttl":
            triples = (q.triple for q in self._store.quads_for_pattern(None, None, None, None))
            ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            return
        graphs = self.named_graphs()
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
        """Add an export (N-Quads, TriG, JSON-LD…) to the store, its graphs marked complete:
        a document graph keeps its own triples and gives the descriptions of shared things to
        the shared graph (an export of an earlier layout repeats them in every document);
        triples outside any graph (a Turtle export) go to the shared graph too.  Returns the
        number of documents marked."""
        self._require_writable()
        rdf_format = EXPORT_FORMATS[fmt] if fmt else ox.RdfFormat.from_extension(path.suffix[1:])
        if rdf_format is None:
            raise StoreError(f"{path.name}: unknown RDF format")
        with self._one_step():
            self._store.bulk_load(path=str(path), format=rdf_format)
            loose = list(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            moved = [ox.Quad(q.subject, q.predicate, q.object, self._shared) for q in loose]
            unmarked = self._incomplete()
            inserts = []
            for graph in unmarked:
                # The mapping states the document's sha256 on its own IRI.
                stated = self._store.quads_for_pattern(graph, SHA256, None, graph)
                marker = next((q.object.value for q in stated), "imported")
                inserts.append(f"{graph} {INGEST_COMPLETE} {ox.Literal(marker)} .")
                if DOCUMENT_GRAPH.search(graph.value):
                    for q in list(self._store.quads_for_pattern(None, None, None, graph)):
                        subject = q.subject.value if isinstance(q.subject, ox.NamedNode) else "_:"
                        if not owned_by_document(subject, graph.value):
                            self._store.remove(q)
                            moved.append(ox.Quad(q.subject, q.predicate, q.object, self._shared))
            for quad in loose:
                self._store.remove(quad)
            self._store.extend(moved)
            self._store.update(self._unshare_reference_op())
            if inserts:
                log = self._log
                self._books.update(f"INSERT DATA {{ GRAPH {log} {{ {' '.join(inserts)} }} }}")
        return sum(1 for g in unmarked if DOCUMENT_GRAPH.search(g.value))

    # ----- housekeeping ------------------------------------------------------------------
