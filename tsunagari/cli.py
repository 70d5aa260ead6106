"""Console-script entry of ``tsunagari``; the command line itself is :mod:`tsunagari.dashboards.cli`."""

from __future__ import annotations

from tsunagari.dashboards.cli import build_parser, main

__all__ = ["main", "build_parser"]

if __name__ == "__main__":
    raise SystemExit(main())
