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

from tsunagari.errors import TsunagariError
from tsunagari.graph.conversion import package_graph
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings
from tsunagari.version import __version__

__all__ = ["read_package", "package_graph", "open_store", "Settings", "TsunagariError", "__version__"]
