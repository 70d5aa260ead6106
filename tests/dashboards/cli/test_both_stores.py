"""The command line gives the same output on the embedded store and on Neo4j (issue 20).

The four samples are loaded into a new embedded store and into the emptied Neo4j test server;
``summary``, ``gaps``, ``inequality`` (text and JSON), ``metrics --format csv`` (nodes.csv,
graph.csv, manifest.json but its ``created``) and ``report`` (but its generation time) must be
byte for byte the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.neo4j_support import neo4j_marks, neo4j_settings, wipe_neo4j
from tsunagari.cli import main
from tsunagari.samples import SAMPLES, sample_path

pytestmark = [*neo4j_marks]

SLUGS = sorted(SAMPLES)
_GENERATED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}（日本時間）|\d{1,2} \w+ \d{4}, \d{2}:\d{2} JST")


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, str]:
    """Store URL by kind, each holding the four samples loaded by ``tsunagari load``."""
    wipe_neo4j()
    urls = {"embedded": f"embedded://{tmp_path_factory.mktemp('both') / 'store'}",
            "neo4j": neo4j_settings().store_url}
    paths = [str(sample_path(slug)) for slug in SLUGS]
    for url in urls.values():
        assert main(["--store", url, "load", *paths]) == 0
    yield urls
    wipe_neo4j()


def _run(capsys, url: str, *args: str) -> str:
    capsys.readouterr()
    code = main(["--store", url, *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _both(capsys, stores, *args: str) -> tuple[str, str]:
    return _run(capsys, stores["embedded"], *args), _run(capsys, stores["neo4j"], *args)


def test_list_is_the_same(capsys, stores):
    embedded, neo4j = _both(capsys, stores, "list")
    assert embedded == neo4j and len(embedded.splitlines()) == len(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("command", [
    ("summary",), ("gaps",), ("gaps", "--per", "elderly"), ("gaps", "--format", "json"),
    ("inequality",), ("inequality", "--per", "children"), ("inequality", "--format", "json")])
def test_text_reports_are_the_same(capsys, stores, slug, command):
    for lang in ("ja", "en"):
        embedded, neo4j = _both(capsys, stores, "--lang", lang, command[0], slug, *command[1:])
        assert embedded == neo4j, (lang, command)
        assert embedded.strip()


def test_inequality_across_municipalities_is_the_same(capsys, stores):
    embedded, neo4j = _both(capsys, stores, "inequality", *SLUGS)
    assert embedded == neo4j


@pytest.mark.parametrize("slug", SLUGS)
def test_metrics_exports_are_the_same(capsys, stores, tmp_path, slug):
    outputs = {}
    for kind, url in stores.items():
        out = tmp_path / kind
        text = _run(capsys, url, "metrics", slug, "--out", str(out), "--format", "csv")
        outputs[kind] = (text.replace(str(out), "OUT"), out)  # the ranking, then the files written
    (embedded_text, embedded_dir), (neo4j_text, neo4j_dir) = outputs["embedded"], outputs["neo4j"]
    assert embedded_text == neo4j_text
    assert sorted(p.name for p in embedded_dir.iterdir()) == sorted(p.name for p in neo4j_dir.iterdir())
    for name in ("nodes.csv", "graph.csv"):
        assert (embedded_dir / name).read_bytes() == (neo4j_dir / name).read_bytes(), name
    manifests = [json.loads((d / "manifest.json").read_text("utf-8")) for d in (embedded_dir, neo4j_dir)]
    assert all("created" in m for m in manifests)
    for manifest in manifests:
        manifest.pop("created")
    assert manifests[0] == manifests[1]


@pytest.mark.parametrize("slug", SLUGS)
def test_meeting_papers_are_the_same(capsys, stores, tmp_path, slug):
    papers = {}
    for kind, url in stores.items():
        path = tmp_path / f"{kind}.html"
        _run(capsys, url, "report", slug, "--out", str(path))
        text = path.read_text("utf-8")
        assert len(_GENERATED.findall(text)) == 1, "the paper's generation time is where this test expects it"
        papers[kind] = _GENERATED.sub("(generated)", text)
    assert papers["embedded"] == papers["neo4j"]


def test_the_samples_read_back_identically(stores):
    """Below the text: the graphs themselves, attribute for attribute and in the same order."""
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings

    with open_store(Settings(store_url=stores["embedded"]), read_only=True) as embedded:
        left = embedded.read_graphs()
    with open_store(neo4j_settings(), read_only=True) as neo4j:
        right = neo4j.read_graphs()
    assert list(left) == list(right)
    for code in left:
        a, b = left[code], right[code]
        assert a.graph == b.graph
        assert list(a.nodes(data=True)) == list(b.nodes(data=True)), code
        assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True)), code


def test_the_paths_exist():
    assert all(Path(sample_path(slug)).exists() for slug in SLUGS)
