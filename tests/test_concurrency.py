"""Crashes and company: the store stays whole whatever happens to the process writing it.

tests/test_crash.py kills an ingest between batches (after a progress line).  This file adds:

- kills at the exact points where the bulk loader is not transactional — after a batch's
  own quads are loaded but before its shared descriptions are, after those but before the
  batch is marked complete, while the case threads are being replaced — each followed by
  the checks a user relies on: every document wholly in or wholly absent, each triple
  stored once, and the old version of an edited file kept;
- an extraction worker dying on one file (out of memory, a crash in a C library): that file
  is reported, every other file goes in;
- readers (`trace`, `query`, the library) running in a loop beside a larger ingest: each
  sees whole documents only, or says in one line that the store is busy.

The kills are real SIGKILLs of the ingest process, placed deterministically by a small
driver that wraps the store's pyoxigraph handle (see DRIVER).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from layout import as_stored

import kommunegraf.graph.ingest.workers as ingest_workers
from kommunegraf.extract import extract_path
from kommunegraf.graph.answers.validate import validate_store
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store import versions
from kommunegraf.graph.store.local import DOCUMENT_GRAPH, KG, Store, open_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
# Documents ingested while readers run (≈ 40 KB each).  Each turn of the readers' loop
# starts processes (≈ 1 s); on a fast machine 30 or 80 documents were all in within two
# turns, and no reader met the ingest half done.
LARGE_CORPUS = 200
READ_TIMEOUT = 120  # seconds; a read beside the ingest takes well under one

# Run the CLI with the store's pyoxigraph handle wrapped so that the process SIGKILLs itself
# right after the n-th bulk load of one kind returns.  Kinds: "documents" (a batch's own
# N-Quads into their named graphs), "shared" (its shared descriptions into the shared graph),
# "derived" (the case threads' graph).  argv: KIND N then the CLI's own arguments.
DRIVER = r"""
import os, signal, sys
import pyoxigraph as ox
import kommunegraf.graph.store.local

kind, nth = sys.argv[1], int(sys.argv[2])
count = 0

def is_kind(name, kwargs):
    if name != "bulk_load" or "path" in kwargs:
        return False
    to_graph, fmt = kwargs.get("to_graph"), kwargs.get("format")
    if kind == "documents":
        return fmt == ox.RdfFormat.N_QUADS and to_graph is None
    if kind == "shared":
        return getattr(to_graph, "value", "").endswith("/graph/shared")
    if kind == "derived":
        return getattr(to_graph, "value", "").endswith("/graph/derived")
    raise SystemExit(f"unknown kill point {kind}")

class Dying:
    def __init__(self, inner):
        self._inner = inner
    def __len__(self):
        return len(self._inner)
    def __getattr__(self, name):
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr
        def call(*args, **kwargs):
            global count
            result = attr(*args, **kwargs)
            if is_kind(name, kwargs):
                count += 1
                if count == nth:
                    os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call

plain_init = kommunegraf.graph.store.local.Store.__init__
def init(self, inner, *args, **kwargs):
    plain_init(self, Dying(inner) if kwargs.get("writable") else inner, *args, **kwargs)
kommunegraf.graph.store.local.Store.__init__ = init

from kommunegraf.graph.cli.main import main
main(sys.argv[3:], prog_name="kommunegraf")
"""


def cli(store: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kommunegraf", "--store", str(store), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def killed_ingest(store: Path, folder: Path, kind: str, nth: int) -> None:
    """An ingest (one worker, one batch per chunk of files) killed at the given point."""
    args = ["--store", str(store), "ingest", str(folder), "--jobs", "1", "--batch-quads", "1"]
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, kind, str(nth), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == -signal.SIGKILL, (run.returncode, run.stderr[-2000:])


def expected_triples(path: Path) -> tuple[str, set[bytes]]:
    """(graph IRI, N-Triples lines) of a clean extraction and mapping of one file."""
    mapped = map_record(extract_path(path))
    lines = {line.rsplit(b" <", 1)[0] + b" ." for line in mapped.nquads.encode().splitlines()}
    return mapped.graph, lines


def assert_one_copy(store: Store) -> None:
    """What every query reads (the union of the graphs) holds each triple once, and nothing
    outside a graph."""
    quads = list(store._store.quads_for_pattern(None, None, None, None))
    triples = [q.triple for q in quads]
    assert len(triples) == len(set(triples)), "a triple stored twice"
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)


def document_graphs(store: Store) -> dict[str, set[bytes]]:
    present = {g for g in store.named_graphs() if DOCUMENT_GRAPH.search(g)}
    assert present == store.documents()  # no document graph without its completion marker
    return {g: set(store.graph_ntriples(g).splitlines()) for g in present}


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """The bundled invented examples: four text files (one batch) and a page (a second)."""
    folder = tmp_path / "referater"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.html")):
        shutil.copy(path, folder / path.name)
    return folder


# ----- kills inside the non-transactional windows --------------------------------------------


def assert_whole_after_kill(store_dir: Path, expected: dict[str, set[bytes]], whole: int) -> None:
    """A reader first (what a user running `query` after the crash sees), then a writer."""
    for write in (False, True):
        with open_store(store_dir, write=write) as store:
            graphs = document_graphs(store)
            assert len(graphs) == whole
            for iri in graphs:
                assert as_stored(store, iri, expected[iri]) == expected[iri], iri
            assert_one_copy(store)


@pytest.mark.parametrize(
    "kind",
    [
        "documents",  # the second batch's own quads loaded, not its shared ones, not marked
        "shared",  # its shared descriptions loaded too, not marked
    ],
)
def test_a_kill_while_a_batch_loads_leaves_the_batches_before_it(
    tmp_path: Path, examples: Path, kind: str
) -> None:
    expected = dict(expected_triples(p) for p in sorted(examples.iterdir()))
    killed_ingest(tmp_path / "store", examples, kind, 2)
    assert_whole_after_kill(tmp_path / "store", expected, 4)  # the first batch: four files


def test_a_kill_while_threads_are_replaced_keeps_the_documents(
    tmp_path: Path, examples: Path
) -> None:
    store_dir = tmp_path / "store"
    expected = dict(expected_triples(p) for p in sorted(examples.iterdir()))
    killed_ingest(store_dir, examples, "derived", 1)
    assert_whole_after_kill(store_dir, expected, len(expected))

    again = cli(store_dir, "ingest", str(examples), "--jobs", "1")
    assert again.returncode == 0, again.stderr
    with open_store(store_dir, write=False) as store:
        assert {g: as_stored(store, g, expected[g]) for g in document_graphs(store)} == expected
        assert store.derived_graph in store.named_graphs()  # threads recomputed
        assert_one_copy(store)
        assert validate_store(store).conforms


def test_a_kill_while_edited_files_are_reingested_keeps_their_old_versions(
    tmp_path: Path, examples: Path
) -> None:
    store_dir = tmp_path / "store"
    assert cli(store_dir, "ingest", str(examples), "--jobs", "1").returncode == 0
    with open_store(store_dir, write=False) as store:
        before = document_graphs(store)
    edited = sorted(examples.glob("*.txt"))[:2]
    for path in edited:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\nSekretariatet har rettet en stavefejl i referatet.\n")

    killed_ingest(store_dir, examples, "shared", 1)  # the edited versions loaded, not marked
    with open_store(store_dir, write=False) as store:
        after = document_graphs(store)
        for path in edited:
            iri = store.graph_of_path(path)  # still the old version's graph
            assert iri in before and after[iri] == before[iri], path.name
        assert_one_copy(store)


def test_a_kill_while_unchanged_files_are_reingested_keeps_them(
    tmp_path: Path, examples: Path
) -> None:
    """Unchanged documents are not reloaded (their completion marker is the digest of their
    quads), so a kill while an edited neighbour loads leaves them, and its old version, in."""
    store_dir = tmp_path / "store"
    assert cli(store_dir, "ingest", str(examples), "--jobs", "1").returncode == 0
    with open_store(store_dir, write=False) as store:
        before = document_graphs(store)
    edited = sorted(examples.glob("*.txt"))[-1]  # the last of the first batch
    with edited.open("a", encoding="utf-8") as handle:
        handle.write("\nSekretariatet har tilføjet en bemærkning til referatet.\n")
    killed_ingest(store_dir, examples, "documents", 1)
    with open_store(store_dir, write=False) as store:
        assert document_graphs(store) == before
        assert_one_copy(store)


def test_reingesting_unchanged_files_loads_nothing(tmp_path: Path, examples: Path) -> None:
    store_dir = tmp_path / "store"
    assert cli(store_dir, "ingest", str(examples), "--jobs", "1").returncode == 0
    with open_store(store_dir, write=False) as store:
        before = document_graphs(store)
        quads = store.quad_count()
    # Were any document reloaded, the driver would kill the process at its first bulk load.
    args = ["--store", str(store_dir), "ingest", str(examples), "--jobs", "1"]
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, "documents", "1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    with open_store(store_dir, write=False) as store:
        assert document_graphs(store) == before
        assert store.quad_count() == quads


# ----- an extraction worker that dies ----------------------------------------------------------

POISON = "giftig"  # a file whose extraction kills the worker process


def chunk_or_die(paths: list[str], base: str) -> list[ingest_workers.Outcome]:
    """Stands in for graph.ingest.workers._extract_chunk in the workers (which import this
    module afresh, so graph.ingest.workers there is the real one): the poison file kills its
    worker the way the kernel's out-of-memory killer would."""
    if any(POISON in Path(p).name for p in paths):
        os.kill(os.getpid(), signal.SIGKILL)
    return ingest_workers._extract_chunk(paths, base)


def test_a_worker_killed_by_one_file_fails_that_file_only(
    tmp_path: Path, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nine files: the poison in the first chunk of four, so both workers' chunks are in flight
    for n, path in enumerate(sorted(examples.glob("*.txt"))):
        shutil.copy(path, examples / f"kopi-{n}.txt")
        with (examples / f"kopi-{n}.txt").open("a", encoding="utf-8") as handle:
            handle.write(f"\nBilag {n + 1} er eftersendt.\n")
    shutil.copy(sorted(examples.glob("*.txt"))[0], examples / f"a-{POISON}.txt")
    good = sorted(p for p in examples.iterdir() if POISON not in p.name)
    monkeypatch.setattr(ingest_workers, "_extract_chunk", chunk_or_die)
    lines: list[str] = []
    with open_store(tmp_path / "store", write=True) as store:
        summary = ingest([examples], store, jobs=2, reporter=PlainReporter(lines.append))
        assert summary.errors == 1 and summary.failed
        [error] = [line for line in lines if line.startswith("error:")]
        assert f"a-{POISON}.txt" in error and "worker died" in error
        assert summary.documents == len(good)
        # every good file is in: shown, or kept as an earlier version of its meeting (the
        # copies are versions of the examples' meetings; graph.store.versions shows one of each)
        graphs = {expected_triples(p)[0] for p in good}
        kept = set(store.earlier_versions())
        earlier = {g for g in graphs if versions.earlier_graph(store.base, g) in kept}
        assert store.documents() | earlier == graphs and not store.documents() & earlier


# ----- readers beside a running ingest -----------------------------------------------------------


def write_large_corpus(folder: Path, n: int) -> None:
    """bench/corpus.py's invented minutes when it is there, else edited copies of examples."""
    bench = ROOT / "bench" / "corpus.py"
    if bench.is_file():
        spec = importlib.util.spec_from_file_location("kommunegraf_bench_corpus", bench)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        module.write_corpus(folder, n, seed=5)
        return
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(EXAMPLES.glob("*.txt"))
    for k in range(n):
        text = sources[k % len(sources)].read_text(encoding="utf-8")
        note = f"\nUdvalget noterede bemærkning nr. {k + 1} til protokollen.\n"
        (folder / f"{k:03d}.txt").write_text(text + note, encoding="utf-8")


GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ITEMS_PER_DOCUMENT = (
    f"SELECT ?doc (COUNT(DISTINCT ?item) AS ?n) WHERE {{ ?item a <{KG}AgendaItem> ; "
    f"<{PROV_DERIVED}> ?doc }} GROUP BY ?doc"
)
# What a reader may say instead of answering, on one line: the store is being written or
# has not been created yet.
BUSY = re.compile(r"^error: (?:store .* (?:is busy|changed under this read)|no store at )")


# One reader in its own process (a reader that hangs must fail the test, not stall it):
# prints {"graphs": {graph: quads}, "items": {document: items}} or {"error": "…"}.
READER = f"""
import json, sys
from kommunegraf.graph.store.local import DOCUMENT_GRAPH, StoreError, open_store
try:
    with open_store(sys.argv[1], write=False) as store:
        graphs = {{str(r["g"]): int(r["n"]) for r in store.select({GRAPH_SIZES!r})
                  if DOCUMENT_GRAPH.search(str(r["g"]))}}
        marked = store.documents()
        if set(graphs) != marked:
            unmarked, empty = sorted(set(graphs) - marked), sorted(marked - set(graphs))
            named = {{g.value for g in store._store.named_graphs()}}
            raise SystemExit(
                f"{{len(unmarked)}} graphs seen without their completion marker, "
                f"{{len(empty)}} markers without their graph ({{len(set(empty) & named)}} of "
                f"those listed as named graphs, "
                f"{{sum(store.quad_count(g) > 0 for g in empty)}} with quads); "
                f"checkpoint {{store._checkpoint is not None}}, visible "
                f"{{None if store._visible is None else len(store._visible)}}"
            )
        items = {{str(r["doc"]): int(r["n"]) for r in store.select({ITEMS_PER_DOCUMENT!r})}}
    print(json.dumps({{"graphs": graphs, "items": items}}))
except StoreError as exc:
    print(json.dumps({{"error": f"error: {{exc}}"}}))
"""


@dataclass
class Snapshot:
    """What one reader saw: each document graph's size and each document's merged items."""

    graphs: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)


def read_snapshot(store_dir: Path) -> Snapshot | str:
    """A snapshot read by a separate process, or the one-line reason it could not be read."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", READER, str(store_dir)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=READ_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"a reader hung for {READ_TIMEOUT} s beside the ingest")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    return seen["error"] if "error" in seen else Snapshot(seen["graphs"], seen["items"])


def cli_reader(store_dir: Path, turn: int) -> subprocess.CompletedProcess[str]:
    """Now a `trace`, now a `query -e`, as a user would run them."""
    if turn % 2 == 0:
        return cli(store_dir, "trace", "00.01", timeout=READ_TIMEOUT)
    return cli(
        store_dir, "query", "-e", ITEMS_PER_DOCUMENT, "--format", "csv", timeout=READ_TIMEOUT
    )


def test_readers_beside_an_ingest_see_whole_documents_or_are_told_it_is_busy(
    tmp_path: Path,
) -> None:
    corpus, store_dir = tmp_path / "korpus", tmp_path / "store"
    write_large_corpus(corpus, LARGE_CORPUS)
    files = sorted(corpus.glob("*.txt"))
    args = ["--store", str(store_dir), "ingest", str(corpus), "--jobs", "2"]
    args += ["--batch-quads", "2000"]  # many batches: many moments for a reader to meet
    writer = subprocess.Popen(
        [sys.executable, "-m", "kommunegraf", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    snapshots: list[Snapshot] = []
    refusals: list[str] = []
    commands: list[subprocess.CompletedProcess[str]] = []
    second: subprocess.CompletedProcess[str] | None = None
    try:
        turn = 0
        while writer.poll() is None:
            seen = read_snapshot(store_dir)
            if isinstance(seen, str):
                refusals.append(seen)
                time.sleep(0.1)  # the store may not exist yet
            else:
                snapshots.append(seen)
            if second is None and (store_dir / "CURRENT").is_file():
                second = cli(store_dir, "ingest", str(corpus), "--jobs", "2")
            elif turn % 3 == 0:
                commands.append(cli_reader(store_dir, turn // 3))
            turn += 1
        _, stderr = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    assert writer.returncode == 0, stderr

    final = read_snapshot(store_dir)
    assert isinstance(final, Snapshot) and len(final.graphs) == len(files)
    partial = [s for s in snapshots if 0 < len(s.graphs) < len(files)]
    assert partial, "no reader ran while the ingest was half done; make the corpus larger"
    previous = 0
    for snapshot in snapshots:
        for iri, size in snapshot.graphs.items():
            assert size == final.graphs[iri], "a document graph seen half loaded"
        for doc, items in snapshot.items.items():
            assert items == final.items[doc], "a document's items seen half merged"
        assert len(snapshot.graphs) >= previous  # documents never disappear while loading
        previous = len(snapshot.graphs)
    for refusal in refusals:
        assert BUSY.match(refusal) and "\n" not in refusal, refusal

    assert second is not None and second.returncode != 0
    assert f"is in use by another kommunegraf process (pid {writer.pid})" in second.stderr
    assert commands, "no command ran beside the ingest"
    for done in commands:
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode != 0:  # refused or not found: one line saying why
            assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
            assert done.stderr.startswith("error: "), done.stderr
