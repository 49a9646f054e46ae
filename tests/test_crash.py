"""Kill -9 an ingest part way: every document is wholly in or wholly absent, and ingesting
again completes the store.  Also: a second ingest beside a running one is refused."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract import extract_path
from graph.mapping import map_record
from graph.store import DOCUMENT_GRAPH, open_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 40
# "ingest: 12/40 files, 10 documents loaded, 0 errors" (graph.ingest.PlainReporter)
PROGRESS = re.compile(r"^ingest: (\d+)/(\d+) files, (\d+) documents loaded")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    """40 documents: the seeds over and over, each with its own added line (its own sha)."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(DOCUMENTS):
        seed = seed_paths[n % len(seed_paths)]
        text = seed.read_text(encoding="utf-8")
        note = f"\nSekretariatet tilføjede bemærkning nr. {n + 1} til sagen.\n"
        (folder / f"{n:02d}-{seed.name}").write_text(text + note, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def expected(corpus: Path) -> dict[str, set[bytes]]:
    """Each document's graph IRI → the quads a clean mapping of it gives."""
    out: dict[str, set[bytes]] = {}
    for path in sorted(corpus.iterdir()):
        mapped = map_record(extract_path(path))
        out[mapped.graph] = {
            line.rsplit(b" <", 1)[0] + b" ." for line in mapped.nquads.encode().splitlines()
        }
    assert len(out) == DOCUMENTS
    return out


def ingest_command(store: Path, corpus: Path, jobs: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "graph.cli",
        "--store",
        str(store),
        "ingest",
        str(corpus),
        "--jobs",
        str(jobs),
        *extra,
    ]


def assert_whole(store_dir: Path, expected: dict[str, set[bytes]]) -> set[str]:
    """After a writer's recovery: every document graph present is complete and exact."""
    with open_store(store_dir, write=True) as store:
        present = {g for g in store.named_graphs() if DOCUMENT_GRAPH.search(g)}
        assert present == store.documents()  # no graph without its completion marker
        for graph in present:
            assert set(store.graph_ntriples(graph).splitlines()) == expected[graph], graph
        return present


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_leaves_each_document_wholly_in_or_wholly_absent(
    tmp_path: Path, corpus: Path, expected: dict[str, set[bytes]], jobs: int
) -> None:
    store_dir = tmp_path / "store"
    first = subprocess.Popen(
        ingest_command(store_dir, corpus, jobs, "--batch-quads", "800"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stderr is not None
    loaded = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = first.stderr.readline()
        if not line:
            break
        if (match := PROGRESS.match(line)) and int(match[3]) >= 2:
            loaded = int(match[3])
            break
    assert 0 < loaded < DOCUMENTS, "the ingest finished before it could be killed"

    if jobs == 1:  # while it runs, a second ingest is refused with a clear message
        second = subprocess.run(
            ingest_command(store_dir, corpus, 1), cwd=ROOT, capture_output=True, text=True
        )
        assert second.returncode != 0
        assert f"is in use by another kommunegraf process (pid {first.pid})" in second.stderr
        assert "Traceback" not in second.stderr

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=60)
    first.stderr.close()
    assert first.returncode == -signal.SIGKILL

    with open_store(store_dir, write=False) as reader:  # before any writer has recovered
        for graph in reader.documents():
            assert set(reader.graph_ntriples(graph).splitlines()) == expected[graph]
    present = assert_whole(store_dir, expected)
    assert loaded <= len(present) < DOCUMENTS  # some in (at least those reported), not all

    again = subprocess.run(
        ingest_command(store_dir, corpus, jobs), cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert assert_whole(store_dir, expected) == set(expected)
