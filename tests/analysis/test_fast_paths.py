"""The copy-free paths give the numbers of the paths they replaced, on the four samples and on small graphs.

Betweenness and closeness used to convert a node-sorted networkx copy to igraph; they now build the
same igraph graph (same vertex and edge order) directly, so the numbers must be bit-for-bit those of
``fast_backend`` on ``with_distance``'s copy. Constraint, clustering, transitivity, cut points and
bridges are compared with networkx's own functions.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from tsunagari.analysis import actor_digraph, actor_network, fast_backend
from tsunagari.analysis.centrality import _canonical_edges, _sorted_copy, betweenness, closeness, with_distance
from tsunagari.analysis.cutpoints import articulation_points, bridges
from tsunagari.analysis.structural_holes import constraint
from tsunagari.analysis.whole_network import _simple, whole_network_measures
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")


@pytest.fixture(scope="module", params=SAMPLES)
def networks(request) -> tuple[nx.Graph, nx.DiGraph]:
    graph = package_graph_of(sample_path(request.param))
    return actor_network(graph), actor_digraph(graph)


def _same(a: dict, b: dict) -> bool:
    return list(a) == list(b) and all(
        (math.isnan(x) and math.isnan(b[k])) or x == b[k] for k, x in a.items())


def test_betweenness_and_closeness_are_bit_for_bit_the_copy_path(networks):
    undirected, directed = networks
    for network in (undirected, directed):
        copy = with_distance(network)
        old = fast_backend.betweenness(copy, weight="distance")
        assert _same(betweenness(network), {n: float(old[n]) for n in sorted(copy)})
        old_hops = fast_backend.betweenness(_sorted_copy(network))
        assert _same(betweenness(network, weight=None), {n: float(old_hops[n]) for n in sorted(network)})
    old_closeness = fast_backend.closeness(with_distance(undirected), distance="distance")
    assert _same(closeness(undirected), {n: float(old_closeness[n]) for n in sorted(undirected)})


def test_canonical_edges_are_the_sorted_copys_edges():
    g = nx.Graph()
    g.add_edges_from([("b", "a"), ("a", "c"), ("c", "b"), ("d", "a"), ("d", "d")])  # mixed orientation, a loop
    assert _canonical_edges(g) == list(_sorted_copy(g).edges())
    # g yields (b,a) (b,c) (a,c) (a,d) (d,d); sorted: (a,c) (a,d) (b,a) (b,c) (d,d), so a's neighbours are c, d, b
    assert _canonical_edges(g) == [("a", "c"), ("a", "d"), ("a", "b"), ("b", "c"), ("d", "d")]
    d = nx.DiGraph([("b", "a"), ("a", "c"), ("c", "a")])
    assert _canonical_edges(d) == list(_sorted_copy(d).edges()) == [("a", "c"), ("b", "a"), ("c", "a")]


def test_constraint_equals_networkx_on_the_samples(networks):
    undirected, _ = networks
    expected = nx.constraint(_sorted_copy(undirected), weight="weight")
    found = constraint(undirected)
    assert list(found) == sorted(undirected)
    assert max(abs(found[n] - expected[n]) for n in found if not math.isnan(expected[n])) <= 1e-12
    assert [n for n in found if math.isnan(found[n])] == sorted(n for n in expected if math.isnan(expected[n]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # networkx divides by a zero row sum
@pytest.mark.parametrize("trial", range(40))
def test_constraint_equals_networkx_on_odd_graphs(trial):
    rng = random.Random(trial)
    g = nx.gnp_random_graph(25, 0.2, seed=trial, directed=trial % 3 == 0)
    if trial % 4 == 0:
        g.add_edge(3, 3)  # a self-loop
        g.add_node(99)  # an isolate
    for u, v in g.edges():
        g[u][v]["weight"] = rng.choice([0.0, 1 / 3, 0.5, 2.0]) if trial % 2 else rng.random()  # zero: no contact
    for weight in (None, "weight"):
        expected = nx.constraint(g, weight=weight)
        found = constraint(g, weight=weight)
        for node, value in expected.items():
            assert (math.isnan(value) and math.isnan(found[node])) or abs(found[node] - value) <= 1e-12


def test_star_constraint_by_hand():
    # centre of a 3-leaf star: three contacts, p = 1/3 each, none tied: 3 · (1/3)² = 1/3; a leaf: (1 + 0)² = 1
    values = constraint(nx.star_graph(3), weight=None)
    assert values[0] == pytest.approx(1 / 3, abs=1e-15) and values[1] == 1.0


def test_clustering_transitivity_cut_points_and_bridges_equal_networkx(networks):
    undirected, _ = networks
    simple = _simple(undirected)
    assert simple is undirected  # the actor network already is sorted and simple: no copy
    measures = whole_network_measures(undirected)
    assert measures["average_clustering"] == nx.average_clustering(undirected)
    assert measures["transitivity"] == nx.transitivity(undirected)
    assert articulation_points(undirected) == sorted(nx.articulation_points(undirected))
    assert bridges(undirected) == sorted(tuple(sorted(e)) for e in nx.bridges(undirected))


def test_whole_network_of_an_unsorted_graph_equals_its_sorted_copy():
    g = nx.Graph([("c", "a"), ("b", "c"), ("a", "b"), ("d", "e"), ("e", "e")])
    assert _simple(g) is not g
    left, right = whole_network_measures(g), whole_network_measures(_simple(g))
    assert left.keys() == right.keys()
    assert all((math.isnan(v) and math.isnan(right[k])) or v == right[k] for k, v in left.items())
    assert left["transitivity"] == 1.0 and left["average_clustering"] == 3 / 5  # one triangle of 5 nodes


def test_whole_network_of_the_sample_equals_the_copy_path(networks):
    undirected, _ = networks
    shuffled = nx.Graph()  # same ties in reverse order: not sorted, so measured through the node-sorted copy
    shuffled.add_nodes_from(reversed(list(undirected.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(undirected.edges(data=True))))
    fast, copied = whole_network_measures(undirected), whole_network_measures(shuffled)
    assert fast.keys() == copied.keys()
    assert all((math.isnan(v) and math.isnan(copied[k])) or v == copied[k] for k, v in fast.items())


def test_eigenvector_matrices_are_networkx_matrices(networks):
    import numpy as np
    from scipy.sparse.linalg import eigsh

    from tsunagari.analysis.centrality import _DENSE_EIGEN_MAX, _leading_eigenpair

    undirected, _ = networks
    for component in nx.connected_components(undirected):
        nodes = sorted(component)
        value, vector = _leading_eigenpair(undirected, nodes, "weight")
        if len(nodes) <= _DENSE_EIGEN_MAX:  # what the function did before, bit for bit
            values, vectors = np.linalg.eigh(nx.to_numpy_array(undirected, nodelist=nodes, weight="weight"))
            expected = float(values[-1]), np.abs(vectors[:, -1])
        else:
            matrix = nx.to_scipy_sparse_array(undirected, nodelist=nodes, weight="weight", format="csr", dtype=float)
            values, vectors = eigsh(matrix, k=1, which="LA", tol=0, v0=np.ones(len(nodes)))
            expected = float(values[0]), np.abs(vectors[:, 0])
        assert value == expected[0] and (vector == expected[1]).all()
