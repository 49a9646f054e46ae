"""graph.store.local: replacing document graphs, completion markers, locking, bound queries.

The documents here are small invented N-Quads (the store's contract is "N-Quads text, all
in the document's graph"); the ingest tests run the real extraction and mapping.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import kommunegraf.graph.store.local as store_module
import kommunegraf.graph.store.local.derived as derived_module
import kommunegraf.graph.store.local.locks as locks_module
import kommunegraf.graph.store.local.snapshots as snapshots_module
from kommunegraf.graph.store.local import (
    IRI,
    DocumentLoad,
    QueryError,
    StoreBusy,
    StoreError,
    StoreMissing,
    open_store,
)

BASE = "https://example.org/kg/"
KG = "https://w3id.org/kommunegraf/ontology#"
ROOT = Path(__file__).resolve().parent.parent
TITLE = "<http://purl.org/dc/terms/title>"


def document(text: str, path: str, *, items: int = 3) -> DocumentLoad:
    """An invented minutes document: its graph holds a meeting and ``items`` agenda items."""
    sha = hashlib.sha256(text.encode()).hexdigest()
    graph = f"{BASE}id/kilde/{sha[:16]}"
    meeting = f"{BASE}id/hedeby/udvalg/teknik-og-miljoeudvalget/moede/2021-03-0{len(text) % 9 + 1}"
    lines = [
        f'<{graph}> <{KG}sha256> "{sha}" <{graph}> .',
        f'<{graph}> <{KG}path> "{Path(path).name}" <{graph}> .',
        f"<{meeting}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Meeting> <{graph}> .",
    ]
    for n in range(1, items + 1):
        item = f"{meeting}/punkt/{n}"
        lines.append(f"<{item}> <{KG}meeting> <{meeting}> <{graph}> .")
        lines.append(f'<{item}> <http://purl.org/dc/terms/title> "{text} punkt {n}" <{graph}> .')
    return DocumentLoad(graph, "\n".join(lines) + "\n", sha, (path,))


def quads_of(store, graph: str) -> set[bytes]:  # type: ignore[no-untyped-def]
    return set(store.graph_ntriples(graph).splitlines())


def test_replace_is_idempotent_and_documents_are_tracked(tmp_path: Path) -> None:
    a = document("Budgetopfølgning", "/minutes/a.txt")
    b = document("Vejvedligehold", "/minutes/b.txt", items=5)
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a, b])
        first = store.quad_count()
        assert store.documents() == {a.graph, b.graph}
        assert store.quad_count(a.graph) == 3 + 2 * 3
        assert store.quad_count(b.graph) == 3 + 2 * 5
        store.replace_documents([a])  # the same document again
        assert store.quad_count() == first
        assert store.sources() == {a.graph: ["a.txt"], b.graph: ["b.txt"]}
        assert store.graph_of_path("/minutes/b.txt") == b.graph
        log = store.graph_ntriples(store.log_graph).decode()
        assert "/minutes/" not in log  # local paths never reach what a query can see


@pytest.mark.parametrize(
    "reshape",
    [
        lambda text: text.replace("\n", "\r\n"),  # Windows line ends
        lambda text: text.replace("> .\n", ">  .\n"),  # two blanks before the dot
        lambda text: text.rstrip("\n"),  # no line feed after the last quad
    ],
)
def test_document_lines_not_shaped_as_the_mapping_prints_them_are_refused(
    tmp_path: Path, reshape: Callable[[str], str]
) -> None:
    """Each line's triple goes into the merged default graph by dropping the graph from its
    end; a line shaped otherwise would be missing there, so the batch is refused whole."""
    good = document("Affaldsplan", "/minutes/good.txt")
    odd = document("Vandplan", "/minutes/odd.txt")
    odd = DocumentLoad(odd.graph, reshape(odd.nquads or ""), odd.sha256, odd.paths)
    with open_store(tmp_path, write=True, base=BASE) as store:
        with pytest.raises(ValueError, match=odd.graph):
            store.replace_documents([good, odd])
        assert store.documents() == set()  # nothing of the batch is written
        assert not store.ask(f"ASK {{ GRAPH <{good.graph}> {{ ?s ?p ?o }} }}")


def test_edited_file_replaces_only_its_own_graph(tmp_path: Path) -> None:
    a = document("Lokalplan 1042", "/minutes/a.txt")
    b = document("Skolestruktur", "/minutes/b.txt")
    edited = document("Lokalplan 1042 (rettet)", "/minutes/a.txt", items=4)
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a, b])
        before_b = quads_of(store, b.graph)
        dropped = store.replace_documents([edited])
        assert dropped == [a.graph]
        assert store.documents() == {edited.graph, b.graph}
        assert store.quad_count(a.graph) == 0
        assert quads_of(store, b.graph) == before_b
        assert store.graph_of_path("/minutes/a.txt") == edited.graph


def test_a_graph_shared_by_two_paths_survives_one_path_changing(tmp_path: Path) -> None:
    a = document("Takstblad", "/x/a.txt")
    same_as_a = DocumentLoad(a.graph, a.nquads, a.sha256, ("/x/kopi.txt",))
    changed = document("Takstblad 2", "/x/kopi.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a, same_as_a])
        assert store.graph_of_path("/x/a.txt") == store.graph_of_path("/x/kopi.txt") == a.graph
        assert store.replace_documents([changed]) == []  # a.txt still yields a's graph
        assert store.documents() == {a.graph, changed.graph}


def test_a_graph_without_completion_marker_is_dropped_on_next_writer_open(
    tmp_path: Path,
) -> None:
    """Die between the bulk load and the marker transaction: the next writer drops it."""
    kept = document("Affaldsplan", "/m/kept.txt")
    lost = document("Havneudvidelse", "/m/lost.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([kept])
        inner = store._books  # the markers are written to the bookkeeping store

        def update(sparql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
            if "INSERT DATA" in sparql:  # the completion marker: never written
                raise Killed
            return box["inner"].update(sparql, *args, **kwargs)

        box = {"inner": inner}
        store._books = _Proxy(inner, update=update)
        with pytest.raises(Killed):
            store.replace_documents([lost])
        store._books = inner
        box.clear()
        del inner, update  # the store closes when its last reference goes
        assert store.quad_count(lost.graph) > 0  # half-done: loaded but unmarked
    with open_store(tmp_path, write=False, base=BASE) as reader:
        # a reader never sees the unmarked graph, even before a writer recovers
        assert reader.documents() == {kept.graph}
        assert not reader.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": IRI(lost.graph)})
        assert reader.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": IRI(kept.graph)})
    with open_store(tmp_path, write=True, base=BASE) as store:
        assert store.documents() == {kept.graph}
        assert store.quad_count(lost.graph) == 0
        titles = [r["t"] for r in store.select(f"SELECT ?t WHERE {{ ?i {TITLE} ?t }}")]
        assert sorted(titles) == [f"Affaldsplan punkt {n}" for n in (1, 2, 3)]  # merged graph too
        assert lost.graph not in store.named_graphs()


def test_readers_trust_only_a_writer_that_closed_with_every_graph_complete(
    tmp_path: Path,
) -> None:
    """The closedComplete flag spares readers the completeness check; a writer that dies
    (here: an exception out of the session) after loading a graph unmarked leaves no flag,
    even where the writer before it had set one, so the reader still hides that graph."""
    kept = document("Affaldsplan", "/m/kept.txt")
    lost = document("Havneudvidelse", "/m/lost.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([kept])
    with open_store(tmp_path, write=False, base=BASE) as reader:
        assert reader._closed_complete()
    with pytest.raises(Killed), open_store(tmp_path, write=True, base=BASE) as store:
        assert not store._closed_complete()  # gone before anything changes
        store._store.bulk_load(
            lost.nquads.encode(), format=ox.RdfFormat.N_QUADS
        )  # loaded, never marked
        raise Killed
    with open_store(tmp_path, write=False, base=BASE) as reader:
        assert reader.documents() == {kept.graph}
        assert not reader.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": IRI(lost.graph)})


class Killed(Exception):
    """Stands for the process dying."""


class _Proxy:
    """Wraps a pyoxigraph store, overriding some methods."""

    def __init__(self, inner, **overrides):  # type: ignore[no-untyped-def]
        self._inner, self._overrides = inner, overrides

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return self._overrides.get(name) or getattr(self._inner, name)


PERSON = f"{BASE}id/hedeby/person/anna-fiktiv"
NAME = "<http://xmlns.com/foaf/0.1/name>"


def mentioning(text: str, path: str) -> DocumentLoad:
    """A document whose item mentions an invented person, whose name it states (a shared
    description: every document mentioning her states it alike)."""
    doc = document(text, path, items=1)
    item = f"{BASE}id/hedeby/udvalg/teknik-og-miljoeudvalget/moede/2021-03-0{len(text) % 9 + 1}"
    lines = [
        f"<{item}/punkt/1> <{KG}mentions> <{PERSON}> <{doc.graph}> .",
        f'<{PERSON}> {NAME} "Anna Fiktiv" <{doc.graph}> .',
    ]
    return DocumentLoad(
        doc.graph, (doc.nquads or "") + "\n".join(lines) + "\n", doc.sha256, doc.paths
    )


def test_queries_see_a_description_stated_by_many_documents_once(tmp_path: Path) -> None:
    """A shared description is stored once however many documents state it: the union of
    the graphs has no row per stating document, and no triple is in two graphs."""
    docs = [mentioning("Møde" + "r" * n, f"/m/{n}.txt") for n in range(3)]  # three meetings
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents(docs)
        query = f"SELECT ?n WHERE {{ ?p {NAME} ?n }}"
        assert len(list(store.select(query))) == 1
        count = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH ?g {{ <{PERSON}> {NAME} ?n }} }}"
        assert next(iter(store.select(count)))["c"] == 1
        triples = [q.triple for q in store._store.quads_for_pattern(None, None, None, None)]
        assert len(triples) == len(set(triples))  # the union is a set
        store.drop_documents([docs[0].graph, docs[1].graph])
        assert len(list(store.select(query))) == 1  # still mentioned by the third
        assert store.collect() == 0  # so nothing to collect
        store.drop_documents([docs[2].graph])
        assert store.collect() == 1  # mentioned by none: its name goes
        assert list(store.select(query)) == []
        assert list(store.select(f"SELECT ?s WHERE {{ ?s <{KG}ingestComplete> ?x }}")) == []


def test_a_dropped_document_takes_its_own_triples_and_leaves_the_shared_ones(
    tmp_path: Path,
) -> None:
    gone, kept = mentioning("Havn", "/m/havn.txt"), mentioning("Skole", "/m/skole.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([gone, kept])
        store.drop_documents([gone.graph])
        assert not store.ask(f'ASK {{ ?i {TITLE} "Havn punkt 1" }}')
        assert store.ask(f'ASK {{ ?i {TITLE} "Skole punkt 1" }}')
        assert store.ask(f'ASK {{ <{PERSON}> {NAME} "Anna Fiktiv" }}')
        assert store.documents() == {kept.graph}


def test_a_triple_the_ingest_log_also_holds_leaves_the_merged_graph_with_its_document(
    tmp_path: Path,
) -> None:
    plain = document("Logbog", "/m/log.txt")
    echo = f'<{plain.graph}> <{KG}ingestRun> "r1" <{plain.graph}> .\n'  # as the log states it
    doc = DocumentLoad(plain.graph, (plain.nquads or "") + echo, plain.sha256, plain.paths)
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([doc], run="r1")
        assert store.ask(f'ASK {{ <{doc.graph}> <{KG}ingestRun> "r1" }}')  # merged graph
        store.drop_documents([doc.graph])
        assert not store.ask(f'ASK {{ <{doc.graph}> <{KG}ingestRun> "r1" }}')


def test_dropping_many_graphs_is_one_operation_each_of_constant_size(tmp_path: Path) -> None:
    """The retraction of n graphs grows with n, not n² (a killed batch of thousands of small
    documents must not make the next writer's recovery an update of gigabytes)."""
    docs = [document(f"Lille sag {n}", f"/m/{n}.txt", items=1) for n in range(300)]
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents(docs)
        ops = store._retract_ops([ox.NamedNode(d.graph) for d in docs])
        assert len(ops) == len(docs)  # one DROP each: no triple has a second copy
        assert max(len(op) for op in ops) < 400
        store.drop_documents(d.graph for d in docs)
        assert store.documents() == set()


def test_bindings_are_terms_never_text(tmp_path: Path) -> None:
    a = document("Vandløb", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])
        title = "Vandløb punkt 2"
        rows = list(
            store.select(
                "SELECT ?item ?title WHERE { ?item <http://purl.org/dc/terms/title> ?title }",
                {"title": title},
            )
        )
        assert [r["title"] for r in rows] == [title]
        assert isinstance(rows[0]["item"], IRI) and rows[0]["item"].endswith("/punkt/2")
        hostile = 'x" } } ; DROP ALL ; SELECT * { ?a ?b "'
        assert (
            list(
                store.select(
                    "SELECT ?t WHERE { ?i <http://purl.org/dc/terms/title> ?t }", {"t": hostile}
                )
            )
            == []
        )
        assert store.quad_count(a.graph) > 0
        counted = store.select(
            f"SELECT ?m (COUNT(?i) AS ?n) WHERE {{ ?i <{KG}meeting> ?m }} GROUP BY ?m"
        )
        assert [r["n"] for r in counted] == [3]  # an integer, not its lexical form
        with pytest.raises(QueryError, match="SELECT"):
            store.select("SELECT ?i WHERE { ?i ?p ?o FILTER(?o = ?v) }", {"v": "x"})
        with pytest.raises(QueryError, match="syntax"):
            store.select("SELEC nothing")


def test_second_writer_gets_a_clear_in_use_error(tmp_path: Path) -> None:
    with (
        open_store(tmp_path, write=True, base=BASE),
        pytest.raises(StoreBusy) as busy,
        open_store(tmp_path, write=True, base=BASE),
    ):
        pass
    message = str(busy.value)
    assert (
        f"store {tmp_path} is in use by another kommunegraf process (pid {os.getpid()})" in message
    )
    assert "--store" in message
    with open_store(tmp_path, write=True, base=BASE):  # released on exit
        pass


def test_reader_beside_a_writer_in_another_process_sees_a_snapshot(tmp_path: Path) -> None:
    a = document("Klimaplan", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])
    script = textwrap.dedent(
        f"""
        import sys, time
        from kommunegraf.graph.store.local import open_store
        with open_store({str(tmp_path)!r}, write=True, base={BASE!r}) as store:
            print("writing", flush=True)
            sys.stdin.readline()
        """
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        with open_store(tmp_path, write=False, base=BASE) as reader:
            assert reader.documents() == {a.graph}
        with (
            pytest.raises(StoreBusy, match=f"pid {writer.pid}"),
            open_store(tmp_path, write=True, base=BASE),
        ):
            pass
    finally:
        assert writer.stdin is not None
        writer.stdin.write("\n")
        writer.stdin.close()
        writer.wait(timeout=30)


def _tear(path: Path, graph: str) -> None:
    """Leave the store as a read-only view beside a writer can show it (RocksDB reads its
    file list and its log at two moments): a document's marker is there, its bulk-loaded
    triples are not."""
    raw = ox.Store(str(path))
    raw.remove_graph(ox.NamedNode(graph))
    raw.flush()
    del raw


@contextlib.contextmanager
def _earlier_writer(path: Path, *, lock_file_left: bool = False) -> Iterator[None]:
    """A writer of kommunegraf from before the step lock runs (this process): its pid alone
    in the lock file.  The step lock file is gone, or left by a later writer that ran
    before."""
    if not lock_file_left:
        (path / store_module.STEP_LOCK_FILE).unlink()
    with store_module._writer_lock(path):
        (path / store_module.LOCK_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        yield


def test_beside_a_guarded_writer_a_reader_skips_the_torn_view_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between a writer's changes the view is whole: the check (0.5 s at 10,000 documents)
    would only slow every read during an ingest."""
    a = document("Klimaplan", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])

    def torn(self):  # type: ignore[no-untyped-def]
        raise AssertionError("checked for a torn view beside a writer holding the step lock")

    monkeypatch.setattr(store_module.Store, "_torn", torn)
    with store_module._writer_lock(tmp_path), open_store(tmp_path, write=False, base=BASE) as r:
        assert r._checkpoint is not None  # beside a writer: read from a checkpoint
        assert r.documents() == {a.graph}


@pytest.mark.parametrize("lock_file_left", [False, True])
def test_a_torn_view_beside_an_unguarded_writer_is_refused_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lock_file_left: bool
) -> None:
    a, b = document("Klimaplan", "/m/a.txt"), document("Skolestruktur", "/m/b.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a, b])
    _tear(tmp_path, b.graph)
    monkeypatch.setattr(snapshots_module.time, "sleep", lambda seconds: None)
    with (
        _earlier_writer(tmp_path, lock_file_left=lock_file_left),
        pytest.raises(StoreBusy, match="no consistent snapshot could be read"),
        open_store(tmp_path, write=False, base=BASE),
    ):
        pass
    assert not list((tmp_path / store_module.SNAPSHOT_DIR).iterdir())  # checkpoints gone


def test_a_reader_beside_an_unguarded_writer_reads_again_after_a_torn_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = document("Klimaplan", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])
    torn = iter([True])  # the first view is torn, the next one whole
    monkeypatch.setattr(store_module.Store, "_torn", lambda self: next(torn, False))
    monkeypatch.setattr(snapshots_module.time, "sleep", lambda seconds: None)
    with _earlier_writer(tmp_path), open_store(tmp_path, write=False, base=BASE) as r:
        assert r.documents() == {a.graph}
        assert next(torn, None) is None  # it was asked twice


def test_beside_an_unguarded_writer_a_reader_does_not_trust_the_closed_flag(
    tmp_path: Path,
) -> None:
    """A view beside a writer that takes no step lock can miss the writer's first change
    (dropping the flag) and still hold a batch it loaded later: the reader checks every
    marker itself."""
    kept, loading = document("Affaldsplan", "/m/kept.txt"), document("Havn", "/m/havn.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([kept])
    raw = ox.Store(str(tmp_path))
    raw.bulk_load(loading.nquads.encode(), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    with _earlier_writer(tmp_path), open_store(tmp_path, write=False, base=BASE) as r:
        assert r._closed_complete()  # the flag says all is complete; it is not
        assert r.documents() == {kept.graph}
        assert not r.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": IRI(loading.graph)})


def test_a_term_missing_from_a_view_beside_a_writer_is_told_as_busy(tmp_path: Path) -> None:
    """Oxigraph reports a torn view while results are read, not when the query starts."""
    a = document("Klimaplan", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])

    class TornResults:
        variables = (ox.Variable("s"),)

        def __iter__(self):  # type: ignore[no-untyped-def]
            raise RuntimeError(
                "Not able to find the string with id StrHash { } in the string store"
            )

    with store_module._writer_lock(tmp_path), open_store(tmp_path, write=False, base=BASE) as r:
        r._store = _Proxy(r._store, query=lambda *args, **kwargs: TornResults())
        rows = r.select("SELECT ?s WHERE { ?s ?p ?o }")
        with pytest.raises(StoreBusy, match=f"changed under this read .*pid {os.getpid()}"):
            list(rows)


def _shared_lock_free(folder: Path) -> bool:
    """Whether a reader could take the step lock now (from its own open file)."""
    fd = os.open(folder / store_module.STEP_LOCK_FILE, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_writer_holds_the_step_lock_through_each_change_and_only_then(tmp_path: Path) -> None:
    seen: list[bool] = []
    with open_store(tmp_path, write=True, base=BASE) as store:
        stepped = store._store
        inner = stepped._inner

        def update(sparql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(_shared_lock_free(tmp_path))
            return inner.update(sparql, *args, **kwargs)

        def bulk_load(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(_shared_lock_free(tmp_path))
            return inner.bulk_load(*args, **kwargs)

        stepped._inner = _Proxy(inner, update=update, bulk_load=bulk_load)
        store.replace_documents([document("Klimaplan", "/m/a.txt")])
        stepped._inner = inner
        assert _shared_lock_free(tmp_path)  # between changes a reader may open
    assert seen and not any(seen)  # every update and bulk load ran under the lock


def test_changes_from_two_threads_of_the_writer_take_turns(tmp_path: Path) -> None:
    """The step lock is held per open file, not per thread: without turns, one thread's
    change would let readers in while the other's is under way."""
    running, most = [0], [0]
    with open_store(tmp_path, write=True, base=BASE) as store:
        stepped = store._store
        inner = stepped._inner

        def bulk_load(*args, **kwargs):  # type: ignore[no-untyped-def]
            running[0] += 1
            most[0] = max(most[0], running[0])
            time.sleep(0.02)
            try:
                return inner.bulk_load(*args, **kwargs)
            finally:
                running[0] -= 1

        stepped._inner = _Proxy(inner, bulk_load=bulk_load)
        workers = [
            threading.Thread(
                target=store.replace_documents, args=([document(f"Sag {n}", f"/m/{n}.txt")],)
            )
            for n in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stepped._inner = inner
        assert len(store.documents()) == 4
    assert most[0] == 1


def test_a_reader_waits_for_the_change_under_way(tmp_path: Path) -> None:
    a = document("Klimaplan", "/m/a.txt")
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([a])
    fd = os.open(tmp_path / store_module.STEP_LOCK_FILE, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a writer in the middle of a change
    released = threading.Timer(0.5, fcntl.flock, (fd, fcntl.LOCK_UN))
    released.start()
    try:
        started = time.monotonic()
        with open_store(tmp_path, write=False, base=BASE) as reader:
            assert time.monotonic() - started >= 0.4
            assert reader.documents() == {a.graph}
    finally:
        released.join()
        os.close(fd)


def test_a_reader_gives_up_on_a_change_that_does_not_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([document("Klimaplan", "/m/a.txt")])
    monkeypatch.setattr(locks_module, "STEP_WAIT", 0.2)
    fd = os.open(tmp_path / store_module.STEP_LOCK_FILE, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with (
            pytest.raises(StoreBusy, match=r"has been changing it for over 0\.2 s"),
            open_store(tmp_path, write=False, base=BASE),
        ):
            pass
    finally:
        os.close(fd)


def test_a_writer_waiting_for_its_next_change_goes_before_readers_that_come_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flock lets shared holders overtake a waiting exclusive one: without the gate, a
    stream of readers could keep a writer out for ever."""
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([document("Klimaplan", "/m/a.txt")])
        first_reader_in, let_go = threading.Event(), threading.Event()

        def first_reader() -> None:  # holds its shared lock until told
            with store_module._between_steps(tmp_path):
                first_reader_in.set()
                let_go.wait(10)

        reader = threading.Thread(target=first_reader)
        reader.start()
        assert first_reader_in.wait(10)
        writer = threading.Thread(
            target=store.replace_documents, args=([document("Havn", "/m/b.txt")],)
        )
        writer.start()  # waits for the first reader, holding the gate
        time.sleep(0.2)
        monkeypatch.setattr(locks_module, "STEP_WAIT", 0.3)
        with pytest.raises(StoreBusy), store_module._between_steps(tmp_path):
            pass  # a later reader does not overtake the waiting writer
        let_go.set()
        reader.join()
        writer.join()
        assert len(store.documents()) == 2
        with store_module._between_steps(tmp_path) as guarded:  # between changes: at once
            assert guarded


def test_a_query_that_fails_for_its_own_reasons_beside_a_writer_is_not_called_busy(
    tmp_path: Path,
) -> None:
    """A SERVICE that does not answer raises an OSError too; waiting for the ingest would
    not help, so it is said as the query's error."""
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_documents([document("Klimaplan", "/m/a.txt")])
    closed = "http://127.0.0.1:9/sparql"  # the discard port: nothing listens
    with store_module._writer_lock(tmp_path), open_store(tmp_path, write=False, base=BASE) as r:
        with pytest.raises(QueryError) as failed:
            list(r.select(f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}"))
        assert not isinstance(failed.value, StoreBusy)
        with pytest.raises(QueryError) as failed:
            r.query_serialized(f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}")
        assert not isinstance(failed.value, StoreBusy)


def test_a_change_made_inside_a_change_does_not_wait_for_itself(tmp_path: Path) -> None:
    with open_store(tmp_path, write=True, base=BASE) as store:
        stepped = store._store

        def quads() -> Iterator[object]:  # reading it changes the store too
            p = ox.NamedNode(f"{BASE}p")
            stepped.add(ox.Quad(ox.NamedNode(f"{BASE}a"), p, ox.Literal("1")))
            yield ox.Quad(ox.NamedNode(f"{BASE}b"), p, ox.Literal("2"))

        done = threading.Thread(target=stepped.extend, args=(quads(),), daemon=True)
        done.start()
        done.join(10)
        assert not done.is_alive(), "a nested change waited for its own lock"
        found = stepped.quads_for_pattern(None, ox.NamedNode(f"{BASE}p"), None, None)
        assert len(list(found)) == 2


def test_a_change_that_fails_leaves_the_store_free_to_open_again(tmp_path: Path) -> None:
    with (
        pytest.raises(SyntaxError) as failed,
        open_store(tmp_path, write=True, base=BASE) as store,
    ):
        store._store.update("INSERT DATA { <a:b> <a:c> }")  # not SPARQL: fails in the change
    assert failed.traceback  # kept, as while the error is being handled
    with open_store(tmp_path, write=True, base=BASE) as store:  # the handle was let go
        assert store.documents() == set()


def test_import_changes_the_store_in_one_step(tmp_path: Path) -> None:
    """One flush for the whole import, not one per graph (8 ms each)."""
    docs = [document(f"Sag {n}", f"/m/{n}.txt") for n in range(12)]
    export = tmp_path / "export.nq"
    export.write_text("".join(d.nquads for d in docs))
    flushes = [0]
    with open_store(tmp_path / "s", write=True, base=BASE) as store:
        stepped = store._store
        inner = stepped._inner

        def flush() -> None:
            flushes[0] += 1
            inner.flush()

        stepped._inner = _Proxy(inner, flush=flush)
        assert store.import_(export) == 12
        stepped._inner = inner
    assert flushes[0] <= 2  # the bulk load, then the rest in one step


def test_a_closed_writer_handle_says_so_and_touches_no_lock(tmp_path: Path) -> None:
    """Its file descriptors may belong to the next writer of this process by then."""
    with open_store(tmp_path, write=True, base=BASE) as store:
        stale = store._store
    with open_store(tmp_path, write=True, base=BASE) as store:
        store._store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(StoreError, match="closed"):
            stale.update("INSERT DATA { <urn:a> <urn:b> <urn:d> }")
        with pytest.raises(StoreError, match="closed"):
            stale.flush()
        assert _shared_lock_free(tmp_path)  # the new writer's lock is as it was: free now
        with store._store.step():
            assert not _shared_lock_free(tmp_path)
            with pytest.raises(StoreError):
                stale.update("INSERT DATA { <urn:a> <urn:b> <urn:e> }")
            assert not _shared_lock_free(tmp_path)  # and still held


def test_steps_left_out_of_order_do_not_leave_changes_unlocked(tmp_path: Path) -> None:
    """A step held open across a yield and closed late (or in another order) must not make
    the thread's later changes look nested."""
    with open_store(tmp_path, write=True, base=BASE) as store:
        stepped = store._store

        def holding() -> Iterator[None]:
            with stepped.step():
                yield

        first, second = holding(), holding()
        next(first)
        next(second)  # nested in the first
        first.close()  # the outer one ends first
        second.close()
        seen: list[bool] = []
        inner = stepped._inner

        def add(quad):  # type: ignore[no-untyped-def]
            seen.append(_shared_lock_free(tmp_path))
            return inner.add(quad)

        stepped._inner = _Proxy(inner, add=add)
        stepped.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
        stepped._inner = inner
    assert seen == [False]  # the change ran under the lock


@pytest.mark.parametrize(
    ("message", "fault"),
    [
        ("Corruption: block checksum mismatch: stored = 1, computed = 2 in 000123.sst", True),
        ("IO error: No such file or directory: While open a file: /s/000123.sst", True),
        ("Not able to find the string with id StrHash { } in the string store", True),
        ("the term buffer has an invalid type id", True),
        (
            "Error 500 Internal Server Error returned by http://h/sparql with payload:\n"
            "IO error: No such file or directory: /srv/x.sst",
            False,
        ),
        ("Connection refused (os error 111)", False),
        ("failed to lookup address information: Name or service not known", False),
    ],
)
def test_store_faults_are_told_from_the_query_s_own_failures(message: str, fault: bool) -> None:
    assert store_module._store_fault(RuntimeError(message)) is fault
    assert store_module._store_fault(OSError(message)) is fault


def test_reading_a_missing_store_says_so(tmp_path: Path) -> None:
    with (
        pytest.raises(StoreMissing, match="no store at"),
        open_store(tmp_path / "nowhere", write=False),
    ):
        pass


def test_reference_data_loads_once_per_version(tmp_path: Path) -> None:
    ttl = tmp_path / "parties.ttl"
    ttl.write_text(
        f'<{BASE}id/parti/x> <http://www.w3.org/2000/01/rdf-schema#label> "Xparti" .\n',
        encoding="utf-8",
    )
    with open_store(tmp_path / "s", write=True, base=BASE) as store:
        assert store.load_reference([ttl]) is True
        assert store.load_reference([ttl]) is False  # unchanged: skipped
        ttl.write_text(
            f'<{BASE}id/parti/y> <http://www.w3.org/2000/01/rdf-schema#label> "Ypartiet" .\n',
            encoding="utf-8",
        )
        assert store.load_reference([ttl]) is True
        label = "<http://www.w3.org/2000/01/rdf-schema#label>"
        labels = [r["l"] for r in store.select(f"SELECT ?l WHERE {{ ?p {label} ?l }}")]
        assert labels == ["Ypartiet"]
        assert store.documents() == set()  # reference data is not a document


def test_blank_node_triple_pattern() -> None:
    assert store_module.BLANK_NODE_TRIPLE.match("_:b0 <https://e.org/p> <https://e.org/o> .")
    assert store_module.BLANK_NODE_TRIPLE.match("<https://e.org/s> <https://e.org/p> _:x1 .")
    # "_:" inside a literal is text, not a blank node
    assert not store_module.BLANK_NODE_TRIPLE.match(
        '<https://e.org/s> <https://e.org/p> "a> _:b" .'
    )


def test_derived_lines_with_a_blank_node_are_refused(tmp_path: Path) -> None:
    line = "<https://e.org/s> <https://e.org/p> _:b ."
    with open_store(tmp_path, write=True, base=BASE) as store, pytest.raises(ValueError):
        store.replace_graph(store.derived_graph, [line])


def test_the_derived_update_deletes_and_loads_only_what_changed(
    tmp_path: Path, spy_writes: Callable[[object], list[tuple[str, str]]]
) -> None:
    """Lines are told apart by keys (graph.store.local._line_key); unchanged ones are neither
    deleted nor written again, and a triple printed another way is swapped — all in one
    update, so that a reader sees the old graph or the new one (and a kill leaves the old)."""
    ex = "https://example.org/"
    first = [f'<{ex}t{i}> <{ex}count> "{i}" .' for i in range(5)]
    second = [f'<{ex}t{i}> <{ex}count> "{i}" .' for i in range(3, 8)]
    double = f'<{ex}t9> <{ex}share> "0.0"^^<http://www.w3.org/2001/XMLSchema#double> .'
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_graph(store.derived_graph, [*first, double])
        written = spy_writes(store)
        assert store.replace_graph(store.derived_graph, [*second, double]) == 6
        assert [name for name, _ in written] == ["update"]  # one transaction
        ops = written[0][1].split(" ;\n")
        deleted = " ".join(op for op in ops if op.startswith("DELETE DATA"))
        loaded = " ".join(op for op in ops if op.startswith("INSERT DATA"))
        for i in range(8):
            line = f"<{ex}t{i}> "
            assert (line in deleted) == (i < 3), i  # t0-t2 went away
            assert (line in loaded) == (i > 4), i  # t5-t7 are new; t3, t4 stay as they are
        # stored as "0", given as "0.0": the stored line goes, the given one comes
        assert f'<{ex}t9> <{ex}share> "0"' in deleted and '"0.0"' in loaded


@pytest.mark.parametrize("load_slice", [2, 50_000])
def test_the_derived_graph_is_updated_by_its_difference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load_slice: int
) -> None:
    """Only changed derived triples are written, yet the result equals a fresh replace:
    the named graph and a marker for the new text.
    Loaded in slices or at once, the same."""
    monkeypatch.setattr(derived_module, "DERIVED_LOAD_SLICE", load_slice)
    ex = "https://example.org/"
    first = "".join(f'<{ex}t{i}> <{ex}count> "{i}" .\n' for i in range(5))
    second = "".join(f'<{ex}t{i}> <{ex}count> "{i}" .\n' for i in range(3, 8))
    # "0.0" is stored as "0" (one xsd:double printed two ways): given again, it must stay
    double = f'<{ex}t0> <{ex}share> "0.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
    first, second = first + double, second + double
    with open_store(tmp_path, write=True, base=BASE) as store:
        store.replace_graph(store.derived_graph, first)
        store.replace_graph(store.derived_graph, second)
        stored = set(store.graph_ntriples(store.derived_graph).decode().splitlines())
        assert stored == set(second.replace('"0.0"', '"0"').splitlines())
        assert store.ask(f"ASK {{ <{ex}t0> <{ex}share> ?v }}")  # in the union too
        merged = store.select(f"SELECT ?s WHERE {{ ?s <{ex}count> ?n }}")
        assert sorted(str(r["s"]) for r in merged) == [f"{ex}t{i}" for i in range(3, 8)]
        marker = hashlib.sha256(second.encode()).hexdigest()
        assert store.markers()[store.derived_graph] == marker
        store.replace_graph(store.derived_graph, "")
        assert store.graph_ntriples(store.derived_graph) == b""
        assert not store.ask(f"ASK {{ ?s <{ex}count> ?n }}")
