"""The store contract: ONE set of assertions, run on the embedded store and on a real
``oxigraph serve`` on loopback (graph.store.backend.Backend; marker ``server``).

What a user of either backend relies on: a new version of a file replaces its old graph,
a removed document leaves nothing behind, a reader sees only whole documents (also while a
writer loads), the derived graph is there and equals a recomputation after an ingest, and
every bundled query answers on the seeds + examples store as saved in
tests/data/query-answers/seeds.json (tests/query_answers.py's normaliser), alike on both.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import query_answers as qa
from oxigraph_server import start_server, stop

from kommunegraf import queries
from kommunegraf.graph.analysis import threads
from kommunegraf.graph.ingest.run import SUFFIXES, PlainReporter, Summary, ingest
from kommunegraf.graph.store.backend import Backend
from kommunegraf.graph.store.local import IRI, open_store
from kommunegraf.graph.store.remote import open_remote

pytestmark = pytest.mark.server

KINDS = ["local", "remote"]
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


class Place:
    """Where one backend keeps a store: a folder, or a server started over a folder."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        if kind == "remote":
            self.process, self.url = start_server(folder)

    def option(self) -> list[str]:
        """The CLI's global option naming this store."""
        return ["--endpoint", self.url] if self.url else ["--store", str(self.folder)]

    def open(self, *, write: bool) -> contextlib.AbstractContextManager[Backend]:
        if self.url:
            return open_remote(self.url, write=write, env={})
        return open_store(self.folder, write=write)

    def close(self) -> None:
        if self.process is not None:
            stop(self.process)


@contextlib.contextmanager
def place(kind: str, folder: Path) -> Iterator[Place]:
    where = Place(kind, folder)
    try:
        yield where
    finally:
        where.close()


def quiet(store: Backend, paths: list[Path], **options: Any) -> Summary:
    summary = ingest(paths, store, reporter=PlainReporter(lambda _line: None), **options)
    assert not summary.failed, summary.error_lines
    return summary


@pytest.fixture(params=KINDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """An empty store of each kind."""
    with place(request.param, tmp_path / "db") as where:
        yield where


@pytest.fixture(scope="module")
def seeds(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Place]]:
    """The seeds with examples/ in a store of each kind, ingested the same way."""
    inputs = qa.seeds_inputs(shared_dir)
    with contextlib.ExitStack() as stack:
        places = {}
        for kind in KINDS:
            where = stack.enter_context(place(kind, tmp_path_factory.mktemp(f"seeds-{kind}")))
            with where.open(write=True) as store:
                quiet(store, inputs, jobs=2)
            places[kind] = where
        yield places


def shows(store: Backend, graph: str) -> bool:
    """Whether a query over the store's default graph sees anything stated of ``graph``
    (the mapping states the source document's sha256 and file name on its graph's IRI)."""
    return store.ask("ASK { ?g ?p ?o }", {"g": IRI(graph)})


# --- replacing and removing documents ------------------------------------------------------


def test_a_new_version_of_a_file_replaces_its_old_graph(
    fresh: Place, seed_paths: list[Path], tmp_path: Path
) -> None:
    copy = tmp_path / "minutes" / "referat.txt"
    copy.parent.mkdir()
    text = seed_paths[0].read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    with fresh.open(write=True) as store:
        quiet(store, [copy], jobs=1)
        (first,) = store.documents()
        assert store.graph_of_path(copy) == first and shows(store, first)
        quads = store.quad_count()
        assert quiet(store, [copy], jobs=1).superseded == 0  # the same file again: no change
        assert store.quad_count() == quads and store.documents() == {first}

        copy.write_text(text + "\nEt tillæg (OPDIGTET).\n", encoding="utf-8")
        assert quiet(store, [copy], jobs=1).superseded == 1
    with fresh.open(write=False) as store:
        (second,) = store.documents()
        assert second != first and store.graph_of_path(copy) == second
        assert first not in store.named_graphs() and store.quad_count(first) == 0
        assert not shows(store, first) and shows(store, second)
        assert store.sources() == {second: ["referat.txt"]}


def test_an_unchanged_file_is_not_read_again(
    fresh: Place, seed_paths: list[Path], tmp_path: Path
) -> None:
    """The log keeps each path's stamp with its document: the same file again is counted as
    unchanged, an edited or moved one is read, a removed document's files are read again."""
    folder = tmp_path / "minutes"
    folder.mkdir()
    first, second = folder / "a.txt", folder / "b.txt"
    first.write_bytes(seed_paths[0].read_bytes())
    second.write_bytes(seed_paths[1].read_bytes())
    with fresh.open(write=True) as store:
        assert quiet(store, [folder], jobs=1).documents == 2
        quads = store.quad_count()
        again = quiet(store, [folder], jobs=1)
        assert (again.unchanged, again.documents, again.files) == (2, 0, 2)
        assert store.quad_count() == quads

        second.write_bytes(second.read_bytes() + "\nEt tillæg (OPDIGTET).\n".encode())
        edited = quiet(store, [folder], jobs=1)
        assert (edited.unchanged, edited.documents, edited.superseded) == (1, 1, 1)

        moved = folder / "flyttet.txt"
        first.rename(moved)
        after_move = quiet(store, [folder], jobs=1)
        assert (after_move.unchanged, after_move.documents) == (1, 1)  # b unchanged, a read
        assert store.graph_of_path(moved) is not None
        assert quiet(store, [folder], jobs=1).unchanged == 2

        store.drop_documents([store.graph_of_path(moved)])  # type: ignore[list-item]
        back = quiet(store, [folder], jobs=1)
        assert (back.unchanged, back.documents) == (1, 1)
        assert len(store.documents()) == 2


def test_a_removed_document_leaves_nothing_behind(fresh: Place, seed_paths: list[Path]) -> None:
    with fresh.open(write=True) as store:
        quiet(store, seed_paths[:2], jobs=1)
        gone, kept = (store.graph_of_path(p) for p in seed_paths[:2])
        assert gone and kept and store.documents() == {gone, kept}
        reference = store.quad_count(store.reference_graph)
        store.drop_documents([gone])
    with fresh.open(write=False) as store:
        assert store.documents() == {kept}
        assert gone not in store.named_graphs() and store.quad_count(gone) == 0
        assert store.graph_of_path(seed_paths[0]) is None
        assert not shows(store, gone) and shows(store, kept)
        assert store.quad_count(store.reference_graph) == reference > 0


# --- readers see whole documents --------------------------------------------------------------


# "ingest: 8/10 files, 4 documents loaded, 0 errors": a batch reported loaded (PlainReporter)
LOADED_LINE = re.compile(r"^ingest: \d+/\d+ files, (\d+) documents? loaded")


def test_readers_see_only_whole_documents_while_a_writer_loads(
    fresh: Place, seed_paths: list[Path]
) -> None:
    """A writer loads a few documents per batch; every reader opened meanwhile lists only
    documents whose graphs already hold every quad they hold once the writer is done, and
    at least those the writer had reported loaded before the reader opened."""
    with fresh.open(write=True) as store:
        store.load_reference()  # a server holds kommunegraf data before the first reader
    paths = [*seed_paths, qa.EXAMPLES]
    args = ["ingest", "--jobs", "1", "--batch-quads", "1", *map(str, paths)]
    writer = subprocess.Popen(
        [sys.executable, "-m", "kommunegraf", *fresh.option(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported = [0]  # documents the writer has said are loaded, as it says so
    lines: list[str] = []

    def listen() -> None:
        assert writer.stderr is not None
        for line in writer.stderr:
            lines.append(line)
            if found := LOADED_LINE.match(line):
                reported.append(int(found[1]))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    seen: list[tuple[int, dict[str, int]]] = []
    try:
        while writer.poll() is None:
            floor = reported[-1]
            with fresh.open(write=False) as reader:
                seen.append((floor, {g: reader.quad_count(g) for g in reader.documents()}))
    finally:
        writer.wait(timeout=600)
        listener.join(timeout=60)
    assert writer.returncode == 0, "".join(lines)
    examples = [p for p in qa.EXAMPLES.iterdir() if p.suffix in SUFFIXES]  # (not README.md)
    assert reported[-1] == len(seed_paths) + len(examples)
    with fresh.open(write=False) as reader:
        final = {g: reader.quad_count(g) for g in reader.documents()}
    assert len(final) == reported[-1] and all(final.values())
    for floor, view in seen:
        assert set(view) <= set(final) and len(view) >= floor
        assert {g: final[g] for g in view} == view  # each listed document already whole
    assert seen


# --- the derived graph -------------------------------------------------------------------------


def canonical(ntriples: bytes | str) -> set[Any]:
    """Parsed triples, with each double as its value (written "7e-06", printed "0.000007")."""

    def term(node: Any) -> Any:
        if isinstance(node, ox.Literal) and node.datatype.value == XSD_DOUBLE:
            return ("double", float(node.value))
        return node

    data = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
    return {
        (t.subject, t.predicate, term(t.object))
        for t in (q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    }


def stored_derived(store: Backend) -> set[Any]:
    return canonical(store.graph_ntriples(store.derived_graph))


@pytest.mark.parametrize("kind", KINDS)
def test_the_derived_graph_is_there_and_equals_a_recomputation(
    seeds: dict[str, Place], kind: str
) -> None:
    with seeds[kind].open(write=False) as store:
        assert store.is_complete(store.derived_graph)
        stored = stored_derived(store)
        recomputed = canonical("".join(f"{line}\n" for line in threads.derived_lines(
            threads.compute(store)  # type: ignore[arg-type]
        )))  # fmt: skip
        assert stored and stored == recomputed
        assert threads.threads_over(store) == len(store.documents())  # type: ignore[arg-type]


# --- every bundled query ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def answers(seeds: dict[str, Place]) -> dict[str, dict[str, Any]]:
    found = {}
    for kind, where in seeds.items():
        with where.open(write=False) as store:
            found[kind] = qa.query_answers(store)  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_bundled_query_answers_as_saved(
    answers: dict[str, dict[str, Any]], kind: str
) -> None:
    qa.assert_same("seeds", answers[kind])


def test_both_backends_answer_alike(
    seeds: dict[str, Place], answers: dict[str, dict[str, Any]]
) -> None:
    assert not qa.compare(answers["local"], answers["remote"])
    assert len(answers["local"]) >= len(queries.names())
    graphs: list[set[Any]] = []
    for where in seeds.values():
        with where.open(write=False) as store:
            graphs.append(stored_derived(store))
            documents = store.documents()
        assert len(documents) >= 4
    assert graphs[0] == graphs[1]
