"""A daily run: ingesting a folder again when little or nothing in it changed.

On a copy of a corpus (``../shared/corpus/greve`` by default; ``--corpus`` names another,
e.g. ``bench/out/corpus-1000``), in a fresh store, each as a whole ``kommunegraf ingest``
process:

- ``first ingest``: every file read;
- ``again, unchanged``: the same folder (graph.ingest.stamps: nothing is read);
- ``again, --reread``: every file read again (what every re-ingest cost before stamps);
- ``again, N edited``: ``--edit`` files (1% by default) given an extra line, the rest as
  they were.

Nothing is asserted; figures go to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SHARED = BENCH.parent.parent / "shared"
sys.path.insert(0, str(BENCH.parent / "tests"))
from tree import use_this_tree

use_this_tree()

from kommunegraf.graph.ingest.discover import SUFFIXES


def kommunegraf() -> list[str]:
    return [sys.executable, "-m", "kommunegraf"]


def timed(label: str, command: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    rows = dict(
        line.split(None, 1) for line in done.stdout.splitlines() if len(line.split(None, 1)) == 2
    )
    print(
        f"{label:<28} {seconds:8.2f} s   documents {rows.get('documents', '?'):<18} "
        f"unchanged {rows.get('unchanged', '0').split(' ')[0]}",
        flush=True,
    )
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"{label}: exit status {done.returncode}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "greve")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--edit", type=float, default=0.01, help="share of files edited")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="kg-unchanged-") as scratch:
        folder = Path(scratch) / "corpus"
        shutil.copytree(args.corpus, folder)
        files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)
        files = [p for p in files if not p.name.endswith(".meta.json")]
        store = Path(scratch) / "store"
        ingest = [*kommunegraf(), "--store", str(store), "ingest", str(folder)]
        ingest += ["--jobs", str(args.jobs), "--no-compact"]
        print(f"{len(files)} files in {args.corpus}, --jobs {args.jobs}")
        timed("first ingest", ingest)
        timed("again, unchanged", ingest)
        timed("again, --reread", [*ingest, "--reread"])
        edited = files[:: max(1, round(1 / args.edit))] if args.edit > 0 else []
        for path in edited:
            text = path.read_text(encoding="utf-8").rstrip()
            if path.suffix.lower() == ".json" and text.endswith("}"):  # JSON: a new key
                path.write_text(text[:-1] + ', "bench_edit": true}', encoding="utf-8")
            else:
                with path.open("a", encoding="utf-8") as handle:
                    handle.write("\nTilføjet af benchmarken (OPDIGTET).\n")
        timed(f"again, {len(edited)} edited", ingest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
