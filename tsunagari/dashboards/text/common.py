"""Helpers shared by the plain-text reports: display width of Japanese text, padding, numbers, labels."""

from __future__ import annotations

import unicodedata

import pandas as pd

from tsunagari.analysis.coverage import ANY_DOMAIN
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["display_width", "pad", "label", "number"]


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def label(value: object, vocab: str | None, en: bool) -> str:
    """A stored value as text: vocabulary terms translated for English, missing → ``—``."""
    if value is None or value is pd.NA:
        return "—"
    text = str(value)
    if en and vocab:
        return vocabulary(vocab).translate(text, "en")
    if en and text == ANY_DOMAIN:
        return "Any"
    return text


def number(value: object, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals (floats); missing → ``NA``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "NA"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def wrap(line: str, width: int = 100) -> list[str]:
    """``line`` broken into lines of at most ``width`` terminal columns, at spaces or after 、，, ;
    continuation lines indented by the line's own indent plus two spaces.

    Examples
    --------
    >>> wrap("  a, b, c", 6)
    ['  a,', '    b,', '    c']
    >>> wrap("短い行")
    ['短い行']
    """
    if display_width(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
    pieces, current = [], ""
    for ch in line:
        current += ch
        if ch in " 、，,;":
            pieces.append(current)
            current = ""
    pieces.append(current)
    lines, now = [], ""
    for piece in pieces:
        if now and display_width(now + piece.rstrip()) > width:
            lines.append(now.rstrip())
            now = indent + piece.lstrip()
        else:
            now += piece
    lines.append(now.rstrip())
    return lines
