"""緑町, the hand-built town of tests/fixtures/town: every planted fact of its README, through the public API.

The expected values were worked out by hand from the CSVs before the code was written (README,
"Planted facts"); a failing test names the fact it checks.
"""

from __future__ import annotations

import pandas as pd
import pytest

import tsunagari as tg
import tsunagari.analysis as ta
from tests.conftest import TOWN, package_graph_of

DISTRICTS = ("chuo", "kitayama", "minamihama", "higashidani", "nishihara")
WITHOUT_PART_OF = ta.NetworkOptions(tie_kinds=tuple(k for k in ta.ACTOR_TIE_KINDS if k != "PART_OF"))


@pytest.fixture(scope="module")
def town():
    return package_graph_of(TOWN)


@pytest.fixture(scope="module")
def gaps(town):
    return ta.coverage_gaps(town)


@pytest.fixture(scope="module")
def found(town):
    return ta.provisions(town)


def cell(gaps, district: str, pillar: str, domain: str) -> pd.Series:
    rows = gaps.cube[(gaps.cube["district_id"] == district) & (gaps.cube["pillar"] == pillar)
                     & (gaps.cube["domain"] == domain)]
    assert len(rows) == 1, (district, pillar, domain)
    return rows.iloc[0]


def providers(found, district: str, pillar: str, domain: str) -> set[str]:
    rows = found[(found["district_id"] == district) & (found["pillar"] == pillar) & (found["cell"] == domain)]
    return set(rows["provider_id"])


def symbol(c: pd.Series) -> str:
    return "×" if c["level"] == "none" else "△" if c["level"] == "thin" else "○" if c["city_only"] else "◎"


def test_the_town_loads_without_warnings():
    package = tg.read_package(TOWN)
    assert [w.code for w in package.warnings] == ["missing_fiscal_year"]  # the town has no 年度 (town_fy2024 has)
    assert package.counts_by_label() == {"Agency": 16, "Council": 5, "District": 5, "Municipality": 1, "Need": 4,
                                         "Program": 10, "ResidentGroup": 12}


def test_fact_1_single_contractor_outreach_under_a_section_is_thin(gaps, found):
    for d in DISTRICTS:
        for domain in ("高齢", "障がい", "子ども", "生活困窮", "ひきこもり", "全体"):
            c = cell(gaps, d, "アウトリーチ等を通じた継続的支援", domain)
            assert (symbol(c), c["providers"], c["overseers"]) == ("△", 1, 1), (d, domain)  # 福祉課 oversees
            assert providers(found, d, "アウトリーチ等を通じた継続的支援", domain) == {"a_npo_tsunagu"}
        assert cell(gaps, d, "アウトリーチ等を通じた継続的支援", "ヤングケアラー")["level"] == "none"


def test_fact_2_kitayamas_only_elderly_community_program_is_the_supermarkets(town, gaps, found):
    c = cell(gaps, "kitayama", "地域づくり", "高齢")
    assert (symbol(c), c["providers"], c["local_providers"]) == ("△", 1, 1)
    assert providers(found, "kitayama", "地域づくり", "高齢") == {"a_super"}
    assert set(found.loc[found["provider_id"] == "a_super", "district_id"]) == {"kitayama"}
    rate = cell(ta.coverage_gaps(town, per="elderly"), "kitayama", "地域づくり", "高齢")["rate"]
    assert rate == pytest.approx(1 / 900 * 1000)


def test_fact_3_childrens_community_resources_only_in_chuo_and_minamihama(gaps, found):
    got = {d: (symbol(cell(gaps, d, "地域づくり", "子ども")), cell(gaps, d, "地域づくり", "子ども")["providers"])
           for d in DISTRICTS}
    assert got == {"chuo": ("◎", 2), "minamihama": ("△", 1), "kitayama": ("×", 0), "higashidani": ("×", 0),
                   "nishihara": ("×", 0)}
    assert providers(found, "chuo", "地域づくり", "子ども") == {"a_npo_kosodate", "r_kodomo_chuo"}


def test_fact_4_a_district_with_no_child_resources_is_lowest_per_child(town):
    result = ta.district_inequality(town, per="children")
    values = dict(zip(result.districts["district_id"], result.districts["value"]))
    assert values == pytest.approx({"chuo": 3.0, "kitayama": 5.0, "minamihama": 1000 / 600, "higashidani": 0.0,
                                    "nishihara": 10.0})
    indices = result.indices.set_index("index")
    assert indices.loc["gini", "value"] == pytest.approx(0.474576, abs=1e-6)
    assert pd.isna(indices.loc["max_min_ratio", "value"])
    assert indices.loc["max_min_ratio", "na_reason"] == "smallest_value_is_zero"


def test_fact_5_the_branch_office_is_nishiharas_only_link(town):
    nodes = ta.compute_metrics(town, options=ta.MetricsOptions(permutations=10)).nodes.set_index("id")
    cut = set(nodes.index[nodes["cutpoint"]])
    assert cut == {"a_gakkou", "a_kodomo", "a_shakyo", "a_shakyo_nishi"}  # PART_OF is in by default
    assert nodes.loc["a_shakyo_nishi", "pairs_lost_share"] == pytest.approx(48 / 325)
    assert nodes.loc["a_shakyo", "pairs_lost_share"] == pytest.approx(69 / 325)
    without = ta.compute_metrics(town, options=ta.MetricsOptions(network=WITHOUT_PART_OF, permutations=10))
    assert not without.nodes.set_index("id").loc["a_shakyo_nishi", "cutpoint"]


def test_fact_6_a_welfare_only_council(gaps):
    councils = gaps.councils.set_index("council_id")
    assert councils.loc["c_jusou_kaigi", "status"] == "silo" and councils.loc["c_jusou_kaigi", "members"] == 6
    assert set(councils.index[councils["status"] == "silo"]) == {"c_jusou_kaigi"}


def test_fact_7_an_unaddressed_need(gaps):
    needs = gaps.needs.set_index("need")
    assert list(gaps.needs.loc[gaps.needs["status"] == "unaddressed", "need"]) == ["多頭飼育"]
    assert needs.loc["多頭飼育", "addressed_by"] == ""
    assert set(gaps.cube.loc[gaps.cube["domain"] == "多頭飼育", "level"]) == {"none"}


def test_fact_8_a_need_addressed_only_through_a_council(gaps):
    need = gaps.needs.set_index("need").loc["8050問題"]
    assert (need["status"], need["addressed_by"], need["councils"]) == ("addressed", "council", 1)
    grid = gaps.cube[gaps.cube["domain"] == "8050問題"]
    for d in DISTRICTS:
        row = grid[grid["district_id"] == d].set_index("pillar")["level"].to_dict()
        assert row == {"包括的相談支援": "none", "参加支援": "none", "地域づくり": "none",
                       "アウトリーチ等を通じた継続的支援": "none", "多機関協働": "thin"}, d


def test_fact_9_an_agency_in_chuo_that_serves_the_whole_town(town, gaps, found):
    for d in DISTRICTS:
        c = cell(gaps, d, "包括的相談支援", "高齢")
        assert (symbol(c), c["providers"], c["local_providers"]) == ("△", 1, 0), d
        assert providers(found, d, "包括的相談支援", "高齢") == {"a_houkatsu"}
    units = ta.district_inequality(town, per=None).districts.set_index("district_id")["units"]
    assert units.to_dict() == {"chuo": 11, "kitayama": 3, "minamihama": 4, "higashidani": 3, "nishihara": 5}


def test_fact_10_aggregate_rows_are_not_single_points_of_failure(gaps):
    for d in DISTRICTS:
        c = cell(gaps, d, "包括的相談支援", "障がい")
        assert (symbol(c), c["providers"], c["provider_nodes"]) == ("○", 3, 1), d
    c = cell(gaps, "chuo", "地域づくり", "高齢")
    assert (symbol(c), c["providers"], c["local_providers"]) == ("◎", 7, 7)


def test_fact_11_pillars_and_domains_are_not_crossed(gaps):
    for d in DISTRICTS:
        levels = {x: symbol(cell(gaps, d, "参加支援", x)) for x in
                  ("高齢", "障がい", "子ども", "生活困窮", "ヤングケアラー", "ひきこもり", "全体")}
        assert levels == {"高齢": "×", "障がい": "×", "子ども": "△", "生活困窮": "△", "ヤングケアラー": "△",
                          "ひきこもり": "×", "全体": "△"}, d
        assert cell(gaps, d, "包括的相談支援", "ひきこもり")["level"] == "none"
        assert cell(gaps, d, "多機関協働", "ヤングケアラー")["level"] == "none"


def test_fact_12_an_all_ages_section_running_an_elderly_program(found, gaps):
    kenkou = found[found["provider_id"] == "a_kenkou"]
    assert set(kenkou["cell"]) == {"高齢", "全体"} and set(kenkou["pillar"]) == {"地域づくり"}
    assert set(kenkou["district_id"]) == {"chuo", "minamihama", "higashidani", "nishihara"} and kenkou["local"].all()
    for d in DISTRICTS:
        assert cell(gaps, d, "地域づくり", "障がい")["level"] == "none"
        assert cell(gaps, d, "地域づくり", "生活困窮")["level"] == "none"


def test_fact_13_an_isolated_section_and_a_sector_on_no_council(town, gaps):
    network = ta.actor_network(town)
    assert network.degree("99901:a_bousai") == 0
    sectors = gaps.sectors.set_index("sector")
    assert sectors.loc["警察・消防・防災", "status"] == "not_on_any_council"


def test_fact_14_the_school_and_the_nursery_hang_on_one_section_each(town):
    nodes = ta.compute_metrics(town, options=ta.MetricsOptions(network=WITHOUT_PART_OF, permutations=10)).nodes
    nodes = nodes.set_index("id")
    assert set(nodes.index[nodes["cutpoint"]]) == {"a_gakkou", "a_kodomo"}
    assert nodes.loc["a_gakkou", "pairs_lost_share"] == pytest.approx(22 / 256)
    assert nodes.loc["a_kodomo", "pairs_lost_share"] == pytest.approx(22 / 256)


def test_fact_15_none_and_thin_cells_per_district(gaps):
    got = gaps.residents.set_index("district_id")[["none_cells", "thin_cells"]].T.to_dict("list")
    assert got == {"chuo": [4, 13], "kitayama": [5, 14], "minamihama": [4, 14], "higashidani": [5, 13],
                   "nishihara": [5, 13]}


def test_fact_16_weakest_residents_base(gaps):
    residents = gaps.residents
    assert residents.iloc[0]["district_id"] == "nishihara" and residents.iloc[0]["weakest"]
    assert residents.set_index("district_id")["resident_group_units"].to_dict() == {
        "chuo": 8, "kitayama": 1, "minamihama": 3, "higashidani": 2, "nishihara": 2}


@pytest.mark.parametrize("per, values, gini", [
    (None, {"chuo": 11, "kitayama": 3, "minamihama": 4, "higashidani": 3, "nishihara": 5}, 0.276923),
    ("population", {"chuo": 18.333333, "kitayama": 15, "minamihama": 10, "higashidani": 20, "nishihara": 50}, 0.3),
    ("elderly", {"chuo": 4.666667, "kitayama": 1.111111, "minamihama": 1.666667, "higashidani": 2.5,
                 "nishihara": 6.666667}, 0.339799),
])
def test_per_capita_figures_divide_matching_resources(town, per, values, gini):
    result = ta.district_inequality(town, per=per)
    got = dict(zip(result.districts["district_id"], result.districts["value"]))
    assert got == pytest.approx(values, abs=1e-6)
    assert result.indices.set_index("index").loc["gini", "value"] == pytest.approx(gini, abs=1e-6)
    assert not result.base["insufficient"].any()


def test_fact_17_a_council_under_one_law_is_not_multi_agency_collaboration(found, gaps):
    multi = found[found["pillar"] == "多機関協働"]
    assert set(multi["provider_id"]) == {"a_jusou", "c_jusou_kaigi"}
    assert "c_chiiki_care" not in set(found["provider_id"])
    cells = gaps.cube[(gaps.cube["pillar"] == "多機関協働") & (gaps.cube["domain"] == "全体")]
    assert len(cells) == 5
    assert set(zip(cells["councils"], cells["providers"], cells["level"], cells["city_only"])) == {
        (1, 2, "covered", True)}
