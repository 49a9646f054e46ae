"""The server's URLs and the HTTP requests to it: credentials on each, a timeout, redirects
refused (they would carry the credentials elsewhere), failures said in one line.

``--endpoint`` is the query URL of the server (``http://host:7878/query`` for Oxigraph,
``http://host:3030/ds/query`` for Fuseki) or its root (``http://host:7878``, Oxigraph's
layout).  The update and graph-store URLs are the siblings ``update`` and ``store``, or set
with ``KOMMUNEGRAF_ENDPOINT_UPDATE`` / ``KOMMUNEGRAF_ENDPOINT_STORE`` (Fuseki: ``…/ds/data``).
HTTP basic auth comes from ``KOMMUNEGRAF_ENDPOINT_USER`` / ``KOMMUNEGRAF_ENDPOINT_PASSWORD``
(or user:password in the URL); it is sent with every request and never printed.
``KOMMUNEGRAF_ENDPOINT_TIMEOUT`` (seconds, default 120) bounds every request.
"""

from __future__ import annotations

import base64
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from kommunegraf.graph.store.model import QueryError, StoreError

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
