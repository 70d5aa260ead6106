"""municipality_change on the hand-made pair town_fy2023 → town_fy2024: every planted change, exactly.

The expected values are those of tests/fixtures/town_fy2024/README.md, worked out by hand from the CSVs
(the brokers' betweenness ranks are the one table observed with the tool, see the README)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import tsunagari as tg
from tests.conftest import TOWN, TOWN_FY2023, TOWN_FY2024
from tsunagari.analysis.change import CHANGE_TABLES, SUMMARY_ITEMS, municipality_change
from tsunagari.analysis.errors import AnalysisError
from tsunagari.analysis.metrics import compute_metrics


@pytest.fixture(scope="module")
def graphs():
    return tg.package_graph(tg.read_package(TOWN_FY2023)), tg.package_graph(tg.read_package(TOWN_FY2024))


@pytest.fixture(scope="module")
def change(graphs):
    return municipality_change(*graphs)


def test_the_tables_and_the_years(change):
    assert list(change.tables()) == list(CHANGE_TABLES)
    about = change.about.iloc[0]
    assert (about["municipality"], about["name"], about["fiscal_year_before"], about["fiscal_year_after"]) == (
        "99901", "緑町", 2023, 2024)


def test_summary_counts(change):
    assert dict(zip(change.summary["item"], change.summary["count"])) == {
        "actors_added": 1, "actors_removed": 1, "ties_added": 2, "ties_removed": 2, "ties_reweighted": 1,
        "cells_gap_closed": 1, "cells_gap_opened": 1, "cells_thinned": 0, "cells_strengthened": 0,
        "cells_providers": 2, "brokers_rank_changed": 7, "loss_changed": 1, "indices_changed": 4}
    assert list(change.summary["item"]) == list(SUMMARY_ITEMS)


def test_actors_added_and_removed(change):
    # change 1: 東谷こども食堂 opens; change 2: the 移動販売 program ends
    assert change.actors[["change", "id", "name", "kind"]].values.tolist() == [
        ["added", "r_kodomo_higashi", "東谷こども食堂", "ResidentGroup"],
        ["removed", "p_idou_hanbai", "移動販売・見守り事業", "Program"]]


def test_ties_added_removed_and_reweighted(change):
    rows = change.ties[["change", "kind", "from_id", "to_id", "weight_before", "weight_after"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["added", "COLLABORATES_WITH", "a_gakuen", "a_kodomo", None, 1.0],        # change 4
        ["added", "SERVES", "r_kodomo_higashi", "higashidani", None, 1.0],       # change 1 (its district)
        ["removed", "OPERATES", "a_super", "p_idou_hanbai", 1.0, None],          # change 2
        ["removed", "SERVES", "p_idou_hanbai", "kitayama", 1.0, None],           # change 2 (its district)
        ["reweighted", "COLLABORATES_WITH", "a_jusou", "a_shakyo", 3.0, 5.0],    # change 3
    ]


def test_coverage_cells_that_changed(change):
    cells = change.coverage[["change", "district_id", "pillar", "domain", "level_before", "level_after",
                             "providers_before", "providers_after", "local_providers_before",
                             "local_providers_after"]]
    assert cells.values.tolist() == [
        ["gap_closed", "higashidani", "地域づくり", "子ども", "none", "thin", 0, 1, 0, 1],
        ["providers", "higashidani", "地域づくり", "全体", "covered", "covered", 4, 5, 3, 4],
        ["gap_opened", "kitayama", "地域づくり", "高齢", "thin", "none", 1, 0, 1, 0],
        ["providers", "kitayama", "地域づくり", "全体", "covered", "covered", 3, 2, 2, 1],
    ]


def test_loss_impact_changes(change):
    # change 4: みどり学園 now reaches the network through こども課 too, so 学校教育課 no longer cuts it off:
    # before, 25 of the C(26, 2) = 325 connected pairs among the other actors were lost (a_gakuen × 25).
    [row] = change.loss.to_dict("records")
    assert (row["change"], row["id"], row["cutpoint_before"], row["cutpoint_after"]) == (
        "no_longer_cutpoint", "a_gakkou", True, False)
    assert (row["pairs_lost_before"], row["pairs_lost_after"]) == (25, 0)
    assert row["pairs_lost_share_before"] == pytest.approx(25 / 325) and row["pairs_lost_share_after"] == 0.0
    assert (row["isolated_after_before"], row["isolated_after_after"]) == (1, 0)


def test_inequality_before_and_after(change):
    values = {r["index"]: (r["value_before"], r["value_after"]) for r in change.inequality.to_dict("records")}
    # per 10,000 population: 18.333, 15, 10, 20, 50 → 18.333, 10 (北山 3 → 2 units), 10, 26.667 (東谷 3 → 4), 50
    expected = {"gini": (0.300000, 0.336232), "gini_corrected": (0.375000, 0.420290), "theil_t": (0.165772, 0.190916),
                "cv": (0.621487, 0.645538), "max_min_ratio": (5.0, 5.0)}
    assert set(values) == set(expected)
    for index, (before, after) in expected.items():
        assert values[index] == (pytest.approx(before, abs=1e-6), pytest.approx(after, abs=1e-6)), index
    assert not change.inequality["insufficient_base_before"].any() and not change.inequality["insufficient_base_after"].any()
    districts = change.districts.set_index("district_id")
    assert districts.loc["kitayama", ["units_before", "units_after"]].tolist() == [3, 2]
    assert districts.loc["higashidani", ["units_before", "units_after"]].tolist() == [3, 4]
    assert districts.loc["higashidani", "value_after"] == pytest.approx(4 / 1500 * 10_000)
    assert districts["change"].tolist() == pytest.approx([0.0, 20 / 3, -5.0, 0.0, 0.0])


def test_inequality_per_children(graphs):
    change = municipality_change(*graphs, per="children")
    districts = change.districts.set_index("district_id")
    # 東谷's new 子ども食堂 is its first child-relevant unit: 0 / 40 → 1 / 40 × 1,000 = 25
    assert districts.loc["higashidani", ["value_before", "value_after"]].tolist() == [0.0, 25.0]
    ratio = change.inequality.set_index("index").loc["max_min_ratio"]
    assert ratio["na_reason_before"] == "smallest_value_is_zero" and ratio["value_after"] == pytest.approx(25 / (5 / 3))


def test_brokers_follow_each_years_betweenness_ranks(graphs, change):
    ranks = [compute_metrics(g).nodes.set_index("id") for g in graphs]
    for row in change.brokers.to_dict("records"):
        assert row["rank_before"] == ranks[0].loc[row["id"], "betweenness_rank"]
        assert row["rank_after"] == ranks[1].loc[row["id"], "betweenness_rank"]
        assert row["rank_change"] == row["rank_before"] - row["rank_after"]
        assert row["change"] == ("rose" if row["rank_change"] > 0 else "fell")
    # observed (README): a_gakuen, a leaf before (betweenness 0), brokers between こども課 and 学校教育課 after
    gakuen = change.brokers.set_index("id").loc["a_gakuen"]
    assert gakuen["betweenness_before"] == 0 and gakuen["betweenness_after"] > 0
    # every actor whose rank changed with betweenness above 0 in a year is listed, and no other
    moved = {i for i in ranks[1].index if i in ranks[0].index
             and ranks[0].loc[i, "betweenness_rank"] != ranks[1].loc[i, "betweenness_rank"]
             and max(ranks[0].loc[i, "betweenness"], ranks[1].loc[i, "betweenness"]) > 0}
    assert set(change.brokers["id"]) == moved
    assert change.brokers["id"].tolist() == ["a_kodomo", "a_npo_kosodate", "a_jusou", "r_kodomo_chuo", "a_gakuen",
                                             "a_gakkou", "a_npo_tsunagu"]


def test_a_year_compared_with_itself_changes_nothing(graphs):
    same = municipality_change(graphs[0], graphs[0])
    assert same.summary["count"].sum() == 0
    for name in ("actors", "ties", "coverage", "brokers", "loss"):
        assert len(same.tables()[name]) == 0, name


def test_the_change_reversed_swaps_added_and_removed(graphs, change):
    back = municipality_change(graphs[1], graphs[0])
    assert back.actors[["change", "id"]].values.tolist() == [["added", "p_idou_hanbai"], ["removed", "r_kodomo_higashi"]]
    assert sorted(back.coverage["change"]) == ["gap_closed", "gap_opened", "providers", "providers"]
    assert back.loss["change"].tolist() == ["became_cutpoint"]


def test_two_municipalities_are_not_compared(graphs):
    other = nx.MultiDiGraph(code="99999")
    with pytest.raises(AnalysisError) as caught:
        municipality_change(graphs[0], other)
    assert caught.value.key == "analysis.change_municipality"


def test_the_year_unknown_town_equals_fy2023_in_content(graphs):
    # town_fy2023 is the ground-truth town with its year: nothing but the year differs
    town = tg.package_graph(tg.read_package(TOWN))
    same = municipality_change(town, graphs[0])
    assert same.summary["count"].sum() == 0
    assert pd.isna(same.about.iloc[0]["fiscal_year_before"]) and same.about.iloc[0]["fiscal_year_after"] == 2023
