"""Validate a data package uploaded from the browser (a zipped package folder or an .xlsx workbook).

The bytes are written to a private temporary folder and read with the same
:func:`tsunagari.loaders.validate.read_package` as ``tsunagari load``, so the browser shows
exactly the validation errors the command line prints.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from tsunagari.dashboards.errors import UploadError
from tsunagari.graph.records import DataPackage

__all__ = ["UPLOAD_SUFFIXES", "read_uploaded_package"]

UPLOAD_SUFFIXES = (".zip", ".xlsx", ".xlsm")


def read_uploaded_package(file_name: str, data: bytes) -> DataPackage:
    """Validate the uploaded ``data`` named ``file_name`` and return the package.

    Raises
    ------
    UploadError
        If ``file_name`` does not end in .zip, .xlsx or .xlsm.
    tsunagari.loaders.errors.DataPackageError
        With every problem found (file, row, column, Japanese and English message).

    Examples
    --------
    >>> read_uploaded_package("agencies.csv", b"")
    Traceback (most recent call last):
    ...
    tsunagari.dashboards.errors.UploadError: Upload a .zip of the package folder or an .xlsx workbook; got 'agencies.csv'.
    """
    from tsunagari.loaders.validate import read_package

    suffix = PurePath(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError("dashboard.upload_kind", file_name=repr(file_name))
    with tempfile.TemporaryDirectory(prefix="tsunagari-upload-") as folder:
        path = Path(folder) / f"package{suffix}"
        path.write_bytes(data)
        package = read_package(path)
    return package
