"""An in-memory store: the packages themselves, read back through the same conversion as a database.

For tests and notebooks that need the store interface without a database; ``memory://`` in a
store URL. Loads are atomic (the dict is replaced in one assignment) and nothing persists.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from tsunagari.graph.conversion import package_graph
from tsunagari.graph.records import DataPackage
from tsunagari.graph.store import CLI_WRITER, GraphStore, LoadLogEntry, LoadReport, MunicipalityInfo, utc_now

__all__ = ["MemoryStore"]


class MemoryStore(GraphStore):
    """A store that keeps each municipality's :class:`DataPackage` in a dict."""

    def __init__(self, *, url: str = "memory://") -> None:
        self.url = url
        self._packages: dict[str, DataPackage] = {}
        self._log: tuple[LoadLogEntry, ...] = ()

    def load_packages(self, packages: list[DataPackage], *, batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None, by: str = CLI_WRITER) -> list[LoadReport]:
        """Replace the municipalities of ``packages`` (all or none: one assignment)."""
        reports = self._reports(packages, {c: p.content_hash for c, p in self._packages.items()})
        updated = dict(self._packages)
        now = utc_now()
        logged = []
        for package, report in zip(packages, reports):
            if not report.unchanged:
                updated[package.code] = package
                logged.append(LoadLogEntry(package.code, "load", now, by, package.content_hash, report.name))
                if progress:
                    progress(len(package.nodes) + len(package.ties))
        self._packages, self._log = updated, self._log + tuple(logged)
        return reports

    def delete_municipality(self, municipality: str, *, by: str = CLI_WRITER) -> None:
        """Remove a municipality (named by code, slug or name)."""
        code = self.resolve(municipality)
        name = str(self._packages[code].municipality.get("name"))
        entry = LoadLogEntry(code, "delete", utc_now(), by, None, name)
        self._packages, self._log = {c: p for c, p in self._packages.items() if c != code}, self._log + (entry,)

    def load_log(self, municipality: str | None = None) -> list[LoadLogEntry]:
        """Every recorded write (of the municipality with code ``municipality``), oldest first."""
        return [e for e in self._log if municipality is None or e.code == municipality]

    def list_municipalities(self) -> list[MunicipalityInfo]:
        """Every municipality held, ordered by code."""
        infos = []
        for code in sorted(self._packages):
            package = self._packages[code]
            m = package.municipality
            infos.append(MunicipalityInfo(code=code, name=str(m.get("name")), name_en=m.get("name_en"),
                                          slug=str(m.get("slug")),
                                          prefecture=m.get("prefecture"), content_hash=package.content_hash))
        return infos

    def read_graphs(self, municipalities: list[str] | None = None) -> dict[str, nx.MultiDiGraph]:
        """Several municipalities (default: all) as ``{code: graph}``."""
        codes = [self.resolve(m) for m in municipalities] if municipalities is not None else sorted(self._packages)
        return {code: package_graph(self._packages[code]) for code in codes}
