"""The 高島市 sample package (data_samples/takashima) against its seed, 004_605be2ba105488de.txt.

Every expected number below is read off the seed; the comment next to it names the slide. The
package is loaded once through the public API (``read_package`` → embedded store in a temporary
folder → ``read_graph``) and the tests count what came back.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import sample_path
from tsunagari.settings import Settings

CODE = "25212"
SEED = "004_605be2ba105488de.txt"


@pytest.fixture(scope="module")
def package():
    return read_package(sample_path("takashima"))


@pytest.fixture(scope="module")
def graph(package, tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    url = f"embedded://{tmp_path_factory.mktemp('takashima') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_package(package)
        return store.read_graph("takashima")


def uid(local_id: str) -> str:
    return f"{CODE}:{local_id}"


def nodes_of(graph: nx.MultiDiGraph, kind: str) -> dict[str, dict]:
    return {n: d for n, d in graph.nodes(data=True) if d["kind"] == kind}


def members(graph: nx.MultiDiGraph, council: str) -> dict[str, str | None]:
    """Names of the MEMBER_OF tails of ``council`` → their role."""
    return {graph.nodes[u]["name"]: d.get("role") for u, v, d in graph.in_edges(uid(council), data=True)
            if d["kind"] == "MEMBER_OF"}


def test_loads_without_warnings(package):
    # Every cell is a value the seed gives or empty, and every post (専門職配置) names its holder.
    assert package.code == CODE
    assert package.warnings == ()


def test_fiscal_year_is_the_overview_chart_year(graph):
    # 004 line 400: 「重層的支援体制整備事業」の全体イメージ（高島市） 令和５年度版.
    assert graph.graph["fiscal_year"] == 2023


def test_manifest_and_provenance(graph):
    assert graph.graph["code"] == CODE and graph.graph["name"] == "高島市" and graph.graph["prefecture"] == "滋賀県"
    # The seed gives no population for the city or any area: nothing is estimated.
    assert "population" not in graph.graph
    # Every node and tie cites the seed file.
    for _, data in graph.nodes(data=True):
        assert data["source"].startswith(SEED), data
    for _, _, data in graph.edges(data=True):
        assert data["source"].startswith(SEED) or data["kind"] in {"PART_OF", "SERVES", "LOCATED_IN", "OPERATES"}


def test_six_areas_on_the_second_layer_named_after_the_branches(graph):
    districts = nodes_of(graph, "District")
    # くらし連携会議（6地域）; ③成果と課題 "Ｒ４実績：６地域、各３回"; 関係図 【第2層】中学校圏域.
    assert len(districts) == 6
    assert {d["layer"] for d in districts.values()} == {"中学校圏域"}
    assert {d["tier"] for d in districts.values()} == {"第2層"}
    # Five areas carry the names of the seed's five 支所 (❷ 33部局: マキノ支所, 朽木支所, 高島支所, 安曇川支所,
    # 今津支所; 今津 also as "今津地域", ③成果と課題); the sixth has no name in the seed.
    assert sorted(d["name"] for d in districts.values()) == sorted(
        ["マキノ地域", "朽木地域", "高島地域", "安曇川地域", "今津地域", "地域⑥（地域名は資料に記載なし）"])
    # Each branch office is located in the area named after it (LOCATED_IN); what it serves is not stated.
    located = {graph.nodes[u]["name"]: graph.nodes[v]["name"] for u, v, d in graph.edges(data=True)
               if d["kind"] == "LOCATED_IN" and graph.nodes[u]["name"].endswith("支所")}
    assert located == {"マキノ支所": "マキノ地域", "朽木支所": "朽木地域", "高島支所": "高島地域", "安曇川支所": "安曇川地域",
                       "今津支所": "今津地域"}
    # No district population/households in the seed.
    assert not any("population" in d or "households" in d for d in districts.values())
    # Each area is directly under the municipality.
    for node in districts:
        assert [v for _, v, d in graph.out_edges(node, data=True) if d["kind"] == "PART_OF"] == [CODE]


def test_three_layers_used(graph):
    # 関係図: 【第1層】市域, 【第2層】中学校圏域, 【第3層】日常生活圏域（区・自治会）.
    layers = {d.get("layer") for _, d in graph.nodes(data=True) if d["kind"] in {"District", "Council"}}
    assert {"市域", "中学校圏域", "日常生活圏域"} <= layers
    assert graph.nodes[uid("mimamori_kaigi")]["layer"] == "日常生活圏域"  # 見守り会議 on 第3層


def test_tiers_are_takashimas_own(graph):
    # 関係図: 高島 puts 日常生活圏域 (区・自治会) at 【第3層】 and 中学校圏域 at 【第2層】, so 見守り会議 is 第3層 and the
    # くらし連携会議 (中学校区域の専門職連携の場) and セーフティネット連絡会 are 第2層.
    councils = nodes_of(graph, "Council")
    assert councils[uid("mimamori_kaigi")]["tier"] == "第3層"
    assert {d["tier"] for n, d in councils.items() if "くらし連携会議" in d["name"]} == {"第2層"}
    assert councils[uid("safety_net")]["tier"] == "第2層"
    # 年表 H28 "生活支援体制整備事業の開始（第1層協議体・Coの設置）".
    assert councils[uid("dai1so_kyogitai")]["tier"] == "第1層" and councils[uid("dai1so_kyogitai")]["category"] == "協議体"
    # くらし連携会議 "見守り会議への参加" (関係図): the 第2層 network takes part in the 第3層 meeting.
    assert graph.has_edge(uid("kurashi_renkei"), uid("mimamori_kaigi"))


def test_council_categories_and_the_multi_agency_mechanisms(graph):
    from tsunagari.analysis.provision import is_multi_agency_council

    councils = nodes_of(graph, "Council")
    # Every council has a category; only 重層的支援個別会議 and 支援会議 (全体イメージ, Ⅴ多機関協働) are the multi-agency
    # mechanisms: no other council is marked multi_agency.
    assert all(d.get("category") for d in councils.values())
    assert {d["id"] for d in councils.values() if is_multi_agency_council(d)} == {"jusou_kobetsu", "shien_kaigi"}
    assert not any(d.get("multi_agency") for d in councils.values())
    categories = {d["id"]: d["category"] for d in councils.values()}
    assert categories["jusou_kobetsu"] == "重層的支援会議" and categories["shien_kaigi"] == "支援会議"
    # ➍ "地域ケア会議 個別支援 分野別活動" feed the くらし連携会議; 年表 R4 "自立支援協"; 関係図 "分野別法定協議会 など".
    assert categories["chiiki_care_kaigi"] == "地域ケア会議"
    assert graph.has_edge(uid("chiiki_care_kaigi"), uid("kurashi_renkei"))
    assert categories["jiritsu_shien_kyo"] == categories["hotei_kyogikai"] == "法定協議会"
    assert categories["chonai_tsumugiai"] == "庁内連携会議"
    assert len(councils) == 35


def test_cross_department_council_has_the_33_named_sections(graph):
    # ❷ 庁内連携つむぎあい会議: "庁内３３部局が参画", 33 names on the slide (R5 added 人事課, 環境政策課, 幼児保育課).
    named = members(graph, "chonai_tsumugiai")
    sections = {n for n, role in named.items() if role == "委員"}
    assert len(sections) == 33
    assert {"人事課", "環境政策課", "幼児保育課", "納税課", "上下水道課", "社会福祉課", "マキノ支所",
            "高島市民病院 地域医療連携室", "児童発達支援センターエール"} <= sections
    # ❷ "事務局であらかじめ４～６人程度の多分野混合のグループに分けている": the secretariat is くらし連携支援室, the
    # office presenting the slides (❶ 多機関協働を推進する行政組織).
    assert {n: role for n, role in named.items() if role != "委員"} == {"くらし連携支援室": "事務局"}
    # The overview slide's "庁内30部局" plus the three R5 additions.
    assert graph.nodes[uid("chonai_tsumugiai")]["meetings_per_year"] == 2  # 年２回
    sectors = Counter(graph.nodes[u]["sector"] for u, _, d in graph.in_edges(uid("chonai_tsumugiai"), data=True)
                      if d["kind"] == "MEMBER_OF" and d.get("role") == "委員")
    # Far beyond welfare: 税・水道、商工、教育 ... ("庁内30部局が参加（税・水道、商工、教育、福祉など）").
    # 9 welfare sections (子育て政策課, 障がい福祉課, 地域包括支援課, 介護保険課, 子ども・若者支援センター, 社会福祉課,
    # 子ども家庭相談課, 児童発達支援センターエール, 幼児保育課) and 24 from other fields.
    assert sectors["福祉"] == 9 and sum(sectors.values()) - sectors["福祉"] == 24
    assert {"行政管理・財政", "都市基盤", "教育", "産業・経済", "警察・消防・防災", "環境・衛生"} <= set(sectors)


def test_community_life_council_members_and_chair(graph):
    # ❸ 地域生活つむぎあい会議: 15 bodies on the slide plus the chair (同志社大学の教授, 学識経験者).
    named = members(graph, "chiiki_tsumugiai")
    assert len(named) == 16
    assert named["同志社大学（学識経験者）"] == "座長"
    assert {"商工会", "医師会", "教育委員会", "高島市民病院", "高島市社会福祉協議会", "くらし連携支援室",
            "民生委員・児童委員", "共同募金（共同募金活動）"} <= set(named)


def test_tsunagari_network_has_15_bodies_and_addresses_hikikomori(graph):
    # ❺ つながり応援支援者ネットワーク会議: "令和５年現在：15機関が参加" ((再) entries counted once).
    named = members(graph, "tsunagari_nw")
    assert len(named) == 15
    assert {"県保健所", "県社会福祉協議会", "夢の木訪看", "かけはし", "仲間のWA！", "障がい福祉課",
            "健康推進課"} <= set(named)
    assert graph.nodes[uid("tsunagari_nw")]["convener"] == "shakyo"  # 市社協の呼びかけで設置
    assert graph.has_edge(uid("tsunagari_nw"), uid("need_hikikomori"))


def test_rights_advocacy_network(graph):
    # ❻ 権利擁護支援ネットワーク委員会 composition slide: 15 labels, "地域包括支援センター" standing for both centres.
    named = members(graph, "kenri_nw")
    assert len(named) == 16
    assert {"弁護士", "司法書士", "行政書士", "社会福祉士", "ケアマネ協", "社会福祉施設協", "高齢者支援課",
            "成年後見サポートセンター", "障がい者相談支援センターコンパス"} <= set(named)
    # 中核機関 = くらし連携支援室 × 成年後見サポートセンター（協働体制）.
    assert graph.has_edge(uid("kurashi"), uid("seinen_kouken_center"))


def test_area_meetings_one_per_area(graph):
    councils = nodes_of(graph, "Council")
    regional = {n: d for n, d in councils.items() if d.get("district")}
    # くらし連携会議（6地域）, Ｒ４実績：各３回.
    assert len(regional) == 6
    assert {d["meetings_per_year"] for d in regional.values()} == {3}
    served = {v for n in regional for _, v, d in graph.out_edges(n, data=True) if d["kind"] == "SERVES"}
    assert served == set(nodes_of(graph, "District"))
    # The hospital in 今津 joined its area's network (③成果と課題「地域別くらし連携会議」).
    assert "今津地域の医療機関（市内で唯一の無料低額診療実施病院）" in members(graph, "kurashi_imazu")


def test_hub_and_contracted_programs(graph):
    hub = graph.nodes[uid("kurashi")]
    assert hub["parent"] == "sec_shakai_fukushi"  # 健康福祉部社会福祉課 くらし連携支援室
    programs = nodes_of(graph, "Program")
    # 全体イメージ: Ⅰ相談支援 4, Ⅱ参加支援 1, Ⅲ地域づくり 5, Ⅳ継続的支援 1, Ⅴ多機関協働 1; plus なんでも相談会
    # (年表 "相談支援体制の強化": H27 開始, R1 "市地域包括→市社会福祉課委託事業へ").
    assert Counter(d["pillar"] for d in programs.values()) == Counter(
        {"包括的相談支援": 5, "参加支援": 1, "地域づくり": 5, "アウトリーチ等を通じた継続的支援": 1, "多機関協働": 1})
    nandemo = programs[uid("p_nandemo")]
    assert (nandemo["responsible"], nandemo["operation"], nandemo["articles"]) == ("sec_shakai_fukushi", "委託", [])
    # 多機関協働事業 is 第5号・第6号 of 社会福祉法第106条の4第2項.
    assert programs[uid("p_takikan")]["articles"] == ["第5号", "第6号"]
    # Contracted operators named on the overview slide.
    # (The responsible section's implied OPERATES tie carries the program's operation, so skip the hub here.)
    contracted = {(graph.nodes[u]["name"], graph.nodes[v]["name"]) for u, v, d in graph.edges(data=True)
                  if d["kind"] == "OPERATES" and d.get("operation") == "委託" and u != uid("kurashi")}
    assert ("あいりんつむぎ地域包括支援センター", "包括的支援事業（地域包括支援センター）") in contracted
    assert ("障がい者相談支援センターコンパス", "相談支援事業（障害）") in contracted
    assert ("働き・暮らし応援センター", "生活困窮者自立支援事業") in contracted
    assert ("ぷれホップ", "参加支援事業") in contracted
    assert ("成年後見サポートセンター", "多機関協働事業") in contracted
    # 14 contracted operator→program pairs on the overview slide (愛隣園, コンパス, あすラボ, よろず, 働き・暮らし,
    # ぷれホップ ×2, 市社協 ×2, 市民協働交流センター, つどいの広場, たかしま会, 虹の会, 成年後見サポートセンター).
    assert len(contracted) == 14
    commissioned = {graph.nodes[u]["name"] for u, v, d in graph.edges(data=True) if d["kind"] == "COMMISSIONED_BY"}
    assert commissioned == {"つながり応援センターよろず", "働き・暮らし応援センター", "ぷれホップ", "高島市社会福祉協議会",
                            "成年後見サポートセンター"}
    # 見守りネットワーク事業: "協力事業者７２者" (R4).
    assert graph.nodes[uid("mimamori_jigyosha")]["count"] == 72
    # 子育て支援センター: 6か所→4か所→2か所 (年表 H29, R3).
    assert graph.nodes[uid("kosodate_center")]["count"] == 2


def test_no_people(graph):
    # Persons are never nodes: the chair appears as their university; professions are aggregates.
    names = " ".join(d["name"] for _, d in graph.nodes(data=True))
    assert "永田" not in names
    for profession in ("bengoshi", "shiho_shoshi", "gyosei_shoshi", "shakai_fukushishi"):
        assert graph.nodes[uid(profession)]["aggregate"] is True


def test_posts_are_held_by_an_organisation(graph):
    # A 専門職配置 is a post held by an organisation (its parent, PART_OF). 全体イメージ "社協Ｃｏ" → 市社協;
    # ➍ "行政（支所・保健師）" → 健康推進課 (the health section the seed names); 地域学校協働活動推進員 → 教育委員会 (not
    # stated in the seed: 社会教育法第9条の7, said in the row's note); 年表 H30 "施設協によろず相談窓口担当職員を配置".
    posts = {d["id"]: d.get("parent") for d in nodes_of(graph, "Agency").values() if d["type"] == "専門職配置"}
    assert posts == {"seikatsu_shien_co": "shakyo", "hokenshi": "sec_kenko_suishin",
                     "chiiki_gakko_kyodo": "kyoiku_iinkai", "yorozu_madoguchi": "shisetsu_kyo"}
    for post, holder in posts.items():
        assert graph.has_edge(uid(post), uid(holder))


def test_actors_around_the_person_and_the_rights_network(graph):
    # 全体イメージ: ハローワーク, 認定就労訓練, 保護司, 計画相談事業所, 教育機関, フリースペース（生活学習支援）.
    agencies = {d["name"]: d for d in nodes_of(graph, "Agency").values()}
    assert agencies["ハローワーク"]["type"] == "国の機関" and agencies["ハローワーク"]["sector"] == "雇用・就労"
    assert agencies["保護司"]["sector"] == "司法・更生保護"
    assert {"計画相談事業所", "認定就労訓練（事業所）", "教育機関", "フリースペース（生活学習支援）"} <= set(agencies)
    # ❻ ３つの視点: "法律の連携 …弁護士、司法書士、家庭裁判所 など", "地域の連携 …手をつなぐ育成会、地域福祉実践者"
    # (not on the committee's composition slide, hence 連携 rather than 構成員).
    assert agencies["家庭裁判所"]["type"] == "国の機関"
    ikuseikai = graph.nodes[uid("ikuseikai")]
    assert (ikuseikai["kind"], ikuseikai["type"]) == ("ResidentGroup", "当事者・家族会")
    for actor in ("katei_saibansho", "ikuseikai"):
        assert {d["kind"] for _, v, d in graph.out_edges(uid(actor), data=True) if v == uid("kenri_nw")} == {
            "COLLABORATES_WITH"}
    # 関係図 住民自治協議会 is a 地域運営組織.
    assert graph.nodes[uid("juumin_jichi_kyougikai")]["type"] == "地域運営組織"


def test_hoarding_and_animal_hoarding_through_the_support_meeting(graph):
    # ③成果と課題「つむぎあいシート」 (R4: シート活用11件、支援会議開催29回): "ごみ屋敷＆多頭飼育の高齢親子" among the
    # consultations "複数機関から「つないで、皆で支える」", followed up by "支援会議によるモニタリングと終結の確認".
    needs = {graph.nodes[v]["name"]: graph.nodes[u]["id"] for u, v, d in graph.edges(data=True) if d["kind"] == "ADDRESSES"
             and graph.nodes[v]["name"] in {"ごみ屋敷", "多頭飼育"}}
    assert needs == {"ごみ屋敷": "shien_kaigi", "多頭飼育": "shien_kaigi"}
    # 全体イメージ 地域生活課題: 難病, いきがい・就労, 災害; ③見守りネットワーク "認知症等にどのように対応すると良いか".
    names = {d["name"] for d in nodes_of(graph, "Need").values()}
    assert {"難病", "就労", "災害時要配慮者", "認知症"} <= names and len(names) == 16
    addressed = {graph.nodes[v]["name"] for u, v, d in graph.edges(data=True) if d["kind"] == "ADDRESSES"}
    assert addressed == names


def test_watch_over_agreement(package, graph):
    # ③成果と課題「見守りネットワーク事業」: "市と事業者の協定による見守り活動 H26~（Ｒ４実績：協力事業者７２者）".
    # The type and year are read from the package: at 751667a the store keeps the AGREEMENT tie but not its
    # `agreement` and `year` (tsunagari/graph/cypher.py TIE_PROPERTIES does not list them).
    ties = [t for t in package.ties if t.kind == "AGREEMENT"]
    assert [(t.from_uid, t.to_uid, t.properties["agreement"], t.properties["year"], t.properties["weight"])
            for t in ties] == [(uid("mimamori_jigyosha"), uid("kurashi"), "見守り協定", None, 72.0)]
    assert [d["kind"] for u, v, d in graph.edges(data=True) if {u, v} == {uid("mimamori_jigyosha"), uid("kurashi")}] == [
        "AGREEMENT"]
