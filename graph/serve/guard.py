"""What `kommunegraf serve` refuses before a query reaches the store.

Two attacks on a local SPARQL server, both seen on the Oxigraph server it used to run:

* **SSRF.**  SPARQL 1.1 federation (``SERVICE <url> { … }``) makes the server itself send an
  HTTP request to any address and quote the reply, so anyone who can reach the page reaches
  every address the server can (``127.0.0.1`` services, the LAN, cloud metadata).  A query is
  refused when its *parse tree* holds a SERVICE pattern: rdflib's SPARQL 1.1 grammar reads
  comments, strings, prefixed names and ``\\u`` escapes the way the standard says, so neither
  ``# SERVICE`` in a comment is refused nor ``SERVI\\u0043E ex:x`` let through.  A query rdflib
  cannot parse (SPARQL 1.2 syntax Oxigraph knows) is let through only when no "service" word
  appears in it at all after unescaping — the conservative side of a gap between two parsers.
* **DNS rebinding.**  A web page on ``evil.example`` can make its name resolve to 127.0.0.1 and
  then read the local server as its own origin.  The one thing it cannot forge is the Host
  header (``evil.example:7878``), so requests whose Host is not a name of the bound address
  are refused, as are cross-origin requests that announce another Origin.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from typing import Any

import regex

from kommunegraf.errors import KommunegrafError

# SPARQL's codepoint escapes, replaced before parsing (SPARQL 1.1 §19.2): "\u0043", "\U00000043".
CODEPOINT_ESCAPE_RE = regex.compile(r"\\u(?P<h4>[0-9A-Fa-f]{4})|\\U(?P<h8>[0-9A-Fa-f]{8})")
# The keyword anywhere, in any case: "SERVICE", "service", "Service".
SERVICE_WORD_RE = regex.compile(r"service", regex.IGNORECASE)
# A Host header: "127.0.0.1:7878", "[::1]:7878", "localhost" (port optional).
HOST_HEADER_RE = regex.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]+))(?::(?P<port>\d+))?$"
)

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


class Refused(KommunegrafError, ValueError):
    """A request the server will not run; the message is one line for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def unescape_codepoints(text: str) -> str:
    """``\\u0043`` → ``C`` as a SPARQL processor does before it parses anything."""

    def one(match: Any) -> str:
        code = int(match["h4"] or match["h8"], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return CODEPOINT_ESCAPE_RE.sub(one, text)


def _has_service(node: Any) -> bool:
    """Whether rdflib's parse tree holds a ServiceGraphPattern anywhere."""
    stack = [node]
    while stack:
        current = stack.pop()
        if getattr(current, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple) or type(current).__name__ == "ParseResults":
            stack.extend(list(current))
    return False


def check_no_service(query: str) -> None:
    """Refuse a query that would make the server fetch another endpoint (federated SERVICE)."""
    from rdflib.plugins.sparql.parser import parseQuery

    refusal = (
        "federated SERVICE queries are refused: they make this server fetch other addresses "
        "(start it with --allow-service to permit that)"
    )
    try:
        tree = parseQuery(query)
    except Exception:  # rdflib's grammar is SPARQL 1.1; Oxigraph also reads some of 1.2
        if SERVICE_WORD_RE.search(unescape_codepoints(query)):
            raise Refused(400, refusal + "; this query could not be checked") from None
        return
    if _has_service(tree):
        raise Refused(400, refusal)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The host names (lower case, no port) a request may name for a server bound to ``host``.

    Loopback answers to its usual names; a wildcard bind also to this machine's names.  An IP
    literal cannot be rebound by DNS, so any literal is also allowed for a wildcard bind.
    """
    names = {host.lower().strip("[]")}
    if is_loopback(host):
        names |= LOOPBACK_NAMES
    if host in WILDCARDS:
        names |= LOOPBACK_NAMES
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(n for n in names if n)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, bracketed or not) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_host(
    header: str | None, *, allowed: frozenset[str], port: int, wildcard: bool = False
) -> None:
    """Refuse a request whose Host header names another server (DNS rebinding)."""
    if not header:
        raise Refused(400, "the request has no Host header")
    match = HOST_HEADER_RE.match(header.strip())
    if not match:
        raise Refused(400, f"malformed Host header {header!r}")
    name = (match["v6"] or match["name"]).lower().rstrip(".")
    given_port = int(match["port"]) if match["port"] else 80
    ok = name in allowed or (wildcard and _ip_literal(name))
    if not ok or given_port != port:
        raise Refused(403, f"refused: Host {header!r} does not name this server")


def check_origin(
    origin: str | None, *, allowed: frozenset[str], port: int, wildcard: bool = False
) -> None:
    """Refuse a browser request sent from a page of another origin (when it says so)."""
    if not origin:  # not a browser, or a same-origin GET
        return
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.hostname is None:
        raise Refused(403, f"requests from origin {origin!r} are refused")
    name = parts.hostname.lower()
    ok = name in allowed or (wildcard and _ip_literal(name))
    if not ok or (parts.port or 80) != port:
        raise Refused(403, f"requests from origin {origin!r} are refused")
