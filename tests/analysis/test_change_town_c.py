"""municipality_change on the second hand-made pair, 川辺町 town_c_fy2022 → town_c_fy2023.

Every expected value is in tests/fixtures/town_c_fy2023/README.md, derived by hand before the code was run
(betweenness included). The inequality indices are recomputed here by a plain-Python formula written for
this test, never by the product's own functions."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import tsunagari as tg
from tests.conftest import TOWN_C_FY2022, TOWN_C_FY2023
from tsunagari.analysis.change import municipality_change


@pytest.fixture(scope="module")
def graphs():
    return tg.package_graph(tg.read_package(TOWN_C_FY2022)), tg.package_graph(tg.read_package(TOWN_C_FY2023))


@pytest.fixture(scope="module")
def change(graphs):
    return municipality_change(*graphs)


def _records(frame) -> list[dict]:
    """Rows with NA as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _plain_indices(values: list[float]) -> dict[str, float]:
    """Gini (1912), corrected Gini, Theil T (1967), CV and max/min, as docs/analysis-coverage.md writes them."""
    n = len(values)
    mean = sum(values) / n
    gini = sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)
    return {"gini": gini, "gini_corrected": gini * n / (n - 1),
            "theil_t": sum(x / mean * math.log(x / mean) for x in values if x > 0) / n,
            "cv": math.sqrt(sum((x - mean) ** 2 for x in values) / n) / mean,
            "max_min_ratio": max(values) / min(values)}


# Local units per 10,000 residents (README, Inequality): kami, naka, shimo, minato.
FY2022 = [3 / 2000 * 1e4, 3 / 4000 * 1e4, 1 / 3000 * 1e4, 1 / 1000 * 1e4]
FY2023 = [2 / 1800 * 1e4, 5 / 4200 * 1e4, 1 / 4000 * 1e4]


def test_the_independent_formula_agrees_with_the_hand_fractions():
    # README: Gini 45/172 and 158/643, exact
    def gini(xs):
        return sum(abs(a - b) for a in xs for b in xs) / (2 * len(xs) * sum(xs))

    assert gini([Fraction(15), Fraction(15, 2), Fraction(10, 3), Fraction(10)]) == Fraction(45, 172)
    assert gini([Fraction(100, 9), Fraction(250, 21), Fraction(5, 2)]) == Fraction(158, 643)
    assert round(_plain_indices(FY2022)["gini"], 6) == 0.261628
    assert round(_plain_indices(FY2023)["gini"], 6) == 0.245723


def test_years_given_in_wareki_are_stored_as_western_years(change):
    about = change.about.iloc[0]
    assert (about["municipality"], about["name"], about["fiscal_year_before"], about["fiscal_year_after"]) == (
        "99903", "川辺町", 2022, 2023)


def test_summary_counts(change):
    assert dict(zip(change.summary["item"], change.summary["count"])) == {
        "actors_added": 1, "actors_removed": 1, "ties_added": 7, "ties_removed": 7, "ties_reweighted": 1,
        "cells_gap_closed": 4, "cells_gap_opened": 2, "cells_thinned": 1, "cells_strengthened": 1,
        "cells_providers": 8, "brokers_rank_changed": 5, "loss_changed": 4, "indices_changed": 5}


def test_actors_renamed_or_moved_are_not_added_or_removed(change):
    assert [(r.change, r.id, r.name, r.kind, r.district) for r in change.actors.itertuples()] == [
        ("added", "r_kodomo", "中流子ども食堂", "ResidentGroup", "naka"),
        ("removed", "r_jichi_minato", "港自治会", "ResidentGroup", "minato")]


def test_ties_reversed_undirected_is_the_same_role_change_is_two_rows(change):
    rows = [(r["change"], r["kind"], r["from_id"], r["to_id"], r["role"], r["weight_before"], r["weight_after"])
            for r in _records(change.ties)]
    assert rows == [
        ("added", "ADDRESSES", "c_kaigi", "n_hikikomori", None, None, 1.0),
        ("added", "COLLABORATES_WITH", "a_npo", "r_kodomo", None, None, 1.0),
        ("added", "LOCATED_IN", "a_houkatsu", "shimo", None, None, 1.0),
        ("added", "MEMBER_OF", "a_houkatsu", "c_kaigi", "座長", None, 1.0),
        ("added", "OPERATES", "a_npo", "p_jiritsu", None, None, 1.0),
        ("added", "SERVES", "r_kodomo", "naka", None, None, 1.0),
        ("added", "SERVES", "r_salon", "naka", None, None, 1.0),
        ("removed", "COLLABORATES_WITH", "a_school", "a_shakyo", None, 1.0, None),
        ("removed", "LOCATED_IN", "a_houkatsu", "naka", None, 1.0, None),
        ("removed", "MEMBER_OF", "a_houkatsu", "c_kaigi", "委員", 1.0, None),
        ("removed", "OPERATES", "a_shakyo", "p_jiritsu", None, 1.0, None),
        ("removed", "PART_OF", "minato", "99903", None, 1.0, None),
        ("removed", "SERVES", "r_jichi_minato", "minato", None, 1.0, None),
        ("removed", "SERVES", "r_salon", "kami", None, 1.0, None),
        ("reweighted", "REFERS_TO", "a_houkatsu", "a_fuku", None, 1.0, 3.0)]
    # the renamed actor's new name is the one shown
    assert set(change.ties.loc[change.ties["from_id"] == "a_npo", "from_name"]) == {"NPO法人かわべ結び"}


EXPECTED_COVERAGE = {
    # (district, pillar, domain): (change, level before, level after, units before, after, local before, after)
    ("kami", "多機関協働", "ひきこもり"): ("gap_closed", "none", "thin", 0, 1, 0, 0),
    ("naka", "多機関協働", "ひきこもり"): ("gap_closed", "none", "thin", 0, 1, 0, 0),
    ("shimo", "多機関協働", "ひきこもり"): ("gap_closed", "none", "thin", 0, 1, 0, 0),
    ("naka", "地域づくり", "子ども"): ("gap_closed", "none", "covered", 0, 2, 0, 2),
    ("naka", "参加支援", "子ども"): ("gap_opened", "thin", "none", 1, 0, 1, 0),
    ("naka", "参加支援", "全体"): ("gap_opened", "thin", "none", 1, 0, 1, 0),
    # no minato row: a district held in one year only has no cells to compare (README, review note 2)
    ("kami", "地域づくり", "高齢"): ("thinned", "covered", "thin", 2, 1, 2, 1),
    ("naka", "地域づくり", "高齢"): ("strengthened", "thin", "covered", 1, 2, 1, 2),
    ("kami", "地域づくり", "全体"): ("providers", "covered", "covered", 3, 2, 3, 2),
    ("naka", "地域づくり", "全体"): ("providers", "covered", "covered", 2, 5, 2, 5),
    **{(d, "包括的相談支援", "生活困窮"): ("providers", "thin", "thin", 1, 1, 0, 0) for d in ("kami", "naka", "shimo")},
    **{(d, "包括的相談支援", "全体"): ("providers", "covered", "covered", 2, 2, 0, 0) for d in ("kami", "naka", "shimo")},
}


def test_coverage_cells_exactly(change):
    got = {(r.district_id, r.pillar, r.domain): (r.change, r.level_before, r.level_after, r.providers_before,
                                                 r.providers_after, r.local_providers_before,
                                                 r.local_providers_after)
           for r in change.coverage.itertuples()}
    assert len(change.coverage) == len(got)  # one row per cell
    assert got == EXPECTED_COVERAGE
    # change 13: the same level and units, another provider (README, review note 1)
    swap = change.coverage[(change.coverage["district_id"] == "shimo") & (change.coverage["domain"] == "生活困窮")]
    assert swap[["change", "providers_before", "providers_after"]].values.tolist() == [["providers", 1, 1]]


def test_brokers_ranks_by_hand(change):
    rows = [(r.change, r.id, round(float(r.betweenness_before), 6), round(float(r.betweenness_after), 6),
             int(r.rank_before), int(r.rank_after), int(r.rank_change)) for r in change.brokers.itertuples()]
    assert rows == [
        ("rose", "a_houkatsu", round(4 / 45, 6), round(10 / 45, 6), 3, 2, 1),
        ("rose", "a_kyoiku", round(2 / 45, 6), round(6 / 45, 6), 4, 3, 1),
        ("rose", "a_npo", 0.0, round(6 / 45, 6), 6, 4, 2),
        ("fell", "a_shakyo", round(6 / 45, 6), round(6 / 45, 6), 2, 5, -3),
        ("fell", "a_school", round(2 / 45, 6), 0.0, 5, 6, -1)]


def test_loss_impact_by_hand(change):
    rows = {r.id: (r.change, bool(r.cutpoint_before), bool(r.cutpoint_after), int(r.pairs_lost_before),
                   int(r.pairs_lost_after), round(float(r.pairs_lost_share_before), 6),
                   round(float(r.pairs_lost_share_after), 6), int(r.isolated_after_before),
                   int(r.isolated_after_after)) for r in change.loss.itertuples()}
    assert rows == {
        "a_kyoiku": ("became_cutpoint", False, True, 0, 6, 0.0, round(2 / 7, 6), 0, 1),
        "a_npo": ("became_cutpoint", False, True, 0, 6, 0.0, round(2 / 7, 6), 0, 1),
        "a_fuku": ("more_lost", True, True, 5, 16, round(1 / 3, 6), round(16 / 21, 6), 1, 0),
        "a_shakyo": ("more_lost", True, True, 5, 6, round(1 / 3, 6), round(2 / 7, 6), 1, 1)}


def test_inequality_against_an_independent_formula(change):
    before, after = _plain_indices(FY2022), _plain_indices(FY2023)
    table = {r["index"]: r for r in change.inequality.to_dict("records")}
    assert set(table) == set(before)
    for index in before:
        row = table[index]
        assert row["per"] == "population"
        assert round(float(row["value_before"]), 6) == round(before[index], 6), index
        assert round(float(row["value_after"]), 6) == round(after[index], 6), index
        assert round(float(row["change"]), 6) == round(after[index] - before[index], 6), index
        assert (row["insufficient_base_before"], row["insufficient_base_after"]) == (False, False)
    assert {i: round(float(table[i]["value_before"]), 6) for i in table} == {
        "gini": 0.261628, "gini_corrected": 0.348837, "theil_t": 0.117321, "cv": 0.471468, "max_min_ratio": 4.5}
    assert {i: round(float(table[i]["value_after"]), 6) for i in table} == {
        "gini": 0.245723, "gini_corrected": 0.368585, "theil_t": 0.153297, "cv": 0.500715,
        "max_min_ratio": 4.761905}


def test_districts_units_and_values(change):
    rows = {r["district_id"]: (r["units_before"], r["units_after"],
                               None if r["value_before"] is None else round(float(r["value_before"]), 6),
                               None if r["value_after"] is None else round(float(r["value_after"]), 6))
            for r in _records(change.districts)}
    assert rows == {"kami": (3, 2, 15.0, 11.111111), "naka": (3, 5, 7.5, 11.904762),
                    "shimo": (1, 1, 3.333333, 2.5), "minato": (1, None, 10.0, None)}


def test_the_other_way_round_the_district_is_added_and_every_count_mirrors(graphs):
    back = municipality_change(graphs[1], graphs[0])
    assert dict(zip(back.summary["item"], back.summary["count"])) == {
        "actors_added": 1, "actors_removed": 1, "ties_added": 7, "ties_removed": 7, "ties_reweighted": 1,
        "cells_gap_closed": 2, "cells_gap_opened": 4, "cells_thinned": 1, "cells_strengthened": 1,
        "cells_providers": 8, "brokers_rank_changed": 5, "loss_changed": 4, "indices_changed": 5}
    assert "minato" not in set(back.coverage["district_id"])  # 港地区 first drawn: no gap "closed" there
    mirror = {"gap_closed": "gap_opened", "gap_opened": "gap_closed", "thinned": "strengthened",
              "strengthened": "thinned", "providers": "providers"}
    assert {(r.district_id, r.pillar, r.domain): mirror[r.change] for r in back.coverage.itertuples()} == {
        cell: expected[0] for cell, expected in EXPECTED_COVERAGE.items()}
