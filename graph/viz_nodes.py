"""What each drawn node says: its label, card fields, details and source documents.

Read from the store in a few queries for all kept nodes at once.  Items referred to but not
ingested are named from their IRI and the labels the store holds for their municipality and
committee; a case carries its status, next step and timeline as ``trace`` reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from graph.store import Store
from graph.viz_model import (
    CAMEL_RE,
    HIDDEN_PROPERTIES,
    LABEL_PROPERTIES,
    MAX_SOURCES,
    MUNICIPALITY_PATH,
    SourceLink,
    VizNode,
    _chunks,
    _select,
    _values,
)
from ontology.terms import KG


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _property_label(predicate: str, labels: dict[str, str]) -> str:
    if predicate in labels:
        return labels[predicate]
    return CAMEL_RE.sub(" ", _tail(predicate)).lower()


def _fill_nodes(store: Store, nodes: dict[str, VizNode]) -> None:
    """Labels, card fields, details and sources of the kept nodes, from a few queries."""
    ids = sorted(nodes)
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    graphs: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        values = _values(chunk)
        for row in _select(
            store,
            f"SELECT DISTINCT ?n ?p ?v WHERE {{ VALUES ?n {{ {values} }} ?n ?p ?v "
            "FILTER(isLiteral(?v)) }",
        ):
            literals[str(row["n"])][str(row["p"])].append(str(row["v"]))
        card = {
            "outcome": "?n kg:outcome ?v",
            "date": "?n kg:meeting/kg:date ?v",  # an item's date is its meeting's
            "municipality": f"?n {MUNICIPALITY_PATH} ?m . ?m rdfs:label ?v",
        }
        for name, pattern in card.items():
            for row in _select(
                store, f"SELECT DISTINCT ?n ?v WHERE {{ VALUES ?n {{ {values} }} {pattern} }}"
            ):
                node, value = nodes[str(row["n"])], str(row["v"])
                if name == "outcome":
                    node.outcome = _tail(value)
                elif name == "date":
                    node.date = min(filter(None, (node.date, value)))
                else:
                    node.municipality = min(filter(None, (node.municipality, value)))
        for row in _select(
            store,
            f"SELECT DISTINCT ?n ?g WHERE {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n a ?t }} }}",
        ):
            graphs[str(row["n"])].append(str(row["g"]))
    paths = store.sources()
    predicates = sorted({p for props in literals.values() for p in props})
    labels = _english_labels(store, predicates)
    for iri, node in nodes.items():
        props = literals.get(iri, {})
        node.label = _label(props) or node.label
        dates = props.get(KG.date)
        if dates:
            node.date = min(dates)
        node.details = [
            (_property_label(p, labels), v)
            for p in sorted(props, key=lambda p: _property_label(p, labels))
            if p not in HIDDEN_PROPERTIES
            for v in sorted(set(props[p]))
        ]
        documents = sorted(g for g in graphs.get(iri, []) if g in paths)
        node.sources = [
            SourceLink(g, paths[g][0] if paths[g] else None) for g in documents[:MAX_SOURCES]
        ]
        node.more_sources = max(0, len(documents) - MAX_SOURCES)


def _label(props: dict[str, list[str]]) -> str | None:
    for predicate in LABEL_PROPERTIES:
        values = props.get(predicate)
        if values:
            return max(values, key=lambda v: (len(v), v))
    return None


def _english_labels(store: Store, predicates: Sequence[str]) -> dict[str, str]:
    """Property labels from the ontology, when it is loaded into the store."""
    if not predicates:
        return {}
    rows = _select(
        store,
        f"SELECT DISTINCT ?p ?l WHERE {{ VALUES ?p {{ {_values(predicates)} }} ?p rdfs:label ?l "
        'FILTER(langMatches(lang(?l), "en")) }',
    )
    return {str(r["p"]): str(r["l"]) for r in rows}


def _missing_label(iri: str) -> str:
    marker = "/id/"
    path = iri.split(marker, 1)[1] if marker in iri else iri
    return f"(not ingested) {path}"
