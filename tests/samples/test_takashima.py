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
def graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    package = read_package(sample_path("takashima"))
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


def test_manifest_and_provenance(graph):
    assert graph.graph["code"] == CODE and graph.graph["name"] == "高島市" and graph.graph["prefecture"] == "滋賀県"
    # The seed gives no population for the city or any area: nothing is estimated.
    assert "population" not in graph.graph
    # Every node and tie cites the seed file.
    for _, data in graph.nodes(data=True):
        assert data["source"].startswith(SEED), data
    for _, _, data in graph.edges(data=True):
        assert data["source"].startswith(SEED) or data["kind"] in {"PART_OF", "SERVES", "LOCATED_IN", "OPERATES"}


def test_six_areas_on_the_second_layer_without_populations(graph):
    districts = nodes_of(graph, "District")
    # くらし連携会議（6地域）; ③成果と課題 "Ｒ４実績：６地域、各３回"; 第2層 = 中学校圏域 (関係図).
    assert len(districts) == 6
    assert {d["layer"] for d in districts.values()} == {"中学校圏域"}
    # Only 今津 is named as an area ("今津地域にある医療機関"); the other five stay unnamed.
    assert sum("今津" in d["name"] for d in districts.values()) == 1
    assert sum("記載なし" in d["name"] for d in districts.values()) == 5
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


def test_cross_department_council_has_the_33_named_sections(graph):
    # ❷ 庁内連携つむぎあい会議: "庁内３３部局が参画", 33 names on the slide (R5 added 人事課, 環境政策課, 幼児保育課).
    named = members(graph, "chonai_tsumugiai")
    assert len(named) == 33
    assert {"人事課", "環境政策課", "幼児保育課", "納税課", "上下水道課", "社会福祉課", "マキノ支所",
            "高島市民病院 地域医療連携室", "児童発達支援センターエール"} <= set(named)
    assert set(named.values()) == {"委員"}
    # The overview slide's "庁内30部局" plus the three R5 additions.
    assert graph.nodes[uid("chonai_tsumugiai")]["meetings_per_year"] == 2  # 年２回
    sectors = Counter(graph.nodes[u]["sector"] for u, _, d in graph.in_edges(uid("chonai_tsumugiai"), data=True)
                      if d["kind"] == "MEMBER_OF")
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
    # 全体イメージ: Ⅰ相談支援 4, Ⅱ参加支援 1, Ⅲ地域づくり 5, Ⅳ継続的支援 1, Ⅴ多機関協働 1.
    assert Counter(d["pillar"] for d in programs.values()) == Counter(
        {"包括的相談支援": 4, "参加支援": 1, "地域づくり": 5, "アウトリーチ等を通じた継続的支援": 1, "多機関協働": 1})
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
