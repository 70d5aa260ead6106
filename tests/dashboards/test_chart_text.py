"""Charts as shown: no text under 10 pt, whole-number ticks on count axes, shown at their own size."""

from __future__ import annotations

import matplotlib.text
import pandas as pd
import pytest

from tsunagari.dashboards.district_map import DistrictValue, district_map
from tsunagari.dashboards.static_export import (MIN_FONT_PT, bar_figure, figure_bytes, heatmap_figure,
                                                lorenz_figure)
from tsunagari.dashboards.widgets import CSS_DPI, DISPLAY_DPI, png_css_width


def _texts(figure):
    figure_bytes(figure, "png", dpi=50)  # draw: ticks and their labels exist only then
    return [t for t in figure.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


FIGURES = {
    "bars": lambda: bar_figure(["福祉", "保健・医療", "教育"], [1, 2, 3], title="所管領域別", xlabel="件数",
                               width=4.6),
    "bars-rate": lambda: bar_figure(["北地区", "南地区"], [0.5, float("nan")], title="人口1万人あたり",
                                    value_format="{:,.2f}", missing_label="数値なし", width=5.9),
    "heatmap": lambda: heatmap_figure(pd.DataFrame({"相談": [0, 1], "参加": [2, 3]}, index=["北", "南"]),
                                      title="提供主体数", colorbar_label="提供主体数"),
    "lorenz": lambda: lorenz_figure({"人口": ([0, 0.5, 1], [0, 0.2, 1])}, title="ローレンツ曲線",
                                    xlabel="人口の累積比", ylabel="資源の累積比", size=3.9),
    "district-map": lambda: district_map([DistrictValue("a", "北地区", 1.0), DistrictValue("b", "南地区", 3.0),
                                          DistrictValue("c", "西地区", None)],
                                         title="空白", legend="空白の数", missing_label="数値なし"),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_no_text_under_10_pt(name):
    small = [(t.get_text(), t.get_fontsize()) for t in _texts(FIGURES[name]()) if t.get_fontsize() < MIN_FONT_PT]
    assert MIN_FONT_PT == 10 and not small, small


def _whole(ticks) -> bool:
    return all(float(t).is_integer() for t in ticks)


def test_count_axes_have_whole_number_ticks():
    bars = bar_figure(["北", "南"], [1, 2])  # matplotlib alone puts ticks at 0.25, 0.5 …
    figure_bytes(bars, "png", dpi=50)
    assert _whole(bars.axes[0].get_xticks())
    heat = heatmap_figure(pd.DataFrame({"相談": [0, 1], "参加": [2, 1]}, index=["北", "南"]))
    figure_bytes(heat, "png", dpi=50)
    assert _whole(heat.axes[1].get_yticks())  # the colour bar of provider counts
    gaps = district_map([DistrictValue("a", "北", 1.0), DistrictValue("b", "南", 2.0)], title="t", legend="l",
                        missing_label="m")
    figure_bytes(gaps, "png", dpi=50)
    assert _whole(gaps.axes[1].get_yticks())
    rates = bar_figure(["北", "南"], [0.25, 0.5])  # not counts: fractional ticks stay
    figure_bytes(rates, "png", dpi=50)
    assert not _whole(rates.axes[0].get_xticks())


def test_the_page_shows_a_figure_at_its_own_size():
    figure = FIGURES["bars"]()
    png = figure_bytes(figure, "png", dpi=DISPLAY_DPI)
    width_px = int.from_bytes(png[16:20], "big")
    assert png_css_width(png) == round(width_px * CSS_DPI / DISPLAY_DPI)
    # 4.6 in wide (tight bounding box within a few per cent) → about 442 CSS px: fits a half column of 482 px
    assert 400 <= png_css_width(png) <= 482
