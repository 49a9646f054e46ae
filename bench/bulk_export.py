"""The path past one machine (issue 21.6): a store exported as one N-Quads file per graph
(``kommunegraf export --per-document``) and loaded by Oxigraph's own bulk loader.

Usage:
  python bench/bulk_export.py [STORE] [--corpus DIR] [--out bench/out] [--jobs 2]

STORE defaults to ``OUT/store-bulk`` built from ``--corpus`` (default: the 198 Greve meetings
in ../shared/corpus/greve) with ``kommunegraf ingest --jobs JOBS`` when missing.  Printed:
the export's seconds, documents/s, files and MB; ``oxigraph load``'s seconds, quads/s and
the loaded store's size on disk; and the whole ingest for comparison when it built the store.
Figures are written to ``OUT/bulk-export-results.json``; nothing is asserted (the answers
are compared by tests/test_bulk_export.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from tree import use_this_tree

use_this_tree()  # this checkout is the kommunegraf imported, here and in the ingest it runs


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def oxigraph() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("the oxigraph CLI is not installed (pip install oxigraph)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/greve")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from kommunegraf.graph.store.bulk_export import export_per_document
    from kommunegraf.graph.store.local import open_store

    results: dict[str, float | int | str] = {}
    store = args.store or args.out / "store-bulk"
    if not store.exists():
        began = time.perf_counter()
        command = [sys.executable, "-m", "kommunegraf", "--store", str(store), "ingest"]
        subprocess.run([*command, "--jobs", str(args.jobs), str(args.corpus)], check=True)
        results["ingest_seconds"] = round(time.perf_counter() - began, 2)
    folder = args.out / "bulk-export"
    shutil.rmtree(folder, ignore_errors=True)
    began = time.perf_counter()
    with open_store(store, write=False) as opened:
        done = export_per_document(opened, folder)
    seconds = time.perf_counter() - began
    files = sorted(str(p) for p in folder.rglob("*.nq"))
    results |= {
        "documents": done.documents,
        "quads": done.quads,
        "export_seconds": round(seconds, 2),
        "export_docs_per_s": round(done.documents / seconds, 1),
        "export_files": len(files),
        "export_mb": round(size_mb(folder), 1),
    }
    db = args.out / "bulk-loaded"
    shutil.rmtree(db, ignore_errors=True)
    began = time.perf_counter()
    subprocess.run(
        [oxigraph(), "load", "--location", str(db), "--file", *files],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - began
    results |= {
        "load_seconds": round(seconds, 2),
        "load_quads_per_s": round(done.quads / seconds),
        "loaded_store_mb": round(size_mb(db), 1),
        "store_mb": round(size_mb(store), 1),
    }
    for name, value in results.items():
        print(f"{name:<20} {value}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bulk-export-results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
