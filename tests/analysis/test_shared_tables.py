"""Tables built once per graph give the results built afresh; the sparse eigenvector equals the dense one.

The four samples are the comparison: every frame of coverage_gaps and district_inequality (which
share their district table, reach, provisions and cube inside ``shared_tables``) equals the same
frame built outside any shared scope, and the metrics table is unchanged by the shared copies.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from tsunagari.analysis import (actor_network, centrality, coverage_cube, coverage_gaps, district_inequality,
                                district_resources, district_table, eigenvector, provisions, resident_base,
                                resource_reach, shared_tables)
from tsunagari.analysis.information_base import resource_units
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request) -> nx.MultiDiGraph:
    return package_graph_of(sample_path(request.param))


def test_gaps_equal_their_parts_built_afresh(sample):
    gaps = coverage_gaps(sample, per="elderly")
    pd.testing.assert_frame_equal(gaps.cube, coverage_cube(sample, per="elderly"))
    pd.testing.assert_frame_equal(gaps.residents, resident_base(sample))
    local = provisions(sample)
    local = local[local["local"]].drop_duplicates("provider_uid")
    total, city_wide = resource_units(sample)
    base = gaps.base.iloc[0]
    assert (base["local_units"], base["resource_units"], base["city_wide_units"]) == (
        int(local["units"].sum()), total, city_wide)


def test_inequality_equals_its_parts_built_afresh(sample):
    result = district_inequality(sample, per="children")
    expected = district_resources(sample)
    pd.testing.assert_frame_equal(result.districts[expected.columns].reset_index(drop=True), expected)


def test_shared_scope_hands_out_copies(sample):
    with shared_tables():
        first = resource_reach(sample)
        first["units"] = -1
        again = resource_reach(sample)
        assert district_table(sample) is not district_table(sample)
    pd.testing.assert_frame_equal(again, resource_reach(sample))
    assert len(again) > 0 and (again["units"] > 0).all()


def test_outside_a_scope_a_changed_graph_is_seen():
    g = nx.MultiDiGraph()
    g.add_node("1:a", kind="District", id="a", layer="地区")
    assert len(district_table(g)) == 1
    g.add_node("1:b", kind="District", id="b", layer="地区")
    assert len(district_table(g)) == 2  # nothing kept between calls outside shared_tables()


def test_sparse_eigenvector_equals_dense(sample, monkeypatch):
    network = actor_network(sample)
    monkeypatch.setattr(centrality, "_DENSE_EIGEN_MAX", 2)  # every component of 3+ through the sparse solver
    sparse = eigenvector(network)
    monkeypatch.setattr(centrality, "_DENSE_EIGEN_MAX", 10**9)  # every component through numpy's eigh
    dense = eigenvector(network)
    assert list(sparse) == list(dense)
    np.testing.assert_allclose(list(sparse.values()), list(dense.values()), rtol=0, atol=1e-12)
