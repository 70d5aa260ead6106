"""District maps: polygons shaded by a figure where boundaries exist, a tile grid otherwise, offline."""

from __future__ import annotations

from matplotlib.patches import Polygon, Rectangle

from tsunagari.dashboards.district_map import DistrictValue, district_map
from tsunagari.dashboards.static_export import figure_bytes

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
NEXT = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
VALUES = [DistrictValue("a", "東地区", 0.0), DistrictValue("b", "西地区", 4.0), DistrictValue("c", "$x$ 地区", None)]


def _patches(figure):
    axes = figure.axes[0]
    return [p for p in axes.patches if isinstance(p, (Polygon, Rectangle))]


def _colours(figure):
    return {text.get_text(): None for text in figure.axes[0].texts}


def test_polygons_where_boundaries_exist_tiles_for_the_rest():
    figure = district_map(VALUES, title="空白のセル数", legend="セル数", missing_label="数値なし",
                          boundaries={"a": SQUARE, "b": NEXT})
    patches = _patches(figure)
    polygons = [p for p in patches if isinstance(p, Polygon)]
    tiles = [p for p in patches if isinstance(p, Rectangle) and p.get_width() < 5]
    assert len(polygons) == 2 and len(tiles) == 1
    # Light for the lowest figure, dark for the highest, grey for none.
    low, high = (p.get_facecolor() for p in polygons)
    assert sum(low[:3]) > sum(high[:3])
    assert tuple(round(c, 3) for c in tiles[0].get_facecolor()[:3]) == (0.867, 0.867, 0.867)
    # each name over its figure (none for the grey one); `$` stays text
    assert [t.get_text() for t in figure.axes[0].texts] == ["東地区\n0", "西地区\n4", "$x$ 地区"]


def test_without_boundaries_every_district_is_a_tile_and_it_renders():
    figure = district_map(VALUES[:2], title="t", legend="l", missing_label="m")
    assert len([p for p in _patches(figure) if isinstance(p, Rectangle)]) == 2
    assert figure_bytes(figure, "png").startswith(b"\x89PNG")
    assert b"<svg" in figure_bytes(figure, "svg")[:500]
    for text in figure.axes[0].texts:
        assert text.get_fontsize() >= 10


def test_the_paper_has_a_gap_map_on_the_packages_boundaries(mini_copy):
    import json

    import tsunagari as tg
    from tsunagari.dashboards.council_report import build_report
    from tsunagari.dashboards.district_map import gap_map
    import tsunagari.analysis as ta

    (mini_copy / "districts.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "north"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"id": "south"}, "geometry": NEXT}]}), "utf-8")
    graph = tg.package_graph(tg.read_package(mini_copy))
    figure = gap_map(graph, ta.coverage_gaps(graph).cube)
    assert len([p for p in _patches(figure) if isinstance(p, Polygon)]) == 2
    assert 'id="figure-gap-map"' in build_report(graph)


def test_rate_map_shades_the_per_capita_figure_and_greys_the_districts_left_out():
    import networkx as nx
    import pandas as pd

    from tsunagari.dashboards.district_map import rate_map

    districts = pd.DataFrame({"district_id": ["a", "b", "c"], "district": ["東地区", "西地区", "南地区"],
                              "units": [2, 5, 1], "value": [0.5, 2.0, pd.NA], "included": [True, True, False]})
    graph = nx.MultiDiGraph()
    graph.add_node("1:a", kind="District", id="a", boundary='{"type": "Polygon", "coordinates": '
                                                           '[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}')
    figure = rate_map(graph, districts, per="population")
    polygons = [p for p in _patches(figure) if isinstance(p, Polygon)]
    tiles = [p for p in _patches(figure) if isinstance(p, Rectangle) and p.get_width() < 5]
    assert len(polygons) == 1 and len(tiles) == 2  # a on its boundary; b and c as tiles
    low, high, missing = polygons[0].get_facecolor(), tiles[0].get_facecolor(), tiles[1].get_facecolor()
    assert sum(low[:3]) > sum(high[:3])  # 0.5 lighter than 2.0
    assert tuple(round(c, 3) for c in missing[:3]) == (0.867, 0.867, 0.867)  # 南地区: no population figure
    assert "人口1万人あたり" in figure.axes[0].get_title() or "人口" in figure.axes[0].get_title()
    counts = rate_map(graph, districts, per=None)  # raw counts: every district has one
    tiles = [p for p in _patches(counts) if isinstance(p, Rectangle) and p.get_width() < 5]
    assert all(tuple(round(c, 3) for c in t.get_facecolor()[:3]) != (0.867, 0.867, 0.867) for t in tiles)


def test_coverage_and_inequality_pages_show_the_district_map(dashboard_store):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tsunagari.dashboards.i18n import t

    app = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=300)
    at.query_params["page"] = "coverage"
    at.run()
    assert not at.exception, at.exception
    assert t("map.gaps_title_domain", "ja", domain=t("coverage.any_domain", "ja")) in [s.value for s in at.subheader]
    assert len(at.get("image")) == 2  # the district map, then the heatmap
    at.switch_page("views/inequality.py").run()
    assert not at.exception, at.exception
    assert len(at.get("image")) == 4  # raw bars, per-capita bars, the district map, the Lorenz curve


def test_a_tile_name_with_dollars_is_text():
    # matplotlib's own wrapping measured names as mathtext: "$$" raised a ParseException on the page.
    figure = district_map([DistrictValue("a", "<img src=x>南地区 $$", 1.0)], title="t", legend="l", missing_label="m")
    assert figure_bytes(figure, "png").startswith(b"\x89PNG")
    assert "".join(t.get_text() for t in figure.axes[0].texts).replace("\n", "") == "<img src=x>南地区 $$1"


def test_the_gap_map_of_a_domain_adds_up_to_the_pages_gap_card():
    # The hand-built town: 多頭飼育 has no response anywhere (tests/fixtures/town/README.md), so every one of
    # the five pillars is × in each of the five districts; for any domain, the districts' figures sum to
    # the 空白 card of the coverage page.
    import tsunagari as tg
    import tsunagari.analysis as ta
    from tests.conftest import TOWN
    from tsunagari.dashboards.coverage_cells import gap_counts
    from tsunagari.dashboards.district_map import gap_values

    cube = ta.coverage_gaps(tg.package_graph(tg.read_package(TOWN))).cube
    assert [v.value for v in gap_values(cube, "多頭飼育")] == [5.0] * 5
    for domain in dict.fromkeys(cube["domain"]):
        assert sum(v.value for v in gap_values(cube, domain)) == gap_counts(cube, domain)["none"], domain
    # without a domain: the gap list (全体 rows left out), district by district
    specific = cube[(cube["domain_type"] != "any") & (cube["level"] == "none")]
    assert {v.district_id: v.value for v in gap_values(cube)} == {
        d: float((specific["district_id"] == d).sum()) for d in dict.fromkeys(cube["district_id"])}


def test_equal_districts_share_the_lightest_shade_when_all_are_zero():
    figure = district_map([DistrictValue("a", "東", 0.0), DistrictValue("b", "西", 0.0)], title="t", legend="l",
                          missing_label="m")
    tiles = [p for p in _patches(figure) if isinstance(p, Rectangle) and p.get_width() < 5]
    assert len({tuple(p.get_facecolor()) for p in tiles}) == 1
    assert sum(tiles[0].get_facecolor()[:3]) > 2.4  # light blue, not the middle of the scale
