"""Ingest benchmark on real minutes: the 198 Greve meetings (FirstAgenda JSON, 2022–2023),
ours and the rdflib peer side by side in one run, on the same records.

Usage:
  python bench/greve.py [--corpus ../shared/corpus/greve] [--jobs 1,2] [--out bench/out]
                        [--timeout SECONDS] [--no-peer]

1. **Ours, end to end**: for each --jobs value, ``kommunegraf ingest CORPUS --jobs J`` into a
   fresh store as a subprocess (bench/ingest.py's ``end_to_end``: wall time, time until the
   last batch was loaded, peak RSS of the process tree, the store on disk, and the CPU
   seconds of every process in that tree, extraction workers included).
2. **Extraction once**: ``extract_path`` + ``map_record`` over the meetings in this process
   (bench/ingest.py's ``extraction``, one process as the peer has), the N-Quads spooled.
3. **Loading alone, both**: the spool into a fresh store through ``Store.replace_documents``
   (bench/ingest.py's ``loading``), and the same spool parsed into one ``rdflib.Dataset``
   (bench/peer_rdflib.py ``load``, a subprocess: its peak memory is the Dataset's).
4. **Ratios ours/peer**: end to end, the peer's pipeline being that one extraction plus its
   loading; loading alone in quads/s.

MB/s counts the JSON bodies as the portal sent them (≈ 100 KB a meeting, mostly HTML in
"Felter"), so these documents/s are lower and MB/s higher than on the generated corpora.
The load average at the start and end is printed: on a shared machine, wall time is partly
waiting, CPU seconds are not.  Nothing is asserted; figures go to ``OUT/greve-results.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import ingest as bench_ingest

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "greve"
T = TypeVar("T")


def documents_of(folder: Path) -> list[Path]:
    """The meetings ingest reads in ``folder``: ``*.json`` except the fetch's sidecars."""
    return sorted(p for p in folder.rglob("*.json") if not p.name.endswith(".meta.json"))


def children_cpu(call: Callable[[], T]) -> tuple[T, float]:
    """``call()`` and the CPU seconds (user + system) of the subprocesses it waited for,
    their own waited children included: what a run cost whatever else the machine does."""

    def used() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before = used()
    result = call()
    return result, used() - before


def ours_end_to_end(args: argparse.Namespace, documents: list[Path], megabytes: float) -> list:
    print("ours, end to end: kommunegraf ingest (subprocess; peak RSS summed over its processes)")
    print(bench_ingest.E2E_HEADER + "  KB/doc   CPU-s")
    results = []
    for jobs in bench_ingest._ints(args.jobs):
        run = bench_ingest.end_to_end(
            args.out, args.corpus, len(documents), jobs, args.timeout, store=None
        )
        run = dataclasses.replace(run, text_mb=megabytes)
        per_doc_kb = run.store_mb * 1000 / max(run.documents, 1)
        print(f"{run.line()}  {per_doc_kb:6.0f}  {run.cpu_s:6.1f}", flush=True)
        results.append(
            {
                **dataclasses.asdict(run),
                "docs_per_s": run.docs_per_s,
                "store_kb_per_document": per_doc_kb,
            }
        )
    return results


def side_by_side(args: argparse.Namespace, documents: list[Path], ours: list[dict]) -> dict:
    """Extract once, load the same N-Quads into our store and into rdflib, print the ratios."""
    n = len(documents)
    spool = args.out / "spool-greve.jsonl"
    cpu0 = time.process_time()
    extracted = bench_ingest.extraction(args.corpus, n, 1, None, spool, paths=documents)
    extract_cpu = time.process_time() - cpu0
    print("\nextraction once (one process, this one): extract_path + map_record, spooled")
    print(bench_ingest.EXTRACT_HEADER + "   CPU-s")
    print(f"{extracted.line()}  {extract_cpu:6.1f}", flush=True)

    cpu0 = time.process_time()
    loaded = bench_ingest.loading(args.out, n, spool)
    load_cpu = time.process_time() - cpu0
    print("\nours, loading alone: Store.replace_documents (bulk), then the derived graph")
    print(bench_ingest.LOAD_HEADER + "   CPU-s")
    print(f"{loaded.line()}  {load_cpu:6.1f}", flush=True)

    peer, peer_cpu = children_cpu(lambda: bench_ingest.peer(args.corpus, args.timeout, spool))
    print("\nrdflib peer, loading alone: the same spool parsed into one Dataset (subprocess)")
    print(bench_ingest.PEER_HEADER + "   CPU-s  KB/doc in memory")
    per_doc_mem = peer.rss_growth_mb * 1000 / max(peer.documents, 1)
    print(f"{peer.line()}  {peer_cpu:6.1f}  {per_doc_mem:8.0f}", flush=True)
    spool.unlink(missing_ok=True)
    result = {
        "extraction": dataclasses.asdict(extracted),
        "extraction_cpu_s": extract_cpu,
        "load": dataclasses.asdict(loaded),
        "load_cpu_s": load_cpu,
        "peer": dataclasses.asdict(peer),
        "peer_cpu_s": peer_cpu,
        "peer_kb_per_document_in_memory": per_doc_mem,
        "ratios": [],
    }
    if peer.returncode or not peer.parse_s:
        print("the rdflib peer failed; no ratios", file=sys.stderr)
        return result
    peer_e2e_s = extracted.wall_s + peer.wall_s
    peer_rate = peer.documents / peer_e2e_s
    ours_q = loaded.quads / loaded.load_s
    peer_q = peer.quads / peer.parse_s
    print(
        f"\nrdflib peer end to end (the extraction above + its loading): {peer_e2e_s:.1f} s, "
        f"{peer_rate:.2f} docs/s, {extracted.text_mb / peer_e2e_s:.2f} MB/s, "
        f"peak {peer.peak_rss_mb:.0f} MB"
    )
    print(f"\nours / rdflib on the same {n} meetings (targets: ≥ 3× end to end, ≥ 8× loading)")
    print(
        f"  loading alone: {ours_q / peer_q:.2f}× quads/s "
        f"({ours_q:,.0f} into the store vs {peer_q:,.0f} parsed by rdflib)"
    )
    for run in ours:
        ratio = {
            "jobs": run["jobs"],
            "end_to_end": run["docs_per_s"] / peer_rate,
            "to_loaded": run["documents"] / (run["loaded_s"] or run["wall_s"]) / peer_rate,
            "loading_alone": ours_q / peer_q,
            "peak_memory": run["peak_rss_mb"] / max(peer.peak_rss_mb, 1e-9),
        }
        result["ratios"].append(ratio)
        print(
            f"  ingest --jobs {run['jobs']}: {ratio['end_to_end']:.2f}× docs/s end to end, "
            f"{ratio['to_loaded']:.2f}× up to the last batch loaded (the peer computes no "
            f"derived graph); peak memory {ratio['peak_memory']:.2f} (< 1: ours smaller)"
        )
    result["peer_end_to_end_s"] = peer_e2e_s
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", default="1,2", help="--jobs values, comma-separated")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per ingest")
    parser.add_argument("--no-peer", action="store_true", help="ours end to end only")
    args = parser.parse_args(argv)

    documents = documents_of(args.corpus)
    if not documents:
        print(f"no FirstAgenda meetings (*.json) in {args.corpus}", file=sys.stderr)
        return 1
    megabytes = sum(p.stat().st_size for p in documents) / 1e6
    args.out.mkdir(parents=True, exist_ok=True)
    info = bench_ingest.machine()
    bench_ingest.print_machine(info)
    print(f"\ncorpus: {args.corpus} — {len(documents)} meetings, {megabytes:.1f} MB of JSON\n")
    results: dict[str, object] = {"machine": info, "meetings": len(documents)}
    results["e2e"] = ours = ours_end_to_end(args, documents, megabytes)
    if not args.no_peer:
        results["side_by_side"] = side_by_side(args, documents, ours)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"\nload average at the end: {results['load_average_end']}")
    saved = args.out / "greve-results.json"
    saved.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"figures written to {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
