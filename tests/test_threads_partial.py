"""Updating only the case threads of the municipalities a run touched (graph/analysis/threads.py
``update_threads``, chosen by graph/ingest/run.py ``partial_threads``).

A daily ingest of a few documents into a national store must not recompute the whole
derived graph; what it recomputes must be exactly what a whole recomputation gives for
those threads.  The minutes are bench/corpus.py's generated ones (recurring cases,
references and postponements over several municipalities), none of the seeds' text.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kommunegraf.graph.analysis.derive import stored_threads_and_tallies
from kommunegraf.graph.analysis.threads import (
    Derived,
    compute,
    computed_over,
    derived_lines,
    load_items,
    municipality_items,
    threads_over,
    touched_municipalities,
)
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, Summary, ingest, partial_threads
from kommunegraf.graph.store.local import IRI, Store, StoreError, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import corpus

QUIET = PlainReporter(lambda _line: None)


def run_ingest(store: Store, folder: Path, derived: str) -> Summary:
    summary = ingest([folder], store, jobs=1, reporter=QUIET, derived=derived)
    assert not summary.failed and (summary.documents or summary.unchanged)
    return summary


def whole(store: Store) -> set[str]:
    """The derived graph a whole recomputation gives for the store as it is."""
    derived = compute(store)
    return thread_lines(derived) | global_lines(derived)


# A double as written ("7e-06") or as the store prints it ("0.000007"): the same value.
DOUBLE_RE = re.compile(r'"([^"]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#double>')


def canonical(lines: set[str]) -> set[str]:
    return {DOUBLE_RE.sub(lambda m: f'"{float(m[1])!r}"^^<double>', line) for line in lines}


def thread_lines(derived: Derived) -> set[str]:
    """The threads, the tallies (counts kept at ingest, patched with the threads of the same
    municipalities) and the count of documents the threads are up to date with."""
    part = Derived(
        derived.threads,
        [],
        [],
        tallies=derived.tallies,
        graph=derived.graph,
        threads_documents=derived.threads_documents,
    )
    return set(derived_lines(part))


def global_lines(derived: Derived) -> set[str]:
    """Cross-municipality links and centrality: what a threads-only update leaves alone."""
    kept = Derived(
        [], derived.links, derived.central, graph=derived.graph, documents=derived.documents
    )
    return canonical(set(derived_lines(kept)))


def stored_derived(store: Store) -> set[str]:
    """The derived graph as stored (doubles in one form, to compare)."""
    return canonical(stored_lines(store))


def stored_lines(store: Store) -> set[str]:
    """The derived graph's lines as the store prints them."""
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    stored = store.construct_lines(everything, {"g": IRI(store.derived_graph)})
    assert store.quad_count(store.derived_graph) == len(stored)
    return stored


def twin(folder: Path, entry: dict[str, Any]) -> None:
    """A second version of a document under another name, one item retitled: the store then
    holds two titles for that item, and threading must pick the same one either way."""
    text = (folder / entry["file"]).read_text(encoding="utf-8")
    title = entry["items"][1]["title"]
    assert title in text
    name = entry["file"].replace(".txt", "-rettet.txt")
    (folder / name).write_text(text.replace(title, title + " (revideret)"), encoding="utf-8")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One generated corpus split in time: the twelve newest minutes come later, and extend
    the threads of standing cases that the first ingest made."""
    root = tmp_path_factory.mktemp("partial")
    first, later = root / "first", root / "later"
    entries = corpus.write_corpus(first, 132, seed=11)
    newest = sorted(entries, key=lambda m: (m["date"], m["file"]))[-12:]
    later.mkdir()
    for entry in newest:
        (first / entry["file"]).rename(later / entry["file"])
    twin(first, entries[0])
    twin(later, newest[0])
    return first, later


@pytest.fixture(scope="module")
def first_store(corpora: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("partial-store") / "store"
    with open_store(folder, write=True) as store:
        run_ingest(store, corpora[0], "auto")
    return folder


@pytest.fixture
def store_copy(first_store: Path, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "store"
    shutil.copytree(first_store, folder)
    yield folder


def test_a_municipalitys_items_are_those_the_whole_read_gives(first_store: Path) -> None:
    with open_store(first_store, write=False) as store:
        everything = load_items(store)
        municipalities = {item.municipality for item in everything.values()}
        assert len(municipalities) >= 3 and None not in municipalities
        for municipality in municipalities:
            assert municipality is not None
            alone = municipality_items(store, municipality)
            assert alone and alone == {
                iri: item for iri, item in everything.items() if item.municipality == municipality
            }


# The CONSTRUCTs the patch read the stored threads and tallies with until session 14, kept
# here as the oracle of graph.analysis.derive.stored_threads_and_tallies (its index scans).
_KG = "PREFIX kg: <https://w3id.org/kommunegraf/ontology#>\n"
STORED_BY_CONSTRUCT = (
    _KG + "CONSTRUCT { ?thread ?p ?o } WHERE { GRAPH ?derived {"
    " ?thread kg:municipality ?municipality ; a kg:Thread ; ?p ?o } }",
    _KG + "CONSTRUCT { ?item ?p ?o } WHERE { GRAPH ?derived {"
    " ?thread kg:municipality ?municipality ; a kg:Thread ; kg:threadItem ?item . ?item ?p ?o } }",
    _KG + "CONSTRUCT { ?tally ?p ?o } WHERE { GRAPH ?derived {"
    " ?tally kg:municipality ?municipality ; a kg:Tally ; ?p ?o } }",
)


def test_the_stored_threads_and_tallies_are_what_the_constructs_read(first_store: Path) -> None:
    with open_store(first_store, write=False) as store:
        municipalities = sorted({i.municipality for i in load_items(store).values()})
        assert len(municipalities) >= 3
        derived = IRI(store.derived_graph)
        every: set[str] = set()
        for municipality in municipalities:
            bindings = {"municipality": IRI(municipality), "derived": derived}
            expected: set[str] = set()
            for query in STORED_BY_CONSTRUCT:
                expected |= store.construct_lines(query, bindings)
            # the oracle reads all three kinds here: threads, their items, tallies
            assert any("ontology#threadItem> " in line for line in expected)
            assert any(line.endswith("ontology#Tally> .") for line in expected)
            assert any(
                " <https://w3id.org/kommunegraf/id/" in line and "/punkt/" in line.split(" ")[0]
                for line in expected
            )
            assert stored_threads_and_tallies(store, [municipality]) == expected
            every |= expected
        assert stored_threads_and_tallies(store, municipalities) == every
        assert stored_threads_and_tallies(store, []) == set()


def test_threads_update_is_exact_and_leaves_links_and_centrality(
    corpora: tuple[Path, Path], store_copy: Path
) -> None:
    with open_store(store_copy, write=True) as store:
        before = compute(store)
        assert stored_derived(store) == thread_lines(before) | global_lines(before)
        assert threads_over(store) == computed_over(store) == len(store.documents())
        summary = run_ingest(store, corpora[1], "threads")
        assert summary.threads and summary.threads_partial
        after = compute(store)  # what a whole recomputation gives now
        # the new minutes joined threads the store had: lines went as well as came
        assert thread_lines(before) - thread_lines(after)
        assert thread_lines(after) - thread_lines(before)
        expected = thread_lines(after) | global_lines(before)
        assert stored_derived(store) == expected
        assert computed_over(store) == before.documents != after.documents
        assert threads_over(store) == after.documents == len(store.documents())
        row = f"computed over {before.documents} documents (--derived whole refreshes them)"
        assert any("for the" in line and row in line for line in summary.lines())

        # --derived whole brings links and centrality up to date as well
        run_ingest(store, corpora[1], "whole")
        assert stored_derived(store) == whole(store)
        assert computed_over(store) == after.documents


def test_auto_updates_threads_only_for_a_small_addition_to_a_large_store(
    corpora: tuple[Path, Path], first_store: Path, store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_copy, write=True) as store:
        summary = run_ingest(store, corpora[1], "auto")  # a store this small: whole
        assert summary.threads_partial is None and stored_derived(store) == whole(store)
    shutil.rmtree(store_copy)
    shutil.copytree(first_store, store_copy)  # the first store again, now counted large
    monkeypatch.setattr("kommunegraf.graph.analysis.update.PARTIAL_MIN_DOCUMENTS", 50)
    monkeypatch.setattr("kommunegraf.graph.analysis.update.PARTIAL_MAX_SHARE", 0.2)
    with open_store(store_copy, write=True) as store:
        before = compute(store)
        summary = run_ingest(store, corpora[1], "auto")  # 13 new to 121: within a fifth
        assert summary.threads_partial and summary.links_over == before.documents
        assert stored_derived(store) == thread_lines(compute(store)) | global_lines(before)


def test_when_the_whole_derived_graph_is_recomputed(
    corpora: tuple[Path, Path], store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_copy, write=True) as store:
        existing = store.documents()
        graphs = sorted(existing)[:3]
        touched = touched_municipalities(store, graphs)
        assert touched and len(touched) <= 3
        # below, run graphs stand for new documents of those municipalities
        monkeypatch.setattr(
            "kommunegraf.graph.analysis.threads.touched_municipalities", lambda _s, _g: touched
        )
        new = [g + "-new" for g in graphs]
        assert partial_threads(store, "threads", new, 0, existing=existing) == touched
        # reloading documents the store has may move their items: whole
        assert partial_threads(store, "threads", graphs, 0, existing=existing) is None
        # auto: a store this small is recomputed whole (it takes moments)
        assert partial_threads(store, "auto", new, 0, existing=existing) is None
        monkeypatch.setattr("kommunegraf.graph.ingest.run.PARTIAL_MIN_DOCUMENTS", 10)
        assert partial_threads(store, "auto", new, 0, existing=existing) == touched
        # ... but not once the documents added since the links and centrality were
        # computed pass a tenth of those they cover, this run's or earlier runs'
        many = [f"{g}-{n}" for g in graphs for n in range(len(existing) // 30 + 1)]
        assert partial_threads(store, "auto", many, 0, existing=existing) is None
        monkeypatch.setattr(
            "kommunegraf.graph.analysis.threads.computed_over", lambda _s: len(existing) * 9 // 10
        )
        assert partial_threads(store, "auto", new, 0, existing=existing) is None
        # a replaced document may take items out of threads anywhere; "whole" is whole
        assert partial_threads(store, "threads", new, 1, existing=existing) is None
        assert partial_threads(store, "whole", new, 0, existing=existing) is None
        # threads not up to date with the documents before the run: whole
        assert partial_threads(store, "threads", new, 0, existing=existing | {"x"}) is None
        # nothing added and nothing replaced: nothing to do
        assert partial_threads(store, "threads", [], 0, existing=existing) == set()
        # a graph that names no municipality (here: the derived graph itself) → whole
        monkeypatch.undo()
        assert touched_municipalities(store, [*graphs, store.derived_graph]) is None
    with (
        pytest.raises(ValueError, match="derived must be one of"),
        open_store(store_copy, write=True) as store,
    ):
        ingest([corpora[1]], store, jobs=1, reporter=QUIET, derived="some")


def test_a_run_whose_thread_step_failed_is_caught_up_by_the_next(
    corpora: tuple[Path, Path], store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents are in before the threads are updated; if that step fails (or the run is
    killed), the next run must not patch only its own municipalities."""
    import kommunegraf.graph.analysis.update

    def broken(*_args: object) -> None:
        raise StoreError("the disk is full")

    later = sorted(corpora[1].glob("*.txt"))
    with monkeypatch.context() as patched, open_store(store_copy, write=True) as store:
        patched.setattr(kommunegraf.graph.analysis.update, "patch_threads", broken)
        summary = ingest(later[:6], store, jobs=1, reporter=QUIET, derived="threads")
        assert summary.threads_error and summary.documents == 6
        assert threads_over(store) is None  # dropped before the documents changed
    with open_store(store_copy, write=True) as store:
        summary = ingest(later[6:], store, jobs=1, reporter=QUIET, derived="threads")
        assert not summary.failed and summary.threads_partial is None  # recomputed whole
        assert stored_derived(store) == whole(store)


def test_a_replacing_run_whose_recomputation_failed_is_caught_up_by_the_next(
    corpora: tuple[Path, Path], store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited file replaces its document without changing how many there are; if the
    whole recomputation that follows fails, the next run must still recompute whole."""
    import kommunegraf.graph.analysis.update

    def broken(*_args: object) -> None:
        raise StoreError("killed")

    edited = sorted(corpora[0].glob("*.txt"))[0]
    text = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(text.replace("Godkendelse af dagsorden", "Dagsorden"), encoding="utf-8")
        with monkeypatch.context() as patched, open_store(store_copy, write=True) as store:
            count = len(store.documents())
            patched.setattr(kommunegraf.graph.analysis.update, "write_whole", broken)
            summary = ingest([edited], store, jobs=1, reporter=QUIET, derived="auto")
            assert summary.superseded == 1 and summary.threads_error
            assert len(store.documents()) == count  # the same number of documents
    finally:
        edited.write_text(text, encoding="utf-8")
    later = sorted(corpora[1].glob("*.txt"))[:3]
    with open_store(store_copy, write=True) as store:
        summary = ingest(later, store, jobs=1, reporter=QUIET, derived="threads")
        assert not summary.failed and summary.threads_partial is None  # recomputed whole
        assert stored_derived(store) == whole(store)


def test_unchanged_files_in_a_run_do_not_force_a_whole_recomputation(
    corpora: tuple[Path, Path], store_copy: Path
) -> None:
    """Ingesting a whole, growing folder again: the files already in are left as they are."""
    again = sorted(corpora[0].glob("*.txt"))[:5]
    later = sorted(corpora[1].glob("*.txt"))[:3]
    with open_store(store_copy, write=True) as store:
        before = compute(store)
        summary = ingest([*again, *later], store, jobs=1, reporter=QUIET, derived="threads")
        assert not summary.failed and summary.threads_partial  # threads only
        assert stored_derived(store) == thread_lines(compute(store)) | global_lines(before)


def test_a_patch_is_all_or_nothing(store_copy: Path) -> None:
    with open_store(store_copy, write=True) as store:
        kept = stored_lines(store)
        some = sorted(kept)[:5]
        with pytest.raises(ValueError, match="blank node"):
            store.patch_derived(some, ["_:b0 <https://example.org/p> <https://example.org/o> ."])
        with pytest.raises(SyntaxError):  # a line that does not parse, after good ones
            store.patch_derived(some, ["<https://example.org/s> <https://example.org/p> ."])
        assert stored_lines(store) == kept and store.is_complete(store.derived_graph)
        added = "<https://example.org/s> <https://example.org/p> <https://example.org/o> ."
        assert store.patch_derived(some, [added]) == 1
        assert stored_lines(store) == (kept - set(some)) | {added}
        assert store.is_complete(store.derived_graph)


def test_a_run_that_adds_nothing_leaves_the_derived_graph(
    corpora: tuple[Path, Path], store_copy: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "nothing-new"
    empty.mkdir()
    (empty / "blank.txt").write_text("", encoding="utf-8")  # reported, not loaded
    with open_store(store_copy, write=True) as store:
        kept = stored_derived(store)
        summary = ingest([empty], store, jobs=1, reporter=QUIET, derived="auto")
        assert summary.errors == 1 and summary.documents == 0
        assert "unchanged (no document added)" in "\n".join(summary.lines())
        assert stored_derived(store) == kept


def test_cli_ingest_derived_option(corpora: tuple[Path, Path], store_copy: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        main, ["--store", str(store_copy), "ingest", "--jobs", "1", "--derived", "threads",
               str(corpora[1])],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "threads    recomputed for the" in done.output
    stats = runner.invoke(main, ["--store", str(store_copy), "stats"])
    assert stats.exit_code == 0, stats.output
    assert "cross-municipality links and centrality were computed over" in stats.output
    wrong = runner.invoke(main, ["--store", str(store_copy), "ingest", "--derived", "x", "."])
    assert wrong.exit_code == 2 and "--derived" in wrong.output


def test_store_errors_are_not_swallowed(store_copy: Path) -> None:
    """A patch needs a writable store, like every write."""
    with open_store(store_copy, write=False) as store, pytest.raises(StoreError):
        store.patch_derived([], [])
