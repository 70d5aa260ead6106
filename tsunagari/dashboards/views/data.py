"""データ Data & export: editors' sign-in, upload and delete; load report and history; downloads and the metrics export.

Anyone may read this page; the upload and delete widgets appear only to a signed-in editor
(:mod:`tsunagari.dashboards.access`), and every write goes through
:func:`tsunagari.dashboards.session.editor_store`, which refuses an anonymous session.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["render", "issues_frame", "history_frame", "UPLOAD_REPORT_KEY", "PENDING_MUNICIPALITY_KEY"]

UPLOAD_REPORT_KEY = "upload-report"
DELETED_KEY = "deleted-municipality"
PENDING_MUNICIPALITY_KEY = "pending-municipality"
PENDING_YEAR_KEY = "pending-year"


def issues_frame(issues, lang: str = "ja") -> pd.DataFrame:
    """Validation issues as a table (severity, file, row, column, message in ``lang``), errors first.

    Examples
    --------
    >>> from tsunagari.loaders.errors import Issue
    >>> issues_frame([Issue("agencies.csv", 3, "sector", "unknown_term", "語彙にありません", "not allowed")], "en").values.tolist()
    [['error', 'agencies.csv', 3, 'sector', 'not allowed']]
    """
    ordered = sorted(issues, key=lambda i: (i.severity != "error", i.file, i.row or 0, i.column or ""))
    return pd.DataFrame(
        [{"severity": i.severity, "file": i.file, "row": i.row, "column": i.column or "",
          "message": i.message_en if lang == "en" else i.message_ja} for i in ordered],
        columns=["severity", "file", "row", "column", "message"]).astype({"row": "Int64"})


def _show_issues(issues, lang: str) -> None:
    import streamlit as st

    from tsunagari.dashboards.i18n import t

    frame = issues_frame(issues, lang)
    frame["severity"] = [t("data.error" if s == "error" else "data.warning", lang) for s in frame["severity"]]
    st.dataframe(frame.rename(columns={c: t(f"col.{c}", lang) for c in ("severity", "file", "row", "column")}
                              | {"message": t("col.message", lang)}), hide_index=True, key=f"issues-{len(frame)}")


def history_frame(entries, lang: str = "ja") -> pd.DataFrame:
    """The load log as a table in ``lang``, newest first: time (UTC), action, by, content hash (short).

    Examples
    --------
    >>> from tsunagari.graph.store import LoadLogEntry
    >>> e = LoadLogEntry("99999", "load", "2026-01-02T03:04:05.000001+00:00", "佐藤", "ab" * 32, "テスト市")
    >>> history_frame([e], "en").values.tolist()
    [['2026-01-02 03:04:05', 'Load', 'year unknown', '佐藤', 'abababababab']]

    The fiscal year is the snapshot written (a delete without one removed every year: —).
    """
    from tsunagari.dashboards.i18n import t
    from tsunagari.graph.fiscal_year import format_fiscal_year

    def year(e) -> str:
        if e.action == "delete" and e.fiscal_year is None:
            return "—"
        return format_fiscal_year(e.fiscal_year, lang)

    columns = ("loaded_at", "action", "fiscal_year", "by", "content_hash")
    rows = [{t("col.loaded_at", lang): e.loaded_at[:19].replace("T", " "),
             t("col.action", lang): t(f"data.action_{e.action}", lang), t("col.fiscal_year", lang): year(e),
             t("col.by", lang): e.by, t("col.content_hash", lang): (e.content_hash or "")[:12]}
            for e in reversed(entries)]
    return pd.DataFrame(rows, columns=[t(f"col.{c}", lang) for c in columns])


def _editor(lang: str) -> str | None:
    """Draw the sign-in (or the signed-in line and sign-out); returns the signed-in editor's name."""
    import streamlit as st

    from tsunagari.dashboards.access import EDITOR_KEY
    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.session import current_editor, editors
    from tsunagari.dashboards.widgets import md_t

    configured = editors()
    if not configured.configured:
        st.info(t("access.disabled", lang))
        return None
    editor = current_editor()
    if editor:
        left, right = st.columns([4, 1])
        left.caption(md_t("access.signed_in", lang, name=editor))
        if right.button(t("access.sign_out", lang), key="sign-out"):
            st.session_state.pop(EDITOR_KEY, None)
            st.rerun()
        return editor
    with st.expander(t("access.sign_in_title", lang)):
        st.caption(t("access.sign_in_help", lang))
        with st.form("sign-in-form", clear_on_submit=True):
            name = st.text_input(t("access.name", lang), key="sign-in-name")
            password = st.text_input(t("access.password", lang), type="password", key="sign-in-password")
            submitted = st.form_submit_button(t("access.sign_in_button", lang))
        if submitted:
            signed_in = configured.sign_in(name, password)
            if signed_in is None:
                st.error(t("access.wrong", lang))
            else:
                st.session_state[EDITOR_KEY] = signed_in
                st.rerun()
    return None


def render() -> None:
    """Draw the page."""
    import streamlit as st

    from tsunagari.dashboards.downloads import (GRAPH_FORMATS, MIME_TYPES, graph_bytes, metrics_export_zip,
                                                node_tables, tie_table)
    from tsunagari.dashboards.errors import UploadError
    from tsunagari.dashboards.i18n import STRINGS, format_number, kind_label, t, tie_label
    from tsunagari.dashboards.session import (current_lang, current_selection, editor_store, load_council_report,
                                              load_council_report_pdf, load_graph, load_metrics, load_summary, read_municipalities,
                                              session_store)
    from tsunagari.dashboards.upload import read_uploaded_package
    from tsunagari.dashboards.widgets import download_frame, download_row, md_t, md_text, show_table
    from tsunagari.errors import TsunagariError
    from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError

    lang = current_lang()
    # Upload first: it must work on an empty store too.
    st.title(t("page.data", lang))
    editor = _editor(lang)
    report = st.session_state.get(UPLOAD_REPORT_KEY)
    if editor:
        with st.form("upload-form", clear_on_submit=False):
            uploaded = st.file_uploader(t("data.upload", lang), type=["zip", "xlsx", "xlsm"], key="upload-file",
                                        help=t("ui.upload_help", lang))
            submitted = st.form_submit_button(t("data.upload_button", lang))
        if submitted and uploaded is not None:
            try:
                package = read_uploaded_package(uploaded.name, uploaded.getvalue())
            except DataPackageError as err:
                errors = [i for i in err.issues if i.severity == "error"]
                st.error(t("data.invalid", lang, errors=len(errors)))
                _show_issues(err.issues, lang)
            except (UploadError, PackageNotFoundError) as err:
                st.error(md_text(err.message(lang)))
            else:
                try:
                    with editor_store() as (store, by):
                        loaded = store.load_package(package, by=by)
                except TsunagariError as err:  # store unavailable, the writer refused ...: nothing was written
                    st.error(md_text(err.message(lang)))
                else:
                    st.session_state[UPLOAD_REPORT_KEY] = {
                        "code": loaded.code, "name": loaded.name, "unchanged": loaded.unchanged,
                        "nodes": loaded.node_counts, "ties": loaded.tie_counts, "hash": loaded.content_hash,
                        "warnings": list(package.warnings)}
                    st.session_state[PENDING_MUNICIPALITY_KEY] = loaded.code
                    # the sidebar then shows the year just loaded
                    st.session_state[PENDING_YEAR_KEY] = "unknown" if loaded.fiscal_year is None else loaded.fiscal_year
                    st.rerun()
    if editor:
        from tsunagari.dashboards.views.data_import import render_import

        # Existing data → a package to review; it writes nothing to the store, but it takes uploads,
        # and an anonymous session takes none (the dashboard is read-only unless an editor signs in).
        render_import(lang)
    if report:
        st.success(md_t("data.unchanged" if report["unchanged"] else "data.loaded", lang, name=report["name"],
                     code=report["code"]))
        if report["warnings"]:
            st.warning(t("data.warnings", lang, count=len(report["warnings"])))
            _show_issues(report["warnings"], lang)
    deleted = st.session_state.pop(DELETED_KEY, None)
    if deleted:
        st.success(md_t("data.deleted", lang, **deleted))

    sel = current_selection()
    if sel is None:
        st.info(t("app.empty_store", lang))
        return
    info = sel.info
    st.header(t("data.report", lang) + f" — {md_text((info.name_en or info.name) if lang == 'en' else info.name)}")
    summary = load_summary(sel.code, sel.content_hash)
    graph = load_graph(sel.code, sel.content_hash)
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame({t("col.kind", lang): [kind_label(k, lang) for k in summary.kinds["kind"]],
                                 t("col.count", lang): summary.kinds["count"]}), hide_index=True, key="data-kinds")
    right.dataframe(pd.DataFrame({t("col.tie_kind", lang): [tie_label(k, lang) for k in summary.ties["kind"]],
                                  t("col.count", lang): summary.ties["count"]}), hide_index=True, key="data-ties")
    st.caption(f"{t('data.content_hash', lang)}: `{sel.content_hash}`")
    if report and report["code"] == sel.code and not report["warnings"]:
        st.caption(t("data.no_warnings", lang))
    manifest = pd.DataFrame({"key": [t(f"manifest.{k}", lang) if f"manifest.{k}" in STRINGS else k
                                     for k in summary.municipality],
                             "value": [str(v) for v in summary.municipality.values()]})
    st.subheader(t("data.sources", lang))
    show_table(manifest, lang, key="data-manifest")

    st.subheader(t("data.history", lang))
    st.caption(t("data.history_help", lang))
    with session_store() as store:
        history = store.load_log(sel.code)
    st.dataframe(history_frame(history, lang), hide_index=True, key="data-history")

    if editor:
        st.subheader(t("data.delete_title", lang))
        with st.form("delete-form"):
            confirmed = st.checkbox(md_t("data.delete_confirm", lang, name=info.name, code=sel.code), key="delete-confirm")
            delete = st.form_submit_button(t("data.delete_button", lang), type="primary")
        if delete and confirmed:
            try:
                with editor_store() as (store, by):
                    store.delete_municipality(sel.code, by=by)
            except TsunagariError as err:
                st.error(md_text(err.message(lang)))
            else:
                st.session_state[UPLOAD_REPORT_KEY] = None
                st.session_state[DELETED_KEY] = {"name": info.name, "code": sel.code}
                read_municipalities()
                st.rerun()

    st.header(t("data.council_report", lang))
    st.caption(t("data.council_report_help", lang))
    row = download_row()
    row.download_button(t("data.council_report_pdf_button", lang),
                        data=lambda: load_council_report_pdf(sel.code, sel.content_hash, lang),
                        file_name=f"{info.slug}-report-{lang}.pdf", mime="application/pdf", key="dl-council-report-pdf",
                        icon=":material/picture_as_pdf:", on_click="ignore", width="content", type="primary")
    row.download_button(t("data.council_report_button", lang),
                        data=lambda: load_council_report(sel.code, sel.content_hash, lang),
                        file_name=f"{info.slug}-report-{lang}.html", mime="text/html", key="dl-council-report",
                        icon=":material/print:", on_click="ignore", width="content")

    st.header(t("data.tables", lang))
    for name, frame in node_tables(graph).items():
        if not frame.empty:
            download_frame(frame, name=f"{info.slug}-{name}", key=f"dl-{name}",
                           label=f"**{name}** ({format_number(len(frame))})")
    ties = tie_table(graph)
    download_frame(ties, name=f"{info.slug}-ties", key="dl-ties", label=f"**ties** ({format_number(len(ties))})")
    row = download_row()
    row.markdown("**graph**", width="content")
    for fmt in GRAPH_FORMATS:
        row.download_button(fmt.upper(), data=lambda fmt=fmt: graph_bytes(graph, fmt),  # type: ignore[misc]
                            file_name=f"{info.slug}-graph.{fmt}", mime=MIME_TYPES[fmt], key=f"dl-graph-{fmt}",
                            icon=":material/download:", on_click="ignore", width="content")

    st.header(t("data.metrics_export", lang))
    with st.spinner(t("app.computing", lang)):
        result = load_metrics(sel.code, sel.content_hash)
    formats = ("csv", "parquet", "graphml", "gexf")
    row = download_row()
    for fmt in formats:
        row.download_button(f"{fmt.upper()} (zip)", data=lambda fmt=fmt: metrics_export_zip(result, fmt),  # type: ignore[misc]
                            file_name=f"{info.slug}-metrics-{fmt}.zip", mime="application/zip",
                            key=f"dl-metrics-{fmt}", icon=":material/download:", on_click="ignore", width="content")


if __name__ == "__main__":
    render()
