"""Tables and graphs as downloadable bytes: CSV (UTF-8 with BOM, opens in Excel), Parquet, GraphML, GEXF.

Pure functions, used by the Data page and unit-tested without Streamlit.
"""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd

from tsunagari.analysis.export import serializable_network
from tsunagari.text_safety import csv_cell
from tsunagari.dashboards.errors import ExportFormatError
from tsunagari.graph.model import NODE_KINDS

__all__ = ["TABLE_FORMATS", "GRAPH_FORMATS", "MIME_TYPES", "frame_bytes", "graph_bytes", "node_tables",
           "metrics_export_zip",
           "tie_table"]

TABLE_FORMATS = ("csv", "parquet")
GRAPH_FORMATS = ("graphml", "gexf")
MIME_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "graphml": "application/xml",
              "gexf": "application/xml", "json": "application/json"}


def _plain(value: object) -> object:
    # lists (domains) and other containers become "a;b" so every format can hold them
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return value


def frame_bytes(frame: pd.DataFrame, fmt: str = "csv") -> bytes:
    """``frame`` as ``csv`` (UTF-8 with BOM so Excel shows Japanese) or ``parquet`` bytes.

    List-valued cells become ``a;b`` (the data-package convention).

    Raises
    ------
    ExportFormatError
        If ``fmt`` is not in :data:`TABLE_FORMATS`.

    Examples
    --------
    >>> frame_bytes(pd.DataFrame({"名称": ["課"], "分野": [["高齢", "障がい"]]}))
    b'\\xef\\xbb\\xbf\\xe5\\x90\\x8d\\xe7\\xa7\\xb0,\\xe5\\x88\\x86\\xe9\\x87\\x8e\\n\\xe8\\xaa\\xb2,\\xe9\\xab\\x98\\xe9\\xbd\\xa2;\\xe9\\x9a\\x9c\\xe3\\x81\\x8c\\xe3\\x81\\x84\\n'
    """
    if fmt not in TABLE_FORMATS:
        raise ExportFormatError("analysis.option", name="fmt", allowed=list(TABLE_FORMATS), value=repr(fmt))
    plain = frame.copy()
    for column in plain.columns:
        if plain[column].dtype == object:
            plain[column] = plain[column].map(_plain)
    if fmt == "csv":  # formula-like text neutralised for spreadsheets (tsunagari.text_safety); numbers stay
        for column in plain.columns:
            if pd.api.types.is_object_dtype(plain[column]) or pd.api.types.is_string_dtype(plain[column]):
                plain[column] = plain[column].map(csv_cell)
        return plain.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    buffer = io.BytesIO()
    plain.to_parquet(buffer, index=False)
    return buffer.getvalue()


def graph_bytes(graph: nx.Graph, fmt: str = "graphml") -> bytes:
    """``graph`` as GraphML or GEXF (UTF-8), list attributes joined with ``;``, missing values dropped.

    Raises
    ------
    ExportFormatError
        If ``fmt`` is not in :data:`GRAPH_FORMATS`.

    Examples
    --------
    >>> g = nx.Graph(); g.add_node("1:a", name="課", domains=["高齢"])
    >>> b"\\xe9\\xab\\x98\\xe9\\xbd\\xa2" in graph_bytes(g)
    True
    """
    if fmt not in GRAPH_FORMATS:
        raise ExportFormatError("analysis.option", name="fmt", allowed=list(GRAPH_FORMATS), value=repr(fmt))
    clean = serializable_network(graph, for_gexf=fmt == "gexf")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8")
    else:
        nx.write_gexf(clean, buffer, encoding="utf-8")
    return buffer.getvalue()


def node_tables(graph: nx.MultiDiGraph) -> dict[str, pd.DataFrame]:
    """One frame per node table of the data package (``agencies``, ``councils`` ...), as stored.

    Columns follow the model's column order; ``uid`` first.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:n", kind="Need", id="n", name="ひきこもり")
    >>> node_tables(g)["needs"][["uid", "id", "name"]].values.tolist()
    [['1:n', 'n', 'ひきこもり']]
    """
    tables = {}
    for kind in NODE_KINDS:
        columns = ["uid", *(c.name for c in kind.columns)]
        rows = [{"uid": uid, **{c: data.get(c) for c in columns[1:]}}
                for uid, data in sorted(graph.nodes(data=True)) if data.get("kind") == kind.label]
        tables[kind.table] = pd.DataFrame(rows, columns=columns)
    return tables


def tie_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every tie (explicit and implied by reference columns) with its ends' ids and names.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:a", id="a", name="課"); g.add_node("1:c", id="c", name="会議")
    >>> _ = g.add_edge("1:a", "1:c", key="1:t", kind="MEMBER_OF", role="委員")
    >>> tie_table(g)[["from", "to", "kind", "role"]].values.tolist()
    [['a', 'c', 'MEMBER_OF', '委員']]
    """
    columns = ["tid", "from", "from_name", "to", "to_name", "kind", "role", "operation", "weight", "basis",
               "source", "note"]
    rows = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[2]))):
        rows.append({"tid": key, "from": graph.nodes[u].get("id", u), "from_name": graph.nodes[u].get("name"),
                     "to": graph.nodes[v].get("id", v), "to_name": graph.nodes[v].get("name"),
                     **{c: data.get(c) for c in columns[5:]}})
    return pd.DataFrame(rows, columns=columns)


def metrics_export_zip(result, fmt: str = "csv") -> bytes:
    """The metrics export of :func:`tsunagari.analysis.export.export_metrics` in ``fmt``, zipped.

    ``result`` is a :class:`tsunagari.analysis.metrics.MetricsResult`; the zip holds exactly the
    files ``tsunagari metrics --export`` writes, ``manifest.json`` included.

    Examples
    --------
    >>> from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
    >>> g = nx.MultiDiGraph(content_hash="abc"); g.add_node("a", kind="Agency", sector="福祉")
    >>> data = metrics_export_zip(compute_metrics(g, options=MetricsOptions(permutations=1)), "csv")
    >>> data[:2]
    b'PK'
    """
    import tempfile
    import zipfile
    from pathlib import Path

    from tsunagari.analysis.export import export_metrics

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="tsunagari-export-") as folder:
        files = export_metrics(result, Path(folder), fmt=fmt)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, arcname=Path(path).relative_to(folder).as_posix())
    return buffer.getvalue()
