"""District maps drawn offline: a choropleth on the package's boundaries, else a schematic grid.

A package may give district boundaries (``districts.geojson``, docs/data-format.md): the map then
shades each district's polygon by a figure (cells without a provider, a per-capita rate …). Without
boundaries, or for districts missing from them, the districts are drawn as equal tiles in a grid in
the order of the table, which still shows at a glance where the figure is high or low. Nothing is
fetched: no tile server, no web font; the Japanese font is the bundled one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

import matplotlib

from tsunagari.dashboards.static_export import chart_style, integer_ticks, japanese_font_family

__all__ = ["DistrictValue", "district_map", "polygons_of", "gap_map", "gap_values", "rate_map", "district_boundaries"]

_MISSING = "#DDDDDD"


@dataclass(frozen=True)
class DistrictValue:
    """One district on the map: its id, its name, and the figure that shades it (``None``: no figure)."""

    district_id: str
    name: str
    value: float | None


def polygons_of(geometry: Mapping) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON ``Polygon`` or ``MultiPolygon`` as lists of (x, y) points.

    Holes are ignored (a district map shades whole districts). Other geometry types give ``[]``.

    Examples
    --------
    >>> polygons_of({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]]
    >>> len(polygons_of({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]]] * 2}))
    2
    >>> polygons_of({"type": "Point", "coordinates": [0, 0]})
    []
    """
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons if polygon]


def _colour(value: float | None, low: float, high: float, cmap) -> str:
    if value is None or value != value:
        return _MISSING
    share = 0.5 if high <= low else (value - low) / (high - low)
    from matplotlib.colors import to_hex

    return to_hex(cmap(share)).upper()


def _shades():
    """Blues without its near-white start (a district at the low end stays visible on white paper) and
    without its darkest end; the colour bar uses the same colours."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    return ListedColormap(colormaps["Blues"](np.linspace(0.15, 0.95, 256)), name="tsunagari-blues")


def _ink(facecolor: str) -> str:
    """Black text on light shades, white on dark ones (WCAG relative luminance below 0.18)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(facecolor))
    return "#FFFFFF" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.18 else "#111111"


def district_map(values: Sequence[DistrictValue], *, title: str, legend: str, missing_label: str,
                 boundaries: Mapping[str, Mapping] | None = None, width_cm: float = 16.0) -> Figure:
    """A map of ``values``: polygons from ``boundaries`` (district id → GeoJSON geometry) where given,
    tiles in a grid for the rest, shaded from light (low) to dark (high); ``None`` is grey.

    ``title`` heads the figure, ``legend`` names the figure's unit beside the colour bar and
    ``missing_label`` the grey of districts without a figure. The figure is sized for A4
    (``width_cm`` wide) with text at 10 pt or more.
    """
    with matplotlib.rc_context(chart_style()):  # type: ignore[arg-type]  # text created here is plain text: a `$` in a name stays a `$`
        return _draw(values, title=title, legend=legend, missing_label=missing_label, boundaries=boundaries,
                     width_cm=width_cm)


def _draw(values: Sequence[DistrictValue], *, title: str, legend: str, missing_label: str,
          boundaries: Mapping[str, Mapping] | None, width_cm: float) -> Figure:
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch, Polygon, Rectangle

    family = japanese_font_family()
    cmap = _shades()
    figures = [v.value for v in values if v.value is not None and v.value == v.value]
    # Counts and rates are never negative: the scale starts at 0, so equal districts are not shaded as
    # "high" or "low" and all-zero districts are the lightest blue (a one-value range would be arbitrary).
    low = min(0.0, min(figures)) if figures else 0.0
    high = max(figures) if figures else 1.0
    high = high if high > low else low + 1.0
    shaped = {v.district_id: polygons_of(boundaries[v.district_id]) for v in values
              if boundaries and v.district_id in boundaries}
    shaped = {k: p for k, p in shaped.items() if p}
    tiles = [v for v in values if v.district_id not in shaped]
    width = width_cm / 2.54
    figure = Figure(figsize=(width, width * 0.75), dpi=150)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_aspect("equal")
    points: list[tuple[float, float]] = []
    for value in values:
        shade = _colour(value.value, low, high, cmap)
        for ring in shaped.get(value.district_id, []):
            axes.add_patch(Polygon(ring, closed=True, facecolor=shade,
                                   edgecolor="#333333", linewidth=0.8))
            points += ring
        if value.district_id in shaped:
            ring = max(shaped[value.district_id], key=len)
            x = sum(p[0] for p in ring) / len(ring)
            y = sum(p[1] for p in ring) / len(ring)
            axes.text(x, y, _label(value.name, value.value), ha="center", va="center", fontsize=10, family=family,
                      color=_ink(shade))
    if tiles:
        # Below the polygons (or alone): equal tiles, a near-square grid in table order.
        left = min((p[0] for p in points), default=0.0)
        right = max((p[0] for p in points), default=1.0)
        bottom = min((p[1] for p in points), default=0.0)
        columns = max(1, math.ceil(math.sqrt(len(tiles))))
        size = (right - left) / columns if points else 1.0
        top = bottom - size * 0.3 if points else 0.0
        # Names broken into lines by hand (matplotlib's wrap=True measures the text as mathtext, so a
        # name with `$$` raised): 10 pt full-width characters are about 0.4 cm.
        per_line = max(2, int(width_cm * 0.7 / columns / 0.45))
        for index, value in enumerate(tiles):
            row, column = divmod(index, columns)
            x, y = left + column * size, top - (row + 1) * size
            shade = _colour(value.value, low, high, cmap)
            axes.add_patch(Rectangle((x, y), size * 0.94, size * 0.94, facecolor=shade, edgecolor="#333333",
                                     linewidth=0.8))
            axes.text(x + size * 0.47, y + size * 0.47, _label(_wrap(value.name, per_line), value.value),
                      ha="center", va="center", fontsize=10, family=family, color=_ink(shade))
            points += [(x, y), (x + size, y + size)]
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        pad_x, pad_y = (max(xs) - min(xs)) * 0.03 or 0.1, (max(ys) - min(ys)) * 0.03 or 0.1
        axes.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        axes.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    axes.set_title(title, fontsize=12, family=family)
    mappable = ScalarMappable(norm=Normalize(low, high), cmap=cmap)
    bar = figure.colorbar(mappable, ax=axes, fraction=0.04, pad=0.02)
    bar.set_label(legend, fontsize=10, family=family)
    bar.ax.tick_params(labelsize=10)
    integer_ticks(bar.ax.yaxis, figures)  # counts (gaps, resource units): whole-number ticks
    if any(v.value is None or v.value != v.value for v in values):
        axes.legend(handles=[Patch(facecolor=_MISSING, edgecolor="#333333", label=missing_label)],
                    loc="lower left", bbox_to_anchor=(0, -0.08), fontsize=10, frameon=False,
                    prop={"family": family, "size": 10})
    return figure


def district_boundaries(graph) -> dict[str, Mapping]:
    """District id → GeoJSON geometry of every district of ``graph`` that has a ``boundary``."""
    import json

    boundaries = {}
    for _, data in graph.nodes(data=True):
        if data.get("kind") == "District" and data.get("boundary"):
            try:
                boundaries[str(data.get("id"))] = json.loads(str(data["boundary"]))
            except ValueError:
                continue
    return boundaries


def _label(name: str, value: float | None) -> str:
    r"""The district's name over its figure (a printed map is read by its numbers, not only its shades).

    >>> _label("北地区", 3.0), _label("南地区", 1.23456), _label("西地区", None)
    ('北地区\n3', '南地区\n1.23', '西地区')
    """
    if value is None or value != value:
        return name
    return f"{name}\n{int(value):,}" if float(value).is_integer() else f"{name}\n{value:,.2f}"


def _wrap(name: str, per_line: int) -> str:
    r"""``name`` in lines of at most ``per_line`` characters.

    Examples
    --------
    >>> _wrap("小田南地区まちづくり", 4)
    '小田南地\n区まちづ\nくり'
    """
    return "\n".join(name[i:i + per_line] for i in range(0, len(name), per_line)) or name


def gap_map(graph, cube, *, domain: str | None = None, domain_label: str | None = None,
            lang: str = "ja") -> Figure | None:
    """The map of the cells without a provider (×) per district, from a coverage cube
    (:func:`~tsunagari.analysis.coverage.coverage_cube`); on the districts' ``boundary`` where the
    package gives one, else as tiles. ``None`` when there is no district.

    With ``domain`` (a value of the cube's ``domain``, shown as ``domain_label``), a district's figure
    is its pillars without a provider for that domain or need: the count the coverage page's
    「空白」 card sums over the districts. Without, it is every pillar × domain or need without a
    provider (the rows of the gap list; the 全体 rows, a pillar with no provider at all, are not counted
    again).
    """
    from tsunagari.dashboards.i18n import t

    if cube is None or len(cube) == 0:
        return None
    if domain is not None:
        title = t("map.gaps_title_domain", lang, domain=domain_label or domain)
        legend = t("map.gaps_legend_domain", lang)
    else:
        title, legend = t("map.gaps_title", lang), t("map.gaps_legend", lang)
    return district_map(gap_values(cube, domain), title=title, legend=legend, missing_label=t("map.no_figure", lang),
                        boundaries=district_boundaries(graph) or None)


def gap_values(cube, domain: str | None = None) -> list[DistrictValue]:
    """Each district's cells without a provider (×), as :func:`gap_map` shades them: for ``domain``,
    its pillars without a provider; without, every pillar × domain or need (the 全体 rows left out).

    Examples
    --------
    >>> import pandas as pd
    >>> cube = pd.DataFrame({"district_id": ["n", "n", "n", "s"], "district": ["北", "北", "北", "南"],
    ...                      "pillar": ["地域づくり", "参加支援", "地域づくり", "地域づくり"],
    ...                      "domain": ["高齢", "高齢", "全体", "高齢"], "domain_type": ["domain", "domain", "any", "domain"],
    ...                      "level": ["none", "none", "none", "thin"]})
    >>> [(v.name, v.value) for v in gap_values(cube, "高齢")], [(v.name, v.value) for v in gap_values(cube)]
    ([('北', 2.0), ('南', 0.0)], [('北', 2.0), ('南', 0.0)])
    >>> [(v.name, v.value) for v in gap_values(cube, "全体")]
    [('北', 1.0), ('南', 0.0)]
    """
    cells = cube[cube["domain"] == domain] if domain is not None else cube[cube["domain_type"] != "any"]
    districts = cube.drop_duplicates("district_id")  # every district, also one without cells of ``domain``
    none = cells[cells["level"] == "none"].groupby("district_id", sort=False).size()
    return [DistrictValue(str(row.district_id), str(row.district), float(none.get(row.district_id, 0)))
            for row in districts.itertuples(index=False)]


def rate_map(graph, districts, *, per: str | None, lang: str = "ja") -> Figure | None:
    """The map of each district's local resources, per capita by ``per`` (``value`` of
    :func:`~tsunagari.analysis.inequality.district_inequality`) or as counts (``units``) when
    ``per`` is ``None``; a district left out of the comparison (no denominator) is grey.
    ``None`` when there is no district."""
    import pandas as pd

    from tsunagari.dashboards.i18n import t

    if districts is None or len(districts) == 0:
        return None
    column = "value" if per else "units"
    values = []
    for row in districts.itertuples(index=False):
        value = getattr(row, column)
        missing = bool(pd.isna(value)) or (per is not None and not bool(row.included))
        values.append(DistrictValue(str(row.district_id), str(row.district), None if missing else float(value)))
    label = t(f"inequality.per.{per or 'none'}", lang)
    return district_map(values, title=t("map.rate_title", lang, per=label), legend=label,
                        missing_label=t("map.no_figure", lang), boundaries=district_boundaries(graph) or None)
