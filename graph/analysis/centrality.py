"""Degree and betweenness of people and organisations in the item–entity graph.

Betweenness (networkx's figure, computed by igraph: see graph.analysis.betweenness) is exact
on small graphs; past ``BETWEENNESS_BUDGET`` node+edge visits it is estimated from a
fixed-seed sample of source nodes, so that a recomputation stays within seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kommunegraf.graph.analysis.model import Centrality

if TYPE_CHECKING:
    import networkx as nx

# Node+edge visits allowed for betweenness (each sampled source is one search of the graph;
# igraph makes about 20 million a second): 71 sources at 10,000 documents, ≈ 3 s.  Never
# fewer than 50 sources: with 4, half the top 20 central actors at 10,000 documents were
# not those of a 2,000-source estimate; with 50 to 142, 3 or 4 were not (bench/README.md).
BETWEENNESS_BUDGET = 50_000_000
BETWEENNESS_MIN_SAMPLE = 50
BETWEENNESS_SEED = 7


def betweenness_sample(graph: nx.Graph) -> int | None:
    """How many source nodes betweenness is estimated from (None: exact, from every node)."""
    size = graph.number_of_nodes() + graph.number_of_edges()
    if size * graph.number_of_nodes() <= BETWEENNESS_BUDGET:
        return None
    return max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_BUDGET // size)


def centrality(graph: nx.Graph) -> list[Centrality]:
    """Degree (items linked) and betweenness of people and organisations, most central first."""
    from kommunegraf.graph.analysis.betweenness import betweenness

    if graph.number_of_nodes() == 0:
        return []
    sample = betweenness_sample(graph)
    # A sample is drawn from the nodes sorted, not in the order the graph was built: the
    # store and the documents' facts give the links in different orders, and the estimate
    # must not depend on which was read.
    order = sorted(graph.nodes()) if sample is not None else None
    between = betweenness(graph, k=sample, seed=BETWEENNESS_SEED, order=order)
    found = [
        Centrality(
            iri=node,
            kind=data["kind"],
            label=data.get("label") or node,
            degree=graph.degree(node),
            betweenness=round(between.get(node, 0.0), 6),
        )
        for node, data in graph.nodes(data=True)
        if data.get("kind") in ("person", "organisation")
    ]
    found.sort(key=lambda c: (-c.betweenness, -c.degree, c.label))
    return found
