"""A store as a folder of N-Quads files, one per graph, for a SPARQL server's own bulk loader.

Why: past one machine (issue 21.6), a national store is best loaded into a server by the
server's bulk loader (``oxigraph load``, QLever's index builder, Virtuoso's ``ld_dir``,
Fuseki's ``tdb2.tdbloader``), which reads files, not a kommunegraf store.  One file per
document lets a loader work in parallel, lets a nightly run ship only the documents that
changed, and keeps each file small enough to check by eye.

The folder (written by ``kommunegraf export --per-document DIR``)::

    documents/<2 hex>/<sha16>.nq   one per document graph (…/id/kilde/<sha16>)
    earlier/<sha16>.nq             earlier versions of a meeting's documents (graph.store.versions)
    graphs/<name>.nq               every other graph: reference, derived, shared descriptions
    default.nq                     the default graph a query reads: the union of the graphs
    log.nq                         the ingest log, so that kommunegraf reads the server as its own
    manifest.json                  counts, and the command that loads it all into Oxigraph

Every file is N-Quads with its graph named on each line, so files can be loaded together in
any order.  The log keeps the store format and each exported graph's completion marker, but
not the path digests (keyed by a secret that stays with the store: useless elsewhere, and
not to be published) nor the run ids.  A server loaded from the folder answers every bundled
query as the store does (tests/test_bulk_export.py loads one with ``oxigraph load``).

Everything is read through the Backend protocol, so a server's dataset exports the same way.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from kommunegraf.graph.store.backend import Backend
from kommunegraf.graph.store.local import DOCUMENT_GRAPH, LAST_RUN, SOURCE_PATH, StoreError
from kommunegraf.graph.store.model import FILE_STAMP, FORMAT, SERVER_FORMAT
from kommunegraf.graph.store.versions import EARLIER_PATH

MANIFEST = "manifest.json"
# Log statements that stay behind: path digests (an HMAC under the store's own secret) and
# the id of the run that last wrote a graph.
PRIVATE_LOG = frozenset({SOURCE_PATH.value, LAST_RUN.value, FILE_STAMP.value})
# What a graph's IRI becomes as a file name: "…/graph/reference" → "graph-reference".
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class BulkExport:
    """What an export wrote (also saved as manifest.json)."""

    documents: int = 0
    earlier: int = 0
    graphs: int = 0  # other named graphs (reference, derived …)
    quads: int = 0  # in every file but the log
    default_graph: bool = False  # whether default.nq holds the store's own default graph
    load: str = ""  # the Oxigraph bulk load of the folder, as an example


def export_per_document(store: Backend, folder: str | Path) -> BulkExport:
    """Write ``store`` into ``folder`` (new or empty) as N-Quads files, one per graph."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StoreError(
            f"{folder}: not an empty folder — a bulk export writes into a new one, so that "
            "no file of an earlier export is loaded with it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    done = BulkExport()
    earlier_prefix = store.base + EARLIER_PATH
    exported: set[str] = set()
    for graph in dict.fromkeys([*store.named_graphs(), *store.earlier_versions()]):
        if graph == store.log_graph:
            continue
        if DOCUMENT_GRAPH.search(graph):
            key = graph.rsplit("/", 1)[-1]
            target = folder / "documents" / key[:2] / f"{key}.nq"
            done.documents += 1
        elif graph.startswith(earlier_prefix):
            target = folder / "earlier" / f"{file_name(graph[len(earlier_prefix) :])}.nq"
            done.earlier += 1
        else:
            name = graph[len(store.base) :] if graph.startswith(store.base) else graph
            target = folder / "graphs" / f"{file_name(name)}.nq"
            if target.exists():  # two IRIs folded to one name: keep both
                target = target.with_name(f"{target.stem}-{done.graphs}.nq")
            done.graphs += 1
        done.quads += write_graph(store.graph_ntriples(graph), graph, target)
        exported.add(graph)
    default = default_graph_quads(store, folder / "default.nq")
    done.default_graph = default > 0
    done.quads += default
    if not default:
        (folder / "default.nq").unlink()
    log = ox.NamedNode(store.log_graph)
    kept = log_quads(store.log_ntriples(), log, exported | {store.log_graph})
    ox.serialize(kept, str(folder / "log.nq"), format=ox.RdfFormat.N_QUADS)
    # (xargs: a national export has more files than one command line holds)
    done.load = f"find {folder} -name '*.nq' -print0 | xargs -0 oxigraph load --location DB --file"
    (folder / MANIFEST).write_text(json.dumps(asdict(done), indent=2) + "\n", encoding="utf-8")
    return done


def file_name(text: str) -> str:
    """A file name (without suffix) for a graph's IRI or its tail."""
    return UNSAFE_NAME.sub("-", text).strip("-.") or "graph"


def write_graph(ntriples: bytes, graph: str, target: Path) -> int:
    """Write one graph's N-Triples as N-Quads in ``graph``; returns the number of quads."""
    node = ox.NamedNode(graph)
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, node)
        for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(quads, str(target), format=ox.RdfFormat.N_QUADS)
    return len(quads)


def default_graph_quads(store: Backend, target: Path) -> int:
    """Write the default graph a query reads (what :meth:`Backend.export` writes as Turtle:
    the union of the embedded store's graphs, a server's merged default graph) to
    ``target``; returns its size.

    Streamed through a temporary Turtle file: at national scale it is the largest graph.
    """
    counted = 0

    def counting(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        nonlocal counted
        for quad in quads:
            counted += 1
            yield quad

    with tempfile.TemporaryDirectory(prefix="kommunegraf-export-") as tmp:
        turtle = Path(tmp) / "default.ttl"
        with turtle.open("wb") as out:
            store.export("ttl", out)
        quads = ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE)
        ox.serialize(counting(quads), str(target), format=ox.RdfFormat.N_QUADS)
    return counted


def log_quads(ntriples: bytes, log: ox.NamedNode, subjects: set[str]) -> list[ox.Quad]:
    """The log's statements about ``subjects`` (the exported graphs and the log itself),
    without those that stay behind (:data:`PRIVATE_LOG`), in a server's layout: the folder's
    default.nq is the merge of its graphs (format 2, graph.store.remote), whatever layout the
    exporting store keeps."""
    server = ox.Literal(SERVER_FORMAT)
    return [
        ox.Quad(q.subject, q.predicate, server if q.predicate == FORMAT else q.object, log)
        for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value in subjects
        and q.predicate.value not in PRIVATE_LOG
    ]
