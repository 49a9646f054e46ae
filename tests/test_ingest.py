"""`kommunegraf ingest`: the real extraction and mapping, end to end into a store on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from layout import as_stored

from kommunegraf.extract import extract_path
from kommunegraf.graph.answers.validate import validate_store
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import (
    SUFFIXES,
    WORKER_NICENESS,
    Walk,
    _pool,
    find_files,
    should_compact,
)
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import open_store

ROOT = Path(__file__).resolve().parent.parent


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def expected_quads(path: Path) -> set[bytes]:
    """The quads a clean mapping of the file gives (N-Triples lines, graph dropped)."""
    mapped = map_record(extract_path(path))
    return {line.rsplit(b" <", 1)[0] + b" ." for line in mapped.nquads.encode().splitlines()}


def graph_quads(store, graph: str) -> set[bytes]:  # type: ignore[no-untyped-def]
    return set(store.graph_ntriples(graph).splitlines())


def summary_value(stdout: str, name: str) -> str:
    for line in stdout.splitlines():
        if line.startswith(name + " "):
            return line[len(name) :].strip()
    raise AssertionError(f"no {name!r} in summary:\n{stdout}")


@pytest.fixture
def corpus(tmp_path: Path, seed_paths: list[Path]) -> Path:
    folder = tmp_path / "referater"
    folder.mkdir()
    for seed in seed_paths:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_seeds_go_in_conform_and_reingest_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    store_dir = tmp_path / "store"
    code, out, err = run(store_dir, "ingest", corpus, "--jobs", "2")
    assert code == 0, err
    assert summary_value(out, "documents") == "4"
    assert summary_value(out, "errors") == "0"
    files = sorted(corpus.iterdir())
    with open_store(store_dir, write=False) as store:
        assert len(store.documents()) == 4
        for path in files:
            graph = store.graph_of_path(path)
            assert graph is not None
            expected = expected_quads(path)
            assert as_stored(store, graph, expected) == expected  # exactly its mapping
        first_total = store.quad_count()
        before = {g: graph_quads(store, g) for g in store.documents()}
        assert validate_store(store).conforms

    code, out, err = run(store_dir, "ingest", corpus, "--jobs", "1")
    assert code == 0, err
    with open_store(store_dir, write=False) as store:
        assert store.quad_count() == first_total
        assert {g: graph_quads(store, g) for g in store.documents()} == before


def test_an_edited_file_replaces_exactly_its_own_graph(tmp_path: Path, corpus: Path) -> None:
    store_dir = tmp_path / "store"
    assert run(store_dir, "ingest", corpus, "--jobs", "1")[0] == 0
    edited = sorted(corpus.iterdir())[1]
    with open_store(store_dir, write=False) as store:
        old_graph = store.graph_of_path(edited)
        others = {g: graph_quads(store, g) for g in store.documents() if g != old_graph}
    items_before = [i.title for i in extract_path(edited).items]
    with edited.open("a", encoding="utf-8") as handle:
        handle.write("\nUdvalget bad forvaltningen om en opfølgning i næste kvartal.\n")
    assert [i.title for i in extract_path(edited).items] == items_before  # inside an item

    code, out, err = run(store_dir, "ingest", corpus)
    assert code == 0, err
    assert "replaced" in out
    with open_store(store_dir, write=False) as store:
        new_graph = store.graph_of_path(edited)
        assert new_graph not in (None, old_graph)
        assert store.documents() == set(others) | {new_graph}
        assert store.quad_count(old_graph) == 0  # type: ignore[arg-type]
        expected = expected_quads(edited)
        assert as_stored(store, new_graph, expected) == expected  # type: ignore[arg-type]
        assert {g: graph_quads(store, g) for g in others} == others


def test_a_document_under_two_names_goes_in_once(tmp_path: Path, seed_paths: list[Path]) -> None:
    folder = tmp_path / "in"
    (folder / "arkiv").mkdir(parents=True)
    shutil.copy(seed_paths[0], folder / "a.txt")
    shutil.copy(seed_paths[0], folder / "arkiv" / "kopi af a.txt")
    shutil.copy(seed_paths[1], folder / "b.txt")
    store_dir = tmp_path / "store"
    code, out, err = run(store_dir, "ingest", folder, "--jobs", "2")
    assert code == 0, err
    assert summary_value(out, "documents") == "2 (+1 duplicate)"
    with open_store(store_dir, write=False) as store:
        assert len(store.documents()) == 2
        graph = store.graph_of_path(folder / "a.txt")
        assert graph == store.graph_of_path(folder / "arkiv" / "kopi af a.txt")
        expected = expected_quads(folder / "a.txt")
        assert as_stored(store, graph, expected) == expected  # type: ignore[arg-type]


def _latin1_copy(seed: Path, target: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    target.write_bytes(text.encode("latin-1", errors="replace"))


def test_bad_files_are_reported_by_name_and_the_good_ones_go_in(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    from fpdf import FPDF

    folder = tmp_path / "blandet"
    (folder / "under").mkdir(parents=True)
    (folder / "tom.txt").write_bytes(b"")
    (folder / "billede.txt").write_bytes(bytes(range(256)) * 20)
    _latin1_copy(seed_paths[2], folder / "latin1.txt")
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 40)  # a page with a drawing and no text layer
    pdf.output(str(folder / "scannet.pdf"))
    (folder / "noter.docx").write_bytes(b"PK\x03\x04")
    os.symlink("..", folder / "under" / "tilbage")  # a loop back to the top folder

    store_dir = tmp_path / "store"
    code, out, err = run(store_dir, "ingest", folder, "--jobs", "2")
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 3, err
    for name in ("tom.txt", "billede.txt", "scannet.pdf"):
        assert sum(name in line for line in error_lines) == 1, err
    assert not any("latin1.txt" in line for line in error_lines)
    assert summary_value(out, "documents") == "1"
    assert summary_value(out, "errors") == "3"
    assert summary_value(out, "skipped").startswith("1 ")  # noter.docx
    assert "symbolic link loop" in err and "tilbage" in err

    utf8 = extract_path(seed_paths[2])
    with open_store(store_dir, write=False) as store:
        graph = store.graph_of_path(folder / "latin1.txt")
        assert store.documents() == {graph}
        committees = store.select(
            "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?m a ?meeting ; ?c ?committee } "
            "?committee <http://www.w3.org/2000/01/rdf-schema#label> ?name "
            "FILTER(?meeting = <https://w3id.org/kommunegraf/ontology#Meeting>) "
            "FILTER(?c = <https://w3id.org/kommunegraf/ontology#committee>) }",
        )
        assert [r["name"] for r in committees] == [utf8.meeting.committee]  # æøå decoded
        assert validate_store(store).conforms


def test_a_second_ingest_while_one_runs_is_refused(tmp_path: Path, corpus: Path) -> None:
    store_dir = tmp_path / "store"
    with open_store(store_dir, write=True):
        second = subprocess.run(
            [sys.executable, "-m", "kommunegraf", "--store", str(store_dir), "ingest", str(corpus)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert second.returncode != 0
    assert (
        f"store {store_dir} is in use by another kommunegraf process (pid {os.getpid()})"
        in second.stderr
    )
    assert "Traceback" not in second.stderr


def test_find_files_walks_in_order_and_names_what_it_cannot_take(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2019-05-07 Teknisk udvalg.HTM").write_text("<p>x</p>")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "billede.png").write_bytes(b"\x89PNG")
    os.symlink(tmp_path / "mangler.txt", tmp_path / "d.txt")  # dangling
    walk = Walk()
    found = list(find_files([tmp_path, tmp_path / "regneark.xlsx", tmp_path / "a.txt"], walk))
    names = [(p.name, error) for p, error in found]
    assert names == [
        ("a.txt", None),
        ("2019-05-07 Teknisk udvalg.HTM", None),
        ("c.pdf", None),
        ("d.txt", "broken symbolic link"),
        ("regneark.xlsx", "no such file or folder"),
        ("a.txt", None),
    ]
    assert walk.skipped == 1 and walk.loops == []
    (tmp_path / "ark.docx").write_text("x")
    [(_, error)] = find_files([tmp_path / "ark.docx"])
    assert error is not None and error.startswith("not a minutes file")
    assert {".txt", ".pdf", ".html", ".htm", ".json"} == SUFFIXES


def test_extraction_workers_yield_the_cpu_to_the_loader() -> None:
    """With as many workers as cores the loading thread is what ingest waits for: workers
    run at a lower priority (a higher niceness) than the process that loads."""
    pool = _pool(1)
    try:
        worker = pool.submit(os.nice, 0).result(timeout=60)
    finally:
        pool.shutdown()
    assert worker == min(19, os.nice(0) + WORKER_NICENESS)


def test_a_large_share_of_the_store_is_compacted_a_small_addition_is_not() -> None:
    # A first load of national size, then a small daily addition to that store.
    assert should_compact(5_000_000, 9_000_000)
    assert not should_compact(500_000, 900_000)  # too small to be worth a rewrite
    assert not should_compact(1_200_000, 20_000_000)  # a small share of a large store


def test_compact_rewrites_the_store_without_changing_what_it_holds(tmp_path: Path) -> None:
    examples = ROOT / "examples"
    code, out, err = run(tmp_path / "plain", "ingest", examples, "--jobs", "1")
    assert code == 0, err
    assert "compacted" not in out  # the examples are far below the threshold
    code, out, err = run(tmp_path / "compact", "ingest", examples, "--jobs", "1", "--compact")
    assert code == 0, err
    assert summary_value(out, "compacted").endswith("(faster reads from now on)")
    assert "compacting the store" in err
    held = []
    for name in ("plain", "compact"):
        with open_store(tmp_path / name, write=False) as store:
            graphs = [*store.documents(), store.derived_graph]
            held.append({g: graph_quads(store, g) for g in graphs})
    assert held[0] == held[1] and all(held[0].values())


def test_the_store_is_compacted_after_the_derived_graph_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written after the compaction, the derived graph's files lie over the compacted ones, and
    # at 10,000 documents every bundled query ran about 4x slower (bench/README.md).
    from kommunegraf.graph.ingest.run import ingest
    from kommunegraf.graph.store.local import Store

    calls: list[str] = []
    optimize, replace_graph = Store.optimize, Store.replace_graph

    def optimizing(self: Store) -> None:
        calls.append("compact")
        optimize(self)

    def replacing(self: Store, graph: str, ntriples: object) -> int:
        calls.append("derived")
        return replace_graph(self, graph, ntriples)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "optimize", optimizing)
    monkeypatch.setattr(Store, "replace_graph", replacing)
    with open_store(tmp_path / "store", write=True) as store:
        summary = ingest([ROOT / "examples"], store, jobs=1, compact=True)
        assert summary.compact_seconds is not None and summary.threads
        assert store.quad_count(store.derived_graph) > 0
    assert calls == ["derived", "compact"]


WORKERS_OF_A_KILLED_INGEST = """
import os, sys, time
from kommunegraf.graph.ingest.run import _pool
pool = _pool(2)
for done in [pool.submit(time.sleep, 0.2) for _ in range(4)]:
    done.result()
print(" ".join(map(str, sorted(pool._processes))), flush=True)
time.sleep(600)
"""


def test_workers_end_when_the_ingest_is_killed(tmp_path: Path) -> None:
    """SIGKILL runs no clean-up: the workers must notice on their own, not linger for ever."""
    child = subprocess.Popen(
        [sys.executable, "-c", WORKERS_OF_A_KILLED_INGEST],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    workers = [int(pid) for pid in child.stdout.readline().split()]
    assert workers and child.pid not in workers
    assert all(alive(pid) for pid in workers)
    child.kill()
    child.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "workers outlived their killed ingest"


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, already ended, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
