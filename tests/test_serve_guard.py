"""The checks `kommunegraf serve` makes before a query runs (graph/serve/guard.py), and the
worker's small pieces (graph/serve/worker.py), without starting a server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kommunegraf import queries
from kommunegraf.graph.serve.guard import (
    CODEPOINT_ESCAPE_RE,
    HOST_HEADER_RE,
    SERVICE_WORD_RE,
    Refused,
    allowed_hosts,
    check_host,
    check_no_service,
    check_origin,
    unescape_codepoints,
)
from kommunegraf.graph.serve.handler import INLINE_BLOCK_RE, page_and_policy
from kommunegraf.graph.serve.worker import CappedBuffer, TooLarge, accepted, choose_format

FEDERATED = [
    "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://x.example/> { ?s ?p ?o } }",
    "PREFIX in: <http://127.0.0.1:9/>\nSELECT * { SERVICE in:x { ?s ?p ?o } }",
    "SELECT * { SERVI\\u0043E <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVI\\U00000043E <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { VALUES ?u { <http://127.0.0.1:9/> } SERVICE ?u { ?s ?p ?o } }",
    "ASK { { SELECT ?s { MINUS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    # rdflib cannot parse this (a SPARQL 1.2 triple term): refused since it names the word
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p <<( ?a ?b ?c )>> } }",
]
PLAIN = [
    'SELECT ?x { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "PREFIX service: <http://example.org/service#>\nSELECT * { ?s service:x ?o }",
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * { ?s ?p <<( ?a ?b ?c )>> }",  # not rdflib's grammar, but no service word
]


@pytest.mark.parametrize("query", FEDERATED)
def test_federated_queries_are_refused(query: str) -> None:
    with pytest.raises(Refused, match="--allow-service") as refused:
        check_no_service(query)
    assert refused.value.status == 400 and "\n" not in str(refused.value)


@pytest.mark.parametrize("query", PLAIN)
def test_the_word_alone_is_no_federated_query(query: str) -> None:
    check_no_service(query)


def test_no_bundled_query_is_refused() -> None:
    for bundled in queries.all_queries():
        check_no_service(bundled.text)


def test_codepoint_escapes_are_read_as_sparql_does() -> None:
    # CODEPOINT_ESCAPE_RE: "\u0043" and "\U00000043" are both "C"
    assert CODEPOINT_ESCAPE_RE.findall(r"a\u0043b\U00000043") == [("0043", ""), ("", "00000043")]
    assert unescape_codepoints(r"SERVI\u0043E SERVI\U00000043E \u12") == r"SERVICE SERVICE \u12"
    assert SERVICE_WORD_RE.search("a Service b") and not SERVICE_WORD_RE.search("servic")


@pytest.mark.parametrize(
    ("header", "name", "port"),
    [
        ("127.0.0.1:7878", "127.0.0.1", "7878"),
        ("[::1]:7878", None, "7878"),
        ("localhost", "localhost", None),
    ],
)
def test_host_header_pattern(header: str, name: str | None, port: str | None) -> None:
    match = HOST_HEADER_RE.match(header)
    assert match and match["name"] == name and match["port"] == port
    assert not HOST_HEADER_RE.match("a:b:c")


def test_hosts_of_a_loopback_server() -> None:
    allowed = allowed_hosts("127.0.0.1", 7878)
    for header in ("127.0.0.1:7878", "localhost:7878", "[::1]:7878", "LOCALHOST:7878"):
        check_host(header, allowed=allowed, port=7878)
    for header in (
        "evil.example:7878",
        "evil.example",
        "127.0.0.1:80",
        "127.0.0.1",  # port 80 is not this server
        "localhost.evil.example:7878",
        "10.0.0.1:7878",
        "",
        None,
        "a b",
    ):
        with pytest.raises(Refused):
            check_host(header, allowed=allowed, port=7878)


def test_hosts_of_a_wildcard_server() -> None:
    """Bound to every address: IP literals (which DNS cannot rebind) and this machine's names."""
    allowed = allowed_hosts("0.0.0.0", 8000)
    check_host("192.168.1.20:8000", allowed=allowed, port=8000, wildcard=True)
    check_host("localhost:8000", allowed=allowed, port=8000, wildcard=True)
    with pytest.raises(Refused):
        check_host("evil.example:8000", allowed=allowed, port=8000, wildcard=True)


def test_origins() -> None:
    allowed = allowed_hosts("127.0.0.1", 7878)
    check_origin(None, allowed=allowed, port=7878)
    check_origin("http://127.0.0.1:7878", allowed=allowed, port=7878)
    check_origin("http://localhost:7878", allowed=allowed, port=7878)
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999", "file://"):
        with pytest.raises(Refused):
            check_origin(origin, allowed=allowed, port=7878)


def test_the_page_policy_allows_its_own_code_only() -> None:
    # INLINE_BLOCK_RE: "<script>…</script>" and "<style>…</style>" (no attributes)
    found = INLINE_BLOCK_RE.findall("<style>a{}</style><p>x</p><script>go()</script>")
    assert [(tag, body) for tag, body in found] == [("style", "a{}"), ("script", "go()")]
    page, policy = page_and_policy()
    assert b"<script>" in page and "'sha256-" in policy
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy  # no other host


def test_accept_header_preferences() -> None:
    assert list(accepted("text/csv;q=0.5, application/sparql-results+json")) == [
        "application/sparql-results+json",
        "text/csv",
    ]
    assert list(accepted("text/turtle;q=0, */*")) == ["*/*"]
    assert list(accepted(None)) == []
    store = ox.Store()
    select = store.query("SELECT * { }")
    assert choose_format(select, "text/csv") == ox.QueryResultsFormat.CSV
    assert choose_format(select, "text/turtle, */*") == ox.QueryResultsFormat.JSON
    construct = store.query("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }")
    assert choose_format(construct, "text/turtle") == ox.RdfFormat.TURTLE
    assert choose_format(construct, None) == ox.RdfFormat.N_TRIPLES


def test_capped_buffer_stops_the_serialiser() -> None:
    store = ox.Store()
    for i in range(500):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://x.example/{i}"),
                ox.NamedNode("http://p"),
                ox.Literal("v" * 50),
            )
        )
    out = CappedBuffer(10_000)
    with pytest.raises(TooLarge):
        store.query("SELECT * { ?s ?p ?o }").serialize(out, format=ox.QueryResultsFormat.CSV)
    small = CappedBuffer(10_000)
    store.query("ASK { ?s ?p ?o }").serialize(small, format=ox.QueryResultsFormat.JSON)
    assert b"true" in small.getvalue()
