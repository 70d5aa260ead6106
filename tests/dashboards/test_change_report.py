"""The meeting paper's change section (前年度からの変化): present, in HTML and PDF, when the store holds an
earlier fiscal year, with the planted changes of tests/fixtures/town_fy2024/README.md; absent otherwise."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import tsunagari as tg
from tests.conftest import TOWN, TOWN_FY2023, TOWN_FY2024
from tests.dashboards.test_council_report import Page
from tsunagari.analysis.change import municipality_change
from tsunagari.dashboards.cli import main
from tsunagari.dashboards.council_report import build_report


@pytest.fixture(scope="module")
def graphs():
    return tg.package_graph(tg.read_package(TOWN_FY2023)), tg.package_graph(tg.read_package(TOWN_FY2024))


@pytest.fixture(scope="module")
def pages(graphs):
    before, after = graphs
    return {lang: Page(build_report(after, lang=lang, previous=before)) for lang in ("ja", "en")}


def test_the_section_and_its_place_in_the_contents(pages):
    ja = pages["ja"]
    assert ja.headings["h2"][-2:] == ["5. 前年度からの変化", "6. 計算条件と指標の出典"]
    assert pages["en"].headings["h2"][-2:] == ["5. What changed since the previous year", "6. Parameters and references"]
    assert dict(ja.tables["table-meta"])["年度"] == "2024年度（令和6年度）"


def test_the_counts_and_every_planted_change(pages, graphs):
    ja = pages["ja"]
    assert ja.cards["cards-change"] == {"追加された機関・組織など": "1", "なくなった機関・組織など": "1",
                                        "追加された関係": "2", "なくなった関係": "2", "空白が解消したセル": "1",
                                        "空白になったセル": "1"}
    coverage = ja.tables["table-change-coverage"]
    assert coverage[0] == ["変化", "地区", "事業区分", "対象者の属性", "充足状況（前）", "充足状況（後）",
                           "提供主体数（前）", "提供主体数（後）"]
    assert coverage[1:] == [["空白解消", "東谷地区", "地域づくり", "子ども", "×", "△", "0", "1"],
                            ["主体の変化", "東谷地区", "地域づくり", "全体", "◎", "◎", "4", "5"],
                            ["空白発生", "北山地区", "地域づくり", "高齢", "△", "×", "1", "0"],
                            ["主体の変化", "北山地区", "地域づくり", "全体", "◎", "◎", "3", "2"]]
    assert [row[:4] for row in ja.tables["table-change-actors"][1:]] == [
        ["追加", "住民組織", "東谷こども食堂", "r_kodomo_higashi"], ["削除", "事業", "移動販売・見守り事業", "p_idou_hanbai"]]
    ties = ja.tables["table-change-ties"][1:]
    assert [row[0] for row in ties] == ["追加", "追加", "削除", "削除", "重み変更"]
    assert ties[-1] == ["重み変更", "連携", "重層的支援推進室", "緑町社会福祉協議会", "—", "3.0", "5.0"]
    assert ja.tables["table-change-loss"][1][:6] == ["切断点でなくなった", "教育委員会 学校教育課", "はい", "いいえ",
                                                   "25", "0"]
    gini = next(row for row in ja.tables["table-change-inequality"][1:] if row[0] == "ジニ係数")
    assert gini[1:4] == ["0.300", "0.336", "0.036"]
    brokers = ja.tables["table-change-brokers"][1:]
    expected = municipality_change(*graphs).brokers
    assert [row[1] for row in brokers] == expected["name"].tolist()


def test_no_previous_year_no_section(graphs):
    page = Page(build_report(graphs[0]))
    assert "table-change-coverage" not in page.tables and page.headings["h2"][-1] == "5. 計算条件と指標の出典"
    assert dict(page.tables["table-meta"])["年度"] == "2023年度（令和5年度）"


def test_the_cli_paper_compares_with_the_year_before_in_html_and_pdf(store_url, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(TOWN_FY2023), str(TOWN_FY2024), str(TOWN)]) == 0
    html = tmp_path / "paper.html"
    assert main(["--store", store_url, "report", "緑町", "--out", str(html)]) == 0
    page = Page(html.read_text("utf-8"))
    assert "5. 前年度からの変化" in page.headings["h2"]
    assert page.cards["cards-change"]["空白が解消したセル"] == "1"
    # the oldest dated year has no year before it (the year-unknown snapshot is older, not "the previous year")
    assert main(["--store", store_url, "report", "緑町", "--year", "2023", "--out", str(html)]) == 0
    assert "table-change-coverage" not in Page(html.read_text("utf-8")).tables
    pdf = tmp_path / "会議資料.pdf"
    assert main(["--store", store_url, "report", "緑町", "--out", str(pdf)]) == 0
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "前年度からの変化" in text and "東谷こども食堂" in text and "空白解消" in text
