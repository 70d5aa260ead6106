"""A validated data package: the municipality, its node records and its tie records.

This is what the stores write. Every record is already typed and normalized; ``uid`` values
(``"{code}:{id}"``) are unique across all municipalities in a store.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tsunagari.loaders.errors import Issue

__all__ = ["NodeRecord", "TieRecord", "DataPackage", "make_uid"]


def make_uid(code: str, local_id: str) -> str:
    """Store-wide node id: municipality code and the package's own id."""
    return f"{code}:{local_id}"


@dataclass(frozen=True)
class NodeRecord:
    """One node: its graph label, store-wide uid and properties (``id`` is the package's own id)."""

    label: str
    uid: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class TieRecord:
    """One tie between two nodes, keyed by ``tid`` (stable hash of its identifying fields)."""

    kind: str
    tid: str
    from_uid: str
    to_uid: str
    from_label: str
    to_label: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class DataPackage:
    """A municipality's validated data, ready to store."""

    code: str
    municipality: dict[str, Any]
    nodes: tuple[NodeRecord, ...]
    ties: tuple[TieRecord, ...]
    path: str = ""
    warnings: tuple[Issue, ...] = field(default=())
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the normalized content: equal for equal data whatever the file encoding."""
        payload = {
            "municipality": self.municipality,
            "nodes": sorted([n.label, n.uid, n.properties] for n in self.nodes),
            "ties": sorted([t.kind, t.tid, t.from_uid, t.to_uid, t.properties] for t in self.ties),
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def counts_by_label(self) -> dict[str, int]:
        """Number of nodes per label."""
        return dict(sorted(Counter(n.label for n in self.nodes).items()))

    def counts_by_tie_kind(self) -> dict[str, int]:
        """Number of ties per kind."""
        return dict(sorted(Counter(t.kind for t in self.ties).items()))
