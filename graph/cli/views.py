"""``viz`` (the graph as one HTML page) and ``serve`` (the store as a SPARQL endpoint): the
commands that show a store to a browser.  Errors rise to the group, which prints a library
error as one line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kommunegraf.graph.cli.common import Context, echo_err, fail, read_store


@click.command("viz")
@click.option("--case", default=None, help="Centre on a case number (matched as trace does).")
@click.option("--person", default=None, help="Centre on a person: a name or part of one.")
@click.option(
    "--municipality",
    "-m",
    default=None,
    help="Centre on a municipality; with --case or --person: only theirs in it.",
)
@click.option("--law", default=None, help="Centre on a law or provision: a name, part or ELI.")
@click.option(
    "--thread",
    default=None,
    help="Centre on a case thread: its IRI, the hash it ends in, or a case number in it.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Hops from the centre (municipalities, parties and meetings are not walked "
    "through; a thread: its items and what they name).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=3000,
    show_default=True,
    help="Larger graphs are cut to their most connected (or nearest) part, with a message.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("kommunegraf-graph.html"),
    show_default=True,
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "timeline", "network"]),
    default="auto",
    show_default=True,
    help="timeline: meetings left to right by date (auto: for --case and --thread); "
    "network: a force layout.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@click.pass_obj
def viz_command(
    obj: Context,
    case: str | None,
    person: str | None,
    municipality: str | None,
    law: str | None,
    thread: str | None,
    depth: int,
    max_nodes: int,
    out: Path,
    layout: str,
    open_page: bool,
) -> None:
    """Write the graph as one self-contained HTML page (works offline and from disk).

    Nodes are coloured and shaped by type, sized by their links; hover for a card, click
    for details and the source document, search and filter by type.  Without a focus the
    whole store is drawn; focus options may be combined (their neighbourhoods are joined).

    \b
    Example:
      kommunegraf viz --case 15.00.00-P20-1-18 --depth 2 --out case.html --open
      kommunegraf viz --municipality Næstved --depth 1
      kommunegraf viz --law "Lov om aktiv socialpolitik"
    """
    import time
    import webbrowser

    from kommunegraf.graph.answers.viz import Focus, write_viz

    started = time.perf_counter()
    focus = Focus(case=case, person=person, municipality=municipality, law=law, thread=thread)
    with read_store(obj) as store:
        graph = write_viz(store, out, focus, depth=depth, max_nodes=max_nodes, layout=layout)
    if graph.message:
        click.echo(graph.message, err=True)
    if not graph.nodes:
        click.echo("warning: nothing to draw (is the store empty?)", err=True)
    seconds = time.perf_counter() - started
    click.echo(f"{out}: {len(graph.nodes)} nodes, {len(graph.edges)} edges ({seconds:.2f} s)")
    if open_page:
        webbrowser.open(out.resolve().as_uri())


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but loopback opens the store to the network. Requests "
    "must name this address (or localhost) in their Host header.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds a query may run; then it is stopped (its worker process killed).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1024),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Largest answer, in bytes as serialised; a larger one is refused (add LIMIT).",
)
@click.option(
    "--max-memory",
    "max_memory_mb",
    type=click.IntRange(min=256),
    default=2048,
    show_default=True,
    help="MiB of memory a query may use (each query runs in its own worker process); a query "
    "that needs more is stopped.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run federated SERVICE queries: the server then fetches any URL a query names, with "
    "its own network access (local services, the LAN) and quotes the reply. Refused by default.",
)
@click.pass_obj
def serve_command(
    obj: Context,
    port: int,
    host: str,
    timeout: float,
    max_bytes: int,
    max_memory_mb: int,
    allow_service: bool,
) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint with a query page.

    Runs until Ctrl-C; while it runs, `kommunegraf ingest` into this store is refused.
    Each query runs in a worker process, stopped at --timeout; federated SERVICE and
    requests naming another host (DNS rebinding) are refused. The page fetches nothing
    beyond this server.

    \b
    Example:
      kommunegraf --store out/demo-store serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=ASK {}' http://127.0.0.1:7878/query
    """
    from kommunegraf.graph.serve.launch import serve

    if obj.endpoint:
        fail("serve serves the embedded --store; an --endpoint is a server already")
    status = serve(
        Path(obj.store),
        host=host,
        port=port,
        timeout=timeout,
        max_bytes=max_bytes,
        max_memory_mb=max_memory_mb,
        allow_service=allow_service,
        echo=click.echo,
        warn=echo_err,
    )
    sys.exit(status)
