"""The Data page's import: uploaded HSDS or open-data files → a zipped data package to review (nothing stored).

The same importers as ``tsunagari import`` run on the uploaded bytes, written into a private
temporary folder; the written package folder (with its ``_mapping_todo.csv``) comes back as the
bytes of a zip the user downloads, reviews, edits and then uploads to load.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = ["ImportedZip", "import_to_zip"]


@dataclass(frozen=True)
class ImportedZip:
    """The zipped package (empty when it does not load) and the importer's result."""

    data: bytes
    file_name: str
    result: object  # tsunagari.loaders.importers.ImportResult


def _safe_name(name: str) -> str:
    return PurePath(name.replace("\\", "/")).name or "upload"


def import_to_zip(source: str, files: list[tuple[str, bytes]], *, code: str,
                  helper: tuple[str, bytes] | None = None) -> ImportedZip:
    """Import ``files`` (name, bytes) as ``source`` ("hsds": one .zip of CSVs; "opendata": CSV/.xlsx files).

    ``helper`` is the HSDS mapping CSV or the 町丁目 → 地区 table.

    Raises
    ------
    tsunagari.loaders.importers.ImportSourceError
        As ``tsunagari import`` does (the message names the file).
    """
    from tsunagari.loaders.importers import import_hsds, import_opendata, write_package

    with tempfile.TemporaryDirectory(prefix="tsunagari-import-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = []
        for name, data in files:
            path = root / "in" / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        helper_path = None
        if helper is not None:
            (root / "helper").mkdir()
            helper_path = root / "helper" / _safe_name(helper[0])  # its own name: rows cite it as the source
            helper_path.write_bytes(helper[1])
        if source == "hsds":
            result = import_hsds(paths[0], code=code, mapping=helper_path)
        else:
            result = import_opendata(paths, code=code, districts=helper_path)
        out = root / "package"
        write_package(result, out)
        buffer = io.BytesIO()
        if not result.issues:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(out.iterdir()):
                    archive.writestr(zipfile.ZipInfo(path.name, date_time=(2000, 1, 1, 0, 0, 0)), path.read_bytes())
        slug = result.manifest.get("slug") or "package"
        return ImportedZip(buffer.getvalue(), f"{slug}.zip", result)
