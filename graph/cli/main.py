"""The `kommunegraf` command line: the click group, which registers thin commands kept in one
module per kind (documents, answers, storage, views, fetch) and renders library errors once.

Heavy libraries (rdflib, networkx, pyvis, pdf readers) are imported inside the commands that
need them, so that quick commands such as `trace` start fast.  The command modules import
graph/cli/common.py and never this module, so the command line has no import circle.
"""

from __future__ import annotations

import click

from kommunegraf.graph.cli.answers import (
    queries_command,
    query_command,
    threads_command,
    trace_command,
)
from kommunegraf.graph.cli.common import DEFAULT_STORE, Commands, Context
from kommunegraf.graph.cli.documents import demo, extract
from kommunegraf.graph.cli.fetch import fetch_command
from kommunegraf.graph.cli.storage import (
    export_command,
    gc_command,
    ingest_command,
    stats_command,
    validate_command,
)
from kommunegraf.graph.cli.views import serve_command, viz_command

__all__ = ["main"]


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="KOMMUNEGRAF_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the embedded store (env KOMMUNEGRAF_STORE).",
)
@click.option(
    "--endpoint",
    envvar="KOMMUNEGRAF_ENDPOINT",
    default=None,
    help="A SPARQL 1.1 server to use instead of the embedded store (env KOMMUNEGRAF_ENDPOINT).",
)
@click.version_option(package_name="kommunegraf")
@click.pass_context
def main(ctx: click.Context, store: str, endpoint: str | None) -> None:
    """Danish municipal committee minutes as a knowledge graph.

    \b
    Example:
      kommunegraf extract examples/vejle_sbu_2023-05-03.txt
      kommunegraf ingest examples/ && kommunegraf trace 15.20.00-A00-2-23 --municipality Vejle
    """
    ctx.obj = Context(store=store, endpoint=endpoint)


# In the order `kommunegraf --help` has always listed them (click sorts them by name anyway).
for command in (
    extract,
    demo,
    trace_command,
    threads_command,
    query_command,
    queries_command,
    ingest_command,
    export_command,
    validate_command,
    stats_command,
    gc_command,
    viz_command,
    serve_command,
    fetch_command,
):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
