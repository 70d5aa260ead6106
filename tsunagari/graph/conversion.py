"""The one conversion from records or stored rows to a networkx graph.

Both paths end in :func:`build_graphs`: a store feeds it the rows its read statements return, and
:func:`package_graph` feeds it the rows the same package would be stored as. So the graph a
researcher gets from a package with no database is the graph the dashboard reads from a store,
attribute for attribute and in the same node and edge order (``tests/graph/test_conversion.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any

import networkx as nx

from tsunagari.graph import cypher
from tsunagari.graph.records import DataPackage

__all__ = ["package_graph", "package_rows", "build_graphs", "build_graph_from_columns", "NodeRows", "TieRows",
           "NodeColumns", "TieColumns"]

NodeRows = Sequence[tuple[cypher.NodeSchema, Iterable[dict[str, Any]]]]
"""Per node schema, its rows: every schema property (``None`` where absent), ordered by uid."""
TieRows = Sequence[tuple[cypher.TieSchema, Iterable[dict[str, Any]]]]
"""Per tie schema, its rows: ``from_uid``, ``to_uid`` and every tie property, ordered by tid."""
NodeColumns = Sequence[tuple[cypher.NodeSchema, dict[str, list[Any]]]]
"""Per node schema, the rows of :data:`NodeRows` as columns: property name → one value per row."""
TieColumns = Sequence[tuple[cypher.TieSchema, dict[str, list[Any]]]]
"""Per tie schema, the rows of :data:`TieRows` as columns (``from_uid``, ``to_uid`` and every tie property)."""


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


def _value_rows(columns: dict[str, list[Any]], names: Sequence[str], first: tuple[str, Any],
                count: int) -> tuple[tuple[str, ...], Iterator[tuple]]:
    """The names of ``first`` and of the columns of ``names`` that hold a value somewhere, and the rows' values.

    ``first`` is a (name, value) every row starts with (``kind``). A column empty in every row adds
    nothing to any row's attributes, so it is left out before the rows are walked (most tie columns of
    most kinds: ``agreement``, ``year``, ...).
    """
    kept = [name for name in names if columns[name].count(None) < count]
    return (first[0], *kept), zip(repeat(first[1], count), *(columns[name] for name in kept))


def _new_node(graph: nx.MultiDiGraph, node: Any) -> None:
    """Add ``node`` with no attributes, as ``MultiDiGraph.add_edge`` adds a missing end."""
    if node is None:
        raise ValueError("None cannot be a node")
    graph._succ[node] = {}
    graph._pred[node] = {}
    graph._node[node] = {}


def build_graph_from_columns(node_columns: NodeColumns, tie_columns: TieColumns) -> nx.MultiDiGraph:
    """:func:`build_graphs` of one municipality's rows given as columns: the same graph, attribute for attribute.

    Every row given belongs to the graph (its ``municipality`` is the code :func:`build_graphs` would
    be called with). Nodes and edges are added in the same order, each node's and edge's attributes in
    the same order (``kind``, then the non-empty properties in column order), so the graph equals
    :func:`build_graphs`'s in node, adjacency and attribute order (``tests/graph/test_columnar_read.py``).
    A store reading columns (:class:`~tsunagari.graph.store_embedded.EmbeddedStore`) builds its graphs
    here without making a dict per row first. The graph's dicts are filled directly, as
    ``add_node`` and ``add_edge`` fill them (a call per node and edge was most of the time).
    """
    graph = nx.MultiDiGraph()
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for schema, columns in node_columns:
        uids = columns["uid"]
        if not uids:
            continue
        label = schema.label
        names, values = _value_rows(columns, [p for p in schema.properties if p != "uid"], ("kind", label), len(uids))
        for uid, row in zip(uids, values):
            attributes = {k: v for k, v in zip(names, row) if v is not None}
            if uid in nodes:  # add_node of a node already there: its attributes updated
                nodes[uid].update(attributes)
            else:
                _new_node(graph, uid)
                nodes[uid] = attributes
            if label == "Municipality":
                graph.graph.update({k: v for k, v in attributes.items() if k not in ("kind", "id", "municipality")})
    for tie_schema, columns in tie_columns:
        tids = columns["tid"]
        if not tids:
            continue
        names, values = _value_rows(columns, [p for p in tie_schema.properties if p != "tid"],
                                    ("kind", tie_schema.kind), len(tids))
        for u, v, tid, row in zip(columns["from_uid"], columns["to_uid"], tids, values):
            attributes = {k: value for k, value in zip(names, row) if value is not None}
            if tid is None:  # no key: add_edge picks one
                graph.add_edge(u, v, **attributes)
                continue
            if u not in succ:
                _new_node(graph, u)
            if v not in succ:
                _new_node(graph, v)
            keys = succ[u].get(v)
            if keys is None:
                keys = {tid: attributes}
                succ[u][v] = keys
                pred[v][u] = keys
            elif tid in keys:
                keys[tid].update(attributes)
            else:
                keys[tid] = attributes
    nx._clear_cache(graph)
    return graph
