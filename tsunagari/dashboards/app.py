"""Entry script of the Tsunagari dashboard: ``streamlit run app.py`` (or ``tsunagari dashboard``).

Sidebar: language switch (Japanese default) and municipality selector; then ``st.navigation``
runs the chosen page from ``views/`` (not ``pages/``, which Streamlit would also list as legacy pages). Each page is a thin script calling its ``render()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tsunagari.graph.errors import StoreUnavailableError

__all__ = ["PAGES", "PAGE_ICON", "URL_PARAMS", "main"]

HERE = Path(__file__).resolve().parent
_STORE_CHANGED_RETRIES = "store-changed-retries"
# (file under views/, UI string key, url path, icon)
PAGES = (
    ("overview.py", "page.overview", "overview", ":material/dashboard:"),
    ("network.py", "page.network", "network", ":material/hub:"),
    ("coverage.py", "page.coverage", "coverage", ":material/grid_on:"),
    ("bridging.py", "page.bridging", "bridging", ":material/link:"),
    ("inequality.py", "page.inequality", "inequality", ":material/bar_chart:"),
    ("change.py", "page.change", "change", ":material/history:"),
    ("data.py", "page.data", "data", ":material/table_view:"),
)
# (No bare strings at module level here: Streamlit's "magic" would print them on every page.)
# The browser tab's icon. An emoji becomes an inline data: SVG in the browser; a :material/… icon
# would be fetched from fonts.gstatic.com (Streamlit 1.67), which fails offline.
PAGE_ICON = "🔗"
# Query parameters of a shareable URL: ?city=<code or slug>&page=<url path>&lang=ja|en&year=<fiscal year>
# (year: the western year, e.g. 2024, or "unknown"; only when the municipality holds several years).
URL_PARAMS = ("city", "page", "lang", "year")
_URL_READ = "url-params-read"


def main() -> None:
    """Draw the sidebar and run the selected page."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.session import (LANG_KEY, MUNICIPALITY_KEY, YEAR_KEY, current_lang, read_municipalities,
                                              store_url)
    from tsunagari.dashboards.errors import StoreChangedError
    from tsunagari.dashboards.widgets import md_t, md_text
    from tsunagari.graph.errors import StoreUnavailableError
    from tsunagari.settings import redact_url

    st.set_page_config(page_title="Tsunagari つながり", page_icon=PAGE_ICON, layout="wide")
    # A shared URL (?city=…&page=…&lang=…) is read once, when the session starts; after that the
    # sidebar and the navigation decide, and the URL follows them (written at the end of each run).
    from_url = {} if st.session_state.get(_URL_READ) else {k: st.query_params.get(k) for k in URL_PARAMS}
    st.session_state[_URL_READ] = True
    if from_url.get("lang") in ("ja", "en"):
        st.session_state[LANG_KEY] = from_url["lang"]
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = current_lang()
    with st.sidebar:
        st.radio(t("app.language", current_lang()), ["ja", "en"], key=LANG_KEY, horizontal=True,
                 format_func=lambda code: "日本語" if code == "ja" else "English")
        lang = current_lang()
        try:
            infos = read_municipalities()
        except StoreUnavailableError as err:
            _store_unavailable(err, lang)
        pending = st.session_state.pop("pending-municipality", None)  # set by the Data page after an upload
        pending_year = st.session_state.pop("pending-year", None)  # and the fiscal year it loaded
        if pending:
            st.session_state[MUNICIPALITY_KEY] = pending
            if pending_year is not None:
                st.session_state["fiscal-year"] = pending_year
        elif from_url.get("city"):
            wanted = str(from_url["city"])
            found = [i.code for i in infos if wanted in (i.code, i.slug)]
            if found:
                st.session_state[MUNICIPALITY_KEY] = found[0]
                if from_url.get("year"):
                    year = str(from_url["year"])
                    st.session_state[YEAR_KEY] = int(year) if year.isdigit() else year  # checked by the selector
            else:
                st.warning(md_t("app.url_city_unknown", lang, city=wanted))
        if infos:
            codes = [i.code for i in infos]
            if st.session_state.get(MUNICIPALITY_KEY) not in codes:
                st.session_state[MUNICIPALITY_KEY] = codes[0]
            names = {i.code: (i.name_en or i.name) if lang == "en" else i.name for i in infos}
            st.selectbox(t("app.municipality", lang), codes, key=MUNICIPALITY_KEY,
                         format_func=lambda code: f"{names[code]} ({code})")
            _year_selector(next(i for i in infos if i.code == st.session_state[MUNICIPALITY_KEY]), lang)
        st.caption(f"{t('app.store', lang)}: {md_text(redact_url(store_url()))}")
    pages = [st.Page(HERE / "views" / file, title=t(key, lang), url_path=path, icon=icon, default=i == 0)
             for i, (file, key, path, icon) in enumerate(PAGES)]
    navigation = st.navigation(pages)
    paths = [path for *_, path, _icon in PAGES]
    current = navigation.url_path or paths[0]  # the default page has an empty path
    wanted_page = from_url.get("page")
    if wanted_page and wanted_page != current:
        if wanted_page in paths:
            st.switch_page(pages[paths.index(wanted_page)])
        st.sidebar.warning(md_t("app.url_page_unknown", lang, page=str(wanted_page)))
    _share_in_url(current, lang)
    try:
        navigation.run()
    except StoreUnavailableError as err:  # the store went away (or another process held it) during the page
        _store_unavailable(err, lang)
    except StoreChangedError as err:
        # Another user's load committed between this run's list and its read of the graph: read both
        # again (a few times at most; a store that keeps changing gets a message, never an exception).
        retries = st.session_state.get(_STORE_CHANGED_RETRIES, 0)
        if retries >= 10:
            st.session_state[_STORE_CHANGED_RETRIES] = 0
            st.warning(md_text(err.message(lang)))
            return
        st.session_state[_STORE_CHANGED_RETRIES] = retries + 1
        st.rerun()
    st.session_state[_STORE_CHANGED_RETRIES] = 0


def _share_in_url(page: str, lang: str) -> None:
    """Write the city, page and language shown into the URL, so that copying it shares this view."""
    import streamlit as st

    from tsunagari.dashboards.session import MUNICIPALITY_KEY, YEAR_KEY

    wanted = {"page": page, "lang": lang}
    code = st.session_state.get(MUNICIPALITY_KEY)
    if code:
        wanted["city"] = str(code)
    year = st.session_state.get(YEAR_KEY)  # set only when the municipality holds several years
    if year is not None:
        wanted["year"] = str(year)
    elif "year" in st.query_params:
        del st.query_params["year"]
    if {k: st.query_params.get(k) for k in wanted} != wanted:
        st.query_params.update(wanted)


def _year_selector(info, lang: str) -> None:
    """The fiscal year (年度) of the pages, when the municipality holds more than one (default: the latest)."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.session import YEAR_KEY
    from tsunagari.graph.fiscal_year import format_fiscal_year

    years = ["unknown" if y is None else y for y in reversed(info.years)]  # latest first
    if len(years) < 2:
        st.session_state.pop(YEAR_KEY, None)
        return
    if st.session_state.get(YEAR_KEY) not in years:
        st.session_state[YEAR_KEY] = years[0]
    st.selectbox(t("app.fiscal_year", lang), years, key=YEAR_KEY,
                 format_func=lambda y: format_fiscal_year(None if y == "unknown" else y, lang))


def _store_unavailable(error: StoreUnavailableError, lang: str) -> None:
    """Say why the store cannot be used (in Japanese with the English beside it, or in English) and stop the run."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.session import store_problem
    from tsunagari.dashboards.widgets import md_text

    key = store_problem(error)
    st.error(t(key, lang))
    if lang != "en":
        st.caption(t(key, "en"))
    st.caption(md_text(error.message(lang)))  # the URL or folder (never a password) and the reason
    st.stop()


if __name__ == "__main__":
    main()
