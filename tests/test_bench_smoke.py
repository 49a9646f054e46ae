"""The benchmark scripts on a tiny corpus: they run, print their figures and write them.

No timing is asserted (figures depend on the machine); what is checked is that the generated
minutes read back as generated, and that each script measured what it says it measured.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kommunegraf import queries

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.txt")}


def test_corpus_is_deterministic_and_reads_back_as_generated(tmp_path: Path) -> None:
    entries = corpus.write_corpus(tmp_path / "a", 15, seed=3)
    corpus.write_corpus(tmp_path / "b", 15, seed=3, jobs=2)
    assert len(entries) == 15 and len({m["file"] for m in entries}) == 15
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert {m["shape"] for m in entries} == set(corpus.SHAPES)
    sizes = [m["bytes"] for m in entries]
    assert 25_000 < sum(sizes) / len(sizes) < 60_000  # "about 40 KB", like real minutes

    totals = corpus.check(tmp_path / "a", entries, k=10)
    assert totals.docs == 10
    assert totals.layout == totals.municipality == totals.meeting == 10
    assert totals.items[0] == totals.items[1] == totals.numbers == totals.cases
    assert totals.decisions[0] == totals.decisions[1]
    assert totals.outcomes[0] == totals.outcomes[1]
    assert totals.references[0] == totals.references[1]


def test_corpus_has_recurring_cases_and_references(tmp_path: Path) -> None:
    entries = corpus.write_corpus(tmp_path / "c", 40, seed=5)
    by_case: dict[tuple[str, str], set[str]] = {}
    for m in entries:
        for item in m["items"]:
            by_case.setdefault((m["municipality"], item["case"]), set()).add(m["date"])
    recurring = [dates for dates in by_case.values() if len(dates) >= 3]
    assert len(recurring) >= 10  # standing cases at every meeting of each committee
    assert sum(len(i["references"]) for m in entries for i in m["items"]) >= 5
    assert sum(len(i["decisions"]) > 1 for m in entries for i in m["items"]) >= 3


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_ingest_and_query_benchmarks_run_and_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    printed = _run(
        str(BENCH / "ingest.py"),
        "--sizes",
        "20",
        "--jobs",
        "2",
        "--peer-size",
        "20",
        "--increment",
        "5",
        "--out",
        str(out),
    )
    assert "docs/s" in printed and "quads/s" in printed and "rdflib peer" in printed
    results = json.loads((out / "ingest-results.json").read_text())
    assert results["ingest_options"] == []
    (e2e,) = results["e2e"]
    assert (e2e["documents"], e2e["jobs"], e2e["returncode"]) == (20, 2, 0)
    assert e2e["quads"] > 20 * 100 and e2e["peak_rss_mb"] > 0 and e2e["store_mb"] > 0
    assert e2e["loaded_s"] is not None and e2e["loaded_s"] <= e2e["wall_s"]
    assert [x["documents"] for x in results["extract"]] == [20]
    assert results["load"][0]["quads"] == e2e["quads"]  # the same documents, loaded alone
    assert results["peer"]["documents"] == 20 and results["peer"]["returncode"] == 0
    assert (out / "store-20" / "CURRENT").exists()  # kept for the query benchmark
    # 5 new documents into a copy of that store, the derived graph updated both ways
    assert [added["derived"] for added in results["increment"]] == ["auto", "whole"]
    for added in results["increment"]:
        assert (added["documents"], added["base_size"], added["returncode"]) == (5, 20, 0)
        assert added["quads"] > 0 and added["loaded_s"] is not None
    assert not (out / "store-20-increment").exists()  # the copy is removed afterwards

    # every bundled query, the committed text against the working tree's, alternated (HEAD:
    # whatever the clone's history, the same texts, so the same answers)
    printed = _run(
        str(BENCH / "aggregates.py"), str(out / "store-20"), "--before", "HEAD", "--reps", "1",
        "--all", "--out", str(out),
    )  # fmt: skip
    assert re.search(r"decisions-by-outcome +[\d.]+ +[\d.]+ +[\d.]+ +True", printed), printed
    assert len(json.loads((out / "aggregates-results.json").read_text())["rows"]) >= 14

    # the derived graph alone on a copy of that store: from the store and from the facts
    printed = _run(str(BENCH / "derived.py"), str(out / "store-20"), "--touch", "3")
    assert "whole, from the facts" in printed and "municipalities (" in printed
    assert re.search(r"the two equal +True", printed)
    assert "--derived threads" in printed and "--derived auto" in printed

    printed = _run(
        str(BENCH / "query.py"),
        "--size",
        "20",
        "--runs",
        "3",
        "--reps",
        "3",
        "--peer-size",
        "20",
        "--peer-runs",
        "3",
        "--all-queries",
        "--beside",
        "5",
        "--out",
        str(out),
    )
    assert "trace (process)" in printed and "speed-up" in printed
    assert "trace beside an ingest (process)" in printed
    results = json.loads((out / "query-results.json").read_text())
    assert results["documents"] == 20
    names = {t["name"]: t for t in results["timings"]}
    for name in (
        "trace (process)",
        "trace (call)",
        "threads (process)",
        "viz --case (process)",
        "query case-history (call)",
        "query decisions-by-outcome (process)",
    ):
        assert names[name]["failures"] == 0 and names[name]["runs"] == 3, name
    for name in queries.names():  # --all-queries: every bundled query ran as a process
        timing = names[f"query {name} (process)"]
        assert timing["failures"] == 0 and timing["runs"] == 3, name
    beside = results["beside"]
    assert beside["ingest_returncode"] == 0 and beside["failures"] == 0
    assert beside["runs"] + beside["busy"] >= 1  # at least one trace ran beside the ingest
    assert not (out / "store-20-beside").exists()  # the copy is removed afterwards
    peer_rows = {r["name"] for r in results["peer"]["rows"]}
    assert {"trace (call)", "trace (process)", "list_threads (call)"} <= peer_rows
    assert all(r["rdflib"]["failures"] == 0 for r in results["peer"]["rows"])

    printed = _run(
        str(BENCH / "centrality.py"), "--size", "20", "--samples", "2,4", "--out", str(out)
    )
    assert "yardstick" in printed and "top20" in printed
    results = json.loads((out / "centrality-results.json").read_text())
    assert results["nodes"] > 20 and results["edges"] > 20

    assert results["reference"] is None  # 20 documents: fewer nodes than 2,000, so exact
    assert [s["sources"] for s in results["samples"]] == [2, 4]  # the budget searches all
    assert all(s["igraph_s"] >= 0 and 0 <= s["top20"] <= 20 for s in results["samples"])
    assert results["samples"][0]["networkx_s"] is not None  # the smallest, both ways


@pytest.mark.slow
def test_greve_benchmark_runs_ours_and_the_rdflib_peer_on_the_same_records(
    greve_paths: list[Path], tmp_path: Path
) -> None:
    """bench/greve.py on 5 real meetings: ours end to end, one extraction feeding both
    loaders, and the ratios ours/peer printed and written (never a time asserted)."""
    corpus_dir = tmp_path / "greve"
    corpus_dir.mkdir()
    for path in greve_paths[:5]:
        (corpus_dir / path.name).symlink_to(path)
    out = tmp_path / "out"
    printed = _run(
        str(BENCH / "greve.py"), "--corpus", str(corpus_dir), "--jobs", "2", "--out", str(out)
    )
    for figure in ("docs/s", "MB/s", "peakMB", "KB/doc", "CPU-s", "load average"):
        assert figure in printed, figure
    assert "rdflib peer end to end" in printed and "loading alone:" in printed
    results = json.loads((out / "greve-results.json").read_text())
    (ours,) = results["e2e"]
    assert (ours["documents"], ours["jobs"], ours["returncode"]) == (5, 2, 0)
    assert ours["store_kb_per_document"] > 0 and ours["peak_rss_mb"] > 0
    assert ours["cpu_s"] > 0  # the process tree's, extraction workers included
    both = results["side_by_side"]
    assert both["extraction"]["documents"] == both["load"]["documents"] == 5
    # the same records: our store and rdflib load exactly the quads the one extraction made
    assert both["load"]["quads"] == both["peer"]["quads"] == both["extraction"]["quads"]
    assert both["load"]["quads"] == ours["quads"]  # and ingest end to end made the same
    assert both["peer"]["documents"] == 5 and both["peer"]["returncode"] == 0
    (ratio,) = both["ratios"]
    assert ratio["end_to_end"] > 0 and ratio["loading_alone"] > 0
    assert not (out / "spool-greve.jsonl").exists()  # the spool is removed afterwards


def test_extract_speed_prints_cpu_per_document_and_finds_a_changed_record(tmp_path: Path) -> None:
    """bench/extract_speed.py on the examples and the profile fixtures: a figure per corpus,
    a dump, a clean comparison with it, and a tampered record named (exit status 1)."""
    dump, out = tmp_path / "dump", tmp_path / "out"
    common = ("--corpora", "examples,profiles", "--reps", "1", "--out", str(out))
    printed = _run(str(BENCH / "extract_speed.py"), *common, "--dump", str(dump))
    assert re.search(r"^examples\s+6\s+[\d.]+\s+[\d.]+", printed, re.M), printed
    assert re.search(r"^profiles\s+9\s", printed, re.M), printed
    assert len(list((dump / "profiles").glob("*.json"))) == 9  # one per fixture folder
    printed = _run(str(BENCH / "extract_speed.py"), *common, "--compare", str(dump))
    assert "records differing from" in printed and printed.rstrip().endswith(": 0")
    changed = next((dump / "examples").glob("*.json"))
    changed.write_text(changed.read_text(encoding="utf-8") + " ", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH / "extract_speed.py"), *common, "--compare", str(dump)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 1 and f"examples/{changed.name[:-5]}" in done.stdout


def test_unchanged_benchmark_reads_nothing_again_and_everything_with_reread(
    seed_paths: list[Path], tmp_path: Path
) -> None:
    """bench/unchanged.py on three seeds: the second ingest reads none of them, --reread all,
    and the edited one alone after an edit (counts checked, never a time)."""
    corpus_dir = tmp_path / "seeds"
    corpus_dir.mkdir()
    for path in seed_paths[:3]:
        (corpus_dir / path.name).symlink_to(path)
    seeds = {p: p.read_bytes() for p in seed_paths[:3]}
    printed = _run(str(BENCH / "unchanged.py"), "--corpus", str(corpus_dir), "--jobs", "1")
    rows = {
        line[:28].strip(): line[28:].split()
        for line in printed.splitlines()
        if line.startswith(("first", "again"))
    }
    counts = {label: (row[row.index("documents") + 1], row[-1]) for label, row in rows.items()}
    assert counts == {
        "first ingest": ("3", "0"),
        "again, unchanged": ("0", "3"),
        "again, --reread": ("3", "0"),
        "again, 1 edited": ("1", "2"),
    }
    assert {p: p.read_bytes() for p in seeds} == seeds  # edits went to a copy, not the seeds
