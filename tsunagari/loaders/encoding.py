"""Detect the text encoding of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, Shift_JIS/CP932, EUC-JP.

Detection is a fixed order of strict decodes, not a statistical guess, so the same bytes always
give the same answer. CP932 and EUC-JP decode many byte strings without error, so their result
must also look like Japanese text (few stray half-width katakana), else the file is refused.
"""

from __future__ import annotations

import codecs
import unicodedata

from tsunagari.errors import TsunagariError

__all__ = ["decode_text", "UndetectableEncodingError"]


class UndetectableEncodingError(TsunagariError, ValueError):
    """The bytes are not UTF-8, UTF-16 (with BOM), CP932 or EUC-JP text."""


def _looks_japanese(text: str) -> bool:
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return True
    halfwidth_kana = sum(1 for ch in non_ascii if 0xFF61 <= ord(ch) <= 0xFF9F)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    return controls == 0 and halfwidth_kana / len(non_ascii) < 0.3


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding_name)``.

    Raises
    ------
    UndetectableEncodingError
        If no supported encoding decodes the bytes into plausible text.

    Examples
    --------
    >>> decode_text("尼崎市".encode("cp932"))
    ('尼崎市', 'cp932')
    >>> decode_text(codecs.BOM_UTF8 + "尼崎市".encode("utf-8"))
    ('尼崎市', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UndetectableEncodingError("loader.undetectable_encoding", detail=f"UTF-8 BOM, invalid at byte {err.start}") from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UndetectableEncodingError("loader.undetectable_encoding", detail=f"UTF-16 BOM, invalid at byte {err.start}") from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_japanese(text):
            return text, encoding
    raise UndetectableEncodingError("loader.undetectable_encoding", detail="not UTF-8, UTF-16 (BOM), Shift_JIS/CP932 or EUC-JP")
