"""The graph store interface shared by the embedded (LadybugDB) and Neo4j implementations.

A store holds several municipalities side by side, keyed by 全国地方公共団体コード, and one snapshot
of each per fiscal year (年度, :mod:`tsunagari.graph.fiscal_year`). Loading a package replaces that
(municipality, fiscal year) snapshot in one transaction: a failure leaves the store as it was, the
other years are untouched, and loading the same package twice changes nothing. Reads take an
optional year and default to the latest snapshot.

Stored form: every node and tie of a snapshot has ``municipality`` = its snapshot key (``28202@2024``)
and its uid starts with that key (``28202@2024:jusou``); the year-unknown snapshot uses the bare code,
exactly as a store written before fiscal years did. Reads give the graph back in the year-free form
(``28202:jusou``, the municipality node keyed ``28202``), so graphs of two years of one municipality
share node ids and analyses and front ends see the same graph as before.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

import networkx as nx

from tsunagari.graph import cypher
from tsunagari.graph.conversion import build_graphs
from tsunagari.graph.errors import MunicipalityNotFoundError, StoreError, YearNotFoundError
from tsunagari.graph.fiscal_year import (
    FiscalYearError,
    latest_year,
    parse_fiscal_year,
    snapshot_key,
    split_snapshot_key,
    year_order,
)
from tsunagari.graph.records import DataPackage
from tsunagari.municipality_code import MunicipalityCodeError, normalize_code

__all__ = ["GraphStore", "CypherStore", "LoadReport", "LoadLogEntry", "MunicipalityInfo", "StatementRunner",
           "BATCH_SIZE", "CLI_WRITER", "UNKNOWN_YEAR", "YearArg", "group_snapshots", "utc_now"]

UNKNOWN_YEAR = "unknown"
"""The ``year`` argument naming the year-unknown snapshot (a package whose manifest gives no fiscal year);
``年度不明`` works too."""

YearArg = int | str | None
"""A year argument of the reading methods: ``None`` = the latest snapshot, an ``int`` western fiscal year,
or text (``令和6年度``, ``FY2024``, ... or :data:`UNKNOWN_YEAR`)."""

BATCH_SIZE = 2000
"""Default rows per ``UNWIND`` statement (``Settings.batch_size``)."""

CLI_WRITER = "cli"
"""Who a write is recorded as when no editor signed in (``tsunagari load``, scripts)."""

READ_ATTEMPTS = 10
"""How many times a store that checks its reads (Neo4j) reads again after seeing a load half applied."""

MARK_SETTLED_MS = 120_000
"""After this long (server milliseconds) the last write is surely applied in full: a checked read then no
longer asks to see it (its municipalities may have been deleted since by other means than this store,
e.g. an administrator's Cypher)."""


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the microsecond (``2026-01-02T03:04:05.123456+00:00``)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class StatementRunner(Protocol):
    """Runs one parameterized statement inside an open transaction."""

    def __call__(self, statement: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: the municipality and fiscal year, counts by node label and tie kind, whether it changed."""

    code: str
    name: str
    node_counts: dict[str, int]
    tie_counts: dict[str, int]
    content_hash: str
    unchanged: bool
    fiscal_year: int | None = None


@dataclass(frozen=True)
class LoadLogEntry:
    """One write recorded by the store, in the same transaction as the write itself."""

    code: str
    action: str  # "load" or "delete"
    loaded_at: str  # UTC, ISO 8601
    by: str  # the editor's name, or "cli"
    content_hash: str | None  # of the package loaded (None for a delete)
    name: str | None = None  # the municipality's name when written
    fiscal_year: int | None = None  # the snapshot written (None: year unknown, or a delete of every year)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LoadLogEntry:
        """The entry of a stored row, whose ``code`` is the snapshot key written."""
        code, year = split_snapshot_key(row["code"])
        return cls(**{**row, "code": code, "fiscal_year": year})


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality held by a store (or one snapshot of it, :meth:`GraphStore.list_snapshots`).

    ``name`` ... ``content_hash`` are those of its latest snapshot, ``fiscal_year`` that snapshot's year
    (``None``: year unknown) and ``years`` every fiscal year held, oldest first (the year-unknown one first).
    """

    code: str
    name: str
    name_en: str | None
    slug: str
    prefecture: str | None
    content_hash: str
    fiscal_year: int | None = None
    years: tuple[int | None, ...] = (None,)

    @property
    def snapshot(self) -> str:
        """The key of the snapshot this describes (:func:`tsunagari.graph.fiscal_year.snapshot_key`)."""
        return snapshot_key(self.code, self.fiscal_year)


def group_snapshots(snapshots: Iterable[MunicipalityInfo]) -> list[MunicipalityInfo]:
    """One info per municipality (its latest snapshot's, with every year held), ordered by code."""
    by_code: dict[str, list[MunicipalityInfo]] = {}
    for info in snapshots:
        by_code.setdefault(info.code, []).append(info)
    grouped = []
    for code in sorted(by_code):
        infos = sorted(by_code[code], key=lambda i: year_order(i.fiscal_year))
        years = tuple(i.fiscal_year for i in infos)
        grouped.append(dataclasses.replace(infos[-1], years=years))
    return grouped


def _stored_id(value: str, code: str, key: str) -> str:
    """``value`` (a uid or tid of ``code``, year-free) as stored in snapshot ``key``."""
    if key == code:
        return value
    if value == code:
        return key
    return key + value[len(code):] if value.startswith(code + ":") else value


def _read_id(value: Any, code: str, key: str) -> Any:
    """The year-free form of a stored uid or tid of snapshot ``key`` (inverse of :func:`_stored_id`)."""
    if key == code or not isinstance(value, str):
        return value
    if value == key:
        return code
    return code + value[len(key):] if value.startswith(key + ":") else value


def _year_free(node_rows: list, tie_rows: list, keys: Iterable[str]) -> tuple[list, list]:
    """The rows of snapshots ``keys`` only, in year-free form (``municipality`` = code, uids ``code:id``)."""
    wanted = set(keys)

    def convert(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        code, _ = split_snapshot_key(row["municipality"])
        key = row["municipality"]
        if key == code:
            return row
        out = dict(row)
        out["municipality"] = code
        for name in names:
            if name in out:
                out[name] = _read_id(out[name], code, key)
        return out

    nodes = [(schema, [convert(r, ("uid",)) for r in rows if r.get("municipality") in wanted])
             for schema, rows in node_rows]
    ties = [(schema, [convert(r, ("tid", "from_uid", "to_uid")) for r in rows if r.get("municipality") in wanted])
            for schema, rows in tie_rows]
    return nodes, ties


def _by_snapshot(rows: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    """The rows grouped by their ``municipality`` (snapshot key), each group in the rows' order."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get("municipality"), []).append(row)
    return groups


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class _Directory:
    """One read of the snapshot list, as the name resolution of a read needs it.

    ``municipalities`` is :func:`group_snapshots` of it (what :meth:`GraphStore.list_municipalities`
    returns), and each stored code's normalized form is computed once, not once per name looked up.
    """

    def __init__(self, snapshots: list[MunicipalityInfo]) -> None:
        self.snapshots = snapshots
        self.municipalities = group_snapshots(snapshots)
        self._normalized: dict[str, str | None] = {}

    def snapshots_of(self, code: str) -> list[MunicipalityInfo]:
        """The snapshots of ``code``, in the list's order (by year, unknown first)."""
        return [i for i in self.snapshots if i.code == code]

    def same_municipality(self, a: str, b: str) -> bool:
        """:func:`~tsunagari.municipality_code.same_municipality`, each code normalized once per directory."""
        first, second = self._normalize(a), self._normalize(b)
        return first is not None and first == second

    def _normalize(self, code: str) -> str | None:
        if code not in self._normalized:
            try:
                self._normalized[code] = normalize_code(code)
            except MunicipalityCodeError:
                self._normalized[code] = None
        return self._normalized[code]


class GraphStore(abc.ABC):
    """A store holding Tsunagari data packages, several municipalities side by side, one snapshot per fiscal year.

    The public methods are the whole interface the loaders, the CLI and the dashboard use:
    :meth:`load_packages` (atomic: all or none), :meth:`delete_municipality`,
    :meth:`list_municipalities`, :meth:`list_snapshots`, :meth:`resolve`, :meth:`resolve_year`,
    :meth:`read_graph`, :meth:`read_graphs` and :meth:`read_years`.
    :class:`CypherStore` implements them once in Cypher for LadybugDB and Neo4j;
    :class:`~tsunagari.graph.store_memory.MemoryStore` holds packages in memory for tests.
    """

    url: str
    batch_size: int = BATCH_SIZE
    resolve_attempts: int = 1
    """How often :meth:`resolve` reads the list before giving up (more on a read-committed store)."""

    def close(self) -> None:
        """Release the database (nothing to release by default)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load_package(self, package: DataPackage, *, batch_size: int | None = None,
                     progress: Callable[[int], None] | None = None, by: str = CLI_WRITER) -> LoadReport:
        """Replace ``package``'s (municipality, fiscal year) snapshot in the store with its content, atomically.

        ``progress`` is called with the number of records written after each batch; ``batch_size``
        (rows per statement) defaults to the store's; ``by`` is who the load log records.
        """
        return self.load_packages([package], batch_size=batch_size, progress=progress, by=by)[0]

    @abc.abstractmethod
    def load_packages(self, packages: list[DataPackage], *, batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None, by: str = CLI_WRITER) -> list[LoadReport]:
        """Replace the (municipality, fiscal year) snapshots of ``packages``, all in one transaction (all or none).

        Only the snapshot of each package's fiscal year is replaced; other years of the municipality stay.
        Packages whose content the store already holds are skipped (reported ``unchanged``). Each
        snapshot written gets a :class:`LoadLogEntry` (``by``, UTC time) in the same transaction.
        """

    @abc.abstractmethod
    def delete_municipality(self, municipality: str, *, by: str = CLI_WRITER, year: YearArg = None) -> None:
        """Remove a municipality (named by code, slug or name) with every snapshot; logged as ``by``.

        With ``year`` (an ``int``, text such as ``令和6年度``, or :data:`UNKNOWN_YEAR`) only that snapshot goes.
        """

    @abc.abstractmethod
    def load_log(self, municipality: str | None = None) -> list[LoadLogEntry]:
        """Every recorded write (of one municipality, by code, every year: it may have been deleted), oldest first."""

    @abc.abstractmethod
    def list_snapshots(self) -> list[MunicipalityInfo]:
        """Every (municipality, fiscal year) snapshot in the store, ordered by code, then year (unknown first)."""

    @abc.abstractmethod
    def read_snapshots(self, keys: list[str]) -> dict[str, nx.MultiDiGraph]:
        """The snapshots with these keys (``28202@2024``) as ``{key: graph}`` in year-free form (module notes)."""

    def list_municipalities(self) -> list[MunicipalityInfo]:
        """Every municipality in the store, ordered by code: its latest snapshot's info, with ``years`` held."""
        return group_snapshots(self.list_snapshots())

    def resolve_year(self, municipality: str, year: YearArg = None) -> tuple[str, int | None]:
        """The code of ``municipality`` and the fiscal year of its snapshot ``year`` (``None``: the latest).

        Raises
        ------
        MunicipalityNotFoundError
            If no stored municipality has that name.
        YearNotFoundError
            If it has no snapshot of that year (the message lists the years held).
        FiscalYearError
            If ``year`` is text that is not a fiscal year.
        """
        return self._resolve_year(municipality, year, None)

    def _resolve_year(self, municipality: str, year: YearArg,
                      directory: _Directory | None) -> tuple[str, int | None]:
        """:meth:`resolve_year` against ``directory`` (one snapshot list read for every name of a read)."""
        code, directory = self._resolve(municipality, directory)
        infos = directory.snapshots_of(code)
        held = [i.fiscal_year for i in infos]
        if year is None:
            return code, latest_year(held)
        wanted = _wanted_year(year)
        if wanted not in held:
            name = infos[-1].name if infos else municipality
            def word(y: int | None) -> str:  # as --year takes it
                return UNKNOWN_YEAR if y is None else str(y)

            raise YearNotFoundError("store.year_not_found", name=name, code=code, year=word(wanted),
                                    years=", ".join(word(y) for y in held) or "—")
        return code, wanted

    def read_graphs(self, municipalities: list[str] | None = None, *, year: YearArg = None) -> dict[str, nx.MultiDiGraph]:
        """Several municipalities (default: all) as ``{code: read_graph(code, year)}`` (default: each one's latest)."""
        # one snapshot list for every name (it used to be read twice per municipality)
        directory = _Directory(self.list_snapshots())
        if municipalities is None:
            if year is None:
                keys = {m.code: m.snapshot for m in directory.municipalities}
            else:
                keys = {}
                for m in directory.municipalities:
                    code, found = self._resolve_year(m.code, year, directory)
                    keys[code] = snapshot_key(code, found)
        else:
            keys = {}
            for name in municipalities:
                code, found = self._resolve_year(name, year, directory)
                keys[code] = snapshot_key(code, found)
        graphs = self.read_snapshots(list(keys.values()))
        return {code: graphs[key] for code, key in keys.items()}

    def read_graph(self, municipality: str, year: YearArg = None) -> nx.MultiDiGraph:
        """The municipality's snapshot of fiscal year ``year`` (default: the latest) as a ``MultiDiGraph``.

        Nodes are keyed by uid (``"{code}:{id}"``; the municipality node by its code), the same in every
        year, and carry ``kind`` (their label) and every non-empty property. Edges are keyed by ``tid`` and
        carry ``kind`` and their properties. Graph attributes hold the manifest, ``fiscal_year`` included
        (:func:`tsunagari.graph.conversion.build_graphs`).
        """
        code, found = self._resolve_year(municipality, year, None)
        key = snapshot_key(code, found)
        return self.read_snapshots([key])[key]

    def read_years(self, municipality: str) -> dict[int | None, nx.MultiDiGraph]:
        """Every snapshot of the municipality as ``{fiscal year: graph}``, oldest first (year unknown first)."""
        code, directory = self._resolve(municipality, None)
        years = [i.fiscal_year for i in directory.snapshots_of(code)]
        graphs = self.read_snapshots([snapshot_key(code, y) for y in years])
        return {y: graphs[snapshot_key(code, y)] for y in years}

    def resolve(self, municipality: str) -> str:
        """The code of the municipality named by code, slug, Japanese or English name.

        Raises
        ------
        MunicipalityNotFoundError
            If no stored municipality has that name.
        """
        return self._resolve(municipality, None)[0]

    def _resolve(self, municipality: str, directory: _Directory | None) -> tuple[str, _Directory]:
        """:meth:`resolve`, and the snapshot list it was found in (``directory`` if given, for the first attempt)."""
        wanted = municipality.strip()
        try:  # a code in either form (28202, 282022, 全角) names the same municipality
            wanted_code: str | None = normalize_code(wanted)
        except MunicipalityCodeError:
            wanted_code = None
        for attempt in range(self.resolve_attempts):
            if attempt:
                time.sleep(0.05 * attempt)  # a read-committed store may be applying a load of it right now
            if attempt or directory is None:
                directory = _Directory(self.list_snapshots())
            known = directory.municipalities
            by_code = [info for info in known if info.code == wanted or (
                wanted_code is not None and directory.same_municipality(info.code, wanted_code))]
            matches = by_code or [info for info in known if wanted in (info.slug, info.name) or (
                info.name_en and wanted.casefold() == info.name_en.casefold())]
            if len(matches) > 1:  # a shared slug or name: never pick one silently
                candidates = ", ".join(f"{m.name} ({m.code}, {m.slug})" for m in matches)
                raise MunicipalityNotFoundError("store.ambiguous", municipality=municipality, candidates=candidates)
            if matches:
                return matches[0].code, directory
        names = ", ".join(f"{m.name} ({m.code}, {m.slug})" for m in known) or "—"
        raise MunicipalityNotFoundError("store.not_found", municipality=municipality, loaded=names)

    @staticmethod
    def _reports(packages: list[DataPackage], existing: dict[str, str]) -> list[LoadReport]:
        """Reports of ``packages`` given ``existing``: snapshot key → content hash held."""
        return [LoadReport(p.code, str(p.municipality.get("name")), p.counts_by_label(), p.counts_by_tie_kind(),
                           p.content_hash, unchanged=existing.get(p.snapshot) == p.content_hash,
                           fiscal_year=p.fiscal_year)
                for p in packages]


def _wanted_year(year: int | str) -> int | None:
    """The fiscal year ``year`` names (``None``: the year-unknown snapshot)."""
    if isinstance(year, str) and year.strip().casefold() in (UNKNOWN_YEAR, "年度不明", "none"):
        return None
    found = parse_fiscal_year(year)
    if found is None:
        raise FiscalYearError("fiscal_year.bad", value=str(year))
    return found


class CypherStore(GraphStore):
    """A graph database that runs :mod:`tsunagari.graph.cypher` (LadybugDB, Neo4j).

    Subclasses provide a transaction and a read-only snapshot; everything else (which Cypher, in
    which order, how rows become a networkx graph) is shared here so both engines behave the same.

    Every write transaction first takes the store's write lock (:data:`cypher.WRITE_LOCK`), so
    concurrent loads take turns and the later one replaces the earlier entirely.

    A store whose read transactions are not snapshots sets :attr:`checks_reads` (Neo4j: read
    committed, and a commit becomes visible piece by piece while it is applied; measured in
    ``tests/graph/test_store.py``). Its writes then stamp every node and tie with the package's
    content hash, record on the Municipality node how many nodes and ties it has and the store
    generation that wrote it, and end by moving the store's ``last_write`` mark. A read reads the
    mark before and after its statements and is accepted only when the mark did not move, each
    municipality the last write touched shows that write, and each municipality read is exactly
    one stamped load (all its nodes and ties, with their ends). Otherwise it reads again
    (:attr:`read_attempts`); ``docs/reliability.md`` explains why this is enough.
    """

    checks_reads: bool = False
    read_attempts: int = READ_ATTEMPTS
    reads_repeated: int = 0
    """How many checked reads this handle has had to repeat (a load was being applied meanwhile)."""

    @abc.abstractmethod
    def _transaction(self) -> contextlib.AbstractContextManager[StatementRunner]:
        """A write transaction: committed on normal exit, rolled back on an exception."""

    @abc.abstractmethod
    def _snapshot(self) -> contextlib.AbstractContextManager[StatementRunner]:
        """A read-only transaction (a consistent snapshot unless :attr:`checks_reads`)."""

    def _retryable(self, error: BaseException) -> bool:
        """Whether a failed write transaction may simply be run again (a transient database error)."""
        return False

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
        by: str = CLI_WRITER,
    ) -> list[LoadReport]:
        """Replace the municipalities of ``packages``, all in one transaction (all or none).

        Packages whose content the store already holds are skipped (reported ``unchanged``); which
        ones is decided again under the write lock, so two concurrent loads of the same package
        write it once. Each municipality written gets a load-log entry in the same transaction.
        """
        reports = self._reports(packages, {m.code: m.content_hash for m in self.list_municipalities()})
        if all(r.unchanged for r in reports):
            return reports
        return self._retrying(lambda: self._load_once(packages, batch_size=batch_size or self.batch_size,
                                                      progress=progress, by=by))

    def _retrying(self, write: Callable[[], Any]) -> Any:
        for attempt in range(3):
            try:
                return write()
            except Exception as err:
                if attempt == 2 or not self._retryable(err):
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _take_write_lock(self, run: StatementRunner, by: str, now: str) -> int:
        """Take the write lock; returns the generation this write will have."""
        rows = run(cypher.WRITE_LOCK, {"by": by, "at": now})
        return (rows[0]["generation"] or 0) + 1 if rows else 1

    def _mark(self, run: StatementRunner, generation: int, *, loaded: Iterable[str] = (),
              deleted: Iterable[str] = ()) -> None:
        if self.checks_reads:
            mark = _Mark(generation, frozenset(loaded), frozenset(deleted))
            run(cypher.MARK_WRITE, {"generation": generation, "mark": mark.text})

    def _load_once(self, packages: list[DataPackage], *, batch_size: int,
                   progress: Callable[[int], None] | None, by: str) -> list[LoadReport]:
        with self._transaction() as run:
            now = utc_now()
            generation = self._take_write_lock(run, by, now)
            # Under the lock: the latest committed state, whoever wrote last.
            reports = self._reports(packages, {r["snapshot"]: r["content_hash"]
                                               for r in run(cypher.LIST_MUNICIPALITIES)})
            changed = [p for p, r in zip(packages, reports) if not r.unchanged]
            if not changed:
                return reports
            node_rows, tie_rows = self._rows(changed, generation)
            keys = [p.snapshot for p in changed]
            for schema in cypher.node_schemas():  # only these snapshots: other years of the municipality stay
                run(cypher.delete_municipalities(schema.label), {"codes": keys})
            self._write(run, node_rows, tie_rows, batch_size=batch_size, progress=progress)
            run(cypher.write_load_log(), {"rows": [
                self._log_row(p.snapshot, "load", now, by, p.content_hash, str(p.municipality.get("name")))
                for p in changed]})
            self._mark(run, generation, loaded=keys)
        return reports

    def _rows(self, packages: list[DataPackage], generation: int) -> tuple[
            dict[str, list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]]]:
        node_rows: dict[str, list[dict[str, Any]]] = {}
        tie_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for package in packages:
            content_hash = package.content_hash
            code, key = package.code, package.snapshot
            stamp = {cypher.STAMP: content_hash} if self.checks_reads else {}
            for node in package.nodes:
                row: dict[str, Any] = {**node.properties, "uid": _stored_id(node.uid, code, key), "municipality": key,
                                       **stamp}
                if node.label == "Municipality":
                    row["content_hash"] = content_hash
                    if self.checks_reads:
                        row.update(zip(cypher.STAMP_COUNTS, (len(package.nodes) - 1, len(package.ties), generation)))
                node_rows.setdefault(node.label, []).append(row)
            for tie in package.ties:
                row = {**tie.properties, "tid": _stored_id(tie.tid, code, key),
                       "from_uid": _stored_id(tie.from_uid, code, key), "to_uid": _stored_id(tie.to_uid, code, key),
                       "municipality": key, **stamp}
                tie_rows.setdefault((tie.kind, tie.from_label, tie.to_label), []).append(row)
        return node_rows, tie_rows

    @staticmethod
    def _log_row(code: str, action: str, at: str, by: str, content_hash: str | None,
                 name: str | None) -> dict[str, Any]:
        return {"uid": uuid.uuid4().hex, "code": code, "action": action, "loaded_at": at, "by": by,
                "content_hash": content_hash, "name": name}

    def _stamps(self, label: str | None = None) -> tuple[str, ...]:
        """The stamp properties written and read besides the model's (none unless :attr:`checks_reads`)."""
        if not self.checks_reads:
            return ()
        return (cypher.STAMP, *cypher.STAMP_COUNTS) if label == "Municipality" else (cypher.STAMP,)

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
            known = [*schemas[label].properties, *self._stamps(label)]
            for batch in _batches(rows, batch_size):
                # Only set properties with a value in this batch: an all-null column has no type.
                names = [p for p in known if any(r.get(p) is not None for r in batch)]
                batch = [{p: r.get(p) for p in names} for r in batch]
                run(cypher.upsert_nodes(label, names), {"rows": batch})
                if progress:
                    progress(len(batch))
        tie_known = ("tid", *cypher.TIE_PROPERTIES, *self._stamps())
        for (kind, from_label, to_label), rows in sorted(tie_rows.items()):
            for batch in _batches(rows, batch_size):
                names = [p for p in tie_known if any(r.get(p) is not None for r in batch)]
                batch = [{"from_uid": r["from_uid"], "to_uid": r["to_uid"], **{p: r.get(p) for p in names}}
                         for r in batch]
                run(cypher.upsert_ties(kind, from_label, to_label, names), {"rows": batch})
                if progress:
                    progress(len(batch))

    def delete_municipality(self, municipality: str, *, by: str = CLI_WRITER, year: YearArg = None) -> None:
        """Remove a municipality (named by code, slug or name) with every snapshot, or only ``year``'s; logged as ``by``."""
        if year is None:
            code = self.resolve(municipality)
            snapshots = [m for m in self.list_snapshots() if m.code == code]
            keys, logged = [m.snapshot for m in snapshots], code
        else:
            code, found = self.resolve_year(municipality, year)
            snapshots = [m for m in self.list_snapshots() if m.code == code and m.fiscal_year == found]
            keys = [snapshot_key(code, found)]
            logged = keys[0] if found is not None else code
        name = snapshots[-1].name if snapshots else None

        def delete() -> None:
            with self._transaction() as run:
                now = utc_now()
                generation = self._take_write_lock(run, by, now)
                # every snapshot listed above; a snapshot loaded since (under the lock) is deleted too when
                # every year goes: its key is found again here
                current = [r["snapshot"] for r in run(cypher.LIST_MUNICIPALITIES)
                           if year is None and split_snapshot_key(r["snapshot"])[0] == code]
                gone = sorted(set(keys) | set(current))
                for schema in cypher.node_schemas():
                    run(cypher.delete_municipalities(schema.label), {"codes": gone})
                run(cypher.write_load_log(), {"rows": [self._log_row(logged, "delete", now, by, None, name)]})
                self._mark(run, generation, deleted=gone)

        self._retrying(delete)

    # -- reading -------------------------------------------------------------------------------

    def list_snapshots(self) -> list[MunicipalityInfo]:
        """Every (municipality, fiscal year) snapshot in the store, ordered by code, then year (unknown first)."""
        if not self.checks_reads:
            return _snapshot_infos(self._query(cypher.LIST_MUNICIPALITIES))
        statement = cypher.list_municipalities(extra=(cypher.STAMP, "load_generation"))
        for attempt in range(self.read_attempts):
            with self._snapshot() as run:
                before = _read_mark(run)
                rows = run(statement)
                after = _read_mark(run)
            if before == after and _heads_settled(rows, after):
                return _snapshot_infos([{k: v for k, v in row.items() if k not in (cypher.STAMP, "load_generation")}
                                        for row in rows])
            self.reads_repeated += 1
            time.sleep(0.02 * (attempt + 1))
        raise StoreError("store.read_inconsistent", codes="Municipality", attempts=self.read_attempts)

    def load_log(self, municipality: str | None = None) -> list[LoadLogEntry]:
        """Every recorded write (of the municipality with code ``municipality``, every year), oldest first."""
        if municipality is None:
            rows = self._query(cypher.read_load_log())
        else:
            rows = self._query(cypher.read_load_log(one=True), {"code": municipality, "prefix": municipality + "@"})
        return [LoadLogEntry.from_row(row) for row in rows]

    def read_snapshots(self, keys: list[str]) -> dict[str, nx.MultiDiGraph]:
        """The snapshots ``keys`` as ``{key: graph}`` (year-free form), read in one store snapshot.

        One snapshot key reads only its rows; several read each label and tie kind once, which matters on
        engines without a secondary index on ``municipality`` (LadybugDB): reading a national store one
        municipality at a time would scan every table once per municipality.
        """
        if not keys:
            return {}
        # one read transaction: a concurrent load is seen entirely or not at all
        node_rows, tie_rows = self._read_rows(keys, every=len(keys) > 1)
        # the rows of each snapshot, in their order, found once (filtering every row for every key made
        # reading 100 municipalities quadratic: 10 million lookups)
        node_groups = [(schema, _by_snapshot(rows)) for schema, rows in node_rows]
        tie_groups = [(schema, _by_snapshot(rows)) for schema, rows in tie_rows]
        graphs = {}
        for key in keys:  # one at a time: two years of one municipality share their year-free node ids
            code, _ = split_snapshot_key(key)
            nodes, ties = _year_free([(schema, groups.get(key, [])) for schema, groups in node_groups],
                                     [(schema, groups.get(key, [])) for schema, groups in tie_groups], [key])
            graphs[key] = build_graphs([code], nodes, ties)[code]
        return graphs

    def _read_rows(self, codes: list[str], *, every: bool) -> tuple[list, list]:
        """Node and tie rows of ``codes`` (``every``: of all municipalities), checked when :attr:`checks_reads`."""
        parameters = None if every else {"code": codes[0]}
        for attempt in range(self.read_attempts):
            with self._snapshot() as run:
                before = _read_mark(run) if self.checks_reads else None
                node_rows = [(schema, run(cypher.read_nodes(schema, every=every, extra=self._stamps(schema.label)),
                                          parameters)) for schema in cypher.node_schemas()]
                tie_rows = [(schema, run(cypher.read_ties(schema, every=every, extra=self._stamps()), parameters))
                            for schema in cypher.tie_schemas()]
                after = _read_mark(run) if self.checks_reads else None
            if not self.checks_reads:
                return node_rows, tie_rows
            if after is not None and before == after and _half_seen(codes, node_rows, tie_rows, after) is None:
                return _without_stamps(node_rows), _without_stamps(tie_rows)
            self.reads_repeated += 1
            if attempt + 1 < self.read_attempts:
                time.sleep(0.02 * (attempt + 1))
        raise StoreError("store.read_inconsistent", codes=", ".join(codes), attempts=self.read_attempts)


# -- checked reads (stores with checks_reads) --------------------------------------------------------

@dataclass(frozen=True)
class _Mark:
    """The store's ``last_write`` mark: the generation of the last write, the codes it loaded and deleted.

    ``settled`` (not part of equality): written so long ago that it is surely applied in full.
    """

    generation: int = 0
    loaded: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    settled: bool = field(default=False, compare=False)

    def settle(self) -> _Mark:
        """The mark with nothing left to wait for (an old write: its codes need not be seen)."""
        return _Mark(self.generation, settled=True)

    @property
    def text(self) -> str:
        return f"{self.generation}:{','.join(sorted(self.loaded))}:{','.join(sorted(self.deleted))}"

    @classmethod
    def parse(cls, text: str | None) -> _Mark:
        if not text:
            return cls(settled=True)
        generation, loaded, deleted = (text.split(":") + ["", ""])[:3]
        return cls(int(generation), frozenset(filter(None, loaded.split(","))),
                   frozenset(filter(None, deleted.split(","))))


def _read_mark(run: StatementRunner) -> _Mark:
    """The store's ``last_write`` mark (empty before any checked write)."""
    rows = run(cypher.READ_MARK)
    if not rows:
        return _Mark(settled=True)
    mark = _Mark.parse(rows[0]["last_write"])
    return mark.settle() if (rows[0]["age_ms"] or 0) > MARK_SETTLED_MS else mark


def _snapshot_infos(rows: list[dict[str, Any]]) -> list[MunicipalityInfo]:
    """Snapshot infos of ``LIST_MUNICIPALITIES`` rows, ordered by code, then fiscal year (unknown first)."""
    infos = []
    for row in rows:
        data = {k: v for k, v in row.items() if k != "snapshot"}
        year = data.get("fiscal_year")
        data["fiscal_year"] = None if year is None else int(year)
        infos.append(MunicipalityInfo(**data, years=(data["fiscal_year"],)))
    return sorted(infos, key=lambda i: (i.code, year_order(i.fiscal_year)))


def _heads_settled(rows: list[dict[str, Any]], mark: _Mark) -> bool:
    """Whether Municipality rows show no write half applied: whole rows, one per snapshot, the last write's."""
    codes = [row["snapshot"] for row in rows]
    if None in codes or len(set(codes)) != len(codes):
        return False  # a Municipality node read while a commit deleted it
    if mark.deleted & set(codes) or not mark.loaded <= set(codes):
        return False  # the last write's deletes or new nodes are not all seen yet
    for row in rows:
        if row["name"] is None or row["content_hash"] is None:
            return False
        if row["snapshot"] in mark.loaded and row["load_generation"] != mark.generation:
            return False  # the last write replaced this municipality, and its old node is still seen
    return True


def _half_seen(codes: list[str], node_rows: list, tie_rows: list, mark: _Mark) -> str | None:
    """The first of ``codes`` whose rows are not exactly one stamped load of it, else ``None``.

    A municipality loaded before stamping existed (no stamp on its Municipality node) is accepted as
    read; so is a code with no rows at all that the last write did not load (deleted, or never loaded).
    """
    wanted = set(codes)
    heads: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    nodes: dict[str, Counter[Any]] = {code: Counter() for code in codes}
    ties: dict[str, Counter[Any]] = {code: Counter() for code in codes}
    uids: set[Any] = set()
    for schema, rows in node_rows:
        for row in rows:
            code = row["municipality"]
            if code in wanted:
                if row["uid"] is None:
                    return code  # a node read while a commit deleted it
                uids.add(row["uid"])
                if schema.label == "Municipality":
                    heads[code].append(row)
                else:
                    nodes[code][row.get(cypher.STAMP)] += 1
    for _, rows in tie_rows:
        for row in rows:
            code = row["municipality"]
            if code in wanted:
                ties[code][row.get(cypher.STAMP)] += 1
                if row["from_uid"] not in uids or row["to_uid"] not in uids:
                    return code  # an end read while a commit deleted it
    for code in codes:
        if not heads[code]:
            if nodes[code] or ties[code] or code in mark.loaded:
                return code  # nodes or ties without their municipality, or the last load not yet seen
            continue
        if len(heads[code]) > 1:
            return code
        head = heads[code][0]
        stamp = head.get(cypher.STAMP)
        if stamp is None:
            continue  # loaded before stamps existed
        node_count, tie_count, head_generation = (head.get(name) for name in cypher.STAMP_COUNTS)
        if code in mark.deleted or (code in mark.loaded and head_generation != mark.generation):
            return code  # the last write replaced it, and is still being applied
        if dict(nodes[code]) != ({stamp: node_count} if node_count else {}):
            return code
        if dict(ties[code]) != ({stamp: tie_count} if tie_count else {}):
            return code
    return None


def _without_stamps(rows: list) -> list:
    stamps = {cypher.STAMP, *cypher.STAMP_COUNTS}
    return [(schema, [{k: v for k, v in row.items() if k not in stamps} for row in table]) for schema, table in rows]
