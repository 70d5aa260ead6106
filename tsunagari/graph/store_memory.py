"""An in-memory store: the packages themselves, read back through the same conversion as a database.

For tests and notebooks that need the store interface without a database; ``memory://`` in a
store URL. Loads are atomic (the dict is replaced in one assignment) and nothing persists. Like the
database stores it keeps one package per (municipality, fiscal year) snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from tsunagari.graph.conversion import package_graph
from tsunagari.graph.fiscal_year import snapshot_key, split_snapshot_key, year_order
from tsunagari.graph.records import DataPackage
from tsunagari.graph.store import (
    CLI_WRITER,
    GraphStore,
    LoadLogEntry,
    LoadReport,
    MunicipalityInfo,
    YearArg,
    utc_now,
)

__all__ = ["MemoryStore"]


class MemoryStore(GraphStore):
    """A store that keeps each snapshot's :class:`DataPackage` in a dict keyed by snapshot key."""

    def __init__(self, *, url: str = "memory://") -> None:
        self.url = url
        self._packages: dict[str, DataPackage] = {}
        self._log: tuple[LoadLogEntry, ...] = ()

    def load_packages(self, packages: list[DataPackage], *, batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None, by: str = CLI_WRITER) -> list[LoadReport]:
        """Replace the snapshots of ``packages`` (all or none: one assignment); other years stay."""
        reports = self._reports(packages, {k: p.content_hash for k, p in self._packages.items()})
        updated = dict(self._packages)
        now = utc_now()
        logged = []
        for package, report in zip(packages, reports):
            if not report.unchanged:
                updated[package.snapshot] = package
                logged.append(LoadLogEntry(package.code, "load", now, by, package.content_hash, report.name,
                                           package.fiscal_year))
                if progress:
                    progress(len(package.nodes) + len(package.ties))
        self._packages, self._log = updated, self._log + tuple(logged)
        return reports

    def delete_municipality(self, municipality: str, *, by: str = CLI_WRITER, year: YearArg = None) -> None:
        """Remove a municipality (named by code, slug or name) with every snapshot, or only ``year``'s."""
        if year is None:
            code = self.resolve(municipality)
            gone = {k for k in self._packages if split_snapshot_key(k)[0] == code}
            logged_year = None
        else:
            code, logged_year = self.resolve_year(municipality, year)
            gone = {snapshot_key(code, logged_year)}
        latest = max((k for k in gone), key=lambda k: year_order(split_snapshot_key(k)[1]))
        name = str(self._packages[latest].municipality.get("name"))
        entry = LoadLogEntry(code, "delete", utc_now(), by, None, name, logged_year)
        self._packages, self._log = {k: p for k, p in self._packages.items() if k not in gone}, self._log + (entry,)

    def load_log(self, municipality: str | None = None) -> list[LoadLogEntry]:
        """Every recorded write (of the municipality with code ``municipality``), oldest first."""
        return [e for e in self._log if municipality is None or e.code == municipality]

    def list_snapshots(self) -> list[MunicipalityInfo]:
        """Every snapshot held, ordered by code, then fiscal year (unknown first)."""
        infos = []
        for package in self._packages.values():
            m = package.municipality
            infos.append(MunicipalityInfo(code=package.code, name=str(m.get("name")), name_en=m.get("name_en"),
                                          slug=str(m.get("slug")), prefecture=m.get("prefecture"),
                                          content_hash=package.content_hash, fiscal_year=package.fiscal_year,
                                          years=(package.fiscal_year,)))
        return sorted(infos, key=lambda i: (i.code, year_order(i.fiscal_year)))

    def read_snapshots(self, keys: list[str]) -> dict[str, nx.MultiDiGraph]:
        """The snapshots ``keys`` as ``{key: graph}``."""
        return {key: package_graph(self._packages[key]) for key in keys}
