"""Hostile text through the command line: option values, query parameters, file names and the
minutes themselves are data, never query text, markup or extra output lines.

tests/test_injection_queries.py binds hostile values to every parameter of every bundled
query through the library; this file covers what a user types on the command line (the
--municipality of trace/threads/viz/query, the viz focus options, `query -e` with and
without -p, `extract --municipality`) and what arrives in the files an ingest reads (file
names, and minutes whose titles and decisions hold SPARQL, quotes, backslashes and tags).
Every refusal must be one line without a traceback, nothing may be written, and the store
must be exactly what it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from layout import as_stored

from kommunegraf.extract import extract_path
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import KG, open_store

pytestmark = pytest.mark.slow  # one ingest and ~40 commands, ≈ 10 s

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"

HOSTILE = [
    "} ; DROP ALL ; #",
    '" } ; DROP ALL ; #',
    "'; DROP ALL; --",
    '\\" } UNION { ?s ?p ?o } #',
    "<script>alert('kg')</script>",
    "linje\n} CLEAR ALL\n#",
    "https://example.org/x> } ; DROP ALL ; #",
    "<https://w3id.org/kommunegraf/id/faxe> } ; CLEAR DEFAULT",
    "?s ?p ?o",
]
# What a refusal may never say: that the value was read as query text.
LEAKS = ("syntax", "parse error", "expected", "traceback", "sparql")

# Invented minutes (not from the seeds) whose titles, place and decisions carry the payloads.
MINUTES = r'''Faxe Kommune

REFERAT Plan- og Miljøudvalget 2022-2025 d. 06-02-2024

Mødedato Tirsdag d. 06. februar 2024 kl. 17:00

Mødested Rådhuset, "lokale } ; DROP ALL ; #"

Punkt 21: Godkendelse af "} ; DROP ALL ; #" og <script>document.title='x'</script>

04.01.10-P20-11-24

Beslutning

Plan- og Miljøudvalget, 06.02.2024

Godkendt. Stien C:\arkiv\2024\n\"vej" blev noteret, og ' OR '1'='1 ligeså.

Punkt 22: Vejnavne \ } UNION { ?s ?p ?o } # og """ citater

04.01.10-P20-12-24

Sagsfremstilling

Projektleder Oluf Brandt-Wiese (B) fremlagde sagen.

Beslutning

Plan- og Miljøudvalget, 06.02.2024

Godkendt med 5 stemmer for og 2 imod. Imod stemte Karen "Kis" D'Abreu (Ø) og Oluf Brandt-Wiese (B).
'''
CASE = "04.01.10-P20-11-24"
# Good minutes under hostile names, and empty files whose names try to fake output lines.
GOOD_NAMES = ('x"} ; DROP ALL ; #.txt', "<script>alert(1)<\\script>.txt", "ny\nlinje.txt")
BAD_NAMES = ("tom\nerror: alt gik galt.txt", "tom\rwarning: falsk.txt")


def fingerprint(store_dir: Path) -> str:
    """The whole store's content (every graph but the ingest log, and the merged graph)."""
    with open_store(store_dir, write=False) as store:
        digest = hashlib.sha256()
        for fmt in ("nq", "ttl"):
            out = io.BytesIO()
            store.export(fmt, out)
            digest.update(b"".join(sorted(out.getvalue().splitlines())))
        return f"{store.quad_count()}:{digest.hexdigest()}"


@dataclass(frozen=True)
class Ingested:
    folder: Path
    store: Path
    result: Result


def invoke(store: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    base = tmp_path_factory.mktemp("hostile-cli")
    folder, store = base / "referater", base / "store"
    folder.mkdir()
    (folder / "faxe-pmu.txt").write_text(MINUTES, encoding="utf-8")
    examples = sorted(EXAMPLES.glob("*.txt"))
    for n, name in enumerate(GOOD_NAMES):
        text = examples[n].read_text(encoding="utf-8")
        (folder / name).write_text(text, encoding="utf-8")
    for name in BAD_NAMES:
        (folder / name).write_bytes(b"")
    result = invoke(store, "ingest", str(folder), "--jobs", "1")
    before = fingerprint(store)
    yield Ingested(folder, store, result)
    assert fingerprint(store) == before, "the store changed"


def assert_one_line_refusal(result: Result) -> str:
    """Exit 1 with one `error:` line that does not read the value as query text."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    message = result.stderr
    assert message.startswith("error: ") and message.count("\n") == 1, message
    assert not any(word in message.lower() for word in LEAKS), message
    return message


# ----- what arrives in the files ---------------------------------------------------------------


def test_file_names_cannot_break_or_fake_output_lines(ingested: Ingested) -> None:
    assert ingested.result.exit_code == 1  # the two empty files
    lines = ingested.result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == len(BAD_NAMES), ingested.result.stderr
    assert not any(line.startswith(("error: alt gik galt", "warning: falsk")) for line in lines)
    for name in BAD_NAMES:
        shown = name.replace("\n", "\\n").replace("\r", "\\r")
        assert sum(shown in line and "empty file" in line for line in errors) == 1, name


def test_hostile_file_names_are_stored_as_names(ingested: Ingested) -> None:
    with open_store(ingested.store, write=False) as store:
        for name in GOOD_NAMES:
            graph = store.graph_of_path(ingested.folder / name)
            assert graph is not None, name
            [row] = store.select(f"SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?d <{KG}path> ?p }} }}")
            assert row["p"] == name


def test_hostile_minutes_are_stored_word_for_word(ingested: Ingested) -> None:
    path = ingested.folder / "faxe-pmu.txt"
    record = extract_path(path)
    titles = [item.title for item in record.items]
    assert any("} ; DROP ALL ; #" in t for t in titles) and any("UNION" in t for t in titles)
    with open_store(ingested.store, write=False) as store:
        graph = store.graph_of_path(path)
        printed = map_record(record).nquads.encode().splitlines()
        expected = {line.rsplit(b" <", 1)[0] + b" ." for line in printed}
        assert as_stored(store, graph, expected) == expected  # type: ignore[arg-type]
        stored = store.select(
            f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ ?i <{DCTERMS_TITLE}> ?t }} }}"
        )
        assert sorted(r["t"] for r in stored) == sorted(titles)  # type: ignore[type-var]

    traced = invoke(ingested.store, "trace", CASE, "--format", "json")
    assert traced.exit_code == 0, traced.output
    [case] = json.loads(traced.stdout)["cases"]
    assert case["treatments"][0]["item"]["title"] == titles[0]
    assert case["treatments"][0]["text"] == record.items[0].decisions[0].text

    # a hostile title given back as a parameter matches exactly that item, as data
    found = invoke(
        ingested.store,
        *("query", "-e", f"SELECT ?i ?t WHERE {{ ?i <{DCTERMS_TITLE}> ?t }}", "-p"),
        f"t={titles[1]}",
        *("--format", "json"),
    )
    assert found.exit_code == 0, found.output
    assert len(json.loads(found.stdout)["results"]["bindings"]) == 1


# ----- what a user types -------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_municipality_options_are_unknown_municipalities(
    ingested: Ingested, hostile: str, tmp_path: Path
) -> None:
    out = tmp_path / "graf.html"
    for args in (
        ("trace", CASE, "--municipality", hostile),
        ("threads", "--municipality", hostile),
        ("query", "case-history", "-p", f"case={CASE}", "-p", f"municipality={hostile}"),
        ("viz", "--municipality", hostile, "--out", str(out)),
        ("viz", "--case", CASE, "--municipality", hostile, "--out", str(out)),
    ):
        message = assert_one_line_refusal(invoke(ingested.store, *args))
        assert "no municipality" in message, (args, message)
    assert not out.exists()


@pytest.mark.parametrize("option", ["--case", "--person", "--law", "--thread"])
def test_hostile_viz_focus_is_not_found_and_writes_nothing(
    ingested: Ingested, option: str, tmp_path: Path
) -> None:
    out = tmp_path / "graf.html"
    kept = tmp_path / "earlier.html"
    kept.write_text("<p>an earlier page</p>", encoding="utf-8")
    for hostile in HOSTILE:
        message = assert_one_line_refusal(
            invoke(ingested.store, "viz", option, hostile, "--out", str(out))
        )
        assert message.startswith("error: no "), message
        assert not out.exists()
        assert_one_line_refusal(invoke(ingested.store, "viz", option, hostile, "--out", str(kept)))
        assert kept.read_text(encoding="utf-8") == "<p>an earlier page</p>"  # left alone


def test_hostile_viz_focus_through_the_real_entry_point(ingested: Ingested, tmp_path: Path) -> None:
    """The real entry point (a separate process), for the IRI-shaped value."""
    out = tmp_path / "graf.html"
    hostile = "https://example.org/x> } ; DROP ALL ; #"
    args = ["--store", str(ingested.store), "viz", "--person", hostile, "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "kommunegraf", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: no person named") and done.stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "CLEAR DEFAULT",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        f"LOAD <file://{ROOT}/README.md>",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 ; DROP ALL",
    ],
)
def test_query_expression_cannot_change_the_store(ingested: Ingested, update: str) -> None:
    result = invoke(ingested.store, "query", "-e", update)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "traceback" not in result.output.lower()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_query_expression_parameters_are_data(ingested: Ingested, hostile: str) -> None:
    query = f"SELECT ?i ?t WHERE {{ ?i <{DCTERMS_TITLE}> ?t }}"
    result = invoke(ingested.store, "query", "-e", query, "-p", f"t={hostile}", "--format", "csv")
    if hostile.startswith("<"):  # written as an IRI, and not a valid one: refused
        assert "is not a valid iri" in assert_one_line_refusal(result)
        return
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["i"]  # the header (the given t not echoed), no rows


@pytest.mark.parametrize("hostile", HOSTILE[:4])
def test_extract_with_a_hostile_municipality_is_refused(hostile: str) -> None:
    result = CliRunner().invoke(
        main, ["extract", str(EXAMPLES / "horsens_kmu_2023-09-11.txt"), "--municipality", hostile]
    )
    assert "unknown municipality" in assert_one_line_refusal(result)
