"""Text that cannot act: cells a spreadsheet will not run, XML a parser accepts, lines a terminal only prints.

Names in a data package are free text from many hands. Before they leave Tsunagari in a file or
on a terminal they are neutralised here (OWASP, "CSV Injection"): a cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which spreadsheets show
as text; numbers stay numbers. XML exports drop the characters XML 1.0 forbids. Terminal output
shows control characters (escape sequences included) as ``\\x1b``-style text instead of obeying them.
"""

from __future__ import annotations

import re

__all__ = ["spreadsheet_safe", "csv_cell", "xml_safe", "terminal_safe"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def spreadsheet_safe(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Examples
    --------
    >>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("福祉課"), spreadsheet_safe(-3)
    ('\\'=HYPERLINK("http://x")', '福祉課', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    r"""A cell for a CSV written with newline line ends: :func:`spreadsheet_safe`, then carriage
    returns turned into newlines (which the writer quotes; a bare carriage return would split the row).

    Examples
    --------
    >>> csv_cell("=1") == "'=1", csv_cell("a\r\nb") == "a\nb", csv_cell("\r=1") == "'\n=1"
    (True, True, True)
    """
    value = spreadsheet_safe(value)
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def xml_safe(value: object) -> object:
    """``value`` without the characters XML 1.0 forbids (text only; other values pass through).

    Examples
    --------
    >>> xml_safe("課\\x07名")
    '課名'
    """
    return _XML_FORBIDDEN.sub("", value) if isinstance(value, str) else value


def terminal_safe(text: str) -> str:
    """``text`` with control characters (but newline and tab) shown escaped, so a terminal only prints it.

    Examples
    --------
    >>> terminal_safe("名前\\x1b[2J")
    '名前\\\\x1b[2J'
    """
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
