"""The graph `kommunegraf viz` draws: which resources become nodes, which links become edges.

The store holds more than a picture can carry (attachments, spans, votes as resources, KLE
concepts).  This module projects it onto the kinds of thing a reader recognises — meetings,
agenda items, cases, decisions, people, parties, organisations, laws, projects, committees and
municipalities — joined by named relations, and chooses what to show:

- everything (no focus), cut to its most connected part when it is too large for a browser;
- or the neighbourhood of a case, person, municipality, law or case thread to a given depth,
  walked in the store hop by hop (SPARQL with the frontier as ``VALUES``), so the cost grows
  with the neighbourhood, not with the store.  Municipalities and parties are drawn when
  reached but not walked through (unless they are the focus): every case of a municipality,
  every member of a party, is one hop from them and would swamp any focus.

Everything is read through :class:`graph.store.Store` queries; page rendering is in
graph/viz_page.py.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graph.iris import normalise_case_number
from graph.store import IRI, Rows, Store
from graph.trace import TraceError, find_exact, resolve_municipality
from ontology.terms import DCTERMS, ELI, FOAF, KG, ORG, RDFS, SKOS, sparql_prefixes

DEFAULT_DEPTH = 2
DEFAULT_MAX_NODES = 3000
CHUNK = 500  # IRIs per VALUES block: keeps each query text small and its plan bounded
MAX_SOURCES = 20  # source documents listed per node (a law may be cited by thousands)
LABEL_MAX = 40  # characters of a label drawn on the canvas; the card shows it whole

# Characters no IRI read from the store can contain; checked before an IRI is written into a
# query's VALUES block, so text from documents can never change a query.
UNSAFE_IRI_RE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# An absolute http(s) IRI given on the command line instead of a name: "https://w3id.org/…"
# (characters no IRI may hold make it a name to search for, which then matches nothing).
IRI_ARG_RE = re.compile(r'^https?://[^\x00-\x20<>"{}|^`\\]+$')
# A camelCase local name split into words for a details label: "startTime" -> "start", "Time".
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class NodeType:
    """One kind of node: the classes it covers and how the page draws it."""

    key: str
    label: str
    plural: str
    classes: tuple[str, ...]
    colour: str
    shape: str  # a vis-network shape whose label is drawn outside the node
    hub: bool = False  # drawn when reached, not walked through by a focus view


NODE_TYPES: tuple[NodeType, ...] = (
    NodeType("meeting", "Meeting", "meetings", (KG.Meeting,), "#4e79a7", "square"),
    NodeType("item", "Agenda item", "agenda items", (KG.AgendaItem,), "#76b7b2", "dot"),
    NodeType("case", "Case", "cases", (KG.Case,), "#f28e2b", "diamond"),
    NodeType("decision", "Decision", "decisions", (KG.Decision,), "#e15759", "triangle"),
    NodeType("person", "Person", "people", (KG.Person,), "#59a14f", "dot"),
    NodeType("party", "Party", "parties", (KG.Party,), "#edc948", "star", hub=True),
    NodeType(
        "organisation", "Organisation", "organisations", (KG.Organization,), "#b07aa1", "hexagon"
    ),
    NodeType(
        "law",
        "Law or provision",
        "laws and provisions",
        (KG.Law, KG.Provision),
        "#9c755f",
        "triangleDown",
    ),
    NodeType("project", "Project", "projects", (KG.Project,), "#ff9da7", "diamond"),
    NodeType("committee", "Committee", "committees", (KG.Committee,), "#a0cbe8", "square"),
    NodeType(
        "municipality",
        "Municipality",
        "municipalities",
        (KG.Municipality,),
        "#6b6b6b",
        "hexagon",
        hub=True,
    ),
)
TYPES_BY_KEY: dict[str, NodeType] = {t.key: t for t in NODE_TYPES}
# A resource with several drawable classes is drawn as the most specific: a committee that a
# document also names as an organisation is a committee.
_SPECIFIC = ("municipality", "committee")
TYPE_PRECEDENCE: tuple[str, ...] = (
    *_SPECIFIC,
    *(t.key for t in NODE_TYPES if t.key not in _SPECIFIC),
)
_TYPE_OF_CLASS: dict[str, str] = {c: t.key for t in NODE_TYPES for c in t.classes}


@dataclass(frozen=True)
class Relation:
    """A link drawn as an edge: a predicate, possibly reached through an undrawn resource."""

    predicate: str
    label: str
    via: str | None = None  # e.g. a decision's kg:vote resource, folded into the edge
    target: str | None = None  # node type of an object the store holds no type for (yet)


RELATIONS: tuple[Relation, ...] = (
    Relation(KG.meeting, "meeting"),
    Relation(KG.committee, "committee"),
    Relation(ORG.subOrganizationOf, "part of"),
    Relation(KG.case, "case"),
    Relation(KG.item, "on item"),
    Relation(KG.body, "by"),
    Relation(KG.absent, "absent"),
    Relation(KG.votedFor, "voted for", via=KG.vote),
    Relation(KG.votedAgainst, "voted against", via=KG.vote),
    Relation(KG.abstained, "abstained", via=KG.vote),
    Relation(KG.mentions, "mentions"),
    Relation(ELI.cites, "cites"),
    Relation(ELI.is_part_of, "part of"),
    Relation(KG.refersTo, "refers to", target="item"),
    Relation(KG.party, "party"),
    Relation(KG.municipality, "municipality"),
)
RELATIONS_BY_PREDICATE: dict[str, Relation] = {r.predicate: r for r in RELATIONS}

# Literal properties that name a node, best first (the longest value of the first one wins).
LABEL_PROPERTIES: tuple[str, ...] = (
    RDFS.label,
    FOAF.name,
    DCTERMS.title,
    SKOS.prefLabel,
    DCTERMS.identifier,
    SKOS.notation,
)
# From any node to the municipality it belongs to (a SPARQL property path).
MUNICIPALITY_PATH = (
    "(kg:municipality|org:subOrganizationOf|kg:committee/org:subOrganizationOf"
    "|kg:meeting/kg:committee/org:subOrganizationOf"
    "|kg:item/kg:meeting/kg:committee/org:subOrganizationOf)"
)
# Literal properties left out of the details panel: bookkeeping, not content.
HIDDEN_PROPERTIES = frozenset({RDFS.label, KG.spanStart, KG.spanEnd, KG.key})


class FocusError(ValueError):
    """A focus (case, person, …) that matches nothing in the store."""


@dataclass(frozen=True)
class Focus:
    """What to centre the view on; empty means the whole store.

    ``municipality`` together with ``case`` or ``person`` narrows them to that municipality
    (a case number is only unique within one); alone it is the centre itself.
    """

    case: str | None = None
    person: str | None = None
    municipality: str | None = None
    law: str | None = None
    thread: str | None = None

    @property
    def empty(self) -> bool:
        return not any((self.case, self.person, self.municipality, self.law, self.thread))

    def describe(self) -> str:
        parts = [
            f"{name} {value}"
            for name, value in (
                ("case", self.case),
                ("person", self.person),
                ("law", self.law),
                ("thread", self.thread),
            )
            if value
        ]
        if self.municipality:
            parts.append(
                f"in {self.municipality}" if (self.case or self.person) else self.municipality
            )
        return " ".join(parts) if parts else "the whole store"


@dataclass(frozen=True)
class SourceLink:
    """A document a node is stated in: its graph IRI and the file name it states."""

    iri: str
    path: str | None


@dataclass
class VizNode:
    id: str
    type: str
    label: str
    degree: int = 0
    distance: int | None = None  # hops from the nearest centre (focus views)
    date: str | None = None
    outcome: str | None = None
    municipality: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    more_sources: int = 0
    in_store: bool = True  # False for a referred item whose minutes are not ingested yet


@dataclass(frozen=True)
class VizEdge:
    source: str
    target: str
    predicate: str
    label: str


@dataclass
class VizGraph:
    """What the page draws, plus what was left out and why."""

    nodes: list[VizNode]
    edges: list[VizEdge]
    title: str
    centres: list[str] = field(default_factory=list)
    depth: int | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    total_nodes: int = 0
    total_edges: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # node type -> nodes not shown
    message: str | None = None

    def type_counts(self) -> dict[str, int]:
        counts = Counter(n.type for n in self.nodes)
        return {t.key: counts[t.key] for t in NODE_TYPES if counts[t.key]}


# ----- SPARQL helpers -----------------------------------------------------------------------


def _values(iris: Iterable[str]) -> str:
    """IRIs as the body of a VALUES block; refuses anything that is not a plain IRI."""
    out = []
    for iri in iris:
        if not iri or UNSAFE_IRI_RE.search(iri):
            raise ValueError(f"not an IRI that can be written into a query: {iri!r}")
        out.append(f"<{iri}>")
    return " ".join(out)


def _in(iris: Iterable[str]) -> str:
    """IRIs as the argument list of ``IN (…)``."""
    return ", ".join(_values([iri]) for iri in iris)


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _edges_query(bound: str | None, frontier: Sequence[str] = ()) -> str:
    """Edges of every relation; ``bound`` ("s" or "o") limits that end to ``frontier``.

    Predicates are filtered with ``IN``, not a second ``VALUES``: Oxigraph joins two VALUES
    blocks as a cross product and scans, ~40x slower on a store of 80k quads.
    """
    head = f"VALUES ?{bound} {{ {_values(frontier)} }} " if bound else ""
    direct = _in(r.predicate for r in RELATIONS if r.via is None)
    branches = [f"{{ {head}?s ?p ?o FILTER(?p IN ({direct})) }}"]
    by_via: dict[str, list[str]] = defaultdict(list)
    for r in RELATIONS:
        if r.via:
            by_via[r.via].append(r.predicate)
    for via, predicates in by_via.items():
        branches.append(f"{{ {head}?s <{via}> ?v . ?v ?p ?o FILTER(?p IN ({_in(predicates)})) }}")
    return f"SELECT DISTINCT ?s ?p ?o WHERE {{ {' UNION '.join(branches)} }}"


Triple = tuple[str, str, str]
Row = dict[str, Any]


def _select(store: Store, sparql: str, bindings: dict[str, Any] | None = None) -> Iterator[Row]:
    """The rows of a SELECT query (with the project's prefixes declared)."""
    result = store.query(sparql_prefixes() + sparql, bindings)
    if not isinstance(result, Rows):
        raise TypeError("expected a SELECT query")
    return iter(result)


def _edge_rows(store: Store, sparql: str) -> Iterator[Triple]:
    for row in _select(store, sparql):
        s, p, o = row["s"], row["p"], row["o"]
        if isinstance(s, IRI) and isinstance(o, IRI):
            yield str(s), str(p), str(o)


def all_edges(store: Store) -> set[Triple]:
    """Every drawable edge in the store."""
    return set(_edge_rows(store, _edges_query(None)))


def edges_of(store: Store, nodes: Sequence[str], *, incoming: bool = True) -> set[Triple]:
    """Drawable edges leaving (and, with ``incoming``, entering) any of ``nodes``."""
    found: set[Triple] = set()
    for chunk in _chunks(nodes):
        found.update(_edge_rows(store, _edges_query("s", chunk)))
        if incoming:
            found.update(_edge_rows(store, _edges_query("o", chunk)))
    return found


def node_types(store: Store, nodes: Sequence[str]) -> dict[str, str]:
    """The node type key of each resource the store types with a drawable class."""
    classes = _in(_TYPE_OF_CLASS)
    rank = {key: i for i, key in enumerate(TYPE_PRECEDENCE)}
    found: dict[str, str] = {}
    for chunk in _chunks(nodes):
        sparql = (
            f"SELECT DISTINCT ?n ?t WHERE {{ VALUES ?n {{ {_values(chunk)} }} ?n a ?t "
            f"FILTER(?t IN ({classes})) }}"
        )
        for row in _select(store, sparql):
            key = _TYPE_OF_CLASS[str(row["t"])]
            n = str(row["n"])
            if n not in found or rank[key] < rank[found[n]]:
                found[n] = key
    return found


# ----- focus ----------------------------------------------------------------------------------


def _best_matches(rows: list[Row], text: str, keys: Sequence[str]) -> list[str]:
    """Resources whose name equals ``text`` (case-insensitive) if any, else those containing it."""
    wanted = text.casefold().strip()
    exact = {
        str(r["x"]) for r in rows if any(str(r.get(k) or "").casefold() == wanted for k in keys)
    }
    if exact:
        return sorted(exact)
    return sorted({str(r["x"]) for r in rows})


def _restrict(municipalities: list[str] | None) -> str:
    if municipalities is None:
        return ""
    return f"VALUES ?m {{ {_values(municipalities)} }} ?x kg:municipality ?m ."


def find_cases(store: Store, number: str, municipality: str | None = None) -> list[str]:
    """Case IRIs for a printed case number, matched as tolerantly as ``trace`` does (spaces,
    dash look-alikes, a missing leading zero), or given as an IRI."""
    if IRI_ARG_RE.match(number.strip()):
        return _existing(store, [number.strip()], KG.Case)
    return sorted({hit.iri for hit in find_exact(store, number, municipality)})


def find_people(store: Store, name: str, municipalities: list[str] | None = None) -> list[str]:
    """Person IRIs whose name is ``name`` (else contains it), case-insensitive; or an IRI."""
    if IRI_ARG_RE.match(name.strip()):
        return _existing(store, [name.strip()], KG.Person)
    rows = _select(
        store,
        f"SELECT DISTINCT ?x ?name ?q WHERE {{ {_restrict(municipalities)} ?x a kg:Person ; "
        "foaf:name|rdfs:label ?name FILTER(CONTAINS(LCASE(STR(?name)), ?q)) }",
        {"q": name.strip().lower()},
    )
    return _best_matches(list(rows), name, ("name",))


def find_laws(store: Store, text: str) -> list[str]:
    """Law and provision IRIs named (else containing) ``text``, or given as an IRI/ELI."""
    if IRI_ARG_RE.match(text.strip()):
        return _existing(store, [text.strip()], KG.Law, KG.Provision)
    rows = _select(
        store,
        "SELECT DISTINCT ?x ?name ?q WHERE { ?x a ?t ; rdfs:label|kg:printedAs ?name "
        "FILTER(?t IN (kg:Law, kg:Provision) && CONTAINS(LCASE(STR(?name)), ?q)) }",
        {"q": text.strip().lower()},
    )
    return _best_matches(list(rows), text, ("name",))


def find_thread(store: Store, thread: str) -> list[str]:
    """The agenda items of the recurring case threads (graph/threads.py, derived graph) named
    by ``thread``: the thread's IRI, the hash its IRI ends in, its label, or a case number in
    it."""
    rows = _select(
        store,
        "SELECT DISTINCT ?i ?q ?key WHERE { ?t a kg:Thread ; kg:threadItem ?i . "
        "OPTIONAL { ?t rdfs:label ?label } "
        "OPTIONAL { ?t kg:threadCase/kg:caseKey ?case } "
        'FILTER(STR(?t) = ?q || STRENDS(STR(?t), CONCAT("/", ?q)) '
        "|| LCASE(STR(?label)) = LCASE(?q) || ?case = ?key) }",
        {"q": thread.strip(), "key": normalise_case_number(thread)},
    )
    return sorted({str(r["i"]) for r in rows})


def _existing(store: Store, iris: list[str], *classes: str) -> list[str]:
    rows = _select(
        store,
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {_values(iris)} }} ?x a ?t "
        f"FILTER(?t IN ({_in(classes)})) }}",
    )
    return sorted({str(r["x"]) for r in rows})


def resolve_focus(store: Store, focus: Focus) -> list[str]:
    """The IRIs a focus names; :class:`FocusError` when some part of it matches nothing."""
    centres: list[str] = []
    municipality = None
    if focus.municipality:
        try:
            municipality = resolve_municipality(store, focus.municipality)[0]
        except TraceError as exc:
            raise FocusError(str(exc)) from None
        if not (focus.case or focus.person):
            centres.append(municipality)
    where = f" in {focus.municipality}" if focus.municipality else ""
    if focus.case:
        found = find_cases(store, focus.case, municipality)
        if not found:
            raise FocusError(
                f"no case {focus.case!r}{where} in the store "
                f"(`kommunegraf trace {shlex.quote(' '.join(focus.case.split()))}` lists "
                "near matches)"
            )
        centres += found
    if focus.person:
        found = find_people(store, focus.person, [municipality] if municipality else None)
        if not found:
            raise FocusError(f"no person named {focus.person!r}{where} in the store")
        centres += found
    if focus.law:
        found = find_laws(store, focus.law)
        if not found:
            raise FocusError(f"no law or provision {focus.law!r} in the store")
        centres += found
    if focus.thread:
        found = find_thread(store, focus.thread)
        if not found:
            raise FocusError(
                f"no case thread {focus.thread!r} in the store (`kommunegraf threads` lists them)"
            )
        centres += found
    return list(dict.fromkeys(centres))


# ----- selection --------------------------------------------------------------------------------


def neighbourhood(
    store: Store, centres: Sequence[str], depth: int
) -> tuple[dict[str, int], set[Triple], dict[str, str], set[str]]:
    """Nodes within ``depth`` hops of the centres (distance of each), the edges among them,
    their types, and which of them are referred to but not in the store.

    Hubs other than the centres are reached but not walked through; resources that are not
    drawn (e.g. the derived graph's link records) are not walked either.
    """
    distance = {c: 0 for c in centres}
    types = node_types(store, list(centres))
    edges: set[Triple] = set()
    expanded: set[str] = set()
    absent: set[str] = set()
    frontier = list(centres)
    for hop in range(1, depth + 1):
        walk = [n for n in frontier if not _is_hub(n, types, distance)]
        expanded.update(walk)
        found = edges_of(store, walk)
        new = sorted({x for s, _, o in found for x in (s, o) if x not in distance})
        types.update(node_types(store, new))
        absent |= _type_from_relations(found, types)
        edges |= {e for e in found if e[0] in types and e[2] in types}
        frontier = [n for n in new if n in types]
        for n in frontier:
            distance[n] = hop
        if not frontier:
            break
    # Edges among nodes that were not walked (the last ring, hubs): every edge has a subject,
    # so their outgoing edges that end inside the neighbourhood are all that is missing.
    rest = sorted(n for n in distance if n not in expanded)
    edges |= {e for e in edges_of(store, rest, incoming=False) if e[2] in distance}
    edges = {e for e in edges if e[0] in distance and e[2] in distance}
    return distance, edges, types, absent & set(distance)


def _type_from_relations(edges: Iterable[Triple], types: dict[str, str]) -> set[str]:
    """Type the untyped objects of relations that say what they are (an item referred to
    whose minutes are not ingested yet); returns those objects."""
    absent: set[str] = set()
    for _s, p, o in edges:
        target = RELATIONS_BY_PREDICATE[p].target
        if target and o not in types:
            types[o] = target
            absent.add(o)
    return absent


def _is_hub(node: str, types: dict[str, str], distance: dict[str, int]) -> bool:
    kind = TYPES_BY_KEY.get(types.get(node, ""))
    return bool(kind and kind.hub and distance.get(node) != 0)


def _multigraph(nodes: Iterable[str], edges: Iterable[Triple]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((s, o, p) for s, p, o in edges)
    return graph


def cut(graph: nx.MultiDiGraph, limit: int, distance: dict[str, int] | None = None) -> list[str]:
    """The ``limit`` nodes to keep: nearest the focus first (when there is one), then the most
    connected; ties broken by IRI so the same store always gives the same picture."""
    if graph.number_of_nodes() <= limit:
        return list(graph.nodes)
    degree = dict(graph.degree())

    def rank(n: str) -> tuple[int, int, str]:
        return ((distance or {}).get(n, 0), -degree[n], n)

    return sorted(graph.nodes, key=rank)[:limit]


# ----- node contents ----------------------------------------------------------------------------


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


# ----- the whole job ----------------------------------------------------------------------------


def build_graph(
    store: Store,
    focus: Focus | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> VizGraph:
    """The graph to draw: the focus's neighbourhood (or everything), cut to ``max_nodes``."""
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    focus = focus or Focus()
    distance: dict[str, int] | None = None
    centres: list[str] = []
    if focus.empty:
        edges = all_edges(store)
        endpoints = sorted({x for s, _, o in edges for x in (s, o)})
        types = node_types(store, endpoints)
        absent = _type_from_relations(edges, types)
    else:
        centres = resolve_focus(store, focus)
        distance, edges, types, absent = neighbourhood(store, centres, depth)
        endpoints = sorted(distance)
    drawable = [n for n in endpoints if n in types]
    full = _multigraph(drawable, (e for e in edges if e[0] in types and e[2] in types))
    kept = cut(full, max_nodes, distance)
    shown = full.subgraph(kept)
    degree = Counter(x for s, o in shown.edges() for x in (s, o))

    nodes = {
        n: VizNode(
            id=n,
            type=types[n],
            label=_tail(n),
            degree=degree[n],
            distance=distance.get(n) if distance is not None else None,
        )
        for n in kept
    }
    for n, node in nodes.items():
        if n in absent:
            node.in_store = False
            node.label = _missing_label(n)
    _fill_nodes(store, {n: v for n, v in nodes.items() if v.in_store})
    viz_edges = sorted(
        (VizEdge(s, o, p, RELATIONS_BY_PREDICATE[p].label) for s, o, p in shown.edges(keys=True)),
        key=lambda e: (e.source, e.predicate, e.target),
    )
    left = Counter(types[n] for n in full.nodes if n not in nodes)
    graph = VizGraph(
        nodes=sorted(nodes.values(), key=lambda v: (v.distance or 0, v.type, v.label, v.id)),
        edges=viz_edges,
        title="kommunegraf: " + focus.describe(),
        centres=centres,
        depth=None if focus.empty else depth,
        max_nodes=max_nodes,
        total_nodes=full.number_of_nodes(),
        total_edges=full.number_of_edges(),
        left_out={t.key: left[t.key] for t in NODE_TYPES if left[t.key]},
    )
    graph.message = cut_message(graph, focused=not focus.empty)
    return graph


def cut_message(graph: VizGraph, *, focused: bool) -> str | None:
    """What was left out and how to narrow the view; None when nothing was."""
    if not graph.left_out:
        return None
    left = sum(graph.left_out.values())
    kinds = ", ".join(
        f"{TYPES_BY_KEY[key].plural}: {count:,}" for key, count in graph.left_out.items()
    )
    which = "nearest the focus, then the most connected" if focused else "most connected"
    narrow = (
        "a smaller --depth" if focused else "--case, --person, --municipality, --law or --thread"
    )
    return (
        f"The graph has {graph.total_nodes:,} nodes, more than the limit of {graph.max_nodes:,}: "
        f"showing the {len(graph.nodes):,} {which}; left out {left:,} ({kinds}). "
        f"Narrow it with {narrow}, or raise --max-nodes."
    )


def write_viz(
    store: Store,
    out: Path,
    focus: Focus | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> VizGraph:
    """Build the graph and write it as one self-contained HTML page."""
    from graph.viz_page import write_page

    graph = build_graph(store, focus, depth=depth, max_nodes=max_nodes)
    write_page(graph, out)
    return graph


__all__ = [
    "DEFAULT_DEPTH",
    "DEFAULT_MAX_NODES",
    "NODE_TYPES",
    "RELATIONS",
    "Focus",
    "FocusError",
    "VizEdge",
    "VizGraph",
    "VizNode",
    "build_graph",
    "cut",
    "neighbourhood",
    "resolve_focus",
    "write_viz",
]
