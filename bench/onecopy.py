"""The one-copy store layout of issue 21, measured on a store that ``kommunegraf ingest`` made.

Why a bench script and not the store: the layout is a question of figures first (how much
smaller, how fast the bundled queries run over Oxigraph's union default graph, whether their
answers stay the same) before the store's writers move to it.  This script rebuilds a
store's content in the proposed layout in a scratch folder and compares:

- **today**: each document's quads in its named graph, and the RDF merge of all of them
  (plus the reference and derived graphs) again in the default graph, which queries read;
- **one copy**: a document's own triples (subject = the document, or its meeting and what
  hangs under the meeting IRI: items, decisions, votes, attachments, citations) only in its
  graph; every other triple (descriptions of shared things: people, committees,
  municipalities, organisations, projects, cases, laws, parties, memberships) once, in one
  shared graph, unless the reference or derived graph already states it; no default graph.
  Queries run with ``use_default_graph_as_union`` (a bag: correct only because no triple is
  in two graphs).  The ingest log and earlier versions are left out: Oxigraph's union takes
  every graph of the store, the default graph too, and ``named_graphs`` does not narrow it
  (this script checks that on a toy store and says so), so in the one-copy design they must
  live outside the queried store.

It prints quads, size on disk (after compaction), every bundled query's time on both, and
whether the answers agree (tests/query_answers.py's comparison: rows as multisets).

    python bench/onecopy.py bench/out/store-1000 --out /tmp/onecopy
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from tree import use_this_tree

use_this_tree()

import pyoxigraph as ox
import query_answers

from kommunegraf.graph.store.local import DOCUMENT_GRAPH, INGEST_COMPLETE, Store
from kommunegraf.graph.store.model import DEFAULT_BASE

# A subject that belongs to one document: the document itself, or its meeting and what the
# mapping mints under the meeting's IRI (…/moede/2023-05-04/punkt/3/beslutning/…).
OWN_SEGMENT = "/moede/"


def union_sees_everything() -> bool:
    """Whether Oxigraph's union default graph still shows a graph left out of ``named_graphs``
    and the store's own default graph (the reason the log cannot stay in the queried store)."""
    store = ox.Store()
    kept, left = ox.NamedNode("https://example.org/kept"), ox.NamedNode("https://example.org/log")
    p = ox.NamedNode("https://example.org/p")
    store.add(ox.Quad(kept, p, ox.Literal("kept"), kept))
    store.add(ox.Quad(left, p, ox.Literal("log"), left))
    store.add(ox.Quad(left, p, ox.Literal("default"), ox.DefaultGraph()))
    rows = store.query(
        "SELECT ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True, named_graphs=[kept]
    )
    return {str(r["o"].value) for r in rows} == {"kept", "log", "default"}


def own(subject: object, graph: str) -> bool:
    return isinstance(subject, ox.NamedNode) and (
        subject.value == graph or OWN_SEGMENT in subject.value
    )


def rebuild(source: Path, target: Path, base: str) -> dict[str, int]:
    """Write ``source``'s completed content in the one-copy layout into ``target``."""
    src = ox.Store.read_only(str(source))
    log = ox.NamedNode(base + "graph/ingest-log")
    complete = {q.subject for q in src.quads_for_pattern(None, INGEST_COMPLETE, None, log)}
    fixed = [ox.NamedNode(base + "graph/reference"), ox.NamedNode(base + "graph/derived")]
    stated: set[ox.Triple] = set()
    for graph in fixed:
        stated.update(q.triple for q in src.quads_for_pattern(None, None, None, graph))
    shared: set[ox.Triple] = set()
    own_quads: list[ox.Quad] = []
    documents = 0
    for graph in src.named_graphs():
        if graph not in complete or not DOCUMENT_GRAPH.search(graph.value):
            continue
        documents += 1
        for q in src.quads_for_pattern(None, None, None, graph):
            if own(q.subject, graph.value):
                own_quads.append(q)
            elif q.triple not in stated:
                shared.add(q.triple)
    shutil.rmtree(target, ignore_errors=True)
    out = ox.Store(str(target))
    out.bulk_extend(own_quads)
    shared_graph = ox.NamedNode(base + "graph/shared")
    out.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, shared_graph) for t in shared)
    for graph in fixed:
        out.bulk_extend(src.quads_for_pattern(None, None, None, graph))
    out.optimize()
    out.flush()
    return {
        "documents": documents,
        "own": len(own_quads),
        "shared": len(shared),
        "fixed": len(stated),
        "quads": len(out),
    }


class UnionStore(Store):
    """The store's read side over the one-copy layout: queries and index scans read the union
    of the named graphs (this scratch store holds no bookkeeping graph to leave out)."""

    def __init__(self, folder: Path, base: str) -> None:
        super().__init__(ox.Store.read_only(str(folder)), folder, writable=False, base=base)
        self._legacy_union = True  # Store._query then asks Oxigraph for the union

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        node = ox.NamedNode(obj) if obj is not None else None
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(predicate), node, None):
            yield quad.subject.value, quad.object.value


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def answers(store: Store) -> tuple[dict[str, object], dict[str, float]]:
    """Every bundled query's normalised answer and its time in seconds."""
    found: dict[str, object] = {}
    times: dict[str, float] = {}
    estimated = query_answers.betweenness_estimated(store)
    for bundled, params in query_answers.runs(store):
        key = query_answers.run_key(bundled.name, params)
        start = time.perf_counter()
        found[key] = query_answers.answer(store, bundled, params, estimated=estimated)
        times[key] = time.perf_counter() - start
    return found, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--out", type=Path, default=Path("bench/out/onecopy"))
    parser.add_argument("--base", default=DEFAULT_BASE)
    parser.add_argument("--reuse", action="store_true", help="keep a rebuilt --out as it is")
    args = parser.parse_args()
    print(
        f"union shows graphs left out of named_graphs and the default graph: "
        f"{union_sees_everything()}"
    )
    before = ox.Store.read_only(str(args.store))
    print(f"today: {len(before):,} quads, {size_mb(args.store):.1f} MB on disk")
    del before
    compacted = args.out.with_name(args.out.name + "-today-compacted")
    if not (args.reuse and (compacted / "CURRENT").is_file()):
        shutil.rmtree(compacted, ignore_errors=True)
        shutil.copytree(args.store, compacted)
        copy = ox.Store(str(compacted))
        copy.optimize()
        copy.flush()
        del copy
    print(f"today, compacted as ingest does from a million quads: {size_mb(compacted):.1f} MB")
    start = time.perf_counter()
    if args.reuse and (args.out / "CURRENT").is_file():
        counts = {
            "documents": len(
                Store(
                    ox.Store.read_only(str(args.store)), args.store, writable=False, base=args.base
                ).documents()
            ),
            "quads": -1,
        }
    else:
        counts = rebuild(args.store, args.out, args.base)
        print(f"rebuilt in {time.perf_counter() - start:.1f} s: {counts}")
    print(
        f"one copy: {counts['quads']:,} quads, {size_mb(args.out):.1f} MB on disk "
        f"({size_mb(args.out) * 1e3 / max(counts['documents'], 1):.0f} KB per document)"
    )
    today = Store(ox.Store.read_only(str(args.store)), args.store, writable=False, base=args.base)
    onecopy = UnionStore(args.out, args.base)
    old, old_times = answers(today)
    new, new_times = answers(onecopy)
    differ = query_answers.compare(old, new)
    print(f"{'query':45} {'today s':>8} {'one copy s':>10}")
    for key in old_times:
        print(f"{key[:45]:45} {old_times[key]:8.2f} {new_times.get(key, float('nan')):10.2f}")
    print("answers: " + ("the same" if not differ else "DIFFER:\n  " + "\n  ".join(differ)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
