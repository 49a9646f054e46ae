"""What a batch load, a replacement, a removal and a move aside do: written once, for both
backends.

The embedded store (graph.store.local: each triple once, the log in a bookkeeping store of its
own) and a SPARQL server (graph.store.remote: one named graph per document, the ingest log and
a merged default graph in one dataset) make the same decisions on a write: which documents are
already in with the same quads, which paths move to which graph, which graphs are superseded,
which documents of a meeting are moved aside, and the SPARQL Update text that does it. A
backend supplies only how it reads the log (:class:`DocumentUpdates`' hooks), how it loads a
batch's text, and how it applies a list of phases (:meth:`DocumentUpdates._apply`: the log's
operations and the data's, which a server joins into one update and the embedded store runs in
order, one transaction of each store a phase); the order of the steps, and so the crash safety,
is decided here:

1. the graphs about to be reloaded are unmarked in the log, then emptied;
2. the backend loads the batch (bulk loader, or a PUT per graph), not transactionally;
3. what the backend did not merge while loading is merged, the earlier versions of a
   meeting are copied aside, then one log transaction marks the batch complete, moves the
   paths' entries and the earlier versions' entries, and then the superseded graphs and the
   documents moved aside are dropped.
A writer killed before the log transaction of 3 leaves the batch unmarked, and the next writer
removes it; killed after it, the graphs still to drop are unmarked, and go the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.store import versions
from kommunegraf.graph.store.model import (
    DOCUMENT_GRAPH,
    FILE_STAMP,
    INGEST_COMPLETE,
    LAST_RUN,
    LOG_PATH,
    SOURCE_PATH,
    DocumentLoad,
    content_marker,
    one_per_graph,
    path_key,
)

# A lone surrogate: what a file name's undecodable byte becomes in Python (surrogateescape)
# and U+FFFD in the name a document states (graph.rdf.mapping).  Example: "m\udce6de.txt".
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def stated_name(path: str) -> str:
    """The file name a document read from ``path`` states (graph.rdf.mapping's kg:path)."""
    return LONE_SURROGATE_RE.sub("\ufffd", os.path.basename(path))


LOG, DATA = "log", "data"  # what a phase's operations change: the ingest log, or the graphs
# A phase: operations on the log or on the data, or a step the backend runs itself
Phase = tuple[str, list[str]] | Callable[[], None]


@dataclass
class Aside:
    """What moving one document aside as an earlier version takes, in the three phases of
    step 3: copying its quads (before the log changes), the log's operations, and dropping
    its graph (after them)."""

    copy: list[Phase] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)


def iri_of(graph: Any) -> str:
    """A graph as its IRI string (a pyoxigraph NamedNode or the string itself)."""
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)


def term(iri: str) -> str:
    """An IRI as SPARQL text (validated and escaped by pyoxigraph)."""
    return str(ox.NamedNode(iri))


class DocumentUpdates:
    """The write side both backends share; a backend sets ``base``, ``log_graph``,
    ``derived_graph`` and ``_log`` and implements the hooks below."""

    base: str
    log_graph: str
    derived_graph: str
    reference_graph: str
    shared_graph: str
    _log: Any  # the log graph's IRI as a term (prints as ``<…>``)
    _not_earlier: str  # graph.store.versions.not_earlier("?other", base)

    def _name_graphs(self, base: str) -> None:
        """The graphs every backend names the same way below ``base``."""
        self.base = base
        self.reference_graph = base + "graph/reference"
        self.derived_graph = base + "graph/derived"
        self.shared_graph = base + "graph/shared"  # the embedded store's (a server has none)
        self.log_graph = base + LOG_PATH
        self._not_earlier = versions.not_earlier("?other", base)

    # ----- hooks: how a backend reads the log, loads text and sends an update ----------

    def _update(self, operations: list[str]) -> None:
        """Run the operations as one update (one transaction)."""
        raise NotImplementedError

    def _apply(self, phases: list[Phase]) -> None:
        """Apply the phases in order.  A backend with one dataset (a SPARQL server) runs
        all their operations as one update; the embedded store overrides this."""
        ops: list[str] = []
        for phase in phases:
            if callable(phase):
                raise TypeError("a one-dataset backend states every phase as operations")
            ops += phase[1]
        self._update(ops)

    def _one_step(self) -> Any:
        """A context held from a batch's first change to its marks (the embedded store's
        step lock, so that a reader never copies a batch half-applied)."""
        return contextlib.nullcontext()

    def _aside_parts(self, loser: str, earlier: str, shown: str) -> Aside:
        """How to move document graph ``loser`` aside to ``earlier`` (``shown`` is the one
        shown instead): in one dataset, a copy in SPARQL and a retraction."""
        loser_t, earlier_t = term(loser), term(earlier)
        copy = [
            f"DROP SILENT GRAPH {earlier_t}",
            f"INSERT {{ GRAPH {earlier_t} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {loser_t} {{ ?s ?p ?o }} }}",
        ]
        log = versions.aside_log_ops(loser_t, earlier_t, term(shown), str(self._log))
        return Aside(copy=[(DATA, copy)], log=log, data=self._retract_ops([loser]))

    def _existing(self, graphs: list[str]) -> list[str]:
        """Those of ``graphs`` that exist (the others need no retracting)."""
        return graphs

    def _unchanged(self, markers: dict[str, str]) -> set[str]:
        """The graphs whose completion marker is already the given one (same quads)."""
        raise NotImplementedError

    def _stamped(self, stamps: list[tuple[str, str]]) -> dict[str, str]:
        """Of the ("<path key> <stamp>", file name) pairs, those whose stamp a complete
        document holds beside that path and whose name it states: stamp → the document's
        IRI (a kept earlier version's too: the IRI its quads name, not its graph's)."""
        raise NotImplementedError

    def _paths_of(self, keys: Iterable[str], *, by: str) -> list[tuple[str, str]]:
        """(graph, path digest) pairs in the log, for the given digests (``by="key"``) or
        graphs (``by="g"``)."""
        raise NotImplementedError

    def _shown_versions(self, meetings: list[str]) -> dict[str, dict[str, str]]:
        """For each meeting, its complete document graphs in the log → their version keys."""
        raise NotImplementedError

    def _names(self, graph: str) -> tuple[str, ...]:
        """The file name(s) a document states (for the overlap report)."""
        raise NotImplementedError

    def _prepare(self, loading: list[DocumentLoad]) -> Any:
        """What the backend will load, made before anything is written: a document whose
        text is shaped otherwise is refused with its batch whole."""
        raise NotImplementedError

    def _load(self, prepared: Any) -> None:
        """Load the prepared batch into its graphs (step 2)."""
        raise NotImplementedError

    def _merge_ops(self, graphs: list[str]) -> list[str]:
        """Operations merging loaded graphs into the default graph, if loading did not."""
        return []

    def _path_secret(self) -> bytes | None:
        raise NotImplementedError

    def _require_writable(self) -> None:
        raise NotImplementedError

    # ----- the operations -----------------------------------------------------------------

    def _retract_ops(self, graphs: Iterable[Any]) -> list[str]:
        """SPARQL Update operations dropping ``graphs`` and, from the merged default graph,
        the triples that no other named graph states."""
        iris = self._existing([iri_of(g) for g in graphs])
        # The operations run in order, each graph dropped right after its share: a triple
        # that several leaving graphs state stays until the last of them goes.  (Naming
        # every leaving graph in each operation made the text grow with their square: a
        # batch of thousands of small documents gave an update of gigabytes.)  The ingest
        # log is no source of the merged graph: a triple it also holds does not keep one.
        ops = []
        for iri in iris:
            g = term(iri)
            if iri == self.derived_graph:  # its predicates are stated by no other graph
                ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
            else:
                ops.append(
                    f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                    f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                    f"FILTER(?other != {g} && ?other != {self._log} && {self._not_earlier}) }} }}"
                )
            ops.append(f"DROP SILENT GRAPH {g}")
        return ops

    def _forget_ops(self, graphs: Iterable[Any]) -> list[str]:
        """Operations dropping every log entry of ``graphs``."""
        return [
            f"DELETE WHERE {{ GRAPH {self._log} {{ {term(iri_of(g))} ?p ?o }} }}" for g in graphs
        ]

    def _unmark_ops(self, graphs: Iterable[Any]) -> list[str]:
        """Operations dropping the completion marker of ``graphs``."""
        return [
            f"DELETE WHERE {{ GRAPH {self._log} {{ {term(iri_of(g))} {INGEST_COMPLETE} ?x }} }}"
            for g in graphs
        ]

    # ----- documents ------------------------------------------------------------------------

    def replace_documents(
        self,
        docs: Iterable[DocumentLoad],
        *,
        run: str = "",
        loaded: set[str] | None = None,
        overlaps: list[versions.Overlap] | None = None,
    ) -> list[str]:
        """Load a batch of documents, each replacing its graph and older versions of its paths.

        Returns the graphs dropped because each of their paths now yields another graph;
        ``loaded`` gets the graphs written (a document already in with the same quads is not);
        ``overlaps`` gets each document moved aside as an earlier version of its meeting
        (graph.store.versions: of one meeting's documents only one is shown).  The steps
        are the module docstring's.
        """
        self._require_writable()
        batch = one_per_graph(docs)
        if not batch:
            return []
        markers = {d.graph: content_marker(d.nquads) for d in batch.values() if d.nquads}
        # already wholly in with the same quads: never unmarked, so a kill keeps it
        unchanged = self._unchanged(markers)
        # … or kept aside as an earlier version of its meeting with the same quads: left there
        earlier = {g: versions.earlier_graph(self.base, g) for g in markers if g not in unchanged}
        found = self._unchanged({earlier[g]: markers[g] for g in earlier})
        aside = {g for g in earlier if earlier[g] in found}
        # a further name of a document kept as an earlier version goes on that version
        aside |= {
            g
            for g, d in batch.items()
            if d.nquads is None
            and not self.is_complete(g)
            and self.is_complete(versions.earlier_graph(self.base, g))
        }
        unchanged |= aside
        loading = [d for d in batch.values() if d.nquads is not None and d.graph not in unchanged]
        prepared = self._prepare(loading)
        if loaded is not None:
            loaded.update(d.graph for d in loading)
        graphs = [d.graph for d in loading]
        with self._one_step():
            if loading:
                self._apply([(LOG, self._unmark_ops(graphs)), (DATA, self._retract_ops(graphs))])
                self._load(prepared)
            del prepared
            superseded, log_ops, inserts = self._log_changes(batch, markers, unchanged, aside, run)
            old_graphs = sorted(superseded)
            log_ops += self._forget_ops(old_graphs)
            log_ops.append(f"INSERT DATA {{ GRAPH {self._log} {{ {' '.join(inserts)} }} }}")
            moves = self._aside([d for d in loading if d.meeting], superseded, overlaps)
            self._apply(
                [
                    (DATA, self._merge_ops(graphs)),
                    *(phase for move in moves for phase in move.copy),
                    (LOG, log_ops + [op for move in moves for op in move.log]),
                    (DATA, self._retract_ops(old_graphs) + [op for m in moves for op in m.data]),
                ]
            )
        return old_graphs

    def _log_changes(
        self,
        batch: dict[str, DocumentLoad],
        markers: dict[str, str],
        unchanged: set[str],
        aside: set[str],
        run: str,
    ) -> tuple[set[str], list[str], list[str]]:
        """The log's side of step 3: the graphs superseded (each of their paths now yields
        another graph), the operations deleting entries, and the triples to insert (paths,
        markers, the run, the meeting and version of each document)."""
        secret = self._path_secret()
        assert secret is not None  # a writer always has one
        log = self._log
        keys = {doc.graph: [path_key(p, secret).value for p in doc.paths] for doc in batch.values()}
        holders = self._paths_of({k for ks in keys.values() for k in ks}, by="key")
        held_paths = set(holders)
        remaining: dict[str, set[str]] = {}
        for old, key in self._paths_of({g for g, _ in holders}, by="g"):
            remaining.setdefault(old, set()).add(key)
        ops: list[str] = []
        inserts: list[str] = []
        superseded: set[str] = set()
        for doc in batch.values():
            subject = (
                versions.earlier_graph(self.base, doc.graph) if doc.graph in aside else doc.graph
            )
            node = term(subject)
            for key in keys[doc.graph]:
                literal = ox.Literal(key)
                for old, held in holders:
                    if held != key or old == subject:
                        continue
                    entry = f"{term(old)} {SOURCE_PATH} {literal}"
                    ops.append(f"DELETE DATA {{ GRAPH {log} {{ {entry} }} }}")
                    ops.append(self._forget_stamp_op(term(old), key))
                    remaining.get(old, set()).discard(key)
                    if not remaining.get(old) and old not in batch:
                        superseded.add(old)
                inserts.append(f"{node} {SOURCE_PATH} {literal} .")
            for key, stamp in zip(keys[doc.graph], doc.stamps, strict=False):
                if (subject, key) in held_paths:  # a stamp stands only beside its path
                    ops.append(self._forget_stamp_op(node, key))
                if stamp:
                    inserts.append(f"{node} {FILE_STAMP} {ox.Literal(f'{key} {stamp}')} .")
            if doc.graph in markers and doc.graph not in unchanged:
                inserts.append(f"{node} {INGEST_COMPLETE} {ox.Literal(markers[doc.graph])} .")
            ops.append(f"DELETE WHERE {{ GRAPH {log} {{ {node} {LAST_RUN} ?r }} }}")
            inserts.append(f"{node} {LAST_RUN} {ox.Literal(run)} .")
            if doc.meeting and doc.graph not in aside:
                inserts.append(f"{node} {versions.OF_MEETING} {term(doc.meeting)} .")
                ops.append(f"DELETE WHERE {{ GRAPH {log} {{ {node} {versions.VERSION_KEY} ?v }} }}")
                inserts.append(f"{node} {versions.VERSION_KEY} {ox.Literal(doc.version)} .")
        return superseded, ops, inserts

    def _forget_stamp_op(self, node: str, key: str) -> str:
        """The operation dropping document ``node``'s stamp of the path with key ``key``."""
        pattern = f"GRAPH {self._log} {{ {node} {FILE_STAMP} ?s }}"
        prefix = ox.Literal(key + " ")
        return f"DELETE {{ {pattern} }} WHERE {{ {pattern} FILTER(STRSTARTS(?s, {prefix})) }}"

    def unchanged_files(self, stamps: dict[str, str]) -> dict[str, str]:
        """Those of the files ``stamps`` gives (absolute path → graph.ingest.stamps'
        stamp) that the store holds as they are now, each with its document's IRI: the log
        holds the file's path with that very stamp on a complete document (shown, or kept as
        an earlier version), and the document states the file's name.

        Only the completion marker vouches for a stamp (a document being reloaded, or left
        half-loaded by a killed writer, has none).  The name matters where one document has
        several files: it states the name of the one it was loaded from, and a file whose
        name it does not state is read, so that a document whose stated file went elsewhere
        is loaded again from one it still has."""
        secret = self._path_secret()
        if secret is None or not stamps:  # no writer ever keyed a path here
            return {}
        wanted = {
            f"{path_key(p, secret).value} {s}": (p, stated_name(p)) for p, s in stamps.items()
        }
        asked = [(value, name) for value, (_, name) in wanted.items()]
        return {wanted[value][0]: document for value, document in self._stamped(asked).items()}

    def _aside(
        self,
        news: list[DocumentLoad],
        dropped: set[str],
        overlaps: list[versions.Overlap] | None,
    ) -> list[Aside]:
        """The moves aside, for each meeting of the documents ``news`` loads, of every
        document of it but the one graph.store.versions shows (``dropped`` are leaving anyway)."""
        meetings = sorted({d.meeting for d in news if d.meeting})
        if not meetings:
            return []
        stored = self._shown_versions(meetings)
        candidates: dict[str, dict[str, str]] = {}
        for meeting in meetings:
            shown = stored.get(meeting, {})
            candidates[meeting] = {
                g: v for g, v in shown.items() if DOCUMENT_GRAPH.search(g) and g not in dropped
            }
            candidates[meeting].update({d.graph: d.version for d in news if d.meeting == meeting})
        return [
            self._aside_parts(loser, versions.earlier_graph(self.base, loser), shown_graph)
            for loser, shown_graph in versions.set_aside(candidates, self._names, overlaps)
        ]

    def drop_documents(self, graphs: Iterable[str]) -> None:
        """Remove document graphs (a server's, with their share of the merged graph) and their
        log entries: the log first, so that a kill between leaves unmarked graphs."""
        self._require_writable()
        graphs = list(graphs)
        if graphs:
            self._apply([(LOG, self._forget_ops(graphs)), (DATA, self._retract_ops(graphs))])
