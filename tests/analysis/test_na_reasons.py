"""Reason codes for missing figures: every code the analysis emits has a Japanese and an English text."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from tsunagari.analysis.coverage import PER_UNITS, coverage_cube
from tsunagari.analysis.inequality import district_inequality, inequality_indices
from tsunagari.analysis.na_reasons import NA_REASON_CODES
from tsunagari.dashboards.i18n import STRINGS, na_reason_text
from tsunagari.analysis.resident_base import resident_base
from tsunagari.loaders.validate import read_package

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


def test_every_code_has_both_languages():
    for code in NA_REASON_CODES:
        ja, en = STRINGS[f"na.{code}"]
        assert ja and en and ja != en, code
        assert na_reason_text(code, "ja") == ja and na_reason_text(code, "en") == en
        assert na_reason_text(code, "both") == f"{ja} / {en}"


def test_the_catalogue_has_no_reason_the_analysis_never_emits():
    assert {k[3:] for k in STRINGS if k.startswith("na.")} == set(NA_REASON_CODES)


def test_every_denominator_has_its_codes():
    for per in PER_UNITS:
        for code in (f"no_{per}_figure", f"{per}_is_zero", f"no_district_has_{per}_figure"):
            assert code in NA_REASON_CODES, code


def test_unknown_code_names_the_known_ones():
    with pytest.raises(KeyError, match="no_population_figure"):
        na_reason_text("no such reason")


def test_empty_code_means_no_reason():
    assert na_reason_text("", "en") == ""


def test_codes_emitted_by_the_indices_are_known():
    emitted = set()
    for values in ([], [0.0, 0.0], [5.0], [0.0, 3.0]):
        emitted |= set(inequality_indices(values)["na_reason"])
    emitted.discard("")
    assert emitted == {"no_district_with_value", "every_value_is_zero", "single_district",
                       "smallest_value_is_zero"}
    assert emitted <= set(NA_REASON_CODES)


def test_codes_emitted_on_the_mini_package_are_known(mini_graph):
    frames = [coverage_cube(mini_graph, per=per)["na_reason"] for per in PER_UNITS]
    frames.append(resident_base(mini_graph)["na_reason"])
    for per in PER_UNITS:
        result = district_inequality(mini_graph, per=per)
        frames += [result.districts[f"na_reason_{per}"], result.indices["na_reason"]]
    codes = {code for frame in frames for code in frame if code}
    assert codes, "the mini package should have at least one missing figure"
    assert codes <= set(NA_REASON_CODES), codes - set(NA_REASON_CODES)
