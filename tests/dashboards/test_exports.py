"""Static images with embedded Japanese glyphs, table and graph downloads, uploads."""

from __future__ import annotations

import io
import zipfile

import networkx as nx
import pandas as pd
import pytest

from tsunagari.dashboards.downloads import frame_bytes, graph_bytes, node_tables, tie_table
from tsunagari.dashboards.errors import ExportFormatError, UploadError
from tsunagari.dashboards.static_export import (bar_figure, figure_bytes, japanese_font_path, lorenz_figure,
                                                network_figure)
from tsunagari.dashboards.upload import read_uploaded_package
from tsunagari.loaders.errors import DataPackageError


def test_japanese_font_is_available_and_embedded_as_paths():
    assert japanese_font_path() is not None, "install matplotlib-fontja (pip) or fonts-ipaexfont (apt)"
    svg = figure_bytes(bar_figure(["福祉", "住まい"], [3, 1], title="分野別の機関数"), "svg")
    assert b"<text" not in svg  # glyphs are paths: the file renders without the font installed
    assert b"DejaVu" not in svg and svg.count(b"<path") > 10
    png = figure_bytes(lorenz_figure({"人口あたり": ([0, 0.5, 1], [0, 0.2, 1])}), "png", dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ExportFormatError, match="jpeg"):
        figure_bytes(bar_figure(["a"], [1]), "jpeg")


def test_network_figure_draws_every_node():
    g = nx.MultiDiGraph([("1:a", "1:b", {"kind": "MEMBER_OF"})])
    g.add_node("1:a", kind="Agency", name="課", sector="福祉")
    g.add_node("1:b", kind="Council", name="会議")
    figure = network_figure(g, positions={"1:a": (0, 0), "1:b": (10, 10)}, title="テスト")
    from matplotlib.collections import LineCollection, PathCollection

    collections = figure.axes[0].collections
    assert sum(len(c.get_offsets()) for c in collections if isinstance(c, PathCollection)) == 2
    ties = [c for c in collections if isinstance(c, LineCollection)]  # every tie in one artist
    assert len(ties) == 1 and [s.tolist() for s in ties[0].get_segments()] == [[[0, 0], [10, -10]]]


def test_tables_roundtrip(tmp_path):
    frame = pd.DataFrame({"名称": ["地域包括支援センター"], "分野": [["高齢", "障がい"]]})
    csv = frame_bytes(frame, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert back.iloc[0].tolist() == ["地域包括支援センター", "高齢;障がい"]
    parquet = pd.read_parquet(io.BytesIO(frame_bytes(frame, "parquet")))
    assert parquet.iloc[0, 1] == "高齢;障がい"
    g = nx.MultiDiGraph()
    g.add_node("1:a", kind="Agency", id="a", name="課", domains=["高齢"])
    g.add_node("1:c", kind="Council", id="c", name="会議")
    g.add_edge("1:a", "1:c", key="1:t", kind="MEMBER_OF")
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(graph_bytes(g, fmt))
        read = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert read.number_of_nodes() == 2 and read.number_of_edges() == 1
    assert node_tables(g)["agencies"]["name"].tolist() == ["課"]
    assert tie_table(g)["kind"].tolist() == ["MEMBER_OF"]


def _zip_of(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, arcname=f"package/{path.name}")
    return buffer.getvalue()


def test_upload_valid_and_invalid(mini_copy):
    package = read_uploaded_package("テスト市.zip", _zip_of(mini_copy))
    assert package.code == "99999"
    agencies = mini_copy / "agencies.csv"
    agencies.write_text(agencies.read_text("utf-8").replace("住まい", "すまい"), "utf-8")
    with pytest.raises(DataPackageError) as caught:
        read_uploaded_package("bad.zip", _zip_of(mini_copy))
    assert any(i.file == "agencies.csv" and i.column == "sector" for i in caught.value.issues)
    with pytest.raises(UploadError, match="agencies.csv"):
        read_uploaded_package("agencies.csv", b"id,name\n")
