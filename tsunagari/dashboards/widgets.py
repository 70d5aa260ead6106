"""Small Streamlit building blocks shared by the pages (page header, figures with downloads, tables).

Data is shown as text, never as Markdown or HTML. Streamlit reads Markdown in ``st.markdown``,
``st.caption``, ``st.title`` and the other headings, ``st.info`` / ``warning`` / ``error`` /
``success``, metric labels and values, widget labels, radio options, expander and tab labels: any
value from a data package (names, sources, notes), from the store or from the user that reaches
one of them goes through :func:`md_text` (or :func:`md_t` for a catalogue string with values).
Tables (``st.dataframe``), selectbox and multiselect options and ``st.text`` show text as it is
and need no escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
from matplotlib.figure import Figure
from streamlit.delta_generator import DeltaGenerator

from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.session import Selection, current_lang, current_selection
from tsunagari.dashboards.table_labels import label_columns

__all__ = ["md_text", "md_t", "measure_help", "metric_help", "page_start", "show_figure", "download_frame", "show_table", "show_html",
           "DISPLAY_DPI", "CSS_DPI", "png_css_width", "download_row"]

# Every ASCII punctuation character, each of which CommonMark lets a backslash make literal. Escaping
# all of them also defeats what Streamlit adds to Markdown: ``$`` math, ``:material/icon:`` and
# ``:emoji:`` shortcodes, ``:red[...]`` directives, and GFM's bare ``www.`` / ``http://`` links.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_text(value: object) -> str:
    r"""``value`` as Markdown that Streamlit shows as exactly this text (no link, image, heading, HTML, math).

    Examples
    --------
    >>> md_text("![x](http://evil/img.png)")
    '\\!\\[x\\]\\(http\\:\\/\\/evil\\/img\\.png\\)'
    >>> md_text("# 見出し <img src=x> $x$")
    '\\# 見出し \\<img src\\=x\\> \\$x\\$'
    >>> md_text("福祉課")
    '福祉課'
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(value))


def md_t(key: str, lang: str, **values: object) -> str:
    r"""The catalogue string ``key`` (:func:`~tsunagari.dashboards.i18n.t`) with each text value escaped by :func:`md_text`.

    The catalogue's own Markdown (its `` `code` ``) stays Markdown; numbers are passed as they are.

    Examples
    --------
    >>> md_t("data.loaded", "en", name="**x**", code="99999")
    'Loaded \\*\\*x\\*\\* (99999).'
    """
    return t(key, lang, **{k: md_text(v) if isinstance(v, str) else v for k, v in values.items()})


def measure_help(section: str, lang: str) -> None:
    """The page's 「指標の読み方」: every measure it shows, in one or two sentences each.

    The entries are the meeting paper's (:func:`~tsunagari.dashboards.measure_help.section_measures`).
    """
    from tsunagari.dashboards.measure_help import section_measures

    with st.expander(t("help.title", lang), icon=":material/help:"):
        for measure in section_measures(section):
            st.markdown(f"**{md_text(measure.name(lang))}** — {md_text(measure.text(lang))}")


def metric_help(key: str, lang: str) -> str:
    """The ``help`` (the ? beside a card) of a figure explained by the entry ``key``."""
    from tsunagari.dashboards.measure_help import measure_text

    return md_text(measure_text(key, lang))


def page_start(title_key: str) -> tuple[str, Selection]:
    """Title the page and return ``(lang, selection)``; stops the page when the store is empty."""
    lang = current_lang()
    selection = current_selection()
    name = ""
    if selection is not None:
        info = selection.info
        name = f" — {md_text((info.name_en or info.name) if lang == 'en' else info.name)}"
    st.title(t(title_key, lang) + name)
    if selection is None:
        st.info(t("app.empty_store", lang))
        st.stop()
    return lang, selection


DISPLAY_DPI = 192
"""Pixels per inch of the PNG a page shows; it is shown at half that many CSS pixels per inch
(:data:`CSS_DPI`), sharp on high-density screens, so a 10 pt font measures 10 pt on screen."""
CSS_DPI = 96  # CSS pixels per inch (the CSS reference pixel)


@st.cache_data(show_spinner=False, max_entries=512)
def _figure_png(key: tuple, _build: Callable[[], Figure]) -> bytes:
    """PNG of the figure ``_build()`` makes, cached on ``key`` (``_build`` is not hashed)."""
    from tsunagari.dashboards.static_export import figure_bytes

    return figure_bytes(_build(), "png", dpi=DISPLAY_DPI)


def png_css_width(png: bytes) -> int:
    """The CSS width at which a PNG of :data:`DISPLAY_DPI` shows its figure at its own size (1 in = 96 px).

    Examples
    --------
    >>> from tsunagari.dashboards.static_export import bar_figure, figure_bytes
    >>> png = figure_bytes(bar_figure(["北"], [1]), "png", dpi=DISPLAY_DPI)  # an 8 in wide figure
    >>> abs(png_css_width(png) - 8 * CSS_DPI) <= 0.25 * CSS_DPI  # its size, give or take the saved margin
    True
    """
    width = int.from_bytes(png[16:20], "big")  # IHDR: the first chunk, width then height
    return max(1, round(width * CSS_DPI / DISPLAY_DPI))


def download_row() -> DeltaGenerator:
    """A row whose buttons take the width of their labels (never cut to "P." in a narrow column)."""
    return st.container(horizontal=True, gap="small")


def show_figure(build: Callable[[], Figure], *, cache_key: tuple, name: str, key: str, lang: str) -> None:
    """Show the figure ``build()`` makes at its own size, with PNG and SVG downloads (fonts embedded, made on click).

    The figure is drawn at :data:`DISPLAY_DPI` and shown :func:`png_css_width` wide, so text set at
    10 pt is 10 pt on screen (the figure functions size their figures for the column they go in).
    ``cache_key`` must identify the figure's content (content hash, chart, language, options):
    the displayed image is cached on it, so reruns and page switches do not redraw charts.
    """
    from tsunagari.dashboards.static_export import FORMATS, figure_bytes

    png = _figure_png(cache_key, build)
    st.image(png, width=png_css_width(png))
    row = download_row()
    for fmt in ("png", "svg"):
        row.download_button(t(f"export.chart_{fmt}", lang), data=lambda fmt=fmt: figure_bytes(build(), fmt),  # type: ignore[misc]
                            file_name=f"{name}.{fmt}", mime=FORMATS[fmt], key=f"{key}-{fmt}",
                            icon=":material/download:", on_click="ignore", width="content")


def download_frame(frame: pd.DataFrame, *, name: str, key: str, label: str | None = None) -> None:
    """CSV and Parquet download buttons for ``frame``."""
    from tsunagari.dashboards.downloads import MIME_TYPES, TABLE_FORMATS, frame_bytes

    row = download_row()
    if label:
        row.markdown(label, width="content")  # Markdown written by the caller
    for fmt in TABLE_FORMATS:
        row.download_button(fmt.upper(), data=lambda fmt=fmt: frame_bytes(frame, fmt),  # type: ignore[misc]
                            file_name=f"{name}.{fmt}", mime=MIME_TYPES[fmt], key=f"{key}-{fmt}",
                            icon=":material/download:", on_click="ignore", width="content")


def show_table(frame: pd.DataFrame, lang: str, *, key: str, keys: Mapping[str, str] | None = None,
               formats: Mapping[str, str] | None = None, hide_index: bool = True) -> None:
    """Show an analysis frame with its headers in ``lang`` (see :func:`label_columns`).

    ``keys`` gives the label key of a column whose ``col.<name>`` would be wrong in this table;
    ``formats`` maps a raw column name to a printf number format (``"%.3f"``). Cell values are
    shown as given: turn codes into text before calling.
    """
    shown = label_columns(frame, lang, keys=keys)
    header = dict(zip(frame.columns, shown.columns))
    config = {header[column]: st.column_config.NumberColumn(format=fmt) for column, fmt in (formats or {}).items()}
    st.dataframe(shown, hide_index=hide_index, key=key, column_config=config or None)


def show_html(page: str, *, height: int) -> None:
    """Embed a self-contained HTML page (the pyvis map) in an iframe of ``height`` pixels.

    The page must be built from escaped values only (as :func:`render_network_html` does): the
    iframe runs its scripts.
    """
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # Streamlit < 1.50
        import streamlit.components.v1 as components

        components.html(page, height=height)
