"""The root of every Tsunagari error, and its messages in the reader's language.

Every error the package raises on purpose is a :class:`TsunagariError` and also the builtin it
behaves like (``ValueError`` for bad input, ``LookupError`` for a missing name ...), so a caller
can catch either. An error carries a message *key* and its parameters; the text comes from the
catalogue (:mod:`tsunagari.messages`): ``str(err)`` is English, as Python and networkx errors are,
and :meth:`TsunagariError.message` gives Japanese, English or both for the front ends.
"""

from __future__ import annotations

from typing import Any

from tsunagari.messages import message

__all__ = ["TsunagariError"]


class TsunagariError(Exception):
    """Base class of every error Tsunagari raises on purpose.

    Parameters
    ----------
    key
        Message key in the catalogue (``messages.toml``), e.g. ``"store.not_found"``.
    **params
        Values the message refers to by name.
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang``: ``"ja"``, ``"en"`` or ``"both"`` (Japanese line, then English)."""
        if lang == "both":
            return message(self.key, "ja", **self.params) + "\n" + message(self.key, "en", **self.params)
        return message(self.key, lang, **self.params)

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (Streamlit caches, process pools)
        return (_rebuild, (type(self), self.key, self.params))


def _rebuild(cls: type[TsunagariError], key: str, params: dict[str, Any]) -> TsunagariError:
    error = cls.__new__(cls)
    TsunagariError.__init__(error, key, **params)
    return error
