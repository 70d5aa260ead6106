"""Seeded communities and their agreement with sectors."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.communities import (
    adjusted_rand_index,
    communities,
    normalized_mutual_information,
    sector_crosstab,
)
from tsunagari.analysis.errors import AnalysisError


def shuffled_copy(graph: nx.Graph, seed: int) -> nx.Graph:
    nodes, edges = list(graph.nodes), list(graph.edges(data=True))
    rng = random.Random(seed)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.Graph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_barbell_splits_into_triangles(method):
    c = communities(nx.barbell_graph(3, 0), method=method, seed=1)
    # equal sizes; the community holding node 0 is numbered 1
    assert c == {0: 1, 1: 1, 2: 1, 3: 2, 4: 2, 5: 2}


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_same_seed_same_answer_whatever_the_order(method):
    g = nx.les_miserables_graph()
    reference = communities(g, method=method, seed=42)
    for seed in (1, 2):
        assert communities(shuffled_copy(g, seed), method=method, seed=42) == reference


def test_isolates_and_unknown_method():
    g = nx.Graph()
    g.add_nodes_from(["b", "a"])
    assert communities(g) == {"a": 1, "b": 2}
    with pytest.raises(AnalysisError, match="spectral"):
        communities(g, method="spectral")


def test_agreement_by_hand():
    a = {"p": 1, "q": 1, "r": 1, "s": 2}
    b = {"p": "X", "q": "X", "r": "Y", "s": "Y"}
    # NMI = 2 I / (H(A) + H(B)) with H(A) = −(¾ ln ¾ + ¼ ln ¼), H(B) = ln 2 and
    # I = ½ ln(2·4/(3·2)) + ¼ ln(1·4/(3·2)) + ¼ ln(1·4/(1·2)).
    h_a = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    h_b = math.log(2)
    mutual = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    assert_allclose(normalized_mutual_information(a, b), 2 * mutual / (h_a + h_b))
    # ARI: pair counts — joint Σ C(n_ij,2) = 1, rows 3, columns 2, C(4,2) = 6 → expected 1,
    # max (3 + 2)/2 = 2.5 → (1 − 1)/(2.5 − 1) = 0.
    assert_allclose(adjusted_rand_index(a, b), 0.0)
    assert adjusted_rand_index(a, {k: f"s{v}" for k, v in a.items()}) == 1.0
    assert_allclose(normalized_mutual_information(a, a), 1.0)


def test_crosstab():
    table = sector_crosstab({"p": 1, "q": 1, "r": 2}, {"p": "福祉", "q": "教育", "r": "福祉"})
    assert table.loc[1, "福祉"] == 1 and table.loc[1, "教育"] == 1 and table.loc[2, "教育"] == 0
