"""A SPARQL server as the store (``--endpoint``): bindings, HTTP failures, a real Oxigraph.

Three parts: how bound values are written into a query (checked against pyoxigraph's own
substitutions on the seeds), how HTTP failures reach the user (a small local server that
misbehaves on purpose), and the whole CLI against a real ``oxigraph serve`` on loopback
(marker ``server``) compared with the embedded store.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from oxigraph_server import free_port, start_server, stop

from kommunegraf import queries
from kommunegraf.graph.analysis import threads as threads_module
from kommunegraf.graph.answers import trace as trace_module
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import IRI, QueryError, Rows, Store, StoreError, open_store
from kommunegraf.graph.store.remote import (
    PASSWORD_ENV,
    STORE_ENV,
    TIMEOUT_ENV,
    UPDATE_ENV,
    USER_ENV,
    bind_values,
    credentials,
    endpoints_for,
    open_remote,
)

ROOT = Path(__file__).resolve().parent.parent


# --- bindings written as VALUES -----------------------------------------------------------

X = "https://example.org/x/"


def values_of(query: str) -> int:
    """How many copies of the block binding ?v to "Holmsland" the query holds."""
    return query.count('VALUES (?v) { ("Holmsland") }')


@pytest.mark.parametrize(
    ("query", "blocks"),
    [
        # the WHERE group, each UNION branch, the OPTIONAL body
        ("SELECT ?v WHERE { { ?s ?p ?v } UNION { ?s ?q ?v } OPTIONAL { ?s ?r ?o } }", 4),
        # a sub-query keeps its own variables: nothing inside it
        ("SELECT ?v WHERE { ?s ?p ?v { SELECT ?s WHERE { ?s ?p ?o } } }", 1),
        # a CONSTRUCT template is not a pattern
        ("CONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?v }", 1),
        # VALUES data blocks, inline and trailing, are data
        ("SELECT ?v WHERE { VALUES ?z { 1 2 } ?s ?p ?v } VALUES (?w) { (3) }", 1),
        # braces in strings, IRIs' neighbours and comments are text
        ('SELECT ?v WHERE { ?s ?p "}{" . # { not a group }\n ?s ?q ?v }', 1),
        ("SELECT ?v WHERE { ?s ?p '''a\n}''' ; ?q ?v FILTER(?v<?s) }", 1),
        # GRAPH, MINUS and EXISTS bodies are group patterns
        ("SELECT ?v WHERE { GRAPH ?g { ?s ?p ?v } FILTER NOT EXISTS { ?v ?p ?s } }", 3),
        ("ASK { ?s ?p ?v }", 1),
    ],
)
def test_values_block_lands_in_every_group_outside_subqueries(query: str, blocks: int) -> None:
    bound = bind_values(query, {"v": "Holmsland"})
    assert values_of(bound) == blocks
    ox.Store().query(bound)  # still a valid query


def test_describe_without_pattern_gets_one_before_limit() -> None:
    bound = bind_values("DESCRIBE ?x LIMIT 5", {"x": IRI(X + "a")})
    assert bound.index("WHERE") < bound.index("LIMIT")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(X + "a"), ox.NamedNode(X + "p"), ox.Literal("Brædstrup")))
    assert [t.object.value for t in store.query(bound)] == ["Brædstrup"]


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        ({"nope": "x"}, "no variable ?nope"),
        ({"v w": "x"}, "not a SPARQL variable name"),
        ({"v": IRI("not an iri with spaces")}, "cannot bind ?v"),
        ({"v": object()}, "cannot bind ?v"),
    ],
)
def test_bad_bindings_are_refused(bindings: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("?", r"\?")):
        bind_values("SELECT ?v WHERE { ?s ?p ?v }", bindings)


def test_short_construct_cannot_take_values() -> None:
    with pytest.raises(QueryError, match="long CONSTRUCT"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?v }", {"v": 1})


def test_typed_values_match_as_typed_literals() -> None:
    store = ox.Store()
    s, p = ox.NamedNode(X + "s"), ox.NamedNode(X + "p")
    day = ox.Literal("2021-03-02", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    for obj in (ox.Literal(7), day, ox.Literal(True), ox.NamedNode(X + "o")):
        store.add(ox.Quad(s, p, obj))
    query = "SELECT ?v WHERE { ?s ?p ?v }"
    for value in (7, dt.date(2021, 3, 2), True, IRI(X + "o")):
        rows = list(store.query(bind_values(query, {"v": value})))
        assert len(rows) == 1, value
    assert not list(store.query(bind_values(query, {"v": "7"})))  # a string is not 7
    assert not list(store.query(bind_values(query, {"v": Decimal("7.5")})))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_bound_as_data(text: str) -> None:
    """Quotes, braces, newlines, '#', 'DROP ALL' … come back as the very same literal."""
    store = ox.Store()
    result = list(store.query(bind_values("SELECT ?v WHERE { }", {"v": text})))
    assert [r["v"].value for r in result] == [text]


# --- the same answers as pyoxigraph's substitutions, on the seeds -------------------------


@pytest.fixture(scope="module")
def seed_store(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("remote-seeds") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(seed_paths) and not summary.failed
    return folder


def _rows(result: Any) -> list[tuple[str, ...]]:
    if isinstance(result, bool):
        return [(str(result),)]
    if isinstance(result, Rows):
        return sorted(tuple(repr(row[v]) for v in result.variables) for row in result)
    return sorted(tuple(map(repr, t)) for t in result)


def _param_values(store: Store) -> dict[str, list[Any]]:
    """Values for each kind of parameter, read from the store (so that rows come back)."""
    kg = "PREFIX kg: <https://w3id.org/kommunegraf/ontology#> "
    pick = {
        "case": kg + "SELECT DISTINCT ?v WHERE { [] kg:caseKey ?v }",
        "municipality": kg + "SELECT DISTINCT ?v WHERE { [] kg:caseKey [] ; kg:municipality ?v }",
    }
    found = {kind: [row["v"] for row in store.select(q)][:3] for kind, q in pick.items()}
    found["municipality"] = [IRI(str(v)) for v in found["municipality"]]
    return found


STRING_PARAMS = {
    "outcome": ["approved", "noted"],
    "law": ["lov", "serviceloven"],
    "party": ["V", "A"],
    "person": ["an", "e"],
    "type": ["person", "organisation"],
    "kind": ["organisation", "act"],
    "year": [2018, 2019],
}


def test_values_answer_like_substitutions_on_every_bundled_query(seed_store: Path) -> None:
    compared = nonempty = 0
    with open_store(seed_store, write=False) as store:
        kinds = _param_values(store)
        for bundled in queries.all_queries():
            for param in bundled.params:
                options = kinds.get(param.kind) or STRING_PARAMS.get(param.name) or ["a"]
                for value in options:
                    bindings = {param.name: value}
                    if param.kind == "integer":
                        bindings = {param.name: int(value)}
                    expected = _rows(store.query(bundled.text, bindings))
                    assert _rows(store.query(bind_values(bundled.text, bindings))) == expected, (
                        bundled.name,
                        bindings,
                    )
                    compared += 1
                    nonempty += bool(expected)
    assert compared >= 20 and nonempty >= compared // 2


class Recorder:
    """A store that records each query it is asked (with its bindings) and answers it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.asked: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        self.asked.append((sparql, dict(bindings or {})))
        return self.store.query(sparql, bindings)


def test_values_answer_like_substitutions_on_what_trace_and_threads_ask(seed_store: Path) -> None:
    """Every query trace and threads send, with their bindings, answers the same both ways."""
    with open_store(seed_store, write=False) as store:
        recorder = Recorder(store)
        keys = sorted({str(r["k"]) for r in store.select(
            "SELECT ?k WHERE { [] <https://w3id.org/kommunegraf/ontology#caseKey> ?k }"
        )})  # fmt: skip
        for key in keys:
            trace_module.trace(recorder, key)  # type: ignore[arg-type]
        trace_module.trace(recorder, keys[0][:5])  # a prefix: the choices
        threads_module.list_threads(recorder, min_meetings=1)  # type: ignore[arg-type]
        bound = [(q, b) for q, b in recorder.asked if b]
        assert len(bound) > 3 * len(keys)
        rows = 0
        for sparql, bindings in bound:
            expected = _rows(store.query(sparql, bindings))
            assert _rows(store.query(bind_values(sparql, bindings))) == expected, bindings
            rows += len(expected)
        assert rows > len(keys)


# --- endpoints and credentials ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query", "update", "graph_store"),
    [
        ("http://127.0.0.1:7878", "/query", "/update", "/store"),
        ("http://127.0.0.1:7878/", "/query", "/update", "/store"),
        ("http://127.0.0.1:7878/query", "/query", "/update", "/store"),
        ("http://127.0.0.1:3030/ds/query", "/ds/query", "/ds/update", "/ds/store"),
        ("http://u:p@127.0.0.1:3030/ds/query", "/ds/query", "/ds/update", "/ds/store"),
    ],
)
def test_endpoint_urls(url: str, query: str, update: str, graph_store: str) -> None:
    e = endpoints_for(url, env={})
    root = "http://127.0.0.1:" + url.split(":")[-1].split("/")[0]
    assert (e.query, e.update, e.graph_store) == (root + query, root + update, root + graph_store)
    assert "u:p" not in e.query


def test_endpoint_urls_from_the_environment() -> None:
    env = {UPDATE_ENV: "http://h:1/ds/update", STORE_ENV: "http://h:1/ds/data"}
    e = endpoints_for("http://h:1/ds/query", env=env)
    assert (e.update, e.graph_store) == ("http://h:1/ds/update", "http://h:1/ds/data")
    with pytest.raises(StoreError, match="http"):
        endpoints_for("ftp://h/query", env={})


def test_credentials_from_environment_win_over_url() -> None:
    assert credentials("http://a:b@h/q", env={USER_ENV: "c", PASSWORD_ENV: "d"}) == ("c", "d")
    assert credentials("http://a:b%40c@h/q", env={}) == ("a", "b@c")
    assert credentials("http://h/q", env={}) is None


# --- HTTP failures, one line each ---------------------------------------------------------

SECRET = "Kodeord-7!hemmeligt"


class _Handler(BaseHTTPRequestHandler):
    """Answers as ``behaviour`` says; records each request's headers."""

    behaviour: ClassVar[str] = "ok"
    seen: ClassVar[list[dict[str, str]]] = []
    redirect_to: ClassVar[str] = ""

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        type(self).seen.append(dict(self.headers.items()))
        length = int(self.headers.get("Content-Length") or 0)
        sent = urllib.parse.unquote_plus(self.rfile.read(length).decode()).encode()
        b = type(self).behaviour
        if b == "slow":
            time.sleep(1.5)
        if b == "redirect":
            self.send_response(307)
            self.send_header("Location", type(self).redirect_to)
            self.end_headers()
            return
        # ASK: true, except the reader's check that named graphs stay out of the default one
        ok = b'{"head":{},"boolean":%s}' % (b"false" if b"storeFormat" in sent else b"true")
        if b"SELECT" in sent:  # one row binding ?f: the store-format marker a reader checks
            row = {"f": {"type": "literal", "value": "2"}}
            ok = json.dumps({"head": {"vars": ["f"]}, "results": {"bindings": [row]}}).encode()
        code, media, body = {
            "ok": (200, "application/sparql-results+json", ok),
            "slow": (200, "application/sparql-results+json", ok),
            # a server that echoes the Authorization header back (it happens)
            "deny": (401, "text/plain", f"bad {self.headers.get('Authorization')}".encode()),
            "echo-secret": (500, "text/plain", f"near {self.headers['Authorization']}".encode()),
            "echo-password": (500, "text/plain", f"internal error near {SECRET}".encode()),
            "boom": (500, "text/plain", b"Internal error:\nthe disk is full\nmore"),
            "html": (200, "text/html", b"<html>a web page</html>"),
            "bad-query": (400, "text/plain", b"error at 1:6: expected WHERE"),
        }[b]
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the client gave up (the timeout test)
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer


@pytest.fixture
def fake() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.seen = []
    _Handler.behaviour = "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def ask(url: str, env: dict[str, str] | None = None) -> bool:
    with open_remote(url, write=False, env=env or {}) as store:
        return store.ask("ASK {}")


def test_credentials_go_with_every_request(fake: str) -> None:
    assert ask(fake, {USER_ENV: "bruger", PASSWORD_ENV: SECRET})
    expected = "Basic " + base64.b64encode(f"bruger:{SECRET}".encode()).decode()
    assert _Handler.seen and all(h.get("Authorization") == expected for h in _Handler.seen)


@pytest.mark.parametrize("behaviour", ["deny", "echo-secret", "echo-password"])
def test_errors_never_show_the_password(fake: str, behaviour: str) -> None:
    _Handler.behaviour = behaviour
    with pytest.raises(StoreError) as caught:
        ask(fake, {USER_ENV: "bruger", PASSWORD_ENV: SECRET})
    message = str(caught.value)
    token = base64.b64encode(f"bruger:{SECRET}".encode()).decode()
    assert SECRET not in message and token not in message
    assert "\n" not in message
    if behaviour == "deny":
        assert "refused access (401)" in message and USER_ENV in message


def test_password_in_the_url_is_not_shown(fake: str) -> None:
    _Handler.behaviour = "boom"
    url = fake.replace("http://", f"http://bruger:{SECRET}@")
    with pytest.raises(StoreError) as caught:
        ask(url)
    assert SECRET not in str(caught.value) and "bruger" not in str(caught.value)
    assert _Handler.seen[0]["Authorization"].startswith("Basic ")


def test_server_error_is_one_line_with_its_first_words(fake: str) -> None:
    _Handler.behaviour = "boom"
    with pytest.raises(StoreError, match=r"answered 500 .*the disk is full") as caught:
        ask(fake)
    assert "\n" not in str(caught.value)


def test_query_error_from_the_server_is_a_query_error(fake: str) -> None:
    with open_remote(fake, write=False, env={}) as store:
        _Handler.behaviour = "bad-query"
        with pytest.raises(QueryError, match="expected WHERE"):
            store.ask("ASK {}")


def test_a_web_page_is_not_sparql_results(fake: str) -> None:
    _Handler.behaviour = "html"
    with pytest.raises(StoreError, match="text/html, not SPARQL results"):
        ask(fake)


def test_timeout(fake: str) -> None:
    _Handler.behaviour = "slow"
    started = time.monotonic()
    with pytest.raises(StoreError, match=rf"within 0.3 s \(set {TIMEOUT_ENV}"):
        ask(fake, {TIMEOUT_ENV: "0.3"})
    assert time.monotonic() - started < 1.4


def test_redirect_is_refused_and_credentials_stay_home(fake: str) -> None:
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.redirect_to = f"http://127.0.0.1:{other.server_address[1]}/query"
    _Handler.behaviour = "redirect"
    with pytest.raises(StoreError, match="redirects"):
        ask(fake, {USER_ENV: "bruger", PASSWORD_ENV: SECRET})
    assert len(_Handler.seen) == 1  # the other server was never asked
    other.server_close()


def test_server_down_is_one_line_without_traceback() -> None:
    url = f"http://bruger:{SECRET}@127.0.0.1:{free_port()}/query"
    env = {**os.environ, PASSWORD_ENV: SECRET, USER_ENV: "bruger", "KOMMUNEGRAF_ENDPOINT": url}
    done = subprocess.run(
        [sys.executable, "-m", "kommunegraf", "trace", "15.20.00"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "connection refused — is the server running?" in done.stderr
    assert SECRET not in done.stderr + done.stdout


# --- a real Oxigraph server (marker: server) ----------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen, str]]:
    process, url = start_server(tmp_path_factory.mktemp("oxigraph") / "db")
    yield process, url
    stop(process)


def cli(*args: str, endpoint: str | None = None, store: Path | None = None) -> str:
    options = ["--endpoint", endpoint] if endpoint else ["--store", str(store)]
    result = CliRunner().invoke(main, [*options, *args], env={"KOMMUNEGRAF_ENDPOINT": None})
    assert result.exit_code == 0, result.output
    return result.output


def json_rows(text: str) -> list[str]:
    data = json.loads(text)
    return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


@pytest.mark.server
def test_cli_over_a_real_server_answers_like_the_embedded_store(
    server: tuple[subprocess.Popen, str],
    seed_paths: list[Path],
    seed_store: Path,
    tmp_path: Path,
) -> None:
    process, url = server
    out = cli("ingest", "--jobs", "1", *map(str, seed_paths), endpoint=url)
    assert f"documents  {len(seed_paths)}" in out and "errors     0" in out

    with open_store(seed_store, write=False) as store:
        keys = sorted({str(r["k"]) for r in store.select(
            "SELECT ?k WHERE { ?c <https://w3id.org/kommunegraf/ontology#caseKey> ?k }"
        )})  # fmt: skip
    assert len(keys) >= 10
    for key in keys:
        assert cli("trace", key, "--format", "json", endpoint=url) == cli(
            "trace", key, "--format", "json", store=seed_store
        ), key
    for args in (
        ["query", "decisions-by-outcome", "--format", "json"],
        ["query", "case-history", "-p", f"case={keys[0]}", "--format", "json"],
        ["query", "items-citing-law", "-p", "law=lov", "--format", "json"],
    ):
        remote, embedded = cli(*args, endpoint=url), cli(*args, store=seed_store)
        assert json_rows(remote) == json_rows(embedded) and json_rows(embedded), args
    args = ["threads", "--format", "json"]
    assert cli(*args, endpoint=url) == cli(*args, store=seed_store), args
    # the same counts, but for the quads: the server keeps each document's shared
    # descriptions in its graph and a merged copy (format 2), the embedded store each once
    remote_stats, local_stats = (
        json.loads(cli("stats", "--format", "json", **where))
        for where in ({"endpoint": url}, {"store": seed_store})
    )
    assert remote_stats.pop("quads") > local_stats.pop("quads")
    assert remote_stats == local_stats
    assert json.loads(cli("threads", "--standing", "--format", "json", endpoint=url))

    remote_export, local_export = tmp_path / "remote.nq", tmp_path / "local.nq"
    cli("export", "--out", str(remote_export), endpoint=url)
    cli("export", "--out", str(local_export), store=seed_store)
    triples = [  # the same triples, in graphs of each layout
        {q.triple for q in ox.parse(path=p, format=ox.RdfFormat.N_QUADS)}
        for p in (remote_export, local_export)
    ]
    assert triples[0] == triples[1] and len(triples[0]) > 1000

    # Ingesting again replaces, never duplicates.
    with open_remote(url, write=False, env={}) as remote:
        before = remote.quad_count()
    cli("ingest", "--jobs", "1", *map(str, seed_paths), endpoint=url)
    with open_remote(url, write=False, env={}) as remote:
        assert remote.quad_count() == before
        assert len(remote.documents()) == len(seed_paths)

    # The server stops: one line, exit 1, no traceback.
    stop(process)
    done = subprocess.run(
        [sys.executable, "-m", "kommunegraf", "--endpoint", url, "trace", keys[0]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"error: cannot reach the SPARQL endpoint {url}: connection refused — "
        "is the server running?\n"
    )


@pytest.mark.server
def test_edited_file_replaces_its_older_version_on_a_server(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    process, url = start_server(tmp_path / "db")
    try:
        copy = tmp_path / "minutes" / "referat.txt"
        copy.parent.mkdir()
        text = seed_paths[0].read_text(encoding="utf-8")
        copy.write_text(text, encoding="utf-8")
        cli("ingest", "--jobs", "1", str(copy), endpoint=url)
        with open_remote(url, write=False, env={}) as remote:
            (first,) = remote.documents()
            assert remote.graph_of_path(copy) == first
        copy.write_text(text + "\nEt tillæg.\n", encoding="utf-8")
        out = cli("ingest", "--jobs", "1", str(copy), endpoint=url)
        assert "replaced   1 older version" in out
        with open_remote(url, write=False, env={}) as remote:
            (second,) = remote.documents()
            assert second != first and remote.graph_of_path(copy) == second
            assert first not in remote.named_graphs()
            assert remote.sources() == {second: ["referat.txt"]}
    finally:
        stop(process)


@pytest.mark.server
def test_half_loaded_graph_is_removed_by_the_next_writer(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    process, url = start_server(tmp_path / "db")
    try:
        cli("ingest", "--jobs", "1", str(seed_paths[0]), endpoint=url)
        orphan = "https://w3id.org/kommunegraf/id/kilde/00000000000000ff"
        with open_remote(url, write=True, env={}) as remote:
            remote._put_graph(orphan, b'<https://example.org/a> <https://example.org/b> "1" .\n')
        with open_remote(url, write=False, env={}) as remote:
            assert orphan in remote.named_graphs() and orphan not in remote.documents()
        with open_remote(url, write=True, env={}) as remote:
            assert orphan not in remote.named_graphs()
            assert len(remote.documents()) == 1
    finally:
        stop(process)


@pytest.mark.server
def test_a_union_default_graph_server_is_refused(tmp_path: Path, seed_paths: list[Path]) -> None:
    process, url = start_server(tmp_path / "db", "--union-default-graph")
    try:
        result = CliRunner().invoke(
            main, ["--endpoint", url, "ingest", "--jobs", "1", str(seed_paths[0])]
        )
        assert result.exit_code == 1
        assert "union default graph" in result.output
    finally:
        stop(process)


@pytest.mark.server
def test_a_fresh_server_is_set_up_by_the_first_writer(tmp_path: Path) -> None:
    process, url = start_server(tmp_path / "db")
    try:
        with pytest.raises(StoreError, match="holds no kommunegraf data — run `kommunegraf"):
            ask(url)
        with open_remote(url, write=True, env={}) as remote:
            assert remote.graph_ntriples("https://example.org/none") == b""
            assert remote.documents() == set()
            assert remote.load_reference() is True
            assert remote.load_reference() is False  # unchanged: not loaded twice
        with open_remote(url, write=False, env={}) as remote:
            assert remote.ask("ASK { ?s ?p ?o }")  # the reference data, merged
            assert remote.quad_count(remote.reference_graph) > 100
    finally:
        stop(process)
