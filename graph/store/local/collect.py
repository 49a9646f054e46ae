"""Collecting the shared descriptions no document mentions any more (``kommunegraf gc``).

Replacing or removing a document drops its graph and nothing else (graph.store.local.store):
the descriptions of the shared things it mentioned (a person's name, a committee's label) stay
in the shared graph, since other documents may mention them too.  This step finds those that
none does and removes them.  A shared thing is kept when

1. a document graph points at it (an item mentions the person, a vote names the party), or
2. a kept shared thing points at it (a committee's municipality, a provision's law), or
3. its IRI lies below a kept one's (a person's party membership, ``…/person/x/medlemskab/f``,
   lives and dies with the person: nothing points at a membership, it points at the person).

The reference and derived graphs keep nothing: the reference data describes its own things
and is loaded whole, and the derived graph is recomputed from the documents.  Blank nodes
never leave their document, so the shared graph has none of its own.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.store.model import DOCUMENT_GRAPH


def collect_shared(store: Any, shared: ox.NamedNode) -> int:
    """Remove from ``shared`` (a graph of the pyoxigraph ``store``) the descriptions of
    things no document mentions (see the module docstring); returns the triples removed."""
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, shared)
        if isinstance(q.subject, ox.NamedNode)
    }
    kept = {s for s in subjects if _mentioned(store, ox.NamedNode(s))}
    frontier = set(kept)
    while frontier:
        found: set[str] = set()
        for subject in frontier:  # rule 2: what a kept thing points at
            for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, shared):
                target = q.object
                if isinstance(target, ox.NamedNode) and target.value in subjects:
                    found.add(target.value)
        for subject in subjects - kept - found:  # rule 3: below a kept thing
            parent = _parent_in(subject, subjects)
            if parent is not None and (parent in kept or parent in found):
                found.add(subject)
        frontier = found - kept
        kept |= frontier
    gone = [
        q
        for subject in sorted(subjects - kept)
        for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, shared)
    ]
    for quad in gone:
        store.remove(quad)
    return len(gone)


def _mentioned(store: Any, node: ox.NamedNode) -> bool:
    """Whether some document graph has a triple whose object is ``node`` (rule 1)."""
    for q in store.quads_for_pattern(None, None, node, None):
        graph = q.graph_name
        if isinstance(graph, ox.NamedNode) and DOCUMENT_GRAPH.search(graph.value):
            return True
    return False


def _parent_in(iri: str, subjects: set[str]) -> str | None:
    """The nearest IRI above ``iri`` (cut at its slashes) that is a shared subject."""
    head = iri
    while "/" in head:
        head = head.rsplit("/", 1)[0]
        if head in subjects:
            return head
        if head.endswith("/id"):
            return None
    return None
