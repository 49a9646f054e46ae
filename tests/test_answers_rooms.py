"""graph/answers keeps its rooms (issue 20): trace is a package of modules one person reads in
a sitting, its SPARQL lives in queries/answers/*.rq with a header, and the municipality lookup
is its own module that viz, the CLI, serve and the bundled queries import (not trace).  The
lookup and the SPARQL loader live in queries/ (queries/municipality.py, queries/sparql.py),
below graph/, since the bundled queries' municipality parameter needs the lookup too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pyoxigraph import Store as OxStore

from kommunegraf.queries import municipality, sparql

ROOT = Path(__file__).resolve().parent.parent
TRACE = ROOT / "graph" / "answers" / "trace"
LOOKUP_USERS = (
    "graph/answers/viz.py",
    "graph/cli/answers.py",
    "graph/serve/worker.py",
    "queries/results.py",
)


def test_trace_is_a_package_of_small_modules() -> None:
    modules = sorted(TRACE.glob("*.py"))
    assert len(modules) >= 4
    for path in modules:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name


def test_trace_holds_no_sparql_text() -> None:
    for path in TRACE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "SELECT" not in node.value, f"{path.name} pastes a query"


@pytest.mark.parametrize("path", sorted(sparql.ANSWERS_SPARQL.glob("*.rq")), ids=lambda p: p.stem)
def test_each_answers_query_has_a_header_and_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# ") and len(first) > 10, "no one-line description"
    assert "never pasted" in text
    list(OxStore().query(text))  # a syntax error raises


def test_the_municipality_lookup_is_not_imported_from_trace() -> None:
    for name in LOOKUP_USERS:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                if "resolve_municipality" in names:
                    assert node.module == "kommunegraf.queries.municipality", name
    source = (ROOT / "queries" / "municipality.py").read_text(encoding="utf-8")
    assert "answers.trace" not in source  # the lookup stands below trace


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Næstved Kommune", "naestved"),
        ("  bornholms regionskommune ", "bornholms"),
        ("Lyngby-Taarbæk", "lyngbytaarbaek"),
        ("høje-taastrup", "hoejetaastrup"),
    ],
)
def test_fold_name(typed: str, folded: str) -> None:
    assert municipality.fold_name(typed) == folded


def test_an_unknown_municipality_is_a_library_error_but_no_value_error() -> None:
    from kommunegraf.errors import KommunegrafError

    assert issubclass(municipality.UnknownMunicipality, KommunegrafError)
    # queries.bind reads a ValueError as "not a valid municipality" and would hide the names
    assert not issubclass(municipality.UnknownMunicipality, ValueError)


def test_item_iri_pattern_reads_an_unseen_item() -> None:
    from kommunegraf.graph.answers.trace.build import ITEM_IRI_RE

    base = "https://w3id.org/kommunegraf/id/havby/udvalg/teknik"
    match = ITEM_IRI_RE.match(base + "/moede/2018-03-05/punkt/21")
    assert match and (match["committee"], match["date"], match["number"]) == (
        base,
        "2018-03-05",
        "21",
    )
    assert not ITEM_IRI_RE.match(base + "/moede/2018-03-05")
