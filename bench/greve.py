"""Ingest benchmark on real minutes: the 198 Greve meetings (FirstAgenda JSON, 2022–2023).

Usage:
  python bench/greve.py [--corpus ../shared/corpus/greve] [--jobs 1,2] [--out bench/out]
                        [--timeout SECONDS]

For each --jobs value, ``kommunegraf ingest CORPUS --jobs J`` into a fresh store, as a
subprocess (bench/ingest.py's end-to-end measurement: wall time, time until the last batch
was loaded, peak RSS of the process tree sampled every 50 ms, the store's size on disk), and
prints documents/s, MB of input/s (the JSON bodies as the portal sent them), peak memory and
the store's size per document.  Nothing is asserted; figures go to ``OUT/greve-results.json``
too.  The generated corpora of bench/ingest.py are plain text of a few KB a meeting; these
are real API responses, larger (≈ 100 KB a meeting, mostly HTML in "Felter") and richer in
decisions, so their documents/s is lower and MB/s higher.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import ingest as bench_ingest

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "greve"


def documents_of(folder: Path) -> list[Path]:
    """The meetings ingest reads in ``folder``: ``*.json`` except the fetch's sidecars."""
    return sorted(p for p in folder.rglob("*.json") if not p.name.endswith(".meta.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", default="1,2", help="--jobs values, comma-separated")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per ingest")
    args = parser.parse_args(argv)

    documents = documents_of(args.corpus)
    if not documents:
        print(f"no FirstAgenda meetings (*.json) in {args.corpus}", file=sys.stderr)
        return 1
    megabytes = sum(p.stat().st_size for p in documents) / 1e6
    args.out.mkdir(parents=True, exist_ok=True)
    bench_ingest.print_machine(bench_ingest.machine())
    print(f"\ncorpus: {args.corpus} — {len(documents)} meetings, {megabytes:.1f} MB of JSON\n")
    print(bench_ingest.E2E_HEADER + "  KB/doc")
    results = []
    for jobs in bench_ingest._ints(args.jobs):
        run = bench_ingest.end_to_end(
            args.out, args.corpus, len(documents), jobs, args.timeout, store=None
        )
        run = dataclasses.replace(run, text_mb=megabytes)
        per_doc_kb = run.store_mb * 1000 / max(run.documents, 1)
        print(f"{run.line()}  {per_doc_kb:6.0f}", flush=True)
        results.append({**dataclasses.asdict(run), "store_kb_per_document": per_doc_kb})
    (args.out / "greve-results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
