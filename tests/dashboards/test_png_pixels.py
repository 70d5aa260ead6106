"""The charts' PNGs (issue 15, paper time): the pixels matplotlib's own PNG writer gives, fewer bytes.

``figure_bytes`` writes RGB when every pixel is opaque, at zlib level 3; the static map places its
names after a layout pass without painting; heatmap values stay out of the layout. None of that may
change a pixel.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from PIL import Image

from tsunagari.dashboards.network_map import map_nodes
from tsunagari.dashboards.static_export import bar_figure, chart_style, figure_bytes, heatmap_figure, network_figure
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of


def _matplotlib_png(figure, dpi: int) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(chart_style()):
        figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_pngs_have_matplotlibs_pixels_without_alpha():
    frame = pd.DataFrame({"高齢": [1, 0, 12], "子ども": [3, 2, 0]}, index=["北", "南", "$x$ 地区"])
    for build in (lambda: bar_figure(["北地区", "南地区"], [2, 1], title="分野別"),
                  lambda: heatmap_figure(frame, title="提供者", colorbar_label="数")):
        reference = build()
        for text in reference.axes[0].texts:
            text.set_in_layout(True)  # as matplotlib lays out by default
        ours, theirs = figure_bytes(build(), "png", dpi=80), _matplotlib_png(reference, 80)
        assert Image.open(io.BytesIO(ours)).mode == "RGB"
        assert np.array_equal(_pixels(ours), _pixels(theirs))


def test_the_static_map_has_the_pixels_of_a_painted_layout_pass(monkeypatch):
    graph = map_nodes(package_graph_of(sample_path("ashiya")))
    positions = {u: (i % 17, i // 17) for i, u in enumerate(graph)}
    ours = figure_bytes(network_figure(graph, positions=positions, label_limit=20), "png", dpi=60)
    # The names used to be placed after a full (painted) draw: the same layout, so the same pixels.
    monkeypatch.setattr(Figure, "draw_without_rendering", lambda self: self.canvas.draw())
    painted = figure_bytes(network_figure(graph, positions=positions, label_limit=20), "png", dpi=60)
    assert np.array_equal(_pixels(ours), _pixels(painted))
