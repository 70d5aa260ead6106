"""Names from a package cannot act in the files and terminals they reach (spreadsheets, XML, consoles)."""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd

from tsunagari.analysis.export import serializable_network
from tsunagari.dashboards.downloads import frame_bytes, graph_bytes
from tsunagari.dashboards.static_export import bar_figure, figure_bytes
from tsunagari.text_safety import spreadsheet_safe, terminal_safe, xml_safe

FORMULAS = ['=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def test_every_formula_start_is_neutralised_and_numbers_stay_numbers():
    assert [spreadsheet_safe(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert [spreadsheet_safe(v) for v in (-3, 2.5, "福祉課", "", None)] == [-3, 2.5, "福祉課", "", None]


def test_csv_downloads_keep_no_formula():
    frame = pd.DataFrame({"name": FORMULAS, "count": range(len(FORMULAS))})
    back = pd.read_csv(io.BytesIO(frame_bytes(frame)), encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(FORMULAS) and all(str(cell).startswith("'") for cell in back["name"])
    assert back["count"].tolist() == list(range(len(FORMULAS)))  # still numbers


def test_control_characters_never_break_graphml_or_gexf():
    g = nx.MultiDiGraph()
    g.add_node("1:a", kind="Agency", id="a", name="課\x07\x1b名", domains=["高齢\x00"])
    g.add_node("1:b", kind="Council", id="b", name="会議")
    g.add_edge("1:a", "1:b", key="1:t", kind="MEMBER_OF", basis="事例\x0b1")
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = read(io.BytesIO(graph_bytes(g, fmt)))
        assert back.nodes["1:a"]["name"] == "課名" and back.nodes["1:a"]["domains"] == "高齢"
    assert dict(serializable_network(g).nodes["1:a"])["name"] == "課名"
    assert xml_safe("ok\ttab\nline") == "ok\ttab\nline"


def test_terminal_output_shows_escape_sequences_instead_of_obeying_them():
    assert terminal_safe("尼崎\x1b[31m赤\x07\nnext\tcol") == "尼崎\\x1b[31m赤\\x07\nnext\tcol"


def test_dollar_signs_in_names_draw_as_text():
    png = figure_bytes(bar_figure(["$x$ 地区", "a$b"], [1, 2], title="$100 の$"), "png", dpi=30)
    assert png[:4] == b"\x89PNG"
