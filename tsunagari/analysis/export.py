"""Write a metrics run to files researchers can cite and reload.

Files written in ``out`` (``fmt`` one of :data:`FORMATS`):

* ``csv`` — ``nodes.csv``, ``graph.csv`` (UTF-8 with BOM so that Excel shows Japanese correctly;
  pandas, R and LibreOffice read it as UTF-8);
* ``parquet`` — ``nodes.parquet``, ``graph.parquet``;
* ``json`` — ``nodes.json`` (list of records, NaN → null), ``graph.json`` (measure → value) and
  ``network.json`` (networkx node-link format with the measures as attributes);
* ``graphml`` / ``gexf`` — ``network.graphml`` / ``network.gexf`` (the actor network with every
  node measure as a node attribute; loadable by networkx, Gephi and igraph) plus ``nodes.csv``
  and ``graph.csv``;
* always ``manifest.json``: tool and version, municipality, input content hash, parameters,
  timestamp (UTC), and the SHA-256 of every file written.

List attributes (``domains``) are joined with ``;`` and missing values dropped in graph formats.
Nodes, edges and columns are written in a fixed order, so the same input and parameters give
byte-identical data files (only the manifest's timestamp differs).
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from tsunagari.version import __version__
from tsunagari.text_safety import csv_cell, xml_safe
from tsunagari.analysis.errors import ExportFormatError
from tsunagari.analysis.metrics import MetricsResult

__all__ = ["FORMATS", "export_metrics", "serializable_network"]

FORMATS: tuple[str, ...] = ("csv", "parquet", "graphml", "gexf", "json")


def _igraph_version() -> str:
    import igraph  # the default backend of the expensive measures: part of what a paper should cite

    return igraph.__version__


def _plain(value: object) -> object:
    """Python scalar for a graph-format attribute; None for missing values; lists joined by ``;``."""
    if isinstance(value, (list, tuple, set)):
        return xml_safe(";".join(str(v) for v in (sorted(value) if isinstance(value, set) else value)))
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return value
    return xml_safe(value)  # GraphML and GEXF are XML: a control character in a name would break them


def serializable_network(network: nx.Graph, *, for_gexf: bool = False) -> nx.Graph:
    """Copy of ``network`` whose attributes GraphML/GEXF writers accept.

    Lists become ``;``-joined strings, None/NA are dropped, numpy scalars become Python scalars,
    characters XML forbids are removed, and nodes and edges are sorted (a multigraph keeps edge keys).
    The one serializer of Tsunagari's graphs: ``tsunagari metrics`` and the dashboard's downloads both use it. The local ``id`` is renamed ``local_id`` (GEXF and igraph take
    an ``id`` attribute as the node's identity); for GEXF, ``label`` is the name (Gephi shows it).

    Examples
    --------
    >>> g = nx.Graph(); g.add_node("a", domains=["高齢", "障がい"], parent=None)
    >>> dict(serializable_network(g).nodes["a"])
    {'domains': '高齢;障がい'}
    """
    result = network.__class__()
    for key, value in sorted(network.graph.items()):
        plain = _plain(value)
        if plain is not None:
            result.graph[key] = plain
    for node in sorted(network):
        attrs = {}
        for key, value in network.nodes[node].items():
            plain = _plain(value)
            if plain is not None:
                attrs[key] = plain
        if "id" in attrs:  # GEXF and igraph's GraphML reader take `id` as the node's identity
            attrs["local_id"] = attrs.pop("id")
        if for_gexf:
            attrs["label"] = str(attrs.get("name", node))
        result.add_node(node, **attrs)
    def edge_attrs(data: dict) -> dict:
        return {k: p for k, p in ((k, _plain(x)) for k, x in data.items()) if p is not None}

    if network.is_multigraph():  # the data graph: keep each tie's key (its tid)
        for u, v, key, data in sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
            result.add_edge(u, v, key=key, **edge_attrs(data))
    else:
        for u, v, data in sorted(network.edges(data=True), key=lambda e: (e[0], e[1])):
            result.add_edge(u, v, **edge_attrs(data))
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def _spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(csv_cell)
    return safe


def _write_tables(result: MetricsResult, out: Path, fmt: str) -> list[Path]:
    nodes, graph = result.nodes, result.graph
    if fmt == "csv" or fmt in ("graphml", "gexf"):
        paths = [out / "nodes.csv", out / "graph.csv"]
        # Names are free text: neutralise formula-like cells for spreadsheets (text_safety); numbers stay.
        _spreadsheet_frame(nodes).to_csv(paths[0], index=False, encoding="utf-8-sig", lineterminator="\n")
        _spreadsheet_frame(graph).to_csv(paths[1], index=False, encoding="utf-8-sig", lineterminator="\n")
        return paths
    if fmt == "parquet":
        paths = [out / "nodes.parquet", out / "graph.parquet"]
        nodes.to_parquet(paths[0], index=False)
        graph.to_parquet(paths[1], index=False)
        return paths
    paths = [out / "nodes.json", out / "graph.json"]
    _write_json(paths[0], [{k: _json_value(v) for k, v in row.items()} for row in nodes.to_dict("records")])
    _write_json(paths[1], {m: _json_value(v) for m, v in zip(graph["measure"], graph["value"], strict=True)})
    return paths


def export_metrics(result: MetricsResult, out: str | Path, *, fmt: str = "csv",
                   created: datetime | None = None) -> list[Path]:
    """Write ``result`` to the folder ``out`` (created if needed) in format ``fmt``.

    Parameters
    ----------
    result
        From :func:`tsunagari.analysis.metrics.compute_metrics`.
    out
        Output folder; existing files of the same names are overwritten.
    fmt
        One of :data:`FORMATS`.
    created
        Timestamp recorded in the manifest (default: now, UTC).

    Returns
    -------
    list of pathlib.Path
        Files written, ``manifest.json`` last.

    Raises
    ------
    ExportFormatError
        If ``fmt`` is not one of :data:`FORMATS`.

    Examples
    --------
    >>> import tempfile
    >>> from tsunagari.analysis.metrics import compute_metrics, MetricsOptions
    >>> g = nx.MultiDiGraph(content_hash="abc"); g.add_node("a", kind="Agency", sector="福祉")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export_metrics(compute_metrics(g, options=MetricsOptions(permutations=1)), d)]
    ['nodes.csv', 'graph.csv', 'manifest.json']
    """
    if fmt not in FORMATS:
        raise ExportFormatError("analysis.option", name="format", allowed=list(FORMATS), value=repr(fmt))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = _write_tables(result, out, fmt)
    if fmt == "graphml":
        path = out / "network.graphml"
        nx.write_graphml(serializable_network(result.network), path, encoding="utf-8", infer_numeric_types=True)
        written.append(path)
    elif fmt == "gexf":
        path = out / "network.gexf"
        nx.write_gexf(serializable_network(result.network, for_gexf=True), path, encoding="utf-8")
        written.append(path)
    elif fmt == "json":
        path = out / "network.json"
        data = nx.node_link_data(serializable_network(result.network), edges="links")
        _write_json(path, _clean(data))
        written.append(path)
    info = result.network.graph
    manifest = {
        "tool": "tsunagari",
        "version": __version__,
        "municipality": {k: _json_value(info.get(k)) for k in ("code", "name", "name_en", "slug", "prefecture")},
        "input_content_hash": info.get("content_hash"),
        "parameters": result.options.to_dict(),
        "format": fmt,
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "environment": {"python": platform.python_version(), "networkx": nx.__version__, "pandas": pd.__version__,
                        "igraph": _igraph_version()},
        "files": [{"name": p.name, "sha256": _sha256(p), "bytes": p.stat().st_size} for p in written],
        "columns_documented_in": "docs/metrics.md",
    }
    manifest_path = out / "manifest.json"
    _write_json(manifest_path, manifest)
    return [*written, manifest_path]


def _clean(data: object) -> object:
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_clean(v) for v in data]
    return _json_value(data)
