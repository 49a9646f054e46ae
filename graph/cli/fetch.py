"""The `kommunegraf fetch` click command (registered in graph/cli/main.py).

It only turns options into graph.fetch.run.FetchOptions, names the municipalities through the
portal table (near matches for a misspelt name, one line for a municipality on another
system) and, with ``--ingest``, hands the fetched folders to the ordinary ingest.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kommunegraf.errors import Interrupted
from kommunegraf.graph.cli.common import Context, fail, ingest_reporter, write_store
from kommunegraf.graph.fetch.defaults import (
    DEFAULT_ATTEMPTS,
    DEFAULT_CACHE,
    DEFAULT_RATE,
    DEFAULT_TIMEOUT,
)


@click.command("fetch")
@click.argument("municipalities", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every municipality on FirstAgenda (88).")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Meetings on or after."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Meetings on or before."
)
@click.option(
    "--committee",
    "committees",
    multiple=True,
    metavar="NAME",
    help="Only the committee NAME (case and election period ignored), else those whose "
    "name contains NAME (repeatable).",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CACHE,
    show_default=True,
    help="The cache folder: <cache>/<municipality>/<meeting id>.json and .meta.json.",
)
@click.option("--refresh", is_flag=True, help="Download again what the cache already holds.")
@click.option(
    "--ingest", "then_ingest", is_flag=True, help="Then ingest the fetched folders into --store."
)
@click.option(
    "--portal",
    default=None,
    metavar="URL",
    help="Use this host instead of the table's (a mirror, a test server: http://127.0.0.1:8000).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0.01),
    default=DEFAULT_RATE,
    show_default=True,
    help="At most this many requests a second (be kind to the portal).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.01), default=DEFAULT_TIMEOUT, show_default=True
)
@click.option(
    "--attempts",
    type=click.IntRange(min=1),
    default=DEFAULT_ATTEMPTS,
    show_default=True,
    help="Tries per request (timeouts, 5xx and 429 are retried with backoff).",
)
@click.pass_obj
def fetch_command(
    obj: Context,
    municipalities: tuple[str, ...],
    all_: bool,
    since: object,
    until: object,
    committees: tuple[str, ...],
    cache: Path,
    refresh: bool,
    then_ingest: bool,
    portal: str | None,
    rate: float,
    timeout: float,
    attempts: int,
) -> None:
    """Download municipalities' meetings from their FirstAgenda portals into a cache folder.

    Per run it visits the portal's front page (session cookie) and reads the committee list;
    then one request per meeting not yet in the cache or changed since (an agenda that
    became minutes); at most --rate requests a second.  A stopped fetch started again goes
    on where it stopped.  Failures are listed by meeting and make the exit status 1.

    \b
    Example:
      kommunegraf fetch Greve --since 2023-01-01 --ingest
      kommunegraf trace 22-000248 -m Greve
    """
    from kommunegraf.graph.fetch.portals import find, firstagenda_portal, firstagenda_portals
    from kommunegraf.graph.fetch.run import (
        FetchOptions,
        PlainFetchReporter,
        ProgressFetchReporter,
        fetch_portals,
    )

    if all_ and (municipalities or portal):
        fail("--all takes no MUNICIPALITY and no --portal")
    if not all_ and not municipalities:
        fail("name a MUNICIPALITY (or --all)")
    if portal and len(municipalities) > 1:
        fail("--portal is one portal: name one MUNICIPALITY")
    if since and until and since > until:
        fail("--since is after --until: no meeting can be in between")
    if portal and not _is_url(portal):
        fail(f"--portal {portal!r}: not a host or an http(s) URL")
    # With --portal the user names the host, so a municipality the table puts on another
    # system (or none) is accepted.
    lookup = find if portal else firstagenda_portal
    chosen = firstagenda_portals() if all_ else [lookup(name) for name in municipalities]
    options = FetchOptions(
        cache=cache,
        since=since.date() if since else None,  # type: ignore[attr-defined]
        until=until.date() if until else None,  # type: ignore[attr-defined]
        committees=committees,
        refresh=refresh,
        portal_url=portal,
        rate=rate,
        timeout=timeout,
        attempts=attempts,
    )
    reporter = ProgressFetchReporter() if sys.stderr.isatty() else PlainFetchReporter()
    try:
        summary = fetch_portals(chosen, options, reporter)
    except KeyboardInterrupt:
        raise Interrupted(
            "interrupted: meetings fetched so far are in the cache; run again to go on"
        ) from None
    for line in summary.lines():
        click.echo(line)
    status = 1 if summary.failed else 0
    if then_ingest:
        status = max(status, _ingest(obj, [f for f in summary.folders if f.is_dir()]))
    sys.exit(status)


def _is_url(text: str) -> bool:
    """A host ("dagsordener.greve.dk") or an http(s) URL with one ("http://127.0.0.1:8000")."""
    from urllib.parse import urlsplit

    parts = urlsplit(text if "://" in text else f"https://{text}")
    try:
        parts.port  # noqa: B018  (raises on a port that is no number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


def _ingest(obj: Context, folders: list[Path]) -> int:
    """The ordinary ingest of the fetched folders (unchanged files are skipped by it)."""
    from kommunegraf.graph.ingest.run import ingest

    if not folders:
        return 0
    with write_store(obj) as store:
        summary = ingest(folders, store, reporter=ingest_reporter())
    for line in summary.lines():
        click.echo(line)
    return 1 if summary.failed else 0
