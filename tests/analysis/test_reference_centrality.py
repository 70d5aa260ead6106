"""Node centrality and structural holes against R (sna, igraph) on Michael's strike network.

``tests/fixtures/published/strike/r_centrality.csv`` is written by
``tests/fixtures/published/centrality_reference.R`` (package versions and sources in
``tests/fixtures/published/README.md``). The network is undirected and unweighted: every measure is
checked with ``weight=None`` and with the default ``weight="weight"`` (no edge carries a weight, so
every tie counts 1), and the path measures with both backends. Agreement is to 1e-9 relative; where
R's convention differs from ours the test converts explicitly and says why.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.analysis import centrality, structural_holes
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics

STRIKE = Path(__file__).resolve().parents[1] / "fixtures" / "published" / "strike"
REL = 1e-9


def _rows(name: str) -> list[dict[str, str]]:
    with (STRIKE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _strike() -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(row["node"] for row in _rows("groups.csv"))
    graph.add_edges_from((row["source"], row["target"]) for row in _rows("ties.csv"))
    return graph


def _reference(column: str) -> dict[str, float]:
    return {row["node"]: float(row[column]) for row in _rows("r_centrality.csv")}


def _oriented_evcent() -> dict[str, float]:
    # sna::evcent(gmode = "graph", use.eigen = TRUE) returns eigen()'s leading eigenvector: unit
    # Euclidean norm (rescale = FALSE), the same scaling as ours on a connected graph (one
    # component, so our per-component factor is 1). An eigenvector's sign is arbitrary; LAPACK
    # returned it all negative here, while ours is the Perron vector taken positive. On a connected
    # graph the Perron vector has one sign throughout, so flipping R's sign is the only conversion.
    theirs = _reference("evcent")
    assert math.isclose(math.fsum(x * x for x in theirs.values()), 1.0, rel_tol=1e-12), "R evcent norm"
    signs = {math.copysign(1.0, x) for x in theirs.values()}
    assert len(signs) == 1, "R evcent entries change sign: not a Perron vector"
    sign = signs.pop()
    return {node: sign * x for node, x in theirs.items()}


def _assert_close(measure: str, ours: dict[str, float], theirs: dict[str, float]) -> None:
    assert sorted(ours) == sorted(theirs), f"{measure}: node sets differ"
    for node in sorted(theirs, key=int):
        assert math.isclose(ours[node], theirs[node], rel_tol=REL, abs_tol=0.0), (
            f"strike node {node} {measure}: ours {ours[node]!r}, R {theirs[node]!r}")


def test_reference_network_is_the_connected_strike_network():
    # closeness and eigenvector conventions below reduce to R's only on a connected graph.
    graph = _strike()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (24, 38)
    assert nx.is_connected(graph)


def test_degree_equals_sna():
    # sna::degree(gmode = "graph") counts each undirected tie once, as ours does.
    ours = centrality.degree(_strike())
    for node, theirs in _reference("degree").items():
        assert ours[node] == int(theirs), f"strike node {node} degree: ours {ours[node]}, R {theirs}"


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_betweenness_equals_sna(weight, backend):
    # sna counts each unordered pair once on a graph; the R script divides by (n-1)(n-2)/2 = 253,
    # our documented normalization for undirected graphs.
    ours = centrality.betweenness(_strike(), weight=weight, backend=backend)
    _assert_close(f"betweenness ({backend}, weight={weight})", ours, _reference("betweenness"))


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_closeness_equals_sna(weight, backend):
    # Ours is Wasserman & Faust's (r/(n-1))·(r/Σd); on a connected graph every node reaches
    # r = n-1 others, so it is (n-1)/Σd, which is sna::closeness(gmode = "graph").
    ours = centrality.closeness(_strike(), weight=weight, backend=backend)
    _assert_close(f"closeness ({backend}, weight={weight})", ours, _reference("closeness"))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_eigenvector_equals_sna_evcent(weight):
    ours = centrality.eigenvector(_strike(), weight=weight)
    _assert_close(f"eigenvector (weight={weight})", ours, _oriented_evcent())


@pytest.mark.parametrize("weight", [None, "weight"])
def test_constraint_equals_igraph(weight):
    ours = structural_holes.constraint(_strike(), weight=weight)
    _assert_close(f"constraint (weight={weight})", ours, _reference("constraint"))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_effective_size_equals_borgatti_formula(weight):
    # R computes n − 2t/n per ego network (Borgatti 1997). weight=None takes networkx's shortcut
    # with that same formula; weight="weight" takes Burt's general n − Σ_j Σ_q p_iq m_jq, which
    # Borgatti shows reduces to it on binary ties.
    ours = structural_holes.effective_size(_strike(), weight=weight)
    _assert_close(f"effective_size (weight={weight})", ours, _reference("effective_size"))


def test_exported_node_columns_equal_r():
    # The same network through compute_metrics: 24 agencies, one COLLABORATES_WITH tie (weight 1)
    # per strike tie and no councils or programs, so the actor network is the strike network with
    # weight 1 on every tie.
    graph = nx.MultiDiGraph()
    for node in _strike():
        graph.add_node(node, kind="Agency", id=node, name=node)
    for u, v in _strike().edges:
        graph.add_edge(u, v, kind="COLLABORATES_WITH", weight=1.0)
    frame = compute_metrics(graph, options=MetricsOptions(permutations=1)).nodes.set_index("uid")
    expected = {"betweenness": _reference("betweenness"), "betweenness_hops": _reference("betweenness"),
                "closeness": _reference("closeness"), "eigenvector": _oriented_evcent(),
                "constraint": _reference("constraint"), "effective_size": _reference("effective_size")}
    for column, theirs in expected.items():
        _assert_close(f"exported {column}", frame[column].astype(float).to_dict(), theirs)
    for node, theirs in _reference("degree").items():
        assert frame.loc[node, "degree"] == int(theirs), f"strike node {node} exported degree"
        # degree_centrality is degree / (n − 1) (Freeman 1978), sna's degree rescaled by 23.
        assert math.isclose(frame.loc[node, "degree_centrality"], theirs / 23, rel_tol=REL), (
            f"strike node {node} exported degree_centrality")
