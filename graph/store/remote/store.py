"""A SPARQL 1.1 server as the store (``--endpoint URL``): the same methods as
graph.store.local.Store.

Reads go through the SPARQL 1.1 Protocol (``query``), writes through SPARQL 1.1 Update
(``update``) and the Graph Store HTTP Protocol (``PUT`` of each document's named graph).
The data are laid out exactly as in the embedded store: one named graph per source document,
the reference and derived graphs, the ingest log, and a default graph that holds the merge
(a set) of the managed graphs — so every query, bundled or the user's, answers the same on
both.  The server must therefore *not* be configured to use the union of its named graphs
as the default graph (that is checked on opening).

Completion is explicit as in the embedded store: a batch of document graphs is PUT first,
then one update request merges them into the default graph and writes their completion
markers; a writer that opens the endpoint first removes any graph without a marker.  This
relies on an update request being atomic, as it is on Oxigraph (tested) and on the other
transactional stores.  A remote server has no writer lock
that kommunegraf could take, so two ingests into one endpoint at once are the user's to avoid,
and a reader may see a batch that is being loaded in ``GRAPH`` patterns (never in
:meth:`RemoteStore.documents`).  What a batch, a replacement and a removal do is
graph.store.updates' (the same for the embedded store); this module says how a server's log
is read and its graphs loaded.  URLs and HTTP are graph.store.remote.http's, bindings
graph.store.remote.binding's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf.graph.store import pathkeys, versions
from kommunegraf.graph.store.model import (
    CLOSED_COMPLETE,
    DEFAULT_BASE,
    DOCUMENT_GRAPH,
    EXPORT_FORMATS,
    FILE_STAMP,
    FORMAT,
    INGEST_COMPLETE,
    LAST_RUN,
    SERVER_FORMAT,
    SOURCE_PATH,
    STATED_PATH,
    DocumentLoad,
    QueryForms,
    StoreError,
    StoreMissing,
    forget_unkeyed_paths,
    now_literal,
    path_key,
    reference_digest,
    unmarked_query,
)
from kommunegraf.graph.store.remote.binding import bind_values
from kommunegraf.graph.store.remote.http import (
    DEFAULT_TIMEOUT,
    N_TRIPLES,
    QUERY_ACCEPT,
    RESULT_MEDIA_TYPES,
    RESULTS_JSON,
    TIMEOUT_ENV,
    Answer,
    Endpoints,
    Http,
    credentials,
    endpoints_for,
)
from kommunegraf.graph.store.updates import DocumentUpdates
from kommunegraf.graph.store.values import IRI, Rows, Value
from kommunegraf.graph.store.values import to_value as _value
from kommunegraf.ontology.terms import PREFIXES as EXPORT_PREFIXES

# Files whose stamps one query checks (each a VALUES row of three literals, ≈ 200 bytes).
STAMPS_PER_QUERY = 500


def _n(iri: str) -> str:
    """An IRI as SPARQL text (validated and escaped by pyoxigraph)."""
    return str(ox.NamedNode(iri))


def _ntriples_of(graph: str, nquads: str) -> bytes:
    """A document's N-Quads as the N-Triples of its one graph (anything else is a bug)."""
    quads = ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    triples = []
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode) or quad.graph_name.value != graph:
            raise StoreError(f"a quad of document {graph} is in graph {quad.graph_name}")
        triples.append(quad.triple)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class RemoteStore(DocumentUpdates, QueryForms):
    """A store on a SPARQL 1.1 server; get one from :func:`open_remote`."""

    patches_derived = False  # graph.store.backend.Backend: ingest recomputes the derived graph

    def __init__(
        self, endpoints: Endpoints, http: Http, *, writable: bool, base: str = DEFAULT_BASE
    ) -> None:
        self.endpoints = endpoints
        self.http = http
        self.path = endpoints.shown  # what messages name the store by
        self.writable = writable
        self._name_graphs(base)
        self._log = _n(self.log_graph)
        self._secret: bytes | None = None

    # ----- the protocols -----------------------------------------------------------------

    def _post_query(self, sparql: str, accept: str) -> Answer:
        data = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        answer = self.http.request("POST", self.endpoints.query, data=data, headers=headers)
        assert answer is not None
        return answer

    def _update(self, operations: Iterable[str]) -> None:
        text = " ;\n".join(operations)
        if not text:
            return
        self._require_writable()
        data = urllib.parse.urlencode({"update": text}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.http.request("POST", self.endpoints.update, data=data, headers=headers)

    def _graph_url(self, graph: str | None) -> str:
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        return f"{self.endpoints.graph_store}?{query}"

    def _put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace a named graph (Graph Store HTTP Protocol PUT)."""
        self._require_writable()
        headers = {"Content-Type": N_TRIPLES}
        self.http.request("PUT", self._graph_url(graph), data=ntriples, headers=headers)

    def _get_graph(self, graph: str | None) -> bytes:
        """A graph as N-Triples (GET); a graph the server does not have is empty."""
        answer = self.http.request(
            "GET", self._graph_url(graph), headers={"Accept": N_TRIPLES}, missing_ok=True
        )
        if answer is None:
            return b""
        if answer.media_type != N_TRIPLES:
            fmt = ox.RdfFormat.from_media_type(answer.media_type)
            if fmt is None:
                raise StoreError(f"the graph store sent {answer.media_type}, not RDF")
            triples = (q.triple for q in ox.parse(answer.body, format=fmt))
            return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return answer.body

    def _raw(self, sparql: str, bindings: Mapping[str, Value] | None) -> Any:
        answer = self._post_query(bind_values(sparql, bindings), QUERY_ACCEPT)
        try:
            if answer.media_type == RESULTS_JSON:
                return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
            fmt = ox.RdfFormat.from_media_type(answer.media_type)
            if fmt is not None:
                return [q.triple for q in ox.parse(answer.body, format=fmt)]
        except SyntaxError as exc:
            raise StoreError(
                f"the SPARQL endpoint {self.path} sent unreadable results: {exc}"
            ) from None
        raise StoreError(
            f"the SPARQL endpoint {self.path} answered {answer.media_type or 'no content type'}"
            ", not SPARQL results (is --endpoint its query URL?)"
        )

    def _column(self, sparql: str, name: str = "g") -> list[str]:
        return [str(row[name]) for row in self.select(sparql) if row[name] is not None]

    # ----- reading -----------------------------------------------------------------------

    def query(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> Rows | bool | list[tuple[Value, Value, Value]]:
        """Run SPARQL on the server (see graph.store.local.Store.query: same answers)."""
        result = self._raw(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, list):
            return [(_value(t.subject), _value(t.predicate), _value(t.object)) for t in result]
        names = [v.value for v in result.variables]
        rows = ({name: _value(solution[name]) for name in names} for solution in result)
        return Rows(names, rows)

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """See graph.store.local.Store.pairs: the same pairs, by one SELECT on the server."""
        bindings: dict[str, Value] = {"p": IRI(predicate)}
        if obj is not None:
            bindings["o"] = IRI(obj)
        rows = self.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings)
        return ((str(r["s"]), str(r["o"])) for r in rows)

    def query_serialized(
        self, sparql: str, fmt: str = "json", bindings: Mapping[str, Value] | None = None
    ) -> bytes:
        """The server's own serialisation of the results (SPARQL results, or RDF)."""
        if fmt not in RESULT_MEDIA_TYPES:
            raise StoreError(
                f"unknown results format {fmt!r}; use one of {sorted(RESULT_MEDIA_TYPES)}"
            )
        accept = f"{RESULT_MEDIA_TYPES[fmt]}, {N_TRIPLES};q=0.9"
        return self._post_query(bind_values(sparql, bindings), accept).body

    def named_graphs(self) -> list[str]:
        return sorted(self._column("SELECT ?g WHERE { GRAPH ?g { } }"))

    def quad_count(self, graph: str | None = None) -> int:
        """Quads in one graph, or in the whole dataset (default graph included)."""
        if graph is None:
            sparql = (
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
        else:
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_n(graph)} {{ ?s ?p ?o }} }}"
        row = next(iter(self.select(sparql)), None)
        return int(row["n"] or 0) if row else 0  # type: ignore[arg-type]

    def graph_ntriples(self, graph: str) -> bytes:
        return self._get_graph(graph)

    def document_ntriples(self, graph: str, hops: int = 2) -> bytes:
        """A document graph as loaded: a server's document graphs hold their shared
        descriptions too (format 2), so it is the graph itself."""
        return self._get_graph(graph)

    def log_ntriples(self) -> bytes:
        """The ingest log as N-Triples."""
        return self._get_graph(self.log_graph)

    def markers(self) -> dict[str, str]:
        """Every completed graph's marker (documents, reference, derived), by graph IRI."""
        rows = self.select(
            f"SELECT ?g ?m WHERE {{ GRAPH {self._log} {{ ?g {INGEST_COMPLETE} ?m }} }}"
        )
        return {str(r["g"]): str(r["m"]) for r in rows if self._managed(str(r["g"]))}

    def earlier_versions(self) -> list[str]:
        """The graphs of earlier versions kept aside (graph.store.versions), sorted."""
        earlier = self.base + versions.EARLIER_PATH
        return sorted(g for g in self._complete() if g.startswith(earlier))

    def collect(self) -> int:
        """Nothing to collect: a server keeps the merged layout, whose retraction of a
        document takes its share of every description with it."""
        self._require_writable()
        return 0

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the dataset as the embedded store does (the ingest log left out)."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {sorted(EXPORT_FORMATS)}")
        prefixes = EXPORT_PREFIXES
        if fmt == "ttl":
            triples = ox.parse(self._get_graph(None), format=ox.RdfFormat.N_TRIPLES)
            turtle = ox.RdfFormat.TURTLE
            ox.serialize((q.triple for q in triples), out, format=turtle, prefixes=prefixes)
            return
        earlier = self.base + versions.EARLIER_PATH  # bookkeeping like the log
        graphs = [
            g for g in self.named_graphs() if g != self.log_graph and not g.startswith(earlier)
        ]

        def quads() -> Iterator[ox.Quad]:
            for g in graphs:
                node = ox.NamedNode(g)
                for q in ox.parse(self._get_graph(g), format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(q.subject, q.predicate, q.object, node)

        if fmt == "nq":
            ox.serialize(quads(), out, format=ox.RdfFormat.N_QUADS)
        else:
            ox.serialize(quads(), out, format=EXPORT_FORMATS[fmt], prefixes=prefixes)

    # ----- documents ---------------------------------------------------------------------

    def _complete(self) -> set[str]:
        return set(
            self._column(f"SELECT ?g WHERE {{ GRAPH {self._log} {{ ?g {INGEST_COMPLETE} ?m }} }}")
        )

    def documents(self) -> set[str]:
        """IRIs of the document graphs that are wholly in."""
        return {g for g in self._complete() if DOCUMENT_GRAPH.search(g)}

    def is_complete(self, graph: str) -> bool:
        """Whether ``graph`` carries its completion marker (wholly written)."""
        return self.ask(f"ASK {{ GRAPH {self._log} {{ {_n(graph)} {INGEST_COMPLETE} ?m }} }}")

    def sources(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {g: [] for g in self.documents()}
        sparql = (
            f"SELECT ?g ?name WHERE {{ GRAPH {self._log} {{ ?g {INGEST_COMPLETE} ?m }} "
            f"GRAPH ?g {{ ?g {STATED_PATH} ?name }} }}"
        )
        for row in self.select(sparql):
            if str(row["g"]) in found:
                found[str(row["g"])].append(str(row["name"]))
        return {g: sorted(names) for g, names in found.items()}

    def _path_secret(self) -> bytes | None:
        """The secret keying the log's path entries for this server (see graph.store.pathkeys);
        a first writer drops the unkeyed entries an earlier version wrote, then makes it."""
        if self._secret is None:
            self._secret = pathkeys.store_secret(
                pathkeys.endpoint_key_file(self.endpoints.shown),
                writable=self.writable,
                forget_unkeyed=lambda: self._update([forget_unkeyed_paths(self._log)]),
            )
        return self._secret

    def graph_of_path(self, path: str | os.PathLike[str]) -> str | None:
        secret = self._path_secret()
        if secret is None:
            return None
        key = path_key(os.path.abspath(path), secret)
        sparql = f"SELECT ?g WHERE {{ GRAPH {self._log} {{ ?g {SOURCE_PATH} {key} }} }} LIMIT 1"
        found = self._column(sparql)
        return found[0] if found else None

    def completed_in_run(self, graph: str, run: str) -> bool:
        return self.ask(
            f"ASK {{ GRAPH {self._log} {{ {_n(graph)} {LAST_RUN} {ox.Literal(run)} }} }}"
        )

    # ----- writing -----------------------------------------------------------------------

    def _managed(self, graph: str) -> bool:
        return bool(DOCUMENT_GRAPH.search(graph)) or graph in (
            self.reference_graph,
            self.derived_graph,
        )

    def _merge_op(self, graph: str) -> str:
        return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {_n(graph)} {{ ?s ?p ?o }} }}"

    def _format(self) -> str | None:
        sparql = f"SELECT ?f WHERE {{ GRAPH {self._log} {{ {self._log} {FORMAT} ?f }} }}"
        found = self._column(sparql, "f")
        return found[0] if found else None

    def _check_default_graph(self) -> None:
        """The log lives in a named graph only: seen in the default graph, the server unions."""
        if self.ask(f"ASK {{ {self._log} {FORMAT} ?f }}"):
            raise StoreError(
                f"the SPARQL endpoint {self.path} shows its named graphs in the default graph "
                "(a union default graph); kommunegraf keeps its own merged default graph — "
                "turn that option off on the server"
            )

    def _recover(self) -> list[str]:
        """On opening for writing: set up a new dataset, or undo what a killed writer left."""
        complete = self._complete()
        if self._format() != SERVER_FORMAT:
            ops = [self._merge_op(g) for g in sorted(complete) if self._managed(g)]
            ops.append(
                f"INSERT DATA {{ GRAPH {self._log} {{ {self._log} {FORMAT} "
                f"{ox.Literal(SERVER_FORMAT)} }} }}"
            )
            self._update(ops)
        self._check_default_graph()
        dropped = [g for g in self.named_graphs() if self._managed(g) and g not in complete]
        stale = self._column(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH {self._log} {{ ?g ?p ?o }} "
            f"FILTER(?g != {self._log}) "
            f"FILTER NOT EXISTS {{ GRAPH {self._log} {{ ?g {INGEST_COMPLETE} ?m }} }} }}"
        )
        self._update(self._retract_ops(dropped) + self._forget_ops(set(stale) | set(dropped)))
        return dropped

    def _set_closed_complete(self, value: bool) -> None:
        """As graph.store.local.Store: the flag a writer drops as it opens and sets as it closes
        with every graph complete (readers of a server do not rely on it; kept alike)."""
        log = self._log
        ops = [f"DELETE WHERE {{ GRAPH {log} {{ ?s {CLOSED_COMPLETE} ?o }} }}"]
        if value and not self.ask(unmarked_query(self._log)):
            stamp = now_literal()
            ops.append(f"INSERT DATA {{ GRAPH {log} {{ {log} {CLOSED_COMPLETE} {stamp} }} }}")
        self._update(ops)

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"the SPARQL endpoint {self.path} is open read-only")

    def _paths_of(self, keys: Iterable[str], *, by: str) -> list[tuple[str, str]]:
        """(graph, path digest) pairs in the log, for the given digests (``by="key"``) or
        graphs (``by="g"``)."""
        keys = list(keys)
        if not keys:
            return []
        terms = " ".join(str(ox.Literal(k)) if by == "key" else _n(k) for k in keys)
        sparql = (
            f"SELECT ?g ?key WHERE {{ VALUES ?{by} {{ {terms} }} "
            f"GRAPH {self._log} {{ ?g {SOURCE_PATH} ?key }} }}"
        )
        return [(str(r["g"]), str(r["key"])) for r in self.select(sparql)]

    def _stamped(self, stamps: list[tuple[str, str]]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(stamps), STAMPS_PER_QUERY):
            rows = " ".join(
                f"({ox.Literal(v.split(' ', 1)[0])} {ox.Literal(v)} {ox.Literal(name)})"
                for v, name in stamps[start : start + STAMPS_PER_QUERY]
            )
            sparql = (
                f"SELECT ?stamp ?doc WHERE {{ VALUES (?key ?stamp ?name) {{ {rows} }} "
                f"GRAPH {self._log} {{ ?g {FILE_STAMP} ?stamp ; {SOURCE_PATH} ?key ; "
                f"{INGEST_COMPLETE} ?marker }} GRAPH ?g {{ ?doc {STATED_PATH} ?name }} }}"
            )
            found.update((str(r["stamp"]), str(r["doc"])) for r in self.select(sparql))
        return found

    def _existing(self, graphs: list[str]) -> list[str]:
        return graphs  # DROP SILENT and a DELETE of nothing cost a server little

    def _shown_versions(self, meetings: list[str]) -> dict[str, dict[str, str]]:
        """The complete documents of each meeting in the log → their version keys."""
        shown: dict[str, dict[str, str]] = {m: {} for m in meetings}
        sparql = (
            f"SELECT ?m ?g ?v WHERE {{ VALUES ?m {{ {' '.join(_n(m) for m in meetings)} }} "
            f"GRAPH {self._log} {{ ?g {versions.OF_MEETING} ?m ; {INGEST_COMPLETE} ?x . "
            f"OPTIONAL {{ ?g {versions.VERSION_KEY} ?v }} }} }}"
        )
        for row in self.select(sparql):
            shown[str(row["m"])][str(row["g"])] = str(row["v"] or "")
        return shown

    def _prepare(self, loading: list[DocumentLoad]) -> dict[str, bytes]:
        """Each document's N-Triples, for a PUT of its graph."""
        return {d.graph: _ntriples_of(d.graph, d.nquads or "") for d in loading}

    def _load(self, prepared: dict[str, bytes]) -> None:
        for graph, payload in prepared.items():
            self._put_graph(graph, payload)

    def _merge_ops(self, graphs: list[str]) -> list[str]:
        return [self._merge_op(g) for g in graphs]

    def _names(self, graph: str) -> tuple[str, ...]:
        """The file name(s) a document states (for the overlap report)."""
        sparql = f"SELECT ?name WHERE {{ GRAPH {_n(graph)} {{ {_n(graph)} {STATED_PATH} ?name }} }}"
        return tuple(sorted(self._column(sparql, "name")))

    def _unchanged(self, markers: dict[str, str]) -> set[str]:
        """The graphs whose completion marker is already the given one (same quads)."""
        if not markers:
            return set()
        values = " ".join(_n(g) for g in markers)
        sparql = (
            f"SELECT ?g ?m WHERE {{ VALUES ?g {{ {values} }} "
            f"GRAPH {self._log} {{ ?g {INGEST_COMPLETE} ?m }} }}"
        )
        return {str(r["g"]) for r in self.select(sparql) if markers.get(str(r["g"])) == r["m"]}

    def _replace_managed(self, graph: str, ntriples: bytes, marker: str) -> None:
        self._update(self._unmark_ops([graph]) + self._retract_ops([graph]))
        if ntriples:
            self._put_graph(graph, ntriples)
        self._update(
            [
                self._merge_op(graph),
                f"INSERT DATA {{ GRAPH {self._log} {{ {_n(graph)} {INGEST_COMPLETE} "
                f"{ox.Literal(marker)} }} }}",
            ]
        )

    def replace_graph(self, graph: str, ntriples: str | Iterable[str]) -> int:
        """Replace the derived graph (or another non-document graph) with N-Triples: a text,
        or its lines without their ends.  Returns the number of triples given."""
        self._require_writable()
        if isinstance(ntriples, str):
            text, count = ntriples, sum(1 for line in ntriples.split("\n") if line)
        else:
            lines = list(ntriples)
            text, count = "".join(line + "\n" for line in lines), len(lines)
        data = text.encode("utf-8")
        self._replace_managed(graph, data, hashlib.sha256(data).hexdigest())
        return count

    def load_reference(self, paths: Iterable[Path] | None = None) -> bool:
        """(Re)load the reference data; skipped when unchanged since the last load."""
        self._require_writable()
        files, digest = reference_digest(paths)
        marker = ox.Literal(digest)
        node = _n(self.reference_graph)
        if self.ask(f"ASK {{ GRAPH {self._log} {{ {node} {INGEST_COMPLETE} {marker} }} }}"):
            return False
        triples = (
            q.triple for path in files for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        )
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self._replace_managed(self.reference_graph, data, digest)
        return True

    def flush(self) -> None:
        """Nothing to do: every request is written when it returns."""

    def optimize(self) -> None:
        """Nothing to do: compaction is the server's business."""


@contextlib.contextmanager
def open_remote(
    url: str, *, write: bool, base: str | None = None, env: Mapping[str, str] | None = None
) -> Iterator[RemoteStore]:
    """A store on the SPARQL server at ``url``: for writing (a killed writer's half-loaded
    graphs are removed first) or reading (the dataset must hold kommunegraf data)."""
    env = os.environ if env is None else env
    endpoints = endpoints_for(url, env)
    try:
        timeout = float(env.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    except ValueError:
        raise StoreError(f"{TIMEOUT_ENV} must be a number of seconds") from None
    http = Http(endpoints.shown, credentials(url, env), timeout)
    base = base or env.get("KOMMUNEGRAF_BASE") or DEFAULT_BASE
    store = RemoteStore(endpoints, http, writable=write, base=base)
    if write:
        store._recover()
        store._set_closed_complete(False)
    elif store._format() is None:
        raise StoreMissing(
            f"the SPARQL endpoint {endpoints.shown} holds no kommunegraf data — "
            f"run `kommunegraf --endpoint {endpoints.shown} ingest PATH…` first"
        )
    else:
        store._check_default_graph()
    yield store
    if write:
        store._set_closed_complete(True)
