"""The rdflib peer: the pipeline a user would write with rdflib instead of kommunegraf's store.

Records come from the same extractor and mapping (``extract_path`` → ``map_record``); each
document's N-Quads are parsed into one in-memory ``rdflib.Dataset`` (one graph per document,
plus the reference data and, for queries, the derived graph).  Queries run through
:class:`RdflibStore`, which answers ``query(sparql, bindings)`` like ``graph.store.local.Store``
does, so ``graph.answers.trace.trace``, ``graph.analysis.threads.list_threads`` and the bundled
queries run
unchanged on rdflib's SPARQL engine: the comparison is engine against engine, same SPARQL.

Usage (the benchmarks call these; each prints one JSON object):
  python bench/peer_rdflib.py ingest CORPUS_DIR [--limit N]
  python bench/peer_rdflib.py load SPOOL.jsonl                  parse spooled N-Quads only
  python bench/peer_rdflib.py trace DUMP.nq CASE [CASE …]     load a dump, trace, exit
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tree import use_this_tree

use_this_tree()

import psutil
from rdflib import BNode as RBNode
from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.namespace import XSD

from kommunegraf.graph.store.local import DEFAULT_BASE, IRI, BNode, Rows, reference_files
from kommunegraf.graph.store.values import INTEGER_TYPE_NAMES

_INTEGER_TYPES = {XSD[t] for t in INTEGER_TYPE_NAMES}


def _term(value: Any) -> URIRef | Literal | RBNode:
    """A bound value as the rdflib term graph.store.local would bind it to."""
    if isinstance(value, IRI):
        return URIRef(value)
    if isinstance(value, BNode):
        return RBNode(value)
    if isinstance(value, Decimal):
        return Literal(str(value), datatype=XSD.decimal)
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool | int | float | str):
        return Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__}")


def _value(term: Any) -> Any:
    """An rdflib term as the plain value graph.store.local returns for it."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return IRI(str(term))
    if isinstance(term, RBNode):
        return BNode(str(term))
    if isinstance(term, Literal):
        lexical = str(term)
        try:
            if term.datatype in _INTEGER_TYPES:
                return int(lexical)
            if term.datatype == XSD.decimal:
                return Decimal(lexical)
            if term.datatype in (XSD.double, XSD.float):
                return float(lexical)
            if term.datatype == XSD.boolean:
                return lexical in ("true", "1")
        except ValueError:
            return lexical
        return lexical
    return str(term)


class RdflibStore:
    """The read side of ``graph.store.local.Store`` over an rdflib Dataset (union default graph)."""

    def __init__(self, dataset: Dataset, base: str = DEFAULT_BASE) -> None:
        self.dataset = dataset
        self.base = base
        self.reference_graph = base + "graph/reference"
        self.derived_graph = base + "graph/derived"
        self.writable = False

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        init = {Variable(k.lstrip("?$")): _term(v) for k, v in (bindings or {}).items()}
        result = self.dataset.query(sparql, initBindings=init)
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return [(_value(s), _value(p), _value(o)) for s, p, o in result.graph]
        names = [str(v) for v in result.vars or []]

        def rows() -> Iterator[dict[str, Any]]:
            for row in result:
                yield {name: _value(row[name]) for name in names}

        return Rows(names, rows())


def new_dataset() -> Dataset:
    return Dataset(default_union=True)


def load_reference(dataset: Dataset, base: str = DEFAULT_BASE) -> int:
    graph = dataset.graph(URIRef(base + "graph/reference"))
    for path in reference_files():
        graph.parse(path, format="turtle")
    return len(graph)


def add_document(dataset: Dataset, nquads: str) -> None:
    """One document's N-Quads into the Dataset: rdflib puts each quad in its named graph."""
    dataset.parse(data=nquads, format="nquads")


def ingest(paths: Iterable[Path], base: str = DEFAULT_BASE) -> tuple[Dataset, dict[str, float]]:
    """The rdflib pipeline: extract, map, parse each document into one Dataset.

    Returns the Dataset and timings: seconds spent extracting+mapping and parsing.
    """
    from kommunegraf.extract import extract_path
    from kommunegraf.graph.rdf.mapping import map_record

    dataset = new_dataset()
    load_reference(dataset, base)
    stats = {"documents": 0, "quads": 0, "bytes": 0, "extract_s": 0.0, "parse_s": 0.0}
    for path in paths:
        t0 = time.perf_counter()
        mapped = map_record(extract_path(path), base=base)
        t1 = time.perf_counter()
        add_document(dataset, mapped.nquads)
        t2 = time.perf_counter()
        stats["extract_s"] += t1 - t0
        stats["parse_s"] += t2 - t1
        stats["documents"] += 1
        stats["quads"] += mapped.quads
        stats["bytes"] += path.stat().st_size
    return dataset, stats


def load_spool(spool: Path, base: str = DEFAULT_BASE) -> tuple[Dataset, dict[str, float]]:
    """The rdflib loading alone: the N-Quads bench/ingest.py's extraction spooled (one JSON
    line per document), parsed into one Dataset; the same records our store loads."""
    dataset = new_dataset()
    load_reference(dataset, base)
    stats = {"documents": 0, "quads": 0, "bytes": 0, "extract_s": 0.0, "parse_s": 0.0}
    with spool.open(encoding="utf-8") as fh:
        for line in fh:  # reading the spool is outside the clock, as in bench/ingest.py
            doc = json.loads(line)
            t0 = time.perf_counter()
            add_document(dataset, doc["nquads"])
            stats["parse_s"] += time.perf_counter() - t0
            stats["documents"] += 1
            stats["quads"] += doc["quads"]
            stats["bytes"] += doc.get("bytes", 0)
    return dataset, stats


def load_dump(path: Path) -> Dataset:
    """A Dataset from an N-Quads dump (``kommunegraf export --format nq``)."""
    dataset = new_dataset()
    dataset.parse(path, format="nquads")
    return dataset


def _rss_mb() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rdflib peer for the benchmarks")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest")
    p_ingest.add_argument("corpus", type=Path)
    p_ingest.add_argument("--limit", type=int, default=None)
    p_load = sub.add_parser("load")
    p_load.add_argument("spool", type=Path)
    p_trace = sub.add_parser("trace")
    p_trace.add_argument("dump", type=Path)
    p_trace.add_argument("cases", nargs="+")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    before = _rss_mb()
    if args.command in ("ingest", "load"):
        if args.command == "ingest":
            dataset, stats = ingest(sorted(args.corpus.glob("*.txt"))[: args.limit])
        else:
            dataset, stats = load_spool(args.spool)
        out = dict(stats)
        out["triples_in_dataset"] = len(dataset)
        out["graphs"] = sum(1 for _ in dataset.graphs())
    else:
        from kommunegraf.graph.answers.trace import render_table, trace

        dataset = load_dump(args.dump)
        loaded = time.perf_counter()
        store = RdflibStore(dataset)
        lines = 0
        for case in args.cases:
            lines += render_table(trace(store, case)).count("\n")  # type: ignore[arg-type]
        out = {"load_s": loaded - started, "trace_s": time.perf_counter() - loaded, "lines": lines}
    out["seconds"] = time.perf_counter() - started
    out["rss_mb"] = _rss_mb()
    out["rss_growth_mb"] = out["rss_mb"] - before
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
