"""The curated API works with no database and no server, as the README shows it."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

import tsunagari as tg
import tsunagari.analysis as ta
from tsunagari.samples import sample_path


def test_the_readme_example_runs_without_a_store():
    G = tg.package_graph(tg.read_package(sample_path("amagasaki")))
    scores = ta.betweenness(ta.actor_network(G))
    top = max(scores, key=scores.get)
    assert G.nodes[top]["name"] == "重層的支援推進担当課"  # the seeds' own hub (docs/metrics.md)
    assert scores[top] == pytest.approx(0.5232683418482607, abs=1e-12)  # PART_OF in the network by default


def test_the_api_names_are_exported():
    assert set(tg.__all__) == {"read_package", "package_graph", "open_store", "Settings", "TsunagariError",
                               "__version__"}
    for name in ta.__all__:
        assert getattr(ta, name) is not None, name


def test_analysis_import_loads_no_front_end_and_no_store():
    code = ("import sys, tsunagari.analysis; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'pyvis', 'ladybug', 'neo4j') "
            "or m.startswith(('tsunagari.dashboards', 'tsunagari.graph.store'))]; print(bad)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_every_error_is_a_tsunagari_error_and_its_builtin():
    with pytest.raises(tg.TsunagariError) as caught:
        ta.actor_network(nx.MultiDiGraph(), options=ta.NetworkOptions(tie_kinds=("SERVES",)))
    assert isinstance(caught.value, ValueError)
    with pytest.raises(LookupError):
        tg.open_store(tg.Settings(store_url="memory://")).resolve("nowhere")
