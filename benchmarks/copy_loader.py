"""Proposed bulk paths for national stores: ``COPY ... FROM`` Arrow loads, and one-scan reads.

``GraphStore.load_package`` writes with ``UNWIND $rows AS row MERGE ...`` (the Cypher shared with
Neo4j). LadybugDB also reads whole Arrow tables with ``COPY Label FROM table``, inside an explicit
transaction that ``ROLLBACK`` undoes (measured in ``docs/architecture.md``). This module loads many
packages that way so the benchmark can measure the change before it is made in
``tsunagari/graph/store_embedded.py``; it uses the store's own transaction and schema and writes the
same nodes, ties and properties (``tests/benchmarks/test_copy_loader.py`` compares the graphs read
back). ``COPY`` only creates, so each chunk first deletes its municipalities, as ``load_package``
does; uids carry the municipality code, so they are new after the delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import pyarrow as pa

from tsunagari.graph import cypher
from tsunagari.graph.store import GraphStore
from tsunagari.graph.store_embedded import EmbeddedStore
from tsunagari.loaders.package import DataPackage

__all__ = ["copy_load", "bulk_read"]

_ARROW = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
          "STRING[]": pa.list_(pa.string())}


def _table(columns: dict[str, str], rows: list[dict[str, Any]], *, ends: bool = False) -> pa.Table:
    arrays = {}
    if ends:
        arrays["from"] = pa.array([r["from_uid"] for r in rows], pa.string())
        arrays["to"] = pa.array([r["to_uid"] for r in rows], pa.string())
    for name, type_ in columns.items():  # positional: the order of the CREATE TABLE columns
        arrays[name] = pa.array([r.get(name) for r in rows], _ARROW[type_])
    return pa.table(arrays)


def copy_load(store: EmbeddedStore, packages: Iterable[DataPackage]) -> dict[str, int]:
    """Replace the municipalities of ``packages`` in ``store`` in one transaction, by ``COPY``.

    Returns the number of nodes and ties written.
    """
    packages = list(packages)
    codes = [p.code for p in packages]
    node_rows: dict[str, list[dict[str, Any]]] = {}
    tie_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for package in packages:
        content_hash = package.content_hash
        for node in package.nodes:
            row = {"uid": node.uid, **node.properties}
            if node.label == "Municipality":
                row["content_hash"] = content_hash
            node_rows.setdefault(node.label, []).append(row)
        for tie in package.ties:
            tie_rows.setdefault((tie.kind, tie.from_label, tie.to_label), []).append(
                {"tid": tie.tid, "from_uid": tie.from_uid, "to_uid": tie.to_uid, **tie.properties})
    node_schemas = {s.label: s for s in cypher.node_schemas()}
    tie_schemas = {s.kind: s for s in cypher.tie_schemas()}
    connection = store._connection  # the benchmark reaches into the store to run COPY in its transaction
    with store._transaction() as run:
        for label in node_schemas:
            run(f"MATCH (n:{label}) WHERE n.municipality IN $codes DETACH DELETE n", {"codes": codes})
        for label, rows in node_rows.items():
            arrow_rows = _table(node_schemas[label].properties, rows)  # noqa: F841 (COPY reads it by name)
            connection.execute(f"COPY {label} FROM arrow_rows")
        for (kind, from_label, to_label), rows in sorted(tie_rows.items()):
            arrow_rows = _table(tie_schemas[kind].properties, rows, ends=True)  # noqa: F841
            connection.execute(f"COPY {kind} FROM arrow_rows (from='{from_label}', to='{to_label}')")
    return {"nodes": sum(map(len, node_rows.values())), "ties": sum(map(len, tie_rows.values()))}


def bulk_read(store: GraphStore) -> dict[str, nx.MultiDiGraph]:
    """Every municipality of ``store`` as ``read_graph`` returns it, from one scan per label and tie kind.

    ``read_graph`` filters ``WHERE n.municipality = $code``; LadybugDB has no secondary index, so
    each call scans whole tables and reading all of a national store that way is quadratic. This
    reads each table once, in the same order, and splits the rows by municipality.
    """
    graphs: dict[str, nx.MultiDiGraph] = {info.code: nx.MultiDiGraph() for info in store.list_municipalities()}
    for schema in cypher.node_schemas():
        statement = cypher.read_nodes(schema).replace(" WHERE n.municipality = $code", "")
        for row in store._query(statement):
            graph = graphs.get(row["municipality"])
            if graph is None:
                continue
            attributes = {k: v for k, v in row.items() if v is not None and k != "uid"}
            graph.add_node(row["uid"], kind=schema.label, **attributes)
            if schema.label == "Municipality":
                graph.graph.update({k: v for k, v in attributes.items() if k not in ("id", "municipality")})
    for schema in cypher.tie_schemas():
        statement = cypher.read_ties(schema).replace(" WHERE r.municipality = $code", "")
        for row in store._query(statement):
            graph = graphs.get(row["municipality"])
            if graph is None:
                continue
            attributes = {k: v for k, v in row.items() if v is not None and k not in ("from_uid", "to_uid", "tid")}
            graph.add_edge(row["from_uid"], row["to_uid"], key=row["tid"], kind=schema.kind, **attributes)
    return graphs
