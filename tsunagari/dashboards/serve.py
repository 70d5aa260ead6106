"""The dashboard's server process: ``streamlit run`` with the analysis stack already imported.

Streamlit runs ``app.py`` only when a browser connects, so without this the first page after a
server restart waited about a second for pandas, networkx, matplotlib, igraph, SciPy and Tsunagari's
own modules to import. Here they are imported before the server starts listening (what a WSGI
server's "preload" does), then Streamlit's own command line runs with the arguments given:

    python -m tsunagari.dashboards.serve run app.py --server.port 8501 …

Modules that declare Streamlit caches (``session``, ``widgets``) are left to the first script run,
so their caches are created inside Streamlit's runtime.
"""

from __future__ import annotations

import importlib

__all__ = ["PRELOADED", "preload", "main"]

PRELOADED = (
    "pandas", "numpy", "scipy.sparse", "networkx", "igraph", "matplotlib.figure", "matplotlib.backends.backend_agg",
    "tsunagari.graph.open", "tsunagari.graph.store_embedded", "tsunagari.analysis", "tsunagari.analysis.metrics",
    "tsunagari.analysis.gaps", "tsunagari.analysis.inequality", "tsunagari.analysis.change",
    "tsunagari.dashboards.network_map", "tsunagari.dashboards.static_export", "tsunagari.dashboards.district_map",
    "tsunagari.dashboards.council_report", "tsunagari.dashboards.result_cache",
)
"""What the server imports before it listens: none of them creates a Streamlit cache."""


def preload() -> None:
    """Import :data:`PRELOADED`, load the reading dictionary the map's search uses, and draw one empty map."""
    for name in PRELOADED:
        importlib.import_module(name)
    import networkx as nx

    from tsunagari.dashboards.name_reading import name_reading
    from tsunagari.dashboards.network_map import render_network_html

    name_reading("福祉")  # opens SudachiPy's dictionary once, here rather than on the first map
    # compiles pyvis's page template and packs vis-network once, here rather than on the first map
    render_network_html(nx.MultiDiGraph())


def main() -> None:
    """Preload, then hand ``sys.argv`` to Streamlit's command line (``run app.py …``)."""
    preload()
    from streamlit.web import cli

    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
