"""The one conversion from records or stored rows to a networkx graph.

Both paths end in :func:`build_graphs`: a store feeds it the rows its read statements return, and
:func:`package_graph` feeds it the rows the same package would be stored as. So the graph a
researcher gets from a package with no database is the graph the dashboard reads from a store,
attribute for attribute and in the same node and edge order (``tests/graph/test_conversion.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from tsunagari.graph import cypher
from tsunagari.graph.records import DataPackage

__all__ = ["package_graph", "package_rows", "build_graphs", "NodeRows", "TieRows"]

NodeRows = Sequence[tuple[cypher.NodeSchema, Iterable[dict[str, Any]]]]
"""Per node schema, its rows: every schema property (``None`` where absent), ordered by uid."""
TieRows = Sequence[tuple[cypher.TieSchema, Iterable[dict[str, Any]]]]
"""Per tie schema, its rows: ``from_uid``, ``to_uid`` and every tie property, ordered by tid."""


def package_rows(package: DataPackage) -> tuple[NodeRows, TieRows]:
    """The rows a store's read statements would return for ``package`` once stored."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    for node in package.nodes:
        row = {"uid": node.uid, **node.properties}
        if node.label == "Municipality":
            row["content_hash"] = package.content_hash
        nodes.setdefault(node.label, []).append(row)
    ties: dict[str, list[dict[str, Any]]] = {}
    for tie in package.ties:
        ties.setdefault(tie.kind, []).append(
            {"tid": tie.tid, "from_uid": tie.from_uid, "to_uid": tie.to_uid, **tie.properties})
    node_rows = [(schema, [{p: row.get(p) for p in schema.properties}
                           for row in sorted(nodes.get(schema.label, []), key=lambda r: r["uid"])])
                 for schema in cypher.node_schemas()]
    tie_rows = [(schema, [{"from_uid": row["from_uid"], "to_uid": row["to_uid"],
                           **{p: row.get(p) for p in schema.properties}}
                          for row in sorted(ties.get(schema.kind, []), key=lambda r: r["tid"])])
                for schema in cypher.tie_schemas()]
    return node_rows, tie_rows


def package_graph(package: DataPackage) -> nx.MultiDiGraph:
    """``package`` as the ``MultiDiGraph`` a store would return for it, with no store involved.

    Nodes are keyed by uid (``"{code}:{id}"``; the municipality node by its code) and carry
    ``kind`` (their label) and every non-empty property; edges are keyed by ``tid`` and carry
    ``kind`` and their properties; graph attributes hold the manifest.

    Examples
    --------
    >>> from tsunagari.samples import sample_path
    >>> from tsunagari.loaders.validate import read_package
    >>> graph = package_graph(read_package(sample_path("hannan")))
    >>> graph.graph["name"], graph.graph["code"]
    ('阪南市', '27232')
    """
    node_rows, tie_rows = package_rows(package)
    return build_graphs([package.code], node_rows, tie_rows)[package.code]


def build_graphs(codes: Sequence[str], node_rows: NodeRows, tie_rows: TieRows) -> dict[str, nx.MultiDiGraph]:
    """One ``MultiDiGraph`` per municipality code from node and tie rows (rows of other codes are skipped)."""
    graphs = {code: nx.MultiDiGraph() for code in codes}
    for schema, rows in node_rows:
        for row in rows:
            graph = graphs.get(row["municipality"])
            if graph is None:
                continue
            attributes = {k: v for k, v in row.items() if v is not None and k != "uid"}
            graph.add_node(row["uid"], kind=schema.label, **attributes)
            if schema.label == "Municipality":
                graph.graph.update({k: v for k, v in attributes.items() if k not in ("id", "municipality")})
    for tie_schema, rows in tie_rows:
        for row in rows:
            graph = graphs.get(row["municipality"])
            if graph is None:
                continue
            attributes = {k: v for k, v in row.items() if v is not None and k not in ("from_uid", "to_uid", "tid")}
            graph.add_edge(row["from_uid"], row["to_uid"], key=row["tid"], kind=tie_schema.kind, **attributes)
    return graphs
