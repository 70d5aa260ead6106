"""Above the sampling threshold compute_metrics estimates betweenness and reports its standard error."""

from __future__ import annotations

import networkx as nx
import pytest

from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of


@pytest.fixture(scope="module")
def amagasaki() -> nx.MultiDiGraph:
    return package_graph_of(sample_path("amagasaki"))


def test_exact_below_threshold_has_zero_error(amagasaki):
    nodes = compute_metrics(amagasaki, options=MetricsOptions(permutations=10)).nodes
    assert (nodes["betweenness_se"] == 0).all()


def test_all_pivots_reproduce_exact_values(amagasaki):
    exact = compute_metrics(amagasaki, options=MetricsOptions(permutations=10)).nodes
    # k = n pivots: the estimate is the exact sum, and the finite-population correction makes SE 0.
    full = compute_metrics(amagasaki, options=MetricsOptions(permutations=10, sample_threshold=5,
                                                             betweenness_pivots=10_000)).nodes
    assert full["betweenness"].to_numpy() == pytest.approx(exact["betweenness"].to_numpy(), abs=1e-9)
    assert (full["betweenness_se"] == 0).all()


def test_sampled_estimate_reports_error_and_is_seeded(amagasaki):
    options = MetricsOptions(permutations=10, sample_threshold=5, betweenness_pivots=30, seed=4)
    first = compute_metrics(amagasaki, options=options).nodes
    again = compute_metrics(amagasaki, options=options).nodes
    assert first["betweenness"].equals(again["betweenness"])
    assert (first["betweenness_se"] > 0).any()
    exact = compute_metrics(amagasaki, options=MetricsOptions(permutations=10)).nodes
    hub = exact["betweenness"].idxmax()
    # The estimate of the top broker lies within 4 standard errors of the exact value.
    assert abs(first.loc[hub, "betweenness"] - exact.loc[hub, "betweenness"]) <= 4 * first.loc[hub, "betweenness_se"]
