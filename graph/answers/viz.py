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
  every member of a party, is one hop from them and would swamp any focus; so are meetings
  (from an item, its meeting would pull in every other item of that meeting).
- a case or a thread is laid out as a timeline of its meetings (graph/answers/viz_layout.py).

Everything is read through :class:`graph.store.local.Store` queries; page rendering is in
graph/answers/viz_page.py.
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import networkx as nx

from kommunegraf.graph.answers.trace import find_exact
from kommunegraf.graph.answers.viz_layout import LAYOUTS, lay_out_timeline
from kommunegraf.graph.answers.viz_model import (
    _TYPE_OF_CLASS,
    DEFAULT_DEPTH,
    DEFAULT_MAX_NODES,
    IRI_ARG_RE,
    NODE_TYPES,
    RELATIONS,
    RELATIONS_BY_PREDICATE,
    TYPE_PRECEDENCE,
    TYPES_BY_KEY,
    Focus,
    FocusError,
    Row,
    Triple,
    VizEdge,
    VizGraph,
    VizNode,
    _chunks,
    _edges_query,
    _in,
    _select,
    _values,
)
from kommunegraf.graph.answers.viz_nodes import (
    _fill_nodes,
    _tail,
    fill_cases,
    fill_missing,
)
from kommunegraf.graph.rdf.iris import normalise_case_number
from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import KG
from kommunegraf.queries.municipality import UnknownMunicipality, resolve_municipality


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
    """The agenda items of the recurring case threads (graph/analysis/threads.py, derived graph)
    named
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
        except UnknownMunicipality as exc:
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


# ----- the whole job ----------------------------------------------------------------------------


def build_graph(
    store: Store,
    focus: Focus | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
    layout: str = "auto",
) -> VizGraph:
    """The graph to draw: the focus's neighbourhood (or everything), cut to ``max_nodes``.

    A thread is walked one hop from its items only: the thread's items and what they name
    (their meetings, case, decisions, people, organisations, laws), not everything those
    name in turn.  ``layout`` "auto" lays a case or a thread out as a timeline of its
    meetings (graph/answers/viz_layout.py) and anything else as a network.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
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
        walk = min(depth, 1) if focus.thread and not (focus.case or focus.person) else depth
        distance, edges, types, absent = neighbourhood(store, centres, walk)
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
    fill_missing(store, {n: v for n, v in nodes.items() if not v.in_store})
    _fill_nodes(store, {n: v for n, v in nodes.items() if v.in_store})
    fill_cases(store, {n: v for n, v in nodes.items() if v.type == "case" and v.in_store})
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
    if layout == "timeline" or (layout == "auto" and (focus.case or focus.thread)):
        graph.layout = "timeline" if lay_out_timeline(graph) else "network"
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
    layout: str = "auto",
) -> VizGraph:
    """Build the graph and write it as one self-contained HTML page."""
    from kommunegraf.graph.answers.viz_page import write_page

    graph = build_graph(store, focus, depth=depth, max_nodes=max_nodes, layout=layout)
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
