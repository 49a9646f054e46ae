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
from layout import as_stored

from kommunegraf.extract import extract_path
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store import versions
from kommunegraf.graph.store.local import DEFAULT_BASE, DOCUMENT_GRAPH, open_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 40
# "ingest: 12/40 files, 10 documents loaded, 0 errors" (graph.ingest.run.PlainReporter)
PROGRESS = re.compile(r"^ingest: (\d+)/(\d+) files, (\d+) documents? loaded")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    """40 documents: the seeds over and over, each with its own added line (its own sha).

    The copies of one seed are versions of one meeting (graph.store.versions): each copy is a
    minute younger than the one before, so the last copy of each seed is the one shown."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(DOCUMENTS):
        seed = seed_paths[n % len(seed_paths)]
        text = seed.read_text(encoding="utf-8")
        note = f"\nSekretariatet tilføjede bemærkning nr. {n + 1} til sagen.\n"
        path = folder / f"{n:02d}-{seed.name}"
        path.write_text(text + note, encoding="utf-8")
        os.utime(path, (1_600_000_000 + 60 * n, 1_600_000_000 + 60 * n))
    return folder


@pytest.fixture(scope="module")
def shown(corpus: Path) -> set[str]:
    """The graph of each meeting's youngest copy: the documents the store shows at the end."""
    newest: dict[str, tuple[float, str]] = {}
    for path in corpus.iterdir():
        record = extract_path(path)
        graph = map_record(record).graph
        meeting = versions.meeting_of(record, DEFAULT_BASE)
        newest[meeting] = max(newest.get(meeting, (0.0, "")), (path.stat().st_mtime, graph))
    return {graph for _time, graph in newest.values()}


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
        "kommunegraf",
        "--store",
        str(store),
        "ingest",
        str(corpus),
        "--jobs",
        str(jobs),
        *extra,
    ]


def assert_whole(store_dir: Path, expected: dict[str, set[bytes]]) -> tuple[set[str], set[str]]:
    """After a writer's recovery: every document graph present is complete and exact, and so
    is every earlier version kept aside; returns (documents shown, documents in either way)."""
    with open_store(store_dir, write=True) as store:
        present = {g for g in store.named_graphs() if DOCUMENT_GRAPH.search(g)}
        assert present == store.documents()  # no graph without its completion marker
        for graph in present:
            assert as_stored(store, graph, expected[graph]) == expected[graph], graph
        aside = {}
        for graph in expected:
            earlier = versions.earlier_graph(store.base, graph)
            if earlier in store.earlier_versions():
                aside[graph] = earlier
                kept = as_stored(store, graph, expected[graph], kept_in=earlier)
                assert kept == expected[graph], graph
        assert not present & set(aside)  # one place each
        return present, present | set(aside)


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_leaves_each_document_wholly_in_or_wholly_absent(
    tmp_path: Path, corpus: Path, expected: dict[str, set[bytes]], shown: set[str], jobs: int
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
            assert as_stored(reader, graph, expected[graph]) == expected[graph]
    _present, stored = assert_whole(store_dir, expected)
    assert loaded <= len(stored) < DOCUMENTS  # some in (at least those reported), not all

    again = subprocess.run(
        ingest_command(store_dir, corpus, jobs), cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert assert_whole(store_dir, expected) == (shown, set(expected))
