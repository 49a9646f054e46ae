"""Betweenness of the central actors: how long each estimate takes and how far it can be trusted.

Usage:
  python bench/centrality.py [STORE] [--size 10000] [--reference 2000] [--samples 4,50,200]
                             [--out bench/out]

On the item–entity graph of STORE (default ``OUT/store-SIZE`` as bench/ingest.py leaves it),
betweenness is estimated from ``--reference`` sampled sources (the yardstick; exact when the
graph has no more nodes) and from each of ``--samples`` sources, plus the sample the derived
graph takes (``graph.analysis.threads.BETWEENNESS_BUDGET``).  For each: seconds with igraph (what
kommunegraf runs, graph.analysis.betweenness), seconds with networkx for the smallest sample (what
it
ran before), and how many of the top 10 and top 20 people and organisations by betweenness
are those of the yardstick.  Printed and written to ``OUT/centrality-results.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import networkx as nx
from ingest import BENCH, _ints, machine, print_machine

from kommunegraf.graph.analysis import threads
from kommunegraf.graph.analysis.betweenness import betweenness
from kommunegraf.graph.store.local import open_store

ACTORS = ("person", "organisation")


def top(between: dict, actors: list[str], n: int) -> set[str]:
    return set(sorted(actors, key=lambda a: (-between[a], a))[:n])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--reference", type=int, default=2000, help="sources of the yardstick")
    parser.add_argument("--samples", default="4,50,200", help="sources, comma-separated")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args(argv)
    store_path = args.store or args.out / f"store-{args.size}"
    print_machine(machine())
    started = time.perf_counter()
    with open_store(store_path, write=False) as store:
        items = threads.load_items(store)
        graph = threads.entity_graph(store, items)
    n, edges = graph.number_of_nodes(), graph.number_of_edges()
    actors = [v for v, kind in graph.nodes(data="kind") if kind in ACTORS]
    print(
        f"item–entity graph of {store_path}: {n} nodes, {edges} edges, {len(actors)} people "
        f"and organisations (read in {time.perf_counter() - started:.1f} s)"
    )
    chosen = threads.betweenness_sample(graph)

    began = time.perf_counter()
    reference_k = None if args.reference >= n else args.reference
    yardstick = betweenness(graph, k=reference_k, seed=1)
    print(
        f"yardstick: {'exact' if reference_k is None else f'{reference_k} sources'}, "
        f"{time.perf_counter() - began:.1f} s"
    )
    print(f"\n{'sources':>8} {'igraph s':>9} {'networkx s':>11} {'top10':>6} {'top20':>6}")
    results: list[dict[str, object]] = []
    samples = sorted({min(k, n) for k in _ints(args.samples)} | ({chosen} if chosen else set()))
    for k in samples:
        began = time.perf_counter()
        estimate = betweenness(graph, k=k, seed=threads.BETWEENNESS_SEED)
        ours = time.perf_counter() - began
        theirs = None
        if k == min(samples):  # networkx searches in Python: the smallest sample only
            began = time.perf_counter()
            nx.betweenness_centrality(graph, k=k, seed=threads.BETWEENNESS_SEED)
            theirs = time.perf_counter() - began
        agree = {m: len(top(estimate, actors, m) & top(yardstick, actors, m)) for m in (10, 20)}
        note = "  ← the derived graph's sample" if k == chosen else ""
        shown_theirs = f"{theirs:11.2f}" if theirs is not None else f"{'-':>11}"
        print(f"{k:>8} {ours:9.2f} {shown_theirs} {agree[10]:>6} {agree[20]:>6}{note}")
        results.append(
            {"sources": k, "igraph_s": ours, "networkx_s": theirs, "top10": agree[10]}
            | {"top20": agree[20], "chosen": k == chosen}
        )
    args.out.mkdir(parents=True, exist_ok=True)
    saved = args.out / "centrality-results.json"
    figures = {"store": str(store_path), "nodes": n, "edges": edges, "reference": reference_k}
    saved.write_text(json.dumps(figures | {"samples": results}, indent=2))
    print(f"\nfigures written to {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
