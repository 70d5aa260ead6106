"""What every dashboard page shares: the store, the chosen municipality and language, cached results.

The settings are built once when the server starts (:func:`app_settings`, from the environment:
``TSUNAGARI_STORE`` ...) and passed down from there. An embedded store is
opened for each use and closed right after (:func:`session_store`), so ``tsunagari load`` can
update it while the dashboard is running; its file lock admits one process at a time, and the
dashboard's reads take a fraction of a second. A Neo4j driver is shared and pooled instead.
Graphs and analysis frames are cached with ``st.cache_data`` keyed on the municipality's content
hash, so switching pages is instant and a reloaded package is recomputed exactly when its content
changed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import networkx as nx
import streamlit as st

from tsunagari.analysis.metrics import MetricsResult
from tsunagari.analysis.results import ChangeResult, GapsResult, InequalityResult
from tsunagari.analysis.summary import MunicipalitySummary, summarize
from tsunagari.dashboards.access import EDITOR_KEY, Editors, configured_editors
from tsunagari.graph.errors import StoreUnavailableError
from tsunagari.graph.store import GraphStore, MunicipalityInfo
from tsunagari.settings import Settings

__all__ = [
    "app_settings",
    "LANG_KEY",
    "MUNICIPALITY_KEY",
    "YEAR_KEY",
    "Selection",
    "session_store",
    "editor_store",
    "current_editor",
    "editors",
    "store_url",
    "current_lang",
    "current_selection",
    "read_municipalities",
    "municipality_snapshots",
    "load_graph",
    "load_change",
    "load_summary",
    "load_metrics",
    "load_layout",
    "load_gaps",
    "load_inequality",
    "load_council_report",
    "load_council_report_pdf",
    "previous_snapshot",
    "store_problem",
]

LANG_KEY = "lang"
MUNICIPALITY_KEY = "municipality"
YEAR_KEY = "fiscal-year"
"""The fiscal year chosen in the sidebar (``None``: the municipality's latest; ``"unknown"``: the year-unknown one)."""
MUNICIPALITIES_KEY = "municipalities-this-run"  # the store's list, read once per run by the app
SNAPSHOTS_KEY = "snapshots-this-run"  # every (municipality, fiscal year) snapshot, read with that list


SETTINGS_KEY = "settings"


def app_settings() -> Settings:
    """The dashboard's settings: read from the environment once when a session starts, then kept."""
    settings = st.session_state.get(SETTINGS_KEY)
    if settings is None:
        settings = st.session_state[SETTINGS_KEY] = Settings.from_env()
    return settings


# The embedded store's file lock is per process, so the server's own sessions (threads) take turns
# here; a nested use in the same thread gets the handle already open.
_EMBEDDED_USE = threading.Lock()
_open_here = threading.local()


@st.cache_resource(show_spinner=False)
def _shared_store(settings: Settings, read_only: bool) -> GraphStore:
    """A Neo4j store kept for the server's lifetime and shared by every session (its driver pools connections).

    Two per server: a read-only one for every page (reads in read-access sessions, no schema
    statements), and one that writes, used only for an editor's upload or delete.
    """
    from tsunagari.graph.open import open_store

    return open_store(settings if read_only else settings.as_writer(), read_only=read_only)


def store_url() -> str:
    """The URL of the store the dashboard shows (``TSUNAGARI_STORE``)."""
    return app_settings().store_url


@contextlib.contextmanager
def session_store(*, read_only: bool = True) -> Iterator[GraphStore]:
    """The store for one use: ``with session_store() as store: ...`` (``read_only=False`` to write).

    Raises
    ------
    StoreUnavailableError
        If another process (e.g. a running ``tsunagari load``) still holds the embedded store
        after ``Settings.lock_wait_seconds``.
    """
    from tsunagari.graph.open import open_store

    settings = app_settings()
    if urlsplit(settings.store_url).scheme.lower() != "embedded":
        yield _shared_store(settings, read_only)
        return
    store = getattr(_open_here, "store", None)
    if store is not None and (read_only or not getattr(store, "read_only", False)):
        yield store
        return
    with _EMBEDDED_USE, open_store(settings, read_only=read_only) as store:
        _open_here.store = store
        try:
            yield store
        finally:
            _open_here.store = None


# What the Neo4j store's reasons (``store.neo4j_unreachable``'s ``detail``, graph/store_neo4j._describe)
# begin with, and the reader text of each; the first match wins.
_NEO4J_REASONS = (
    ("authentication failed", "app.store_auth"),
    ("clienterror (neo.clienterror.security.authenticationratelimit)", "app.store_auth_rate_limit"),
    ("no bolt answer", "app.store_timeout"),
    ("not a bolt server", "app.store_not_bolt"),
    ("connection refused", "app.store_refused"),
    ("no connection within", "app.store_timeout"),
)


def store_problem(error: StoreUnavailableError) -> str:
    """The catalogue key of the sentence that says why the store cannot be used now.

    An embedded store held by another process is busy; a Neo4j server refused the connection,
    did not answer in time, is not a Bolt server, refused the credentials or, after failed
    sign-ins, refuses them for a while; a store folder on a
    read-only file system cannot be opened. Anything else: ``app.store_cannot_open`` (the error's
    own message gives the details).

    Examples
    --------
    >>> from tsunagari.graph.errors import StoreUnavailableError
    >>> store_problem(StoreUnavailableError("store.locked", folder="/srv/store", pid=42))
    'app.store_busy'
    >>> store_problem(StoreUnavailableError("store.neo4j_unreachable", uri="bolt://h:7687",
    ...                                     detail="connection refused (ServiceUnavailable)"))
    'app.store_refused'
    """
    detail = str(error.params.get("detail", "")).lower()
    if error.key == "store.neo4j_unreachable":
        return next((key for start, key in _NEO4J_REASONS if detail.startswith(start)), "app.store_unreachable")
    if "read-only file system" in detail:
        return "app.store_read_only_fs"
    if error.key in ("store.locked", "store.cannot_open"):
        return "app.store_busy"
    return "app.store_cannot_open"


def editors() -> Editors:
    """The editor credentials configured for this server (Streamlit secrets or the environment)."""
    try:
        secrets = st.secrets
    except Exception:  # noqa: BLE001 (no secrets file)
        secrets = None
    return configured_editors(secrets)


def current_editor() -> str | None:
    """The name of the editor signed in to this session, or ``None`` for an anonymous reader."""
    name = st.session_state.get(EDITOR_KEY)
    return name if name and editors().configured else None


@contextlib.contextmanager
def editor_store() -> Iterator[tuple[GraphStore, str]]:
    """The store to write to and the editor's name: ``with editor_store() as (store, by): ...``.

    The one way the dashboard writes (upload, delete); on Neo4j it writes as the writer user.

    Raises
    ------
    WriteNotAllowedError
        If no editor has signed in to this session (or no editor password is configured).
    """
    from tsunagari.dashboards.errors import WriteNotAllowedError

    editor = current_editor()
    if editor is None:
        raise WriteNotAllowedError("dashboard.write_not_allowed")
    with session_store(read_only=False) as store:
        yield store, editor


@dataclass(frozen=True)
class Selection:
    """The municipality and fiscal year the user picked: its code, the snapshot's content hash and stored info.

    ``content_hash`` names the snapshot of ``fiscal_year`` (the latest unless the sidebar chose another);
    every ``load_*`` function reads the snapshot with that hash. ``info.years`` lists the years held.
    """

    code: str
    content_hash: str
    info: MunicipalityInfo
    fiscal_year: int | None = None


def current_lang() -> str:
    """``"ja"`` or ``"en"``: the sidebar switch, else ``TSUNAGARI_LANG``."""
    lang = st.session_state.get(LANG_KEY) or app_settings().lang
    return "en" if lang == "en" else "ja"


def read_municipalities() -> list[MunicipalityInfo]:
    """The store's municipalities, read now and kept for the rest of this script run.

    The app calls it once per run, before the page; :func:`current_selection` then reuses the list
    instead of opening the store again.
    """
    from tsunagari.graph.store import group_snapshots

    with session_store() as store:
        snapshots = store.list_snapshots()
    infos = group_snapshots(snapshots)
    st.session_state[MUNICIPALITIES_KEY] = infos
    st.session_state[SNAPSHOTS_KEY] = snapshots
    return infos


def municipality_snapshots(code: str) -> list[MunicipalityInfo]:
    """The snapshots of municipality ``code`` read this run, oldest first (one per fiscal year)."""
    snapshots = st.session_state.get(SNAPSHOTS_KEY)
    if snapshots is None:
        read_municipalities()
        snapshots = st.session_state[SNAPSHOTS_KEY]
    return [s for s in snapshots if s.code == code]


def current_selection() -> Selection | None:
    """The selected municipality, or ``None`` when the store is empty."""
    infos = st.session_state.get(MUNICIPALITIES_KEY)
    if infos is None:
        infos = read_municipalities()
    if not infos:
        return None
    wanted = st.session_state.get(MUNICIPALITY_KEY)
    info = next((i for i in infos if i.code == wanted), infos[0])
    year = st.session_state.get(YEAR_KEY)
    snapshot = next((s for s in municipality_snapshots(info.code)
                     if year is not None and s.fiscal_year == (None if year == "unknown" else year)), None)
    if snapshot is None:  # the latest (also when the chosen year is not held by this municipality)
        return Selection(info.code, info.content_hash, info, info.fiscal_year)
    return Selection(info.code, snapshot.content_hash, info, snapshot.fiscal_year)


@st.cache_data(show_spinner=False, max_entries=16)
def load_graph(code: str, content_hash: str) -> nx.MultiDiGraph:
    """The municipality graph (cached per content hash).

    Raises
    ------
    StoreChangedError
        If the store holds another version than ``content_hash`` by now (a load committed between
        reading the list and reading the graph): nothing is cached, and the app reads the list again.
    """
    from tsunagari.dashboards.errors import StoreChangedError
    from tsunagari.graph.store import UNKNOWN_YEAR

    with session_store() as store:
        # the snapshot (fiscal year) with this content hash; gone: a load or delete committed since the list
        snapshot = next((s for s in store.list_snapshots() if s.code == code and s.content_hash == content_hash), None)
        if snapshot is None:
            raise StoreChangedError("dashboard.store_changed", code=code)
        graph = store.read_graph(code, UNKNOWN_YEAR if snapshot.fiscal_year is None else snapshot.fiscal_year)
    if graph.graph.get("content_hash") != content_hash:
        raise StoreChangedError("dashboard.store_changed", code=code)
    return graph


@st.cache_data(show_spinner=False, max_entries=16)
def load_summary(code: str, content_hash: str) -> MunicipalitySummary:
    """:func:`tsunagari.analysis.summary.summarize` of the municipality."""
    return summarize(load_graph(code, content_hash))


@st.cache_data(show_spinner=False, max_entries=16)
def load_metrics(code: str, content_hash: str) -> MetricsResult:
    """:func:`tsunagari.analysis.metrics.compute_metrics` with the default options (kept on disk too,
    :mod:`tsunagari.dashboards.result_cache`)."""
    from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
    from tsunagari.dashboards.result_cache import cached

    settings = app_settings()
    options = MetricsOptions(sample_threshold=settings.sample_threshold)
    return cached(settings, code, content_hash, "metrics", repr(options),
                  lambda: compute_metrics(load_graph(code, content_hash), options=options))


@st.cache_data(show_spinner=False, max_entries=16)
def load_layout(code: str, content_hash: str, seed: int | None = None) -> dict[str, tuple[float, float]]:
    """Seeded map positions of the whole municipality (stable across filters and reruns; kept on disk too)."""
    from tsunagari.dashboards.network_map import layout_positions, map_nodes
    from tsunagari.dashboards.result_cache import cached

    settings = app_settings()
    seed = settings.layout_seed if seed is None else seed
    return cached(settings, code, content_hash, "layout", seed,
                  lambda: layout_positions(map_nodes(load_graph(code, content_hash)), seed=seed))


@st.cache_data(show_spinner=False, max_entries=8)
def load_change(code: str, before: str, after: str, per: str | None = "population") -> ChangeResult:
    """:func:`tsunagari.analysis.change.municipality_change` between the snapshots with content hashes
    ``before`` and ``after`` (reusing each year's cached metrics, gaps and inequality)."""
    from tsunagari.analysis.change import municipality_change

    return municipality_change(load_graph(code, before), load_graph(code, after), per=per,
                               metrics=(load_metrics(code, before), load_metrics(code, after)),
                               gaps=(load_gaps(code, before), load_gaps(code, after)),
                               inequality=(load_inequality(code, before, per=per), load_inequality(code, after, per=per)))


@st.cache_data(show_spinner=False, max_entries=16)
def load_gaps(code: str, content_hash: str, per: str | None = None) -> GapsResult:
    """:func:`tsunagari.analysis.gaps.coverage_gaps` (coverage cube, needs, councils, sectors, residents)."""
    from tsunagari.analysis.gaps import coverage_gaps

    return coverage_gaps(load_graph(code, content_hash), per=per)


@st.cache_data(show_spinner=False, max_entries=16)
def load_inequality(code: str, content_hash: str, per: str | None = "population") -> InequalityResult:
    """:func:`tsunagari.analysis.inequality.district_inequality` of the municipality."""
    from tsunagari.analysis.inequality import district_inequality

    return district_inequality(load_graph(code, content_hash), per=per)


@st.cache_data(show_spinner=False, max_entries=8)
def load_council_report(code: str, content_hash: str, lang: str) -> bytes:
    """The printable meeting paper (:func:`tsunagari.dashboards.council_report.build_report`), UTF-8."""
    from tsunagari.dashboards.council_report import build_report

    previous = previous_snapshot(code, content_hash)
    change = load_change(code, previous, content_hash) if previous is not None else None
    return build_report(load_graph(code, content_hash), lang=lang, summary=load_summary(code, content_hash),
                        gaps=load_gaps(code, content_hash), metrics=load_metrics(code, content_hash),
                        inequality=load_inequality(code, content_hash), change=change).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=4)
def load_council_report_pdf(code: str, content_hash: str, lang: str) -> bytes:
    """The meeting paper as an A4 PDF with page numbers (:func:`tsunagari.dashboards.paper_pdf.paper_pdf`)."""
    from tsunagari.dashboards.paper_pdf import paper_pdf

    return paper_pdf(load_council_report(code, content_hash, lang).decode("utf-8"))


def previous_snapshot(code: str, content_hash: str) -> str | None:
    """The content hash of the fiscal year before the snapshot ``content_hash`` of ``code`` (the meeting
    paper's change section compares with it); ``None`` for the oldest or a year-unknown snapshot."""
    with session_store() as store:
        snapshots = [s for s in store.list_snapshots() if s.code == code]
    here = next((s for s in snapshots if s.content_hash == content_hash), None)
    if here is None or here.fiscal_year is None:
        return None
    earlier = [s for s in snapshots if s.fiscal_year is not None and s.fiscal_year < here.fiscal_year]
    return earlier[-1].content_hash if earlier else None
