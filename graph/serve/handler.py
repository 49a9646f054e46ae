"""The HTTP side of `kommunegraf serve`: the SPARQL 1.1 Protocol (read-only) and the query page.

Routes: ``/`` the page (graph/serve/page.html), ``/queries.json`` the bundled queries and the
project's prefixes for it, ``/query`` the SPARQL endpoint (GET ``?query=``, POST form or
``application/sparql-query``), ``/run`` a page query with its parameters bound, ``/labels``
the labels of IRIs.  Every request is checked first (Host, Origin; graph/serve/guard.py), every
query for SERVICE, and every query runs in a worker under the timeout (graph/serve/pool.py).
Updates are refused: the server is read-only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import regex

from kommunegraf import queries
from kommunegraf.graph.serve.guard import Refused, check_host, check_no_service, check_origin
from kommunegraf.graph.serve.pool import ClientGone, Pool, Timeout, WorkerFailed

PAGE = Path(__file__).resolve().parent / "page.html"
MAX_BODY = 1 << 20  # bytes of a request body (a query, a page request)
# An inline block of the page, hashed for its Content-Security-Policy: "<script>…</script>".
INLINE_BLOCK_RE = regex.compile(r"<(?P<tag>script|style)>(?P<body>.*?)</(?P=tag)>", regex.DOTALL)


def page_and_policy(path: Path = PAGE) -> tuple[bytes, str]:
    """The page and a Content-Security-Policy that allows its own inline code and nothing else:
    no other script runs, and the page can connect to this server only."""
    text = path.read_text(encoding="utf-8")
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for match in INLINE_BLOCK_RE.finditer(text):
        digest = base64.b64encode(hashlib.sha256(match["body"].encode()).digest()).decode()
        hashes[match["tag"]].append(f"'sha256-{digest}'")
    policy = (
        "default-src 'none'; "
        f"script-src {' '.join(hashes['script']) or chr(39) + 'none' + chr(39)}; "
        f"style-src {' '.join(hashes['style']) or chr(39) + 'none' + chr(39)}; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    return text.encode("utf-8"), policy


def queries_document() -> bytes:
    """The bundled queries (with their header comments and parameters) and the prefixes."""
    from kommunegraf.ontology.terms import PREFIXES

    listing = [
        {
            "name": q.name,
            "description": q.description,
            "details": q.details,
            "params": [
                {"name": p.name, "kind": p.kind, "optional": p.optional, "text": p.description}
                for p in q.params
            ],
            "text": q.text,
        }
        for q in queries.all_queries()
    ]
    return json.dumps({"prefixes": PREFIXES, "queries": listing}, ensure_ascii=False).encode()


@dataclass
class App:
    """What every request handler needs (one per server)."""

    pool: Pool
    allowed: frozenset[str]
    port: int
    wildcard: bool
    timeout: float
    allow_service: bool
    page: bytes
    policy: str
    listing: bytes


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App | None, family: int) -> None:
        self.address_family = family
        self.app: App | None = app
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on stderr, not a traceback (a client that vanished mid-answer, say)."""
        import sys

        error = sys.exc_info()[1]
        print(f"serve: request from {client_address[0]} failed: {error!r}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a socket read may wait: a client that sends nothing is let go

    def version_string(self) -> str:
        return "kommunegraf"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a query server's per-request lines would drown the terminal."""

    # --- answers ---------------------------------------------------------------------------
    def _send(
        self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        content_type = f"{media}; charset=utf-8" if media.startswith("text/") else media
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _fail(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (" ".join(message.split()) + "\n").encode(), "text/plain", headers)

    @property
    def app(self) -> App:
        assert self.server.app is not None
        return self.server.app

    def _checked(self) -> bool:
        app = self.app
        try:
            check_host(
                self.headers.get("Host"), allowed=app.allowed, port=app.port, wildcard=app.wildcard
            )
            check_origin(
                self.headers.get("Origin"),
                allowed=app.allowed,
                port=app.port,
                wildcard=app.wildcard,
            )
        except Refused as exc:
            self.close_connection = True
            self._fail(exc.status, str(exc))
            return False
        return True

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            return None
        return self.rfile.read(length) if length else b""

    # --- routes ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if not self._checked():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(
                200, self.app.page, "text/html", {"Content-Security-Policy": self.app.policy}
            )
        elif url.path == "/queries.json":
            self._send(200, self.app.listing, "application/json")
        elif url.path == "/query":
            form = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            self._protocol(form)
        elif url.path == "/update":
            self._read_only()
        else:
            self._fail(HTTPStatus.NOT_FOUND, f"no such page {url.path!r}")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._checked():
            return
        url = urllib.parse.urlsplit(self.path)
        body = self._body()
        if body is None:
            return
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/query":
            if media == "application/sparql-query":
                form = {"query": [body.decode("utf-8", "replace")]}
            elif media in ("application/x-www-form-urlencoded", ""):
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), True)
            else:
                self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read a {media} body")
                return
            self._protocol(form)
        elif url.path in ("/run", "/labels"):
            self._page_request(url.path, body)
        else:
            self._read_only()

    def do_PUT(self) -> None:
        """PUT/DELETE/PATCH (the Graph Store Protocol's writes): refused, read-only."""
        if self._checked():
            self.close_connection = True
            self._read_only()

    do_DELETE = do_PATCH = do_PUT

    def _read_only(self) -> None:
        self._fail(HTTPStatus.FORBIDDEN, "this server is read-only: updates are refused")

    def _protocol(self, form: dict[str, list[str]]) -> None:
        if "update" in form:
            self._read_only()
            return
        texts = form.get("query") or []
        if len(texts) != 1:
            self._fail(HTTPStatus.BAD_REQUEST, "give one query (the 'query' parameter)")
            return
        if form.get("default-graph-uri") or form.get("named-graph-uri"):
            self._fail(HTTPStatus.BAD_REQUEST, "default-graph-uri/named-graph-uri are not served")
            return
        self._run({"op": "query", "text": texts[0], "accept": self.headers.get("Accept")})

    def _page_request(self, path: str, body: bytes) -> None:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._fail(HTTPStatus.BAD_REQUEST, "the page sends a JSON object")
            return
        if path == "/labels":
            iris = data.get("iris")
            if not isinstance(iris, list):
                self._fail(HTTPStatus.BAD_REQUEST, "labels needs a list of IRIs")
                return
            self._run({"op": "labels", "iris": [i for i in iris if isinstance(i, str)]})
            return
        text, params = data.get("text"), data.get("params") or {}
        if not isinstance(text, str) or not isinstance(params, dict):
            self._fail(HTTPStatus.BAD_REQUEST, "run needs a query text and a params object")
            return
        params = {str(k): str(v) for k, v in params.items() if str(v).strip()}
        self._run({"op": "query", "text": text, "accept": None, "params": params})

    def _run(self, request: dict[str, Any]) -> None:
        app = self.app
        if request["op"] == "query" and not app.allow_service:
            try:
                check_no_service(request["text"])
            except Refused as exc:
                self._fail(exc.status, str(exc))
                return
        try:
            reply = app.pool.ask(request, app.timeout, self.connection)
        except ClientGone:
            self.close_connection = True  # its worker is killed; nobody to answer
            return
        except Timeout as exc:
            if exc.pid is None:
                message = "the server is busy with other queries; try again in a moment"
                self._fail(HTTPStatus.SERVICE_UNAVAILABLE, message)
                return
            self._fail(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"the query was stopped at the {app.timeout:g} s timeout (--timeout)",
                {"Kommunegraf-Worker": str(exc.pid)},
            )
            return
        except WorkerFailed as exc:
            worker = {"Kommunegraf-Worker": str(exc.pid)} if exc.pid else None
            self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc), worker)
            return
        self._send(
            reply.status, reply.body, reply.media_type, {"Kommunegraf-Worker": str(reply.pid)}
        )
