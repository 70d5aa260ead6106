"""The igraph backend gives networkx's numbers on the fixture and the four sample packages."""

from __future__ import annotations

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.fast_backend import betweenness, closeness, sampled_betweenness
from tsunagari.analysis.network import actor_digraph, actor_network
from tsunagari.loaders.validate import read_package
from tsunagari.samples import SAMPLES, sample_path

PACKAGES = ["mini", *SAMPLES]


@pytest.fixture(scope="module")
def networks(tmp_path_factory, mini_path_module):
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings

    url = f"embedded://{tmp_path_factory.mktemp('fast-backend') / 'store'}"
    out = {}
    with open_store(Settings(store_url=url)) as store:
        for name in PACKAGES:
            package = read_package(mini_path_module if name == "mini" else sample_path(name))
            store.load_package(package)
            graph = store.read_graph(package.code)
            undirected, directed = actor_network(graph), actor_digraph(graph)
            for net in (undirected, directed):
                for _, _, data in net.edges(data=True):
                    data["distance"] = 1.0 / data["weight"]
            out[name] = (undirected, directed)
    return out


@pytest.fixture(scope="module")
def mini_path_module():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def _same(a: dict, b: dict, **tolerance) -> None:
    assert list(a) == list(b) or set(a) == set(b)
    keys = sorted(a)
    assert_allclose([a[k] for k in keys], [b[k] for k in keys], **tolerance)


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_in_hops_equals_networkx(networks, name, directed):
    net = networks[name][directed]
    assert net.number_of_nodes() > 2
    _same(betweenness(net), nx.betweenness_centrality(net), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("directed", [False, True])
def test_weighted_betweenness_equals_networkx(networks, name, directed):
    # Lengths 1/weight: equal up to floating ties (module notes); on lengths rounded to a dyadic
    # grid, where sums are exact, the two agree to rounding.
    net = networks[name][directed].copy()
    _same(betweenness(net, weight="distance"), nx.betweenness_centrality(net, weight="distance"),
          rtol=0, atol=1e-4)
    for _, _, data in net.edges(data=True):
        data["grid"] = round(data["distance"] * 2**20) / 2**20
    _same(betweenness(net, weight="grid"), nx.betweenness_centrality(net, weight="grid"), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("distance", [None, "distance"])
def test_closeness_equals_networkx(networks, name, directed, distance):
    net = networks[name][directed]
    _same(closeness(net, distance=distance), nx.closeness_centrality(net, distance=distance),
          rtol=1e-12, atol=1e-15)


def test_closeness_of_an_isolate_is_zero():
    g = nx.Graph([(0, 1)])
    g.add_node(2)  # nothing reaches node 2
    assert closeness(g) == nx.closeness_centrality(g) == {0: 1 / 2, 1: 1 / 2, 2: 0.0}


def test_sampled_with_every_pivot_is_exact(networks):
    net = networks["amagasaki"][False]
    exact = betweenness(net, weight="distance")
    result = sampled_betweenness(net, k=net.number_of_nodes(), seed=3, weight="distance")
    _same(result.values, exact, rtol=1e-9, atol=1e-12)
    assert result.max_standard_error == 0.0


def test_sampled_estimate_is_seeded_and_within_its_error():
    # Karate club: 34 nodes; 12 pivots estimate every node's betweenness.
    g = nx.karate_club_graph()
    exact = nx.betweenness_centrality(g)
    a = sampled_betweenness(g, k=12, seed=5)
    assert a.values == sampled_betweenness(g, k=12, seed=5).values
    assert a.values != sampled_betweenness(g, k=12, seed=6).values
    assert a.max_standard_error > 0
    misses = sum(abs(a.values[v] - exact[v]) > 4 * a.standard_error[v] + 1e-12 for v in g)
    assert misses <= 2


def test_bad_arguments_name_the_value():
    from tsunagari.analysis import errors, fast_backend
    from tsunagari.analysis.errors import EdgeLengthError, SampleSizeError

    # defined in errors.py, re-exported by fast_backend
    assert fast_backend.EdgeLengthError is errors.EdgeLengthError
    assert fast_backend.SampleSizeError is errors.SampleSizeError

    with pytest.raises(SampleSizeError, match="k=0"):
        sampled_betweenness(nx.path_graph(3), k=0, seed=1)
    g = nx.path_graph(3)
    g[0][1]["distance"] = 0.0
    with pytest.raises(EdgeLengthError, match="distance"):
        betweenness(g, weight="distance")
    with pytest.raises(nx.NetworkXNotImplemented):
        betweenness(nx.MultiGraph([(0, 1)]))


@pytest.mark.parametrize("name", PACKAGES)
def test_loss_impact_equals_the_networkx_version(networks, name):
    from pandas.testing import assert_frame_equal

    from tsunagari.analysis import cutpoints
    from tsunagari.analysis.fast_backend import loss_impact

    net = networks[name][False]
    assert_frame_equal(loss_impact(net), cutpoints.loss_impact(net, backend="networkx"))


@pytest.mark.parametrize("graph", [nx.Graph(), nx.empty_graph(3), nx.barbell_graph(3, 0), nx.path_graph(5),
                                   nx.karate_club_graph(), nx.DiGraph([(0, 1), (1, 2), (3, 3)])])
def test_loss_impact_on_small_graphs(graph):
    # Empty, isolates only, two triangles on a bridge, a path, the karate club, and a DiGraph with
    # a self-loop (direction and self-loops are ignored).
    from pandas.testing import assert_frame_equal

    from tsunagari.analysis import cutpoints
    from tsunagari.analysis.fast_backend import loss_impact

    assert_frame_equal(loss_impact(graph), cutpoints.loss_impact(graph, backend="networkx"))


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("weight", [None, "distance"])
def test_average_shortest_path_length_equals_networkx(networks, name, weight):
    from tsunagari.analysis.fast_backend import average_shortest_path_length

    net = networks[name][False]
    largest = net.subgraph(max(nx.connected_components(net), key=len))
    assert average_shortest_path_length(largest, weight=weight) == pytest.approx(
        nx.average_shortest_path_length(largest, weight=weight), rel=1e-12)
    if not nx.is_connected(net):
        with pytest.raises(nx.NetworkXError, match="not connected"):
            average_shortest_path_length(net)
