"""A polite HTTP client for one FirstAgenda Publication portal.

The portal answers its API only inside an anonymous session: a visit to ``/`` sets the
cookie, and an API call without it is redirected (302) back to ``/``.  So the client visits
``/`` first, and when an API call is redirected anyway (the session expired) it visits again
once and repeats the call; a second redirect is a "302 loop" and fails that request.

Politeness is the point of most of this module: at most ``rate`` requests a second (the pace
is kept between the starts of requests, retries included), an identifying User-Agent, and
retries with exponential backoff (tenacity) only for what may pass — timeouts, transport
errors (a body cut short included) and 5xx.  A 429 waits as long as its ``Retry-After`` asks
(seconds or an HTTP date), capped, since a portal that is asked too often says so that way.
``sleep`` and ``clock`` are parameters so that tests can count the waits instead of timing
them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.fetch.defaults import DEFAULT_ATTEMPTS, DEFAULT_RATE, DEFAULT_TIMEOUT

PROJECT_URL = "https://w3id.org/kommunegraf/"  # the project's namespace (design.md)
SESSION_PATH = "/"
COMMITTEES_PATH = "/api/agenda/udvalgsliste"
MEETING_PATH = "/api/agenda/dagsorden/{meeting_id}"
DEFAULT_BACKOFF = 1.0  # seconds: the first retry's wait, doubling up to MAX_BACKOFF
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 600.0  # a 429 asking for a longer wait fails the request instead


def user_agent() -> str:
    """``kommunegraf/<version> (+<project URL>)``: who is asking, and where to read about it."""
    try:
        version = metadata.version("kommunegraf")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"kommunegraf/{version} (+{PROJECT_URL})"


class PortalRequestError(KommunegrafError):
    """A request that failed for good (after its retries); the message says why, in one line."""


class _Retryable(Exception):
    """A response worth trying again (5xx, 429); ``retry_after`` in seconds when it asked.

    Private, not a ``KommunegrafError``: tenacity retries on it; when the tries run out the
    client raises ``PortalRequestError`` instead."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _SessionLost(Exception):
    """An API call redirected to the front page: the session cookie is missing or expired.

    Private, not a ``KommunegrafError``: the client opens a new session and asks again."""


@dataclass
class Response:
    """A good answer: the body exactly as sent, and what the sidecar records of it."""

    url: str
    status: int
    body: bytes
    etag: str | None
    content_type: str


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: "120" → 120.0; an HTTP date → the time until it."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RateLimiter:
    """At most ``rate`` request starts a second (``rate`` ≤ 0: no limit)."""

    def __init__(
        self,
        rate: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.sleep = sleep
        self.clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if self._next > now:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


def _is_retryable(exc: BaseException) -> bool:
    # httpx.TransportError covers timeouts, refused or reset connections and a body shorter
    # than its Content-Length (RemoteProtocolError).
    # A body that does not decompress was most likely cut short too.
    return isinstance(exc, _Retryable | httpx.TransportError | httpx.DecodingError)


class PortalClient:
    """One portal (``base_url`` such as ``https://dagsordener.greve.dk``), one session."""

    def __init__(
        self,
        base_url: str,
        *,
        rate: float = DEFAULT_RATE,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff: float = DEFAULT_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.limiter = RateLimiter(rate, sleep=sleep, clock=clock)
        self.requests = 0  # every request sent, retries and cookie visits included
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"User-Agent": user_agent(), "Accept": "application/json, */*;q=0.5"},
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
        )
        self._has_session = False

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the three requests the portal knows -------------------------------------------

    def open_session(self) -> None:
        """Visit the front page for the anonymous session cookie (redirects followed)."""
        self._call(lambda: self._send(SESSION_PATH, follow=True))
        self._has_session = True

    def committees(self) -> tuple[Response, object]:
        """The committee and meeting list, and its parsed JSON."""
        return self.get_json(COMMITTEES_PATH)

    def meeting(self, meeting_id: str, etag: str | None = None) -> tuple[Response, object]:
        """One meeting (agenda or minutes) as the portal sends it, and its parsed JSON.

        With the ``etag`` of the copy in hand the request is conditional: a portal that
        keeps ETags answers 304 (no body; parsed JSON None) when the meeting is unchanged.
        """
        return self.get_json(MEETING_PATH.format(meeting_id=meeting_id), etag=etag)

    # --- machinery ---------------------------------------------------------------------

    def get_json(self, path: str, etag: str | None = None) -> tuple[Response, object]:
        """GET an API path inside the session; the body must be a JSON object or array
        (or a 304 to ``If-None-Match: etag``, with None for the JSON)."""
        if not self._has_session:
            self.open_session()
        try:
            response = self._call(lambda: self._send(path, etag=etag))
        except _SessionLost:
            # The cookie expired or was refused: one new visit to "/", then the call again.
            self._has_session = False
            self.open_session()
            try:
                response = self._call(lambda: self._send(path, etag=etag))
            except _SessionLost as again:
                raise PortalRequestError(
                    f"302 loop: {path} redirects to {str(again)!r} even with a fresh session cookie"
                ) from None
        if response.status == 304:
            return response, None
        try:
            parsed = json.loads(response.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            shown = response.content_type or "no Content-Type"
            raise PortalRequestError(
                f"not JSON ({shown}, {len(response.body)} bytes, starts {response.body[:40]!r})"
            ) from None
        if not isinstance(parsed, dict | list):
            raise PortalRequestError(f"not a JSON object: {type(parsed).__name__}")
        return response, parsed

    def _call(self, send: Callable[[], Response]) -> Response:
        """Send with retries; a failure for good becomes a PortalRequestError."""
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(send)
        except _Retryable as exc:
            raise PortalRequestError(f"{exc} (after {self.attempts} attempts)") from None
        except httpx.TimeoutException as exc:
            raise PortalRequestError(
                f"timed out ({type(exc).__name__}) after {self.attempts} attempts"
            ) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise PortalRequestError(
                f"{type(exc).__name__}: {exc} (after {self.attempts} attempts)"
            ) from None
        except httpx.HTTPError as exc:  # too many redirects, a URL httpx cannot send to, …
            raise PortalRequestError(f"{type(exc).__name__}: {exc}") from None

    def _wait(self, state: RetryCallState) -> float:  # tenacity's wait: seconds
        """Retry-After when a 429 gave one, else exponential backoff from ``backoff``."""
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return exc.retry_after
        return wait_exponential(multiplier=self.backoff, max=MAX_BACKOFF)(state)

    def _send(self, path: str, *, follow: bool = False, etag: str | None = None) -> Response:
        self.limiter.wait()
        self.requests += 1
        headers = {"If-None-Match": etag} if etag else None
        response = self._http.get(path, follow_redirects=follow, headers=headers)
        status = response.status_code
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise PortalRequestError(f"429: the portal asks to wait {wait:.0f} s")
            raise _Retryable("429 Too Many Requests", wait)
        if status >= 500:
            raise _Retryable(f"HTTP {status} {response.reason_phrase}".rstrip())
        if status in (301, 302, 303, 307, 308) and not follow:
            raise _SessionLost(response.headers.get("Location", ""))
        if status != 200 and not (status == 304 and etag):
            raise PortalRequestError(f"HTTP {status} {response.reason_phrase}".rstrip())
        return Response(
            url=str(response.url),
            status=status,
            body=response.content,
            etag=response.headers.get("ETag"),
            content_type=response.headers.get("Content-Type", ""),
        )
