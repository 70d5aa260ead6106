"""Data is shown as text on every page: names that are Markdown or HTML are not obeyed.

A package whose names, sources and prefecture are Markdown images, headings, links, HTML, math
and Streamlit's own directives is loaded (through the Data page, as an editor) and every page is
rendered in both languages. Everything Streamlit reads as Markdown (headings, captions, notices,
metric labels, widget labels, radio options) must carry the hostile text escaped — no ``![``,
``<img``, ``](http``, ``$`` or ``:material/`` left that Markdown would act on — and the escaped
name must be where the name is shown. Selectbox and multiselect options, which Streamlit shows as
plain text, carry the names unchanged.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.conftest import MINI, clear_dashboard_caches
from tsunagari.dashboards.access import EDITOR_KEY, hash_password
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.widgets import md_text
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
PAGES = ("overview", "network", "coverage", "bridging", "inequality", "change", "data")
PASSWORD = "correct horse battery staple"
SECRETS = {"tsunagari": {"editor_password_hash": hash_password(PASSWORD, n=2**12)}}

CITY = "# 偽の見出し ![x](http://evil/img.png)"
CITY_EN = "<img src=x onerror=alert(1)> $x^2$ City"
PREFECTURE = "[県](http://evil/) :red[赤]"
SOURCE = "**太字** <b>b</b> :material/home: www.evil.example"
NORTH = "![北](http://evil/n.png)"
SOUTH = "<img src=x>南地区 $$"
HUB = "# 推進課 $a$ [link](http://evil/)"
PROBATION = "<script>alert(1)</script>保護観察所"
HOUKATSU = "`包括` ~~消~~ <i>センター</i>"
COUNCIL = "> 引用の [会議](javascript:alert(1))"
EDITOR = "**管理者** <img src=y>"
HOSTILE = (CITY, CITY_EN, PREFECTURE, SOURCE, NORTH, SOUTH, HUB, PROBATION, HOUKATSU, COUNCIL, EDITOR)

# What Markdown (or Streamlit's Markdown) would act on, once the backslash-escaped characters are gone.
ACTING = ("![", "<img", "<script", "<b>", "<i>", "](", "$", ":material/", ":red[", "~~", "**管理者**", "**太字**")


def _rewrite(path: Path, changes: dict[str, dict[str, str]], *, key: str = "id") -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        row.update(changes.get(row[key], {}))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def hostile_package(folder: Path) -> Path:
    """The mini package (テスト市, 99999) with Markdown and HTML in its names, prefecture and source."""
    shutil.copytree(MINI, folder)
    _rewrite(folder / "manifest.csv", {"name": {"value": CITY}, "name_en": {"value": CITY_EN},
                                       "prefecture": {"value": PREFECTURE}, "source": {"value": SOURCE}}, key="key")
    _rewrite(folder / "districts.csv", {"north": {"name": NORTH}, "south": {"name": SOUTH}})
    _rewrite(folder / "agencies.csv", {"hub": {"name": HUB}, "probation": {"name": PROBATION},
                                       "houkatsu": {"name": HOUKATSU}})
    _rewrite(folder / "councils.csv", {"renkei": {"name": COUNCIL}})
    return folder


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """An embedded store holding the hostile package, as ``TSUNAGARI_STORE``; yields the package as a zip."""
    root = tmp_path_factory.mktemp("hostile")
    package = hostile_package(root / "package")
    archive = shutil.make_archive(str(root / "hostile"), "zip", package)
    url = f"embedded://{root / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_package(read_package(package))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        patch.delenv("TSUNAGARI_EDITOR_PASSWORD_HASH", raising=False)
        clear_dashboard_caches()
        yield Path(archive).read_bytes()
        clear_dashboard_caches()


def _editor_session(lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.secrets = SECRETS
    at.session_state["lang"] = lang
    at.session_state[EDITOR_KEY] = EDITOR
    return at


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text of the app that Streamlit renders as Markdown."""
    texts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                  "success", "error") for e in getattr(at, kind)]
    texts += [text for m in at.metric for text in (m.label, m.value)]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "number_input", "text_input"):
        texts += [w.label for w in getattr(at, kind)]
    texts += [option for r in at.radio for option in r.options]
    texts += [e.proto.label for e in at.get("expander")]
    texts += [b.proto.label for b in at.get("download_button")]
    return texts


def _acting(text: str) -> list[str]:
    """The pieces of ``text`` Markdown would act on (a backslash before a character makes it literal)."""
    bare = re.sub(r"\\.", "", text)
    return [token for token in ACTING if token in bare]


def _assert_text_only(at: AppTest, where: str) -> None:
    assert not at.exception, (where, at.exception)
    for text in _markdown_texts(at):
        assert not _acting(text), (where, text)


def test_acting_detects_what_the_old_pages_showed():
    # the check itself: raw names act, escaped ones do not
    assert all(_acting(name) for name in HOSTILE)
    assert not any(_acting(md_text(name)) for name in HOSTILE)


def test_the_data_page_names_the_package_and_the_editor_as_text(hostile_store):
    at = _editor_session("ja")
    at.run()
    at.switch_page("views/data.py").run()
    _assert_text_only(at, "data")
    assert t("access.signed_in", "ja", name=md_text(EDITOR)) in [c.value for c in at.caption]
    assert at.header[0].value == t("data.report", "ja") + f" — {md_text(CITY)}"
    assert t("data.delete_confirm", "ja", name=md_text(CITY), code="99999") in [c.label for c in at.checkbox]
    # uploading it again: the report names it, escaped
    at.file_uploader(key="upload-file").set_value(("hostile.zip", hostile_store, "application/zip"))
    at.button[next(i for i, b in enumerate(at.button) if b.label == t("data.upload_button", "ja"))].click()
    at.run()
    _assert_text_only(at, "data after upload")
    assert t("data.unchanged", "ja", name=md_text(CITY), code="99999") in [s.value for s in at.success]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_shows_hostile_names_as_text(hostile_store, lang):
    at = _editor_session(lang)
    at.run()
    name = CITY_EN if lang == "en" else CITY
    # the municipality selector is a plain-text widget: the name as it is
    assert at.sidebar.selectbox(key="municipality").options == [f"{name} (99999)"]
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        _assert_text_only(at, (page, lang))
        expected = t(f"page.{page}", lang) + ("" if page == "data" else f" — {md_text(name)}")
        assert at.title[0].value == expected
        if page == "overview":
            assert any(md_text(PREFECTURE) in c.value for c in at.caption)
            assert f"- {md_text(SOURCE)}" in [m.value for m in at.markdown]
        if page == "network":
            districts = at.multiselect(key="map-districts").options
            assert sorted(districts) == sorted([NORTH, SOUTH])  # plain text, unchanged
            assert PROBATION in at.selectbox(key="map-focus").options
        if page == "bridging":
            assert HUB in at.selectbox(key="whatif-actor").options  # plain text, unchanged
            at.selectbox(key="whatif-actor").set_value("99999:hub").run()
            _assert_text_only(at, ("bridging without the hub", lang))
            # the hub's loss cuts off 地域包括支援センター and 保護観察所: named, escaped
            (warning,) = [w.value for w in at.warning]
            assert md_text(HOUKATSU) in warning and md_text(PROBATION) in warning
        if page == "inequality":
            at.radio(key="inequality-per").set_value("elderly").run()
            _assert_text_only(at, ("inequality per elderly", lang))
            # 南地区 has no elderly figure: it is named as excluded, escaped
            assert any(md_text(SOUTH) in c.value for c in at.caption), [c.value for c in at.caption]


def test_map_tooltips_show_hostile_names_as_text(tmp_path):
    import html
    import json

    from tsunagari.dashboards.network_map import map_nodes, render_network_html
    from tsunagari.graph.conversion import package_graph

    graph = map_nodes(package_graph(read_package(hostile_package(tmp_path / "package"))))
    page = render_network_html(graph, lang="ja", color_by="community",
                               communities={u: i % 2 for i, u in enumerate(sorted(graph))})
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))
    tips = {node["id"]: node["tip"] for node in nodes}
    for uid, tip in tips.items():
        # the tooltip is HTML (set as innerHTML): only its own <b> and <br> are tags, every value is escaped
        assert re.sub(r"</?b>|<br>", "", tip).count("<") == 0, (uid, tip)
    for uid, name in (("99999:hub", HUB), ("99999:probation", PROBATION), ("99999:houkatsu", HOUKATSU),
                      ("99999:north", NORTH), ("99999:south", SOUTH), ("99999:renkei", COUNCIL)):
        assert tips[uid].startswith(f"<b>{html.escape(name)}</b>"), tips[uid]
    assert "<script>alert(1)</script>" not in page
