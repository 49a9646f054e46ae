"""Fetch benchmark: `kommunegraf fetch` of Greve's recorded meetings from a replay portal.

Usage:
  python bench/fetch.py [--meetings 198] [--rates 2,1000] [--out bench/out]

The replay portal of the tests (tests/replay_portal.py) serves the 198 recorded Greve
meetings of ../shared/corpus/greve/ on 127.0.0.1 (nothing leaves the machine).  For each
``--rate`` a fresh cache is filled by ``kommunegraf fetch Greve --portal URL`` as a
subprocess (as a user runs it: interpreter start included), then the same command runs again
(the incremental run: nothing new to download).  Printed per run: wall seconds, meetings
downloaded, meetings/s, requests the portal saw (counted on the server) and requests/s.

At the default rate (2 requests a second) the first run is bounded by the pace, not by the
machine: 198 meetings cost 200 requests, about 100 s.  The high rate shows what the fetch
itself costs.  Figures are printed (and written to ``OUT/fetch-results.json``); nothing is
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from tree import use_this_tree

use_this_tree()

from replay_portal import ReplayPortal, meetings_from_bodies

SHARED = Path(os.environ.get("KOMMUNEGRAF_SHARED", ROOT.parent / "shared"))


def _fetch(url: str, cache: Path, rate: float) -> tuple[float, str]:
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    args = [sys.executable, "-m", "kommunegraf", "fetch", "Greve", "--portal", url]
    args += ["--cache", str(cache), "--rate", str(rate)]
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"fetch failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout


def run(meetings: int, rates: list[float]) -> list[dict[str, object]]:
    files = sorted((SHARED / "corpus" / "greve").glob("*.json"))[:meetings]
    if not files:
        raise SystemExit(f"no recorded meetings in {SHARED / 'corpus' / 'greve'}")
    results = []
    for rate in rates:
        with (
            ReplayPortal(meetings_from_bodies(files)) as portal,
            tempfile.TemporaryDirectory(prefix="fetch-bench-") as tmp,
        ):
            for label in ("first", "again"):
                seen = len(portal.log)
                served = sum(portal.served.values())
                wall, _ = _fetch(portal.url, Path(tmp), rate)
                requests = len(portal.log) - seen
                downloaded = sum(portal.served.values()) - served
                row = {
                    "rate": rate,
                    "run": label,
                    "meetings": len(files),
                    "downloaded": downloaded,
                    "wall_s": round(wall, 2),
                    "meetings_per_s": round(downloaded / wall, 1),
                    "requests": requests,
                    "requests_per_s": round(requests / wall, 2),
                    "cache_mb": round(
                        sum(p.stat().st_size for p in Path(tmp).rglob("*.json")) / 1e6, 1
                    ),
                }
                results.append(row)
                print(
                    f"rate {rate:>7g}/s {label:<5}: {downloaded:>3} of {len(files)} meetings "
                    f"in {wall:6.1f} s = {row['meetings_per_s']:>6} meetings/s; "
                    f"{requests} requests ({row['requests_per_s']}/s); "
                    f"cache {row['cache_mb']} MB",
                    flush=True,
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=198, help="how many of Greve's 198")
    parser.add_argument("--rates", default="2,1000", help="requests a second, comma-separated")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    results = run(args.meetings, rates)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fetch-results.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
