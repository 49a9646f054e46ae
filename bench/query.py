"""Query benchmarks: trace, threads, bundled queries and viz on a store, with an rdflib peer.

Usage:
  python bench/query.py [STORE] [--size 10000] [--runs 20] [--reps 5] [--out bench/out]
                        [--peer-size 1000] [--peer-runs 10] [--seed 1] [--beside 200]

STORE defaults to ``OUT/store-SIZE`` as bench/ingest.py leaves it (built with
``kommunegraf ingest --jobs 2`` on a generated corpus when missing).  On it:

- ``trace``: as a whole process (``kommunegraf trace CASE``, the user's wait: interpreter
  start, imports, store open, queries, output) and as a call (``graph.answers.trace.trace`` on a
  store
  opened once; one warm-up call first), p50/p95 over ``--runs`` random existing case numbers;
- ``threads`` (process and ``list_threads`` call), three bundled queries (``case-history`` on
  a random case, ``decisions-by-outcome`` over the whole store, ``items-citing-law`` with
  ``law=225-timersreglen``; process and call) and ``viz --case`` (process), ``--reps`` each;
- ``trace`` as a process, again and again, while ``--beside`` new documents are ingested into
  a copy of the store: the latency a user sees during an ingest, and how many runs were told
  the store is busy (readers wait for the writer's change under way, see graph/store/local.py).

The rdflib peer runs at ``--peer-size`` documents (rdflib holds everything in memory): the
same documents in our store (``OUT/store-PEER``) and in an rdflib Dataset (bench/peer_rdflib.py,
with the reference and derived graphs copied from our store so both answer the same); the same
``graph.answers.trace.trace`` code and the same query texts run on both, and the ratios are printed.
As a process, the peer loads an N-Quads export of the store and traces (``--peer-runs`` 3 at
most: each run parses the whole dump).

Figures are printed (and written to ``OUT/query-results.json``); nothing is asserted.
Targets to compare with: trace ≤ 300 ms as a process and ≤ 20 ms p50 as a call at 10,000
documents; trace ≥ 20× faster than the rdflib peer.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
from tree import compile_tree, use_this_tree

use_this_tree()
compile_tree()  # processes are timed, not the compiler (tests/tree.py)
sys.path.insert(0, str(BENCH))

import corpus
from ingest import (
    corpus_for,
    end_to_end,
    kommunegraf,
    machine,
    percentile,
    print_machine,
    run_tree,
    store_copy,
)

KG_PREFIXES = (
    "PREFIX kg: <https://w3id.org/kommunegraf/ontology#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)
CASES_QUERY = KG_PREFIXES + "SELECT DISTINCT ?id WHERE { ?case a kg:Case ; dcterms:identifier ?id }"
LAW = "225-timersreglen"


NAME_WIDTH = 46  # the operation column: the longest bundled query's name fits


@dataclass
class Timing:
    """Latencies of one operation, in milliseconds."""

    name: str
    ms: list[float]
    target: str = ""
    failures: int = 0

    @property
    def p50(self) -> float:
        return percentile(self.ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.ms, 95)

    def line(self) -> str:
        mean = sum(self.ms) / len(self.ms) if self.ms else float("nan")
        fail = f"  ({self.failures} failed)" if self.failures else ""
        return (
            f"{self.name:<{NAME_WIDTH}} {len(self.ms):>4}"
            f" {self.p50:9.1f} {self.p95:9.1f} {mean:9.1f}"
            f"  {self.target}{fail}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "runs": len(self.ms),
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "ms": self.ms,
            "failures": self.failures,
        }


HEADER = (
    f"{'operation':<{NAME_WIDTH}} {'runs':>4} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9}  target"
)


def timed_process(name: str, commands: list[list[str]], target: str = "") -> Timing:
    t = Timing(name, [], target)
    for command in commands:
        run = run_tree(command, sample_s=0.01)
        if run.returncode:
            t.failures += 1
            print(f"   {' '.join(command[-3:])}: exit {run.returncode}: {run.stderr[-300:]}")
        t.ms.append(run.wall_s * 1000)
    return t


def timed_call(
    name: str, calls: list[Callable[[], Any]], target: str = "", warm: bool = True
) -> Timing:
    t = Timing(name, [], target)
    if warm and calls:
        calls[0]()
    for call in calls:
        started = time.perf_counter()
        try:
            call()
        except Exception as exc:  # a failure is a figure too; keep measuring the rest
            t.failures += 1
            print(f"   {name}: {type(exc).__name__}: {exc}")
        t.ms.append((time.perf_counter() - started) * 1000)
    return t


def existing_cases(store: Any, n: int, seed: int) -> list[str]:
    ids = sorted({str(row["id"]) for row in store.query(CASES_QUERY)})
    rng = random.Random(seed)
    return [rng.choice(ids) for _ in range(n)] if ids else []


def ensure_store(out: Path, size: int, seed: int) -> Path:
    """``OUT/store-SIZE``, ingested with --jobs 2 from a generated corpus when missing."""
    store = out / f"store-{size}"
    if (store / "CURRENT").exists():
        return store
    folder, _ = corpus_for(out, size, seed)
    print(f"building {store}: kommunegraf ingest {folder} --jobs 2 …", flush=True)
    result = end_to_end(out, folder, size, 2, None)
    print(f"  {result.documents} documents in {result.wall_s:.0f} s", flush=True)
    shutil.rmtree(store, ignore_errors=True)
    (out / f"store-{size}-j2").rename(store)
    return store


def _bundled(store: Any, name: str, params: dict[str, str]) -> int:
    from kommunegraf import queries
    from kommunegraf.queries.municipality import resolve_municipality

    bundled = queries.load(name)
    bindings = queries.bind(
        bundled, params, municipality=lambda m: resolve_municipality(store, m)[0]
    )
    result = store.query(bundled.text, bindings)
    return len(list(result))


def query_specs(cases: list[str], everything: bool = False) -> list[tuple[str, dict[str, str]]]:
    """The three bundled queries the issue names, or (``everything``) every bundled query
    with its required parameters only (the widest, slowest form)."""
    chosen = [
        ("case-history", {"case": cases[0]}),
        ("decisions-by-outcome", {}),
        ("items-citing-law", {"law": LAW}),
    ]
    if everything:
        from kommunegraf import queries

        named = {name for name, _ in chosen}
        chosen += [(name, {}) for name in queries.names() if name not in named]
    return chosen


def bench_store(
    store_path: Path, runs: int, reps: int, seed: int, out: Path, everything: bool = False
) -> list[Timing]:
    """Every operation on one store: processes first, then calls in this process."""
    from kommunegraf.graph.analysis.threads import list_threads
    from kommunegraf.graph.answers.trace import render_table, trace
    from kommunegraf.graph.store.local import open_store

    cli = [*kommunegraf(), "--store", str(store_path)]
    with open_store(store_path, write=False) as store:
        cases = existing_cases(store, runs, seed)
    if not cases:
        raise SystemExit(f"no cases in {store_path}")
    results = [
        timed_process(
            "trace (process)", [[*cli, "trace", c] for c in cases], "≤ 300 ms at 10,000 docs"
        ),
        timed_process("threads (process)", [[*cli, "threads"] for _ in range(reps)]),
    ]
    for name, params in query_specs(cases, everything):
        args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
        results.append(
            timed_process(
                f"query {name} (process)", [[*cli, "query", name, *args] for _ in range(reps)]
            )
        )
    html = out / "viz-bench.html"
    results.append(
        timed_process(
            "viz --case (process)",
            [[*cli, "viz", "--case", c, "--out", str(html)] for c in cases[:reps]],
        )
    )
    with open_store(store_path, write=False) as store:
        results.append(
            timed_call(
                "trace (call)",
                [lambda c=c: trace(store, c) for c in cases],
                "p50 ≤ 20 ms at 10,000 docs",
            )
        )
        results.append(
            timed_call(
                "trace + render_table (call)",
                [lambda c=c: render_table(trace(store, c)) for c in cases],
            )
        )
        results.append(
            timed_call("list_threads (call)", [lambda: list_threads(store) for _ in range(reps)])
        )
        for name, params in query_specs(cases):
            results.append(
                timed_call(
                    f"query {name} (call)",
                    [lambda n=name, p=params: _bundled(store, n, p) for _ in range(reps)],
                )
            )
    return results


# What a reader may say beside a writer instead of answering (graph/store/local.py's StoreBusy).
BUSY_SIGNS = ("is busy", "changed under this read")
READ_TIMEOUT = 300  # seconds for one trace beside the ingest (a reader waits 60 s at most)


@dataclass
class Beside:
    """`trace` run again and again while an ingest writes the store."""

    timing: Timing
    busy: int  # told the store is busy: a refusal, not a failure
    ingest_s: float
    ingest_returncode: int

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.timing.as_dict(),
            "busy": self.busy,
            "ingest_s": self.ingest_s,
            "ingest_returncode": self.ingest_returncode,
        }


def bench_beside(store_path: Path, count: int, seed: int, out: Path, cases: list[str]) -> Beside:
    """``trace`` as a process, in a loop, while ``count`` new documents (another seed's
    corpus) are ingested into a copy of the store with --jobs 2: what a user waits for
    during a nightly ingest, and how often they are told to come back."""
    folder = out / f"beside-{count}-seed{seed}"
    corpus.ensure_corpus(folder, count, seed, jobs=1)
    with store_copy(store_path, out / f"{store_path.name}-beside") as copy:
        cli = [*kommunegraf(), "--store", str(copy)]
        timing, busy = Timing("trace beside an ingest (process)", []), 0
        started = time.perf_counter()
        log = out / f"beside-{count}-ingest.log"  # a file: a pipe read only at the end can fill
        with log.open("w", encoding="utf-8") as errors:
            writer = subprocess.Popen(
                [*cli, "ingest", str(folder), "--jobs", "2"],
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        try:
            turn = 0
            while writer.poll() is None:
                command = [*cli, "trace", cases[turn % len(cases)]]
                run = run_tree(command, sample_s=0.01, timeout=READ_TIMEOUT)
                turn += 1
                if run.returncode == 0:
                    timing.ms.append(run.wall_s * 1000)
                elif any(sign in run.stderr for sign in BUSY_SIGNS):
                    busy += 1
                else:
                    timing.failures += 1
                    print(f"   trace beside an ingest: exit {run.returncode}: {run.stderr[-300:]}")
            writer.wait()
            ingest_s = time.perf_counter() - started
            if writer.returncode:
                tail = log.read_text(encoding="utf-8", errors="replace")[-300:]
                print(f"   the ingest beside: exit {writer.returncode}: {tail}")
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    return Beside(timing, busy, ingest_s, writer.returncode)


def bench_peer(
    out: Path, size: int, runs: int, peer_runs: int, reps: int, seed: int
) -> dict[str, Any]:
    """Ours and rdflib on the same ``size`` documents: the same code and SPARQL on each."""
    import peer_rdflib
    from rdflib import URIRef

    from kommunegraf.graph.analysis.threads import list_threads
    from kommunegraf.graph.answers.trace import trace
    from kommunegraf.graph.store.local import open_store

    store_path = ensure_store(out, size, seed)
    folder = out / f"corpus-{size}"
    with open_store(store_path, write=False) as store:
        cases = existing_cases(store, runs, seed + 1)
        derived = store.graph_ntriples(store.derived_graph).decode("utf-8")
    started = time.perf_counter()
    dataset, stats = peer_rdflib.ingest(sorted(folder.glob("*.txt")))
    dataset.graph(URIRef(peer_rdflib.DEFAULT_BASE + "graph/derived")).parse(
        data=derived, format="nt"
    )
    print(
        f"rdflib Dataset: {stats['documents']} documents, {len(dataset):,} triples, built in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    peer = peer_rdflib.RdflibStore(dataset)
    pairs: list[tuple[Timing, Timing]] = []
    with open_store(store_path, write=False) as store:
        pairs.append(
            (
                timed_call(
                    "trace (call)", [lambda c=c: trace(store, c) for c in cases[:peer_runs]]
                ),
                timed_call("trace (call)", [lambda c=c: trace(peer, c) for c in cases[:peer_runs]]),  # type: ignore[arg-type]
            )
        )
        pairs.append(
            (
                timed_call(
                    "list_threads (call)", [lambda: list_threads(store) for _ in range(reps)]
                ),
                timed_call(
                    "list_threads (call)", [lambda: list_threads(peer) for _ in range(reps)]
                ),  # type: ignore[arg-type]
            )
        )
        for name, params in query_specs(cases):
            pairs.append(
                (
                    timed_call(
                        f"query {name} (call)",
                        [lambda n=name, p=params: _bundled(store, n, p) for _ in range(reps)],
                    ),
                    timed_call(
                        f"query {name} (call)",
                        [lambda n=name, p=params: _bundled(peer, n, p) for _ in range(reps)],
                    ),
                )
            )

    # As whole processes: ours opens the store; the peer parses an N-Quads export first.
    dump = out / f"export-{size}.nq"
    run_tree(
        [*kommunegraf(), "--store", str(store_path), "export", "--format", "nq", "--out", str(dump)]
    )
    n = min(3, peer_runs)
    cli = [*kommunegraf(), "--store", str(store_path)]
    pairs.append(
        (
            timed_process("trace (process)", [[*cli, "trace", c] for c in cases[:n]]),
            timed_process(
                "trace (process)",
                [
                    [sys.executable, str(BENCH / "peer_rdflib.py"), "trace", str(dump), c]
                    for c in cases[:n]
                ],
            ),
        )
    )
    print(
        f"\nours vs rdflib at {size} documents (same documents, same trace code and SPARQL; "
        "speed-up = rdflib p50 / ours p50)"
    )
    print(
        f"{'operation':<{NAME_WIDTH}} {'runs':>4}"
        f" {'ours p50':>9} {'rdflib p50':>11} {'speed-up':>9}"
    )
    rows = []
    for ours, theirs in pairs:
        speedup = theirs.p50 / ours.p50 if ours.p50 else float("nan")
        print(
            f"{ours.name:<{NAME_WIDTH}} {len(ours.ms):>4}"
            f" {ours.p50:9.1f} {theirs.p50:11.1f} {speedup:8.1f}×"
            + ("   (target ≥ 20×)" if ours.name.startswith("trace (call)") else "")
        )
        rows.append(
            {
                "name": ours.name,
                "ours": ours.as_dict(),
                "rdflib": theirs.as_dict(),
                "speedup": speedup,
            }
        )
    dump.unlink(missing_ok=True)
    return {"size": size, "triples": stats["quads"], "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path, default=None)
    parser.add_argument("--size", type=int, default=10_000, help="documents of the default store")
    parser.add_argument("--runs", type=int, default=20, help="trace runs (random cases)")
    parser.add_argument("--reps", type=int, default=5, help="runs of each other operation")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--peer-size", type=int, default=1000, help="0: no rdflib peer")
    parser.add_argument("--peer-runs", type=int, default=10, help="trace runs on the peer")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--beside",
        type=int,
        default=200,
        help="new documents ingested into a copy of the store while trace runs (0: skip)",
    )
    parser.add_argument(
        "--all-queries",
        action="store_true",
        help="time every bundled query as a process, not only the three named by the issue",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    print_machine(info)
    store = args.store or ensure_store(out, args.size, args.seed)
    from kommunegraf.graph.store.local import open_store

    with open_store(store, write=False) as s:
        documents = len(s.documents())
        quads = s.quad_count()
    print(f"\nstore {store}: {documents} documents, {quads:,} quads")
    print(HEADER)
    timings = bench_store(store, args.runs, args.reps, args.seed, out, args.all_queries)
    for t in timings:
        print(t.line())
    results: dict[str, Any] = {
        "machine": info,
        "store": str(store),
        "documents": documents,
        "quads": quads,
        "timings": [t.as_dict() for t in timings],
    }
    if args.beside:
        with open_store(store, write=False) as s:
            cases = existing_cases(s, args.runs, args.seed)
        beside = bench_beside(store, args.beside, args.seed + 2, out, cases)
        print(beside.timing.line())
        print(
            f"{'':<{NAME_WIDTH}} while {args.beside} documents were ingested "
            f"({beside.ingest_s:.1f} s, exit {beside.ingest_returncode}); "
            f"{beside.busy} told the store was busy"
        )
        results["beside"] = beside.as_dict()
    if args.peer_size:
        print(
            f"\nrdflib peer at {args.peer_size} documents (not {documents}: rdflib keeps "
            "the whole graph in memory, ~1.45 GB per million triples)"
        )
        results["peer"] = bench_peer(
            out, args.peer_size, args.runs, args.peer_runs, args.reps, args.seed
        )
    print(f"\nload average at the end: {machine()['load_average']}")
    (out / "query-results.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"figures written to {out / 'query-results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
