"""Errors raised at the data-package boundary, and the issue records they carry."""

from __future__ import annotations

from tsunagari.errors import TsunagariError
from tsunagari.graph.records import Issue, format_issues

__all__ = ["Issue", "DataPackageError", "PackageNotFoundError", "format_issues"]


class DataPackageError(TsunagariError, ValueError):
    """The data package is invalid; ``issues`` lists every problem found (nothing was stored)."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]) -> None:
        self.issues = tuple(issues)
        super().__init__("loader.package_invalid", count=sum(i.severity == "error" for i in self.issues))

    def message(self, lang: str = "ja") -> str:
        """The count of errors, then every error located by file, row and column, in ``lang``."""
        errors = [i for i in self.issues if i.severity == "error"]
        return super().message(lang) + "\n" + format_issues(errors, lang)

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self) -> tuple:
        return (type(self), (self.issues,))


class PackageNotFoundError(TsunagariError, FileNotFoundError):
    """The path is neither a package folder, a zip of one, nor an .xlsx workbook."""
