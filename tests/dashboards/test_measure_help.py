"""One catalogue of measure help (measures.toml) for the dashboard's pages and the paper's 読み方 boxes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import tsunagari as tg
from tests.conftest import TOWN_FY2023, TOWN_FY2024
from tsunagari.analysis.inequality import inequality_indices
from tsunagari.dashboards.council_report import LOSS_COLUMNS, NETWORK_CARDS, RANKING_COLUMNS, build_report
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.measure_help import MEASURES, SECTIONS, measure_for, section_measures
from tsunagari.dashboards.views.bridging import CARDS, RANK_COLUMNS
from tsunagari.dashboards.views.network import SIZE_MEASURES
from tsunagari.dashboards.widgets import md_text
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
DESCRIPTIVE = {"name", "kind", "sector"}  # columns that name or classify an actor: no measure to explain


def test_every_measure_shown_has_an_entry():
    shown = {
        "bridging ranking": set(RANK_COLUMNS) - DESCRIPTIVE,
        "bridging cards": set(CARDS),
        "bridging what-if": {"components_after", "pairs_lost", "pairs_lost_share", "isolated_after"},
        "network sizes": set(SIZE_MEASURES),
        "paper ranking": set(RANKING_COLUMNS) - DESCRIPTIVE,
        "paper loss": set(LOSS_COLUMNS) - DESCRIPTIVE,
        "paper cards": set(NETWORK_CARDS),
        "inequality indices": set(inequality_indices([1.0, 2.0, 3.0])["index"]),
        "coverage cells": {"providers", "local_providers", "city_wide_providers", "level", "city_only"},
    }
    missing = {where: sorted(c for c in codes if measure_for(c) is None) for where, codes in shown.items()}
    assert not any(missing.values()), missing
    # and each of the named measures of the issue
    named = {"媒介中心性", "近接中心性", "固有ベクトル中心性", "制約度（構造的空隙）", "実効サイズ（構造的空隙）", "E-I指数",
             "ジニ係数", "タイル指数", "ローレンツ曲線", "成分数（つながりの塊の数）", "切断点", "まとまり（コミュニティ）",
             "仲介の役割（Gould & Fernandez）", "いなくなった場合の影響", "密度"}
    assert named <= {m.name("ja") for m in MEASURES.values()}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_entries_are_one_or_two_sentences(lang):
    end = "。" if lang == "ja" else r"[.](?:\s|$)"
    for measure in MEASURES.values():
        sentences = len(re.findall(end, measure.text(lang)))
        assert 1 <= sentences <= 2, (measure.key, lang, measure.text(lang))
        assert measure.sections, measure.key


class _Boxes(HTMLParser):
    """(name, text) pairs of each ``<dl class="measures" id="measures-<section>">`` of the paper."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, list[list[str]]] = {}
        self._box: str | None = None
        self._tag: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "dl" and "measures" in (a.get("class") or ""):
            self._box = str(a["id"]).removeprefix("measures-")
            self.boxes[self._box] = []
        elif self._box and tag in ("dt", "dd"):
            self._tag = tag
            if tag == "dt":
                self.boxes[self._box].append([])
            self.boxes[self._box][-1].append("")

    def handle_endtag(self, tag):
        if tag == "dl":
            self._box = None
        if tag in ("dt", "dd"):
            self._tag = None

    def handle_data(self, data):
        if self._box and self._tag:
            self.boxes[self._box][-1][-1] += data


@pytest.fixture(scope="module")
def mini(dashboard_store):
    url, codes = dashboard_store
    with open_store(Settings(store_url=url), read_only=True) as store:
        return store.read_graph("99999")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_paper_boxes_and_dashboard_help_are_the_same_entries(mini, lang):
    parser = _Boxes()
    parser.feed(build_report(mini, lang=lang))
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["lang"] = lang
    at.session_state["municipality"] = "99999"
    at.run()
    for section in SECTIONS:
        expected = [(m.name(lang), m.text(lang)) for m in section_measures(section)]
        assert expected, section
        at.switch_page(f"views/{section}.py").run()
        assert not at.exception, at.exception
        helps = [e for e in at.expander if e.label == t("help.title", lang)]
        assert len(helps) == 1, (section, [e.label for e in at.expander])
        shown = [m.value for m in helps[0].markdown]
        assert shown == [f"**{md_text(name)}** — {md_text(text)}" for name, text in expected], section
        if section not in ("network", "change"):  # no network-map section; change only with a previous year
            assert [tuple(pair) for pair in parser.boxes[section]] == expected, section


def test_a_card_has_its_entry_as_help(mini):
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["municipality"] = "99999"
    at.switch_page("views/bridging.py").run()
    cards = {m.label: m.help for m in at.metric}
    assert cards[t("bridging.ei", "ja")] == md_text(MEASURES["ei_index"].text("ja"))
    assert cards[t("bridging.cutpoints", "ja")] == md_text(MEASURES["cutpoint"].text("ja"))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_change_section_of_the_paper_explains_the_change_measures(lang):
    before, after = (tg.package_graph(tg.read_package(p)) for p in (TOWN_FY2023, TOWN_FY2024))
    parser = _Boxes()
    parser.feed(build_report(after, lang=lang, previous=before))
    expected = [(m.name(lang), m.text(lang)) for m in section_measures("change")]
    assert [m.key for m in section_measures("change")][-4:] == ["actor_change", "tie_change", "coverage_change",
                                                                 "rank_change"]
    assert [tuple(pair) for pair in parser.boxes["change"]] == expected
