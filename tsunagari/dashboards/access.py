"""Who may write from the dashboard: editors sign in with a password kept only as a salted hash.

The dashboard is read-only for everyone. Uploading or deleting a municipality needs an editor to
sign in on the Data page, and is possible only when the server is configured with a hash:

* ``st.secrets["tsunagari"]["editor_password_hash"]`` (``.streamlit/secrets.toml``) or the
  environment variable ``TSUNAGARI_EDITOR_PASSWORD_HASH``: one password shared by the editors,
  who give their name when they sign in (the load log records that name as given); and/or
* ``st.secrets["tsunagari"]["editors"]``, a table ``name = "hash"``: one password per editor, so
  the name in the load log is the one the password belongs to.

A hash is ``scrypt:N:r:p:SALT_HEX:KEY_HEX`` (:func:`hash_password`, or the one-liner in
``docs/deployment.md``); verification recomputes it and compares in constant time. Without any
hash, writing is disabled and the page says so. Why a password and not Streamlit's OIDC login:
``docs/deployment.md`` (*Editors*).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["hash_password", "verify_password", "Editors", "configured_editors", "EDITOR_KEY", "SCRYPT"]

EDITOR_KEY = "editor"
"""Session-state key holding the signed-in editor's name (absent: an anonymous reader)."""

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""scrypt cost: 16 MiB and about 50 ms per check (RFC 7914's interactive-login figures)."""

FAILED_SIGN_IN_DELAY = 1.0
"""Seconds a wrong password costs, so guessing from a browser is slow."""


def hash_password(password: str, *, salt: bytes | None = None, n: int = SCRYPT["n"], r: int = SCRYPT["r"],
                  p: int = SCRYPT["p"]) -> str:
    """The storable hash of ``password``: ``scrypt:N:r:p:SALT_HEX:KEY_HEX`` with a random 16-byte salt.

    Examples
    --------
    >>> stored = hash_password("correct horse", salt=bytes(16), n=2**10)
    >>> stored.split(":")[:4]
    ['scrypt', '1024', '8', '1']
    >>> verify_password("correct horse", stored), verify_password("wrong", stored)
    (True, False)
    """
    salt = os.urandom(16) if salt is None else salt
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024)
    return f"scrypt:{n}:{r}:{p}:{salt.hex()}:{key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (a :func:`hash_password` string); ``False`` for a malformed one."""
    try:
        scheme, n, r, p, salt, key = stored.strip().split(":")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(key)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                maxmem=256 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class Editors:
    """The configured editor credentials: a shared hash and/or one hash per named editor."""

    shared_hash: str | None = None
    named: Mapping[str, str] | None = None

    @property
    def configured(self) -> bool:
        """Whether anyone can sign in at all (else writing is disabled)."""
        return bool(self.shared_hash) or bool(self.named)

    def sign_in(self, name: str, password: str) -> str | None:
        """The editor's name when ``password`` is right for ``name``, else ``None`` (after a delay).

        With per-editor hashes, ``name`` must be one of them; the shared password takes any
        non-empty name (recorded as given).
        """
        name = name.strip()
        ok = False
        if name and self.named and name in self.named:
            ok = verify_password(password, self.named[name])
        elif name and self.shared_hash:
            ok = verify_password(password, self.shared_hash)
        if not ok:
            time.sleep(FAILED_SIGN_IN_DELAY)
            return None
        return name


def configured_editors(secrets: Mapping | None, environ: Mapping[str, str] | None = None) -> Editors:
    """The editors configured in Streamlit ``secrets`` (section ``tsunagari``) or ``TSUNAGARI_EDITOR_PASSWORD_HASH``.

    Examples
    --------
    >>> configured_editors({}, {}).configured
    False
    >>> configured_editors({"tsunagari": {"editors": {"sato": "scrypt:..."}}}, {}).named
    {'sato': 'scrypt:...'}
    """
    env = os.environ if environ is None else environ
    section: Mapping = {}
    try:
        if secrets is not None and "tsunagari" in secrets:
            section = secrets["tsunagari"]
    except Exception:  # noqa: BLE001 (no secrets.toml at all: Streamlit raises on the first look)
        section = {}
    shared = section.get("editor_password_hash") or env.get("TSUNAGARI_EDITOR_PASSWORD_HASH") or None
    named = section.get("editors") or None
    return Editors(shared_hash=shared, named=dict(named) if named else None)
