"""Tsunagari (つながり): network analysis of 重層的支援体制整備事業 collaboration.

The curated API: read a data package, turn it into a graph with no database, or open a store::

    import tsunagari as tg
    import tsunagari.analysis as ta

    package = tg.read_package("data_samples/amagasaki")   # validated records (raises on bad input)
    G = tg.package_graph(package)                          # networkx MultiDiGraph, no store, no server
    ta.betweenness(ta.actor_network(G))

    with tg.open_store(tg.Settings.from_env()) as store:   # the embedded store or Neo4j
        store.load_packages([package])

Layers, each importing only those below it: ``settings``/``errors`` ← ``graph`` ← ``loaders`` ←
``analysis`` ← ``dashboards`` (every front end, including the CLI).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tsunagari.version import __version__

if TYPE_CHECKING:
    from tsunagari.errors import TsunagariError
    from tsunagari.graph.conversion import package_graph
    from tsunagari.graph.open import open_store
    from tsunagari.loaders.validate import read_package
    from tsunagari.settings import Settings

__all__ = ["read_package", "package_graph", "open_store", "Settings", "TsunagariError", "__version__"]

# Loaded on first use (PEP 562), so `import tsunagari.analysis` pulls in no store and no loader.
_API = {
    "read_package": "tsunagari.loaders.validate",
    "package_graph": "tsunagari.graph.conversion",
    "open_store": "tsunagari.graph.open",
    "Settings": "tsunagari.settings",
    "TsunagariError": "tsunagari.errors",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tsunagari' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
