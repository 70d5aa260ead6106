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


def test_fiscal_year_is_the_revision_year(graph):
    # 002 はじめに: 「本計画を見直し、令和６年度に改訂しました」.
    assert graph.graph["fiscal_year"] == 2024


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
    # 地域食堂・子ども食堂 5(2)); a missing count is legitimate data and gives no warning.
    # Two posts have no holder because the seed names none: 地域支え合い推進員 is placed by 生活支援体制整備事業,
    # 実施方式「委託（社会福祉法人等）」(5(3)イ), and the 就労準備支援事業 counsellor is one of 参加支援事業's
    # staff, 委託（社会福祉法人等）(5(2) 実施体制); the seed says which organisation holds the CSW (社会福祉協議会に
    # コミュニティソーシャルワーカー１人…配置) but not these two. The package keeps `parent` empty and says so in
    # `note`, so exactly these two post_without_holder warnings remain.
    assert [(w.file, w.row, w.column, w.code) for w in package.warnings] == [
        ("agencies.csv", 19, "parent", "post_without_holder"),
        ("agencies.csv", 21, "parent", "post_without_holder"),
    ]
    assert ["地域支え合い推進員" in package.warnings[0].message_ja, "就労準備支援事業（相談員）" in package.warnings[1].message_ja] == [
        True, True]


def test_posts_and_their_holders(graph):
    # 専門職配置 is a post held by an organisation (PART_OF its holder). 5(2)/5(5) 実施体制: 社会福祉協議会に
    # コミュニティソーシャルワーカー１人及び福祉専門職を１人配置; 4(3)イ注・(4)ア: 社会福祉協議会地区担当職員;
    # 5(1)ウ(ｱ): 窓口に保育コンシェルジュを配置（所管 ほいく課）.
    agencies = nodes_of(graph, "Agency")
    holder = {a: b for a, b, _ in ties(graph, "PART_OF") if a in agencies and b in agencies}
    posts = {i for i, a in agencies.items() if a["type"] == "専門職配置"}
    assert {p: holder.get(p) for p in posts} == {
        "shakyo_csw": "shakyo", "shakyo_chiku_tantou": "shakyo", "hoiku_concierge": "sec_hoiku",
        "suishinin": None, "shuurou_junbi": None}
    for unheld in ("suishinin", "shuurou_junbi"):
        assert "配置先" in agencies[unheld]["note"] and "資料に記載なし" in agencies[unheld]["note"]


def test_node_counts(graph):
    counts = Counter(data["kind"] for _, data in graph.nodes(data=True))
    assert counts == {
        "Municipality": 1,
        "District": 4,        # 5(3)イ 第２層：４圏域（東山手、西山手、精道、潮見）
        "Program": 14,        # 5(1)ア–エ (ウ split into 特定型 / こども家庭センター型) + (2)ア + (3)ア–オ + (4)ア + (5)ア
                              # + 社会参加推進事業 (4(3)エ, 5(2) 実施体制)
        "Agency": 35,         # 34 + 保健福祉センター (5(1)エ: 保健福祉センター内で…「総合相談窓口」)
        "Council": 12,        # A–D, 庁内連携会議, 審議会部会, 3 existing review meetings, アクションプログラム協議会, こえる場！,
                              # 居場所プロジェクト (年度計画 (3)ア)
        "ResidentGroup": 6,
        "Need": 8,            # 7 + 就労 (4(3)ア, 5(2))
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
    # (5) アウトリーチ ア = 1; and 社会参加推進事業, run as one with 参加支援事業 (5(2) 実施体制).
    pillars = Counter(p["pillar"] for p in nodes_of(graph, "Program").values())
    assert pillars == {"包括的相談支援": 5, "参加支援": 2, "地域づくり": 5, "多機関協働": 1,
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
        # 4(3)エ, 5(2) 実施体制: named, but with no 号, 実施方式 or 所管課 of its own.
        "社会参加推進事業": ([], None, None),
    }
    agencies = nodes_of(graph, "Agency")
    got = {p["name"]: (p.get("articles"), p.get("operation"),
                       agencies[p["responsible"]]["name"] if p.get("responsible") else None)
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
    assert venues == {"sec_kodomo_katei_hoken", "kosodate_center", "nintei_kodomoen"}
    # The two 出張ひろば sites are venues only: the seed names no role of theirs in running the program,
    # so they keep no tie at all (the model has no venue tie).
    for venue in ("kamimiyagawa_bunka_center", "youchien"):
        assert graph.degree(uid(venue)) == 0, venue
        assert "出張ひろばの会場" in agencies[venue]["features"]


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
    assert sorted(needs.values()) == sorted(["8050問題", "ダブルケア", "ヤングケアラー", "ひきこもり", "孤立", "権利擁護", "虐待",
                                             "就労"])
    addressed = Counter(b for _, b, _ in ties(graph, "ADDRESSES"))
    # ひきこもり: 参加支援事業, アウトリーチ事業, ひきこもりの親の会 (5(2), 5(5)), 社会参加推進事業 (4(3)エ).
    assert addressed["need_hikikomori"] == 4
    # 就労: 参加支援事業 (個別支援対象者の就労…に結び付く活動, 5(2)), its 就労準備支援事業 counsellor (5(2) 実施体制)
    # and 「こえる場！」 (the same sentence of 5(2)).
    assert {a for a, b, _ in ties(graph, "ADDRESSES") if b == "need_shuurou"} == {
        "prog_sanka_shien", "shuurou_junbi", "council_koeruba"}
    # every need listed is addressed by someone the seed names
    assert set(addressed) == set(needs)


def test_council_categories_and_multi_agency(graph):
    councils = nodes_of(graph, "Council")
    got = {c["name"]: (c.get("category"), c.get("multi_agency"), c.get("tier")) for c in councils.values()}
    assert got == {
        # 5(4)ア 事業内容: 多機関協働支援会議及び福祉のまちづくり委員会…を重層的支援会議と位置づけ.
        "多機関協働支援会議": ("重層的支援会議", None, "第1層"),
        "福祉のまちづくり委員会": ("重層的支援会議", None, "第1層"),
        # 5(4)ア 実施体制: 重層的支援のチーム会議（社会福祉協議会５人、地域福祉課３人）is part of 多機関協働事業;
        # 事業内容: 行政庁内の相談支援を担う担当課を中心とした会議体を設置 (庁内連携会議). No legal basis is stated
        # for the team meeting, so its category is その他の会議 and the package marks both multi-agency.
        "重層的支援のチーム会議": ("その他の会議", True, "第1層"),
        "庁内連携会議": ("庁内連携会議", True, "第1層"),
        # C (3, 4(1)ア): its basis is not stated and 5(4) does not list it, so it does not count as multi-agency.
        "多機関協働推進委員会": ("その他の会議", None, "第1層"),
        "社会福祉審議会地域福祉部会": ("附属機関", None, "第1層"),  # 3; 5(4)「各附属機関とも連動させ」
        # 4(2)イ: 既存の地域ケア会議や虐待レビュー会議、生活困窮レビュー会議等 (individual cases, one law each).
        "地域ケア会議": ("地域ケア会議", None, None),
        "虐待レビュー会議": ("ケース会議", None, None),
        "生活困窮レビュー会議": ("ケース会議", None, None),
        "地域福祉アクションプログラム推進協議会": ("その他の会議", None, "第1層"),  # 5(3)オ
        "「こえる場！」": ("ネットワーク会議", None, "第1層"),  # 4(3)ウ: 協働のプラットフォーム
        "居場所プロジェクト": ("その他の会議", None, "第1層"),  # 年度計画 (3)ア
    }


def test_shakyo_is_co_lead(graph):
    # A 重層的支援のチーム会議 is 社会福祉協議会における各分野の相談支援・地域づくり担当者と地域福祉課職員
    # (5(4) 実施体制: 社会福祉協議会５人、地域福祉課３人).
    team = {a: d["basis"] for a, c, d in ties(graph, "MEMBER_OF") if c == "council_team"}
    assert team == {"shakyo": "各分野の相談支援・地域づくり担当者（5人）", "sec_chiiki_fukushi": "地域福祉課職員（3人）"}
    # 5(4) 多機関協働事業: 実施方式 直営、委託（社会福祉法人）; 実施体制 地域福祉課職員（保健師２人、事務職６人）,
    # 社会福祉協議会（社会福祉士４人）, 重層的支援のチーム会議. The responsibility tie (programs.responsible) has
    # no operation; 地域福祉課 also runs the program directly.
    run = Counter((a, d.get("operation")) for a, p, d in ties(graph, "OPERATES") if p == "prog_takikan_kyoudou")
    assert run == {("council_team", None): 1, ("sec_chiiki_fukushi", None): 1, ("sec_chiiki_fukushi", "直営"): 1,
                   ("shakyo", "委託"): 1}
    # 4 取組: 社協 is 中心となる取組主体 with 地域福祉課 in six 取組 ((2)イ, (4)ウ, (4)エ, (5)ア, (5)イ, (5)ウ) and,
    # through its 地区担当職員, with 地域支え合い推進員 in three ((3)イ, (4)ア, (4)イ).
    pairs = {frozenset((a, b)): d for a, b, d in ties(graph, "COLLABORATES_WITH")}
    assert pairs[frozenset(("sec_chiiki_fukushi", "shakyo"))]["basis"] == "取組(2)イ;(4)ウ;(4)エ;(5)ア;(5)イ;(5)ウ"
    assert pairs[frozenset(("shakyo_chiku_tantou", "suishinin"))]["weight"] == 3.0
    # (3)ウ: 地域福祉課、各企業団体.
    assert pairs[frozenset(("sec_chiiki_fukushi", "koeruba_sankaku"))]["basis"] == "取組(3)ウ"


def test_health_and_welfare_centre(graph):
    # 5(1)エ: 保健福祉センター内で福祉に関する相談のワンストップ機能を担う、「総合相談窓口」.
    agencies = nodes_of(graph, "Agency")
    assert agencies["hoken_fukushi_center"]["name"] == "保健福祉センター"
    assert agencies["hoken_fukushi_center"]["type"] == "市の施設"
    inside = [(a, d) for a, b, d in ties(graph, "PART_OF") if b == "hoken_fukushi_center"]
    assert [a for a, _ in inside] == ["sougou_soudan_madoguchi"]
    assert "組織上の所属ではない" in inside[0][1]["note"]


def test_social_participation_and_ibasho_project(graph):
    # 5(2) 実施体制: 就労準備支援事業と社会参加推進事業を一体的に実施（…社会参加推進事業１人）; 4(3)エ: 社会的孤立や
    # ひきこもりの状態にある人や権利擁護支援を必要としている人が…社会参加推進事業や権利擁護支援センターを始め….
    parts = {(a, b) for a, b, _ in ties(graph, "PART_OF") if b == "prog_sanka_shien"}
    assert parts == {("prog_shakai_sanka", "prog_sanka_shien"), ("council_ibasho_project", "prog_sanka_shien")}
    assert {b for a, b, _ in ties(graph, "ADDRESSES") if a == "prog_shakai_sanka"} == {
        "need_isolation", "need_hikikomori", "need_rights_advocacy"}
    # 年度計画 (3)ア: 【R4～5】居場所の現状分析プロジェクト、【R6～8】…居場所プロジェクトでの検討や取組の推進;
    # 取組(3)ア ＜中心となる取組主体：多機関協働推進委員会＞; 5(2): 参加支援につながる居場所を検討するプロジェクト活動.
    assert [(a, b) for a, b, _ in ties(graph, "OPERATES") if b == "council_ibasho_project"] == [
        ("council_takikan_suishin", "council_ibasho_project")]
