"""node_metrics / graph_metrics on the hand-made package: values by hand, determinism, columns."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.errors import AnalysisError, BackendError, UnknownGroupError
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics, graph_metrics, node_metrics
from tsunagari.analysis.network import NetworkOptions
from tsunagari.loaders.validate import read_package

OPTIONS = MetricsOptions(permutations=200, seed=5)



def shuffled(graph: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))
    rng = random.Random(seed)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.MultiDiGraph(**graph.graph)
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def test_hub_by_hand(mini_graph):
    nodes = node_metrics(mini_graph, options=OPTIONS).set_index("id")
    hub = nodes.loc["hub"]
    # Actor network (see test_network): hub–housing 0.5, hub–shakyo 1.5, hub–probation 2, hub–houkatsu 1,
    # housing–shakyo 0.5; the 町会 is isolated. n = 6.
    assert hub["degree"] == 4
    assert_allclose(hub["degree_centrality"], 4 / 5)
    assert_allclose(hub["strength"], 5.0)
    # Of the 6 pairs among houkatsu, housing, probation, shakyo, all but housing–shakyo (direct,
    # distance 2 < 2 + 2/3 via hub) pass through hub: 5 / C(5,2) = 0.5.
    assert_allclose(hub["betweenness"], 0.5)
    # removing hub: houkatsu and probation lose every tie; of the 6 pairs among the other four
    # connected actors, only housing–shakyo survives.
    assert (hub["components_after"], hub["isolated_after"], hub["pairs_lost"]) == (4, 2, 5)
    assert bool(hub["cutpoint"])
    assert (hub["betweenness_rank"], hub["brokerage_rank"], hub["loss_rank"]) == (1, 1, 1)
    # Directed view: probation ↔ hub, hub → shakyo (referral), councils and program both ways.
    # Open two-paths through hub with sectors 福祉 (hub, houkatsu), 住まい, 社協, 司法:
    #   representative (福祉 → 福祉 → other): houkatsu → hub → {housing, shakyo, probation} = 3
    #   gatekeeper (other → 福祉 → 福祉): {housing, shakyo, probation} → hub → houkatsu = 3
    #   liaison: probation → hub → {housing, shakyo}, housing → hub → probation, shakyo → hub → probation = 4
    #   (housing → hub → shakyo and back are closed by the council tie housing–shakyo)
    assert (hub["brokerage_representative"], hub["brokerage_gatekeeper"], hub["brokerage_liaison"]) == (3, 3, 4)
    assert hub["brokerage_coordinator"] == 0 and hub["brokerage_itinerant"] == 0
    assert hub["brokerage_cross_group"] == 10
    # E-I of hub over its 4 ties: 1 internal (houkatsu, 福祉), 3 external → (3 − 1)/4
    assert_allclose(hub["ei"], 0.5)
    town = nodes.loc["chokai_n"]
    assert town["degree"] == 0 and math.isnan(town["constraint"]) and town["sector"] == "住民"
    assert bool(nodes.loc["houkatsu", "aggregate"]) and nodes.loc["houkatsu", "count"] == 2


def test_graph_measures_by_hand(mini_graph):
    graph = graph_metrics(mini_graph, options=OPTIONS).set_index("measure")["value"]
    assert graph["nodes"] == 6 and graph["ties"] == 5 and graph["components"] == 2
    assert_allclose(graph["density"], 5 / 15)
    # whole-network E-I by sector: internal hub–houkatsu only; 4 external → (4 − 1)/5
    assert_allclose(graph["ei_index"], 0.6)
    assert graph["brokerage_total"] == 10
    assert graph["aggregate_actors"] == 1 and graph["cutpoints"] == 1


@pytest.mark.parametrize("seed", [11, 12])
def test_same_input_same_output(mini_graph, seed):
    a = compute_metrics(mini_graph, options=OPTIONS)
    b = compute_metrics(shuffled(mini_graph, seed), options=OPTIONS)
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.graph, b.graph)
    assert list(a.network.nodes) == list(b.network.nodes)
    assert list(a.network.edges(data=True)) == list(b.network.edges(data=True))


def test_columns_and_options(mini_graph):
    result = compute_metrics(mini_graph, options=MetricsOptions(
        network=NetworkOptions(tie_kinds=("REFERS_TO",), affiliations=()), group="layer", permutations=10))
    nodes = result.nodes.set_index("id")
    assert nodes.loc["hub", "degree"] == 1 and nodes.loc["hub", "group"] == "市域"
    assert result.network.graph["tie_kinds"] == "REFERS_TO"
    for column in ("uid", "name", "kind", "sector", "district", "betweenness", "closeness", "eigenvector",
                   "constraint", "effective_size", "brokerage_gatekeeper_z", "participation_group",
                   "community", "loss_rank"):
        assert column in result.nodes.columns
    assert result.nodes["uid"].is_monotonic_increasing
    with pytest.raises(UnknownGroupError):
        MetricsOptions(group="colour")
    with pytest.raises(AnalysisError, match="infomap"):
        MetricsOptions(community_method="infomap")


def test_empty_graph():
    frame = node_metrics(nx.MultiDiGraph(), options=MetricsOptions(permutations=1))
    assert len(frame) == 0


def test_networkx_backend_gives_the_same_table(mini_graph):
    # The mini package has no two weighted paths of equal length, so the backends agree to rounding
    # on every column (weighted ties are the one documented difference, see compute_metrics).
    fast = compute_metrics(mini_graph, options=OPTIONS)
    slow = compute_metrics(mini_graph, options=OPTIONS, backend="networkx")
    pd.testing.assert_frame_equal(fast.nodes, slow.nodes, check_exact=False, rtol=0, atol=1e-12)
    pd.testing.assert_frame_equal(fast.graph, slow.graph, check_exact=False, rtol=0, atol=1e-12)
    with pytest.raises(BackendError, match="'scipy'"):
        compute_metrics(mini_graph, options=OPTIONS, backend="scipy")
