"""Burt's constraint and effective size on hand-checked graphs."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.structural_holes import constraint, effective_size


def test_star():
    # Centre: 3 contacts with p = 1/3, not tied to each other: Σ (1/3)² = 1/3; effective size 3.
    # Leaf: one contact with p = 1: constraint 1; effective size 1.
    g = nx.star_graph(3)
    c, e = constraint(g, weight=None), effective_size(g, weight=None)
    assert_allclose([c[0], c[1]], [1 / 3, 1.0])
    assert_allclose([e[0], e[1]], [3.0, 1.0])


def test_triangle():
    # Each node: p = 1/2 to both contacts, indirect 1/2·1/2: (1/2 + 1/4)² · 2 = 1.125; size 2 − 2·1/2 = 1.
    g = nx.complete_graph(3)
    assert_allclose(constraint(g, weight=None)[0], 1.125)
    assert_allclose(effective_size(g, weight=None)[0], 1.0)


def test_weighted_constraint():
    # a–b weight 3, a–c weight 1, b and c not tied: p_ab = 3/4, p_ac = 1/4 → 9/16 + 1/16 = 0.625.
    g = nx.Graph()
    g.add_edge("a", "b", weight=3.0)
    g.add_edge("a", "c", weight=1.0)
    assert_allclose(constraint(g)["a"], 0.625)
    # no redundancy among a's contacts: effective size = 2
    assert_allclose(effective_size(g)["a"], 2.0)


def test_isolate_is_nan():
    g = nx.Graph([("a", "b")])
    g.add_node("z")
    assert math.isnan(constraint(g)["z"])
    assert math.isnan(effective_size(g)["z"])


def _weighted_case() -> nx.Graph:
    # i–a (1), i–b (2), a–b (1), a–c (4): a's strongest tie is to c, b's to i, so dividing by the
    # wrong contact's strongest tie (networkx 3.6 with SciPy) gives 19/12 instead of 5/3.
    g = nx.Graph()
    g.add_weighted_edges_from([("i", "a", 1.0), ("i", "b", 2.0), ("a", "b", 1.0), ("a", "c", 4.0)])
    return g


def test_effective_size_weighted_equals_burts_formula_by_hand():
    # ES(i) = [1 − p_ib·m_ab] + [1 − p_ia·m_ba] = [1 − (2/3)(1/4)] + [1 − (1/3)(1/2)] = 5/3
    # ES(b) = [1 − p_ba·m_ia] + [1 − p_bi·m_ai] = [1 − (1/3)(1/2)] + [1 − (2/3)(1/4)] = 5/3
    # ES(a) = contacts i, b, c: [1 − p_ab·m_ib] + [1 − p_ai·m_bi] + 1 = [1 − (1/6)(1)] + [1 − (1/6)(1)] + 1 = 8/3
    # ES(c) = 1 (one contact)
    values = effective_size(_weighted_case())
    assert values == pytest.approx({"i": 5 / 3, "b": 5 / 3, "a": 8 / 3, "c": 1.0}, abs=1e-12)


def test_effective_size_does_not_depend_on_scipy():
    import subprocess
    import sys

    code = ("import sys; sys.modules['scipy'] = None\n"
            "import json, networkx as nx\n"
            "from tsunagari.analysis.structural_holes import effective_size\n"
            "g = nx.Graph(); g.add_weighted_edges_from([('i','a',1.0),('i','b',2.0),('a','b',1.0),('a','c',4.0)])\n"
            "print(json.dumps(effective_size(g), sort_keys=True))")
    without = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import json
    import scipy  # noqa: F401  (this process has SciPy: the test extra installs it)

    assert json.loads(without) == pytest.approx(effective_size(_weighted_case()), abs=1e-15)
