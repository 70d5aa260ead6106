"""`tsunagari metrics`: every format on the mini package and on every sample; exit codes."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from tsunagari.analysis.export import FORMATS, export_metrics
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.cli import main
from tsunagari.loaders.validate import read_package
from tsunagari.samples import SAMPLES, sample_path


def test_every_format(store_url, mini_path, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    for fmt in FORMATS:
        out = tmp_path / fmt
        assert main(["--store", store_url, "metrics", "testshi", "--out", str(out), "--format", fmt,
                     "--permutations", "20"]) == 0
        assert (out / "manifest.json").exists()
        assert json.loads((out / "manifest.json").read_text("utf-8"))["format"] == fmt
    printed = capsys.readouterr().out
    assert "1. 重層的支援推進担当課 [福祉]" in printed
    assert main(["--store", store_url, "--lang", "en", "metrics", "99999", "--out", str(tmp_path / "en"),
                 "--permutations", "20", "--ties", "REFERS_TO", "--affiliations", "none", "--group", "layer"]) == 0
    manifest = json.loads((tmp_path / "en" / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["network"] == {"tie_kinds": ["REFERS_TO"], "affiliations": []}
    assert manifest["parameters"]["group"] == "layer"
    assert "Top actors by betweenness" in capsys.readouterr().out


def test_exit_codes(store_url, mini_path, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["--store", store_url, "metrics", "尼崎市ではない", "--out", str(out)]) == 2
    assert "市町村「尼崎市ではない」はストアにありません" in capsys.readouterr().err
    assert main(["--store", store_url, "metrics", "99999", "--out", str(out), "--format", "xlsx"]) == 2
    assert "選べない値です: 'xlsx'" in capsys.readouterr().err
    assert main(["--store", store_url, "--lang", "en", "metrics", "99999", "--out", str(out), "--format", "xlsx"]) == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err
    assert main(["--store", store_url, "--lang", "en", "metrics", "99999", "--out", str(out),
                 "--ties", "SERVES"]) == 2
    assert capsys.readouterr().err.startswith("`tie_kinds` has ['SERVES']")
    assert main(["--store", store_url, "metrics", "99999", "--out", str(out), "--permutations", "0"]) == 2
    assert "`permutations` は 1 以上にしてください" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())  # nothing was written by the refused runs
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["--store", store_url, "metrics", "99999", "--out", str(blocker), "--permutations", "5"]) == 2
    assert "フォルダではありません" in capsys.readouterr().err


def test_metrics_writes_only_into_an_empty_folder(store_url, mini_path, tmp_path, capsys):
    # A second run into the same folder would leave files its manifest does not list (e.g. csv beside parquet).
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    out = tmp_path / "out"
    assert main(["--store", store_url, "metrics", "99999", "--out", str(out), "--permutations", "5"]) == 0
    written = sorted(p.name for p in out.iterdir())
    capsys.readouterr()
    assert main(["--store", store_url, "metrics", "99999", "--out", str(out), "--format", "json",
                 "--permutations", "5"]) == 2
    assert f"空ではありません（{len(written)} 件のファイル）" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == written  # untouched


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_every_sample_every_format(store, slug, tmp_path):
    try:
        path = sample_path(slug)
    except FileNotFoundError:
        pytest.skip(f"sample {slug} not present")
    code = store.load_package(read_package(path)).code
    graph = store.read_graph(code)
    result = compute_metrics(graph, options=MetricsOptions(permutations=50))
    actors = sorted(u for u, d in graph.nodes(data=True) if d["kind"] in ("Agency", "ResidentGroup"))
    assert sorted(result.nodes["uid"]) == actors, "one metrics row per actor, no more, no less"
    for fmt in FORMATS:
        export_metrics(result, tmp_path / fmt, fmt=fmt)
    loaded = nx.read_graphml(tmp_path / "graphml" / "network.graphml")
    assert loaded.number_of_nodes() == len(result.nodes)
    gexf = nx.read_gexf(tmp_path / "gexf" / "network.gexf")
    assert gexf.number_of_edges() == result.network.number_of_edges()
