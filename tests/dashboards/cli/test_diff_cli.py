"""The command line with fiscal years: load two years, `list` shows them, `--year` on every reading command,
`tsunagari diff` with every planted change of tests/fixtures/town_fy2024/README.md, and `export-years`
(dynamic GEXF with spells, long CSVs). On the embedded store, on one shared memory store, and on the Neo4j
test server (skipped without ``TSUNAGARI_NEO4J_URI``)."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from tests.conftest import TOWN, TOWN_FY2023, TOWN_FY2024
from tests.neo4j_support import NEO4J_URI, neo4j_param, wipe_neo4j
from tsunagari.cli import main
from tsunagari.graph.store_memory import MemoryStore

_CLI_MODULES = ("tsunagari.dashboards.cli.store_commands", "tsunagari.dashboards.cli.analysis_commands",
                "tsunagari.dashboards.cli.change_commands", "tsunagari.graph.open")


@pytest.fixture(params=["embedded", "memory", neo4j_param()])
def store_arg(request, tmp_path, monkeypatch):
    """``--store`` of an embedded store in tmp_path, of one memory store every command of the test shares, or of
    the emptied Neo4j test server."""
    if request.param == "embedded":
        return f"embedded://{tmp_path / 'store'}"
    if request.param == "neo4j":
        wipe_neo4j()
        return NEO4J_URI
    import importlib

    shared = MemoryStore()
    for name in _CLI_MODULES:
        monkeypatch.setattr(importlib.import_module(name), "open_store", lambda settings, **kwargs: shared)
    return "memory://"


def _csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _run(capsys, store_arg, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--store", store_arg, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def loaded(store_arg, capsys):
    code, out, err = _run(capsys, store_arg, "load", str(TOWN_FY2023), str(TOWN_FY2024))
    assert code == 0, err
    assert out.count("緑町（99901）: 読み込み完了") == 2
    assert "  年度: 2023年度（令和5年度）" in out and "  年度: 2024年度（令和6年度）" in out
    return store_arg


def test_list_shows_the_years_held(loaded, capsys):
    code, out, _ = _run(capsys, loaded, "list")
    assert (code, out) == (0, "99901\tmidori\t緑町\tMidori\t架空県\t2023,2024\n")
    assert _run(capsys, loaded, "load", str(TOWN))[0] == 0  # no year: the year-unknown snapshot, oldest
    assert _run(capsys, loaded, "list")[1] == "99901\tmidori\t緑町\tMidori\t架空県\tunknown,2023,2024\n"


def test_diff_as_text_names_every_planted_change(loaded, capsys):
    code, out, err = _run(capsys, loaded, "diff", "緑町", "令和5年度", "R6")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "緑町（99901）の経年変化: 2023年度（令和5年度） → 2024年度（令和6年度）"
    for expected in [
        "  追加  住民組織  東谷こども食堂（r_kodomo_higashi）",
        "  削除  事業  移動販売・見守り事業（p_idou_hanbai）",
        "  追加  連携  緑町立みどり学園（a_gakuen） → こども課（a_kodomo）",
        "  追加  担当地域  東谷こども食堂（r_kodomo_higashi） → 東谷地区（higashidani）",
        "  削除  実施・運営  株式会社みどりストア（a_super） → 移動販売・見守り事業（p_idou_hanbai）",
        "  削除  担当地域  移動販売・見守り事業（p_idou_hanbai） → 北山地区（kitayama）",
        "  重み変更  連携  重層的支援推進室（a_jusou） → 緑町社会福祉協議会（a_shakyo）  3.0 → 5.0",
        "  空白解消  東谷地区 × 地域づくり × 子ども  ×0 → △1",
        "  主体の変化  東谷地区 × 地域づくり × 全体  ◎4 → ◎5",
        "  空白発生  北山地区 × 地域づくり × 高齢  △1 → ×0",
        "  主体の変化  北山地区 × 地域づくり × 全体  ◎3 → ◎2",
        "  切断点でなくなった  教育委員会 学校教育課（a_gakkou）  途切れる組 25 → 0（割合 0.077 → 0.000）",
        "  ジニ係数                   0.300 → 0.336  (+0.036)",
        "    東谷地区       20.00 → 26.67",
        "    北山地区       15.00 → 10.00",
    ]:
        assert expected in lines, expected
    english = _run(capsys, loaded, "diff", "midori", "FY2023", "2024", "--lang", "en")[1]
    assert english.startswith("緑町 (99901): what changed from FY2023 to FY2024")
    assert "  gap closed  東谷地区 × Community building × Children  ×0 → △1" in english.splitlines()


def test_diff_as_json_and_csv_has_every_table_exactly(loaded, capsys):
    code, out, _ = _run(capsys, loaded, "diff", "99901", "2023", "2024", "--format", "json")
    tables = json.loads(out)
    assert code == 0 and list(tables) == ["about", "summary", "actors", "ties", "coverage", "brokers", "loss",
                                          "inequality", "districts"]
    assert {r["item"]: r["count"] for r in tables["summary"]} == {
        "actors_added": 1, "actors_removed": 1, "ties_added": 2, "ties_removed": 2, "ties_reweighted": 1,
        "cells_gap_closed": 1, "cells_gap_opened": 1, "cells_thinned": 0, "cells_strengthened": 0,
        "cells_providers": 2, "brokers_rank_changed": 7, "loss_changed": 1, "indices_changed": 4}
    assert [(r["change"], r["id"]) for r in tables["actors"]] == [("added", "r_kodomo_higashi"),
                                                                  ("removed", "p_idou_hanbai")]
    assert [(r["change"], r["kind"], r["from_id"], r["to_id"], r["weight_before"], r["weight_after"])
            for r in tables["ties"]] == [
        ("added", "COLLABORATES_WITH", "a_gakuen", "a_kodomo", None, 1.0),
        ("added", "SERVES", "r_kodomo_higashi", "higashidani", None, 1.0),
        ("removed", "OPERATES", "a_super", "p_idou_hanbai", 1.0, None),
        ("removed", "SERVES", "p_idou_hanbai", "kitayama", 1.0, None),
        ("reweighted", "COLLABORATES_WITH", "a_jusou", "a_shakyo", 3.0, 5.0)]
    assert [(r["change"], r["id"], r["pairs_lost_before"], r["pairs_lost_after"]) for r in tables["loss"]] == [
        ("no_longer_cutpoint", "a_gakkou", 25, 0)]
    gini = next(r for r in tables["inequality"] if r["index"] == "gini")
    assert (round(gini["value_before"], 6), round(gini["value_after"], 6)) == (0.3, 0.336232)
    code, out, _ = _run(capsys, loaded, "diff", "99901", "2023", "2024", "--format", "csv", "--table", "coverage")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["change"], r["district_id"], r["pillar"], r["domain"], r["providers_before"],
                           r["providers_after"]) for r in rows] == [
        ("gap_closed", "higashidani", "地域づくり", "子ども", "0", "1"),
        ("providers", "higashidani", "地域づくり", "全体", "4", "5"),
        ("gap_opened", "kitayama", "地域づくり", "高齢", "1", "0"),
        ("providers", "kitayama", "地域づくり", "全体", "3", "2")]


def test_every_reading_command_takes_year_and_defaults_to_the_latest(loaded, capsys, tmp_path):
    def kitayama_elderly(*year):
        code, out, err = _run(capsys, loaded, "gaps", "緑町", *year, "--format", "csv", "--table", "cube")
        assert code == 0, err
        [row] = [r for r in csv.DictReader(io.StringIO(out)) if r["district_id"] == "kitayama"
                 and r["pillar"] == "地域づくり" and r["domain"] == "高齢"]
        return row["level"], row["providers"]

    assert kitayama_elderly() == ("none", "0") == kitayama_elderly("--year", "2024")
    assert kitayama_elderly("--year", "2023") == ("thin", "1") == kitayama_elderly("--year", "令和5年度")
    summary_2023 = _run(capsys, loaded, "summary", "緑町", "--year", "2023")[1]
    summary_2024 = _run(capsys, loaded, "summary", "緑町")[1]
    assert "住民組織: 12" in summary_2023 and "住民組織: 13" in summary_2024
    assert summary_2023.splitlines()[0] == "緑町 (99901)  架空県  2023年度（令和5年度）"
    assert summary_2024.splitlines()[0] == "緑町 (99901)  架空県  2024年度（令和6年度）"
    code, out, _ = _run(capsys, loaded, "inequality", "緑町", "--year", "2023", "--format", "csv")
    kitayama = next(r for r in csv.DictReader(io.StringIO(out)) if r["district_id"] == "kitayama")
    assert code == 0 and kitayama["units"] == "3"
    code, out, _ = _run(capsys, loaded, "metrics", "緑町", "--year", "2023", "--out", str(tmp_path / "m2023"))
    nodes = _csv(tmp_path / "m2023" / "nodes.csv")
    assert code == 0 and "r_kodomo_higashi" not in {r["id"] for r in nodes} and len(nodes) == 28


@pytest.mark.parametrize("args", [("summary", "緑町"), ("gaps", "緑町"), ("inequality", "緑町"),
                                  ("metrics", "緑町", "--out", "unused"), ("report", "緑町", "--out", "r.html"),
                                  ("delete", "緑町", "--yes")])
def test_an_unknown_year_is_exit_2_with_the_years_held(loaded, capsys, args):
    code, out, err = _run(capsys, loaded, *args, "--year", "2022")
    assert (code, out) == (2, "")
    assert err == ("緑町（99901）の年度 2022 はストアにありません。保持している年度: 2023, 2024"
                   "（--year にこのどれかを指定してください。unknown = 年度不明）。\n")
    code, _, err = _run(capsys, loaded, *args, "--year", "来年度")
    assert code == 2 and "年度「来年度」を読めません" in err


def test_diff_of_a_year_not_held_is_exit_2(loaded, capsys):
    code, _, err = _run(capsys, loaded, "diff", "緑町", "2022", "2024")
    assert code == 2 and "年度 2022 はストアにありません" in err


def test_delete_with_year_removes_only_that_year(loaded, capsys):
    code, out, _ = _run(capsys, loaded, "delete", "緑町", "--year", "2024", "--yes")
    assert (code, out) == (0, "緑町（99901, 2024年度（令和6年度））を削除しました。\n")
    assert _run(capsys, loaded, "list")[1] == "99901\tmidori\t緑町\tMidori\t架空県\t2023\n"
    assert _run(capsys, loaded, "delete", "緑町", "--yes")[0] == 0
    assert _run(capsys, loaded, "list")[1].startswith("ストアに市町村はありません")


def test_export_years_writes_a_dynamic_gexf_whose_spells_survive_and_long_csvs(loaded, capsys, tmp_path):
    out_dir = tmp_path / "years"
    code, out, err = _run(capsys, loaded, "export-years", "緑町", "--out", str(out_dir))
    assert code == 0, err
    assert [line.rsplit("/", 1)[1] for line in out.splitlines()] == [
        "network-years.gexf", "nodes_by_year.csv", "ties_by_year.csv", "coverage_by_year.csv",
        "districts_by_year.csv", "manifest.json"]
    graph = nx.read_gexf(out_dir / "network-years.gexf")
    assert graph.graph["mode"] == "dynamic" and graph.number_of_nodes() == 29  # 28 actors + r_kodomo_higashi
    assert graph.nodes["99901:r_kodomo_higashi"]["spells"] == [("2024-04-01", "2025-03-31")]
    assert graph.nodes["99901:a_jusou"]["spells"] == [("2023-04-01", "2025-03-31")]  # both years: one spell
    assert graph.edges["99901:a_gakuen", "99901:a_kodomo"]["spells"] == [("2024-04-01", "2025-03-31")]
    assert graph.edges["99901:a_gakuen", "99901:a_gakkou"]["spells"] == [("2023-04-01", "2025-03-31")]
    assert graph.nodes["99901:a_gakuen"]["degree"] == [(1, "2023-04-01", "2024-03-31"), (2, "2024-04-01", "2025-03-31")]
    assert graph.nodes["99901:a_gakuen"]["betweenness"][0] == (0.0, "2023-04-01", "2024-03-31")
    ties = _csv(out_dir / "ties_by_year.csv")
    assert sorted({r["fiscal_year"] for r in ties}) == ["2023", "2024"]
    assert sum(r["fiscal_year"] == "2023" for r in ties) == 109 == sum(r["fiscal_year"] == "2024" for r in ties)
    assert [r["fiscal_year"] for r in ties if r["to_id"] == "p_idou_hanbai"] == ["2023"]
    nodes = _csv(out_dir / "nodes_by_year.csv")
    assert (sum(r["fiscal_year"] == "2023" for r in nodes), sum(r["fiscal_year"] == "2024" for r in nodes)) == (28, 29)
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    assert [y["fiscal_year"] for y in manifest["years"]] == [2023, 2024]
    code, _, err = _run(capsys, loaded, "export-years", "緑町", "--out", str(out_dir))
    assert code == 2 and str(out_dir) in err  # the folder is not empty
