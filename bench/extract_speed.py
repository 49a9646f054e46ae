"""Extraction's CPU cost per document, and its output kept byte-for-byte across a change.

Usage:
  python bench/extract_speed.py [--out bench/out/extract-speed] [--generated 200] [--reps 3]
                                [--corpora seeds,examples,profiles,greve,generated]
                                [--dump DIR] [--compare DIR] [--profile CORPUS] [--limit N]

For each corpus (the seeds and the Greve meetings from ``../shared``, the project's examples,
the ``tests/profiles`` fixtures and a generated corpus from bench/corpus.py) every document
is extracted with ``extract_path`` in this one process and timed with ``time.process_time``:
CPU time, because the machine running it is usually shared and wall time would measure the
neighbours.  A corpus is run ``--reps`` times and the fastest pass is printed (the slower
ones met more interference, never less work), as CPU-ms per document.

``--dump DIR`` writes every record as canonical JSON (``DIR/<corpus>/<file>.json``);
``--compare DIR`` extracts again and names every record that differs from such a dump.  A
speed-up of the extractor is only one if the records before and after are byte-identical:
dump before the change, compare after.  ``--profile CORPUS`` runs cProfile on the CPU clock
over one pass of that corpus and prints the functions by their own CPU time.

``--limit N`` extracts only the first N documents of each corpus: under
``valgrind --tool=callgrind`` (instructions do not depend on the neighbours' load), the
difference between two limits divided by the documents between them is the instructions
per document, imports and warm-up cancelled out.

Nothing is asserted about time; the exit status is 1 only when ``--compare`` found a change.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))
from tree import use_this_tree

use_this_tree()
sys.path.insert(0, str(BENCH))

CORPORA = ("seeds", "examples", "profiles", "greve", "generated")


def _documents(name: str, generated: int, out: Path) -> list[Path]:
    """The files of one corpus, sorted (an absent shared folder gives none)."""
    if name == "seeds":
        return sorted(p for p in (SHARED / "seeds").glob("*") if p.suffix in {".txt", ".json"})
    if name == "examples":
        return sorted(p for p in (ROOT / "examples").iterdir() if p.name != "README.md")
    if name == "profiles":
        return sorted((ROOT / "tests" / "profiles").glob("*/sample.*"))
    if name == "greve":
        folder = SHARED / "corpus" / "greve"
        return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".meta.json"))
    if name == "generated":
        import corpus

        folder = out / f"corpus-{generated}"
        corpus.ensure_corpus(folder, generated, seed=1, jobs=1)
        return sorted(folder.glob("*.txt"))
    raise SystemExit(f"unknown corpus {name!r}; one of {', '.join(CORPORA)}")


def _key(name: str, path: Path) -> str:
    """A dump's file name: profiles share the name sample.txt, so their folder names them."""
    return f"{path.parent.name}.json" if name == "profiles" else f"{path.name}.json"


def _canonical(record: object) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _pass(files: list[Path], extract: Callable[[Path], object]) -> tuple[float, list[object]]:
    """One pass over ``files``: the CPU seconds of the extraction alone, and the records."""
    records: list[object] = []
    spent = 0.0
    for path in files:
        t0 = time.process_time()
        record = extract(path)
        spent += time.process_time() - t0
        records.append(record)
    return spent, records


def _profile(files: list[Path], extract: Callable[[Path], object]) -> None:
    """One pass under cProfile on the CPU clock: pyinstrument's tree shows where, this the self
    time per function (wall-clock samplers blame whatever ran when a busy machine paused us)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(_pass, files, extract)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(45)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "extract-speed")
    parser.add_argument("--generated", type=int, default=200, help="generated documents")
    parser.add_argument("--reps", type=int, default=3, help="passes per corpus (fastest kept)")
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--dump", type=Path, help="write every record as JSON under DIR")
    parser.add_argument("--compare", type=Path, help="compare every record with a dump in DIR")
    parser.add_argument("--profile", help="cProfile (CPU clock) over one pass of this corpus")
    parser.add_argument("--limit", type=int, help="only the first N documents of each corpus")
    args = parser.parse_args(argv)

    from kommunegraf.extract import extract_path

    def extract(path: Path) -> object:
        return extract_path(path)

    args.out.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.corpora.split(",") if n]
    changed: list[str] = []
    header = f"{'corpus':<10} {'docs':>5} {'MB':>7} {'CPU-ms/doc':>11} {'CPU-s':>7}"
    print(f"{header}  (fastest of {args.reps})")
    for name in names:
        files = _documents(name, args.generated, args.out)[: args.limit]
        if not files:
            print(f"{name:<10} (absent)")
            continue
        extract(files[0])  # imports and caches outside the clock, as a warm worker has them
        if args.profile == name:
            _profile(files, extract)
        best, records = min(
            (_pass(files, extract) for _ in range(max(1, args.reps))), key=lambda r: r[0]
        )
        megabytes = sum(os.path.getsize(p) for p in files) / 1e6
        print(
            f"{name:<10} {len(files):>5} {megabytes:>7.1f} {1000 * best / len(files):>11.2f}"
            f" {best:>7.2f}"
        )
        for path, record in zip(files, records, strict=True):
            if not (args.dump or args.compare):
                break  # (the JSON is no part of extraction: under callgrind it would count)
            text = _canonical(record.to_json())  # type: ignore[attr-defined]
            if args.dump:
                target = args.dump / name / _key(name, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            if args.compare:
                before = args.compare / name / _key(name, path)
                if not before.exists() or before.read_text(encoding="utf-8") != text:
                    changed.append(f"{name}/{path.name}")
    if args.compare:
        print(f"records differing from {args.compare}: {len(changed)}")
        for item in changed:
            print(f"  {item}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
