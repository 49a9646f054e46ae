"""The Python values that stand for RDF nodes: :class:`IRI` and :class:`BNode`.

Strings that know which node they are.  The store binds an ``IRI`` as a named node and gives
one back for every named node in a result; the bundled queries bind a parameter of kind
``iri`` or ``municipality`` as one.  They live here, beside the vocabulary, below both the
store (graph/store/values.py converts them to and from pyoxigraph's terms) and queries/,
so that neither needs the other for them.  Nothing is imported.
"""

from __future__ import annotations

__all__ = ["IRI", "BNode"]


class IRI(str):
    """A string that is an IRI: binds as a named node, and marks named nodes in results."""

    __slots__ = ()


class BNode(str):
    """A blank node's label in query results."""

    __slots__ = ()
