"""The Data page's import panel: HSDS or 自治体標準オープンデータセット files → a package zip to review (render only)."""

from __future__ import annotations

__all__ = ["render_import"]


def render_import(lang: str) -> None:
    """Draw the import panel (open to every reader: it writes nothing to the store)."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.import_zip import import_to_zip
    from tsunagari.errors import TsunagariError

    with st.expander(t("import.title", lang)):
        st.caption(t("import.help", lang))
        with st.form("import-form"):
            source = st.radio(t("import.source", lang), ("opendata", "hsds"), key="import-source", horizontal=True,
                              format_func=lambda s: t(f"import.source_{s}", lang))
            code = st.text_input(t("import.code", lang), key="import-code")
            files = st.file_uploader(t("import.files", lang), type=["csv", "tsv", "txt", "xlsx", "zip"],
                                     accept_multiple_files=True, key="import-files",
                                     help=t("ui.upload_help", lang))
            helper = st.file_uploader(t("import.districts", lang) + " / " + t("import.mapping", lang),
                                      type=["csv", "xlsx"], key="import-helper",
                                      help=t("ui.upload_help", lang))
            submitted = st.form_submit_button(t("import.run", lang))
        if not (submitted and files and code):
            return
        try:
            built = import_to_zip(source, [(f.name, f.getvalue()) for f in files], code=code,
                                  helper=(helper.name, helper.getvalue()) if helper is not None else None)
        except TsunagariError as err:
            st.error(err.message(lang))
            return
        result = built.result
        for notice in result.notices:  # type: ignore[attr-defined]
            st.caption(f"{t('import.notice', lang)}: {notice.en if lang == 'en' else notice.ja}")
        if result.issues:  # type: ignore[attr-defined]
            st.error(t("import.invalid", lang, folder=built.file_name))
            return
        st.success(t("import.todo", lang, count=len(result.todo), file="_mapping_todo.csv")  # type: ignore[attr-defined]
                   if result.todo else t("import.no_todo", lang))  # type: ignore[attr-defined]
        st.download_button(t("import.download", lang), built.data, file_name=built.file_name,
                           mime="application/zip", key="import-download")
