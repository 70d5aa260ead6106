"""Run several Streamlit ``AppTest`` sessions at the same time, in threads of one process.

``AppTest`` is made for one session at a time: each run installs a mock ``Runtime`` as the
process-wide singleton and removes it at the end, patches a global config option for the run, and
compiles the scripts into a fresh ``ScriptCache`` (CPython 3.11 can fail compiling in several
threads at once: "AST constructor recursion depth mismatch"). So sessions run concurrently would
see each other's runtime vanish. :func:`concurrent_sessions` installs one shared runtime, one
shared script cache and the config option for its whole duration, as the real server has them,
and makes ``AppTest`` leave them alone. Everything the app itself shares between sessions
(``st.cache_resource``: the pooled Neo4j store; ``st.cache_data``) is then shared as on a server.

Written against Streamlit 1.67's ``streamlit.testing.v1.app_test``; if its internals change the
harness raises rather than silently running the sessions one after another.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Iterator
from unittest.mock import MagicMock

__all__ = ["concurrent_sessions"]


@contextlib.contextmanager
def concurrent_sessions() -> Iterator[None]:
    """While active, ``AppTest.run()`` may be called from several threads at once."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test
    from streamlit.testing.v1.util import patch_config_options

    for name in ("Runtime", "ScriptCache", "patch_config_options"):
        if not hasattr(app_test, name):
            raise RuntimeError(f"streamlit.testing.v1.app_test has no {name} any more: update this harness")
    if Runtime._instance is not None:
        raise RuntimeError("a Streamlit runtime is already installed in this process")

    runtime = MagicMock(spec=Runtime)
    runtime.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager

    runtime.dataframe_source_mgr = DataframeSourceManager()
    from streamlit.components.v2.component_manager import BidiComponentManager

    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    runtime.bidi_component_registry = components
    shared_cache = ScriptCache()
    # AppTest assigns ``Runtime._instance`` on the name it imported: give it a stand-in to assign to.
    stand_in = types.SimpleNamespace(_instance=None)
    saved = {name: getattr(app_test, name) for name in ("Runtime", "ScriptCache", "patch_config_options")}
    app_test.Runtime = stand_in  # type: ignore[attr-defined]
    app_test.ScriptCache = lambda: shared_cache  # type: ignore[attr-defined]
    app_test.patch_config_options = lambda options: contextlib.nullcontext()  # type: ignore[attr-defined]
    Runtime._instance = runtime
    try:
        with patch_config_options({"global.appTest": True}):
            yield
    finally:
        Runtime._instance = None
        for name, value in saved.items():
            setattr(app_test, name, value)
