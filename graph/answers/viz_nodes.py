"""What each drawn node says: its label, card fields, details and source documents.

Read from the store in a few queries for all kept nodes at once.  Items referred to but not
ingested are named from their IRI and the labels the store holds for their municipality and
committee; a case carries its status, next step and timeline as ``trace`` reads them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from kommunegraf.graph.answers.trace import find_exact, trace_case
from kommunegraf.graph.answers.viz_model import (
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
from kommunegraf.graph.store.local import Store
from kommunegraf.ontology.terms import KG


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
            # the documents that state the node, or point at it (a shared thing's description
            # is stored once, outside them)
            f"SELECT DISTINCT ?n ?g WHERE {{ VALUES ?n {{ {values} }} "
            f"{{ GRAPH ?g {{ ?n a ?t }} }} UNION {{ GRAPH ?g {{ ?x ?p ?n }} }} }}",
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


# An item's IRI: "…/id/naestved/udvalg/beskaeftigelsesudvalget/moede/2018-03-05/punkt/21"
ITEM_IRI_RE = re.compile(
    r"^(?P<municipality>.+/id/[^/]+)/udvalg/(?P<committee>[^/]+)"
    r"/moede/(?P<meeting>[^/]+)/punkt/(?P<number>\d+)$"
)
# A date in an IRI's meeting segment: "2018-03-05" (an undated meeting is "kilde-<hash>")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The municipality word after a municipality's name: "Næstved Kommune" → "Næstved"
MUNICIPALITY_WORD_RE = re.compile(r"\s+(?:Regionskommune|Kommune)$")


def fill_missing(store: Store, nodes: dict[str, VizNode]) -> None:
    """Name the items referred to but not ingested as a reader would, from what their IRI
    says and the labels the store holds: "(not ingested) Næstved, Beskæftigelses- og
    Uddannelsesudvalget, 2018-03-05, item 21"; their date places them on a timeline."""
    parts = {iri: ITEM_IRI_RE.match(iri) for iri in nodes}
    wanted = sorted(
        {m[k] if k == "municipality" else f"{m['municipality']}/udvalg/{m['committee']}"
         for m in parts.values() if m for k in ("municipality", "committee")}
    )  # fmt: skip
    labels: dict[str, str] = {}
    for chunk in _chunks(wanted):
        rows = _select(
            store,
            f"SELECT ?x (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?x {{ {_values(chunk)} }} "
            "?x rdfs:label ?l } GROUP BY ?x",
        )
        labels.update({str(r["x"]): str(r["label"]) for r in rows})
    for iri, node in nodes.items():
        m = parts[iri]
        if m is None:
            node.label = "(not ingested) " + iri.split("/id/", 1)[-1]
            continue
        municipality = labels.get(m["municipality"]) or _words(_tail(m["municipality"]))
        committee = labels.get(f"{m['municipality']}/udvalg/{m['committee']}") or _words(
            m["committee"]
        )
        day = m["meeting"] if ISO_DATE_RE.match(m["meeting"]) else None
        name = MUNICIPALITY_WORD_RE.sub("", municipality)
        facts = [name, committee, day, f"item {m['number']}"]
        node.label = "(not ingested) " + ", ".join(f for f in facts if f)
        node.date = day
        node.municipality = municipality


def _words(slug: str) -> str:
    """A slug as words, for a resource the store holds no label for: "social-udvalg" →
    "Social udvalg"."""
    text = slug.replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def fill_cases(store: Store, nodes: dict[str, VizNode]) -> None:
    """A case's status, next step and timeline, read as ``kommunegraf trace`` reads them, in
    its details: a case is what a reader opens the graph for."""
    for chunk in _chunks(sorted(nodes)):
        rows = _select(
            store,
            f"SELECT ?c ?id ?m WHERE {{ VALUES ?c {{ {_values(chunk)} }} "
            "?c dcterms:identifier ?id ; kg:municipality ?m }",
        )
        for row in rows:
            iri = str(row["c"])
            hit = next(
                (h for h in find_exact(store, str(row["id"]), str(row["m"])) if h.iri == iri),
                None,
            )
            if hit is None or iri not in nodes:
                continue
            case = trace_case(store, hit)
            timeline = [
                " ".join(x for x in (t.date or "undated", t.committee, "—", t.outcome) if x)
                for t in case.treatments
            ]
            node = nodes[iri]
            node.details = [
                ("status", case.status),
                ("next step", case.next_step or "no further step recorded"),
                *([("timeline", "\n".join(timeline))] if timeline else []),
                *node.details,
            ]
