"""The item–entity graph and the laws, organisations and projects that link municipalities.

The item–entity graph is bipartite: agenda items, and the people, organisations, projects
and laws they name (a citation of a provision counts for its law; people are linked by
mention, absence and vote).  Centrality (graph.analysis.centrality) is computed on it too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING

from kommunegraf.graph.analysis.model import CrossLink, ItemNode
from kommunegraf.graph.rdf.iris import IriMinter
from kommunegraf.ontology.terms import ELI, KG, RDF

if TYPE_CHECKING:
    import networkx as nx

    from kommunegraf.graph.analysis.sources import Source

KIND_NAMES = {
    KG.Person: "person",
    KG.Organization: "organisation",
    KG.Project: "project",
    KG.Law: "law",
}


def first_by_entity(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One value per entity, the smallest, so reruns pick the same label."""
    found: dict[str, str] = {}
    for entity, value in pairs:
        if entity not in found or value < found[entity]:
            found[entity] = value
    return found


def entity_graph(source: Source, items: dict[str, ItemNode]) -> nx.Graph:
    """Bipartite graph of items and the people, organisations, projects and laws they name.

    Entity nodes carry ``kind``, ``label``, ``law_kind`` and ``key`` attributes (item nodes
    none: ``items`` knows them).  The links are added as they are read, never all held: a
    national corpus has a million.
    """
    import networkx as nx

    kinds: dict[str, str] = {}
    for kind_iri, kind in KIND_NAMES.items():
        kinds.update((entity, kind) for entity, _ in source.pairs(RDF.type, kind_iri))
    labels = first_by_entity(source.entity_labels())
    keys = first_by_entity((e, v) for e, v in source.pairs(KG.key) if e in kinds)
    law_kinds = first_by_entity(source.pairs(KG.lawKind))
    whole = dict(source.pairs(ELI.is_part_of))
    links = chain(
        source.pairs(KG.mentions),
        ((i, whole.get(e, e)) for i, e in source.pairs(ELI.cites)),
        source.absences(),
        source.voters(),
    )

    graph = nx.Graph()
    nodes = graph.nodes
    for item, entity in links:
        kind = kinds.get(entity)
        node = items.get(item)
        if node is None or kind is None:
            continue
        item = node.iri  # the items' own copy of the IRI
        if item not in nodes:
            graph.add_node(item)
        if entity not in nodes:
            graph.add_node(
                entity,
                kind=kind,
                label=labels.get(entity, entity),
                key=keys.get(entity),
                law_kind=law_kinds.get(entity),
            )
        graph.add_edge(item, entity)
    return graph


def cross_links(graph: nx.Graph, items: dict[str, ItemNode], base: str) -> list[CrossLink]:
    """Entities whose items lie in two or more municipalities.

    Laws and organisations are one resource across municipalities; projects are minted per
    municipality, so same-named projects (by key, else label, case-folded) are joined.
    An entity's municipalities and items are its neighbours in the item–entity graph.
    """
    minter = IriMinter(base)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind in ("law", "organisation"):
            groups[(kind, node)].append(node)
        elif kind == "project":
            name = (data.get("key") or data.get("label") or node).casefold()
            groups[("project", " ".join(name.split()))].append(node)

    nodes = graph.nodes
    links: list[CrossLink] = []
    for group, members in groups.items():
        municipalities: set[str] = set()
        linked: set[str] = set()
        for entity in members:
            for item in graph.neighbors(entity):
                municipality = items[item].municipality
                if municipality:
                    municipalities.add(municipality)
                    linked.add(item)
        if len(municipalities) < 2:
            continue
        first = nodes[min(members)]
        kind = (first.get("law_kind") or "act") if group[0] == "law" else group[0]
        links.append(
            CrossLink(
                iri=minter.cross_link(group[0], group[1]),
                kind=kind,
                label=min(nodes[m].get("label") or m for m in members),
                entities=sorted(members),
                municipalities=sorted(municipalities),
                items=sorted(linked),
            )
        )
    links.sort(key=lambda link: (-len(link.municipalities), -len(link.items), link.label))
    return links
