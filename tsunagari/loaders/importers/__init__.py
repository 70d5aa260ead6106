"""Importers: data planners already hold, turned into a data package folder to review, then load.

* :func:`import_hsds` — an Open Referral HSDS 3.0 (or 2.0) package of CSVs (:mod:`.hsds`);
* :func:`import_opendata` — the Digital Agency's 自治体標準オープンデータセット (:mod:`.opendata`);
* :func:`write_package` — write either result into a folder, keeping the user's reviewed edits
  (:mod:`.package`).

They are loaders: files in, the rows of a package out, checked by reading the written folder back
with :func:`tsunagari.loaders.validate.read_package`. ``docs/importing.md`` explains every mapping.
"""

from __future__ import annotations

from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.loaders.importers.hsds import import_hsds
from tsunagari.loaders.importers.opendata import import_opendata
from tsunagari.loaders.importers.package import TODO_FILE, ImportResult, Notice, TodoItem, write_package

__all__ = ["import_hsds", "import_opendata", "write_package", "ImportResult", "TodoItem", "Notice", "TODO_FILE",
           "ImportSourceError"]
