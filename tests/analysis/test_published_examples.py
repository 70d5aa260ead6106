"""Brokerage roles and the E-I index against examples published by others.

The data, its sources and how each reference value was obtained are in
``tests/fixtures/published/README.md``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.analysis.brokerage import ROLES, brokerage_roles
from tsunagari.analysis.ei_index import ei_by_group, ei_by_node, ei_index

PUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "published"

# sna's column for each of our roles (b_IO / b_OI: see the fixtures README).
SNA_COLUMN = {"coordinator": "w_I", "itinerant": "w_O", "representative": "b_IO", "gatekeeper": "b_OI",
              "liaison": "b_O", "total": "t"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _case(name: str, ties: str, directed: bool) -> tuple[nx.Graph, dict[str, str]]:
    groups = {row["node"]: row["group"] for row in _rows(PUBLISHED / name / "groups.csv")}
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(groups)
    graph.add_edges_from((row["source"], row["target"]) for row in _rows(PUBLISHED / name / ties))
    return graph, groups


# --- Gould & Fernandez brokerage: the strike network -------------------------------------------

# raw.nli as printed in the NPS CORE Lab tutorial (sna::brokerage on Michael's strike network),
# rows in strike.net vertex order: coordinator (w_I), itinerant (w_O), representative (b_IO),
# gatekeeper (b_OI), liaison (b_O), total (t).
STRIKE_PRINTED = {
    "1": (0, 0, 0, 0, 0, 0), "2": (8, 0, 0, 0, 0, 8), "3": (0, 0, 0, 0, 0, 0), "4": (0, 0, 0, 0, 0, 0),
    "5": (18, 0, 5, 5, 0, 28), "6": (2, 0, 0, 0, 0, 2), "7": (4, 0, 0, 0, 0, 4), "8": (0, 0, 2, 2, 0, 4),
    "9": (14, 0, 10, 10, 2, 36), "10": (4, 0, 0, 0, 0, 4), "11": (0, 0, 0, 0, 0, 0), "12": (0, 0, 1, 1, 0, 2),
    "13": (4, 0, 0, 0, 0, 4), "14": (2, 0, 0, 0, 0, 2), "15": (8, 0, 0, 0, 0, 8), "16": (2, 0, 0, 0, 0, 2),
    "17": (10, 0, 0, 0, 0, 10), "18": (2, 0, 0, 0, 0, 2), "19": (0, 0, 0, 0, 0, 0), "20": (0, 0, 0, 0, 0, 0),
    "21": (0, 0, 3, 3, 0, 6), "22": (2, 0, 0, 0, 0, 2), "23": (0, 0, 0, 0, 0, 0), "24": (12, 0, 0, 0, 0, 12),
}


def test_strike_network_counts_equal_the_published_table():
    graph, groups = _case("strike", "ties.csv", directed=False)
    assert graph.number_of_edges() == 38
    roles = brokerage_roles(graph, groups)
    for node, printed in STRIKE_PRINTED.items():
        ours = tuple(int(roles.loc[node, role]) for role in (*ROLES, "total"))
        assert ours == printed, f"strike node {node}: ours {ours}, published {printed}"


@pytest.mark.parametrize("case, ties, directed", [("strike", "ties.csv", False), ("directed", "arcs.csv", True)])
def test_counts_expectations_and_z_scores_equal_sna(case, ties, directed):
    graph, groups = _case(case, ties, directed)
    roles = brokerage_roles(graph, groups)
    reference = _rows(PUBLISHED / case / "sna_brokerage.csv")
    assert sorted(row["node"] for row in reference) == sorted(roles.index)
    for row in reference:
        node = row["node"]
        for role, column in SNA_COLUMN.items():
            assert roles.loc[node, role] == int(row[column]), f"{case} {node} {role} count"
            for suffix in ("expected", "z"):
                theirs = float(row[f"{column}_{suffix}"])
                ours = float(roles.loc[node, f"{role}_{suffix}"])
                if math.isnan(theirs):
                    assert math.isnan(ours), f"{case} {node} {role}_{suffix}: sna NaN, ours {ours}"
                else:
                    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12), f"{case} {node} {role}_{suffix}"


def test_directed_example_separates_representative_from_gatekeeper():
    # a1 receives from b1 and c1 and passes on inside its own group A → gatekeeper twice;
    # b2 passes b1's flow (its own group) out to c1 and a3 → representative twice.
    graph, groups = _case("directed", "arcs.csv", directed=True)
    roles = brokerage_roles(graph, groups)
    assert (roles.loc["a1", "gatekeeper"], roles.loc["a1", "representative"]) == (2, 0)
    assert (roles.loc["b2", "representative"], roles.loc["b2", "gatekeeper"]) == (2, 0)


# --- Krackhardt & Stern E-I index: Koschade's Bali cell ----------------------------------------

# ei_index(jemmah_islamiyah, "role", scope = "node") as printed in the homophily documentation,
# rows in the order of Koschade (2006) Table 1.
KOSCHADE_NODE_PRINTED = {
    "1": 0.5555556, "2": 0.5000000, "3": 1.0000000, "4": 0.7333333, "5": 0.1111111, "6": 0.6000000,
    "7": 0.3333333, "8": 0.1111111, "9": 0.1111111, "10": 1.0000000, "11": -0.2000000, "12": -0.2000000,
    "13": -0.2000000, "14": -0.2000000, "15": 0.1111111, "16": 1.0000000, "17": 0.1111111,
}


def test_koschade_whole_network_ei_equals_the_published_value():
    graph, groups = _case("koschade_bali", "ties.csv", directed=False)
    assert graph.number_of_edges() == 63
    assert ei_index(graph, groups) == pytest.approx(0.3650794, abs=5e-8)


def test_koschade_node_ei_equals_the_published_values():
    graph, groups = _case("koschade_bali", "ties.csv", directed=False)
    ours = ei_by_node(graph, groups)
    for node, printed in KOSCHADE_NODE_PRINTED.items():
        assert ours[node] == pytest.approx(printed, abs=5e-8), f"Koschade node {node}"


def test_koschade_group_ei_counts_from_table_1():
    # Counted by hand from Table 1. Team Lima (nodes 11–14) are all tied to one another (I = 6)
    # and each also to nodes 4 and 10 (E = 8). The two suicide bombers (10, 16) are not tied to
    # each other (I = 0); node 10 has 5 ties and node 16 has 6 (E = 11).
    graph, groups = _case("koschade_bali", "ties.csv", directed=False)
    frame = ei_by_group(graph, groups).set_index("group")
    expected = {"Team Lima": (8, 6), "bomb maker": (25, 10), "command team": (28, 3),
                "operation assistant": (14, 1), "suicide bomber": (11, 0)}
    for group, (external, internal) in expected.items():
        assert (frame.loc[group, "external"], frame.loc[group, "internal"]) == (external, internal), group
        assert frame.loc[group, "ei"] == pytest.approx((external - internal) / (external + internal))
    # Every tie is counted once in the whole-network index: E + I = 63.
    total_external = sum(e for e, _ in expected.values()) / 2
    total_internal = sum(i for _, i in expected.values())
    assert total_external + total_internal == 63
