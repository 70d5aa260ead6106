"""Coverage cube, gap levels, unaddressed needs, council silos and residents' base on a hand-built graph."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from tsunagari.analysis.council_composition import absent_sectors, council_members, council_silos
from tsunagari.analysis.coverage import (
    CoverageInputError,
    coverage_cube,
    coverage_rules,
    district_table,
    gap_cells,
    resource_reach,
    unaddressed_needs,
)
from tsunagari.analysis.provision import provisions
from tsunagari.analysis.resident_base import resident_base


@pytest.fixture
def town() -> nx.MultiDiGraph:
    """Town 1 with a 市域 district `city`, 地区 A (population 10,000, child 小学校区 a1) and 地区 B
    (no population figure).

    - P1 (包括的相談支援, 高齢, city-wide) is operated by section X (city-wide): in every district the
      cell 包括的相談支援 × 高齢 has one provider unit (X), city-wide → thin; P1 itself is not a
      provider because X operates it. P1 addresses ひきこもり, which X inherits.
    - Y, an aggregate of 3 centres located in A, operates P2 (参加支援, 全世代, serving A): in A and in
      a1 (below A) the 参加支援 cells of all four domains have 3 local units → covered; B has none.
    - G, a 町会 serving a1, operates nothing: by the rule it counts toward 地域づくり in a1 (own) and
      A (in its sub-area) with 1 unit → thin.
    - C, a 支援会議 (法第106条の6, a multi-agency mechanism) serving the 市域 district, is city-wide; it
      counts toward 多機関協働 (no domain: only the 全体 cell) → thin and city-only everywhere.
    - K, a 地域ケア会議 at the 個別支援 level, is a council under one law: no pillar at all.
    """
    g = nx.MultiDiGraph(code="1", name="テスト町")
    g.add_node("1", kind="Municipality", id="1")

    def node(local_id: str, kind: str, **attrs) -> str:
        g.add_node(f"1:{local_id}", kind=kind, id=local_id, municipality="1", **attrs)
        return f"1:{local_id}"

    def tie(a: str, b: str, kind: str, **attrs) -> None:
        g.add_edge(f"1:{a}", f"1:{b}", kind=kind, **attrs)

    node("city", "District", name="市全域", layer="市域")
    node("A", "District", name="A地区", layer="地区", population=10_000, elderly=2_000, association_rate=25.6)
    node("B", "District", name="B地区", layer="地区", association_rate=44.6)
    node("a1", "District", name="a1小学校区", layer="小学校区", population=4_000, association_rate=30.0)
    g.add_edge("1:city", "1", kind="PART_OF")
    tie("A", "city", "PART_OF")
    tie("B", "city", "PART_OF")
    tie("a1", "A", "PART_OF")
    node("X", "Agency", name="福祉課", sector="福祉", domains=[])
    node("P1", "Program", name="包括的相談", pillar="包括的相談支援", domains=["高齢"])
    tie("X", "P1", "OPERATES")
    node("Y", "Agency", name="支援センター", sector="福祉", domains=[], count=3, aggregate=True)
    tie("Y", "A", "LOCATED_IN")
    node("P2", "Program", name="参加支援", pillar="参加支援", domains=["全世代"])
    tie("P2", "A", "SERVES")
    tie("Y", "P2", "OPERATES")
    node("G", "ResidentGroup", name="a1町会", type="自治会・町会")
    tie("G", "a1", "SERVES")
    node("C", "Council", name="支援会議", level="個別支援", category="支援会議", convener="X")
    node("K", "Council", name="地域ケア会議", level="個別支援", category="地域ケア会議")
    tie("C", "city", "SERVES")
    node("hik", "Need", name="ひきこもり")
    node("yc", "Need", name="ヤングケアラー")
    node("tato", "Need", name="多頭飼育")
    tie("P1", "hik", "ADDRESSES")
    tie("G", "tato", "ADDRESSES")
    # Councils for the silo check: C has only welfare members (X as convener, Y as member);
    # D has the housing section; E lists nobody. The justice agency J sits on no council.
    tie("Y", "C", "MEMBER_OF", role="委員")
    node("H", "Agency", name="住宅課", sector="住まい", domains=[])
    node("J", "Agency", name="保護観察所", sector="司法・更生保護", domains=[])
    node("D", "Council", name="連携会議", level="庁内連携")
    tie("X", "D", "MEMBER_OF", role="座長")
    tie("H", "D", "MEMBER_OF", role="委員")
    node("E", "Council", name="名簿なし会議", level="代表者")
    return g


def _cell(cube: pd.DataFrame, district: str, pillar: str, domain: str) -> pd.Series:
    rows = cube[(cube["district_id"] == district) & (cube["pillar"] == pillar) & (cube["domain"] == domain)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_rules_are_read_from_the_data_file():
    rules = coverage_rules()
    assert rules.multi_agency_council_pillars == ("多機関協働",)
    assert rules.direct_need_pillars == {"Agency": "包括的相談支援", "Council": "多機関協働",
                                         "OtherCouncil": "包括的相談支援", "ResidentGroup": "地域づくり"}
    assert rules.resident_group_pillars == ("地域づくり",)
    assert rules.all_domains == "全世代"


def test_district_tree(town):
    table = district_table(town).set_index("district_id")
    assert table.loc["city", "city_level"] and not table.loc["A", "city_level"]
    # A and B hang under the 市域 district, so they are the top local layer; a1 is below A.
    assert table["top_local"].to_dict() == {"A": True, "B": True, "a1": False, "city": False}
    assert table.loc["a1", "ancestors"] == ["1:A"]
    assert table.loc["A", "descendants"] == ["1:a1"]
    assert table.loc["B", "population"] is pd.NA


def test_reach(town):
    reach = resource_reach(town)
    how = {(r.uid.split(":")[1], r.district_id): r.reach for r in reach.itertuples(index=False)}
    # Y's office is LOCATED_IN A, but it SERVES nowhere in particular: its service area is the town.
    assert {how[("Y", d)] for d in ("A", "B", "a1")} == {"city"}
    assert how[("P2", "A")] == "own" and how[("P2", "a1")] == "ancestor" and ("P2", "B") not in how
    assert how[("G", "a1")] == "own" and how[("G", "A")] == "descendant" and ("G", "B") not in how
    assert {how[("C", d)] for d in ("A", "B", "a1")} == {"city"}  # serves the 市域 district
    assert how[("X", "B")] == "city"  # no district at all
    assert "city" not in set(reach["district_id"])  # the 市域 district itself is not a row


def test_provisions_follow_each_program_not_the_actor(town):
    found = provisions(town)
    y = found[found["provider_id"] == "Y"]
    # Y delivers P2 (参加支援, 全世代) where P2 is, A and its sub-area a1, as 3 local units; nothing in B.
    assert set(y["pillar"]) == {"参加支援"} and set(y["district_id"]) == {"A", "a1"}
    assert set(y["cell"]) == {"高齢", "障がい", "子ども", "生活困窮", "全体"} and y["local"].all()
    assert set(y["units"]) == {3} and set(y["via"]) == {"参加支援"}
    x = found[found["provider_id"] == "X"]
    assert set(x["cell"]) == {"高齢", "ひきこもり", "全体"} and not x["local"].any()
    assert set(found.loc[found["provider_id"] == "G", "pillar"]) == {"地域づくり"}
    assert set(found.loc[found["provider_id"] == "C", "cell"]) == {"全体"}
    assert "K" not in set(found["provider_id"])  # a 地域ケア会議 is not 多機関協働, even at the case level
    assert "P1" not in set(found["provider_id"])  # X operates it: one provider, not two
    assert "H" not in set(found["provider_id"])  # an agency that runs no program provides nothing


def test_cube_levels(town):
    cube = coverage_cube(town)
    # 3 local districts × 5 pillars × (4 domains + 3 needs + 全体).
    assert len(cube) == 3 * 5 * 8
    cell = _cell(cube, "B", "包括的相談支援", "高齢")
    assert (cell["programs"], cell["agencies"], cell["providers"]) == (1, 1, 1)
    assert cell["level"] == "thin" and cell["city_only"]
    cell = _cell(cube, "A", "参加支援", "子ども")
    assert (cell["local_providers"], cell["provider_nodes"], cell["level"]) == (3, 1, "covered")
    assert not cell["city_only"]  # one aggregate node of 3 centres is not a single point of failure
    assert _cell(cube, "a1", "参加支援", "生活困窮")["level"] == "covered"
    assert _cell(cube, "B", "参加支援", "高齢")["level"] == "none"
    assert _cell(cube, "A", "地域づくり", "全体")["level"] == "thin"
    assert _cell(cube, "A", "地域づくり", "高齢")["level"] == "none"  # the 町会 has no domain
    cell = _cell(cube, "a1", "多機関協働", "全体")
    assert (cell["councils"], cell["level"], bool(cell["city_only"])) == (1, "thin", True)
    assert _cell(cube, "A", "包括的相談支援", "ひきこもり")["level"] == "thin"
    assert _cell(cube, "A", "包括的相談支援", "ヤングケアラー")["level"] == "none"


def test_gap_cells_keep_thin_none_and_city_only(town):
    cube = coverage_cube(town)
    gaps = gap_cells(cube)
    assert set(gaps["level"]) == {"none", "thin"}
    assert len(gaps) == (cube["level"] != "covered").sum()


def test_per_capita_never_divides_by_a_missing_value(town):
    cube = coverage_cube(town, per="population")
    a = _cell(cube, "A", "参加支援", "高齢")
    assert a["rate"] == pytest.approx(3.0)  # 3 local units / 10,000 residents × 10,000
    assert a["rate_unit"] == "per 10,000 population"
    b = _cell(cube, "B", "参加支援", "高齢")
    assert b["rate"] is pd.NA and b["na_reason"] == "no_population_figure"
    elderly = coverage_cube(town, per="elderly")
    assert _cell(elderly, "A", "参加支援", "高齢")["rate"] == pytest.approx(1.5)  # 3 / 2,000 × 1,000


def test_district_option_and_errors(town):
    only = coverage_cube(town, district="B地区")
    assert set(only["district_id"]) == {"B"}
    with pytest.raises(CoverageInputError, match="`Z`.*A \\(A地区\\)"):
        coverage_cube(town, district="Z")
    with pytest.raises(CoverageInputError, match="per='households'"):
        coverage_cube(town, per="households")


def test_unaddressed_needs(town):
    needs = unaddressed_needs(town).set_index("need_id")
    assert needs.loc["hik", "status"] == "addressed" and needs.loc["hik", "programs"] == 1
    # 多頭飼育 is addressed only by a residents' group: addressed, and the grid shows it (地域づくり, a1 and A).
    assert needs.loc["tato", "status"] == "addressed" and needs.loc["tato", "addressed_by"] == "resident_group"
    cube = coverage_cube(town)
    assert _cell(cube, "a1", "地域づくり", "多頭飼育")["level"] == "thin"
    assert needs.loc["yc", "status"] == "unaddressed" and needs.loc["yc", "addressed_by"] == ""
    assert unaddressed_needs(town)["status"].iloc[0] == "unaddressed"
    full = unaddressed_needs(town, include_vocabulary=True)
    assert "8050問題" in set(full.loc[full["status"] == "not_recorded", "need"])


def test_council_silo_check(town):
    members = council_members(town)
    c = members[members["council_uid"] == "1:C"]
    assert set(c["member_uid"]) == {"1:X", "1:Y"}  # the convener X counts as 事務局
    assert c.set_index("member_uid").loc["1:X", "role"] == "事務局"
    silos = council_silos(town).set_index("council_id")
    assert silos.loc["C", "status"] == "silo"
    assert silos.loc["D", "status"] == "mixed" and silos.loc["D", "non_welfare_sectors"] == ["住まい"]
    assert silos.loc["E", "status"] == "no_members"
    assert council_silos(town)["status"].iloc[0] == "silo"
    sectors = absent_sectors(town).set_index("sector")
    assert sectors.loc["住まい", "status"] == "on_councils"
    assert sectors.loc["司法・更生保護", "status"] == "not_on_any_council"
    assert sectors.loc["住民", "status"] == "not_on_any_council"  # the 町会 sits on no council
    assert sectors.loc["教育", "status"] == "absent_from_data"
    assert "福祉" not in sectors.index


def test_resident_base_flags_the_weakest_per_layer(town):
    base = resident_base(town).set_index("district_id")
    # Among the 地区, A (25.6%) is below B (44.6%). a1 is alone in its layer: rank 1 there, but the
    # lowest of one is no finding, so it is not flagged weakest (the CLI would print 最も低い).
    assert base.loc["A", "weakest"] and not base.loc["B", "weakest"] and not base.loc["a1", "weakest"]
    assert base.loc["A", "rate_rank"] == 1 and base.loc["B", "rate_rank"] == 2 and base.loc["a1", "rate_rank"] == 1
    assert base.loc["a1", "resident_group_units"] == 1 and base.loc["A", "resident_group_units"] == 1
    assert base.loc["a1", "groups_per_10k"] == pytest.approx(2.5)  # 1 / 4,000 × 10,000
    assert base.loc["B", "groups_per_10k"] is pd.NA
    assert base.loc["B", "na_reason"] == "no_population_figure"
    # B: 5 pillars × 4 domains = 20 cells; only 包括的相談支援 × 高齢 has a provider (X, thin).
    assert base.loc["B", "thin_cells"] == 1 and base.loc["B", "none_cells"] == 19
    assert resident_base(town).iloc[0]["district_id"] == "A"


@pytest.mark.parametrize("slug", ["amagasaki", "ashiya", "hannan", "takashima", "town"])
def test_the_needs_table_and_the_grid_always_agree(slug):
    from tests.conftest import TOWN, package_graph_of
    from tsunagari.samples import sample_path

    graph = package_graph_of(TOWN if slug == "town" else sample_path(slug))
    needs = unaddressed_needs(graph)
    cube = coverage_cube(graph)
    in_grid = set(cube.loc[(cube["domain_type"] == "need") & (cube["providers"] > 0), "domain"])
    assert set(needs.loc[needs["status"] == "addressed", "need"]) == in_grid
