"""`kommunegraf export --per-document DIR`: one N-Quads file per graph, loaded by Oxigraph's
own bulk loader (``oxigraph load``) into a fresh store, served on loopback, and asked every
bundled query: the same answers as the embedded store (issue 21.6; marker ``server``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import query_answers as qa
from click.testing import CliRunner
from oxigraph_server import oxigraph, start_server, stop

from kommunegraf.graph.cli.main import main
from kommunegraf.graph.store.bulk_export import MANIFEST, file_name
from kommunegraf.graph.store.local import SOURCE_PATH, open_store
from kommunegraf.graph.store.remote import open_remote

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return qa.build_store(qa.seeds_inputs(shared_dir), tmp_path_factory.mktemp("bulk") / "store")


@pytest.fixture(scope="module")
def exported(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bulk-export") / "nq"
    result = CliRunner().invoke(
        main, ["--store", str(store), "export", "--per-document", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert f"in {folder}; load: find {folder}" in result.output
    return folder


@pytest.fixture(scope="module")
def served(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Oxigraph store made by its bulk loader from the export, served on loopback."""
    db = tmp_path_factory.mktemp("bulk-loaded") / "db"
    files = sorted(str(p) for p in exported.rglob("*.nq"))
    done = subprocess.run(
        [oxigraph(), "load", "--location", str(db), "--file", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    process, url = start_server(db)
    yield url
    stop(process)


def quads_of(path: Path) -> set[ox.Quad]:
    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_one_file_per_document_holding_its_graph_whole(store: Path, exported: Path) -> None:
    files = sorted((exported / "documents").rglob("*.nq"))
    with open_store(store, write=False) as embedded:
        documents = embedded.documents()
        assert {f"{embedded.base}id/kilde/{f.stem}" for f in files} == documents
        for path in files:
            graph = f"{embedded.base}id/kilde/{path.stem}"
            assert path.parent.name == path.stem[:2]
            quads = quads_of(path)
            assert {q.graph_name for q in quads} == {ox.NamedNode(graph)}
            stored = ox.parse(embedded.graph_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
            assert {q.triple for q in quads} == {q.triple for q in stored}
        others = (embedded.reference_graph, embedded.derived_graph, embedded.shared_graph)
        for graph in others:
            name = file_name(graph[len(embedded.base) :])
            assert len(quads_of(exported / "graphs" / f"{name}.nq")) == embedded.quad_count(graph)
    manifest = json.loads((exported / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["documents"] == len(documents) >= 10 and manifest["graphs"] == len(others)
    assert manifest["default_graph"] == (exported / "default.nq").is_file()


def test_the_log_keeps_completion_but_no_path_digest(store: Path, exported: Path) -> None:
    with open_store(store, write=False) as embedded:
        stored_log = embedded.log_ntriples()
    assert SOURCE_PATH.value.encode() in stored_log  # the store has them: the export drops them
    log = quads_of(exported / "log.nq")
    assert log and not any(q.predicate == SOURCE_PATH for q in log)


def test_an_export_goes_into_a_new_folder(store: Path, exported: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", str(store), "export", "--per-document", str(exported)]
    )
    assert result.exit_code == 1 and "not an empty folder" in result.output
    result = CliRunner().invoke(
        main, ["--store", str(store), "export", "--per-document", str(exported), "--out", "x"]
    )
    assert result.exit_code == 2


def test_the_bulk_loaded_server_answers_every_bundled_query_alike(store: Path, served: str) -> None:
    with open_store(store, write=False) as embedded:
        local: dict[str, Any] = qa.query_answers(embedded)
        documents = embedded.documents()
    with open_remote(served, write=False, env={}) as remote:
        assert remote.documents() == documents
        loaded = qa.query_answers(remote)  # type: ignore[arg-type]
    assert not qa.compare(local, loaded)
    qa.assert_same("seeds", loaded)


def test_the_benchmark_measures_an_export_and_a_load(tmp_path: Path) -> None:
    """bench/bulk_export.py on the invented examples: it runs and prints what it measured."""
    out = tmp_path / "bench"
    script = qa.ROOT / "bench" / "bulk_export.py"
    options = ["--corpus", str(qa.EXAMPLES), "--out", str(out), "--jobs", "1"]
    done = subprocess.run(
        [sys.executable, str(script), *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads((out / "bulk-export-results.json").read_text(encoding="utf-8"))
    examples = [p for p in qa.EXAMPLES.iterdir() if p.suffix != ".md"]
    assert figures["documents"] == len(examples) and figures["export_files"] >= len(examples) + 3
    assert figures["quads"] > 0 and "load_seconds" in figures and "ingest_seconds" in figures
    assert f"documents            {len(examples)}" in done.stdout
