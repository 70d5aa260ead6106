"""A shareable URL: ``?city=…&page=…&lang=…`` opens that municipality and page, and the URL follows the view."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tsunagari.dashboards.app import PAGE_ICON
from tsunagari.dashboards.i18n import t
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"


def _infos(url: str):
    with open_store(Settings(store_url=url), read_only=True) as store:
        return store.list_municipalities()


def _open(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_url_opens_the_city_and_page_it_names(dashboard_store):
    url, codes = dashboard_store
    infos = _infos(url)
    assert len(infos) >= 2
    other = infos[-1]  # not the first (lowest) code, which opens without a URL
    at = _open({"city": other.code, "page": "coverage"})
    assert at.session_state["municipality"] == other.code
    assert at.title[0].value == f"{t('page.coverage', 'ja')} — {other.name}"
    assert at.query_params["city"] == other.code and at.query_params["page"] == "coverage"


def test_url_names_the_city_by_slug_and_sets_the_language(dashboard_store):
    url, _ = dashboard_store
    other = _infos(url)[-1]
    at = _open({"city": other.slug, "page": "bridging", "lang": "en"})
    assert at.title[0].value.startswith(t("page.bridging", "en") + " — ")
    assert at.session_state["municipality"] == other.code
    assert at.query_params["lang"] == "en"


def test_url_follows_the_sidebar(dashboard_store):
    url, _ = dashboard_store
    infos = _infos(url)
    at = _open({})
    first = infos[0].code
    assert at.query_params["city"] == first and at.query_params["page"] == "overview"
    at.sidebar.selectbox[0].set_value(infos[-1].code).run()
    assert at.query_params["city"] == infos[-1].code
    # the URL's city is read once, when the session starts: it does not undo the reader's choice
    at.switch_page("views/network.py").run()
    assert at.query_params["page"] == "network" and at.query_params["city"] == infos[-1].code


def test_unknown_city_or_page_in_url_is_a_message_not_an_error(dashboard_store):
    url, _ = dashboard_store
    at = _open({"city": "no-such-city", "page": "no-such-page"})
    warnings = [w.value for w in at.sidebar.warning]
    assert any("no\\-such\\-city" in w for w in warnings), warnings  # escaped Markdown
    assert any("no\\-such\\-page" in w for w in warnings), warnings
    assert at.title[0].value.startswith(t("page.overview", "ja"))


def test_page_icon_is_not_fetched_from_an_external_host():
    from streamlit.commands.page_config import _get_favicon_string

    favicon = _get_favicon_string(PAGE_ICON)
    # "emoji:" is drawn by the browser as an inline data: SVG; a ":material/" icon becomes a
    # fonts.gstatic.com URL, an image a URL on the Streamlit server itself.
    assert favicon.startswith("emoji:"), favicon
    source = APP.read_text(encoding="utf-8")
    assert ":material/hub:\", layout" not in source
    assert "http://" not in source and "https://" not in source


def _calls(name: str):
    """Every call ``<x>.<name>(...)`` in the dashboard's page scripts, as (file, ast.Call)."""
    import ast

    views = APP.parent / "views"
    for path in sorted(views.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
                yield path.name, node


def test_every_multiselect_and_uploader_sets_the_text_streamlit_would_show_in_english():
    multiselects = list(_calls("multiselect"))
    uploaders = list(_calls("file_uploader"))
    assert multiselects and uploaders
    for file, call in multiselects:
        assert "placeholder" in {k.arg for k in call.keywords}, (file, call.lineno)  # else "Choose options"
    for file, call in uploaders:
        assert "help" in {k.arg for k in call.keywords}, (file, call.lineno)  # the drop zone's text is English


def test_network_filters_say_choose_in_japanese(dashboard_store):
    at = _open({"page": "network"})
    assert at.multiselect, "the network page has filters"
    assert {m.placeholder for m in at.multiselect} == {"選択してください"}


def test_pages_show_progress_while_they_compute():
    """The first analysis a page computes runs under st.spinner (a first view of a large city takes seconds)."""
    import ast

    loads = {"load_metrics", "load_gaps", "load_inequality", "load_change"}
    for path in sorted((APP.parent / "views").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        spun = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.With) and any(
                    isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "attr", "") == "spinner"
                    for item in node.items):
                spun |= {id(n) for n in ast.walk(node)}
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") in loads),
                       key=lambda n: (n.lineno, n.col_offset))
        if calls:
            assert id(calls[0]) in spun, (path.name, calls[0].lineno)
