"""``tsunagari dashboard``: start the Streamlit app on the store from ``--store`` / ``TSUNAGARI_STORE``."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from tsunagari.dashboards.cli.command import Command, arg_help
from tsunagari.dashboards.errors import OptionError
from tsunagari.settings import Settings, redact_url

__all__ = ["APP_PATH", "DASHBOARD", "streamlit_command"]

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"


def streamlit_command(*, port: int = 8501, address: str = "localhost", headless: bool = False) -> list[str]:
    """The ``streamlit run`` command line of the dashboard, through :mod:`tsunagari.dashboards.serve`.

    Examples
    --------
    >>> streamlit_command(port=8600, headless=True)[-6:]
    ['--server.port', '8600', '--server.address', 'localhost', '--server.headless', 'true']
    """
    if not 0 < port < 65536:
        raise OptionError("analysis.between", name="port", low=1, high=65535, value=port)
    # `serve` imports the analysis stack, then runs Streamlit's own `streamlit run` command line
    return [sys.executable, "-m", "tsunagari.dashboards.serve", "run", str(APP_PATH), "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "viewer",
            "--server.port", str(port), "--server.address", address, "--server.headless",
            "true" if headless else "false"]


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8501, help=arg_help("arg.dashboard.port"))
    parser.add_argument("--address", default="localhost", help=arg_help("arg.dashboard.address"))
    parser.add_argument("--headless", action="store_true", help=arg_help("arg.dashboard.headless"))


def _run(args: argparse.Namespace, settings: Settings) -> int:
    env = dict(os.environ, TSUNAGARI_STORE=settings.store_url)
    if args.lang in ("ja", "en"):
        env["TSUNAGARI_LANG"] = args.lang
    sys.stderr.write(f"ダッシュボードを起動します / starting the dashboard: http://{args.address}:{args.port}  "
                     f"(store: {redact_url(settings.store_url)})\n")
    server = subprocess.Popen(streamlit_command(port=args.port, address=args.address, headless=args.headless),
                              env=env)

    def forward(signum: int, _frame: object) -> None:  # stopping `tsunagari dashboard` stops the server too
        server.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the server too (same process group): let it finish
        return server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


DASHBOARD = Command("dashboard", "start the interactive dashboard / ダッシュボードを起動", _configure, _run)
