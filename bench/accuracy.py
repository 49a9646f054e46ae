"""Per-field precision/recall/F1 of the extractor against gold records.

Usage: python bench/accuracy.py GOLD_DIR FILE… [--misses]
Each FILE is matched with GOLD_DIR/<its stem>.json.  Prints the table of
extract.evaluation and, with --misses, every disagreement.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tree import use_this_tree

use_this_tree()

from kommunegraf.extract import extract_path
from kommunegraf.extract.evaluation import Score, compare, table


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    args = [a for a in argv if a != "--misses"]
    if len(args) < 2:
        print(__doc__)
        return 2
    gold_dir, files = Path(args[0]), [Path(a) for a in args[1:]]
    scores: dict[str, Score] = {}
    for path in files:
        gold_path = gold_dir / f"{path.stem}.json"
        if not gold_path.exists():
            print(f"skip {path}: no gold {gold_path}", file=sys.stderr)
            continue
        got = extract_path(path).to_json()
        compare(got, json.loads(gold_path.read_text(encoding="utf-8")), scores)
    print(table(scores))
    if show_misses:
        for name, score in scores.items():
            for miss in score.misses:
                print(f"[{name}] {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
