"""The graph store interface shared by the embedded (LadybugDB) and Neo4j implementations.

A store holds several municipalities side by side, keyed by 全国地方公共団体コード. Loading a
package replaces that municipality in one transaction: a failure leaves the store as it was,
and loading the same package twice changes nothing.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from tsunagari.graph import cypher
from tsunagari.graph.conversion import build_graphs
from tsunagari.graph.errors import MunicipalityNotFoundError
from tsunagari.graph.records import DataPackage

__all__ = ["GraphStore", "CypherStore", "LoadReport", "MunicipalityInfo", "StatementRunner", "BATCH_SIZE"]

BATCH_SIZE = 2000
"""Default rows per ``UNWIND`` statement (``Settings.batch_size``)."""


class StatementRunner(Protocol):
    """Runs one parameterized statement inside an open transaction."""

    def __call__(self, statement: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: the municipality, counts by node label and tie kind, and whether it changed."""

    code: str
    name: str
    node_counts: dict[str, int]
    tie_counts: dict[str, int]
    content_hash: str
    unchanged: bool


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality held by a store."""

    code: str
    name: str
    name_en: str | None
    slug: str
    prefecture: str | None
    content_hash: str


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class GraphStore(abc.ABC):
    """A store holding Tsunagari data packages, several municipalities side by side.

    The public methods are the whole interface the loaders, the CLI and the dashboard use:
    :meth:`load_packages` (atomic: all or none), :meth:`delete_municipality`,
    :meth:`list_municipalities`, :meth:`resolve`, :meth:`read_graph` and :meth:`read_graphs`.
    :class:`CypherStore` implements them once in Cypher for LadybugDB and Neo4j;
    :class:`~tsunagari.graph.store_memory.MemoryStore` holds packages in memory for tests.
    """

    url: str
    batch_size: int = BATCH_SIZE

    def close(self) -> None:
        """Release the database (nothing to release by default)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load_package(self, package: DataPackage, *, batch_size: int | None = None,
                     progress: Callable[[int], None] | None = None) -> LoadReport:
        """Replace ``package``'s municipality in the store with its content, atomically.

        ``progress`` is called with the number of records written after each batch; ``batch_size``
        (rows per statement) defaults to the store's.
        """
        return self.load_packages([package], batch_size=batch_size, progress=progress)[0]

    @abc.abstractmethod
    def load_packages(self, packages: list[DataPackage], *, batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None) -> list[LoadReport]:
        """Replace the municipalities of ``packages``, all in one transaction (all or none).

        Packages whose content the store already holds are skipped (reported ``unchanged``).
        """

    @abc.abstractmethod
    def delete_municipality(self, municipality: str) -> None:
        """Remove a municipality (named by code, slug or name) and everything in it."""

    @abc.abstractmethod
    def list_municipalities(self) -> list[MunicipalityInfo]:
        """Every municipality in the store, ordered by code."""

    @abc.abstractmethod
    def read_graphs(self, municipalities: list[str] | None = None) -> dict[str, nx.MultiDiGraph]:
        """Several municipalities (default: all) as ``{code: read_graph(code)}``."""

    def read_graph(self, municipality: str) -> nx.MultiDiGraph:
        """The municipality as a ``MultiDiGraph`` with every stored attribute.

        Nodes are keyed by uid (``"{code}:{id}"``; the municipality node by its code) and carry
        ``kind`` (their label) and every non-empty property. Edges are keyed by ``tid`` and carry
        ``kind`` and their properties. Graph attributes hold the manifest
        (:func:`tsunagari.graph.conversion.build_graphs`).
        """
        code = self.resolve(municipality)
        return self.read_graphs([code])[code]

    def resolve(self, municipality: str) -> str:
        """The code of the municipality named by code, slug, Japanese or English name.

        Raises
        ------
        MunicipalityNotFoundError
            If no stored municipality has that name.
        """
        wanted = municipality.strip()
        known = self.list_municipalities()
        for info in known:
            if wanted in (info.code, info.slug, info.name) or (
                    info.name_en and wanted.casefold() == info.name_en.casefold()):
                return info.code
        names = ", ".join(f"{m.name} ({m.code}, {m.slug})" for m in known) or "—"
        raise MunicipalityNotFoundError("store.not_found", municipality=municipality, loaded=names)

    @staticmethod
    def _reports(packages: list[DataPackage], existing: dict[str, str]) -> list[LoadReport]:
        return [LoadReport(p.code, str(p.municipality.get("name")), p.counts_by_label(), p.counts_by_tie_kind(),
                           p.content_hash, unchanged=existing.get(p.code) == p.content_hash)
                for p in packages]


class CypherStore(GraphStore):
    """A graph database that runs :mod:`tsunagari.graph.cypher` (LadybugDB, Neo4j).

    Subclasses provide a transaction and a read-only snapshot; everything else (which Cypher, in
    which order, how rows become a networkx graph) is shared here so both engines behave the same.
    """

    @abc.abstractmethod
    def _transaction(self) -> contextlib.AbstractContextManager[StatementRunner]:
        """A write transaction: committed on normal exit, rolled back on an exception."""

    @abc.abstractmethod
    def _snapshot(self) -> contextlib.AbstractContextManager[StatementRunner]:
        """A read-only transaction: every statement in it sees the same committed state."""

    def _query(self, statement: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only statement and return its rows as dicts."""
        with self._snapshot() as run:
            return run(statement, parameters)

    # -- writing -------------------------------------------------------------------------------

    def load_packages(
        self,
        packages: list[DataPackage],
        *,
        batch_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[LoadReport]:
        """Replace the municipalities of ``packages``, all in one transaction (all or none).

        Packages whose content the store already holds are skipped (reported ``unchanged``).
        """
        reports = self._reports(packages, {m.code: m.content_hash for m in self.list_municipalities()})
        changed = [p for p, r in zip(packages, reports) if not r.unchanged]
        if not changed:
            return reports
        node_rows: dict[str, list[dict[str, Any]]] = {}
        tie_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for package in changed:
            content_hash = package.content_hash
            for node in package.nodes:
                row = {"uid": node.uid, **node.properties}
                if node.label == "Municipality":
                    row["content_hash"] = content_hash
                node_rows.setdefault(node.label, []).append(row)
            for tie in package.ties:
                row = {"tid": tie.tid, "from_uid": tie.from_uid, "to_uid": tie.to_uid, **tie.properties}
                tie_rows.setdefault((tie.kind, tie.from_label, tie.to_label), []).append(row)
        codes = [p.code for p in changed]
        with self._transaction() as run:
            for schema in cypher.node_schemas():
                run(cypher.delete_municipalities(schema.label), {"codes": codes})
            self._write(run, node_rows, tie_rows, batch_size=batch_size or self.batch_size, progress=progress)
        return reports

    def _write(
        self,
        run: StatementRunner,
        node_rows: dict[str, list[dict[str, Any]]],
        tie_rows: dict[tuple[str, str, str], list[dict[str, Any]]],
        *,
        batch_size: int,
        progress: Callable[[int], None] | None,
    ) -> None:
        """Write fresh nodes and ties inside the open transaction with ``UNWIND $rows ... MERGE``."""
        schemas = {s.label: s for s in cypher.node_schemas()}
        for label, rows in node_rows.items():
            known = schemas[label].properties
            for batch in _batches(rows, batch_size):
                # Only set properties with a value in this batch: an all-null column has no type.
                names = [p for p in known if any(r.get(p) is not None for r in batch)]
                batch = [{p: r.get(p) for p in names} for r in batch]
                run(cypher.upsert_nodes(label, names), {"rows": batch})
                if progress:
                    progress(len(batch))
        for (kind, from_label, to_label), rows in sorted(tie_rows.items()):
            for batch in _batches(rows, batch_size):
                names = [p for p in ("tid", *cypher.TIE_PROPERTIES) if any(r.get(p) is not None for r in batch)]
                batch = [{"from_uid": r["from_uid"], "to_uid": r["to_uid"], **{p: r.get(p) for p in names}}
                         for r in batch]
                run(cypher.upsert_ties(kind, from_label, to_label, names), {"rows": batch})
                if progress:
                    progress(len(batch))

    def delete_municipality(self, municipality: str) -> None:
        """Remove a municipality (named by code, slug or name) and everything in it."""
        code = self.resolve(municipality)
        with self._transaction() as run:
            for schema in cypher.node_schemas():
                run(cypher.delete_municipalities(schema.label), {"codes": [code]})

    # -- reading -------------------------------------------------------------------------------

    def list_municipalities(self) -> list[MunicipalityInfo]:
        """Every municipality in the store, ordered by code."""
        return [MunicipalityInfo(**row) for row in self._query(cypher.LIST_MUNICIPALITIES)]

    def read_graph(self, municipality: str) -> nx.MultiDiGraph:
        """The municipality as a ``MultiDiGraph`` (see :meth:`GraphStore.read_graph`), read in one snapshot."""
        code = self.resolve(municipality)
        with self._snapshot() as run:  # one snapshot: a concurrent load is seen entirely or not at all
            node_rows = [(schema, run(cypher.read_nodes(schema), {"code": code})) for schema in cypher.node_schemas()]
            tie_rows = [(schema, run(cypher.read_ties(schema), {"code": code})) for schema in cypher.tie_schemas()]
        return build_graphs([code], node_rows, tie_rows)[code]

    def read_graphs(self, municipalities: list[str] | None = None) -> dict[str, nx.MultiDiGraph]:
        """Several municipalities (default: all) as ``{code: read_graph(code)}``, one scan per table.

        Equal to calling :meth:`read_graph` for each, but reads each label and tie kind once, which
        matters on engines without a secondary index on ``municipality`` (LadybugDB): reading a
        national store one municipality at a time would scan every table once per municipality.
        """
        codes = [self.resolve(m) for m in municipalities] if municipalities is not None else [
            m.code for m in self.list_municipalities()]
        with self._snapshot() as run:
            node_rows = [(schema, run(cypher.read_nodes(schema, every=True))) for schema in cypher.node_schemas()]
            tie_rows = [(schema, run(cypher.read_ties(schema, every=True))) for schema in cypher.tie_schemas()]
        return build_graphs(codes, node_rows, tie_rows)

