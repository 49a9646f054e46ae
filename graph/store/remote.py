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
:meth:`RemoteStore.documents`).

``--endpoint`` is the query URL of the server (``http://host:7878/query`` for Oxigraph,
``http://host:3030/ds/query`` for Fuseki) or its root (``http://host:7878``, Oxigraph's
layout).  The update and graph-store URLs are the siblings ``update`` and ``store``, or set
with ``KOMMUNEGRAF_ENDPOINT_UPDATE`` / ``KOMMUNEGRAF_ENDPOINT_STORE`` (Fuseki: ``…/ds/data``).
HTTP basic auth comes from ``KOMMUNEGRAF_ENDPOINT_USER`` / ``KOMMUNEGRAF_ENDPOINT_PASSWORD``
(or user:password in the URL); it is sent with every request and never printed.
``KOMMUNEGRAF_ENDPOINT_TIMEOUT`` (seconds, default 120) bounds every request.

Bindings cannot travel as pyoxigraph substitutions: each bound value is written into the
query as an escaped RDF term in a one-row ``VALUES`` block in every group pattern outside
sub-queries — which is how Oxigraph's substitutions scope too (they reach UNION branches
and OPTIONALs, not sub-queries; a BIND to a bound variable filters).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
import regex

from kommunegraf.graph.ingest import pathkeys, versions
from kommunegraf.graph.store.local import (
    CLOSED_COMPLETE,
    DEFAULT_BASE,
    DOCUMENT_GRAPH,
    EXPORT_FORMATS,
    EXPORT_PREFIXES,
    FORMAT,
    INGEST_COMPLETE,
    IRI,
    LAST_RUN,
    SOURCE_PATH,
    STATED_PATH,
    STORE_FORMAT,
    DocumentLoad,
    QueryError,
    Rows,
    StoreError,
    StoreMissing,
    Value,
    _now_literal,
    _one_per_graph,
    _path_key,
    _term,
    _value,
    content_marker,
    forget_unkeyed_paths,
    reference_files,
    unmarked_query,
)

USER_ENV = "KOMMUNEGRAF_ENDPOINT_USER"
PASSWORD_ENV = "KOMMUNEGRAF_ENDPOINT_PASSWORD"
TIMEOUT_ENV = "KOMMUNEGRAF_ENDPOINT_TIMEOUT"
UPDATE_ENV = "KOMMUNEGRAF_ENDPOINT_UPDATE"
STORE_ENV = "KOMMUNEGRAF_ENDPOINT_STORE"
DEFAULT_TIMEOUT = 120.0

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# What a query asks for: JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
QUERY_ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
RESULT_MEDIA_TYPES = {
    "json": RESULTS_JSON,
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
}

# ----- bindings as a VALUES block ---------------------------------------------------------

# One SPARQL token, in the order tried: a comment "# …", a long or short string
# ('''…''', "…"), an IRI "<https://…>", a language tag "@da", a variable "?case" / "$case",
# a blank node "_:b0", a prefixed name "kg:item" / ":x", a word "SELECT", or one other
# character ("{", "(", "." …).  An IRI cannot hold braces, so a "<" read as one by mistake
# (in "?a<?b") never hides a group.
SPARQL_TOKEN = regex.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<var>[?$]\w+)
      | (?P<bnode>_:[\w.-]*)
      | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.:%\\-]*)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<space>\s+)
      | (?P<other>.)""",
    regex.VERBOSE | regex.DOTALL,
)
# A variable name as SPARQL allows it: "case", "minMeetings", "år".
VARNAME = regex.compile(r"\w+")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> list[_Token]:
    """The query's significant tokens (no spaces, no comments)."""
    found = []
    for m in SPARQL_TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(_Token(kind, m.group(), m.start(), m.end()))
    return found


def values_block(bindings: Mapping[str, Value]) -> str:
    """``VALUES (?a ?b) { (term term) }`` with each value as an escaped RDF term."""
    names, terms = [], []
    for name, value in bindings.items():
        var = name.lstrip("?$")
        if not VARNAME.fullmatch(var):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        try:
            term = _term(value)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"cannot bind ?{var}: {exc}") from None
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"cannot bind ?{var} to a blank node on a SPARQL endpoint")
        names.append(f"?{var}")
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _matching(tokens: list[_Token], i: int, opening: str, closing: str) -> int:
    """The index of the token that closes the bracket at ``tokens[i]``."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == opening:
            depth += 1
        elif tokens[j].text == closing:
            depth -= 1
            if depth == 0:
                return j
    raise QueryError(f"SPARQL syntax error: a '{opening}' is never closed")


def _binds_to(tokens: list[_Token], words: list[str], i: int, names: set[str]) -> int | None:
    """For ``BIND(… AS ?v)`` at ``tokens[i]`` with ?v bound: the index of its ``)``."""
    if i + 1 >= len(tokens) or tokens[i + 1].text != "(":
        return None
    close = _matching(tokens, i + 1, "(", ")")
    target = tokens[close - 1]
    if words[close - 2] == "AS" and target.kind == "var" and target.text[1:] in names:
        return close
    return None


def bind_values(sparql: str, bindings: Mapping[str, Value] | None) -> str:
    """The query with its bindings written in as a ``VALUES`` block in each group pattern.

    The block opens each group, or follows a ``BIND(… AS ?v)`` of a bound ?v in it (a BIND
    of a bound variable then filters, as with pyoxigraph's substitutions).  Skipped:
    CONSTRUCT templates, ``VALUES`` data blocks and sub-queries (whose variables are their
    own).  Every value is an escaped RDF term, so it is data whatever it holds.
    """
    if not bindings:
        return sparql
    block = " " + values_block(bindings) + " "
    names = {name.lstrip("?$") for name in bindings}
    tokens = _tokens(sparql)
    present = {t.text[1:] for t in tokens if t.kind == "var"}
    for name in sorted(names - present):
        raise QueryError(f"the query has no variable ?{name} to bind")
    words = [t.text.upper() if t.kind == "word" else t.text for t in tokens]
    form = next((w for w in words if w in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), None)
    if form is None:
        raise QueryError("bindings need a SELECT, ASK, CONSTRUCT or DESCRIBE query")

    inserts: list[int] = []
    groups: list[int] = []  # for each open group: where its block goes (a character offset)
    skip_to = -1  # inside a skipped block until this token index
    values_pending = False
    for i, token in enumerate(tokens):
        if i <= skip_to:
            continue
        word = words[i]
        if word == "VALUES":
            values_pending = True
        elif word == "BIND" and groups:
            close = _binds_to(tokens, words, i, names)
            if close is not None:
                groups[-1] = tokens[close].end
        elif word == "{":
            previous = words[i - 1] if i else ""
            following = words[i + 1] if i + 1 < len(words) else ""
            if values_pending or following == "SELECT" or previous == "CONSTRUCT":
                skip_to = _matching(tokens, i, "{", "}")
                values_pending = False
            elif previous == "WHERE" and i >= 2 and words[i - 2] == "CONSTRUCT":
                raise QueryError("bindings need the long CONSTRUCT { … } WHERE { … } form")
            else:
                groups.append(token.end)
        elif word == "}" and groups:
            inserts.append(groups.pop())
    if not inserts:
        if form != "DESCRIBE":
            raise QueryError("SPARQL syntax error: the query has no WHERE { … } pattern")
        # "DESCRIBE ?x" has no pattern: give it one, before any LIMIT/OFFSET.
        tail = next(
            (t.start for t, w in zip(tokens, words, strict=True) if w in ("LIMIT", "OFFSET")),
            len(sparql),
        )
        return f"{sparql[:tail]} WHERE {{{block}}} {sparql[tail:]}"
    parts, last = [], 0
    for at in sorted(inserts):
        parts += [sparql[last:at], block]
        last = at
    parts.append(sparql[last:])
    return "".join(parts)


# ----- endpoints and HTTP -----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a SPARQL server; ``shown`` is the query URL without credentials."""

    query: str
    update: str
    graph_store: str

    @property
    def shown(self) -> str:
        return _without_userinfo(self.query)


def _without_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def endpoints_for(url: str, env: Mapping[str, str] | None = None) -> Endpoints:
    """The query, update and graph-store URLs for ``--endpoint URL`` (see the module doc)."""
    env = os.environ if env is None else env
    url = _without_userinfo(url.strip())
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"--endpoint must be an http(s) URL, got {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        root = url[: len(url) - len(parts.path)] + path.removesuffix("/query")
        query = url
    else:
        root = url.rstrip("/")
        query = root + "/query"
    return Endpoints(
        query=query,
        update=env.get(UPDATE_ENV) or root + "/update",
        graph_store=env.get(STORE_ENV) or root + "/store",
    )


def credentials(url: str, env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(user, password) from the environment, else from the URL's user:password@."""
    env = os.environ if env is None else env
    user = env.get(USER_ENV)
    if user:
        return user, env.get(PASSWORD_ENV, "")
    parts = urllib.parse.urlsplit(url)
    if parts.username:
        return urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    return None


class _RefuseRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the credentials to wherever it points: stop instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise StoreError(
            f"the SPARQL endpoint redirects ({code}) to {_without_userinfo(newurl)} — "
            "pass that URL as --endpoint"
        )


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str  # without parameters, lower case


class Http:
    """Requests to one server: credentials on each, a timeout, failures as one line."""

    def __init__(
        self, shown: str, auth: tuple[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.shown = shown
        self.timeout = timeout
        self._secrets: list[str] = []  # what must never reach a message
        self._headers: dict[str, str] = {"User-Agent": "kommunegraf"}
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
            self._secrets = [s for s in (auth[1], token) if s]
        self._opener = urllib.request.build_opener(_RefuseRedirect)

    def request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        missing_ok: bool = False,
    ) -> Answer | None:
        """The answer, or ``None`` for a 404 when ``missing_ok``; raises :class:`StoreError`."""
        request = urllib.request.Request(
            url, data=data, method=method, headers={**self._headers, **(headers or {})}
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = response.read()
                media = response.headers.get_content_type()
                return Answer(body, media)
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            raise self._http_error(exc) from None
        except urllib.error.URLError as exc:
            raise self._unreachable(exc.reason) from None
        except TimeoutError:
            raise self._clean(
                StoreError(
                    f"the SPARQL endpoint {self.shown} did not answer within {self.timeout:g} s "
                    f"(set {TIMEOUT_ENV} to wait longer)"
                )
            ) from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise self._unreachable(exc) from None

    def _unreachable(self, reason: object) -> StoreError:
        if isinstance(reason, TimeoutError):
            text = f"no answer within {self.timeout:g} s (set {TIMEOUT_ENV} to wait longer)"
        elif isinstance(reason, ConnectionRefusedError):
            text = "connection refused — is the server running?"
        elif isinstance(reason, OSError) and reason.strerror:
            text = reason.strerror
        else:
            text = str(reason) or type(reason).__name__
        return self._clean(StoreError(f"cannot reach the SPARQL endpoint {self.shown}: {text}"))

    def _http_error(self, exc: urllib.error.HTTPError) -> StoreError:
        try:
            detail = exc.read(2000).decode("utf-8", "replace")
        except OSError:
            detail = ""
        first = " ".join(detail.split())[:300]
        if exc.code in (401, 403):
            hint = (
                f"check {USER_ENV} / {PASSWORD_ENV}"
                if "Authorization" in self._headers
                else f"set {USER_ENV} and {PASSWORD_ENV}"
            )
            error: StoreError = StoreError(
                f"the SPARQL endpoint {self.shown} refused access ({exc.code}): {hint}"
            )
        elif exc.code == 400:
            error = QueryError(f"the SPARQL endpoint rejected the request: {first or exc.reason}")
        else:
            said = f": {first}" if first else ""
            error = StoreError(
                f"the SPARQL endpoint {self.shown} answered {exc.code} {exc.reason}{said}"
            )
        return self._clean(error)

    def _clean(self, error: StoreError) -> StoreError:
        """Never let the password reach a message, whatever a server echoes back."""
        text = str(error)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return error if text == str(error) else type(error)(text)


# ----- the store --------------------------------------------------------------------------


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


class RemoteStore:
    """A store on a SPARQL 1.1 server; get one from :func:`open_remote`."""

    patches_derived = False  # graph.store.backend.Backend: ingest recomputes the derived graph

    def __init__(
        self, endpoints: Endpoints, http: Http, *, writable: bool, base: str = DEFAULT_BASE
    ) -> None:
        self.endpoints = endpoints
        self.http = http
        self.path = endpoints.shown  # what messages name the store by
        self.writable = writable
        self.base = base
        self.reference_graph = base + "graph/reference"
        self.derived_graph = base + "graph/derived"
        self.log_graph = base + "graph/ingest-log"
        self._log = _n(self.log_graph)
        self._secret: bytes | None = None
        self._not_earlier = versions.not_earlier("?other", base)  # see graph.store.local

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

    def select(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> Rows:
        result = self.query(sparql, bindings)
        if not isinstance(result, Rows):
            raise QueryError("select() needs a SELECT query")
        return result

    def ask(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> bool:
        result = self.query(sparql, bindings)
        if not isinstance(result, bool):
            raise QueryError("ask() needs an ASK query")
        return result

    def construct(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> list[tuple[Value, Value, Value]]:
        result = self.query(sparql, bindings)
        if not isinstance(result, list):
            raise QueryError("construct() needs a CONSTRUCT or DESCRIBE query")
        return result

    def describe(self, iri: str) -> list[tuple[Value, Value, Value]]:
        return self.construct("DESCRIBE ?x", {"x": IRI(iri)})

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
        """The secret keying the log's path entries for this server (see graph.ingest.pathkeys);
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
        key = _path_key(os.path.abspath(path), secret)
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

    def _retract_ops(self, graphs: Iterable[str]) -> list[str]:
        """Drop ``graphs`` and, from the merged default graph, what no other graph states."""
        graphs = [_n(g) for g in graphs]
        if not graphs:
            return []
        ops = []  # in order, each graph dropped after its share (as graph.store.local does)
        for g in graphs:
            ops.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                f"FILTER(?other != {g} && ?other != {self._log} && {self._not_earlier}) }} }}"
            )
            ops.append(f"DROP SILENT GRAPH {g}")
        return ops

    def _forget_ops(self, graphs: Iterable[str]) -> list[str]:
        return [f"DELETE WHERE {{ GRAPH {self._log} {{ {_n(g)} ?p ?o }} }}" for g in graphs]

    def _unmark_ops(self, graphs: Iterable[str]) -> list[str]:
        return [
            f"DELETE WHERE {{ GRAPH {self._log} {{ {_n(g)} {INGEST_COMPLETE} ?x }} }}"
            for g in graphs
        ]

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
        if self._format() != STORE_FORMAT:
            ops = [self._merge_op(g) for g in sorted(complete) if self._managed(g)]
            ops.append(
                f"INSERT DATA {{ GRAPH {self._log} {{ {self._log} {FORMAT} "
                f"{ox.Literal(STORE_FORMAT)} }} }}"
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
            stamp = _now_literal()
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

    def replace_documents(
        self,
        docs: Iterable[DocumentLoad],
        *,
        run: str = "",
        loaded: set[str] | None = None,
        overlaps: list[versions.Overlap] | None = None,
    ) -> list[str]:
        """Load a batch of documents as graph.store.local.Store does; returns superseded graphs.

        1. one update unmarks and empties the graphs about to be reloaded;
        2. each graph is PUT (Graph Store HTTP Protocol);
        3. one update merges them into the default graph, marks them complete, moves the
           paths' log entries and drops the superseded graphs.
        """
        self._require_writable()
        batch = _one_per_graph(docs)
        if not batch:
            return []
        markers = {d.graph: content_marker(d.nquads) for d in batch.values() if d.nquads}
        unchanged = self._unchanged(markers)
        # kept aside as an earlier version of its meeting with the same quads: left there
        earlier = {g: versions.earlier_graph(self.base, g) for g in markers if g not in unchanged}
        found = self._unchanged({earlier[g]: markers[g] for g in earlier})
        aside = {g for g in earlier if earlier[g] in found}
        unchanged |= aside
        loading = [d for d in batch.values() if d.nquads is not None and d.graph not in unchanged]
        if loaded is not None:
            loaded.update(d.graph for d in loading)
        payloads = {d.graph: _ntriples_of(d.graph, d.nquads or "") for d in loading}
        graphs = [d.graph for d in loading]
        self._update(self._unmark_ops(graphs) + self._retract_ops(graphs))
        for graph, payload in payloads.items():
            self._put_graph(graph, payload)

        secret = self._path_secret()
        assert secret is not None  # a writer always has one
        keys = {
            doc.graph: [_path_key(p, secret).value for p in doc.paths] for doc in batch.values()
        }
        holders = self._paths_of({k for ks in keys.values() for k in ks}, by="key")
        remaining: dict[str, set[str]] = {}
        for old, key in self._paths_of({g for g, _ in holders}, by="g"):
            remaining.setdefault(old, set()).add(key)
        ops = [self._merge_op(g) for g in graphs]
        inserts: list[str] = []
        superseded: set[str] = set()
        for doc in batch.values():
            subject = earlier[doc.graph] if doc.graph in aside else doc.graph
            node = _n(subject)
            for key in keys[doc.graph]:
                literal = ox.Literal(key)
                for old, held in holders:
                    if held != key or old == subject:
                        continue
                    entry = f"{_n(old)} {SOURCE_PATH} {literal}"
                    ops.append(f"DELETE DATA {{ GRAPH {self._log} {{ {entry} }} }}")
                    remaining.get(old, set()).discard(key)
                    if not remaining.get(old) and old not in batch:
                        superseded.add(old)
                inserts.append(f"{node} {SOURCE_PATH} {literal} .")
            if doc.graph in markers and doc.graph not in unchanged:
                inserts.append(f"{node} {INGEST_COMPLETE} {ox.Literal(markers[doc.graph])} .")
            ops.append(f"DELETE WHERE {{ GRAPH {self._log} {{ {node} {LAST_RUN} ?r }} }}")
            inserts.append(f"{node} {LAST_RUN} {ox.Literal(run)} .")
            if doc.meeting and doc.graph not in aside:
                inserts.append(f"{node} {versions.OF_MEETING} {_n(doc.meeting)} .")
                ops.append(
                    f"DELETE WHERE {{ GRAPH {self._log} {{ {node} {versions.VERSION_KEY} ?v }} }}"
                )
                inserts.append(f"{node} {versions.VERSION_KEY} {ox.Literal(doc.version)} .")
        old_graphs = sorted(superseded)
        ops += self._retract_ops(old_graphs) + self._forget_ops(old_graphs)
        ops.append(f"INSERT DATA {{ GRAPH {self._log} {{ {' '.join(inserts)} }} }}")
        ops += self._aside([d for d in loading if d.meeting], superseded, overlaps)
        self._update(ops)
        return old_graphs

    def _aside(
        self,
        news: list[DocumentLoad],
        dropped: set[str],
        overlaps: list[versions.Overlap] | None,
    ) -> list[str]:
        """As graph.store.local.Store: for each meeting ``news`` load, every document of it but
        the one graph.ingest.versions shows is moved aside as an earlier version."""
        meetings = sorted({d.meeting for d in news if d.meeting})
        if not meetings:
            return []
        log = self._log
        shown: dict[str, dict[str, str]] = {m: {} for m in meetings}
        sparql = (
            f"SELECT ?m ?g ?v WHERE {{ VALUES ?m {{ {' '.join(_n(m) for m in meetings)} }} "
            f"GRAPH {log} {{ ?g {versions.OF_MEETING} ?m ; {INGEST_COMPLETE} ?x . "
            f"OPTIONAL {{ ?g {versions.VERSION_KEY} ?v }} }} }}"
        )
        for row in self.select(sparql):
            graph = str(row["g"])
            if DOCUMENT_GRAPH.search(graph) and graph not in dropped:
                shown[str(row["m"])][graph] = str(row["v"] or "")
        for meeting in meetings:
            shown[meeting].update({d.graph: d.version for d in news if d.meeting == meeting})
        ops: list[str] = []
        for loser, winner in versions.set_aside(shown, self._names, overlaps):
            earlier = versions.earlier_graph(self.base, loser)
            ops += versions.aside_ops(
                _n(loser), _n(earlier), _n(winner), log, self._retract_ops([loser])
            )
        return ops

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

    def drop_documents(self, graphs: Iterable[str]) -> None:
        """Remove document graphs, their share of the merged graph and their log entries."""
        self._require_writable()
        graphs = list(graphs)
        self._update(self._retract_ops(graphs) + self._forget_ops(graphs))

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
        files = sorted(paths) if paths is not None else reference_files()
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
        marker = ox.Literal(digest.hexdigest())
        node = _n(self.reference_graph)
        if self.ask(f"ASK {{ GRAPH {self._log} {{ {node} {INGEST_COMPLETE} {marker} }} }}"):
            return False
        triples = (
            q.triple for path in files for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        )
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self._replace_managed(self.reference_graph, data, digest.hexdigest())
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
