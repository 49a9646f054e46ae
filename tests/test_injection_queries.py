"""Hostile case numbers and query parameters are data: no injection, no change, no rows.

Every value a user types reaches SPARQL through the store's substitutions, never through
the query text.  Each hostile string below is given as a case number to `trace` and as
every parameter of every bundled query, through the library and the command line; the
store must answer "nothing found" (or refuse the value as the wrong kind) and its content
must be byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf import queries
from kommunegraf.graph.answers.trace import (
    CaseNotFound,
    UnknownMunicipality,
    resolve_municipality,
    trace,
)
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import QueryError, Store, open_store

HOSTILE = [
    "} ; DROP ALL ; #",
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    '"""} DELETE WHERE { ?s ?p ?o } #',
    "<script>alert('kommunegraf')</script>",
    "{{ ?s ?p ?o }}",
    '00.22.00-P35-34-17" } UNION { ?s ?p ?o } #',
    "00.22.00-P35-34-17> } INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    "\\u0022 ) } ; CLEAR DEFAULT",
    "\n}\nDROP ALL\n#",
    "?case",
    "$municipality",
]
# What an error may never say: that the value was read as query text.
LEAKS = ("syntax", "parse", "expected", "sparql", "traceback")


def fingerprint(store: Store) -> tuple[int, list[str], str]:
    """Quad count, graph names and a hash of every graph's content."""
    digest = hashlib.sha256()
    for graph in store.named_graphs():
        digest.update(graph.encode())
        digest.update(b"".join(sorted(store.graph_ntriples(graph).splitlines())))
    return store.quad_count(), store.named_graphs(), digest.hexdigest()


@pytest.fixture(scope="module")
def seed_dir(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-seeds") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(seed_paths) and not summary.failed
    return folder


@pytest.fixture(scope="module")
def before(seed_dir: Path) -> tuple[int, list[str], str]:
    with open_store(seed_dir, write=False) as store:
        return fingerprint(store)


@pytest.fixture()
def seeds(seed_dir: Path, before: tuple[int, list[str], str]) -> Iterator[Store]:
    with open_store(seed_dir, write=False) as store:
        yield store
    with open_store(seed_dir, write=False) as again:
        assert fingerprint(again) == before, "the store changed"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_case_number_is_just_not_found(seeds: Store, hostile: str) -> None:
    with pytest.raises(CaseNotFound) as caught:
        trace(seeds, hostile)
    message = str(caught.value).lower()
    assert not any(word in message for word in LEAKS), message


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_municipality_is_an_unknown_municipality(seeds: Store, hostile: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        trace(seeds, "00.22.00-P35-34-17", hostile)
    assert "Næstved Kommune" in str(caught.value)  # the message lists the real ones


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_parameter_of_every_query_takes_hostile_text_as_data(
    seeds: Store, hostile: str
) -> None:
    checked = 0
    for query in queries.all_queries():
        for param in query.params:
            given = {p.name: "x" for p in query.params if not p.optional}
            given[param.name] = hostile
            try:
                bindings = queries.bind(
                    query, given, municipality=lambda m: resolve_municipality(seeds, m)[0]
                )
            except (queries.QueryParamError, UnknownMunicipality) as exc:
                # refused as the wrong kind of value (not a number, not a municipality)
                assert param.kind in ("integer", "date", "iri", "municipality"), (query.name, exc)
                assert not any(word in str(exc).lower() for word in LEAKS[:3]), exc
                continue
            rows = list(seeds.query(query.text, bindings))  # type: ignore[arg-type]
            assert rows == [], (query.name, param.name, rows)
            checked += 1
    textual = [p for q in queries.all_queries() for p in q.params if p.kind in ("string", "case")]
    assert checked == len(textual) >= 5


@pytest.mark.parametrize("hostile", HOSTILE[:6])
def test_hostile_values_through_the_commands(seed_dir: Path, seeds: Store, hostile: str) -> None:
    runner = CliRunner()
    store = ["--store", str(seed_dir)]
    traced = runner.invoke(main, [*store, "trace", hostile])
    assert traced.exit_code == 1 and "no case" in traced.output
    assert not any(word in traced.output.lower() for word in LEAKS)
    law = runner.invoke(main, [*store, "query", "items-citing-law", "-p", f"law={hostile}"])
    assert law.exit_code == 0 and "(0 rows)" in law.output
    case = runner.invoke(main, [*store, "query", "case-history", "--param", f"case={hostile}"])
    assert case.exit_code == 0 and "(0 rows)" in case.output


def test_an_update_given_as_a_query_is_refused(seeds: Store) -> None:
    for update in ("DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"):
        with pytest.raises(QueryError):
            seeds.query(update)
