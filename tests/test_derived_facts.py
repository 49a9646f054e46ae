"""The derived graph from the documents' facts (graph/analysis/facts.py, ledger.py, update.py).

Ingest keeps each document's facts beside the store and updates the derived graph from them
without reading the store back.  What it gives must be what a whole recomputation from the
store gives (``--derived whole``): on the seeds with examples/, and on bench/corpus.py's
generated minutes through runs that add, edit (replace) and remove documents.  A ledger that
disagrees with the store (a document it lacks) must be noticed and the derived graph
recomputed whole from the store.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from records_store import load_records

from kommunegraf.extract import extract_path
from kommunegraf.graph.analysis.derive import compute, derived_lines
from kommunegraf.graph.analysis.facts import decode_parts, document_facts, encode_parts
from kommunegraf.graph.analysis.ledger import LEDGER_FILE, FactSource, Ledger
from kommunegraf.graph.analysis.model import Derived
from kommunegraf.graph.analysis.sources import StoreSource
from kommunegraf.graph.analysis.update import bring_up_to_date
from kommunegraf.graph.ingest.run import PlainReporter, Summary, ingest
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import IRI, DocumentLoad, Store, open_store
from kommunegraf.graph.store.local.store import split_document
from kommunegraf.ontology.terms import KG, RDFS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import corpus

ROOT = Path(__file__).resolve().parent.parent
QUIET = PlainReporter(lambda _line: None)
# A double as written ("7e-06") or as the store prints it ("0.000007"): the same value.
DOUBLE_RE = re.compile(r'"([^"]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#double>')


def canonical(lines: set[str]) -> set[str]:
    return {DOUBLE_RE.sub(lambda m: f'"{float(m[1])!r}"^^<double>', line) for line in lines}


def lines_of(derived: Derived) -> set[str]:
    return canonical(set(derived_lines(derived)))


def from_store(store: Store) -> set[str]:
    return lines_of(compute(StoreSource(store), store.derived_graph))


def from_facts(store: Store) -> set[str]:
    ledger = Ledger.of(store)
    try:
        sync = ledger.sync(store)
        assert sync.repaired == 0, "ingest left a document without its facts"
        return lines_of(compute(FactSource(ledger, sync.current), store.derived_graph))
    finally:
        ledger.close()


def stored(store: Store) -> set[str]:
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    return canonical(store.construct_lines(everything, {"g": IRI(store.derived_graph)}))


def thread_part(lines: set[str]) -> set[str]:
    """The threads' lines (and the threads' count): what a threads-only update brings up to
    date; links and centrality lag by design."""
    ignored = (KG.computedOverDocuments, KG.itemDegree, KG.betweenness)
    links = {line.split(" ", 1)[0] for line in lines if KG.CrossMunicipalityLink in line}
    return {
        line
        for line in lines
        if line.split(" ", 1)[0] not in links and not any(f"<{p}>" in line for p in ignored)
    }


def run(store: Store, paths: list[Path], derived: str) -> Summary:
    summary = ingest(paths, store, jobs=1, reporter=QUIET, derived=derived)
    assert not summary.failed
    return summary


def test_facts_of_a_mapped_document_equal_those_the_store_prints_back(
    seed_paths: list[Path], tmp_path: Path
) -> None:
    record = extract_path(seed_paths[0])
    mapped = map_record(record)
    with open_store(tmp_path / "store", write=True) as store:
        run(store, [seed_paths[0]], "whole")
        printed = store.graph_ntriples(mapped.graph).decode("utf-8")
    # the document's graph keeps its own triples (shared descriptions are stored once beside)
    own, _shared = split_document(DocumentLoad(mapped.graph, mapped.nquads, ""))
    assert document_facts(own) == document_facts(printed, quads=False)
    written = document_facts(mapped.nquads)
    assert written[KG.meeting] and written[RDFS.label]
    # what is kept of labels: entities' (and committees'), not items' or decisions'
    assert not any("/punkt/" in s for s, _ in written[RDFS.label])
    parts = encode_parts(written)
    assert decode_parts(parts) == written
    assert f"{KG.AgendaItem}" in " ".join(parts)  # types kept apart by class


def test_seeds_and_examples_from_facts_equal_a_recomputation_from_the_store(
    seed_paths: list[Path], tmp_path: Path
) -> None:
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix != ".md")
    with open_store(tmp_path / "store", write=True) as store:
        summary = run(store, [*seed_paths, *examples], "auto")
        assert summary.documents == len(seed_paths) + len(examples)
        whole = from_store(store)
        assert any(KG.Thread in line for line in whole)
        assert any(KG.CrossMunicipalityLink in line for line in whole)
        assert from_facts(store) == whole
        assert stored(store) == whole


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("derived-facts") / "corpus"
    corpus.write_corpus(folder, 60, seed=5)
    return folder


def test_runs_that_add_edit_and_remove_documents_keep_the_facts_equal_to_the_store(
    generated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(generated, folder)
    files = sorted(folder.glob("*.txt"))
    later = files[40:]
    for path in later:
        path.rename(tmp_path / path.name)
    with open_store(tmp_path / "store", write=True) as store:
        run(store, [folder], "auto")  # a first load: whole, from the facts
        assert stored(store) == from_store(store) == from_facts(store)

        for path in later[:10]:  # added
            (tmp_path / path.name).rename(path)
        edited = files[3]  # edited: its document is replaced (a new graph for the path)
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("Godkendelse af dagsorden", "Dagsorden"), encoding="utf-8")
        summary = run(store, [folder], "threads")
        assert summary.superseded == 1 and summary.threads_partial
        whole = from_store(store)
        assert thread_part(stored(store)) == thread_part(whole)
        assert from_facts(store) == whole

        # removed: a file emptied of its minutes yields no document; its graph leaves when
        # the path yields another document, here a near copy of another meeting's file
        removed = files[5]
        removed.write_text(files[6].read_text(encoding="utf-8") + "\n", encoding="utf-8")
        summary = run(store, [folder], "threads")
        assert summary.superseded == 1
        whole = from_store(store)
        assert thread_part(stored(store)) == thread_part(whole)
        assert from_facts(store) == whole

        (tmp_path / later[10].name).rename(later[10])
        summary = run(store, [folder], "auto")  # a small store: links and centrality too
        assert summary.threads_partial is None
        assert stored(store) == from_store(store) == from_facts(store)


def test_a_ledger_that_lacks_a_document_is_noticed_and_the_store_recomputes(
    generated: Path, tmp_path: Path
) -> None:
    files = sorted(generated.glob("*.txt"))
    with open_store(tmp_path / "store", write=True) as store:
        run(store, files[:20], "auto")
        ledger_path = Path(store.path) / LEDGER_FILE
    with sqlite3.connect(ledger_path) as db:  # a ledger spoilt behind the store's back
        (doc,) = db.execute("SELECT id FROM docs WHERE graph != 'reference' LIMIT 1").fetchone()
        db.execute("DELETE FROM docs WHERE id = ?", (doc,))
        db.execute("DELETE FROM facts WHERE doc = ?", (doc,))
    with open_store(tmp_path / "store", write=True) as store:
        ledger = Ledger.of(store)
        try:
            done = bring_up_to_date(store, ledger, "threads")
        finally:
            ledger.close()
        assert done.how == "store" and done.repaired == 1
        assert stored(store) == from_store(store) == from_facts(store)


def test_documents_loaded_without_ingest_are_read_back_from_the_store(
    generated: Path, tmp_path: Path
) -> None:
    files = sorted(generated.glob("*.txt"))
    folder = tmp_path / "store"
    with open_store(folder, write=True) as store:
        run(store, files[:10], "auto")
    load_records(folder, [extract_path(p) for p in files[10:14]])  # not through ingest
    with open_store(folder, write=True) as store:
        summary = run(store, files[14:16], "threads")
        assert summary.threads_partial is None  # whole, from the store
        assert stored(store) == from_store(store) == from_facts(store)


def test_facts_staged_by_a_run_killed_before_its_load_are_dropped(
    generated: Path, tmp_path: Path
) -> None:
    files = sorted(generated.glob("*.txt"))
    with open_store(tmp_path / "store", write=True) as store:
        run(store, files[:6], "auto")
        ledger = Ledger.of(store)
        try:  # staged as a worker hands it over, and then the run dies before the load
            mapped = map_record(extract_path(files[7]))
            ledger.stage("https://example.org/id/kilde/0000000000000000", "m", {})
            ledger.stage(
                mapped.graph,
                "quads-sha256:x",
                encode_parts(document_facts(mapped.nquads)),
            )
            ledger.commit_staged()
        finally:
            ledger.close()
        summary = run(store, files[6:7], "threads")
        assert summary.threads_partial is not None
        assert thread_part(stored(store)) == thread_part(from_store(store))
        with sqlite3.connect(Path(store.path) / LEDGER_FILE) as db:
            graphs = {g for (g,) in db.execute("SELECT graph FROM docs")}
        assert graphs == store.documents() | {"reference"}


def test_a_sampled_betweenness_is_the_same_from_the_facts_and_from_the_store(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its budget betweenness is estimated from sampled sources; which nodes are sampled
    must not depend on the order the links were read in (the store's index order, or the
    documents' order in the facts)."""
    monkeypatch.setattr("kommunegraf.graph.analysis.centrality.BETWEENNESS_BUDGET", 10_000)
    monkeypatch.setattr("kommunegraf.graph.analysis.centrality.BETWEENNESS_MIN_SAMPLE", 5)
    with open_store(tmp_path / "store", write=True) as store:
        run(store, sorted(generated.glob("*.txt"))[:30], "auto")
        whole = from_store(store)
        assert from_facts(store) == whole


# "ingest: 12/60 files, 4 documents loaded …": the progress line a plain reporter prints.
PROGRESS_RE = re.compile(r"^ingest: (\d+)/(\d+) files, (\d+) documents? loaded")


def test_an_ingest_killed_mid_run_leaves_facts_that_agree_with_the_store(
    generated: Path, tmp_path: Path
) -> None:
    """SIGKILL between batches: the documents are wholly in or out, their facts were
    committed before their load, and the next run brings the derived graph up to date
    from facts that agree with the store, without reading it back."""
    import os
    import signal
    import subprocess

    files = sorted(generated.glob("*.txt"))
    folder = tmp_path / "store"
    with open_store(folder, write=True) as store:
        run(store, files[:10], "auto")
    command = [sys.executable, "-m", "kommunegraf", "--store", str(folder), "ingest"]
    killed = subprocess.Popen(
        [*command, str(generated), "--jobs", "1", "--batch-quads", "800"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert killed.stderr is not None
    loaded = 0
    for line in killed.stderr:
        if (match := PROGRESS_RE.match(line)) and int(match[3]) >= 3:
            loaded = int(match[3])
            break
    assert 0 < loaded < len(files) - 10, "the ingest finished before it could be killed"
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    killed.stderr.close()
    with open_store(folder, write=True) as store:
        ledger = Ledger.of(store)
        try:  # every document the killed run loaded had its facts staged before its load
            assert ledger.sync(store).repaired == 0
        finally:
            ledger.close()
        summary = run(store, files[:12], "threads")
        assert summary.threads_partial is None  # the killed run left the threads behind
        assert stored(store) == from_store(store) == from_facts(store)  # no document repaired
        with sqlite3.connect(Path(store.path) / LEDGER_FILE) as db:
            graphs = {g for (g,) in db.execute("SELECT graph FROM docs")}
        assert graphs == store.documents() | {"reference"}
