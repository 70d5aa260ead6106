"""Participation coefficient and within-module degree (Guimerà & Amaral 2005), by hand."""

from __future__ import annotations

import math

import networkx as nx
from numpy.testing import assert_allclose

from tsunagari.analysis.participation import participation_coefficient, within_module_degree


def spider() -> tuple[nx.Graph, dict[str, str]]:
    # hub h has 2 ties into X, 1 into Y, 1 into Z.
    g = nx.Graph([("h", "x1"), ("h", "x2"), ("h", "y1"), ("h", "z1")])
    return g, {"h": "X", "x1": "X", "x2": "X", "y1": "Y", "z1": "Z"}


def test_participation_by_hand():
    g, modules = spider()
    values = participation_coefficient(g, modules)
    # 1 − (2/4)² − (1/4)² − (1/4)² = 1 − 6/16
    assert_allclose(values["h"], 0.625)
    # a leaf's single tie goes to one module
    assert values["x1"] == 0.0


def test_participation_weighted_and_isolate():
    g, modules = spider()
    g["h"]["y1"]["weight"] = 2.0  # strengths: X 2, Y 2, Z 1 → 1 − (4 + 4 + 1)/25
    for u, v in g.edges():
        g[u][v].setdefault("weight", 1.0)
    assert_allclose(participation_coefficient(g, modules, weight="weight")["h"], 1 - 9 / 25)
    g.add_node("q")
    assert math.isnan(participation_coefficient(g, {**modules, "q": "X"})["q"])


def test_within_module_degree_by_hand():
    g, modules = spider()
    # module X internal degrees: h 2, x1 1, x2 1 → mean 4/3, population sd √(2/9)
    values = within_module_degree(g, modules)
    sd = math.sqrt(((2 - 4 / 3) ** 2 + 2 * (1 - 4 / 3) ** 2) / 3)
    assert_allclose(values["h"], (2 - 4 / 3) / sd)
    assert values["y1"] == 0.0  # alone in its module: sd 0
