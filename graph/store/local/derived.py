"""The embedded store's non-document graphs: the derived graph (replaced by its difference,
patched, or loaded first as it comes) and the reference data.

A mixin of graph.store.local.store.Store.  A graph loaded whole (the reference data, a first
derived graph) is unmarked until it is whole, so that a writer killed meanwhile leaves it to be
dropped and loaded again; a derived graph already stored changes in one update and keeps its
mark, so that a kill never leaves readers without one.  Each change holds the step lock
throughout: a reader sees the graph before or after.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf.graph.store.model import INGEST_COMPLETE, reference_digest

# Triples per bulk load of the derived graph (the loader holds its whole input in memory)
DERIVED_LOAD_SLICE = 50_000
# An N-Triples line whose subject or object is a blank node: "_:b0 <p> <o> .", "<s> <p> _:b1 ."
BLANK_NODE_TRIPLE = re.compile(r"(?:_:|<[^>]*> <[^>]*> _:)")


class DerivedWrites:
    """Writes of the derived graph and the reference graph (each marked when whole)."""

    _store: Any
    _books: Any
    _log: ox.NamedNode
    derived_graph: str
    reference_graph: str
    _one_step: Callable[[], Any]  # Store's: the step lock held across several changes
    _unshare_reference_op: Callable[[], str]
    _require_writable: Callable[[], None]
    _unmark_ops: Callable[[Iterable[Any]], list[str]]  # graph.store.updates'

    def _mark_ops(self, node: ox.NamedNode, marker: str | None) -> str:
        """The log update that unmarks ``node`` and, given a marker, marks it anew."""
        (op,) = self._unmark_ops([node])
        if marker is not None:
            op += (
                f" ;\nINSERT DATA {{ GRAPH {self._log} {{ "
                f"{node} {INGEST_COMPLETE} {ox.Literal(marker)} }} }}"
            )
        return op

    def _replace_managed(self, node: ox.NamedNode, load: Any, marker: str) -> None:
        """Swap a non-document graph: unmark and drop it, load it, then mark it complete; a
        crash before the mark leaves it unmarked, and the next writer drops it."""
        with self._one_step():
            self._books.update(self._mark_ops(node, None))
            self._store.update(f"DROP SILENT GRAPH {node}")
            load()
            self._books.update(self._mark_ops(node, marker))

    def replace_graph(self, graph: str, ntriples: str | Iterable[str]) -> int:
        """Replace the derived graph (or another non-document graph) with N-Triples: a text,
        or its lines without their ends, read once (a national corpus's derived graph is
        streamed so: loaded as it comes the first time, held once with 16-byte keys to be
        compared with what is stored afterwards).  Returns the number of triples given."""
        self._require_writable()
        node = ox.NamedNode(graph)
        if isinstance(ntriples, str):
            # not splitlines(): a literal may hold U+2028 or U+0085, which end a line there
            lines: Iterable[str] = [line for line in ntriples.split("\n") if line]
        else:
            lines = ntriples
        if graph == self.derived_graph:
            return self._update_derived(node, lines)
        lines = list(lines)
        text = "".join(line + "\n" for line in lines)
        data = text.encode("utf-8")

        def load() -> None:
            if data:
                self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)

        marker = ntriples if isinstance(ntriples, str) else text
        self._replace_managed(node, load, hashlib.sha256(marker.encode("utf-8")).hexdigest())
        return len(lines)

    def _update_derived(self, node: ox.NamedNode, lines: Iterable[str]) -> int:
        """Bring the derived graph to ``lines`` by its difference from what is stored.

        An ingest changes a small part of the threads, links and centralities, and deleting
        is the slow half of Oxigraph's writes (seconds per 50,000 triples), so only the
        triples that went away are deleted and only new ones added.  Its lines never hold a
        blank node (a line is the key of its triple).

        Readers must see the old derived graph or the new one, never none and never half:
        a graph already stored changes in one SPARQL update and stays marked
        (:meth:`_change_derived`).  Only a first computation, with nothing
        for a reader to lose, is bulk-loaded in slices as it comes, unmarked until whole (a
        writer killed meanwhile leaves it unmarked; the next one drops it and recomputes).
        """
        import tempfile  # here: a reader, which never writes the derived graph, needs none

        with tempfile.TemporaryFile() as stored:  # the stored lines, read back as they come
            if self._store.contains_named_graph(node):
                self._store.dump(stored, format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            if stored.tell() == 0:
                self._books.update(self._mark_ops(node, None))
                count, digest = self._load_derived_first(node, lines)
                self._books.update(self._mark_ops(node, digest))
                return count
            count, digest, gone, added = _derived_difference(lines, stored)
        self._change_derived(node, gone, added, digest)
        return count

    def _change_derived(
        self, node: ox.NamedNode, gone: list[str], added: list[str], marker: str
    ) -> None:
        """Delete ``gone`` and insert ``added`` (N-Triples lines) in one update of the data
        store, then swap the graph's marker in the log, under one hold of the step lock.

        The graph stays marked throughout: a writer killed between the two leaves the new
        graph under its old marker (complete, and what the next run compares with), never a
        graph the next writer would drop; an update that fails changes nothing."""
        ops: list[str] = []
        if gone:
            ops.append(f"DELETE DATA {{ GRAPH {node} {{ {' '.join(gone)} }} }}")
        if added:
            ops.append(f"INSERT DATA {{ GRAPH {node} {{ {chr(10).join(added)} }} }}")
        with self._one_step():
            if ops:
                self._store.update(" ;\n".join(ops))
            self._books.update(self._mark_ops(node, marker))

    def _load_derived_first(self, node: ox.NamedNode, lines: Iterable[str]) -> tuple[int, str]:
        """Load a first derived graph as its lines come (never held whole: hundreds of MB at
        national scale); returns how many lines there are and their text's digest."""
        digest, count, pending = hashlib.sha256(), 0, []

        def load() -> None:
            data = "\n".join(pending).encode("utf-8")
            self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
            pending.clear()

        for line in lines:
            _check_derived_line(line)
            digest.update(line.encode("utf-8") + b"\n")
            count += 1
            pending.append(line)
            if len(pending) >= DERIVED_LOAD_SLICE:
                load()
        if pending:
            load()
        return count, digest.hexdigest()

    def patch_derived(self, remove: Iterable[str], add: Iterable[str]) -> int:
        """Change a part of the derived graph: delete the N-Triples lines ``remove`` (as
        :meth:`construct_lines` gave them) and insert ``add``; returns the lines added.

        What an ingest of a few documents into a large store needs (the threads of the
        municipalities it touched) without recomputing the whole graph.  One SPARQL update,
        which Oxigraph applies as a transaction: readers see the graph before or after, a
        writer killed meanwhile leaves it marked, and a line that does not parse changes
        nothing.
        (Patches are small; a whole recomputation goes through the bulk loader.)  The lines
        are N-Triples this project printed (no user text is spliced unescaped).
        """
        self._require_writable()
        gone, added = list(remove), list(add)
        for line in added:
            _check_derived_line(line)
        digest = hashlib.sha256("\n".join(["-", *gone, "+", *added]).encode("utf-8"))
        node = ox.NamedNode(self.derived_graph)
        self._change_derived(node, gone, added, "patch:" + digest.hexdigest())
        return len(added)

    def derived_subjects(self, predicate: str, obj: str) -> set[str]:
        """The subjects of the derived graph's (?, ``predicate``, ``obj``) triples (``obj``
        an IRI): one index scan."""
        scan = self._store.quads_for_pattern(
            None, ox.NamedNode(predicate), ox.NamedNode(obj), ox.NamedNode(self.derived_graph)
        )
        return {q.subject.value for q in scan}

    def derived_objects(self, subjects: Iterable[str], predicate: str) -> set[str]:
        """The IRI objects of ``subjects``' ``predicate`` triples in the derived graph."""
        graph, p = ox.NamedNode(self.derived_graph), ox.NamedNode(predicate)
        return {
            q.object.value
            for s in subjects
            for q in self._store.quads_for_pattern(ox.NamedNode(s), p, None, graph)
            if isinstance(q.object, ox.NamedNode)
        }

    def derived_lines_about(self, subjects: Iterable[str]) -> set[str]:
        """Every line of the derived graph whose subject is one of ``subjects``, in the form
        :meth:`construct_lines` gives (what :meth:`patch_derived` removes must match what is
        stored).  A scan a subject: a CONSTRUCT over the same subjects read 4,199 lines of a
        municipality in 0.33 s at 10,000 documents, these scans in 0.04 s."""
        graph = ox.NamedNode(self.derived_graph)
        return {
            f"{q.triple} ."
            for s in subjects
            for q in self._store.quads_for_pattern(ox.NamedNode(s), None, None, graph)
        }

    def load_reference(self, paths: Iterable[Path] | None = None) -> bool:
        """(Re)load the reference data (``ontology/reference/*.ttl``) into its graph.

        Skipped when the files are those loaded last time (their digest is the graph's
        completion marker); returns whether it loaded.
        """
        self._require_writable()
        files, digest = reference_digest(paths)
        node = ox.NamedNode(self.reference_graph)
        marker = (node, INGEST_COMPLETE, ox.Literal(digest), self._log)
        if next(iter(self._books.quads_for_pattern(*marker)), None) is not None:
            return False

        def load() -> None:
            for path in files:
                self._store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=node)
            self._store.update(self._unshare_reference_op())  # each triple once

        self._replace_managed(node, load, digest)
        return True


def _line_key(line: bytes) -> bytes:
    """A derived line's key for telling lines apart: 16 bytes in place of a line of ≈ 150
    (the odds of two of a national corpus's 13 million lines sharing one: below 1 in 10^24)."""
    return hashlib.blake2b(line, digest_size=16).digest()


def _check_derived_line(line: str) -> None:
    """A derived line is the key of its triple (what a later difference deletes), which a
    blank node, renamed by every load, would not be."""
    if "_:" in line and BLANK_NODE_TRIPLE.match(line):
        raise ValueError(f"a derived triple with a blank node: {line[:200]}")


def _derived_difference(
    lines: Iterable[str], stored: IO[bytes]
) -> tuple[int, str, list[str], list[str]]:
    """The derived graph's new ``lines`` against the ``stored`` N-Triples (a file at its
    end): how many lines there are, their text's digest, the stored lines that went away and
    the new lines not stored.

    Lines are told apart by 16-byte keys, so that neither the old lines nor a second copy of
    the new ones are held as sets.  One triple may be printed two ways ("0.0" given, "0"
    stored, one xsd:double): it is then deleted and added, which the one update applies in
    that order.
    """
    stored.seek(0)
    digest, new, keys = hashlib.sha256(), [], []
    for line in lines:
        _check_derived_line(line)
        encoded = line.encode("utf-8")
        digest.update(encoded + b"\n")
        keys.append(_line_key(encoded))
        new.append(line)
    unmatched = set(keys)  # the new lines not (yet) met among the stored ones
    gone: list[str] = []
    for raw in stored:
        raw = raw.rstrip(b"\n")
        if raw:
            key = _line_key(raw)
            if key in unmatched:  # the stored lines are distinct: met once at most
                unmatched.discard(key)
            else:
                gone.append(raw.decode("utf-8"))
    added = [line for line, key in zip(new, keys, strict=True) if key in unmatched]
    return len(new), digest.hexdigest(), gone, added
