"""`kommunegraf fetch`: a municipality's meetings from its FirstAgenda portal into the cache.

The flow per municipality is the portal's own: a visit to ``/`` for the session cookie, the
committee list, then each meeting the list names (``--since``/``--until``/``--committee``
narrow it).  It costs a portal one request per meeting downloaded, plus two per run (the
visit and the list), at ``rate`` requests a second.

Incremental: a meeting whose cached document is whole and whose list entry has not changed
(``Navn``, ``Afsluttet``, ``ReleasedDate``) is not downloaded again (unless ``refresh``); one
whose entry changed — the agenda became minutes, or was republished — is, with
``If-None-Match`` when the portal gave an ETag (a 304 keeps the body and renews the
sidecar).  Documents that a newer one of the same meeting supersedes are removed
(graph/fetch/listing.py), so the cache holds each meeting once.  Since only whole downloads are
kept (graph/fetch/cache.py), a killed run started again downloads what it had not yet kept,
and nothing twice.

Every failure (a 5xx or timeout after its retries, a cut-off body, an agenda that is not
JSON, a redirect loop) is reported by meeting, with the reason, and the other meetings go on;
the failed meeting's previous good document, if any, stays in the cache.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from kommunegraf.graph.fetch.cache import CacheBusy, MeetingCache
from kommunegraf.graph.fetch.client import DEFAULT_BACKOFF, PortalClient, PortalRequestError
from kommunegraf.graph.fetch.defaults import (
    DEFAULT_ATTEMPTS,
    DEFAULT_CACHE,
    DEFAULT_RATE,
    DEFAULT_TIMEOUT,
)
from kommunegraf.graph.fetch.listing import (
    ListedMeeting,
    ListError,
    committee_matcher,
    current_documents,
    parse_committee_list,
    select,
)
from kommunegraf.graph.fetch.portals import Portal


@dataclass
class FetchOptions:
    """What to fetch, and how politely (the CLI's options)."""

    cache: Path = Path(DEFAULT_CACHE)
    since: date | None = None
    until: date | None = None
    committees: tuple[str, ...] = ()
    refresh: bool = False
    portal_url: str | None = None  # overrides the table's host (a mirror, a test server)
    rate: float = DEFAULT_RATE
    timeout: float = DEFAULT_TIMEOUT
    attempts: int = DEFAULT_ATTEMPTS
    backoff: float = DEFAULT_BACKOFF


@dataclass
class Failure:
    municipality: str
    what: str  # a meeting's label, or "committee list"
    reason: str

    def line(self) -> str:
        return f"{self.municipality}: {self.what}: {self.reason}"


@dataclass
class FetchSummary:
    """What a run did, per outcome; ``requests`` counts every request sent (retries too)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    requests: int = 0
    failures: list[Failure] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    @property
    def downloaded(self) -> int:
        return self.new + self.updated

    def lines(self) -> list[str]:
        rows = [
            ("new", self.new),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("failed", len(self.failures)),
            ("requests", self.requests),
        ]
        if self.removed:
            rows.insert(3, ("superseded", f"{self.removed} (agendas whose minutes replace them)"))
        out = [f"{name:<11} {value}" for name, value in rows]
        out += [f"  failed: {f.line()}" for f in self.failures]
        return out


class FetchReporter(Protocol):
    """Where progress goes: a progress bar on a terminal, plain lines otherwise."""

    def start(self, municipality: str, total: int) -> None: ...
    def advance(self, municipality: str, meeting: ListedMeeting, outcome: str) -> None: ...
    def failure(self, failure: Failure) -> None: ...
    def stop(self) -> None: ...


class PlainFetchReporter:
    """A line per downloaded or failed meeting (unchanged ones are only counted) on stderr."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
        self.total = 0
        self.done = 0

    def start(self, municipality: str, total: int) -> None:
        self.total, self.done = total, 0
        self.echo(f"fetch {municipality}: {total} meetings listed")

    def advance(self, municipality: str, meeting: ListedMeeting, outcome: str) -> None:
        self.done += 1
        if outcome != "unchanged":
            self.echo(f"fetch {municipality}: {self.done}/{self.total} {outcome} {meeting.label()}")

    def failure(self, failure: Failure) -> None:
        self.echo(f"error: {failure.line()}")

    def stop(self) -> None:
        pass


class ProgressFetchReporter:
    """A rich progress bar per municipality on stderr; failures print above it."""

    def __init__(self) -> None:
        from kommunegraf.graph.progress import progress_bar

        self.progress = progress_bar(
            "fetch {task.description}", "{task.fields[new]} new · {task.fields[failed]} failed"
        )
        self.tasks: dict[str, object] = {}
        self.progress.start()

    def start(self, municipality: str, total: int) -> None:
        for task in self.tasks.values():  # one bar at a time, also for --all's 88
            self.progress.update(task, visible=False)  # type: ignore[arg-type]
        self.tasks[municipality] = self.progress.add_task(
            municipality, total=total, new=0, failed=0
        )

    def advance(self, municipality: str, meeting: ListedMeeting, outcome: str) -> None:
        task = self.tasks[municipality]
        fields = self.progress.tasks[task].fields  # type: ignore[index]
        new = fields["new"] + (outcome in ("new", "updated"))
        failed = fields["failed"] + (outcome == "failed")
        self.progress.update(task, advance=1, new=new, failed=failed)  # type: ignore[arg-type]

    def failure(self, failure: Failure) -> None:
        self.progress.console.print(f"[red]error:[/red] {failure.line()}", highlight=False)

    def stop(self) -> None:
        self.progress.stop()


def base_url(portal: Portal, override: str | None) -> str:
    """``https://<host>`` from the table, or ``--portal`` (a bare host gets https://)."""
    url = (override or portal.host).strip().rstrip("/")
    return url if urlsplit(url).scheme in ("http", "https") else f"https://{url}"


def fetch_portals(
    portals: Iterable[Portal],
    options: FetchOptions,
    reporter: FetchReporter | None = None,
    *,
    client_factory: Callable[[str, FetchOptions], PortalClient] | None = None,
) -> FetchSummary:
    """Fetch each municipality in turn; one that fails does not stop the next."""
    summary = FetchSummary()
    reporter = reporter or PlainFetchReporter()
    make_client = client_factory or _client
    try:
        for portal in portals:
            cache = MeetingCache(options.cache, portal)
            summary.folders.append(cache.folder)
            try:
                url = base_url(portal, options.portal_url)
                with cache.locked(), make_client(url, options) as c:
                    try:
                        _fetch_one(portal, cache, c, options, reporter, summary)
                    finally:
                        summary.requests += c.requests
            except CacheBusy as exc:
                _fail(summary, reporter, Failure(portal.municipality, "cache", str(exc)))
    finally:
        reporter.stop()
    return summary


def _client(url: str, options: FetchOptions) -> PortalClient:
    return PortalClient(
        url,
        rate=options.rate,
        timeout=options.timeout,
        attempts=options.attempts,
        backoff=options.backoff,
    )


def _fail(summary: FetchSummary, reporter: FetchReporter, failure: Failure) -> None:
    summary.failures.append(failure)
    reporter.failure(failure)


def _fetch_one(
    portal: Portal,
    cache: MeetingCache,
    client: PortalClient,
    options: FetchOptions,
    reporter: FetchReporter,
    summary: FetchSummary,
) -> None:
    name = portal.municipality
    try:
        _, data = client.committees()
        listed = parse_committee_list(data)
        committees = {m.committee for m in listed}
    except (PortalRequestError, ListError) as exc:
        _fail(summary, reporter, Failure(name, "committee list", str(exc)))
        return
    if options.committees and not committee_matcher(options.committees, committees):
        names = "; ".join(sorted(committees)) or "no committees"
        reason = f"none named {', '.join(options.committees)} in the list; it has {names}"
        _fail(summary, reporter, Failure(name, "committee", reason))
        return
    chosen = select(listed, since=options.since, until=options.until, committees=options.committees)
    current, superseded = current_documents(chosen)
    replaced: dict[tuple[str, str], list[ListedMeeting]] = {}
    for old in superseded:
        replaced.setdefault(old.meeting_key, []).append(old)
    reporter.start(name, len(current))
    for meeting in current:
        outcome = _fetch_meeting(portal, cache, client, options, meeting, reporter, summary)
        if outcome != "failed":
            # Only once the newer document is in the cache do the ones it replaces go: a
            # failed download of the minutes leaves the agenda where it was.
            for old in replaced.pop(meeting.meeting_key, []):
                summary.removed += cache.remove(old.meeting_id)
        reporter.advance(name, meeting, outcome)


def _fetch_meeting(
    portal: Portal,
    cache: MeetingCache,
    client: PortalClient,
    options: FetchOptions,
    meeting: ListedMeeting,
    reporter: FetchReporter,
    summary: FetchSummary,
) -> str:
    """Download one meeting if it is missing or out of date; the outcome's name."""
    meta = cache.valid_meta(meeting.meeting_id)
    if meta is not None and not options.refresh and _same_state(meta, meeting):
        summary.unchanged += 1
        return "unchanged"
    had = cache.has_any(meeting.meeting_id)  # a previous version, or a repair after a kill
    etag = meta.get("etag") if meta else None  # only for a body that is whole
    try:
        response, data = client.meeting(meeting.meeting_id, etag if isinstance(etag, str) else None)
        if response.status == 304 and meta is not None:  # the cached copy is still current
            cache.confirm(meeting, meta)
            summary.unchanged += 1
            return "unchanged"
        if not isinstance(data, dict):
            raise PortalRequestError(f"a JSON {type(data).__name__}, not a meeting object")
    except PortalRequestError as exc:
        _fail(summary, reporter, Failure(portal.municipality, meeting.label(), str(exc)))
        return "failed"
    try:
        cache.store(meeting, response)
    except OSError as exc:
        _fail(summary, reporter, Failure(portal.municipality, meeting.label(), f"cache: {exc}"))
        return "failed"
    outcome = "updated" if had else "new"
    if outcome == "updated":
        summary.updated += 1
    else:
        summary.new += 1
    return outcome


def _same_state(meta: dict[str, object], meeting: ListedMeeting) -> bool:
    return all(meta.get(key) == value for key, value in meeting.state().items())
