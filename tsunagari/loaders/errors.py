"""Errors raised at the data-package boundary, and the issue records they carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Issue", "DataPackageError", "PackageNotFoundError", "format_issues"]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in a data package, located by file, row and column.

    ``row`` counts like a spreadsheet: the header is row 1, the first record row 2 (``None`` for
    a problem with the whole file or a column). Messages come in Japanese and English.
    """

    file: str
    row: int | None
    column: str | None
    code: str
    message_ja: str
    message_en: str
    severity: Literal["error", "warning"] = "error"

    def location(self) -> str:
        """``file:row:column`` with the parts that are known."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(f"列「{self.column}」")
        return " ".join(parts)

    def format(self, lang: str = "both") -> str:
        """One readable line (``lang``: ``"ja"``, ``"en"`` or ``"both"``)."""
        loc_en = self.file + (f" row {self.row}" if self.row is not None else "") + (
            f" column `{self.column}`" if self.column else "")
        ja = f"{self.location()}: {self.message_ja}"
        en = f"{loc_en}: {self.message_en}"
        if lang == "ja":
            return ja
        if lang == "en":
            return en
        return f"{ja}\n    {en}"


def format_issues(issues: list[Issue] | tuple[Issue, ...], lang: str = "both") -> str:
    """All issues, one per line, errors first."""
    ordered = sorted(issues, key=lambda i: (i.severity != "error", i.file, i.row or 0, i.column or ""))
    return "\n".join(("エラー" if i.severity == "error" else "警告") + f" [{i.code}] " + i.format(lang)
                     for i in ordered)


class DataPackageError(ValueError):
    """The data package is invalid; ``issues`` lists every problem found (nothing was stored)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(
            f"データパッケージに{len(errors)}件のエラーがあります（何も保存していません）。/ "
            f"The data package has {len(errors)} error(s); nothing was stored.\n" + format_issues(errors)
        )


class PackageNotFoundError(FileNotFoundError):
    """The path is neither a package folder, a zip of one, nor an .xlsx workbook."""
