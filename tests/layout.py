"""How the embedded store lays out a document (each triple once): its own triples in its
graph, the descriptions of shared things once in the shared graph or the reference data.

Tests that compare a stored document with what its mapping printed read it through
:func:`as_stored`, so that they still hold every line of the document in the store.
"""

from __future__ import annotations

from typing import Any

from kommunegraf.graph.rdf.ownership import owned_by_document
from kommunegraf.graph.store.local.store import line_subject


def as_stored(
    store: Any, graph: str, expected: set[bytes], *, kept_in: str | None = None
) -> set[bytes]:
    """What the store holds of document ``graph`` whose mapping gave the N-Triples lines
    ``expected``: its graph's lines (each of which must be the document's own), and those
    of the expected shared descriptions the store holds once, in the shared graph or the
    reference data.  Equal to ``expected`` exactly when the document is wholly and rightly
    stored.  ``kept_in``: the graph holding its own lines instead (an earlier version's)."""
    own = set(store.graph_ntriples(kept_in or graph).splitlines())
    strays = [
        line for line in own if not owned_by_document(line_subject(line.decode("utf-8")), graph)
    ]
    assert not strays, f"shared descriptions in the graph of {graph}: {strays[:3]}"
    held = _held(store)
    return own | {line for line in expected - own if line in held}


def _held(store: Any) -> set[bytes]:
    lines = set(store.graph_ntriples(store.shared_graph).splitlines())
    return lines | set(store.graph_ntriples(store.reference_graph).splitlines())
