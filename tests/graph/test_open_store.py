"""Opening stores by URL; credentials never leak into reprs or error messages."""

from __future__ import annotations

import pytest

from tsunagari.graph.errors import StoreUnavailableError, StoreURLError
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings


def test_unknown_scheme_is_refused_with_the_supported_ones():
    with pytest.raises(StoreURLError, match="embedded:///path or bolt://"):
        open_store(Settings(store_url="ftp://example"))


def test_settings_from_env_reads_store_and_hides_password():
    settings = Settings.from_env({"TSUNAGARI_STORE": "bolt://db:7687", "TSUNAGARI_NEO4J_USER": "neo4j",
                                  "TSUNAGARI_NEO4J_PASSWORD": "s3cr3t-pass", "TSUNAGARI_LANG": "en"})
    assert (settings.store_url, settings.neo4j_user, settings.lang) == ("bolt://db:7687", "neo4j", "en")
    assert "s3cr3t" not in repr(settings)


def test_unreachable_neo4j_error_names_uri_not_password():
    settings = Settings(store_url="bolt://127.0.0.1:1", neo4j_user="neo4j", neo4j_password="s3cr3t-pass")
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(settings)
    assert "127.0.0.1:1" in str(caught.value) and "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None  # the driver's exception (which may echo auth) is not chained
