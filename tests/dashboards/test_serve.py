"""The dashboard's server process imports the analysis stack before it listens, and no Streamlit cache."""

from __future__ import annotations

import subprocess
import sys

from tsunagari.dashboards.cli.dashboard import APP_PATH, streamlit_command
from tsunagari.dashboards.serve import PRELOADED


def test_the_dashboard_command_runs_streamlit_through_serve():
    command = streamlit_command(port=8600, headless=True)
    assert command[:5] == [sys.executable, "-m", "tsunagari.dashboards.serve", "run", str(APP_PATH)]


def test_preload_imports_the_stack_but_not_streamlit():
    # In a new interpreter: what preload leaves in sys.modules (Streamlit caches must be made inside its runtime).
    code = ("import sys; from tsunagari.dashboards.serve import preload; preload(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'pandas', 'igraph', 'networkx', "
            "'matplotlib', 'sudachipy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['igraph', 'matplotlib', 'networkx', 'pandas', 'sudachipy']"
    assert "tsunagari.dashboards.session" not in PRELOADED and "tsunagari.dashboards.widgets" not in PRELOADED


def test_serve_hands_its_arguments_to_streamlit():
    out = subprocess.run([sys.executable, "-m", "tsunagari.dashboards.serve", "version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("Streamlit, version ")
