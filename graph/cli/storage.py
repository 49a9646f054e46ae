"""``ingest``, ``export``, ``validate`` and ``stats``: the commands that fill a store or look at
it as a whole.  Errors rise to the group, which prints a library error as one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kommunegraf.errors import Interrupted, UsageError
from kommunegraf.graph.cli.common import (
    Context,
    ingest_reporter,
    read_store,
    warn_derived,
    write_store,
)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction worker processes [default: the number of CPUs].",
)
@click.option(
    "--batch-quads",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Quads per bulk load: larger loads faster, smaller shows progress in the store sooner.",
)
@click.option(
    "--compact/--no-compact",
    default=None,
    help="Compact the store at the end (faster reads; rewrites the whole store) "
    "[default: when the run loaded ≥ 1,000,000 quads and ≥ a quarter of the store].",
)
@click.option(
    "--derived",
    type=click.Choice(["auto", "whole", "threads"]),
    default="auto",
    show_default=True,
    help="Bring the derived graph up to date whole (from the store), or only the case "
    "threads and tallies of the municipalities whose documents the run added, replaced or "
    "removed (links and centrality as last computed); auto: threads while the documents changed "
    "since links were computed stay ≤ 10% of a store of ≥ 2,000 documents.",
)
@click.option(
    "--reread",
    is_flag=True,
    help="Read every file again, also those unchanged since the store last took them in "
    "(same bytes, sidecar and time, read by the same kommunegraf, libraries and Tesseract).",
)
@click.pass_obj
def ingest_command(
    obj: Context,
    paths: tuple[Path, ...],
    jobs: int | None,
    batch_quads: int,
    compact: bool | None,
    derived: str,
    reread: bool,
) -> None:
    """Extract minutes (.txt, .pdf, .html, .htm; folders recursively) into the store.

    Each document becomes one named graph; ingesting it again replaces that graph, and an
    edited file replaces its older version.  A file unchanged since the store took it in is
    not read again (--reread reads it).  Files that fail are listed with the reason and
    make the exit status 1; the others go in.

    \b
    Example:
      kommunegraf --store out/store ingest examples/ --jobs 2
    """
    from kommunegraf.graph.ingest.run import ingest

    try:
        with write_store(obj) as store:
            summary = ingest(
                paths,
                store,
                jobs=jobs,
                batch_quads=batch_quads,
                reporter=ingest_reporter(),
                compact=compact,
                derived=derived,
                reread=reread,
            )
    except KeyboardInterrupt:
        raise Interrupted("interrupted: documents loaded so far are in, the rest are not") from None
    for line in summary.lines():
        click.echo(line)
    if summary.failed:
        sys.exit(1)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nq", "trig", "ttl", "jsonld"]),
    default="nq",
    show_default=True,
    help="nq/trig/jsonld keep one named graph per document; ttl is all graphs merged into one.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write [default: standard output].",
)
@click.option(
    "--per-document",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one N-Quads file per document graph (and per shared graph) into this new "
    "folder, for a SPARQL server's bulk loader; see its manifest.json.",
)
@click.pass_obj
def export_command(obj: Context, fmt: str, out: Path | None, folder: Path | None) -> None:
    """Write the whole store as RDF (the ingest log, which holds local paths, is left out).

    \b
    Example:
      kommunegraf export --format trig --out kommunegraf.trig
      kommunegraf export --per-document national-nq/
    """
    if folder is not None and (out is not None or fmt != "nq"):
        raise click.UsageError("--per-document writes N-Quads files: no --out or --format")
    try:
        with read_store(obj) as store:
            if folder is not None:
                from kommunegraf.graph.store.bulk_export import export_per_document

                done = export_per_document(store, folder)
                click.echo(
                    f"{done.documents} documents, {done.earlier} earlier versions and "
                    f"{done.graphs} other graphs ({done.quads} quads) in {folder}; load: "
                    f"{done.load}"
                )
            elif out is None:
                store.export(fmt, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                out.parent.mkdir(parents=True, exist_ok=True)  # as viz does
                with out.open("wb") as handle:
                    store.export(fmt, handle)
    except OSError as exc:  # a folder that cannot be made, a file that cannot be written
        raise UsageError(f"{folder or out}: cannot write ({exc.strerror or exc})") from exc


@click.command("validate")
@click.pass_obj
def validate_command(obj: Context) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations.

    Each document graph is checked with the reference data it points to, a batch of
    documents at a time, so memory stays bounded on a large store.

    \b
    Example:
      kommunegraf validate
    """
    from kommunegraf.graph.answers.validate import Progress, report_lines, validate_store

    progress = Progress()
    try:
        with read_store(obj) as store:
            report = validate_store(store, progress=progress)
            lines = report_lines(report, store)
    finally:
        progress.stop()
    for line in lines:
        click.echo(line)
    if not report.conforms:
        sys.exit(1)


@click.command("stats")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def stats_command(obj: Context, fmt: str) -> None:
    """Counts per class, per municipality and per committee of the ingested documents.

    \b
    Example:
      kommunegraf stats --format json
    """
    from kommunegraf.graph.answers.stats import collect, table_lines

    with read_store(obj) as store:
        stats = collect(store)
        warn_derived(store)
    if fmt == "json":
        click.echo(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in table_lines(stats):
            click.echo(line)


@click.command("gc")
@click.pass_obj
def gc_command(obj: Context) -> None:
    """Remove the descriptions of shared things (people, committees, laws, cases) that no
    document mentions any more, after documents were replaced or removed.

    Ingest does this itself after a run that replaced documents; run it by hand after
    removing documents some other way.  A SPARQL server keeps every description with its
    documents, so there is nothing to collect there.

    \b
    Example:
      kommunegraf gc
    """
    with write_store(obj) as store:
        removed = store.collect()
    click.echo(f"removed {removed} triples no document mentions any more")
