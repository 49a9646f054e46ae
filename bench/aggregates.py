"""Each bundled query as a whole process, this version against an earlier one, alternated.

The machine these benchmarks run on changes speed by half over an afternoon (the same query
on the same store: 3.8 s at one hour, 6.5 s two hours later), so a before/after taken at two
moments says little.  This script runs, for each bundled query whose text differs between a
git revision and the working tree, the earlier text (``kommunegraf query FILE.rq``) and the
bundled one (``kommunegraf query NAME``) in turns on one store, and prints both medians, their
ratio and whether the two CSV answers are the same.  Both run on the store as it is: the
earlier text reads what the documents state, the bundled one may read what the derived
graph keeps (a query that sums tallies needs a store ingested by this version).

    .venv/bin/python bench/aggregates.py bench/out/store-10000 --before 3d668e2 --reps 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kommunegraf import queries

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


def earlier_text(revision: str, name: str) -> str | None:
    """The query's text at ``revision`` (None: it did not exist)."""
    done = subprocess.run(
        ["git", "show", f"{revision}:queries/{name}.rq"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout if done.returncode == 0 else None


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--before", required=True, help="a git revision: the earlier texts")
    parser.add_argument("--reps", type=int, default=3, help="runs of each, alternated")
    parser.add_argument("--all", action="store_true", help="also the queries that did not change")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    kg = [sys.executable, "-m", "kommunegraf", "--store", str(args.store), "query"]
    rows = []
    print(f"{'query':32} {'before s':>9} {'now s':>8} {'ratio':>6}  same CSV")
    with tempfile.TemporaryDirectory() as scratch:
        for path in sorted(QUERIES.glob("*.rq")):
            name = path.stem
            old = earlier_text(args.before, name)
            if old is None or (old == path.read_text(encoding="utf-8") and not args.all):
                continue
            required = [p.name for p in queries.load(name).params if not p.optional]
            if required:  # (case-history, items-citing-law: nothing to run them on unasked)
                print(f"{name:32} skipped: needs {', '.join(required)}")
                continue
            old_file = Path(scratch) / f"{name}.rq"
            old_file.write_text(old, encoding="utf-8")
            times: dict[str, list[float]] = {"before": [], "now": []}
            answers: dict[str, str] = {}
            for _ in range(args.reps):
                for label, target in (("before", str(old_file)), ("now", name)):
                    seconds, answers[label] = timed([*kg, target, "--format", "csv"])
                    times[label].append(seconds)
            before, now = statistics.median(times["before"]), statistics.median(times["now"])
            same = answers["before"] == answers["now"]
            print(f"{name:32} {before:9.2f} {now:8.2f} {before / now:6.1f}  {same}", flush=True)
            rows.append({"query": name, "before_s": before, "now_s": now, "same_csv": same})
    args.out.mkdir(parents=True, exist_ok=True)
    result = {"store": str(args.store), "before": args.before, "reps": args.reps, "rows": rows}
    (args.out / "aggregates-results.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
