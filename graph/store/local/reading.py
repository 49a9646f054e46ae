"""The embedded store's read side: SPARQL with bound values, rows as Python values, and a
fault of the store's files met while reading said in one line.

A mixin of graph.store.local.store.Store, kept apart so that the store's bookkeeping reads
in one sitting.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.store.local.locks import writer_pid
from kommunegraf.graph.store.model import (
    EXPORT_FORMATS,
    RESULT_FORMATS,
    QueryError,
    QueryForms,
    StoreBusy,
    StoreError,
)
from kommunegraf.graph.store.values import Rows, Value, bindings_of, to_value
from kommunegraf.graph.store.versions import EARLIER_PATH

STORE_FAULTS = ("Corruption", "IO error", "No such file", "Not able to find the string")
STORE_FAULTS += ("the term buffer",)


def _store_fault(exc: Exception) -> bool:
    """Whether Oxigraph's error is about the store's files rather than the query: a file
    gone, or a term whose text is not in the view (a read beside a writer can be torn)."""
    return isinstance(exc, FileNotFoundError) or str(exc).startswith(STORE_FAULTS)


class Reading(QueryForms):
    """Queries over the union of all documents, shared descriptions, reference and derived
    data."""

    _store: Any
    _books: Any
    path: Path
    writable: bool
    base: str
    log_graph: str
    shared_graph: str
    _visible: list[ox.NamedNode] | None

    def construct_lines(self, sparql: str, bindings: dict[str, Value] | None = None) -> set[str]:
        """The triples a CONSTRUCT query makes, as N-Triples lines in the form the store
        prints them: what :meth:`patch_derived` deletes must match what is stored."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("construct_lines needs a CONSTRUCT query")
        return {f"{triple} ." for triple in self._reading(result)}

    # ----- reading -----------------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        """Every named graph a query can see, sorted."""
        graphs = self._visible if self._visible is not None else self._store.named_graphs()
        return sorted(g.value for g in graphs if isinstance(g, ox.NamedNode))

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """(subject, object) of every ``predicate`` triple the queries see (each triple is
        in one graph), as IRIs or lexical forms; only those whose object is the IRI ``obj``
        if given.

        One index scan, without SPARQL: the derived-graph computation reads every mention
        and type in the store this way (a plain SELECT costs twice as much).  Yielded as
        read, so that a national corpus's million mentions are never all held at once.
        """
        node = ox.NamedNode(obj) if obj is not None else None
        found = self._store.quads_for_pattern(None, ox.NamedNode(predicate), node, None)
        try:
            for quad in found:
                yield quad.subject.value, quad.object.value
        except OSError as exc:
            raise self._read_error(exc) from exc

    def quad_count(self, graph: str | None = None) -> int:
        """Quads in one graph of the data store, or in the whole store (its graphs and the
        bookkeeping: the ingest log and earlier versions)."""
        if graph is None:
            return len(self._store) + len(self._books)
        count = self._holder(graph).query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            substitutions={ox.Variable("g"): ox.NamedNode(graph)},
        )
        row = next(iter(count), None)
        return int(row["n"].value) if row is not None else 0

    def _query(self, sparql: str, bindings: dict[str, Value] | None) -> Any:
        options: dict[str, Any] = {
            "substitutions": bindings_of(bindings),
            "use_default_graph_as_union": True,  # a set: no triple is in two graphs
        }
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
        """Run SPARQL over the union of all documents, shared descriptions, reference and
        derived data.

        Each triple is stored in one graph (a description many documents state is in the
        shared graph once), so the union holds no triple twice; ``GRAPH ?g { … }`` reaches
        the graphs one by one (documents, shared, reference, derived).  The ingest log and
        earlier versions are in the bookkeeping store, which no query reads.

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
            return [
                (to_value(t.subject), to_value(t.predicate), to_value(t.object)) for t in triples
            ]
        names = [v.value for v in result.variables]
        rows = ({name: to_value(s[name]) for name in names} for s in self._reading(result))
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
        """One graph as N-Triples, as stored (a document's own triples only: see
        :meth:`document_ntriples`); the ingest log and earlier versions are read from the
        bookkeeping store."""
        quads = self._holder(graph).quads_for_pattern(None, None, None, ox.NamedNode(graph))
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def _holder(self, graph: str) -> Any:
        """The store that holds ``graph``: the bookkeeping store the log and earlier
        versions, the data store every other graph."""
        books = graph == self.log_graph or graph.startswith(self.base + EARLIER_PATH)
        return self._books if books else self._store

    def document_ntriples(self, graph: str, hops: int = 2) -> bytes:
        """A document as it was loaded, near enough for SHACL and the facts ledger: its own
        triples, with the shared descriptions ``hops`` links out from them (a committee's
        label and its municipality, a person's name and party), each with the descriptions
        of the things below it that point back at it (a person's party membership, which
        nothing points at: graph.store.local.collect's rule 3).  A description is shared by
        every document that mentions the thing, so it is included whether or not this one
        stated it."""
        node = ox.NamedNode(graph)
        own = list(self._store.quads_for_pattern(None, None, None, node))
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in own]
        seen: set[Any] = set()
        frontier = {q.object for q in own if isinstance(q.object, ox.NamedNode)}
        shared = ox.NamedNode(self.shared_graph)
        for _ in range(hops):
            nxt: set[Any] = set()
            for subject in frontier - seen:
                seen.add(subject)
                for thing in (subject, *self._below(subject, shared)):
                    for q in self._store.quads_for_pattern(thing, None, None, shared):
                        triples.append(ox.Triple(q.subject, q.predicate, q.object))
                        if isinstance(q.object, ox.NamedNode):
                            nxt.add(q.object)
            frontier = nxt
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def _below(self, subject: ox.NamedNode, shared: ox.NamedNode) -> set[ox.NamedNode]:
        """The shared things below ``subject`` in IRI that point at it."""
        head = subject.value + "/"
        incoming = self._store.quads_for_pattern(None, None, subject, shared)
        return {
            q.subject
            for q in incoming
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(head)
        }
