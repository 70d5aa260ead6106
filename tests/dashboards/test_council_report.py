"""`tsunagari report`: one self-contained, printable HTML file whose figures are the analysis functions'."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tsunagari.analysis import inequality
from tsunagari.analysis.coverage import ANY_DOMAIN
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.dashboards.text.ranking import format_ranking
from tsunagari.cli import main
from tsunagari.dashboards.council_report import REFERENCES
from tsunagari.dashboards.coverage_cells import gap_counts, level_symbols
from tsunagari.graph.open import open_store
from tsunagari.samples import sample_path
from tsunagari.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MINI, AMAGASAKI = "99999", "28202"
HOSTILE = "<script>alert(1)</script>"
VOID = {"meta", "img", "br", "hr", "link", "input", "col", "wbr", "source"}
HEADINGS = {
    "ja": ["要点", "1. 概要", "2. 地区ごとの支援の空白", "3. ネットワークをつなぐ機関（橋渡し役）", "4. 地区間の資源の格差",
           "5. 計算条件と指標の出典"],
    "en": ["Key points", "1. Overview", "2. Coverage gaps by district", "3. Who holds the network together",
           "4. Resource inequality between districts", "5. Parameters and references"],
}


class Page(HTMLParser):
    """What a report shows: tables and cards by id, headings, resource attributes, images; checks nesting."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.html_lang: str | None = None
        self.charset: str | None = None
        self.resources: list[str] = []  # every src and href value
        self.images: list[str] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.tables: dict[str, list[list[str]]] = {}
        self.cards: dict[str, dict[str, str]] = {}
        self.tags: list[str] = []
        self._table: str | None = None
        self._card: str | None = None
        self._cell: list[str] | None = None
        self._heading: str | None = None
        self._card_text: list[str] = []
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed elements: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        self.resources += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "meta" and "charset" in a:
            self.charset = a["charset"]
        if tag == "img":
            self.images.append(a.get("src") or "")
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "table":
            self._table = a.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "ul" and "cards" in (a.get("class") or ""):
            self._card = a.get("id")
            self.cards[self._card or ""] = {}
        elif tag == "li" and self._card is not None:
            self._card_text = []
        elif tag in self.headings:
            self._heading = tag
            self.headings[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "li" and self._card is not None:
            label, value = self._card_text
            self.cards[self._card][label] = value
        elif tag == "ul":
            self._card = None
        elif tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._card is not None and self.stack[-1] == "span":
            self._card_text.append(data)
        if self._heading:
            self.headings[self._heading][-1] += data


@pytest.fixture(scope="module")
def report_store(tmp_path_factory) -> str:
    """A store holding the mini package and the 尼崎市 sample."""
    url = f"embedded://{tmp_path_factory.mktemp('report') / 'store'}"
    assert main(["--store", url, "load", str(ROOT / "tests" / "fixtures" / "mini"),
                 str(sample_path("amagasaki"))]) == 0
    return url


@pytest.fixture(scope="module")
def graphs(report_store):
    with open_store(Settings(store_url=report_store)) as store:
        return {code: store.read_graph(code) for code in (MINI, AMAGASAKI)}


@pytest.fixture(scope="module")
def reports(report_store, tmp_path_factory) -> dict[tuple[str, str], tuple[Path, str]]:
    """(code, lang) → (folder, HTML) written by the command, once per module."""
    written = {}
    for code in (MINI, AMAGASAKI):
        for lang in ("ja", "en"):
            folder = tmp_path_factory.mktemp(f"out-{code}-{lang}")
            args = ["--store", report_store, "report", code, "--out", str(folder / "report.html")]
            if lang == "en":
                args[2:2] = ["--lang", "en"]  # the global option, as for the other commands
            assert main(args) == 0
            written[(code, lang)] = (folder, (folder / "report.html").read_text("utf-8"))
    return written


@pytest.mark.parametrize("code", [MINI, AMAGASAKI])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_one_self_contained_file_that_parses(reports, code, lang):
    folder, text = reports[(code, lang)]
    assert [p.name for p in folder.iterdir()] == ["report.html"]
    page = Page(text)
    assert page.html_lang == lang and page.charset == "utf-8"
    assert text.startswith("<!DOCTYPE html>\n<html lang=")
    assert not [r for r in page.resources if re.match(r"\s*(https?:)?//", r, re.I)]
    assert all(r.startswith(("#", "data:image/png;base64,")) for r in page.resources)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*https?://", text, re.I)
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
    assert "url(" not in text and "@import" not in text
    assert "@page { size: A4;" in text and "break-before: page" in text
    assert '"Noto Sans CJK JP"' in text and '"Hiragino Kaku Gothic ProN"' in text
    assert page.headings["h2"] == HEADINGS[lang]


@pytest.mark.parametrize("code", [MINI, AMAGASAKI])
def test_images_are_embedded_pngs(reports, code):
    _, text = reports[(code, "ja")]
    page = Page(text)
    assert len(page.images) == 7  # gap map, heatmap, network map, raw and per-capita bars, district map, Lorenz curve
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("code", [MINI, AMAGASAKI])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_bridging_figures_are_the_cli_figures(reports, graphs, code, lang):
    nodes = compute_metrics(graphs[code]).nodes
    page = Page(reports[(code, lang)][1])
    ranking = page.tables["table-ranking"]
    top = nodes.sort_values("betweenness_rank").head(10)
    assert len(ranking) == 1 + len(top)
    cli = format_ranking(nodes, top=10, lang=lang).splitlines()[1:]
    for row, actor, line in zip(ranking[1:], top.itertuples(index=False), cli):
        assert row[0] == str(actor.betweenness_rank)
        assert row[3] == f"{actor.betweenness:.3f}"
        assert row[4] == f"{actor.brokerage_cross_group:,}" and row[5] == str(actor.brokerage_rank)
        assert row[6] == f"{actor.pairs_lost_share:.1%}" and row[7] == str(actor.loss_rank)
        mark = (" (aggregate)" if lang == "en" else "（集約）") if actor.aggregate else ""
        assert row[1] == f"{actor.name}{mark}"
        assert f"{actor.betweenness_rank}. {row[1]} [{row[2]}]" in line  # same name and sector as the CLI
        assert f" {row[3]} " in line and f" {row[6]}" in line
    losing = nodes[(nodes["pairs_lost"] > 0) | (nodes["isolated_after"] > 0)].sort_values("loss_rank").head(10)
    loss = page.tables["table-loss"]
    assert [r[:2] for r in loss[1:]] == [[str(r.loss_rank), r.name + (
        ((" (aggregate)" if lang == "en" else "（集約）") if r.aggregate else ""))] for r in losing.itertuples()]
    assert [r[3] for r in loss[1:]] == [f"{v:,}" for v in losing["pairs_lost"]]


def test_amagasaki_top_bridge(reports):
    ranking = Page(reports[(AMAGASAKI, "ja")][1]).tables["table-ranking"]
    assert ranking[0][:4] == ["順位", "名称", "所管領域", "媒介中心性"]
    # PART_OF is in the network by default: the hierarchy links sections, so the hub loses fewer pairs.
    assert ranking[1] == ["1", "重層的支援推進担当課", "福祉", "0.523", "4,132", "1", "5.9%", "1"]


@pytest.mark.parametrize("code", [MINI, AMAGASAKI])
def test_gap_figures_are_the_analysis_figures(reports, graphs, code):
    cube = coverage_gaps(graphs[code]).cube
    counts = gap_counts(cube, ANY_DOMAIN)
    page = Page(reports[(code, "ja")][1])
    assert page.cards["cards-gaps"] == {"空白（提供なし）": str(counts["none"]), "手薄（1主体のみ）": str(counts["thin"]),
                                        "全域の機関のみ": str(counts["city_only"])}
    cells = cube[cube["domain"] == ANY_DOMAIN]
    symbols = dict(zip(zip(cells["district"], cells["pillar"]), level_symbols(cells)))
    levels = page.tables["table-levels"]
    pillars = levels[0][1:]
    assert [row[0] for row in levels[1:]] == list(dict.fromkeys(cells["district"]))
    assert {(row[0], p): s for row in levels[1:] for p, s in zip(pillars, row[1:])} == symbols
    page_en = Page(reports[(code, "en")][1])
    assert page_en.cards["cards-gaps"] == {"Gaps (no provider)": str(counts["none"]),
                                           "Thin (one provider)": str(counts["thin"]),
                                           "City-wide only": str(counts["city_only"])}


def test_amagasaki_gap_counts_and_unaddressed_needs(reports):
    page = Page(reports[(AMAGASAKI, "ja")][1])
    assert page.cards["cards-gaps"] == {"空白（提供なし）": "0", "手薄（1主体のみ）": "6", "全域の機関のみ": "18"}
    assert page.cards["cards-needs"] == {"対応の記録がないニーズ": "0"}
    councils = page.tables["table-councils"]
    assert councils[0][0] == "構成の状況"  # the deciding column first
    assert sum(row[0] == "福祉領域のみ（縦割りの可能性）" for row in councils[1:]) == 5  # as `tsunagari gaps` lists


@pytest.mark.parametrize("code", [MINI, AMAGASAKI])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_inequality_figures_are_the_analysis_figures(reports, graphs, code, lang):
    frames = district_inequality(graphs[code], per="population")
    mine = frames.indices.set_index("index")
    page = Page(reports[(code, lang)][1])
    gini, theil = ("Gini", "Theil T") if lang == "en" else ("ジニ係数", "タイル指数 T")
    assert page.cards["cards-inequality"][gini] == f"{mine.loc['gini', 'value']:.3f}"
    assert page.cards["cards-inequality"][theil] == f"{mine.loc['theil_t', 'value']:.3f}"
    indices = page.tables["table-indices"]
    assert [row[1] for row in indices[1:]] == [f"{v:.3f}" if v == v else "—" for v in mine["value"]]
    # max/min of districts with no resource: reason as text, not code (尼崎's districts all have resources now)
    reasons = {"ja": "最小値が0", "en": "the smallest value is 0"}[lang] if code == MINI else ""
    assert indices[-1][3] == reasons
    districts = page.tables["table-inequality-districts"]
    assert [row[0] for row in districts[1:]] == frames.districts["district"].tolist()
    assert [row[5] for row in districts[1:]] == [f"{v:.2f}" for v in frames.districts["value"]]


def test_amagasaki_gini(reports):
    page = Page(reports[(AMAGASAKI, "ja")][1])
    assert page.cards["cards-inequality"] == {"ジニ係数": "0.130", "タイル指数 T": "0.030", "変動係数": "0.238"}


def test_cover_names_the_data(reports, graphs):
    page = Page(reports[(AMAGASAKI, "ja")][1])
    meta = dict(page.tables["table-meta"])
    assert page.headings["h1"] == ["尼崎市 — 重層的支援体制 連携ネットワークの点検（会議資料）"]
    assert meta["市町村"] == "尼崎市（28202）"
    assert meta["時点"] == "R5/3/31" and meta["人口"] == "458,313"
    # cited by the document's title (the manifest's `documents`), not its file name
    assert meta["出典"] == ("『連携・協働のプロセス スタートは支援者の困りごとから（尼崎市 重層的支援推進担当、2024年3月19日）』"
                          "尼崎（あま）のご紹介")
    assert graphs[AMAGASAKI].graph["source"] == "000_3e15e575296e7296.txt 尼崎（あま）のご紹介"
    assert "内容ハッシュ" not in meta and "作成ツール" not in meta  # for the technical appendix, not the cover
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d\d（日本時間）", meta["作成日時"])
    technical = dict(page.tables["table-technical"])
    assert technical["内容ハッシュ"] == graphs[AMAGASAKI].graph["content_hash"]
    assert technical["作成ツール"] == "tsunagari 0.1.0"
    en = Page(reports[(AMAGASAKI, "en")][1])
    assert dict(en.tables["table-meta"])["Municipality"] == "Amagasaki (28202)"
    assert dict(en.tables["table-technical"])["Content hash"] == technical["内容ハッシュ"]
    assert dict(en.tables["table-meta"])["Generated"].endswith(" JST")


def test_references_are_those_of_the_docs():
    known = " ".join(((ROOT / "docs" / "metrics.md").read_text("utf-8") + (inequality.__doc__ or "")).split())
    assert [r for r in REFERENCES if r not in known] == []


def test_hostile_names_are_escaped(mini_copy, store_url, tmp_path, capsys):
    agencies = mini_copy / "agencies.csv"
    agencies.write_text(agencies.read_text("utf-8").replace("重層的支援推進担当課", HOSTILE), "utf-8")
    districts = mini_copy / "districts.csv"
    districts.write_text(districts.read_text("utf-8").replace("北地区", "北<img src=x onerror=alert(2)>"), "utf-8")
    assert main(["--store", store_url, "load", str(mini_copy)]) == 0
    out = tmp_path / "hostile.html"
    assert main(["--store", store_url, "report", MINI, "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "<script" not in text.lower() and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = Page(text)
    assert page.tables["table-ranking"][1][1] == HOSTILE  # the top bridge, shown as text
    assert page.tables["table-levels"][1][0] == "北<img src=x onerror=alert(2)>"
    assert all(src.startswith("data:image/png;base64,") for src in page.images)


def test_missing_folder_exit_2_nothing_written(report_store, tmp_path, capsys):
    missing = tmp_path / "no-such-folder"
    assert main(["--store", report_store, "report", MINI, "--out", str(missing / "r.html")]) == 2
    err = capsys.readouterr().err
    assert f"出力先のフォルダ `{missing}` がありません" in err and f"The output folder `{missing}` does not exist" in err
    assert not missing.exists()
    assert main(["--store", report_store, "report", MINI, "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_municipality_exit_2(report_store, tmp_path, capsys):
    assert main(["--store", report_store, "report", "大阪市", "--out", str(tmp_path / "r.html")]) == 2
    assert "tsunagari load" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_rewrite_replaces_the_file_and_leaves_no_temporary(report_store, tmp_path, capsys):
    out = tmp_path / "r.html"
    out.write_text("old", "utf-8")
    assert main(["--store", report_store, "report", "testshi", "--out", str(out), "--lang", "en",
                 "--per", "units"]) == 0
    assert capsys.readouterr().out == f"{out}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    page = Page(out.read_text("utf-8"))
    assert page.html_lang == "en" and len(page.images) == 6  # raw units: no per-capita bars (the district map of counts)
    assert page.tables["table-inequality-districts"][0] == ["District", "Layer", "Local resource units",
                                                            "City-wide resource units"]


def test_precomputed_results_give_the_same_paper(graphs):
    # The dashboard hands in its cached results; the paper must be the one computed from the graph.
    from datetime import datetime, timezone

    from tsunagari.analysis import summarize
    from tsunagari.dashboards.council_report import build_report

    graph = graphs[AMAGASAKI]
    when = datetime(2026, 12, 1, tzinfo=timezone.utc)
    given = build_report(graph, lang="en", generated=when, summary=summarize(graph), gaps=coverage_gaps(graph),
                         metrics=compute_metrics(graph), inequality=district_inequality(graph))
    assert given == build_report(graph, lang="en", generated=when)


def test_the_paper_opens_with_key_points_and_keeps_hashes_for_the_appendix():
    from datetime import datetime, timezone

    import tsunagari as tg
    from tsunagari.dashboards.council_report import build_report
    from tests.conftest import TOWN

    graph = tg.package_graph(tg.read_package(TOWN))
    graph.graph["content_hash"] = "f" * 64
    page = build_report(graph, generated=datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc))
    summary = page[page.index('id="sec-summary"'):page.index('id="sec-overview"')]
    # 緑町: 8050問題 is handled by a council, 多頭飼育 by no one (town README facts 8 and 9).
    assert "対応の記録がないニーズ: 1 件（多頭飼育）" in summary
    assert "機関どうしをもっとも多く橋渡ししているのは" in summary
    assert "2026年12月2日 8:30（日本時間）" in page[:page.index('id="sec-summary"')]
    cover = page[:page.index('id="sec-summary"')]
    assert "f" * 64 not in cover and "tsunagari " not in cover.split("<body>")[1]
    appendix = page[page.index('id="sec-about"'):]
    assert "f" * 64 in appendix


@pytest.mark.parametrize("with_change", [False, True])
def test_the_contents_number_each_chapter_as_its_heading_does(with_change):
    # The contents listed 要点 as 1., so "3. 地区ごとの支援の空白" led to the heading "2. 地区ごとの支援の空白".
    import re

    import tsunagari as tg
    from tests.conftest import TOWN_FY2023, TOWN_FY2024
    from tsunagari.dashboards.council_report import build_report

    before, after = (tg.package_graph(tg.read_package(p)) for p in (TOWN_FY2023, TOWN_FY2024))
    page = build_report(after, previous=before if with_change else None)
    contents = re.search(r'<ul id="list-contents">(.*?)</ul>', page).group(1)
    listed = re.findall(r'<a href="#([\w-]+)">(.*?)</a>', contents)
    headings = dict(re.findall(r'<section class="chapter[^"]*" id="([\w-]+)"><h2>(.*?)</h2>', page))
    assert [anchor for anchor, _ in listed] == list(headings)
    assert {anchor: text for anchor, text in listed} == headings
    assert listed[0] == ("sec-summary", "要点") and listed[-1][1].startswith("6. " if with_change else "5. ")
