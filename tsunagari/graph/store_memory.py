"""An in-memory store: the packages themselves, read back through the same conversion as a database.

For tests and notebooks that need the store interface without a database; ``memory://`` in a
store URL. Loads are atomic (the dict is replaced in one assignment) and nothing persists.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from tsunagari.graph.conversion import package_graph
from tsunagari.graph.records import DataPackage
from tsunagari.graph.store import GraphStore, LoadReport, MunicipalityInfo

__all__ = ["MemoryStore"]


class MemoryStore(GraphStore):
    """A store that keeps each municipality's :class:`DataPackage` in a dict."""

    def __init__(self, *, url: str = "memory://") -> None:
        self.url = url
        self._packages: dict[str, DataPackage] = {}

    def load_packages(self, packages: list[DataPackage], *, batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None) -> list[LoadReport]:
        """Replace the municipalities of ``packages`` (all or none: one assignment)."""
        reports = self._reports(packages, {c: p.content_hash for c, p in self._packages.items()})
        updated = dict(self._packages)
        for package, report in zip(packages, reports):
            if not report.unchanged:
                updated[package.code] = package
                if progress:
                    progress(len(package.nodes) + len(package.ties))
        self._packages = updated
        return reports

    def delete_municipality(self, municipality: str) -> None:
        """Remove a municipality (named by code, slug or name)."""
        code = self.resolve(municipality)
        self._packages = {c: p for c, p in self._packages.items() if c != code}

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
