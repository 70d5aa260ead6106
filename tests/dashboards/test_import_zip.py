"""The Data page's import: uploaded files → the same package as `tsunagari import`, zipped; the panel renders."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.import_zip import import_to_zip
from tsunagari.loaders.importers import ImportSourceError, import_opendata, write_package

OPEN = Path(__file__).parents[1] / "fixtures" / "importers" / "opendata"
HSDS = Path(__file__).parents[1] / "fixtures" / "importers" / "hsds"
APP = Path(__file__).parents[2] / "tsunagari" / "dashboards" / "app.py"


def test_opendata_zip_equals_the_cli_folder(tmp_path):
    names = ("kaigo.csv", "iryo.csv", "jinkou.csv")
    built = import_to_zip("opendata", [(n, (OPEN / n).read_bytes()) for n in names], code="99999",
                          helper=("towns.csv", (OPEN / "towns.csv").read_bytes()))
    folder = tmp_path / "cli"
    write_package(import_opendata([OPEN / n for n in names], code="99999", districts=OPEN / "towns.csv"), folder)
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == {p.name: p.read_bytes() for p in folder.iterdir()}
    assert built.file_name == "m99999.zip"


def test_hsds_zip_and_errors():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in HSDS.iterdir():
            archive.writestr(path.name, path.read_bytes())
    built = import_to_zip("hsds", [("hsds.zip", buffer.getvalue())], code="99999")
    assert built.result.issues == () and "organization.csv" not in zipfile.ZipFile(io.BytesIO(built.data)).namelist()
    with pytest.raises(ImportSourceError):
        import_to_zip("opendata", [("x.csv", b"a,b\n1,2\n")], code="99999")


def test_data_page_shows_the_import_panel(dashboard_store):
    from streamlit.testing.v1 import AppTest

    _, codes = dashboard_store
    from tsunagari.dashboards.access import hash_password

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.secrets = {"tsunagari": {"editor_password_hash": hash_password("pw", n=2**12)}}
    at.session_state["lang"] = "en"
    at.session_state["municipality"] = codes[0]
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    # The panel takes uploads: an anonymous session does not see it (the dashboard is read-only for it).
    assert t("import.title", "en") not in [e.label for e in at.expander]
    at.text_input(key="sign-in-name").input("tanaka")
    at.text_input(key="sign-in-password").input("pw")
    at.button[next(i for i, b in enumerate(at.button) if b.label == t("access.sign_in_button", "en"))].click()
    at.run()
    assert not at.exception
    assert t("import.title", "en") in [e.label for e in at.expander]
