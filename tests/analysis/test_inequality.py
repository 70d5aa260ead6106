"""Inequality indices on hand-computed cases, cross-checked with PySAL ``inequality``."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.coverage import CoverageInputError
from tsunagari.analysis.inequality import (
    InequalityInputError,
    coefficient_of_variation,
    district_inequality,
    district_resources,
    gini,
    inequality_indices,
    lorenz_points,
    max_min_ratio,
    theil_decomposition,
    theil_t,
)


def test_gini_hand_computed():
    # [1, 2, 3, 4]: Σ_i Σ_j |x_i − x_j| = 2 × (1+2+3+1+2+1) = 20; 2 n² μ = 2 × 16 × 2.5 = 80 → 0.25.
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert gini([1, 2, 3, 4], correction=True) == pytest.approx(0.25 * 4 / 3)
    # One unit holds everything: 2 × 3 × 1 / (2 × 16 × 0.25) = 0.75 = (n−1)/n; corrected → 1.
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert gini([0, 0, 0, 1], correction=True) == pytest.approx(1.0)
    assert gini([5, 5, 5]) == 0.0
    assert math.isnan(gini([0, 0]))
    assert math.isnan(gini([3], correction=True))


def test_theil_hand_computed():
    # [1, 1, 2]: μ = 4/3, shares 0.75, 0.75, 1.5 → (2 × 0.75 ln 0.75 + 1.5 ln 1.5) / 3.
    expected = (2 * 0.75 * math.log(0.75) + 1.5 * math.log(1.5)) / 3
    assert theil_t([1, 1, 2]) == pytest.approx(expected)
    # Everything in one of four units: T = ln 4 (the maximum), zeros contribute 0 ln 0 = 0.
    assert theil_t([0, 0, 0, 8]) == pytest.approx(math.log(4))
    assert theil_t([2, 2, 2]) == 0.0
    assert math.isnan(theil_t([0, 0]))


def test_theil_decomposition_between_only():
    # Groups a = [1, 1], b = [2, 2]: no inequality inside a group, so T is all between:
    # s_a = 2/6, s_b = 4/6, μ = 1.5 → between = 1/3 ln(1/1.5) + 2/3 ln(2/1.5).
    frame = theil_decomposition([1, 1, 2, 2], ["a", "a", "b", "b"])
    total = frame.iloc[-1]
    assert total["group"] == "(total)"
    assert total["between"] == pytest.approx(1 / 3 * math.log(2 / 3) + 2 / 3 * math.log(4 / 3))
    assert total["within"] == pytest.approx(0.0)
    assert total["theil_t"] == pytest.approx(theil_t([1, 1, 2, 2]))
    assert frame["share"].iloc[:2].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_theil_decomposition_within_only():
    # a = [1, 3] and b = [2, 2] have the same mean (2), so between = 0 and
    # within = s_a T_a = 0.5 × (0.5 ln 0.5 + 1.5 ln 1.5) / 2.
    frame = theil_decomposition([1, 3, 2, 2], ["a", "a", "b", "b"])
    total = frame.iloc[-1]
    assert total["between"] == pytest.approx(0.0, abs=1e-12)
    assert total["within"] == pytest.approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2)
    assert total["between"] + total["within"] == pytest.approx(theil_t([1, 3, 2, 2]))
    assert total["between_share"] == pytest.approx(0.0, abs=1e-12)


def test_theil_decomposition_label_count_must_match():
    with pytest.raises(InequalityInputError, match="2 labels for 3 values"):
        theil_decomposition([1, 2, 3], ["a", "b"])


def test_cv_max_min_and_lorenz_hand_computed():
    # [1, 3]: μ = 2, population SD = 1 → CV 0.5; sample SD = √2 → CV √2/2.
    assert coefficient_of_variation([1, 3]) == pytest.approx(0.5)
    assert coefficient_of_variation([1, 3], ddof=1) == pytest.approx(math.sqrt(2) / 2)
    assert max_min_ratio([10, 2, 5]) == pytest.approx(5.0)
    assert math.isnan(max_min_ratio([0, 4]))
    lorenz = lorenz_points([3, 1])
    assert_allclose(lorenz["population_share"], [0, 0.5, 1])
    assert_allclose(lorenz["value_share"], [0, 0.25, 1])


@pytest.mark.parametrize("bad", [[], [1.0, float("nan")], [1, -2], [float("inf")]])
def test_bad_values_raise_with_the_values(bad):
    with pytest.raises(InequalityInputError, match="values"):
        gini(bad)


def test_against_pysal_inequality():
    pysal_gini = pytest.importorskip("inequality.gini")
    pysal_theil = pytest.importorskip("inequality.theil")
    rng = np.random.default_rng(seed=5)
    values = rng.gamma(2.0, 10.0, size=23)
    groups = rng.integers(0, 3, size=23)
    assert gini(values) == pytest.approx(float(pysal_gini.Gini(values).g))
    assert theil_t(values) == pytest.approx(float(np.squeeze(pysal_theil.Theil(values).T)))
    decomposed = pysal_theil.TheilD(values, groups)
    total = theil_decomposition(values, groups.tolist()).iloc[-1]
    assert total["between"] == pytest.approx(float(np.squeeze(decomposed.bg)))
    assert total["within"] == pytest.approx(float(np.squeeze(decomposed.wg)))


def test_indices_report_why_an_index_is_undefined():
    frame = inequality_indices([0, 2, 4]).set_index("index")
    assert frame.loc["gini", "value"] == pytest.approx(gini([0, 2, 4]))
    assert math.isnan(frame.loc["max_min_ratio", "value"])
    assert frame.loc["max_min_ratio", "na_reason"] == "smallest_value_is_zero"
    empty = inequality_indices([])
    assert empty["value"].isna().all() and (empty["na_reason"] != "").all()


def _two_town_graph(code: str, units_a: int, units_b: int, pop_b: int | None) -> nx.MultiDiGraph:
    # A municipality with districts a and b; an aggregate agency of `units_a` in a, one of `units_b`
    # in b, and a city-wide section reaching both (left out of the local counts).
    g = nx.MultiDiGraph(code=code, name=f"町{code}")
    g.add_node(code, kind="Municipality", id=code)
    g.add_node(f"{code}:a", kind="District", id="a", name="A地区", layer="地区", population=1000)
    b = {"population": pop_b} if pop_b is not None else {}
    g.add_node(f"{code}:b", kind="District", id="b", name="B地区", layer="地区", **b)
    for d in ("a", "b"):
        g.add_edge(f"{code}:{d}", code, kind="PART_OF")
    g.add_node(f"{code}:xa", kind="Agency", id="xa", name="包括A", sector="福祉", count=units_a, aggregate=True)
    g.add_edge(f"{code}:xa", f"{code}:a", kind="SERVES")
    g.add_node(f"{code}:xb", kind="Agency", id="xb", name="包括B", sector="福祉", count=units_b, aggregate=True)
    g.add_edge(f"{code}:xb", f"{code}:b", kind="SERVES")
    g.add_node(f"{code}:hub", kind="Agency", id="hub", name="担当課", sector="福祉")
    return g


def test_district_resources_per_capita_and_missing_denominator():
    frame = district_resources(_two_town_graph("1", 3, 1, None)).set_index("district_id")
    assert frame.loc["a", "units"] == 3 and frame.loc["b", "units"] == 1
    assert frame.loc["a", "city_wide_units"] == 1  # the hub
    assert frame.loc["a", "per_10k_population"] == pytest.approx(30.0)  # 3 / 1000 × 10,000
    assert frame.loc["b", "per_10k_population"] is pd.NA
    assert frame.loc["b", "na_reason_population"] == "no_population_figure"


def test_district_inequality_leaves_out_missing_denominators_and_says_so():
    result = district_inequality(_two_town_graph("1", 3, 1, None), per="population")
    indices = result.indices.set_index("index")
    assert indices.loc["gini", "n"] == 1 and indices.loc["gini", "n_missing"] == 1
    raw = district_inequality(_two_town_graph("1", 3, 1, None), per=None).indices.set_index("index")
    assert raw.loc["gini", "value"] == pytest.approx(gini([3, 1]))


def test_district_inequality_without_any_denominator():
    g = _two_town_graph("1", 3, 1, None)
    del g.nodes["1:a"]["population"]
    indices = district_inequality(g, per="population").indices
    assert indices["value"].isna().all()
    assert (indices["na_reason"] == "no_district_has_population_figure").all()


def test_district_inequality_between_municipalities():
    # Town 1: a = 3/1000, b = 1/1000 → 30 and 10 per 10k; town 2: 10 and 10.
    result = district_inequality([_two_town_graph("1", 3, 1, 1000), _two_town_graph("2", 1, 1, 1000)])
    theil = result.theil.iloc[-1]
    assert theil["theil_t"] == pytest.approx(theil_t([30, 10, 10, 10]))
    assert theil["between"] + theil["within"] == pytest.approx(theil["theil_t"])
    scopes = result.indices["scope"].unique().tolist()
    assert scopes == ["1", "2", "all"]
    assert set(result.lorenz["scope"]) == {"1", "2", "all"}


def test_bad_per_and_layer_are_rejected():
    g = _two_town_graph("1", 3, 1, 1000)
    with pytest.raises(CoverageInputError, match="per='households'"):
        district_inequality(g, per="households")
    with pytest.raises(CoverageInputError, match="小学校区"):
        district_inequality(g, layer="小学校区")
