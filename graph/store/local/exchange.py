"""The embedded store's export and import: the named graphs as N-Quads, TriG or JSON-LD
(the ingest log and earlier versions left out, being bookkeeping), the merged graph as Turtle,
and an export added back with its graphs marked complete.

A mixin of graph.store.local.store.Store.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf.graph.store import versions
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
    _log: ox.NamedNode
    base: str
    log_graph: str

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
