"""graph.analysis.betweenness gives networkx's betweenness figure (computed by igraph): exact, and
estimated from the same sampled sources, on graphs with several components, leaves, isolated
nodes and string node names like the item–entity graph's IRIs."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunegraf.graph.analysis.betweenness import betweenness, sampled_sources

NODES = [f"https://example.org/id/node/{i}" for i in range(40)]


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(draw(st.lists(st.sampled_from(NODES), max_size=40)))
    graph.add_edges_from(
        draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=90))
    )
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return graph


def _close(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for node, value in theirs.items():
        if math.isnan(value):  # networkx: a lone sampled source has no pairs to count
            assert ours[node] == 0.0
        else:
            assert ours[node] == pytest.approx(value, rel=1e-9, abs=1e-12), node


@settings(max_examples=120, deadline=None)
@given(graphs())
def test_exact_betweenness_is_networkx_figure(graph: nx.Graph) -> None:
    _close(betweenness(graph), nx.betweenness_centrality(graph, normalized=True))


@settings(max_examples=120, deadline=None)
@given(graphs(), st.integers(1, 45), st.integers(0, 10_000))
def test_sampled_betweenness_is_networkx_estimate_from_the_same_sources(
    graph: nx.Graph, k: int, seed: int
) -> None:
    k = min(k, graph.number_of_nodes())
    if k == 0:
        return
    expected = nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)
    _close(betweenness(graph, k=k, seed=seed), expected)


def test_a_path_counts_its_middle() -> None:
    path = nx.path_graph(["a", "b", "c", "d", "e"])
    # "c" lies on the paths a-d, a-e, b-d, b-e, both ways, of 4·3 ordered pairs
    assert betweenness(path)["c"] == pytest.approx(8 / 12)
    assert betweenness(path)["a"] == 0.0


def test_graphs_too_small_to_have_a_middle() -> None:
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.path_graph(["a", "b"])) == {"a": 0.0, "b": 0.0}


@pytest.mark.parametrize("k", [7, 50])  # as many sources as the star has nodes, or more
def test_a_sample_as_large_as_the_graph_is_the_exact_figure(k: int) -> None:
    star = nx.star_graph(6)
    assert sampled_sources(star, k, seed=1) is None
    assert betweenness(star, k=k, seed=1) == betweenness(star)
    assert betweenness(star)[0] == pytest.approx(1.0)


def test_the_sample_is_the_same_on_every_run() -> None:
    graph = nx.gnm_random_graph(200, 600, seed=5)
    assert sampled_sources(graph, 20, seed=7) == sampled_sources(graph, 20, seed=7)
    assert betweenness(graph, k=20, seed=7) == betweenness(graph, k=20, seed=7)


def test_a_directed_graph_is_refused() -> None:
    with pytest.raises(ValueError, match="undirected"):
        betweenness(nx.DiGraph([("a", "b"), ("b", "c")]))
