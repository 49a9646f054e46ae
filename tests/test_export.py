"""`kommunegraf export / validate / stats` over a store holding the four seeds."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kommunegraf.extract import extract_path
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import open_store

KG = "https://w3id.org/kommunegraf/ontology#"


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    for seed in seed_paths:
        shutil.copy(seed, folder / seed.name)
    store = tmp_path_factory.mktemp("store") / "store"
    code, _, err = run(store, "ingest", folder, "--jobs", "1")
    assert code == 0, err
    return store


def store_graphs(store_dir: Path) -> dict[str, rdflib.Graph]:
    """Each named graph of the store (the ingest log left out, as export does)."""
    with open_store(store_dir, write=False) as store:
        return {
            g: rdflib.Graph().parse(data=store.graph_ntriples(g).decode(), format="nt")
            for g in store.named_graphs()
            if g != store.log_graph
        }


def file_graphs(path: Path, fmt: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=fmt)
    graphs: dict[str, rdflib.Graph] = {}
    for s, p, o, g in dataset.quads():
        graphs.setdefault(str(g), rdflib.Graph()).add((s, p, o))
    return graphs


def assert_same_graphs(left: dict[str, rdflib.Graph], right: dict[str, rdflib.Graph]) -> None:
    assert sorted(left) == sorted(right)
    for name in left:
        assert isomorphic(left[name], right[name]), name


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nq", "nquads"), ("trig", "trig")])
def test_export_keeps_every_graph_and_imports_into_an_equal_store(
    seeded: Path, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / f"export.{fmt}"
    code, _, err = run(seeded, "export", "--format", fmt, "--out", out)
    assert code == 0, err
    original = store_graphs(seeded)
    assert len([g for g in original if "/id/kilde/" in g]) == 4
    assert_same_graphs(file_graphs(out, rdflib_format), original)  # a standard reader agrees

    fresh = tmp_path / "fresh"
    with open_store(fresh, write=True) as store:
        assert store.import_(out) == 4  # four document graphs, marked complete
    with open_store(fresh, write=False) as store, open_store(seeded, write=False) as before:
        assert store.documents() == before.documents()
    assert_same_graphs(store_graphs(fresh), original)


def test_export_jsonld_and_merged_turtle(seeded: Path, tmp_path: Path) -> None:
    original = store_graphs(seeded)
    code, _, err = run(seeded, "export", "--format", "jsonld", "--out", tmp_path / "s.jsonld")
    assert code == 0, err
    assert_same_graphs(file_graphs(tmp_path / "s.jsonld", "json-ld"), original)

    code, ttl, err = run(seeded, "export", "--format", "ttl")  # to standard output
    assert code == 0, err
    merged = rdflib.Graph()
    for graph in original.values():
        merged += graph
    assert isomorphic(rdflib.Graph().parse(data=ttl, format="turtle"), merged)


def test_validate_reports_conformance(seeded: Path) -> None:
    code, out, err = run(seeded, "validate")
    assert code == 0, out + err
    assert "4 documents" in out and "conforms" in out and "0 violation(s)" in out


def test_validate_names_the_document_with_a_violation(seeded: Path, tmp_path: Path) -> None:
    """A meeting without its committee (sh:minCount 1) is reported under its document."""
    broken = tmp_path / "broken"
    shutil.copytree(seeded, broken, ignore=shutil.ignore_patterns(".kommunegraf.lock"))
    with open_store(broken, write=True) as store:
        graph = sorted(store.documents())[0]
        rows = store.select(
            f"SELECT ?g ?m ?c WHERE {{ GRAPH ?g {{ ?m <{KG}committee> ?c }} }}",
            {"g": graph_iri(graph)},
        )
        [row] = list(rows)
        store.replace_graph(
            graph, _without(store.graph_ntriples(graph), str(row["m"]), KG + "committee")
        )
    code, out, _ = run(broken, "validate")
    assert code == 1
    assert "does NOT conform" in out
    assert "kg:committee" in out and "Violation" in out
    assert f"in id:kilde/{graph.rsplit('/', 1)[-1]}" in out


def graph_iri(graph: str):  # type: ignore[no-untyped-def]
    from kommunegraf.graph.store.local import IRI

    return IRI(graph)


def _without(ntriples: bytes, subject: str, predicate: str) -> str:
    keep = [
        line
        for line in ntriples.decode().splitlines()
        if not line.startswith(f"<{subject}> <{predicate}> ")
    ]
    return "\n".join(keep) + "\n"


def test_stats_count_what_the_records_hold(seeded: Path, seed_paths: list[Path]) -> None:
    records = [extract_path(p) for p in seed_paths]
    mapped = [map_record(r) for r in records]
    code, out, err = run(seeded, "stats", "--format", "json")
    assert code == 0, err
    stats = json.loads(out)
    assert stats["documents"] == 4
    assert stats["links_computed_over"] == 4  # the derived graph covers every document
    assert stats["classes"]["kg:AgendaItem"] == sum(m.items for m in mapped)
    assert stats["classes"]["kg:SourceDocument"] == 4

    items: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    for record, m in zip(records, mapped, strict=True):
        items[record.meeting.committee or ""] += m.items
        decisions[record.meeting.committee or ""] += m.decisions
    by_committee = {c["name"]: c for c in stats["committees"]}
    assert {name: c["items"] for name, c in by_committee.items()} == dict(items)
    assert {name: c["decisions"] for name, c in by_committee.items()} == dict(decisions)
    codes = {m["code"] for m in stats["municipalities"]}
    assert codes == {r.municipality.code for r in records}
    assert sum(m["documents"] for m in stats["municipalities"]) == 4

    code, table, _ = run(seeded, "stats")
    assert code == 0
    assert "kg:AgendaItem" in table and "municipality" in table and "committee" in table
