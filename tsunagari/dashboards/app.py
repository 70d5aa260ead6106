"""Entry script of the Tsunagari dashboard: ``streamlit run app.py`` (or ``tsunagari dashboard``).

Sidebar: language switch (Japanese default) and municipality selector; then ``st.navigation``
runs the chosen page from ``views/`` (not ``pages/``, which Streamlit would also list as legacy pages). Each page is a thin script calling its ``render()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tsunagari.graph.errors import StoreUnavailableError

__all__ = ["PAGES", "main"]

HERE = Path(__file__).resolve().parent
_STORE_CHANGED_RETRIES = "store-changed-retries"
# (file under views/, UI string key, url path, icon)
PAGES = (
    ("overview.py", "page.overview", "overview", ":material/dashboard:"),
    ("network.py", "page.network", "network", ":material/hub:"),
    ("coverage.py", "page.coverage", "coverage", ":material/grid_on:"),
    ("bridging.py", "page.bridging", "bridging", ":material/link:"),
    ("inequality.py", "page.inequality", "inequality", ":material/bar_chart:"),
    ("data.py", "page.data", "data", ":material/table_view:"),
)


def main() -> None:
    """Draw the sidebar and run the selected page."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.session import LANG_KEY, MUNICIPALITY_KEY, current_lang, read_municipalities, store_url
    from tsunagari.dashboards.errors import StoreChangedError
    from tsunagari.dashboards.widgets import md_text
    from tsunagari.graph.errors import StoreUnavailableError
    from tsunagari.settings import redact_url

    st.set_page_config(page_title="Tsunagari つながり", page_icon=":material/hub:", layout="wide")
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
        if pending:
            st.session_state[MUNICIPALITY_KEY] = pending
        if infos:
            codes = [i.code for i in infos]
            if st.session_state.get(MUNICIPALITY_KEY) not in codes:
                st.session_state[MUNICIPALITY_KEY] = codes[0]
            names = {i.code: (i.name_en or i.name) if lang == "en" else i.name for i in infos}
            st.selectbox(t("app.municipality", lang), codes, key=MUNICIPALITY_KEY,
                         format_func=lambda code: f"{names[code]} ({code})")
        st.caption(f"{t('app.store', lang)}: {md_text(redact_url(store_url()))}")
    pages = [st.Page(HERE / "views" / file, title=t(key, lang), url_path=path, icon=icon, default=i == 0)
             for i, (file, key, path, icon) in enumerate(PAGES)]
    try:
        st.navigation(pages).run()
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
