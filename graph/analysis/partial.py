"""The threads of some municipalities, read from the store (a store without facts beside it).

What ``update_threads`` reads for the threads grows with the municipalities, not the
country: their items, references and postponements, each by a query bound to one
municipality.  Their tallies (graph.analysis.tallies) are counted over the store's scans of a
few predicates and kept for those municipalities: ingest reaches this path only for a store
without the facts beside it (graph.analysis.ledger), and counts must be exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

from kommunegraf.graph.analysis.derive import patch_threads
from kommunegraf.graph.analysis.items import (
    find_threads,
    item_graph,
    item_number,
    postponed_items,
    postponed_outcome,
)
from kommunegraf.graph.analysis.model import Derived, ItemNode
from kommunegraf.graph.analysis.paths import attach_treatments
from kommunegraf.graph.analysis.sources import StoreSource, query_pairs
from kommunegraf.graph.analysis.tallies import compute_tallies
from kommunegraf.graph.store.local import IRI
from kommunegraf.ontology.terms import sparql_prefixes

if TYPE_CHECKING:
    from kommunegraf.graph.store.local import Store

_P = sparql_prefixes(("kg", "rdf", "rdfs", "dcterms", "org"))
# The items of one municipality (?municipality bound), as the municipality queries start.
_ITEMS_OF_MUNICIPALITY = """
  ?committee org:subOrganizationOf ?municipality .
  ?meeting kg:committee ?committee .
  ?item kg:meeting ?meeting"""
MUNICIPALITY_POSTPONED_QUERY = (
    _P
    + """
SELECT ?municipality ?outcome ?item ?date WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ .
  ?decision kg:item ?item ; kg:outcome ?outcome .
  OPTIONAL { ?decision kg:date ?date }
}"""
)
# The items of one municipality with what threading reads of them; a value stated twice
# gives two rows, and the smallest wins as in graph.analysis.items.load_items.
MUNICIPALITY_ITEMS_QUERY = (
    _P
    + """
SELECT ?municipality ?item ?meeting ?date ?committee ?number ?case ?title WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ .
  FILTER EXISTS { ?item a kg:AgendaItem }  # as a pattern, Oxigraph read every item first
  OPTIONAL { ?meeting kg:date ?date }
  OPTIONAL { ?item kg:number ?number }
  OPTIONAL { ?item kg:case ?case }
  OPTIONAL { ?item dcterms:title ?title }
}"""
)
MUNICIPALITY_REFERENCES_QUERY = (
    _P
    + """
SELECT ?municipality ?item ?target WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ ; kg:refersTo ?target .
}"""
)
# The municipalities a document graph (?g bound) belongs to: its meetings' committees' (a
# committee's municipality is a shared description, outside the document's graph).
DOCUMENT_MUNICIPALITIES_QUERY = (
    _P
    + """
SELECT DISTINCT ?g ?municipality WHERE {
  GRAPH ?g { ?meeting a kg:Meeting ; kg:committee ?c }
  ?c org:subOrganizationOf ?municipality .
}"""
)


def municipality_items(store: Store, municipality: str) -> dict[str, ItemNode]:
    """The items graph.analysis.items.load_items gives for ``municipality``, read from that
    municipality alone."""
    found: dict[str, dict[str, str]] = {}
    rows = store.query(MUNICIPALITY_ITEMS_QUERY, {"municipality": IRI(municipality)})
    for row in rows:  # type: ignore[union-attr]
        values = found.setdefault(str(row["item"]), {})
        for name in ("meeting", "date", "committee", "number", "case", "title"):
            value = row[name]
            if value is not None:
                text = str(value)  # lexical forms, compared as load_items compares them
                if name not in values or text < values[name]:
                    values[name] = text
    items: dict[str, ItemNode] = {}
    for iri, values in found.items():
        items[iri] = ItemNode(
            iri=iri,
            number=item_number(values.get("number")),
            meeting=values["meeting"],
            date=values.get("date"),
            committee=values.get("committee"),
            municipality=municipality,
            case=values.get("case"),
            title=values.get("title"),
        )
    return items


def touched_municipalities(store: Store, graphs: Iterable[str]) -> set[str] | None:
    """The municipalities of the document ``graphs``; None when one names none (its items
    thread under no municipality, which only a whole recomputation reaches)."""
    found: set[str] = set()
    for graph in graphs:
        rows = list(store.query(DOCUMENT_MUNICIPALITIES_QUERY, {"g": IRI(graph)}))  # type: ignore[arg-type]
        if not rows:
            return None
        found.update(str(row["municipality"]) for row in rows)
    return found


def update_threads(store: Store, municipalities: Iterable[str]) -> Derived:
    """Recompute the threads of ``municipalities`` from the store and patch them in.

    Exact for those threads (an item graph's edges never leave a municipality).
    Cross-municipality links and centrality are left as last computed.
    """
    municipalities = sorted(set(municipalities))
    items: dict[str, ItemNode] = {}
    references: list[tuple[str, str]] = []
    for municipality in municipalities:
        items.update(municipality_items(store, municipality))
        bound = {"municipality": IRI(municipality)}
        references += query_pairs(store, MUNICIPALITY_REFERENCES_QUERY, "item", "target", bound)
    outcome = IRI(postponed_outcome(store.base))

    def rows(municipality: str) -> Iterable[Any]:
        bound = {"outcome": outcome, "municipality": IRI(municipality)}
        return store.query(MUNICIPALITY_POSTPONED_QUERY, bound)  # type: ignore[return-value]

    postponed = postponed_items(
        (
            (str(r["item"]), None if r["date"] is None else str(r["date"]))
            for r in chain.from_iterable(rows(m) for m in municipalities)
        ),
        items,
    )
    threads = find_threads(item_graph(items, references, postponed), items, store.base)
    attach_treatments(threads, StoreSource(store))
    # The tallies from the whole store, kept for these municipalities: exact, and read with
    # the store's scans of a few predicates (this path serves stores without the ledger).
    tallies = compute_tallies(StoreSource(store), set(municipalities))
    return patch_threads(store, threads, municipalities, len(store.documents()), tallies)
