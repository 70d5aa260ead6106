"""Only a signed-in editor can write from the dashboard; every write is logged with who and when.

Anonymous sessions see no upload or delete widget, and the write path itself refuses them. With
no editor password configured, writing is disabled and the Data page says so. A signed-in
editor uploads and deletes, and the store's load log names them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.neo4j_support import neo4j_param, neo4j_settings, wipe_neo4j
from tsunagari.dashboards.access import Editors, configured_editors, hash_password, verify_password
from tsunagari.dashboards.i18n import t
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
PASSWORD = "correct horse battery staple"
HASH = hash_password(PASSWORD, n=2**12)  # cheaper than the default cost, same code path
SECRETS = {"tsunagari": {"editor_password_hash": HASH}}


@pytest.fixture(params=["embedded", neo4j_param()])
def store_url(request, tmp_path, monkeypatch) -> str:
    """A store holding テスト市 (99999), exported as ``TSUNAGARI_STORE``; embedded, or the Neo4j test server."""
    if request.param == "neo4j":
        wipe_neo4j()
        url = neo4j_settings().store_url
        settings = neo4j_settings()
    else:
        url = f"embedded://{tmp_path / 'store'}"
        settings = Settings(store_url=url)
    with open_store(settings) as store:
        store.load_package(read_package(MINI))
    monkeypatch.setenv("TSUNAGARI_STORE", url)
    monkeypatch.delenv("TSUNAGARI_LANG", raising=False)
    monkeypatch.delenv("TSUNAGARI_EDITOR_PASSWORD_HASH", raising=False)
    return url


def _log(url: str):
    settings = neo4j_settings() if url.startswith("bolt") else Settings(store_url=url)
    with open_store(settings, read_only=True) as store:
        return [(e.code, e.action, e.by) for e in store.load_log()], [m.code for m in store.list_municipalities()]


def _data_page(secrets=None, lang: str = "ja") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    if secrets:
        at.secrets = secrets
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    return at


def _package_zip(tmp_path: Path, code: str = "99997") -> tuple[str, bytes]:
    folder = tmp_path / "package"
    shutil.copytree(MINI, folder)
    manifest = (folder / "manifest.csv").read_text("utf-8")
    (folder / "manifest.csv").write_text(manifest.replace("99999", code).replace("testshi", "uploadshi")
                                         .replace("テスト市", "アップロード市").replace("Testshi", "Uploadshi"), "utf-8")
    archive = shutil.make_archive(str(tmp_path / "upload"), "zip", folder)
    return "upload.zip", Path(archive).read_bytes()


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign-in-name").input(name)
    at.text_input(key="sign-in-password").input(password)
    at.button[next(i for i, b in enumerate(at.button) if b.label == t("access.sign_in_button", "ja"))].click()
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, file_name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload-file").set_value((file_name, data, "application/zip"))
    at.button[next(i for i, b in enumerate(at.button) if b.label == t("data.upload_button", "ja"))].click()
    at.run()
    assert not at.exception, at.exception
    return at


# -- anonymous sessions cannot write ---------------------------------------------------------------

def test_without_a_configured_password_writing_is_disabled(store_url):
    at = _data_page()
    assert t("access.disabled", "ja") in [i.value for i in at.info]
    assert not at.get("file_uploader") and not at.text_input and not at.checkbox
    assert not [b for b in at.button if b.label in (t("data.upload_button", "ja"), t("data.delete_button", "ja"))]


def test_an_anonymous_session_sees_the_sign_in_but_no_upload_or_delete(store_url):
    at = _data_page(SECRETS)
    assert not at.get("file_uploader"), "an anonymous session must not be offered an upload"
    assert [b.label for b in at.button if b.label == t("data.delete_button", "ja")] == []
    assert at.text_input(key="sign-in-password").proto.type == at.text_input(key="sign-in-password").proto.PASSWORD
    # reading still works: the tables and the history are there
    assert any("99999" in c.value or "load" in c.value for c in at.caption) or at.dataframe


def test_the_write_path_refuses_an_anonymous_session(store_url):
    def write_without_signing_in():
        import streamlit as st

        from tsunagari.dashboards.errors import WriteNotAllowedError
        from tsunagari.dashboards.session import editor_store

        try:
            with editor_store() as (store, by):
                store.delete_municipality("99999", by=by)
        except WriteNotAllowedError as err:
            st.error(err.message("ja"))

    for secrets in ({}, SECRETS):  # no password configured, or configured but nobody signed in
        at = AppTest.from_function(write_without_signing_in, default_timeout=120)
        at.secrets = secrets
        at.run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == ["データの読み込み・削除は、編集者としてサインインした場合だけできます。"]
    assert _log(store_url) == ([("99999", "load", "cli")], ["99999"])


def test_a_wrong_password_signs_nobody_in(store_url):
    at = _sign_in(_data_page(SECRETS), "佐藤", "wrong password")
    assert t("access.wrong", "ja") in [e.value for e in at.error]
    assert not at.get("file_uploader") and "editor" not in at.session_state


# -- a signed-in editor can, and is logged ---------------------------------------------------------

def test_a_signed_in_editor_uploads_and_deletes_and_the_log_names_them(store_url, tmp_path):
    at = _sign_in(_data_page(SECRETS), "佐藤（福祉政策課）", PASSWORD)
    assert t("access.signed_in", "ja", name="佐藤（福祉政策課）") in [c.value for c in at.caption]
    assert at.get("file_uploader"), "a signed-in editor is offered the upload"
    at = _upload(at, *_package_zip(tmp_path))
    assert t("data.loaded", "ja", name="アップロード市", code="99997") in [s.value for s in at.success]
    assert at.session_state["municipality"] == "99997"
    history = next(d.value for d in at.dataframe if t("col.by", "ja") in d.value.columns)
    assert history[t("col.by", "ja")].tolist() == ["佐藤（福祉政策課）"]
    log, codes = _log(store_url)
    assert log == [("99999", "load", "cli"), ("99997", "load", "佐藤（福祉政策課）")] and codes == ["99997", "99999"]
    # delete it again: a confirmation first
    at.checkbox(key="delete-confirm").check()
    at.button[next(i for i, b in enumerate(at.button) if b.label == t("data.delete_button", "ja"))].click()
    at.run()
    assert not at.exception, at.exception
    assert t("data.deleted", "ja", name="アップロード市", code="99997") in [s.value for s in at.success]
    log, codes = _log(store_url)
    assert log[-1] == ("99997", "delete", "佐藤（福祉政策課）") and codes == ["99999"]
    # signing out takes the widgets away again
    at.button(key="sign-out").click()
    at.run()
    assert not at.get("file_uploader")


def test_the_password_hash_may_come_from_the_environment(store_url, monkeypatch):
    monkeypatch.setenv("TSUNAGARI_EDITOR_PASSWORD_HASH", HASH)
    at = _sign_in(_data_page(), "cli-less editor", PASSWORD)
    assert at.get("file_uploader")


def test_per_editor_passwords_bind_the_name(store_url):
    secrets = {"tsunagari": {"editors": {"sato": hash_password("sato's own", n=2**12)}}}
    at = _sign_in(_data_page(secrets), "tanaka", "sato's own")
    assert t("access.wrong", "ja") in [e.value for e in at.error]
    at = _sign_in(_data_page(secrets), "sato", "sato's own")
    assert at.session_state["editor"] == "sato" and at.get("file_uploader")


# -- the hash ----------------------------------------------------------------------------------------

def test_hashes_are_salted_and_checked_in_full():
    first, second = hash_password("pw", n=2**10), hash_password("pw", n=2**10)
    assert first != second and verify_password("pw", first) and verify_password("pw", second)
    assert not verify_password("pw ", first) and not verify_password("", first)
    for malformed in ("", "pw", "md5:abc", first.rsplit(":", 1)[0], first.replace("scrypt", "bcrypt"), "scrypt:x:8:1:00:00"):
        assert not verify_password("pw", malformed)
    assert PASSWORD not in HASH


def test_configuration_sources():
    assert not configured_editors(None, {}).configured
    assert configured_editors(None, {"TSUNAGARI_EDITOR_PASSWORD_HASH": HASH}).shared_hash == HASH
    assert configured_editors(SECRETS, {}).shared_hash == HASH
    editors = Editors(shared_hash=HASH)
    assert editors.sign_in("  名前  ", PASSWORD) == "名前" and editors.sign_in("", PASSWORD) is None


@pytest.mark.parametrize("kind", [neo4j_param()])
def test_on_neo4j_the_dashboard_writes_as_the_writer_user(kind, monkeypatch, tmp_path):
    """Reads use TSUNAGARI_NEO4J_USER; an editor's write uses TSUNAGARI_NEO4J_WRITER_USER (here one the
    server does not know: the upload fails with a message, nothing is written, reading goes on)."""
    wipe_neo4j()
    with open_store(neo4j_settings()) as store:
        store.load_package(read_package(MINI))
    monkeypatch.setenv("TSUNAGARI_STORE", neo4j_settings().store_url)
    monkeypatch.setenv("TSUNAGARI_NEO4J_WRITER_USER", "tsunagari_no_such_writer")
    monkeypatch.setenv("TSUNAGARI_NEO4J_WRITER_PASSWORD", "not-the-password")
    at = _upload(_sign_in(_data_page(SECRETS), "佐藤", PASSWORD), *_package_zip(tmp_path))
    errors = [e.value for e in at.error]
    assert errors and "AuthError" in errors[0] and "not-the-password" not in errors[0], errors
    assert _log(neo4j_settings().store_url) == ([("99999", "load", "cli")], ["99999"])
    assert at.dataframe  # the page still reads, as the reading user
