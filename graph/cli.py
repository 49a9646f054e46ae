"""The `kommunegraf` command line: thin click commands over extract/ and graph/.

Heavy libraries (rdflib, networkx, pyvis, pdf readers) are imported inside the commands that
need them, so that quick commands such as `trace` start fast.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

DEFAULT_STORE = "./kommunegraf-store"


@dataclass
class Context:
    """Global options, shared by every command."""

    store: str
    endpoint: str | None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
      kommunegraf extract examples/naestved-2023-05-09.txt
      kommunegraf ingest examples/ && kommunegraf trace 27.12.04-P20-3-23
    """
    ctx.obj = Context(store=store, endpoint=endpoint)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error (no traceback) and exit non-zero."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "ttl"]), default="json", show_default=True
)
@click.option("--municipality", default=None, help="Override the municipality (name or code).")
def extract(file: Path, fmt: str, municipality: str | None) -> None:
    """Print one document's record (JSON, records.md) or its triples (Turtle).

    \b
    Example:
      kommunegraf extract examples/naestved-2023-05-09.txt --format json
    """
    from extract import extract_path
    from extract.load import LoadError

    try:
        record = extract_path(file, municipality=municipality)
    except LoadError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"{file}: {exc}")
    if fmt == "json":
        click.echo(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
    else:
        from graph.mapping import record_turtle

        click.echo(record_turtle(record, base=os.environ.get("KOMMUNEGRAF_BASE") or None))


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_obj
def demo(obj: Context, out: Path | None) -> None:
    """Run the bundled invented examples end to end and show what comes out.

    \b
    Example:
      kommunegraf --store out/demo-store demo --out out/graph.html
    """
    from graph.demo import run_demo

    sys.exit(run_demo(store=obj.store, out=out, echo=click.echo))


if __name__ == "__main__":  # pragma: no cover
    main()
