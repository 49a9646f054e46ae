"""The derived graph alone, on a copy of a store: from the store against from the facts.

Prints, for a store (``bench/out/store-1000`` by default; a copy is worked on):

- ``facts from store``: the ledger built by reading every document back from the store (what
  a store without facts pays once, or a ledger found spoilt);
- ``whole, from the store``: threads, links and centrality computed from the store's default
  graph (``ingest --derived whole``), no writing;
- ``whole, from the facts``: the same from the ledger (and a check that both are equal);
- ``threads of N municipalities, from the facts``: what a small run's threads-only update
  computes, for the N municipalities with most documents;
- ingest's whole step, ``bring_up_to_date``, after ``--touch`` documents were marked changed
  (their municipalities' threads are due): ``--derived threads`` (those threads, from the
  facts), ``auto`` (whole from the facts under 2,000 documents) and ``whole`` (from the
  store, as every ingest under 2,000 documents did before the facts), each written by
  difference into the store's derived graph.

Nothing is asserted; figures go to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
from tree import use_this_tree

use_this_tree()

from kommunegraf.graph.analysis.derive import compute, derived_lines
from kommunegraf.graph.analysis.items import threads_of
from kommunegraf.graph.analysis.ledger import LEDGER_FILE, FactSource, Ledger
from kommunegraf.graph.analysis.sources import StoreSource
from kommunegraf.graph.analysis.update import bring_up_to_date
from kommunegraf.graph.store.local import open_store


def timed(label: str, work):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    cpu = time.process_time()
    result = work()
    print(
        f"{label:<48} {time.perf_counter() - began:8.2f} s wall "
        f"{time.process_time() - cpu:8.2f} s CPU",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, nargs="?", default=BENCH / "out" / "store-1000")
    parser.add_argument("--municipalities", type=int, default=3)
    parser.add_argument("--touch", type=int, default=20, help="documents marked changed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.store.parent) as scratch:
        folder = Path(scratch) / "store"
        shutil.copytree(args.store, folder)
        (folder / LEDGER_FILE).unlink(missing_ok=True)
        with open_store(folder, write=True) as store:
            documents = len(store.documents())
            print(f"{args.store}: {documents} documents")
            ledger = Ledger.of(store)
            sync = timed("facts from store (every document read back)", lambda: ledger.sync(store))
            ledger.settle(sync, links_computed=True)
            size = (folder / LEDGER_FILE).stat().st_size / 1e6
            print(f"{'ledger on disk':<48} {size:8.1f} MB")
            graph = store.derived_graph
            whole = timed("whole, from the store", lambda: compute(StoreSource(store), graph))
            facts = FactSource(ledger, sync.current)
            mine = timed("whole, from the facts", lambda: compute(facts, graph))
            same = set(derived_lines(whole)) == set(derived_lines(mine))
            print(f"{'the two equal':<48} {same}")
            with sqlite3.connect(folder / LEDGER_FILE) as db:
                busiest = [
                    m
                    for (m,) in db.execute(
                        "SELECT municipality FROM places GROUP BY municipality "
                        "ORDER BY COUNT(*) DESC LIMIT ?",
                        (args.municipalities,),
                    )
                ]
            docs = ledger.docs_of(busiest, sync.current)
            timed(
                f"threads of {len(busiest)} municipalities ({len(docs)} docs), from the facts",
                lambda: threads_of(FactSource(ledger, docs), set(busiest)),
            )
            # the ingest's step after a run that changed --touch documents: they are taken
            # out of what the derived graph covers, so their municipalities are recomputed
            touched = sorted(sync.current)[: args.touch]
            for how in ("threads", "auto", "whole"):
                ledger.db.execute(
                    f"UPDATE docs SET synced = 0 WHERE id IN ({','.join('?' * len(touched))})",
                    touched,
                )
                done = timed(
                    f"ingest's step, {len(touched)} documents changed, --derived {how}",
                    lambda how=how: bring_up_to_date(store, ledger, how),
                )
                print(f"{'':<48} {done}")
            ledger.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
