"""The `kommunegraf` command line: thin click commands over extract/ and graph/.

Heavy libraries (rdflib, networkx, pyvis, pdf readers) are imported inside the commands that
need them, so that quick commands such as `trace` start fast.
"""

from __future__ import annotations

import dataclasses
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
      kommunegraf extract examples/vejle_sbu_2023-05-03.txt
      kommunegraf ingest examples/ && kommunegraf trace 15.20.00-A00-2-23 --municipality Vejle
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
    from kommunegraf.extract import extract_path
    from kommunegraf.extract.layouts import Explanation
    from kommunegraf.extract.layouts.profiles import ProfileError, load_profile
    from kommunegraf.extract.load import LoadError

    profile = None
    if profile_file is not None:
        try:
            profile = load_profile(profile_file)
        except ProfileError as exc:
            fail(str(exc))
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
    except LoadError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"{file}: {exc}")
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


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the demo's interactive graph (HTML) [default: kommunegraf-graph.html].",
)
@click.pass_obj
def demo(obj: Context, out: Path | None) -> None:
    """Run the bundled invented examples end to end and show what comes out.

    \b
    Example:
      kommunegraf --store out/demo-store demo --out out/graph.html
    """
    from kommunegraf.graph.cli.demo import run_demo

    sys.exit(run_demo(store=obj.store, out=out, echo=click.echo))


# --- trace, threads, query, queries (graph/answers/trace.py, graph/analysis/threads.py, queries/)
#


def _read_store(obj: Context):  # type: ignore[no-untyped-def]
    """Open the store (or the --endpoint server) read-only for a query command."""
    from kommunegraf.graph.store.backend import open_backend

    return open_backend(obj, write=False)


def _warn_derived(store: object) -> None:
    """Say on stderr when the derived graph is missing, unfinished or behind (answers drawn
    from it would otherwise be silently empty or short)."""
    from kommunegraf.graph.store.derived_health import derived_warning

    if (warning := derived_warning(store)) is not None:  # type: ignore[arg-type]
        click.echo(f"warning: {warning}", err=True)


@main.command("trace")
@click.argument("case")
@click.option(
    "--municipality",
    "-m",
    default=None,
    help="Only this municipality (name or kommunekode), for a number used in several.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table: wrapped to a terminal's width, whole values when piped; json/markdown.",
)
@click.pass_obj
def trace_command(obj: Context, case: str, municipality: str | None, fmt: str) -> None:
    """The history of a case number: every treatment oldest first, its links and status.

    Numbers are matched tolerantly (spaces, – or — for -, a missing leading zero).  A
    prefix or KLE subject (15.20.00) lists the matching cases to choose from.  A number
    used in several municipalities is several cases: each is traced under its own
    municipality heading unless --municipality picks one.  Not found: near matches are
    listed and the exit status is 1.

    JSON: {"query", "matched": "exact"|"prefix", "cases": [{"case", "municipality",
    "status", "next_step", "treatments": [{"date", "committee", "outcome", "text",
    "absent", "votes", "item", "recorded_in"}], "links": [{"relation", "item"}],
    "thread"}], "choices": [...]} -- the full shape is in graph/answers/trace.py.

    \b
    Example:
      kommunegraf trace 15.00.00-P20-1-18
      kommunegraf trace "0.22.00 – P35-34-17" --municipality Næstved --format markdown
      kommunegraf trace 15.20.00
    """
    from kommunegraf.graph.answers.trace import (
        TraceError,
        render_json,
        render_markdown,
        render_table,
        trace,
    )
    from kommunegraf.graph.store.local import StoreError

    try:
        with _read_store(obj) as store:
            result = trace(store, case, municipality)
    except (TraceError, StoreError) as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(render_json(result))
    elif fmt == "markdown":
        click.echo(render_markdown(result))
    else:  # a terminal: its width, long values wrapped; a pipe or a file: whole values
        click.echo(render_table(result, _width() if sys.stdout.isatty() else None))


@main.command("threads")
@click.option(
    "--min-meetings",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Only threads spanning at least this many meetings.",
)
@click.option("--municipality", "-m", default=None, help="Only this municipality.")
@click.option(
    "--standing",
    is_flag=True,
    help="Also list standing cases (Godkendelse af dagsorden, Meddelelser, Underskriftsark, "
    "a case on nearly every agenda of its committee), marked as such.",
)
@click.option(
    "--min-committees",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Only threads passing this many bodies (3: committee → Økonomiudvalget → Byråd).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def threads_command(
    obj: Context,
    min_meetings: int,
    municipality: str | None,
    standing: bool,
    min_committees: int,
    fmt: str,
) -> None:
    """Recurring case threads, longest first (computed with networkx at ingest).

    A thread joins agenda items of the same case within a municipality, items linked by
    an explicit reference, and a postponed item with its next treatment.

    \b
    Example:
      kommunegraf threads --min-meetings 3 --municipality Næstved
    """
    from dataclasses import asdict

    from kommunegraf.graph.analysis.threads import list_threads, render_threads
    from kommunegraf.graph.answers.trace import TraceError, resolve_municipality
    from kommunegraf.graph.store.local import StoreError

    try:
        with _read_store(obj) as store:
            where = resolve_municipality(store, municipality)[0] if municipality else None
            rows = list_threads(
                store,
                min_meetings=min_meetings,
                municipality=where,
                standing=standing,
                min_committees=min_committees,
            )
            _warn_derived(store)
    except (TraceError, StoreError) as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        hidden = "" if standing else " (standing cases left out: --standing lists them)"
        click.echo(f"no threads spanning {min_meetings} or more meetings{hidden}")
        return
    click.echo(render_threads(rows, width=_width() if sys.stdout.isatty() else None))


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


@main.command("query")
@click.argument("name", required=False)
@click.option("-e", "--expression", default=None, help="SPARQL text to run instead of NAME.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter value (repeatable); bound as data, never pasted into the query.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: names, wrapped to a terminal's width (whole values into a pipe); csv/json: "
    "names and, beside them, the IRIs (column_iri); json is SPARQL 1.1 results JSON.",
)
@click.pass_obj
def query_command(
    obj: Context, name: str | None, expression: str | None, params: tuple[str, ...], fmt: str
) -> None:
    """Run a bundled query by NAME, a FILE.rq, or SPARQL given with -e.

    `kommunegraf queries` lists the bundled queries and their parameters.  The project's
    prefixes (kg:, rdfs:, skos:, dcterms:, eli:, org:, foaf: …) need no declaring in -e or
    a file.  Resources are shown by name ("Næstved Kommune"); the parameters given are not
    repeated as columns.

    \b
    Example:
      kommunegraf query case-history --param case=15.00.00-P20-1-18
      kommunegraf query items-citing-law -p law=225-timersreglen --format csv
      kommunegraf query my-query.rq
      kommunegraf query -e 'SELECT ?law (COUNT(*) AS ?n) WHERE { ?i eli:cites ?law } GROUP BY ?law'
    """
    from kommunegraf import queries
    from kommunegraf.graph.answers.trace import TraceError, resolve_municipality
    from kommunegraf.graph.store.local import QueryError, StoreError
    from kommunegraf.queries.results import (
        json_results,
        readable_syntax_error,
        tabulate,
        with_prefixes,
    )

    if bool(name) == bool(expression):
        fail("give a query NAME or FILE.rq, or -e SPARQL (one of them)")
    shift = 0
    try:
        if expression is not None:
            text, shift = with_prefixes(expression)
            bundled = queries.BundledQuery("-e", Path("-e"), "", "", (), text)
        elif name and (name.endswith(".rq") or os.sep in name):
            if not Path(name).is_file():
                fail(f"{name}: no such query file")
            bundled = queries.load_file(name)
            text, shift = with_prefixes(bundled.text)
            bundled = dataclasses.replace(bundled, text=text)
        else:
            bundled = queries.load(name or "")
        given = queries.parse_params(params)
    except (KeyError, ValueError, OSError) as exc:
        fail(exc.args[0] if isinstance(exc, KeyError) else str(exc))
    try:
        with _read_store(obj) as store:
            bindings = queries.bind(
                bundled, given, municipality=lambda m: resolve_municipality(store, m)[0]
            )
            _warn_derived(store)
            if fmt == "json":
                raw = store.query_serialized(bundled.text, "json", bindings)
                sys.stdout.buffer.write(json_results(store, raw, hide=given))
                sys.stdout.buffer.flush()
                return
            result = store.query(bundled.text, bindings)
            if isinstance(result, bool):
                click.echo("true" if result else "false")
                return
            if isinstance(result, list):
                if fmt == "csv":
                    sys.stdout.buffer.write(store.query_serialized(bundled.text, "csv", bindings))
                    return
                for s, p, o in result:
                    click.echo(f"{s}  {p}  {o}")
                return
            table = tabulate(store, result.variables, result, hide=given)
    except QueryError as exc:
        message = str(exc)
        if message.startswith("SPARQL syntax error"):
            message = readable_syntax_error(message, bundled.text, shift)
        fail(message)
    except (queries.QueryParamError, TraceError, StoreError) as exc:
        fail(str(exc))
    if fmt == "csv":
        _write_csv(table)
    else:
        width = _width() if sys.stdout.isatty() else None
        from kommunegraf.queries.results import render_text

        click.echo(render_text(table, base=store.base, width=width))


def _write_csv(table) -> None:  # type: ignore[no-untyped-def]
    """The table as CSV (RFC 4180): names, and the IRIs in their own columns."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow("" if row.get(v) is None else row[v] for v in table.variables)


@main.command("queries")
@click.option("--verbose", "-v", is_flag=True, help="Also show each query's explanation.")
def queries_command(verbose: bool) -> None:
    """List the bundled SPARQL queries, one line each, with their parameters.

    \b
    Example:
      kommunegraf queries
      kommunegraf query decisions-by-outcome --param year=2018
    """
    from kommunegraf import queries

    for q in queries.all_queries():
        click.echo(f"{q.name:<30} {q.description}")
        for p in q.params:
            flag = ", optional" if p.optional else ""
            click.echo(f"{'':<32}--param {p.name}=…  ({p.kind}{flag}) {p.description}")
        if verbose and q.details:
            click.echo(f"{'':<32}{q.details}")


# --- ingest, export, validate, stats (graph/ingest/run.py, graph/store/local.py,
# graph/answers/validate.py,
# graph/answers/stats.py) --------------------------------------------------------------------------


def _write_store(obj: Context):  # type: ignore[no-untyped-def]
    """Open the store (or the --endpoint server) for writing (a second embedded writer gets a
    clear 'in use' error)."""
    from kommunegraf.graph.store.backend import open_backend

    return open_backend(obj, write=True)


@main.command("ingest")
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
    help="Bring the derived graph up to date whole, or only the case threads of the "
    "municipalities the run touched (links and centrality as last computed); auto: "
    "threads when the run only adds ≤ 10% to a store of ≥ 2,000 documents.",
)
@click.pass_obj
def ingest_command(
    obj: Context,
    paths: tuple[Path, ...],
    jobs: int | None,
    batch_quads: int,
    compact: bool | None,
    derived: str,
) -> None:
    """Extract minutes (.txt, .pdf, .html, .htm; folders recursively) into the store.

    Each document becomes one named graph; ingesting it again replaces that graph, and an
    edited file replaces its older version.  Files that fail are listed with the reason and
    make the exit status 1; the others go in.

    \b
    Example:
      kommunegraf --store out/store ingest examples/ --jobs 2
    """
    from kommunegraf.graph.ingest.run import PlainReporter, ProgressReporter, ingest
    from kommunegraf.graph.store.local import StoreError

    reporter = ProgressReporter() if sys.stderr.isatty() else PlainReporter()
    try:
        with _write_store(obj) as store:
            summary = ingest(
                paths,
                store,
                jobs=jobs,
                batch_quads=batch_quads,
                reporter=reporter,
                compact=compact,
                derived=derived,
            )
    except StoreError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted: documents loaded so far are in, the rest are not", code=130)
    for line in summary.lines():
        click.echo(line)
    if summary.failed:
        sys.exit(1)


@main.command("export")
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
@click.pass_obj
def export_command(obj: Context, fmt: str, out: Path | None) -> None:
    """Write the whole store as RDF (the ingest log, which holds local paths, is left out).

    \b
    Example:
      kommunegraf export --format trig --out kommunegraf.trig
    """
    from kommunegraf.graph.store.local import StoreError

    try:
        with _read_store(obj) as store:
            if out is None:
                store.export(fmt, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                out.parent.mkdir(parents=True, exist_ok=True)  # as viz does
                with out.open("wb") as handle:
                    store.export(fmt, handle)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:  # a folder that cannot be made, a file that cannot be written
        fail(f"{out}: cannot write ({exc.strerror or exc})")


@main.command("validate")
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
    from kommunegraf.graph.store.local import StoreError

    progress = Progress()
    try:
        with _read_store(obj) as store:
            report = validate_store(store, progress=progress)
            lines = report_lines(report, store)
    except StoreError as exc:
        fail(str(exc))
    finally:
        progress.stop()
    for line in lines:
        click.echo(line)
    if not report.conforms:
        sys.exit(1)


@main.command("stats")
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
    from kommunegraf.graph.store.local import StoreError

    try:
        with _read_store(obj) as store:
            stats = collect(store)
            _warn_derived(store)
    except StoreError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in table_lines(stats):
            click.echo(line)


@main.command("viz")
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

    from kommunegraf.graph.answers.viz import Focus, FocusError, write_viz
    from kommunegraf.graph.store.local import StoreError

    started = time.perf_counter()
    focus = Focus(case=case, person=person, municipality=municipality, law=law, thread=thread)
    try:
        with _read_store(obj) as store:
            graph = write_viz(store, out, focus, depth=depth, max_nodes=max_nodes, layout=layout)
    except (FocusError, StoreError) as exc:
        fail(str(exc))
    if graph.message:
        click.echo(graph.message, err=True)
    if not graph.nodes:
        click.echo("warning: nothing to draw (is the store empty?)", err=True)
    seconds = time.perf_counter() - started
    click.echo(f"{out}: {len(graph.nodes)} nodes, {len(graph.edges)} edges ({seconds:.2f} s)")
    if open_page:
        webbrowser.open(out.resolve().as_uri())


@main.command("serve")
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
    from kommunegraf.graph.store.local import StoreError

    if obj.endpoint:
        fail("serve serves the embedded --store; an --endpoint is a server already")
    try:
        status = serve(
            Path(obj.store),
            host=host,
            port=port,
            timeout=timeout,
            max_bytes=max_bytes,
            max_memory_mb=max_memory_mb,
            allow_service=allow_service,
            echo=click.echo,
            warn=_echo_err,
        )
    except StoreError as exc:
        fail(str(exc))
    sys.exit(status)


def _echo_err(line: str) -> None:
    click.echo(line, err=True)


from kommunegraf.graph.cli.fetch import fetch_command  # noqa: E402  (registered after main exists)

main.add_command(fetch_command)

if __name__ == "__main__":  # pragma: no cover
    main()
