"""`tsunagari diff` on 川辺町 (tests/fixtures/town_c_fy2022 → town_c_fy2023) through the public entry
``tsunagari.cli.main``, with the embedded store: csv and json give the README's hand-worked answers; `list`
shows both years, `--year` picks each, deleting one year keeps the other, reloading one year replaces only it."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import TOWN_C_FY2022, TOWN_C_FY2023
from tsunagari.cli import main

LIST_LINE = "99903\tkawabe\t川辺町\tKawabe\t架空県\t{years}\n"


def _run(capsys, store, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--store", store, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(tmp_path, capsys):
    store = f"embedded://{tmp_path / 'store'}"
    code, out, err = _run(capsys, store, "load", str(TOWN_C_FY2022), str(TOWN_C_FY2023))
    assert code == 0, err
    assert out.count("川辺町（99903）: 読み込み完了") == 2
    assert "  年度: 2022年度（令和4年度）" in out and "  年度: 2023年度（令和5年度）" in out
    return store


def _csv_table(capsys, store, table, *years):
    code, out, err = _run(capsys, store, "diff", "川辺町", *(years or ("令和4年度", "R5")), "--format", "csv",
                          "--table", table)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_diff_json_has_the_hand_worked_counts_and_rows(store, capsys):
    code, out, err = _run(capsys, store, "diff", "kawabe", "2022", "2023", "--format", "json")
    assert code == 0, err
    tables = json.loads(out)
    assert tables["about"][0]["fiscal_year_before"] == 2022 and tables["about"][0]["fiscal_year_after"] == 2023
    assert {r["item"]: r["count"] for r in tables["summary"]} == {
        "actors_added": 1, "actors_removed": 1, "ties_added": 7, "ties_removed": 7, "ties_reweighted": 1,
        "cells_gap_closed": 4, "cells_gap_opened": 2, "cells_thinned": 1, "cells_strengthened": 1,
        "cells_providers": 8, "brokers_rank_changed": 5, "loss_changed": 4, "indices_changed": 5}
    assert [(r["change"], r["id"]) for r in tables["actors"]] == [("added", "r_kodomo"),
                                                                  ("removed", "r_jichi_minato")]
    assert [(r["change"], r["kind"], r["from_id"], r["to_id"], r["role"]) for r in tables["ties"]
            if r["kind"] in ("COLLABORATES_WITH", "MEMBER_OF", "REFERS_TO")] == [
        ("added", "COLLABORATES_WITH", "a_npo", "r_kodomo", None),
        ("added", "MEMBER_OF", "a_houkatsu", "c_kaigi", "座長"),
        ("removed", "COLLABORATES_WITH", "a_school", "a_shakyo", None),
        ("removed", "MEMBER_OF", "a_houkatsu", "c_kaigi", "委員"),
        ("reweighted", "REFERS_TO", "a_houkatsu", "a_fuku", None)]
    reweighted = next(r for r in tables["ties"] if r["change"] == "reweighted")
    assert (reweighted["weight_before"], reweighted["weight_after"]) == (1.0, 3.0)
    assert [(r["change"], r["id"], r["rank_before"], r["rank_after"], r["rank_change"]) for r in tables["brokers"]] == [
        ("rose", "a_houkatsu", 3, 2, 1), ("rose", "a_kyoiku", 4, 3, 1), ("rose", "a_npo", 6, 4, 2),
        ("fell", "a_shakyo", 2, 5, -3), ("fell", "a_school", 5, 6, -1)]
    assert sorted((r["change"], r["id"], r["pairs_lost_before"], r["pairs_lost_after"]) for r in tables["loss"]) == [
        ("became_cutpoint", "a_kyoiku", 0, 6), ("became_cutpoint", "a_npo", 0, 6),
        ("more_lost", "a_fuku", 5, 16), ("more_lost", "a_shakyo", 5, 6)]
    gini = {r["index"]: (round(r["value_before"], 6), round(r["value_after"], 6)) for r in tables["inequality"]}
    assert gini["gini"] == (0.261628, 0.245723) and gini["gini_corrected"] == (0.348837, 0.368585)
    assert gini["theil_t"] == (0.117321, 0.153297)


def test_diff_csv_coverage_and_districts(store, capsys):
    rows = _csv_table(capsys, store, "coverage")
    got = sorted((r["change"], r["district_id"], r["pillar"], r["domain"], r["providers_before"], r["providers_after"])
                 for r in rows)
    assert got == sorted([
        ("gap_closed", "kami", "多機関協働", "ひきこもり", "0", "1"),
        ("gap_closed", "naka", "多機関協働", "ひきこもり", "0", "1"),
        ("gap_closed", "shimo", "多機関協働", "ひきこもり", "0", "1"),
        ("gap_closed", "naka", "地域づくり", "子ども", "0", "2"),
        ("gap_opened", "naka", "参加支援", "子ども", "1", "0"),
        ("gap_opened", "naka", "参加支援", "全体", "1", "0"),
        ("thinned", "kami", "地域づくり", "高齢", "2", "1"),
        ("strengthened", "naka", "地域づくり", "高齢", "1", "2"),
        ("providers", "kami", "地域づくり", "全体", "3", "2"),
        ("providers", "naka", "地域づくり", "全体", "2", "5"),
        *(("providers", d, "包括的相談支援", "生活困窮", "1", "1") for d in ("kami", "naka", "shimo")),
        *(("providers", d, "包括的相談支援", "全体", "2", "2") for d in ("kami", "naka", "shimo"))])
    districts = {r["district_id"]: (r["units_before"], r["units_after"]) for r in _csv_table(capsys, store, "districts")}
    assert districts == {"kami": ("3", "2"), "naka": ("3", "5"), "shimo": ("1", "1"), "minato": ("1", "")}


def test_list_year_delete_and_reload_one_year(store, capsys, tmp_path):
    assert _run(capsys, store, "list")[1] == LIST_LINE.format(years="2022,2023")

    def units_by_district(*year):
        code, out, err = _run(capsys, store, "inequality", "川辺町", *year, "--format", "csv")
        assert code == 0, err
        return {r["district_id"]: r["units"] for r in csv.DictReader(io.StringIO(out))}

    assert units_by_district("--year", "2022") == {"kami": "3", "naka": "3", "shimo": "1", "minato": "1"}
    assert units_by_district("--year", "令和4年度") == units_by_district("--year", "2022")
    assert units_by_district("--year", "R5") == {"kami": "2", "naka": "5", "shimo": "1"} == units_by_district()  # default latest
    summary_2022 = _run(capsys, store, "summary", "川辺町", "--year", "2022")[1]
    assert summary_2022.splitlines()[0] == "川辺町 (99903)  架空県  2022年度（令和4年度）"

    # reload FY2022 changed (one more 自治会 in 上流): only FY2022 is replaced
    changed = tmp_path / "town_c_fy2022_changed"
    shutil.copytree(TOWN_C_FY2022, changed)
    with (changed / "resident_groups.csv").open("a", encoding="utf-8") as handle:
        handle.write("r_extra,上流第二自治会,,自治会・町会,,kami,,,架空（テスト用）再読み込み,\n")
    fy2023_before = _run(capsys, store, "diff", "川辺町", "2023", "2023", "--format", "json")[1]
    code, out, err = _run(capsys, store, "load", str(changed))
    assert code == 0 and "川辺町（99903）: 読み込み完了" in out and "2022年度" in out, err
    assert units_by_district("--year", "2022")["kami"] == "4"
    assert units_by_district("--year", "2023") == {"kami": "2", "naka": "5", "shimo": "1"}
    code, out, _ = _run(capsys, store, "load", str(TOWN_C_FY2023))
    assert code == 0 and "川辺町（99903）: 変更なし（同じ内容が読み込み済み）" in out  # FY2023 untouched
    assert _run(capsys, store, "diff", "川辺町", "2023", "2023", "--format", "json")[1] == fy2023_before
    assert _run(capsys, store, "list")[1] == LIST_LINE.format(years="2022,2023")

    # delete one year: the other stays
    code, out, _ = _run(capsys, store, "delete", "川辺町", "--year", "令和4年度", "--yes")
    assert (code, out) == (0, "川辺町（99903, 2022年度（令和4年度））を削除しました。\n")
    assert _run(capsys, store, "list")[1] == LIST_LINE.format(years="2023")
    assert units_by_district() == {"kami": "2", "naka": "5", "shimo": "1"}
    code, _, err = _run(capsys, store, "inequality", "川辺町", "--year", "2022")
    assert code == 2 and "保持している年度: 2023" in err
    assert _run(capsys, store, "diff", "川辺町", "2022", "2023")[0] == 2


def test_diff_text_tells_the_role_change_and_the_swapped_provider(store, capsys):
    code, out, err = _run(capsys, store, "diff", "川辺町", "令和4年度", "R5")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "川辺町（99903）の経年変化: 2022年度（令和4年度） → 2023年度（令和5年度）"
    for expected in [
        "  追加  構成員  川辺町地域包括支援センター（a_houkatsu） → 重層的支援会議（c_kaigi）  役割 座長",
        "  削除  構成員  川辺町地域包括支援センター（a_houkatsu） → 重層的支援会議（c_kaigi）  役割 委員",
        "  重み変更  つなぎ・相談  川辺町地域包括支援センター（a_houkatsu） → 福祉課（a_fuku）  1.0 → 3.0",
        "  追加  連携  NPO法人かわべ結び（a_npo） → 中流子ども食堂（r_kodomo）",
        "  主体の変化  下流地区 × 包括的相談支援 × 生活困窮  △1 → △1",
        "  単一化  上流地区 × 地域づくり × 高齢  ◎2 → △1",
        "  切断点に  教育委員会 事務局（a_kyoiku）  途切れる組 0 → 6（割合 0.000 → 0.286）",
    ]:
        assert expected in lines, expected
    coverage = lines[lines.index("カバー状況が変わったセル（地区 × 事業区分 × 対象者の属性・ニーズ、提供主体数）") + 1:]
    coverage = coverage[:coverage.index("")]
    assert len(coverage) == 16 and not any("港地区" in line for line in coverage)
    assert not any("川辺町社会福祉協議会（a_shakyo） → 川辺町地域包括支援センター" in line or
                   "川辺町地域包括支援センター（a_houkatsu） → 川辺町社会福祉協議会" in line for line in lines)
