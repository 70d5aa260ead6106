"""The 芦屋市 sample package (data_samples/ashiya) against its seed.

Every expected number below is read off ``/work/shared/seeds/002_c485c2aed9bec652.txt`` (芦屋市
重層的支援体制整備事業実施計画 R4–R8, revised R6); the comment next to it names the section. The
package is loaded once through the public API (``read_package`` → embedded store in a temporary
folder → ``read_graph``), so a test fails if the CSVs drift from the seed or the loader drops a fact.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import sample_path
from tsunagari.settings import Settings

SEED = "002_c485c2aed9bec652.txt"
CODE = "28206"


def uid(local_id: str) -> str:
    return f"{CODE}:{local_id}"


@pytest.fixture(scope="module")
def package():
    return read_package(sample_path("ashiya"))


@pytest.fixture(scope="module")
def graph(package, tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    folder: Path = tmp_path_factory.mktemp("ashiya") / "store"
    with open_store(Settings(store_url=f"embedded://{folder}")) as store:
        store.load_package(package)
        assert store.resolve("ashiya") == CODE
        return store.read_graph(CODE)


def nodes_of(graph: nx.MultiDiGraph, kind: str) -> dict[str, dict]:
    return {data["id"]: data for _, data in graph.nodes(data=True) if data["kind"] == kind}


def ties(graph: nx.MultiDiGraph, kind: str) -> list[tuple[str, str, dict]]:
    """(from id, to id, attributes) of every tie of ``kind``."""
    return [(graph.nodes[u]["id"], graph.nodes[v]["id"], d)
            for u, v, d in graph.edges(data=True) if d["kind"] == kind]


def test_manifest(graph):
    # 芦屋市, 兵庫県 (seed title); the seed gives no population or household count.
    assert graph.graph["code"] == CODE
    assert graph.graph["slug"] == "ashiya"
    assert graph.graph["name"] == "芦屋市"
    assert graph.graph["prefecture"] == "兵庫県"
    assert graph.graph.get("population") is None
    assert graph.graph.get("households") is None


def test_only_expected_warnings(package):
    # Three aggregates have no count in the seed (「こえる場！」参画企業・団体 4(3)ウ, つどい場 4(3)イ・(4)ア,
    # 地域食堂・子ども食堂 5(2)); a missing count is legitimate data, so the package loads without warnings.
    assert package.warnings == ()


def test_node_counts(graph):
    counts = Counter(data["kind"] for _, data in graph.nodes(data=True))
    assert counts == {
        "Municipality": 1,
        "District": 4,        # 5(3)イ 第２層：４圏域（東山手、西山手、精道、潮見）
        "Program": 13,        # 5(1)ア–エ (ウ split into 特定型 / こども家庭センター型) + (2)ア + (3)ア–オ + (4)ア + (5)ア
        "Agency": 34,
        "Council": 11,        # A–D, 庁内連携会議, 審議会部会, 3 existing review meetings, アクションプログラム協議会, こえる場！
        "ResidentGroup": 6,
        "Need": 7,
    }


def test_every_row_cites_the_seed_with_a_locator(graph):
    for _, data in graph.nodes(data=True):
        assert data["source"].startswith(SEED + " "), data["id"]
    for _, _, data in graph.edges(data=True):
        assert data["source"].startswith(SEED + " "), data
        assert len(data["source"]) > len(SEED) + 1


def test_programs_per_pillar(graph):
    # 5 実施内容及び実施体制: (1) 包括的相談支援 ア 地域包括, イ 相談支援, ウ 利用者支援 (ｱ)特定型 (ｲ)こども家庭
    # センター型, エ 自立相談 = 5; (2) 参加支援 ア = 1; (3) 地域づくり ア–オ = 5; (4) 多機関協働 ア = 1;
    # (5) アウトリーチ ア = 1.
    pillars = Counter(p["pillar"] for p in nodes_of(graph, "Program").values())
    assert pillars == {"包括的相談支援": 5, "参加支援": 1, "地域づくり": 5, "多機関協働": 1,
                       "アウトリーチ等を通じた継続的支援": 1}


def test_program_articles_operations_and_sections(graph):
    # 【第１号イ】 etc., 実施方式 and 所管課 as printed under each program in section 5.
    expected = {
        "地域包括支援センターの運営": (["第1号イ"], "委託", "高齢介護課"),
        "相談支援事業": (["第1号ロ"], "委託", "障がい福祉課"),
        "利用者支援事業（特定型）": (["第1号ハ"], "直営", "ほいく課"),
        "利用者支援事業（こども家庭センター型）": (["第1号ハ"], "直営", "こども家庭・保健センター"),
        "生活困窮者自立相談支援事業": (["第1号ニ"], "委託", "地域福祉課"),
        "参加支援事業": (["第2号"], "委託", "地域福祉課"),
        "地域介護予防活動支援事業": (["第3号イ"], "委託・補助", "地域福祉課"),  # 委託（社会福祉法人）、補助金
        "生活支援体制整備事業": (["第3号ロ"], "委託", "地域福祉課"),
        "地域活動支援センター機能強化事業": (["第3号ハ"], "補助", "障がい福祉課"),
        "地域子育て支援拠点事業": (["第3号ニ"], "直営・委託", "こども家庭・保健センター"),
        "生活困窮者支援等のための地域づくり事業": (["第3号"], "委託", "地域福祉課"),
        "多機関協働事業": (["第5号", "第6号"], "直営・委託", "地域福祉課"),  # 【第５号、第６号】
        "アウトリーチ等を通じた継続的支援事業": (["第4号"], "委託", "地域福祉課"),
    }
    agencies = nodes_of(graph, "Agency")
    got = {p["name"]: (p.get("articles"), p.get("operation"), agencies[p["responsible"]]["name"])
           for p in nodes_of(graph, "Program").values()}
    assert got == expected
    # 地域介護予防活動支援事業 has two 所管課: 地域福祉課、高齢介護課.
    operators = {a for a, p, _ in ties(graph, "OPERATES") if p == "prog_kaigo_yobou"}
    assert operators == {"sec_chiiki_fukushi", "sec_kourei_kaigo"}


def test_program_domains(graph):
    # 分野 lines of section 5; 参加支援, 多機関協働 and アウトリーチ print no 分野.
    domains = {p["name"]: p.get("domains") or [] for p in nodes_of(graph, "Program").values()}
    assert Counter(d for ds in domains.values() for d in ds) == {"高齢": 3, "障がい": 2, "子ども": 3, "生活困窮": 2}
    assert domains["参加支援事業"] == domains["多機関協働事業"] == domains["アウトリーチ等を通じた継続的支援事業"] == []


def test_five_houkatsu_sites(graph):
    # 5(1)ア 支援機関: 地域包括支援センター ５箇所（東山手、西山手、精道、打出浜、潮見）, 委託, 所管 高齢介護課.
    sites = {i: a for i, a in nodes_of(graph, "Agency").items() if a["name"].startswith("地域包括支援センター")}
    assert sorted(a["name"] for a in sites.values()) == sorted(
        f"地域包括支援センター（{n}）" for n in ("東山手", "西山手", "精道", "打出浜", "潮見"))
    operates = {(a, d.get("operation")) for a, p, d in ties(graph, "OPERATES") if p == "prog_houkatsu"}
    # The 所管課 tie (programs.responsible) marks responsibility and carries no operation.
    assert operates == {(i, "委託") for i in sites} | {("sec_kourei_kaigo", None)}
    commissioned = {a for a, to, _ in ties(graph, "COMMISSIONED_BY") if to == "sec_kourei_kaigo"}
    assert commissioned == set(sites)
    # Four sites share their name with a 第2層 area (5(3)イ); 打出浜 is not one of the four areas.
    served = {(a, graph.nodes[uid(d)]["name"]) for a, d, _ in ties(graph, "SERVES") if a in sites}
    assert served == {(f"houkatsu_{s}", f"{n}圏域") for s, n in (
        ("higashi_yamate", "東山手"), ("nishi_yamate", "西山手"), ("seido", "精道"), ("shiomi", "潮見"))}


def test_districts_are_the_four_tier2_areas(graph):
    # 5(3)イ 活動場所等: 第１層：市内全域、第２層：４圏域（東山手、西山手、精道、潮見）. No figures per area.
    districts = nodes_of(graph, "District")
    assert sorted(d["name"] for d in districts.values()) == ["東山手圏域", "潮見圏域", "精道圏域", "西山手圏域"]
    # The area type is 圏域 (its kind is not stated) and the tier 第2層, in two columns.
    assert {(d["layer"], d["tier"]) for d in districts.values()} == {("圏域", "第2層")}
    for d in districts.values():
        for figure in ("population", "households", "elderly", "children", "association_rate"):
            assert d.get(figure) is None
    # 地域支え合い推進員（第２層 4人）and the 生活支援体制整備事業 serve all four areas.
    for serving in ("suishinin", "prog_seikatsu_shien_taisei"):
        assert {d for a, d, _ in ties(graph, "SERVES") if a == serving} == set(districts)


def test_consultation_agencies_and_activity_centres(graph):
    agencies = nodes_of(graph, "Agency")
    # 5(1)イ: 障がい者基幹相談支援センター 1箇所, 障がい者相談支援事業 1箇所 (委託, 所管 障がい福祉課).
    assert {a for a, to, _ in ties(graph, "COMMISSIONED_BY") if to == "sec_shougai_fukushi"} == {
        "shougai_kikan_soudan", "shougai_soudan_shien"}
    # 5(3)ウ: 市内３箇所（はまゆう、みんなの麦の家、ホザナ・カフェ）, 市外４箇所 (すももクラブ, Wakaba,
    # 地球屋本舗, 夢ふうせん), 補助金.
    centres = [(agencies[a]["name"], d["operation"]) for a, p, d in ties(graph, "OPERATES")
               if p == "prog_katsudou_center" and a.startswith("katsudou_")]
    assert sorted(centres) == sorted((n, "補助") for n in (
        "はまゆう", "みんなの麦の家", "ホザナ・カフェ", "すももクラブ", "Wakaba", "地球屋本舗", "夢ふうせん"))
    assert sum("市外" in (agencies[a].get("note") or "") for a in agencies if a.startswith("katsudou_")) == 4
    # 5(3)エ: 一般型 子育てセンター、認定こども園３箇所; 出張ひろば 上宮川文化センター、幼稚園１箇所.
    assert agencies["nintei_kodomoen"]["count"] == 3 and agencies["nintei_kodomoen"]["aggregate"] is True
    venues = {a for a, p, _ in ties(graph, "OPERATES") if p == "prog_kosodate_kyoten"}
    assert venues == {"sec_kodomo_katei_hoken", "kosodate_center", "nintei_kodomoen",
                      "kamimiyagawa_bunka_center", "youchien"}


def test_councils_a_to_d_and_members(graph):
    councils = nodes_of(graph, "Council")
    names = {c["name"] for c in councils.values()}
    # 図1/図2-2 の説明: A 重層的支援のチーム会議, B 多機関協働支援会議, C 多機関協働推進委員会,
    # D 福祉のまちづくり委員会 (旧 地域福祉推進協議会), and 庁内連携会議.
    assert {"重層的支援のチーム会議", "多機関協働支援会議", "多機関協働推進委員会", "福祉のまちづくり委員会",
            "庁内連携会議"} <= names
    members = {c: set() for c in councils}
    for member, council, _ in ties(graph, "MEMBER_OF"):
        members[council].add(member)
    # A is made of 社協 staff (5人) and 地域福祉課 staff (3人): 4(2)ア, 5(4) 実施体制.
    assert members["council_team"] == {"shakyo", "sec_chiiki_fukushi"}
    # The seed text names no members of B, C, D or 庁内連携会議 (the figures are not in the text).
    for council in ("council_takikan_shien", "council_takikan_suishin", "council_fukushi_machizukuri",
                    "council_chounai_renkei"):
        assert members[council] == set(), council
        assert councils[council]["purpose"]
    # 「こえる場！」事務局 = 地域福祉課 (5(2) 実施体制).
    roles = {(m, d.get("role")) for m, c, d in ties(graph, "MEMBER_OF") if c == "council_koeruba"}
    assert roles == {("sec_chiiki_fukushi", "事務局"), ("koeruba_sankaku", None)}


def test_council_flow(graph):
    # 図2-2 の説明: A screens and passes cases to B; B proposes issues to C and D; C and D work together.
    refers = {(a, b) for a, b, _ in ties(graph, "REFERS_TO")}
    assert {("takikan_madoguchi", "council_team"), ("council_team", "council_takikan_shien"),
            ("council_takikan_shien", "council_takikan_suishin"),
            ("council_takikan_shien", "council_fukushi_machizukuri")} <= refers
    assert {frozenset((a, b)) for a, b, _ in ties(graph, "COLLABORATES_WITH")} >= {
        frozenset(("council_takikan_suishin", "council_fukushi_machizukuri"))}
    # 5(4): B and D are positioned as 重層的支援会議 of the 多機関協働事業, with the 庁内 council.
    parts = {a for a, b, _ in ties(graph, "PART_OF") if b == "prog_takikan_kyoudou"}
    assert parts == {"council_takikan_shien", "council_fukushi_machizukuri", "council_chounai_renkei"}


def test_targets(graph):
    # 成果目標: 参加支援事業 5 items, 多機関協働事業 2, アウトリーチ事業 2; no other program states one.
    targets = {p["id"]: p.get("targets") for p in nodes_of(graph, "Program").values()}
    counts = {i: len(t.split("; ")) for i, t in targets.items() if t}
    assert counts == {"prog_sanka_shien": 5, "prog_takikan_kyoudou": 2, "prog_outreach": 2}
    assert "後見人等受任件数: 10件以上" in targets["prog_sanka_shien"]
    assert "多機関協働による事例検討件数: 6件" in targets["prog_takikan_kyoudou"]


def test_collaboration_weights_count_their_basis(graph):
    # weight = number of 取組 (4 取組) whose 中心となる取組主体 names both parties.
    for a, b, d in ties(graph, "COLLABORATES_WITH"):
        items = [x for x in (d.get("basis") or "").split(";") if x]
        if d["weight"] != 1.0:
            assert d["weight"] == len(items), (a, b, d)
    pair = [d for a, b, d in ties(graph, "COLLABORATES_WITH") if {a, b} == {"sec_chiiki_fukushi", "shakyo"}]
    assert [d["weight"] for d in pair] == [6.0]  # (2)イ, (4)ウ, (4)エ, (5)ア, (5)イ, (5)ウ


def test_needs(graph):
    needs = {n["id"]: n["name"] for n in nodes_of(graph, "Need").values()}
    assert sorted(needs.values()) == sorted(["8050問題", "ダブルケア", "ヤングケアラー", "ひきこもり", "孤立", "権利擁護", "虐待"])
    addressed = Counter(b for _, b, _ in ties(graph, "ADDRESSES"))
    # ひきこもり: 参加支援事業, アウトリーチ事業, ひきこもりの親の会 (5(2), 5(5)).
    assert addressed["need_hikikomori"] == 3
    # every need listed is addressed by someone the seed names
    assert set(addressed) == set(needs)
