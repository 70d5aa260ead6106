"""Export: every format reloads with the measures intact; output is reproducible; manifest is complete."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from tsunagari.analysis.errors import ExportFormatError
from tsunagari.analysis.export import FORMATS, export_metrics, serializable_network
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.loaders.validate import read_package

MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "constraint", "effective_size",
            "brokerage_gatekeeper", "brokerage_total_z", "ei", "participation_group", "community",
            "pairs_lost_share", "loss_rank", "cutpoint", "aggregate")
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def result(mini_graph):
    return compute_metrics(mini_graph, options=MetricsOptions(permutations=50))


def same(a, b) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == pytest.approx(b) if isinstance(a, float) else a == b


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_reload_in_networkx(result, tmp_path, fmt):
    export_metrics(result, tmp_path, fmt=fmt, created=WHEN)
    path = tmp_path / f"network.{fmt}"
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert sorted(loaded.nodes) == sorted(result.network.nodes)
    assert loaded.number_of_edges() == result.network.number_of_edges()
    frame = result.nodes.set_index("uid")
    for uid in frame.index:
        attrs = loaded.nodes[uid]
        for measure in MEASURES:
            expected = frame.loc[uid, measure]
            expected = expected.item() if isinstance(expected, np.generic) else expected
            assert same(expected, attrs[measure]), (uid, measure, expected, attrs[measure])
        assert attrs["local_id"] == frame.loc[uid, "id"]
    assert loaded.nodes["99999:hub"]["domains"] == "全世代"  # list joined with ';'
    assert "parent" not in loaded.nodes["99999:hub"]  # None dropped
    u, v = "99999:hub", "99999:shakyo"
    assert loaded[u][v]["weight"] == pytest.approx(1.5) and loaded[u][v]["kinds"] == "REFERS_TO"
    if fmt == "graphml":
        assert loaded.graph["content_hash"] == result.network.graph["content_hash"]
        assert loaded.graph["metric_density"] == pytest.approx(1 / 3)
    else:
        assert loaded.nodes["99999:hub"]["label"] == "重層的支援推進担当課"


def test_graphml_loads_in_igraph(result, tmp_path):
    export_metrics(result, tmp_path, fmt="graphml", created=WHEN)
    g = igraph.Graph.Read_GraphML(str(tmp_path / "network.graphml"))
    hub = g.vs.find(id="99999:hub")
    assert hub["betweenness"] == pytest.approx(0.5)
    assert g.ecount() == 5


def test_tables_reload(result, tmp_path):
    for fmt in ("csv", "parquet", "json"):
        export_metrics(result, tmp_path / fmt, fmt=fmt, created=WHEN)
    csv = pd.read_csv(tmp_path / "csv" / "nodes.csv", keep_default_na=False, na_values=[""])
    parquet = pd.read_parquet(tmp_path / "parquet" / "nodes.parquet")
    records = json.loads((tmp_path / "json" / "nodes.json").read_text("utf-8"))
    assert list(csv.columns) == list(result.nodes.columns) == list(parquet.columns)
    assert csv.loc[csv["id"] == "hub", "name"].item() == "重層的支援推進担当課"
    np.testing.assert_allclose(csv["betweenness"], result.nodes["betweenness"])
    pd.testing.assert_frame_equal(parquet, result.nodes, check_dtype=False)
    hub = next(r for r in records if r["id"] == "hub")
    assert hub["betweenness"] == 0.5 and hub["brokerage_liaison"] == 4
    town = next(r for r in records if r["id"] == "chokai_n")
    assert town["constraint"] is None  # NaN → null
    graph = json.loads((tmp_path / "json" / "graph.json").read_text("utf-8"))
    assert graph["nodes"] == 6
    network = nx.node_link_graph(json.loads((tmp_path / "json" / "network.json").read_text("utf-8")), edges="links")
    assert network.nodes["99999:hub"]["betweenness"] == 0.5


def test_manifest(result, tmp_path):
    paths = export_metrics(result, tmp_path, fmt="graphml", created=WHEN)
    assert [p.name for p in paths] == ["nodes.csv", "graph.csv", "network.graphml", "manifest.json"]
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["tool"] == "tsunagari" and manifest["version"]
    assert manifest["input_content_hash"] == result.network.graph["content_hash"]
    assert len(manifest["input_content_hash"]) == 64
    assert manifest["created"] == "2026-01-02T03:04:05+00:00"
    assert manifest["parameters"]["permutations"] == 50
    assert manifest["parameters"]["network"]["affiliations"] == ["Council", "Program"]
    assert manifest["municipality"]["code"] == "99999"
    import hashlib
    for entry in manifest["files"]:
        assert hashlib.sha256((tmp_path / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reproducible_bytes(mini_graph, tmp_path, fmt):
    graph = mini_graph
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))
    random.Random(4).shuffle(nodes)
    random.Random(5).shuffle(edges)
    other = nx.MultiDiGraph(**graph.graph)
    other.add_nodes_from(nodes)
    other.add_edges_from(edges)
    options = MetricsOptions(permutations=50)
    a = export_metrics(compute_metrics(graph, options=options), tmp_path / "a", fmt=fmt, created=WHEN)
    b = export_metrics(compute_metrics(other, options=options), tmp_path / "b", fmt=fmt, created=WHEN)
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_bad_format(result, tmp_path):
    with pytest.raises(ExportFormatError, match="xlsx"):
        export_metrics(result, tmp_path, fmt="xlsx")


def test_serializable_network_drops_none_and_joins_lists():
    g = nx.Graph()
    g.add_node("a", id="a", domains=["高齢", "障がい"], parent=None, score=np.float64(0.5))
    out = serializable_network(g, for_gexf=True)
    assert dict(out.nodes["a"]) == {"local_id": "a", "domains": "高齢;障がい", "score": 0.5, "label": "a"}
    assert type(out.nodes["a"]["score"]) is float
