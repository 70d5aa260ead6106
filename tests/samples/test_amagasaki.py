"""The 尼崎市 sample package (data_samples/amagasaki) against the figures its seeds state.

Seeds: /work/shared/seeds/000_3e15e575296e7296.txt ("000", slides 2024-03) and
001_f0ce39385d12d51c.txt ("001", progress report). Each expected number below cites its place.
The package is read through the public API (read_package → embedded store → read_graph).
"""

from __future__ import annotations

import re
from collections import Counter

import networkx as nx
import pytest

from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import sample_path
from tsunagari.settings import Settings

CODE = "28202"


def uid(local_id: str) -> str:
    return f"{CODE}:{local_id}"


@pytest.fixture(scope="module")
def package():
    return read_package(sample_path("amagasaki"))


@pytest.fixture(scope="module")
def graph(package, tmp_path_factory) -> nx.MultiDiGraph:
    store_dir = tmp_path_factory.mktemp("amagasaki-store")
    with open_store(Settings(store_url=f"embedded://{store_dir}")) as store:
        store.load_package(package)
        return store.read_graph("amagasaki")


def nodes_of(graph: nx.MultiDiGraph, kind: str) -> dict[str, dict]:
    return {n: d for n, d in graph.nodes(data=True) if d["kind"] == kind}


def ties_of(graph: nx.MultiDiGraph, kind: str) -> list[tuple[str, str, dict]]:
    return [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == kind]


def test_loads_without_warnings(package):
    # Every value the seeds give is filled in and nothing else; the validator has nothing to say.
    assert package.code == CODE
    assert package.warnings == ()


def test_manifest(graph):
    # 000 尼崎（あま）のご紹介: (人口) 458,313人 (世帯数) 240,821世帯, （Ｒ5/3/31現在）.
    assert graph.graph["code"] == CODE and graph.graph["slug"] == "amagasaki"
    assert graph.graph["population"] == 458_313
    assert graph.graph["households"] == 240_821
    assert graph.graph["as_of"] == "R5/3/31"


def test_six_districts_sum_to_the_city(graph):
    # 000 尼崎（あま）のご紹介: the district table 中央・小田・大庄・立花・武庫・園田 and 合計.
    districts = {d["name"]: d for d in nodes_of(graph, "District").values()}
    assert set(districts) == {"中央地区", "小田地区", "大庄地区", "立花地区", "武庫地区", "園田地区"}
    assert sum(d["population"] for d in districts.values()) == 458_313 == graph.graph["population"]
    assert sum(d["households"] for d in districts.values()) == 240_821 == graph.graph["households"]
    assert districts["立花地区"]["population"] == 107_051
    assert districts["大庄地区"]["households"] == 27_628
    # 町会加入率(%) 44.6 47.4 68.4 41.6 25.6 39.4 (合計 42.8, kept in the manifest note).
    rates = {name[:2]: d["association_rate"] for name, d in districts.items()}
    assert rates == {"中央": 44.6, "小田": 47.4, "大庄": 68.4, "立花": 41.6, "武庫": 25.6, "園田": 39.4}
    # Age structure per district is not in the seeds and must stay empty.
    assert all("elderly" not in d and "children" not in d for d in districts.values())


def test_member_table_rows_and_marks(graph):
    # 000 連携会議委員名簿及び関係所管事務（令和４年度）: rows No.1–40, No.22 is not in the table,
    # 63 ● in all (eight rows with three ●: No.5, 8, 9, 13, 15, 17, 21, 24).
    table_ties = [(u, v, d) for u, v, d in ties_of(graph, "MEMBER_OF")
                  if d.get("basis", "").startswith("連携会議委員名簿")]
    numbers = Counter(int(re.search(r"No\.(\d+)", d["basis"]).group(1)) for _, _, d in table_ties)
    assert set(numbers) == set(range(1, 41)) - {22}
    assert len(numbers) == 39
    assert sum(numbers.values()) == 63
    assert sorted(n for n, marks in numbers.items() if marks == 3) == [5, 8, 9, 13, 15, 17, 21, 24]
    councils = {uid("council_shisakukan"), uid("council_houkatsu"), uid("council_chiikizukuri")}
    assert {v for _, v, _ in table_ties} == councils


def test_member_table_rows_fixed_by_seed_001(graph):
    # 001 II-1⑥: the 教育委員会 section in charge of スクールソーシャルワーカー (No.39) and the 資産統括局
    # window section (No.10 納税課) sit on the comprehensive-consultation council; 001 I①: 公営企業局
    # (No.38) sits only on that council.
    member = {(u, v) for u, v, _ in ties_of(graph, "MEMBER_OF")}
    for section in ("sec_kodomo_kyoiku_shien", "sec_nouzei", "sec_okyakusama"):
        assert (uid(section), uid("council_houkatsu")) in member
        assert (uid(section), uid("council_shisakukan")) not in member


def test_chair_and_secretariat(graph):
    # 000 名簿 No.13 健康福祉局福祉部長 ＜座長＞; 001 I①: 重層的支援推進担当課が事務局
    # (すべての会議の座長は福祉部長) of 代表者会議 and the three 課長級 councils.
    roles = {(u, v): d.get("role") for u, v, d in ties_of(graph, "MEMBER_OF")}
    for council in ("council_daihyo", "council_shisakukan", "council_houkatsu", "council_chiikizukuri"):
        assert roles[(uid("dept_fukushi"), uid(council))] == "座長"
        assert roles[(uid("sec_jusou_suishin"), uid(council))] == "事務局"
        assert (uid(council), uid("council_suishin")) in {(u, v) for u, v, _ in ties_of(graph, "PART_OF")}
    # 000 代表者会議: 【開催頻度】 年2回程度.
    assert graph.nodes[uid("council_daihyo")]["meetings_per_year"] == 2


def test_facility_counts(graph):
    # 000 尼崎（あま）のご紹介: 地域包括支援センター 12か所, 委託相談支援事業所 8か所, 生涯学習プラザ 12か所;
    # 000 工夫1: エリアマネジャー（6地域振興センター長）; 001 II-4②: 庁内17関係課にクライアントを設置.
    expected = {"houkatsu_centers": 12, "itaku_soudan": 8, "plaza": 12, "chiiki_shinko_centers": 6,
                "post_area_manager": 6, "system_client_sections": 17}
    for local_id, count in expected.items():
        node = graph.nodes[uid(local_id)]
        assert (node["count"], node["aggregate"]) == (count, True), local_id
    aggregates = {d["id"] for d in nodes_of(graph, "Agency").values() if d.get("aggregate")}
    assert aggregates == set(expected)


def test_partner_councils(graph):
    def members(council: str) -> set[str]:
        return {graph.nodes[u]["id"] for u, v, _ in ties_of(graph, "MEMBER_OF") if v == uid(council)}

    # 000 工夫6: 神戸保護観察所、尼崎市保護司会、重層支援推進担当課、福祉相談支援課、尼崎市社会福祉協議会;
    # 2か月に1回定例開催.
    assert members("council_saihan") == {"hogo_kansatsu", "hogoshi_kai", "sec_jusou_suishin",
                                         "sec_fukushi_soudan", "shakyo"}
    assert graph.nodes[uid("council_saihan")]["meetings_per_year"] == 6
    # 000 参画団体一覧（R6.3.1）: №1–10, plus the hub section as secretariat (001 II-1⑥).
    tsunagari = members("council_tsunagari") - {"sec_jusou_suishin"}
    assert len(tsunagari) == 10
    assert all(graph.nodes[uid(m)].get("features") for m in tsunagari)


def test_case_examples_are_organisation_ties(graph):
    # 000 支援のひろがりの事例 №1–5: every pair of organisations in a case is one COLLABORATES_WITH tie
    # whose weight is the number of cases the pair shared and whose basis lists those cases.
    case_ties = [d for _, _, d in ties_of(graph, "COLLABORATES_WITH") if "事例№" in d.get("basis", "")]
    for d in case_ties:
        assert d["weight"] == len(d["basis"].split(";"))
    members: dict[int, set[str]] = {}
    for u, v, d in ties_of(graph, "COLLABORATES_WITH"):
        for case in re.findall(r"事例№(\d)", d.get("basis", "")):
            members.setdefault(int(case), set()).update({u, v})
    # 事例№2 連携機関（8機関等）, №3（７機関）, №5（３機関等）; №2–4 add the hub section from the case flow.
    assert len(members[2] - {uid("sec_jusou_suishin")}) == 8
    assert len(members[3] - {uid("sec_jusou_suishin")}) == 7
    assert len(members[5]) == 3
    # №1 names 5 city sections and 8 outside parties, of which 父・叔父 are people (not nodes): 11.
    assert len(members[1]) == 11
    weight = {frozenset((u, v)): d["weight"] for u, v, d in ties_of(graph, "COLLABORATES_WITH")
              if "事例№" in d.get("basis", "")}
    # 地域課 is in №2–5, 社協 in №2–4: they shared three cases.
    assert weight[frozenset((uid("sec_chiikika"), uid("shakyo")))] == 3
    assert weight[frozenset((uid("sec_jusou_suishin"), uid("sec_fukushi_soudan")))] == 3


def test_no_people_and_every_row_sourced(graph):
    names = " ".join(str(d.get("name", "")) for _, d in graph.nodes(data=True))
    for person in ("父", "叔父", "本人", "姉", "妹"):
        assert person not in names
    for n, d in graph.nodes(data=True):
        assert d["source"].startswith(("000_3e15e575296e7296.txt", "001_f0ce39385d12d51c.txt")), n
    for u, v, d in graph.edges(data=True):
        assert d["source"].startswith(("000_3e15e575296e7296.txt", "001_f0ce39385d12d51c.txt")), (u, v)


def test_hub_section_connects_beyond_welfare(graph):
    # 000/001: 重層的支援推進担当課 links sections, 社協 and outside bodies (司法, 住宅, 医師会 ...).
    hub = uid("sec_jusou_suishin")
    neighbours = set(graph.successors(hub)) | set(graph.predecessors(hub))
    sectors = {graph.nodes[n].get("sector") for n in neighbours if graph.nodes[n]["kind"] == "Agency"}
    assert {"社会福祉協議会", "司法・更生保護", "住まい", "保健・医療", "環境・衛生"} <= sectors
