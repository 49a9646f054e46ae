"""``trace``, ``threads``, ``query`` and ``queries``: the commands that answer from a store.

Each opens the store read-only, asks graph/answers, graph/analysis or queries/, and prints.
Errors are not caught here: a library error rises to the group, which prints it as one line.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click

from kommunegraf.graph.cli.common import Context, fail, read_store, warn_derived, width


@click.command("trace")
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
    "thread"}], "choices": [...]} -- the full shape is in graph/answers/trace/__init__.py.

    \b
    Example:
      kommunegraf trace 15.00.00-P20-1-18
      kommunegraf trace "0.22.00 – P35-34-17" --municipality Næstved --format markdown
      kommunegraf trace 15.20.00
    """
    from kommunegraf.graph.answers.trace import render_json, render_markdown, render_table, trace

    with read_store(obj) as store:
        result = trace(store, case, municipality)
    if fmt == "json":
        click.echo(render_json(result))
    elif fmt == "markdown":
        click.echo(render_markdown(result))
    else:  # a terminal: its width, long values wrapped; a pipe or a file: whole values
        click.echo(render_table(result, width()))


@click.command("threads")
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
    from kommunegraf.graph.analysis.threads import list_threads, render_threads
    from kommunegraf.queries.municipality import resolve_municipality

    with read_store(obj) as store:
        where = resolve_municipality(store, municipality)[0] if municipality else None
        rows = list_threads(
            store,
            min_meetings=min_meetings,
            municipality=where,
            standing=standing,
            min_committees=min_committees,
        )
        warn_derived(store)
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        hidden = "" if standing else " (standing cases left out: --standing lists them)"
        click.echo(f"no threads spanning {min_meetings} or more meetings{hidden}")
        return
    click.echo(render_threads(rows, width=width()))


@click.command("query")
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
    from kommunegraf.graph.store.local import QueryError
    from kommunegraf.queries.municipality import resolve_municipality
    from kommunegraf.queries.results import json_results, readable_syntax_error, tabulate

    if bool(name) == bool(expression):
        fail("give a query NAME or FILE.rq, or -e SPARQL (one of them)")
    bundled, shift = _the_query(name, expression)
    given = queries.parse_params(params)
    with read_store(obj) as store:
        try:
            bindings = queries.bind(
                bundled, given, municipality=lambda m: resolve_municipality(store, m)[0]
            )
            warn_derived(store)
            if fmt == "json":
                raw = store.query_serialized(bundled.text, "json", bindings)
                sys.stdout.buffer.write(json_results(store, raw, hide=given))
                sys.stdout.buffer.flush()
                return
            result = store.query(bundled.text, bindings)
        except QueryError as exc:
            message = str(exc)
            if not message.startswith("SPARQL syntax error"):
                raise
            raise QueryError(readable_syntax_error(message, bundled.text, shift)) from exc
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
    if fmt == "csv":
        _write_csv(table)
    else:
        from kommunegraf.queries.results import render_text

        click.echo(render_text(table, base=store.base, width=width()))


def _the_query(name: str | None, expression: str | None):  # type: ignore[no-untyped-def]
    """(query, line shift) for -e text, a FILE.rq or a bundled NAME; the shift is how many
    prefix lines were put before the user's text, so that a syntax error names their line."""
    from kommunegraf import queries
    from kommunegraf.queries.results import with_prefixes

    if expression is not None:
        text, shift = with_prefixes(expression)
        return queries.BundledQuery("-e", Path("-e"), "", "", (), text), shift
    if name and (name.endswith(".rq") or os.sep in name):
        if not Path(name).is_file():
            fail(f"{name}: no such query file")
        try:
            bundled = queries.load_file(name)
        except OSError as exc:
            fail(f"{name}: cannot read ({exc.strerror or exc})")
        except UnicodeDecodeError:
            fail(f"{name}: not UTF-8 text")
        text, shift = with_prefixes(bundled.text)
        return dataclasses.replace(bundled, text=text), shift
    return queries.load(name or ""), 0


def _write_csv(table) -> None:  # type: ignore[no-untyped-def]
    """The table as CSV (RFC 4180): names, and the IRIs in their own columns."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow("" if row.get(v) is None else row[v] for v in table.variables)


@click.command("queries")
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
