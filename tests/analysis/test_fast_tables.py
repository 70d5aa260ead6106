"""Plain-list iteration of the coverage tables gives the values ``itertuples`` gave (issue 15, city analysis).

``coverage_cube`` and ``resource_units`` read Arrow-backed string columns with ``tolist`` instead of one
value at a time; the values (str, int, bool, NaN for a missing string) must be the same.
"""

from __future__ import annotations

import math

import pytest

from tsunagari.analysis.districts import resource_reach
from tsunagari.analysis.provision import provisions
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and math.isnan(x):
        return isinstance(y, float) and math.isnan(y)
    return type(x) is type(y) and x == y


@pytest.mark.parametrize("sample", SAMPLES)
def test_tolist_rows_are_itertuples_rows(sample):
    graph = package_graph_of(sample_path(sample))
    for frame in (provisions(graph), resource_reach(graph)):
        rows = list(frame.itertuples(index=False))
        listed = list(zip(*(frame[c].tolist() for c in frame.columns)))
        assert len(rows) == len(listed) > 0
        assert all(_same(x, y) for row, other in zip(rows, listed) for x, y in zip(row, other))
