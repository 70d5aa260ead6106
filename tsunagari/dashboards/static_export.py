"""Static images for 会議資料 (meeting papers): the network map and every chart as PNG or SVG.

pyvis draws in the browser and cannot export images, so the same map (same positions, colours
and shapes as :mod:`tsunagari.dashboards.network_map`) is redrawn with matplotlib. Japanese text
needs a Japanese font: the IPAexGothic file shipped by the ``matplotlib-fontja`` wheel (so a
``pip install`` is enough), else a system font (``fonts-ipaexfont``, ``fonts-noto-cjk``). SVG
output turns glyphs into paths, PDF embeds TrueType, so files open identically on any PC.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot global state) because a
Streamlit server renders for several users at once.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tsunagari.dashboards.errors import ExportFormatError, MapOptionError
from tsunagari.dashboards.i18n import format_number, kind_label, t, term
from tsunagari.dashboards.network_map import _legend_order, _node_color, map_nodes
from tsunagari.dashboards.palette import CATEGORY_COUNT, KIND_SHAPES, NEUTRAL, OKABE_ITO, TIE_COLORS, community_colors

__all__ = [
    "FORMATS",
    "japanese_font_path",
    "japanese_font_family",
    "chart_style",
    "figure_bytes",
    "network_figure",
    "MIN_FONT_PT",
    "integer_ticks",
    "bar_figure",
    "heatmap_figure",
    "lorenz_figure",
]

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
_MARKERS = {"dot": "o", "diamond": "D", "triangle": "^", "square": "s", "star": "*", "hexagon": "h"}
_SYSTEM_FAMILIES = ("IPAexGothic", "IPAGothic", "Noto Sans CJK JP", "Noto Sans JP", "TakaoGothic",
                    "Hiragino Sans", "Yu Gothic", "Meiryo")


def japanese_font_path() -> Path | None:
    """Path of a Japanese TrueType/OpenType font: the one in ``matplotlib-fontja``, else a system one.

    Returns ``None`` when no Japanese font is installed (charts then show boxes for kana/kanji).

    Examples
    --------
    >>> path = japanese_font_path()
    >>> path is None or path.suffix in (".ttf", ".otf", ".ttc")
    True
    """
    spec = importlib.util.find_spec("matplotlib_fontja")  # found without importing: import restyles globally
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "fonts" / "ipaexg.ttf"
            if candidate.is_file():
                return candidate
    for family in _SYSTEM_FAMILIES:
        for entry in font_manager.fontManager.ttflist:
            if entry.name == family:
                return Path(entry.fname)
    return None


@cache
def japanese_font_family() -> str:
    """Family name of the Japanese font, registered with matplotlib's font manager once per process.

    Falls back to ``"DejaVu Sans"`` when :func:`japanese_font_path` finds nothing.
    """
    path = japanese_font_path()
    if path is None:
        return "DejaVu Sans"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_style() -> dict[str, object]:
    """matplotlib rc settings of every Tsunagari chart (use with ``matplotlib.rc_context``).

    Japanese font first, glyphs as paths in SVG and TrueType embedded in PDF, the Okabe–Ito
    colour cycle, no chart junk.
    """
    return {
        "font.family": [japanese_font_family(), "DejaVu Sans"],
        "svg.fonttype": "path",
        "text.parse_math": False,  # a `$` in a name is text, not mathtext (which would raise on `$x`)
        "pdf.fonttype": 42,
        "axes.prop_cycle": matplotlib.cycler(color=list(OKABE_ITO)),  # type: ignore[attr-defined]
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        # No text under 10 pt (the dashboard shows figures at their own size: 10 pt is 10 pt on screen).
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.title_fontsize": 10,
        "figure.titlesize": 12,
    }


MIN_FONT_PT = 10
"""Smallest text of every chart (:func:`chart_style`), in points."""


def integer_ticks(axis, values: Sequence[float]) -> None:
    """Ticks at whole numbers only on ``axis`` when every one of ``values`` is a whole number (a count).

    Examples
    --------
    >>> fig = bar_figure(["北", "南"], [1, 2])
    >>> [t for t in fig.axes[0].get_xticks() if t != int(t)]
    []
    """
    from matplotlib.ticker import MaxNLocator

    finite = [float(v) for v in values if v is not None and v == v]
    if finite and all(v.is_integer() for v in finite):
        axis.set_major_locator(MaxNLocator(integer=True))


def figure_bytes(figure: Figure, fmt: str = "png", *, dpi: int = 200) -> bytes:
    """``figure`` encoded as ``fmt`` (``png``, ``svg`` or ``pdf``) with fonts embedded.

    Raises
    ------
    ExportFormatError
        If ``fmt`` is not one of :data:`FORMATS`.

    Examples
    --------
    >>> fig = bar_figure(["福祉"], [3], title="分野別")
    >>> figure_bytes(fig, "svg")[:5]
    b'<?xml'
    """
    if fmt not in FORMATS:
        raise ExportFormatError("analysis.option", name="fmt", allowed=sorted(FORMATS), value=repr(fmt))
    buffer = io.BytesIO()
    previous = figure.canvas
    if fmt == "png":
        _PngCanvas(figure)  # becomes the figure's canvas, so savefig encodes through it
    try:
        with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
            figure.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight",
                           metadata={"Date": None} if fmt == "svg" else None)
    finally:
        figure.set_canvas(previous)
    return buffer.getvalue()


PNG_COMPRESS_LEVEL = 3
"""zlib level of the PNGs: on the paper's charts 3 is smaller than Pillow's default 6 and half its time."""


class _PngCanvas(FigureCanvasAgg):
    """An Agg canvas whose PNG has no alpha channel when every pixel is opaque (every chart here).

    Same pixels and metadata as matplotlib's PNG; a quarter fewer bytes to compress, so the
    paper's seven charts encode in ~0.2 s instead of ~0.45 s (858-actor city) and weigh 9 % less.
    """

    def print_png(self, filename_or_obj, *, metadata=None, pil_kwargs=None, **_: object):
        # (savefig also passes dpi, facecolor, orientation …: it strips them for matplotlib's own
        # canvases only; Agg ignores them, the figure already holds them)
        from PIL import Image, PngImagePlugin

        FigureCanvasAgg.draw(self)
        rgba = self.buffer_rgba()
        image = Image.frombuffer("RGBA", (int(self.renderer.width), int(self.renderer.height)), rgba,
                                 "raw", "RGBA", 0, 1)
        extrema: Any = image.getextrema()  # one (min, max) per band: RGBA
        if extrema[3] == (255, 255):
            image = image.convert("RGB")
        info = PngImagePlugin.PngInfo()
        for key, value in {"Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/",
                           **(metadata or {})}.items():
            if value is not None:
                info.add_text(key, value)
        dpi = self.figure.dpi
        image.save(filename_or_obj, format="png", pnginfo=info, dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL,
                   **(pil_kwargs or {}))


def _new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
        return Figure(figsize=(width, height), layout="constrained")


def network_figure(
    graph: nx.MultiDiGraph,
    *,
    positions: Mapping[str, tuple[float, float]],
    lang: str = "ja",
    color_by: str = "sector",
    communities: Mapping[str, int] | None = None,
    sizes: Mapping[str, float] | None = None,
    title: str | None = None,
    label_limit: int = 60,
) -> Figure:
    """The network map as a static matplotlib figure, with the interactive map's colours and shapes.

    Parameters
    ----------
    graph, positions, lang, color_by, communities, sizes
        As for :func:`~tsunagari.dashboards.network_map.render_network_html`.
    title
        Figure title.
    label_limit
        Label only the ``label_limit`` largest nodes (all when the graph is smaller) so the
        printed map stays legible.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("1:a", "1:b")]); nx.set_node_attributes(g, "Agency", "kind")
    >>> fig = network_figure(g, positions={"1:a": (0, 0), "1:b": (1, 1)})
    >>> len(fig.axes)
    1
    """
    if any(kind == "Municipality" for _, kind in graph.nodes(data="kind")):
        graph = map_nodes(graph)  # (a copy; read only below)
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
        figure = _new_figure(11.7, 8.3)  # A4 landscape
        ax = figure.add_subplot()
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=14)
        nodes = [u for u in graph if u in positions]
        segments, colors, styles = [], [], []
        for u, v, data in graph.edges(data=True):
            if u in positions and v in positions:
                (x0, y0), (x1, y1) = positions[u], positions[v]
                kind = data.get("kind")
                segments.append([(x0, -y0), (x1, -y1)])
                colors.append(TIE_COLORS.get(str(kind), NEUTRAL))
                styles.append("--" if kind in ("SERVES", "LOCATED_IN", "PART_OF") else "-")
        if segments:  # one artist for every tie (a line each took most of the paper's time)
            from matplotlib.collections import LineCollection

            ax.add_collection(LineCollection(segments, colors=colors, linestyles=styles, linewidths=0.7,
                                             zorder=1, alpha=0.8))
        palette = community_colors(communities or {})
        values = {u: float((sizes or {}).get(u) or 0.0) for u in nodes}
        top = max(values.values(), default=0.0)
        legend: dict[str, str] = {}  # legend key (as the interactive map's) → colour
        for kind in sorted({graph.nodes[u].get("kind", "Agency") for u in nodes}):
            members = [u for u in nodes if graph.nodes[u].get("kind", "Agency") == kind]
            colors = []
            for u in members:
                community = (communities or {}).get(u) if color_by == "community" else None
                color, key = _node_color(graph.nodes[u], color_by if color_by != "community" or communities
                                         else "kind", community, palette)
                if not key.startswith("kind:"):
                    legend.setdefault(key, color)
                colors.append(color)
            area = [30 + 400 * (values[u] / top) if sizes is not None and top > 0 else 80 for u in members]
            ax.scatter([positions[u][0] for u in members], [-positions[u][1] for u in members], s=area,
                       c=colors, marker=_MARKERS.get(KIND_SHAPES.get(kind, "dot"), "o"), edgecolors="#333333",
                       linewidths=0.6, zorder=2, label=kind_label(kind, lang))
        kind_legend = ax.legend(loc="lower left", bbox_to_anchor=(1.01, 0.0), fontsize=MIN_FONT_PT, frameon=True,
                                markerscale=0.7, title="形＝種類" if lang == "ja" else "Shape = kind",
                                title_fontsize=MIN_FONT_PT)
        for handle in kind_legend.legend_handles:
            handle.set_facecolor("#dddddd")  # type: ignore[union-attr]
        if legend:
            ax.add_artist(kind_legend)
            from matplotlib.lines import Line2D

            isolates = sum(1 for u in nodes if color_by == "community" and communities
                           and palette.get(communities.get(u, -1)) == NEUTRAL)

            def text(key: str) -> str:
                if color_by == "sector":
                    return term("sectors", key, lang) if key != "—" else "—"
                if key == "isolated":
                    return t("map.isolated_legend", lang, n=format_number(isolates, lang))
                if key == "more":
                    return t("map.more_communities", lang, n=CATEGORY_COUNT + 1)
                if key == "none":
                    return t("map.no_community", lang)
                return t("map.community_legend", lang, n=key)

            handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=color, markeredgecolor="#333333",
                              label=text(key)) for key, color in sorted(legend.items(), key=lambda kv: _legend_order(kv[0]))]
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=10,
                      title=t("network.legend_colors", lang, what=t(f"network.color.{color_by}", lang)),
                      title_fontsize=10, ncol=2 if len(handles) > 18 else 1)
        _place_labels(figure, ax, graph, sorted(nodes, key=lambda u: (-values[u], -graph.degree(u), u))[:label_limit],
                      positions)
    return figure


def _place_labels(figure: Figure, ax, graph: nx.MultiDiGraph, ranked: Sequence[str],
                  positions: Mapping[str, tuple[float, float]]) -> None:
    """Name the ``ranked`` nodes, most central first, skipping a name that would overlap one already placed.

    The layout is fixed first (drawn once, then frozen), so the extents measured here are those
    of the saved figure: in the A4 export no two names overlap, and none spills out of the map.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    FigureCanvasAgg(figure)
    figure.draw_without_rendering()  # the layout without painting pixels (a full draw was a third of the map's time)
    figure.set_layout_engine("none")
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    for u in ranked:
        x, y = positions[u]
        name = str(graph.nodes[u].get("name", u))
        label = ax.annotate(name if len(name) <= 18 else name[:17] + "…", (x, -y), xytext=(0, -7),
                            textcoords="offset points", ha="center", va="top", fontsize=9, zorder=3,
                            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                                  "alpha": 0.7})
        box = label.get_window_extent(renderer)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if not inside or any(box.overlaps(other) for other in placed):
            label.remove()
            continue
        placed.append(box)


def bar_figure(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    xlabel: str = "",
    color: str = OKABE_ITO[0],
    value_format: str = "{:,.0f}",
    missing_label: str = "NA",
    width: float = 8.0,
) -> Figure:
    """Horizontal bars, one per label (first label on top), each annotated with its value.

    A missing value (None, NaN) gets no bar and the text ``missing_label``: never a bar of 0.
    Counts (whole numbers) get whole-number ticks. ``width`` is the figure's width in inches
    (shown at 96 px an inch on the dashboard).

    Examples
    --------
    >>> len(bar_figure(["北地区", "南地区"], [2, 1]).axes)
    1
    """
    if len(labels) != len(values):
        raise MapOptionError("dashboard.length_mismatch", labels=len(labels), values=len(values))
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
        figure = _new_figure(width, max(2.0, 0.4 * len(labels) + 1.2))
        ax = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        missing = [v is None or (isinstance(v, float) and math.isnan(v)) for v in values]
        shown = [(y, float(v)) for y, v, gone in zip(positions, values, missing) if not gone]
        ax.barh([y for y, _ in shown], [v for _, v in shown], color=color)
        ax.set_yticks(positions, [str(label) for label in labels])
        for y, v in shown:
            ax.annotate(value_format.format(v), (v, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=MIN_FONT_PT)
        for y, gone in zip(positions, missing):
            if gone:
                ax.annotate(missing_label, (0, y), xytext=(3, 0), textcoords="offset points", va="center",
                            fontsize=MIN_FONT_PT, color="#555555", style="italic")
        integer_ticks(ax.xaxis, [v for _, v in shown])
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        _pin_empty_labels(figure)
    return figure


def heatmap_figure(frame: pd.DataFrame, *, title: str = "", cmap: str = "cividis_r",
                   value_format: str = "{:,.0f}", colorbar_label: str = "") -> Figure:
    """A heatmap of a numeric frame (rows × columns), with each cell's value written in it.

    ``cividis`` is perceptually uniform and readable with colour-vision deficiencies [1]_.

    References
    ----------
    .. [1] Nuñez, J. R., Anderton, C. R., & Renslow, R. S. (2018). Optimizing colormaps with
       consideration for color vision deficiency to enable accurate interpretation of scientific
       data. PLOS ONE, 13(7), e0199239.

    Examples
    --------
    >>> frame = pd.DataFrame({"高齢": [1, 0]}, index=["北", "南"])
    >>> len(heatmap_figure(frame).axes)
    2
    """
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
        data = frame.astype(float)
        figure = _new_figure(max(5.0, 0.9 * data.shape[1] + 3), max(2.5, 0.45 * data.shape[0] + 1.5))
        ax = figure.add_subplot()
        image = ax.imshow(data.to_numpy(), cmap=cmap, aspect="auto")
        ax.set_xticks(range(data.shape[1]), [str(c) for c in data.columns], rotation=30, ha="right")
        ax.set_yticks(range(data.shape[0]), [str(i) for i in data.index])
        finite = data.to_numpy()[~pd.isna(data.to_numpy())]
        middle = (finite.max() + finite.min()) / 2 if finite.size else 0
        for (i, j), value in pd.DataFrame(data.to_numpy()).stack().items():
            # Inside its cell, so out of the layout: constrained layout and the tight bounding box
            # need not measure every value (a fifth of the paper's heatmap time).
            ax.text(j, i, value_format.format(value), ha="center", va="center", fontsize=MIN_FONT_PT,
                    color="white" if value > middle else "black", in_layout=False)
        bar = figure.colorbar(image, ax=ax, label=colorbar_label)
        integer_ticks(bar.ax.yaxis, finite.tolist())
        ax.set_title(title)
        _pin_empty_labels(figure)
    return figure


def _pin_empty_labels(figure: Figure) -> None:
    """Fix where each axis without a label puts it (call last: a label set afterwards would stay there).

    matplotlib moves an axis label clear of the tick labels at every draw and bounding box, measuring
    every tick label again (a fifth of the time of a chart with 30 districts); an empty label draws
    nothing and has no extent, so where it sits changes no pixel.
    """
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.label.get_text():
                axis.set_label_coords(0.0, 0.0)


def lorenz_figure(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]], *, title: str = "",
                  xlabel: str = "", ylabel: str = "", size: float = 5.5) -> Figure:
    """Lorenz curves [1]_: for each name, (cumulative population share, cumulative value share), 0–1.

    The diagonal (perfect equality) is drawn for reference. ``size`` is the figure's width and
    height in inches.

    References
    ----------
    .. [1] Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. Publications of
       the American Statistical Association, 9(70), 209–219.

    Examples
    --------
    >>> len(lorenz_figure({"相談窓口": ([0, 0.5, 1], [0, 0.2, 1])}).axes)
    1
    """
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]
        figure = _new_figure(size, size)
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1)
        for (name, (x, y)), color in zip(curves.items(), OKABE_ITO):
            ax.plot(list(x), list(y), marker="o", markersize=3, label=name, color=color)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if curves:
            ax.legend()
    return figure
