"""``kommunegraf extract`` (one document's record) and ``kommunegraf demo`` (the examples end
to end): the commands that start from documents rather than from a store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kommunegraf.graph.cli.common import Context


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "ttl"]), default="json", show_default=True
)
@click.option("--municipality", default=None, help="Override the municipality (name or code).")
@click.option(
    "--ocr/--no-ocr",
    default=None,
    help="Read a PDF's pages by OCR (Tesseract, Danish) even if it has a text layer; "
    "by default OCR runs only when it has none. --no-ocr never runs it.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print why the document was read so (profile, cues, runners-up, item headers, "
    "sections, decisions, rejected header lines) instead of the record.",
)
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Read the document with this publishing profile (a TOML file; README: Profiles).",
)
def extract(
    file: Path,
    fmt: str,
    municipality: str | None,
    ocr: bool | None,
    explain: bool,
    profile_file: Path | None,
) -> None:
    """Print one document's record (JSON, records.md) or its triples (Turtle).

    \b
    Example:
      kommunegraf extract examples/vejle_sbu_2023-05-03.txt --format json
    """
    from kommunegraf.errors import KommunegrafError
    from kommunegraf.extract import extract_path
    from kommunegraf.extract.layouts import Explanation
    from kommunegraf.extract.layouts.profiles import load_profile
    from kommunegraf.extract.load import LoadError

    profile = load_profile(profile_file) if profile_file is not None else None
    why = Explanation() if explain else None
    try:
        record = extract_path(
            file,
            municipality=municipality,
            ocr=ocr,
            on_page=_ocr_progress(file),
            profile=profile,
            explain=why,
        )
    except LoadError:
        raise
    except KommunegrafError as exc:  # e.g. DocumentTooLarge: say which file it is about
        raise LoadError(str(file), str(exc)) from exc
    if why is not None:
        from kommunegraf.extract.layouts.explain import render

        for line in render(why, record):
            click.echo(line)
        return
    if fmt == "json":
        click.echo(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
    else:
        from kommunegraf.graph.rdf.mapping import record_turtle

        click.echo(record_turtle(record, base=os.environ.get("KOMMUNEGRAF_BASE") or None))


def _ocr_progress(file: Path):  # type: ignore[no-untyped-def]
    """A progress line on stderr per page that OCR reads (seconds a page: worth a word)."""

    def said(page: int, pages: int) -> None:
        click.echo(f"ocr: {file}: page {page}/{pages}", err=True)

    return said


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the demo's interactive graph (HTML) [default: kommunegraf-graph.html].",
)
@click.pass_context
def demo(ctx: click.Context, out: Path | None) -> None:
    """Run the bundled invented examples end to end and show what comes out.

    \b
    Example:
      kommunegraf --store out/demo-store demo --out out/graph.html
    """
    from kommunegraf.graph.cli.demo import run_demo

    root = ctx.find_root().command  # the group this command runs under: no import of main

    def run(args: list[str]) -> None:
        root.main(args=args, prog_name="kommunegraf", standalone_mode=False)

    obj: Context = ctx.obj
    sys.exit(run_demo(store=obj.store, out=out, echo=click.echo, run=run))
