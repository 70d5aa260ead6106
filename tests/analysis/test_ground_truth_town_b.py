"""青葉町, the second hand-built town (tests/fixtures/town_b): every planted fact of its README.

The expected values were worked out by hand from the CSVs and the documentation, before Tsunagari
was run on the package (README, "Planted facts"); the indices and betweenness from hand-tabulated
counts and a hand-written edge list with plain numpy / networkx. A failing test names its fact.
The last tests go through the CLI (json output) and through the loader with planners' mistakes.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import tsunagari as tg
import tsunagari.analysis as ta
from tests.conftest import package_graph_of
from tsunagari.cli import main

TOWN_B = Path(__file__).parent.parent / "fixtures" / "town_b"
CODE = "98201"
DISTRICTS = ("kita", "kita_e", "minami", "yama", "umi")
DOMAINS = ("高齢", "障がい", "子ども", "生活困窮")
NEEDS = ("ひきこもり", "ダブルケア", "ヤングケアラー", "再犯防止", "就労", "多頭飼育", "買い物困難")
PILLARS = ("包括的相談支援", "参加支援", "地域づくり", "アウトリーチ等を通じた継続的支援", "多機関協働")
H, S, C, O, M = PILLARS  # 包括, 参加, 地域づくり (community), アウトリーチ (outreach), 多機関 (multi-agency)


def uid(local_id: str) -> str:
    return f"{CODE}:{local_id}"


def _expected_cube() -> dict[tuple[str, str, str], str]:
    """README §"Whole cube" and facts C1–C14: symbol + provider units of every cell, by hand."""
    cube = {(d, p, col): "×0" for d in DISTRICTS for p in PILLARS for col in (*DOMAINS, *NEEDS, "全体")}
    for d in DISTRICTS:
        cube |= {(d, H, "高齢"): "△1", (d, H, "障がい"): "○2", (d, H, "生活困窮"): "△1", (d, H, "再犯防止"): "△1",
                 (d, H, "ヤングケアラー"): "△1", (d, H, "全体"): "◎4"}
        cube |= {(d, S, x): "○2" for x in ("子ども", "生活困窮", "就労", "全体")}
        cube |= {(d, M, x): "△1" for x in (*DOMAINS, "ダブルケア")}
        cube[(d, M, "全体")] = "◎3" if d == "yama" else "○2"
        cube[(d, C, "ひきこもり")] = "△1"
    cube |= {("minami", O, x): "△1" for x in (*DOMAINS, "ひきこもり", "全体")}
    for d, old, child, total in (("kita", "◎5", "△1", "◎9"), ("kita_e", "◎5", "△1", "◎9"),
                                 ("minami", "△1", "△1", "◎4"), ("yama", "◎2", "×0", "◎4"), ("umi", "◎2", "×0", "◎4")):
        cube |= {(d, C, "高齢"): old, (d, C, "子ども"): child, (d, C, "全体"): total}
    cube |= {("umi", C, "障がい"): "△1", ("umi", C, "買い物困難"): "△1"}
    return cube


EXPECTED_CUBE = _expected_cube()


@pytest.fixture(scope="module")
def town():
    return package_graph_of(TOWN_B)


@pytest.fixture(scope="module")
def gaps(town):
    return ta.coverage_gaps(town)


@pytest.fixture(scope="module")
def found(town):
    return ta.provisions(town)


def symbol(c) -> str:
    return "×" if c["level"] == "none" else "△" if c["level"] == "thin" else "○" if c["city_only"] else "◎"


def cell(gaps, district: str, pillar: str, column: str) -> pd.Series:
    cube = gaps.cube
    rows = cube[(cube["district_id"] == district) & (cube["pillar"] == pillar) & (cube["domain"] == column)]
    assert len(rows) == 1, (district, pillar, column)
    return rows.iloc[0]


def providers(found, district: str, pillar: str, column: str) -> dict[str, str]:
    rows = found[(found["district_id"] == district) & (found["pillar"] == pillar) & (found["cell"] == column)]
    return dict(zip(rows["provider_id"], rows["reach"]))


def test_the_town_loads_without_warnings_under_its_five_digit_code():
    package = tg.read_package(TOWN_B)
    assert [w.code for w in package.warnings] == ["missing_fiscal_year"]  # town_b gives no 年度 (docs/fiscal-years.md)
    assert package.counts_by_label() == {"Agency": 17, "Council": 4, "District": 6, "Municipality": 1, "Need": 7,
                                         "Program": 9, "ResidentGroup": 9}
    assert tg.package_graph(package).graph["code"] == CODE  # 982016: check digit 6 verified, stored as 5 digits


def test_fact_d1_d2_the_city_district_is_no_row_and_tiers_come_from_the_area_type(town, gaps):
    assert set(gaps.cube["district_id"]) == set(DISTRICTS)
    table = ta.district_table(town).set_index("district_id")
    assert table["tier"].to_dict() == {"city": 1, "kita": 2, "minami": 2, "yama": 2, "umi": 2, "kita_e": 3}
    assert set(table.index[table["top_local"]]) == {"kita", "minami", "yama", "umi"}


def test_every_cell_of_the_cube(gaps):
    """The whole hand-built cube: 5 districts × 5 pillars × (4 domains + 7 needs + 全体) = 300 cells."""
    got = {(r.district_id, r.pillar, r.domain): symbol(r._asdict()) + str(r.providers)
           for r in gaps.cube.itertuples(index=False)}
    assert len(got) == 300
    wrong = {k: (got.get(k), v) for k, v in EXPECTED_CUBE.items() if got.get(k) != v}
    assert wrong == {}


def test_fact_c1_two_centres_with_different_areas_one_program_without_district(gaps, found):
    expected = {"kita": ("a_houkatsu_kita", "own"), "kita_e": ("a_houkatsu_kita", "ancestor"),
                "umi": ("a_houkatsu_kita", "own"), "minami": ("a_houkatsu_minami", "own"),
                "yama": ("a_houkatsu_minami", "own")}
    for d, (provider, reach) in expected.items():
        assert providers(found, d, H, "高齢") == {provider: reach}, d
        c = cell(gaps, d, H, "高齢")
        assert (c["overseers"], c["local_providers"], c["city_wide_providers"]) == (1, 1, 0)  # 高齢福祉課 oversees
    # the office of the north centre is in minami: that gives it nothing there
    assert "a_houkatsu_kita" not in set(found.loc[found["district_id"] == "minami", "provider_id"])


def test_fact_c4_a_programs_own_district_beats_its_town_wide_operator(found):
    rows = found[found["via"] == "アウトリーチ等を通じた継続的支援事業"]
    assert set(rows["district_id"]) == {"minami"} and set(rows["provider_id"]) == {"a_npo_hiraku"}
    assert set(rows["reach"]) == {"own"}


def test_fact_c6_multi_agency_councils_by_category_and_by_flag(gaps, found):
    assert providers(found, "yama", M, "全体") == {"a_suishin": "city", "c_shien": "city", "c_yama_kondan": "own"}
    assert cell(gaps, "yama", M, "全体")["councils"] == 2
    assert all(cell(gaps, d, M, "全体")["councils"] == 1 for d in ("kita", "kita_e", "minami", "umi"))
    # a 直営 program with no operator tie is run by its section; councils under one law provide no pillar
    assert providers(found, "kita", M, "高齢") == {"a_suishin": "city"}
    assert not set(found["provider_id"]) & {"c_care_minami"}
    assert set(found.loc[found["provider_id"] == "c_youtaikyo", "cell"]) == {"ヤングケアラー"}


def test_fact_c7_c8_a_third_tier_district_counts_in_its_second_tier_district(town, found):
    assert providers(found, "kita", C, "高齢") == {"r_salon_kita_e": "descendant", "a_kenkou": "city"}
    assert providers(found, "kita_e", C, "高齢") == {"r_salon_kita_e": "own", "a_kenkou": "city"}
    assert providers(found, "kita", C, "子ども") == {"a_hiroba": "descendant"}
    assert providers(found, "kita_e", C, "子ども") == {"a_hiroba": "own"}
    # p_kaigo serves the 市域 district: town-wide
    assert set(found.loc[found["provider_id"] == "a_kenkou", "reach"]) == {"city"}
    rates = ta.coverage_gaps(town, per="elderly").cube
    rates = rates[(rates["pillar"] == C) & (rates["domain"] == "高齢")].set_index("district_id")
    for d, value in {"kita": 4 / 2400 * 1000, "kita_e": 4 / 900 * 1000, "minami": 0.0, "yama": 1 / 1100 * 1000}.items():
        assert rates.loc[d, "rate"] == pytest.approx(value, abs=1e-9), d
    assert rates.loc["umi", "rate"] is pd.NA and rates.loc["umi", "na_reason"] == "no_elderly_figure"


def test_fact_c9_c10_c11_c12_direct_needs_and_explicit_domains(found):
    assert providers(found, "kita", H, "再犯防止") == {"a_hogo": "city"}
    assert set(found.loc[found["provider_id"] == "a_hogo", "cell"]) == {"再犯防止"}  # no 全体 from a direct need
    assert providers(found, "umi", C, "障がい") == {"r_salon_umi": "own"}
    assert "r_salon_umi" not in providers(found, "umi", C, "高齢")  # explicit domains replace the サロン default
    assert providers(found, "umi", C, "買い物困難") == {"a_coop": "own"}
    assert providers(found, "yama", C, "ひきこもり") == {"r_kazokukai": "city"}
    assert providers(found, "yama", M, "ダブルケア") == {"c_shien": "city"}
    assert providers(found, "yama", H, "ヤングケアラー") == {"c_youtaikyo": "city"}


def test_fact_k1_needs_table(gaps):
    needs = gaps.needs.set_index("need")
    recorded = needs[needs["status"] != "not_recorded"]
    got = {n: (r.programs, r.agencies, r.councils, r.resident_groups, r.status) for n, r in recorded.iterrows()}
    assert got == {"ひきこもり": (1, 0, 0, 1, "addressed"), "ダブルケア": (0, 0, 1, 0, "addressed"),
                   "ヤングケアラー": (0, 0, 1, 0, "addressed"), "再犯防止": (0, 1, 0, 0, "addressed"),
                   "就労": (1, 0, 0, 0, "addressed"), "買い物困難": (1, 0, 0, 0, "addressed"),
                   "多頭飼育": (0, 0, 0, 0, "unaddressed")}
    assert (needs["status"] == "not_recorded").sum() == 18


def test_fact_k2_k3_council_composition_and_the_one_sector_silo(gaps):
    councils = gaps.councils.set_index("council_id")
    got = {c: (r.members, r.welfare_members, r.non_welfare_members, r.status) for c, r in councils.iterrows()}
    assert got == {"c_shien": (6, 4, 2, "mixed"), "c_youtaikyo": (5, 2, 3, "mixed"),
                   "c_care_minami": (3, 3, 0, "silo"), "c_yama_kondan": (4, 1, 3, "mixed")}


def test_fact_k4_sectors(gaps):
    status = gaps.sectors.set_index("sector")["status"].to_dict()
    assert status == {
        "保健・医療": "on_councils", "教育": "on_councils", "司法・更生保護": "on_councils", "雇用・就労": "on_councils",
        "住民": "on_councils", "産業・経済": "not_on_any_council", "警察・消防・防災": "not_on_any_council",
        **{s: "absent_from_data" for s in ("住まい", "地域振興・市民協働", "生涯学習・文化", "環境・衛生", "都市基盤",
                                           "行政管理・財政")}}


def test_fact_k5_c15_residents_base(gaps):
    base = gaps.residents.set_index("district_id")
    assert base.loc[["minami", "kita", "yama"], "rate_rank"].tolist() == [1, 2, 3]
    assert base.index[base["weakest"]].tolist() == ["minami"]  # kita_e is alone in its layer: not flagged
    assert base.loc["umi", "rate_rank"] is pd.NA
    assert base["resident_group_units"].to_dict() == {"minami": 2, "kita": 6, "kita_e": 6, "yama": 2, "umi": 1}
    for d, value in {"kita": 7.5, "kita_e": 20.0, "minami": 2 / 6000 * 1e4, "yama": 8.0}.items():
        assert base.loc[d, "groups_per_10k"] == pytest.approx(value, abs=1e-9)
    assert base.loc["umi", "na_reason"] == "no_population_figure"
    cells = {d: (r.none_cells, r.thin_cells) for d, r in base.iterrows()}
    assert cells == {"kita": (9, 7), "kita_e": (9, 7), "minami": (5, 12), "yama": (10, 6), "umi": (9, 7)}


def test_fact_i1_local_units_per_district(town):
    table = ta.district_resources(town).set_index("district_id")
    got = {d: (r.programs, r.agencies, r.resident_groups, r.councils, r.units, r.units_elderly, r.units_children)
           for d, r in table.iterrows()}
    assert got == {"kita": (2, 2, 6, 0, 10, 6, 2), "minami": (2, 1, 2, 1, 6, 3, 2), "yama": (1, 3, 2, 1, 7, 4, 1),
                   "umi": (2, 1, 1, 0, 4, 3, 0)}
    assert set(table["city_wide_units"]) == {21}


def _hand_indices(values: list[float]) -> dict[str, float]:
    """The README's formulas in plain numpy (Gini 1912; Theil 1967), on hand-tabulated values."""
    x = np.asarray(values, float)
    n, mu = len(x), x.mean()
    gini = np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * mu)
    return {"gini": gini, "gini_corrected": gini * n / (n - 1), "theil_t": float(np.mean(x / mu * np.log(x / mu))),
            "cv": x.std() / mu, "max_min_ratio": x.max() / x.min()}


HAND_VALUES = {None: [10, 6, 7, 4], "population": [12.5, 10.0, 28.0],
               "elderly": [6 / 2400 * 1e3, 3 / 1500 * 1e3, 4 / 1100 * 1e3],
               "children": [2 / 1200 * 1e3, 2 / 1000 * 1e3, 1 / 250 * 1e3]}
README_INDICES = {  # README I2, to 1e-6
    None: (0.175926, 0.234568, 0.051308, 0.320750, 2.5),
    "population": (0.237624, 0.356436, 0.105336, 0.472973, 2.8),
    "elderly": (0.134078, 0.201117, 0.031169, 0.252450, 1.818182),
    "children": (0.202899, 0.304348, 0.076884, 0.403201, 2.4)}


@pytest.mark.parametrize("per", [None, "population", "elderly", "children"])
def test_fact_i2_rates_and_indices(town, per):
    result = ta.district_inequality(town, per=per)
    districts = result.districts.set_index("district_id")
    values = districts.loc[["kita", "minami", "yama"], "value"].astype(float).tolist()
    assert values == pytest.approx(HAND_VALUES[per][:3])
    assert bool(districts.loc["umi", "included"]) is (per is None)
    if per:
        assert districts.loc["umi", f"na_reason_{per}"] == f"no_{per}_figure"
    indices = result.indices.set_index("index")["value"].astype(float)
    names = ("gini", "gini_corrected", "theil_t", "cv", "max_min_ratio")
    hand = _hand_indices(HAND_VALUES[per])
    for name, readme in zip(names, README_INDICES[per]):
        assert indices[name] == pytest.approx(readme, abs=1e-6), name
        assert indices[name] == pytest.approx(hand[name], abs=1e-12), name
    assert int(result.indices["n_missing"].iloc[0]) == (0 if per is None else 1)


def test_fact_i3_information_base(town):
    base = ta.district_inequality(town, per="population").base.iloc[0]
    assert (base.districts, base.districts_with_value, base.local_units, base.resource_units,
            base.city_wide_units, bool(base.insufficient)) == (4, 3, 23, 43, 21, False)
    children = ta.district_inequality(town, per="children").base.iloc[0]  # 5 child units over 3 districts
    assert (children.local_units, bool(children.insufficient), children.reasons) == (5, True, "few_local_units")
    school = ta.district_inequality(town, per="population", layer="小学校区").base.iloc[0]
    assert (school.districts, school.local_units, school.reasons) == (1, 10, "few_districts")
    # gaps: the base describes the municipality whatever --district shows; --per counts denominators
    minami = ta.coverage_gaps(town, district="minami").base.iloc[0]
    assert (minami.districts, minami.districts_with_value, bool(minami.insufficient)) == (5, 5, False)
    elderly = ta.coverage_gaps(town, per="elderly").base.iloc[0]
    assert (elderly.districts_with_value, elderly.local_units, bool(elderly.insufficient)) == (4, 17, False)


# --- the actor network: the README's edge list, written out by hand (fact N0) -------------------------

DIRECT = [("a_kourei", "a_suishin", 2), ("a_suishin", "a_kodomo", 1), ("a_houkatsu_kita", "a_npo_hiraku", 3),
          ("r_minsei_kita", "a_houkatsu_kita", 2), ("r_fukushi_kita_e", "r_minsei_kita", 1),
          ("r_kazokukai", "a_npo_hiraku", 1), ("a_houkatsu_kita", "a_kourei", 1), ("a_houkatsu_minami", "a_kourei", 1),
          ("r_kodomo_minami", "r_minsei_minami", 1), ("r_minsei_minami", "a_houkatsu_minami", 1),
          ("r_salon_umi", "a_houkatsu_kita", 1), ("a_shakyo_yama", "a_shakyo", 1),  # PART_OF from `parent`
          ("r_salon_kita_e", "r_fukushi_kita_e", 1), ("a_coop", "a_shakyo", 1)]  # PART_OF in ties.csv; AGREEMENT
AFFILIATIONS = [
    ["a_suishin", "a_shakyo", "a_houkatsu_kita", "a_npo_hiraku", "a_hogo", "a_hello"],  # c_shien
    ["a_kodomo", "a_kyouiku", "a_kenkou", "a_hiroba", "r_minsei_minami"],  # c_youtaikyo (convener a_kodomo)
    ["a_houkatsu_minami", "a_kourei", "a_soudan"],  # c_care_minami
    ["a_shakyo_yama", "r_roujin_yama", "r_jichikai_yama", "a_clinic"],  # c_yama_kondan
    ["a_houkatsu_kita", "a_houkatsu_minami", "a_kourei"], ["a_soudan", "a_suishin"], ["a_shakyo", "a_suishin"],
    ["a_npo_hiraku", "a_shakyo", "a_suishin"], ["a_npo_hiraku", "a_suishin"], ["a_hiroba", "a_kodomo"],
    ["a_kenkou", "a_kourei"]]  # programs with their operators and 所管課
ACTORS = ["a_suishin", "a_kourei", "a_kodomo", "a_kenkou", "a_kyouiku", "a_bousai", "a_shakyo", "a_shakyo_yama",
          "a_houkatsu_kita", "a_houkatsu_minami", "a_soudan", "a_npo_hiraku", "a_hiroba", "a_hogo", "a_hello",
          "a_coop",
          "a_clinic", "r_minsei_kita", "r_minsei_minami", "r_fukushi_kita_e", "r_salon_kita_e", "r_kodomo_minami",
          "r_roujin_yama", "r_jichikai_yama", "r_kazokukai", "r_salon_umi"]


def hand_network(without: tuple[tuple[str, str], ...] = ()) -> nx.Graph:
    weight: dict[tuple[str, str], float] = {}
    for a, b, w in DIRECT:
        if (a, b) not in without:
            weight[tuple(sorted((a, b)))] = weight.get(tuple(sorted((a, b))), 0) + w
    for members in AFFILIATIONS:
        for a, b in itertools.combinations(members, 2):
            weight[tuple(sorted((a, b)))] = weight.get(tuple(sorted((a, b))), 0) + 1 / (len(members) - 1)
    g = nx.Graph()
    g.add_nodes_from(ACTORS)
    g.add_edges_from((a, b, {"weight": w, "distance": 1 / w}) for (a, b), w in weight.items())
    return g


@pytest.fixture(scope="module")
def metrics(town):
    return ta.compute_metrics(town, options=ta.MetricsOptions(permutations=10))


def test_fact_n0_the_tool_builds_the_hand_edge_list(town):
    network = ta.actor_network(town)
    hand = hand_network()
    got = {tuple(sorted((network.nodes[a]["id"], network.nodes[b]["id"]))): d["weight"]
           for a, b, d in network.edges(data=True)}
    assert got == pytest.approx({tuple(sorted(e)): d["weight"] for *e, d in hand.edges(data=True)})
    assert (network.number_of_nodes(), network.number_of_edges()) == (26, 49)


def test_fact_n1_n2_n3_cut_points_and_loss(metrics):
    nodes = metrics.nodes.set_index("id")
    assert set(nodes.index[nodes["cutpoint"]]) == {"a_houkatsu_kita", "a_npo_hiraku", "a_shakyo", "a_shakyo_yama",
                                                   "r_fukushi_kita_e", "r_minsei_kita", "r_minsei_minami"}
    # 25 others, 24 of them connected before: C(24,2) = 276 pairs
    expected = {"a_shakyo_yama": (63, 3, 0), "a_shakyo": (99, 4, 1), "a_houkatsu_kita": (83, 4, 1),
                "a_suishin": (0, 2, 0)}
    for actor, (lost, components, isolated) in expected.items():
        row = nodes.loc[actor]
        assert (row["pairs_lost"], row["components_after"], row["isolated_after"]) == (lost, components, isolated)
        assert row["pairs_lost_share"] == pytest.approx(lost / 276, abs=1e-12)
    assert nodes.loc["a_shakyo", "loss_rank"] == 1
    hand = hand_network()
    assert set(nx.articulation_points(hand)) == set(nodes.index[nodes["cutpoint"]])


def test_fact_n4_n5_n7_agreements_part_of_and_isolates(town, metrics):
    def sizes(options):
        return sorted(len(c) for c in nx.connected_components(ta.actor_network(town, options=options)))
    assert sizes(ta.NetworkOptions()) == [1, 25]  # a_bousai alone; a_coop tied by its 見守り協定
    assert sizes(ta.NetworkOptions(tie_kinds=tuple(k for k in ta.DEFAULT_TIE_KINDS if k != "AGREEMENT"))) == [1, 1, 24]
    assert sizes(ta.NetworkOptions(tie_kinds=tuple(k for k in ta.DEFAULT_TIE_KINDS if k != "PART_OF"))) == [1, 1, 4, 20]
    assert metrics.nodes.set_index("id").loc["a_bousai", "degree"] == 0


def test_fact_n6_betweenness_against_networkx_on_the_hand_edge_list(metrics):
    nodes = metrics.nodes.set_index("id")
    hand = hand_network()
    weighted = nx.betweenness_centrality(hand, weight="distance", normalized=True)
    hops = nx.betweenness_centrality(hand, normalized=True)
    readme = {"a_suishin": 0.511667, "a_shakyo": 0.33, "a_houkatsu_kita": 0.31, "a_kourei": 0.275,
              "a_npo_hiraku": 0.243333, "a_shakyo_yama": 0.21}
    for actor, value in readme.items():
        assert nodes.loc[actor, "betweenness"] == pytest.approx(value, abs=1e-6), actor
        assert nodes.loc[actor, "betweenness"] == pytest.approx(weighted[actor], abs=1e-9), actor
    for actor in ACTORS:
        assert nodes.loc[actor, "betweenness_hops"] == pytest.approx(hops[actor], abs=1e-9), actor
    assert nodes.loc["a_suishin", "betweenness_rank"] == 1
    for actor in ACTORS:  # docs: (r/(n−1))·(r/Σd), r actors reached, d = 1/weight; 0 for an isolate
        lengths = nx.single_source_dijkstra_path_length(hand, actor, weight="distance")
        r, total = len(lengths) - 1, sum(lengths.values())
        expected = (r / 25) * (r / total) if r else 0.0
        assert nodes.loc[actor, "closeness"] == pytest.approx(expected, abs=1e-9), actor
    assert nodes.loc["a_houkatsu_kita", "betweenness_hops"] == pytest.approx(0.372222, abs=1e-6)
    assert (nodes.loc["a_houkatsu_kita", "degree"], nodes.loc["a_suishin", "degree"]) == (9, 8)
    assert nodes.loc["a_suishin", "strength"] == pytest.approx(8.0)


def test_fact_n8_ei_index_by_sector(metrics):
    nodes = metrics.nodes.set_index("id")
    graph = metrics.graph.set_index("measure")["value"]
    assert graph["ei_index"] == pytest.approx((32 - 17) / 49, abs=1e-12)  # E 32, I 17
    assert nodes.loc["a_shakyo_yama", "ei"] == pytest.approx(0.5)  # (3 − 1) / 4
    assert nodes.loc["a_suishin", "ei"] == pytest.approx(-0.25)  # (3 − 5) / 8


def test_fact_n8_ei_index_of_one_council_and_of_the_shakyo(town):
    network = ta.actor_network(town)
    council = {uid(a) for a in ("a_shakyo_yama", "r_roujin_yama", "r_jichikai_yama", "a_clinic")}
    groups = {n: "c_yama_kondan" if n in council else "others" for n in network}
    row = ta.ei_by_group(network, groups).set_index("group").loc["c_yama_kondan"]
    assert (row["size"], row["external"], row["internal"]) == (4, 1, 6)  # its 6 pairs; a_shakyo_yama–a_shakyo
    assert row["ei"] == pytest.approx((1 - 6) / 7, abs=1e-12)
    sectors = {n: d["sector"] for n, d in network.nodes(data=True)}
    shakyo = ta.ei_by_group(network, sectors).set_index("group").loc["社会福祉協議会"]
    assert (shakyo["external"], shakyo["internal"], shakyo["ei"]) == (9, 1, pytest.approx(0.8))  # (9 − 1) / 10


# --- through the CLI, as a planner meets it --------------------------------------------------------------


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    folder = tmp_path_factory.mktemp("town_b")
    store = f"embedded://{folder / 'store'}"

    def run(*argv: str) -> str:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["--store", store, *argv]) == 0, argv
        return buffer.getvalue()

    run("load", str(TOWN_B))
    return {"gaps": json.loads(run("gaps", "青葉町", "--format", "json")),
            "gaps_minami": json.loads(run("gaps", "青葉町", "--district", "minami", "--format", "json")),
            "units": json.loads(run("inequality", "青葉町", "--per", "units", "--format", "json")),
            "children": json.loads(run("inequality", "青葉町", "--per", "children", "--format", "json")),
            "text": run("gaps", "青葉町"),
            "metrics": (run("metrics", "青葉町", "--out", str(folder / "m"), "--format", "json", "--permutations", "10"),
                        json.loads((folder / "m" / "nodes.json").read_text(encoding="utf-8")))}


def test_cli_gaps_json_is_the_hand_cube(cli):
    got = {(r["district_id"], r["pillar"], r["domain"]): symbol(r) + str(r["providers"]) for r in cli["gaps"]["cube"]}
    assert got == EXPECTED_CUBE
    assert [r["district_id"] for r in cli["gaps"]["residents"] if r["weakest"]] == ["minami"]
    assert cli["gaps_minami"]["base"][0]["insufficient"] is False
    assert "多頭飼育" in cli["text"] and "南部地域ケア会議" in cli["text"]


def test_cli_inequality_json(cli):
    units = {r["district_id"]: r["value"] for r in cli["units"]["districts"]}
    assert units == {"kita": 10, "minami": 6, "yama": 7, "umi": 4}
    indices = {r["index"]: r["value"] for r in cli["children"]["indices"]}
    assert indices["gini"] == pytest.approx(0.202899, abs=1e-6)
    umi = next(r for r in cli["children"]["districts"] if r["district_id"] == "umi")
    assert umi["value"] is None and umi["na_reason_children"] == "no_children_figure"
    assert cli["children"]["base"][0]["reasons"] == "few_local_units"


def test_cli_metrics_json(cli):
    printed, nodes = cli["metrics"]
    by_id = {r["id"]: r for r in nodes}
    assert by_id["a_suishin"]["betweenness"] == pytest.approx(0.511667, abs=1e-6)
    assert by_id["a_shakyo_yama"]["pairs_lost_share"] == pytest.approx(63 / 276, abs=1e-12)
    assert "地域共生推進課" in printed


# --- planners' mistakes through the loader (facts E1–E4) ------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "town_b"
    shutil.copytree(TOWN_B, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _load(tmp_path: Path, package: Path, capsys) -> tuple[int, str]:
    code = main(["--store", f"embedded://{tmp_path / 'store'}", "load", str(package)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_fact_e1_a_typod_district_id(tmp_path, capsys):
    package = _copy(tmp_path)
    _edit(package / "agencies.csv", "委託,,minami,kita,,,事務所は南部", "委託,,minami,kitaa,,,事務所は南部")
    code, text = _load(tmp_path, package, capsys)
    assert code == 2
    assert "agencies.csv 10行目 列「serves」" in text and "kitaa" in text and "ストアは変更していません" in text
    assert "Traceback" not in text


def test_fact_e2_a_need_not_in_the_vocabulary(tmp_path, capsys):
    package = _copy(tmp_path)
    _edit(package / "needs.csv", "n_hikikomori,ひきこもり,", "n_hikikomori,ひきこもリ,")  # katakana リ
    code, text = _load(tmp_path, package, capsys)
    assert code == 2
    assert "needs.csv 2行目 列「name」" in text and "ひきこもリ" in text and "local" in text


@pytest.mark.parametrize("written, error", [("８０００", False), ('"８，０００"', False), ("8千", True)])
def test_fact_e3_full_width_digits_in_population(tmp_path, capsys, written, error):
    package = _copy(tmp_path)
    _edit(package / "districts.csv", "city,8000,3400", f"city,{written},3400")
    code, text = _load(tmp_path, package, capsys)
    if error:
        assert code == 2 and "districts.csv 3行目 列「population」" in text and "8千" in text
    else:
        assert code == 0, text
        graph = tg.package_graph(tg.read_package(package))
        assert graph.nodes[uid("kita")]["population"] == 8000


def test_fact_e4_an_excel_saved_cp932_package(tmp_path, capsys):
    package = _copy(tmp_path)
    for table in package.glob("*.csv"):
        text = table.read_text(encoding="utf-8")
        table.write_bytes(text.replace("\n", "\r\n").encode("cp932"))  # Excel: CSV (コンマ区切り), Shift_JIS, CRLF
    assert tg.read_package(package).counts_by_label() == tg.read_package(TOWN_B).counts_by_label()
    code, text = _load(tmp_path, package, capsys)
    assert code == 0, text
    broken = _copy(tmp_path / "broken")
    _edit(broken / "agencies.csv", "委託,,minami,kita,,,事務所は南部", "委託,,minami,kitaa,,,事務所は南部")
    for table in broken.glob("*.csv"):
        table.write_bytes(table.read_text(encoding="utf-8").encode("cp932"))
    code, text = _load(tmp_path / "broken", broken, capsys)
    assert code == 2 and "agencies.csv 10行目 列「serves」" in text


def test_fact_d1_the_city_district_is_refused_as_a_grid_row_and_as_a_layer(town, tmp_path, capsys):
    with pytest.raises(ta.CoverageInputError) as grid:
        ta.coverage_gaps(town, district="city")
    assert "市域（第1層）" in grid.value.message("ja") and "kita (北部圏域)" in grid.value.message("ja")
    with pytest.raises(ta.CoverageInputError) as layer:
        ta.district_inequality(town, layer="市域")
    assert layer.value.message("ja").endswith("比べられる圏域の種類: 小学校区、日常生活圏域")
    store = f"embedded://{tmp_path / 'store'}"
    assert main(["--store", store, "load", str(TOWN_B)]) == 0
    capsys.readouterr()
    assert main(["--store", store, "gaps", "青葉町", "--district", "青葉町全域"]) == 2
    assert main(["--store", store, "inequality", "青葉町", "--layer", "市域"]) == 2
    text = "".join(capsys.readouterr())
    assert "市域（第1層）の地区" in text and "圏域の種類 '市域'" in text and "Traceback" not in text


def test_fact_i4_lorenz_and_theil_decomposition_with_midori(town):
    """青葉町 (units 10, 6, 7, 4) with 緑町 (units 11, 3, 4, 3, 5: its README): Theil T between and within."""
    from tests.conftest import TOWN
    result = ta.district_inequality([package_graph_of(TOWN), town], per=None)
    lorenz = result.lorenz[result.lorenz["scope"] == CODE]
    assert lorenz["value_share"].tolist() == pytest.approx([0, 4 / 27, 10 / 27, 17 / 27, 1])
    assert lorenz["population_share"].tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1])
    midori, aoba = np.array([11, 3, 4, 3, 5.0]), np.array([10, 6, 7, 4.0])
    pooled = np.concatenate([midori, aoba])

    def theil(x: np.ndarray) -> float:
        return float(np.mean(x / x.mean() * np.log(x / x.mean())))
    shares = midori.sum() / pooled.sum(), aoba.sum() / pooled.sum()  # 26/53, 27/53
    between = sum(s * np.log(x.mean() / pooled.mean()) for s, x in zip(shares, (midori, aoba)))
    within = shares[0] * theil(midori) + shares[1] * theil(aoba)
    total = result.theil.set_index("group").loc["(total)"]
    assert total["between"] == pytest.approx(between, abs=1e-12) and between == pytest.approx(0.008494, abs=1e-6)
    assert total["within"] == pytest.approx(within, abs=1e-12) and within == pytest.approx(0.095869, abs=1e-6)
    indices = result.indices[result.indices["scope"] == "all"].set_index("index")["value"].astype(float)
    assert indices["theil_t"] == pytest.approx(theil(pooled), abs=1e-12)
    assert theil(pooled) == pytest.approx(between + within, abs=1e-12)  # the decomposition is exact
    assert indices["gini"] == pytest.approx(_hand_indices(list(pooled))["gini"], abs=1e-12)
