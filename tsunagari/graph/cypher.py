"""Parameterized Cypher shared by every store, derived from the graph model.

Labels, relationship types and property names are taken only from the model (never from user
input); every value travels as a ``$parameter``. The same statements run on LadybugDB and Neo4j.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import product

from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE
from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "NodeSchema",
    "TieSchema",
    "node_schemas",
    "tie_schemas",
    "upsert_nodes",
    "upsert_ties",
    "delete_municipalities",
    "read_nodes",
    "read_ties",
    "LIST_MUNICIPALITIES",
    "TIE_PROPERTIES",
    "STAMP",
    "STAMP_COUNTS",
    "STORE_LABEL",
    "STORE_PROPERTIES",
    "LOAD_LOG",
    "WRITE_LOCK",
    "MARK_WRITE",
    "READ_MARK",
    "list_municipalities",
    "write_load_log",
    "read_load_log",
]

# Every column of ties.csv but its two ends and kind (the model is the one declaration: a column added
# there, like AGREEMENT's `agreement` and `year`, is stored and read back without a second edit here).
TIE_PROPERTIES: dict[str, str] = {
    **{c.name: c.stored_type for c in TIES_TABLE if c.name not in ("from", "to", "kind")},
    "municipality": "STRING",
}


@dataclass(frozen=True)
class NodeSchema:
    """A node label and its stored properties (name → STRING / INT64 / DOUBLE / BOOLEAN / STRING[])."""

    label: str
    properties: dict[str, str]


@dataclass(frozen=True)
class TieSchema:
    """A relationship type and the (from label, to label) pairs it may join."""

    kind: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, str]


@cache
def node_schemas() -> tuple[NodeSchema, ...]:
    """Every node label with its properties; ``uid`` is the key of each."""
    municipality = {"uid": "STRING", "id": "STRING", "municipality": "STRING", "content_hash": "STRING"}
    municipality.update({f.name: f.stored_type for f in MANIFEST_FIELDS})
    schemas = [NodeSchema("Municipality", municipality)]
    for kind in NODE_KINDS:
        properties = {"uid": "STRING", "municipality": "STRING"}
        properties.update({c.name: c.stored_type for c in kind.columns})
        schemas.append(NodeSchema(kind.label, properties))
    return tuple(schemas)


@cache
def tie_schemas() -> tuple[TieSchema, ...]:
    """Every relationship type with its allowed end labels."""
    schemas = []
    for term in vocabulary("tie_kinds"):
        pairs = list(product(term.extra["from"], term.extra["to"]))
        if term.code == "PART_OF":
            pairs.append(("District", "Municipality"))
        schemas.append(TieSchema(term.code, tuple(pairs), {"tid": "STRING", **TIE_PROPERTIES}))
    return tuple(schemas)


def _assignments(variable: str, names: list[str]) -> str:
    return ", ".join(f"{variable}.{name} = row.{name}" for name in names)


def upsert_nodes(label: str, properties: list[str]) -> str:
    """``UNWIND $rows`` statement that merges nodes of ``label`` on ``uid`` and sets ``properties``."""
    statement = f"UNWIND $rows AS row MERGE (n:{label} {{uid: row.uid}})"
    names = [p for p in properties if p != "uid"]
    return statement + (f" SET {_assignments('n', names)}" if names else "")


def upsert_ties(kind: str, from_label: str, to_label: str, properties: list[str]) -> str:
    """``UNWIND $rows`` statement that merges ``kind`` ties on ``tid`` between existing nodes."""
    names = [p for p in properties if p != "tid"]
    statement = (
        # Two MATCH clauses, not a comma pattern: LadybugDB plans the comma form as a join (7× slower
        # at 50k nodes, docs/architecture.md); the meaning is the same on Neo4j.
        f"UNWIND $rows AS row MATCH (a:{from_label} {{uid: row.from_uid}}) MATCH (b:{to_label} {{uid: row.to_uid}}) "
        f"MERGE (a)-[r:{kind} {{tid: row.tid}}]->(b)"
    )
    return statement + (f" SET {_assignments('r', names)}" if names else "")


def delete_municipalities(label: str) -> str:
    """Statement deleting every ``label`` node of the municipalities ``$codes`` with their ties."""
    return f"MATCH (n:{label}) WHERE n.municipality IN $codes DETACH DELETE n"


def read_nodes(schema: NodeSchema, *, every: bool = False, extra: tuple[str, ...] = ()) -> str:
    """Statement returning every property of the ``schema.label`` nodes of ``$code`` (or all, ``every``).

    ``extra`` names further properties to return (the load stamps of a store that checks its reads).
    """
    columns = ", ".join(f"n.{p} AS {p}" for p in (*schema.properties, *extra))
    where = "" if every else " WHERE n.municipality = $code"
    return f"MATCH (n:{schema.label}){where} RETURN {columns} ORDER BY uid"


def read_ties(schema: TieSchema, *, every: bool = False, extra: tuple[str, ...] = ()) -> str:
    """Statement returning every ``schema.kind`` tie of ``$code`` (or all, ``every``) with its end uids."""
    columns = ", ".join(f"r.{p} AS {p}" for p in (*schema.properties, *extra))
    where = "" if every else " WHERE r.municipality = $code"
    return (
        f"MATCH (a)-[r:{schema.kind}]->(b){where} "
        f"RETURN a.uid AS from_uid, b.uid AS to_uid, {columns} ORDER BY tid"
    )


LIST_MUNICIPALITIES = (
    "MATCH (n:Municipality) RETURN n.code AS code, n.name AS name, n.name_en AS name_en, n.slug AS slug, "
    "n.prefecture AS prefecture, n.content_hash AS content_hash, n.municipality AS snapshot, "
    "n.fiscal_year AS fiscal_year ORDER BY snapshot"
)
"""Every snapshot held: one Municipality node per (municipality, fiscal year), ``snapshot`` its key
(:func:`tsunagari.graph.fiscal_year.snapshot_key`: the bare code for the year-unknown snapshot, which is all a
store written before fiscal years holds; ``fiscal_year`` is then read as empty)."""


# -- what a store keeps about itself: the write lock, the load stamps and the load log ----------------

STAMP = "load_hash"
"""Property a store that checks its reads (Neo4j) sets on every node and tie of a load: the package's
content hash (``docs/reliability.md``, *Reading while a load commits*)."""

STAMP_COUNTS = ("load_nodes", "load_ties", "load_generation")
"""Properties of the Municipality node of a stamped load: how many nodes (besides itself) and ties it
has, and the store generation of the write that made it."""

STORE_LABEL = "TsunagariStore"
"""Label of the one node every write transaction locks first, so writers take turns."""

STORE_PROPERTIES: dict[str, str] = {"id": "STRING", "writer": "STRING", "write_started": "STRING",
                                    "generation": "INT64", "last_write": "STRING", "marked_at": "INT64"}
"""Properties of the :data:`STORE_LABEL` node: who holds (or last held) the write lock and since when;
on a store that checks its reads, the generation of the last write and ``"{generation}:{codes}"``."""

WRITE_LOCK = (f"MERGE (s:{STORE_LABEL} {{id: 'store'}}) SET s.writer = $by, s.write_started = $at "
              "RETURN s.generation AS generation")
"""First statement of every write: takes the store's write lock until the transaction ends."""

MARK_WRITE = (f"MATCH (s:{STORE_LABEL} {{id: 'store'}}) "
              "SET s.generation = $generation, s.last_write = $mark, s.marked_at = timestamp()")
"""Last statement of a write on a store that checks its reads (Neo4j): the new generation, the codes it
wrote and when (server milliseconds)."""

READ_MARK = (f"MATCH (s:{STORE_LABEL}) WHERE s.id = 'store' "
             "RETURN s.last_write AS last_write, timestamp() - coalesce(s.marked_at, 0) AS age_ms")
"""The ``last_write`` mark and its age on the server's clock, read before and after a checked read."""


def list_municipalities(extra: tuple[str, ...] = ()) -> str:
    """:data:`LIST_MUNICIPALITIES`, also returning the Municipality properties ``extra``."""
    columns = "".join(f", n.{p} AS {p}" for p in extra)
    return LIST_MUNICIPALITIES.replace(" ORDER BY snapshot", f"{columns} ORDER BY snapshot")


LOAD_LOG: dict[str, str] = {
    "uid": "STRING",
    "code": "STRING",
    "action": "STRING",
    "loaded_at": "STRING",
    "by": "STRING",
    "content_hash": "STRING",
    "name": "STRING",
}
"""Properties of a ``LoadLog`` node: one per snapshot written, in the same transaction as the write.
``code`` is the snapshot key (``28202@2024``; the bare code for a year-unknown snapshot, or for a delete of every
year); ``action`` is ``load`` or ``delete``; ``loaded_at`` is UTC ISO 8601; ``by`` the editor's name or ``cli``."""


def write_load_log() -> str:
    """``UNWIND $rows`` statement adding ``LoadLog`` nodes (their uids are new)."""
    names = [p for p in LOAD_LOG if p != "uid"]
    return f"UNWIND $rows AS row MERGE (l:LoadLog {{uid: row.uid}}) SET {_assignments('l', names)}"


def read_load_log(*, one: bool = False) -> str:
    """Statement returning the load log (of municipality ``$code`` with ``one``: every snapshot of it,
    ``code`` being the snapshot key written, ``$prefix`` = ``"{code}@"``), oldest first."""
    columns = ", ".join(f"l.{p} AS {p}" for p in LOAD_LOG if p != "uid")
    where = " WHERE l.code = $code OR l.code STARTS WITH $prefix" if one else ""
    return f"MATCH (l:LoadLog){where} RETURN {columns} ORDER BY loaded_at, code"
