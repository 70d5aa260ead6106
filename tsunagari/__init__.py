"""Tsunagari (つながり): network analysis of 重層的支援体制整備事業 collaboration."""

__version__ = "0.1.0"
