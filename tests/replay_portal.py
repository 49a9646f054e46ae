"""A FirstAgenda portal on 127.0.0.1 that replays recorded responses, for the fetch tests.

It behaves as the real portals were observed to (../shared/corpus/firstagenda-api/README.md):
``GET /`` sets an anonymous session cookie, an API call without it answers 302 to ``/``,
``/api/agenda/udvalgsliste`` lists the committees and their meetings, and
``/api/agenda/dagsorden/<id>`` returns a meeting's body byte for byte as recorded.

Faults are injected per path on demand (``inject``): a 500, a response slower than the
client's timeout, a 302 despite the cookie, a front page that sets no cookie, a body shorter
than its Content-Length, a 429 with Retry-After, and a 200 that is not JSON.  Every request
is logged, and ``served`` counts the meeting bodies sent whole, so tests count downloads
instead of timing them.
``kill_at`` SIGKILLs a client process at its n-th meeting request (before the response, or
halfway through its body) to test a fetch that is killed and started again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COOKIE = "FirstAgendaSession"
LIST_PATH = "/api/agenda/udvalgsliste"
MEETING_PREFIX = "/api/agenda/dagsorden/"
FAULTS = ("500", "timeout", "302", "truncated", "429", "notjson", "nocookie")


@dataclass
class ReplayMeeting:
    """One meeting document: its committee-list entry and its body as recorded."""

    entry: dict  # the list's Moeder entry: Id, Dato, Navn, Afsluttet, ReleasedDate, …
    committee_id: str
    committee: str
    body: bytes
    period: str = "Udvalg 2022-2025"

    @property
    def meeting_id(self) -> str:
        return self.entry["Id"]


def meetings_from_bodies(paths: Iterable[Path]) -> list[ReplayMeeting]:
    """Meetings from recorded ``/api/agenda/dagsorden/<id>`` bodies; each list entry is built
    from the body's own fields (its ``Id``, ``Udvalg`` and ``Moede``), as the portal's list
    carries the same fields."""
    meetings = []
    for path in sorted(paths):
        body = path.read_bytes()
        data = json.loads(body)
        moede = data["Moede"]
        entry = {
            "Id": data["Id"],
            **{
                key: moede.get(key)
                for key in (
                    "MeetingBeginUtc",
                    "MeetingEndUtc",
                    "ReleasedDate",
                    "Dato",
                    "Sted",
                    "Afsluttet",
                    "Navn",
                    "IsSupplementaryAgenda",
                )
            },
            "Moededeltagere": None,
        }
        udvalg = data["Udvalg"]
        meetings.append(ReplayMeeting(entry, udvalg["Id"], udvalg["Navn"], body))
    return meetings


def meetings_from_list(data: dict, body: Callable[[str], bytes]) -> list[ReplayMeeting]:
    """The meetings of a recorded committee list, each with ``body(meeting id)`` as its body
    (the list's bodies were not recorded with it)."""
    meetings = []
    for period, committees in data["Udvalg"].items():
        for committee in committees:
            for entry in committee["Moeder"]:
                meetings.append(
                    ReplayMeeting(
                        dict(entry), committee["Id"], committee["Navn"], body(entry["Id"]), period
                    )
                )
    return meetings


def copies(meetings: list[ReplayMeeting], count: int) -> list[ReplayMeeting]:
    """``count`` meetings cycling through ``meetings``; copies after the first round get a
    new Id (in the entry and the body) and a later date, so each is a distinct meeting."""
    out = []
    for n in range(count):
        base = meetings[n % len(meetings)]
        if n < len(meetings):
            out.append(base)
            continue
        new_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"replay/{n}"))
        year = 2030 + n // len(meetings)
        entry = {**base.entry, "Id": new_id, "Dato": f"{year}{base.entry['Dato'][4:]}"}
        body = base.body.replace(base.meeting_id.encode(), new_id.encode())
        out.append(ReplayMeeting(entry, base.committee_id, base.committee, body, base.period))
    return out


@dataclass
class Seen:
    """One request as the server saw it, and what it did."""

    path: str
    meeting_id: str | None
    cookie: bool
    outcome: str  # "served", "302-no-cookie", "fault:500", "killed", …
    user_agent: str = ""


@dataclass
class _Kill:
    at: int  # the n-th meeting request (1-based) of this server's life
    pid: Callable[[], int]
    midbody: bool


@dataclass
class ReplayPortal:
    """The server; ``with ReplayPortal(meetings) as portal: portal.url …``."""

    meetings: list[ReplayMeeting]
    retry_after: int = 1
    etags: bool = False  # send an ETag with each meeting, and 304 to If-None-Match
    list_override: bytes | None = None  # a recorded committee list, served byte for byte
    slow_seconds: float = 2.0
    log: list[Seen] = field(default_factory=list)
    served: Counter = field(default_factory=Counter)
    sessions: set[str] = field(default_factory=set)
    _faults: dict[str, list[str]] = field(default_factory=dict)
    _always: dict[str, str] = field(default_factory=dict)
    _kill: _Kill | None = None
    _meeting_requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._by_id = {m.meeting_id: m for m in self.meetings}

    # --- control from the tests -------------------------------------------------------

    def inject(self, key: str, *faults: str, always: bool = False) -> None:
        """Faults for the next requests of ``key`` (a meeting Id, "list" or "/") in order,
        or ``always`` one fault for every request of it."""
        assert all(f in FAULTS for f in faults), faults
        with self._lock:
            if always:
                self._always[key] = faults[0]
            else:
                self._faults.setdefault(key, []).extend(faults)

    def kill_at(self, n: int, pid: Callable[[], int], *, midbody: bool = False) -> None:
        self._kill = _Kill(n, pid, midbody)

    def update(self, meeting_id: str, body: bytes | None = None, **entry: object) -> None:
        """Change a meeting's list entry (e.g. Navn="Referat") and optionally its body."""
        with self._lock:
            meeting = self._by_id[meeting_id]
            meeting.entry.update(entry)
            if body is not None:
                meeting.body = body

    def add(self, meeting: ReplayMeeting) -> None:
        with self._lock:
            self.meetings.append(meeting)
            self._by_id[meeting.meeting_id] = meeting

    def meeting_requests(self) -> Counter:
        """Requests per meeting Id, whatever their outcome."""
        return Counter(s.meeting_id for s in self.log if s.meeting_id)

    def committee_list(self) -> bytes:
        if self.list_override is not None:
            return self.list_override
        periods: dict[str, dict[str, dict]] = {}
        for m in self.meetings:
            committees = periods.setdefault(m.period, {})
            committee = committees.setdefault(
                m.committee_id, {"Id": m.committee_id, "Navn": m.committee, "Moeder": []}
            )
            committee["Moeder"].append(dict(m.entry))
        data = {"Udvalg": {p: list(c.values()) for p, c in periods.items()}}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    # --- life -------------------------------------------------------------------------

    def __enter__(self) -> ReplayPortal:
        portal = self

        class Handler(_Handler):
            server_portal = portal

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- what the handler asks --------------------------------------------------------

    def _next_fault(self, key: str) -> str | None:
        with self._lock:
            if key in self._always:
                return self._always[key]
            queue = self._faults.get(key)
            return queue.pop(0) if queue else None

    def _record(self, seen: Seen, user_agent: str = "") -> None:
        seen.user_agent = user_agent
        with self._lock:
            self.log.append(seen)
            if seen.outcome == "served" and seen.meeting_id:
                self.served[seen.meeting_id] += 1

    def _unserve(self, seen: Seen) -> None:
        """A body counted as served whose sending failed: not sent whole after all."""
        with self._lock:
            seen.outcome = "broken"
            if seen.meeting_id:
                self.served[seen.meeting_id] -= 1
                if not self.served[seen.meeting_id]:
                    del self.served[seen.meeting_id]

    def _count_meeting_request(self) -> int:
        with self._lock:
            self._meeting_requests += 1
            return self._meeting_requests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK
    server_portal: ReplayPortal

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        portal = self.server_portal
        path = self.path.split("?", 1)[0]
        cookie = self._session() in portal.sessions
        meeting_id = path[len(MEETING_PREFIX) :] if path.startswith(MEETING_PREFIX) else None
        key = "/" if path == "/" else "list" if path == LIST_PATH else meeting_id or path
        fault = portal._next_fault(key)
        if meeting_id is not None and portal._kill:
            kill = portal._kill
            if portal._count_meeting_request() == kill.at:
                self._kill_client(kill, meeting_id)
                return
        if fault:
            self._fault(fault, key, meeting_id, cookie)
            return
        if path == "/":
            token = secrets.token_hex(8)
            with portal._lock:
                portal.sessions.add(token)
            body = b"<!doctype html><title>Dagsordener</title>"
            self._send(200, body, "text/html", [("Set-Cookie", f"{COOKIE}={token}; Path=/")])
            portal._record(Seen(path, None, cookie, "served"), self._ua())
            return
        if not cookie:
            self._send(302, b"", "text/html", [("Location", "/")])
            portal._record(Seen(path, meeting_id, cookie, "302-no-cookie"), self._ua())
            return
        if path == LIST_PATH:
            self._send(200, portal.committee_list(), "application/json; charset=utf-8")
            portal._record(Seen(path, None, cookie, "served"), self._ua())
            return
        meeting = portal._by_id.get(meeting_id or "")
        if meeting is None:
            portal._record(Seen(path, meeting_id, cookie, "404"), self._ua())  # before: see below
            self._send(404, b"not found", "text/plain")
            return
        headers: list[tuple[str, str]] = []
        if portal.etags:
            etag = f'"{hashlib.sha1(meeting.body).hexdigest()}"'
            if self.headers.get("If-None-Match") == etag:
                portal._record(Seen(path, meeting_id, cookie, "not-modified"), self._ua())
                self._send(304, b"", "application/json", [("ETag", etag)])
                return
            headers.append(("ETag", etag))
        # Counted before the body goes out, so that a test reading the count after its fetch
        # returned never races this thread (the client can finish before a record made after
        # the send); taken back if the body could not be sent whole.
        seen = Seen(path, meeting_id, cookie, "served")
        portal._record(seen, self._ua())
        try:
            self._send(200, meeting.body, "application/json; charset=utf-8", headers)
        except OSError:
            portal._unserve(seen)
            raise

    def _ua(self) -> str:
        return self.headers.get("User-Agent", "")

    def _session(self) -> str:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE:
                return value
        return ""

    def _send(
        self, status: int, body: bytes, ctype: str, headers: list[tuple[str, str]] = ()
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _body_for(self, key: str) -> bytes:
        portal = self.server_portal
        if key == "list":
            return portal.committee_list()
        meeting = portal._by_id.get(key)
        return meeting.body if meeting else b"<!doctype html>"

    def _fault(self, fault: str, key: str, meeting_id: str | None, cookie: bool) -> None:
        portal = self.server_portal
        portal._record(Seen(self.path, meeting_id, cookie, f"fault:{fault}"), self._ua())
        if fault == "500":
            self._send(500, b"Internal Server Error", "text/plain")
        elif fault == "429":
            headers = [("Retry-After", str(portal.retry_after))]
            self._send(429, b"Too Many Requests", "text/plain", headers)
        elif fault == "302":
            self._send(302, b"", "text/html", [("Location", "/")])
        elif fault == "nocookie":  # the front page without its Set-Cookie
            self._send(200, b"<!doctype html><title>Dagsordener</title>", "text/html")
        elif fault == "notjson":
            page = b"<!doctype html><html><body>Der opstod en fejl</body></html>"
            self._send(200, page, "text/html; charset=utf-8")
        elif fault == "timeout":
            portal._stop.wait(portal.slow_seconds)
            with contextlib.suppress(OSError):  # the client has given up
                self._send(200, self._body_for(key), "application/json")
        elif fault == "truncated":
            body = self._body_for(key)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._hang_up()

    def _kill_client(self, kill: _Kill, meeting_id: str) -> None:
        portal = self.server_portal
        if kill.midbody:
            body = portal._by_id[meeting_id].body
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        os.kill(kill.pid(), signal.SIGKILL)
        portal._record(Seen(self.path, meeting_id, True, "killed"), self._ua())
        self._hang_up()

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
