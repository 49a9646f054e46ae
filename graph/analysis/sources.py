"""Where the derived graph's computation reads its triples: the store, or the documents'
facts kept beside it (graph.analysis.ledger).

Both answer the same few reads (:class:`Source`), so that threads, links and centrality are
computed by one code path and a recomputation from the store gives what the facts give.
The store's reads are SPARQL over its default graph (the union of the documents and the
reference data); the facts' reads are the same joins in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from kommunegraf.graph.store.local import IRI
from kommunegraf.ontology.terms import sparql_prefixes

if TYPE_CHECKING:
    from kommunegraf.graph.store.local import Store

_P = sparql_prefixes(("kg", "rdf", "rdfs", "dcterms", "org", "eli", "xsd"))

POSTPONED_QUERY = (
    _P
    + """
SELECT ?outcome ?item ?date WHERE {
  ?decision kg:outcome ?outcome ; kg:item ?item .
  OPTIONAL { ?decision kg:date ?date }
}"""
)
# Absences and votes link people to items over two hops (the simple links are read with
# Store.pairs).  No DISTINCT: the store's default graph is a set, and rows fill sets and dicts.
# The rare link comes first: Oxigraph 0.5 joins in the order written, and starting from every
# decision's item took 2-4x as long at 10,000 documents (absences 1.28 → 0.58 s, voters
# 1.12 → 0.28 s).
ABSENT_QUERY = _P + "SELECT ?item ?entity WHERE { ?decision kg:absent ?entity ; kg:item ?item }"
VOTERS_QUERY = (
    _P
    + """
SELECT ?item ?entity WHERE {
  ?vote ?role ?entity . FILTER(?role IN (kg:votedFor, kg:votedAgainst, kg:abstained))
  ?decision kg:vote ?vote ; kg:item ?item .
}"""
)
# The entities' labels, joined in the store: every item, decision and case has a label too,
# and reading them all to keep a few thousand cost five times as much.
ENTITY_LABELS_QUERY = (
    _P
    + """
SELECT ?entity ?label WHERE {
  VALUES ?kind { kg:Person kg:Organization kg:Project kg:Law }
  ?entity a ?kind ; rdfs:label ?label .
}"""
)


class Source(Protocol):
    """The reads the derived graph is computed from (values as lexical strings)."""

    base: str

    def pairs(self, predicate: str, obj: str | None = None) -> Iterable[tuple[str, str]]:
        """(subject, object) of every triple with ``predicate`` (and ``obj``)."""
        ...

    def postponed(self, outcome: str) -> Iterable[tuple[str, str | None]]:
        """(item, decision date or None) of each decision with ``outcome``."""
        ...

    def absences(self) -> Iterable[tuple[str, str]]:
        """(item, person) of each absence from a decision on the item."""
        ...

    def voters(self) -> Iterable[tuple[str, str]]:
        """(item, person) of each named vote in a decision on the item."""
        ...

    def entity_labels(self) -> Iterable[tuple[str, str]]:
        """(entity, label) of people, organisations, projects and laws."""
        ...

    def document_count(self) -> int:
        """How many documents the reads cover."""
        ...


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def query_pairs(
    store: Store, query: str, a: str, b: str, bindings: dict[str, Any] | None = None
) -> Iterator[tuple[str, str]]:
    """(a, b) value pairs of a two-variable query, as strings."""
    rows = store.query(query, bindings)
    return ((str(r[a]), str(r[b])) for r in rows)  # type: ignore[union-attr]


class StoreSource:
    """The reads from a store's default graph (what ``--derived whole`` recomputes from)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.base = store.base

    def pairs(self, predicate: str, obj: str | None = None) -> Iterable[tuple[str, str]]:
        return self.store.pairs(predicate, obj)

    def postponed(self, outcome: str) -> Iterable[tuple[str, str | None]]:
        rows = self.store.query(POSTPONED_QUERY, {"outcome": IRI(outcome)})
        return ((str(r["item"]), _text(r["date"])) for r in rows)  # type: ignore[union-attr]

    def absences(self) -> Iterable[tuple[str, str]]:
        return query_pairs(self.store, ABSENT_QUERY, "item", "entity")

    def voters(self) -> Iterable[tuple[str, str]]:
        return query_pairs(self.store, VOTERS_QUERY, "item", "entity")

    def entity_labels(self) -> Iterable[tuple[str, str]]:
        return query_pairs(self.store, ENTITY_LABELS_QUERY, "entity", "label")

    def document_count(self) -> int:
        return len(self.store.documents())
