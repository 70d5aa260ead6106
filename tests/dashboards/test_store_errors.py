"""When the store cannot be used, the dashboard says why: busy, refused, no answer, not Bolt, bad credentials.

Each case shows one error in the reader's language (Japanese with the English beneath it, or
English), then the store's own message naming the URL (never the password). Only an embedded
store held by another process is "busy".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.graph.test_open_store import listener
from tests.neo4j_support import NEO4J_URI, SKIP_REASON
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.widgets import md_text

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
PASSWORD = "s3cr3t-pass"


def _app(monkeypatch, url: str, lang: str, *, user: str = "neo4j", password: str = PASSWORD) -> AppTest:
    monkeypatch.setenv("TSUNAGARI_STORE", url)
    monkeypatch.setenv("TSUNAGARI_NEO4J_USER", user)
    monkeypatch.setenv("TSUNAGARI_NEO4J_PASSWORD", password)
    monkeypatch.delenv("TSUNAGARI_LANG", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> tuple[list[str], list[str]]:
    return [e.value for e in at.sidebar.error], [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_closed_port_is_connection_refused(monkeypatch, lang):
    with listener(reply=None) as port:
        pass  # closed again: nothing listens there now
    at = _app(monkeypatch, f"bolt://127.0.0.1:{port}", lang)
    errors, captions = _shown(at)
    assert errors == [t("app.store_refused", lang)]
    assert (t("app.store_refused", "en") in captions) == (lang == "ja")  # English offered beside the Japanese
    assert any(md_text(f"127.0.0.1:{port}") in c for c in captions)  # the store's own message names the URL
    assert t("app.store_busy", lang) not in errors
    assert all(PASSWORD not in text for text in errors + captions)
    assert not at.title  # no page drawn


def test_a_port_that_never_answers_is_a_timeout(monkeypatch):
    with listener(reply=None) as port:
        at = _app(monkeypatch, f"bolt://127.0.0.1:{port}", "ja")
    errors, captions = _shown(at)
    assert errors == [t("app.store_timeout", "ja")]
    assert t("app.store_timeout", "en") in captions


def test_a_server_that_is_not_neo4j_cannot_be_connected_to_and_is_not_busy(monkeypatch):
    # the driver reports an HTTP answer as "service unavailable", nothing more precise
    with listener(reply=b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") as port:
        at = _app(monkeypatch, f"bolt://127.0.0.1:{port}", "en")
    assert _shown(at)[0] == [t("app.store_unreachable", "en")]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason=SKIP_REASON)
def test_a_wrong_password_is_an_authentication_failure(monkeypatch, lang):
    # A user of its own: after a failed sign-in the server refuses that user's next ones for a while
    # (AuthenticationRateLimit), which must not hit the test user of the other tests.
    at = _app(monkeypatch, NEO4J_URI, lang, user=f"tsunagari-nobody-{lang}", password="not-the-password")
    errors, captions = _shown(at)
    assert errors == [t("app.store_auth", lang)]
    assert (t("app.store_auth", "en") in captions) == (lang == "ja")
    assert all("not-the-password" not in text for text in errors + captions)


# -- store paths: nothing created by reading, a read-only file system named -------------------------

def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


def test_the_dashboard_on_a_missing_store_creates_nothing(monkeypatch, tmp_path):
    before = _files(tmp_path)
    at = _app(monkeypatch, f"embedded://{tmp_path / 'missing' / 'store'}", "ja")
    assert not at.error
    assert [i.value for i in at.info] == [t("app.empty_store", "ja")]
    for page in ("network", "coverage", "bridging", "inequality", "data"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception and not at.error, (page, at.exception)
        assert t("app.empty_store", "ja") in [i.value for i in at.info], page
    assert _files(tmp_path) == before  # no store folder, no lock file


def test_the_dashboard_on_a_read_only_file_system_says_so(monkeypatch, tmp_path):
    from tests.dashboards.conftest import MINI
    from tests.dashboards.read_only_fs import read_only_folder
    from tsunagari.graph.open import open_store
    from tsunagari.loaders.validate import read_package
    from tsunagari.settings import Settings

    def prepare(folder: Path) -> None:
        with open_store(Settings(store_url=f"embedded://{folder / 'store'}")) as store:
            store.load_package(read_package(MINI))

    with read_only_folder(tmp_path / "ro", prepare) as folder:
        at = _app(monkeypatch, f"embedded://{folder / 'store'}", "ja")
        errors, captions = _shown(at)
        if errors:  # the engine cannot open the file there: say why, not "busy"
            assert errors == [t("app.store_read_only_fs", "ja")]
            assert t("app.store_read_only_fs", "en") in captions
            assert any(md_text(str(folder / "store")) in c for c in captions)
        else:  # or it reads it: the pages work
            assert at.title[0].value.startswith(t("page.overview", "ja"))


@pytest.mark.parametrize("detail, key", [
    ("connection refused (ServiceUnavailable)", "app.store_refused"),
    ("no connection within 5 s (ServiceUnavailable)", "app.store_timeout"),
    ("no Bolt answer within 5 s: is this the Bolt port of a Neo4j server? (ServiceUnavailable)", "app.store_timeout"),
    ("not a Bolt server (ProtocolError)", "app.store_not_bolt"),
    ("authentication failed (AuthError)", "app.store_auth"),
    ("ClientError (Neo.ClientError.Security.AuthenticationRateLimit)", "app.store_auth_rate_limit"),
    ("ServiceUnavailable", "app.store_unreachable"),
])
def test_each_neo4j_reason_has_its_sentence(detail, key):
    from tsunagari.dashboards.session import store_problem
    from tsunagari.graph.errors import StoreUnavailableError

    error = StoreUnavailableError("store.neo4j_unreachable", uri="bolt://db:7687", detail=detail)
    assert store_problem(error) == key


def test_only_a_held_embedded_store_is_busy():
    from tsunagari.dashboards.session import store_problem
    from tsunagari.graph.errors import StoreUnavailableError

    assert store_problem(StoreUnavailableError("store.locked", folder="/srv/s", pid=7)) == "app.store_busy"
    assert store_problem(StoreUnavailableError("store.cannot_open", folder="/srv/s",
                                               detail="Read-only file system")) == "app.store_read_only_fs"
