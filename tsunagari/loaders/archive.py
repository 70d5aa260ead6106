"""Open zip archives (zipped packages and .xlsx workbooks) without trusting them.

A corrupt, encrypted or oversized archive becomes an :class:`ArchiveProblem` carrying an
:class:`~tsunagari.graph.records.Issue` that names the archive and the member, never an exception
from :mod:`zipfile` or :mod:`zlib`. Sizes are checked twice: the sizes the archive *declares*
before anything is decompressed (``zipfile`` never yields more than a member's declared size, and
a member whose data disagrees fails its CRC check), and the bytes actually produced while
streaming, in chunks, against a per-package :class:`Budget`.

Only the two compression methods every zip tool writes are read: stored and deflate. Deflate64,
bzip2, LZMA and encrypted members are refused with a message; bzip2 and LZMA would also let a few
kilobytes expand to gigabytes within one call of the decompressor.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tsunagari.graph.records import Issue
from tsunagari.loaders.limits import Limits

__all__ = ["ArchiveProblem", "Budget", "open_zip", "check_member", "iter_member", "read_member",
           "member_name", "OLE2_MAGIC"]

CHUNK = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls files and password-protected workbooks
_READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 98: "PPMd", 99: "AES"}
# Everything zipfile, zlib and struct raise on malformed bytes.
_CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            struct.error, NotImplementedError, RuntimeError, KeyError, IndexError, OverflowError)


@dataclass
class ArchiveProblem(Exception):
    """An archive or one of its members cannot be read; ``issue`` says why, for the user."""

    issue: Issue


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


@dataclass
class Budget:
    """Bytes produced so far from one package, against ``limits.max_package_bytes``."""

    limits: Limits
    used: int = 0

    def take(self, n: int, file: str) -> None:
        """Count ``n`` more bytes; raises :class:`ArchiveProblem` past the limit."""
        self.used += n
        if self.used > self.limits.max_package_bytes:
            limit = _mb(self.limits.max_package_bytes)
            raise ArchiveProblem(Issue(
                file, None, None, "package_too_large",
                f"パッケージ全体が大きすぎます（展開後 {limit} を超えました）。表を分けるか、"
                "環境変数 TSUNAGARI_MAX_PACKAGE_BYTES で上限を上げてください。",
                f"The package is too large (more than {limit} uncompressed). Split it or raise "
                "TSUNAGARI_MAX_PACKAGE_BYTES."))


def _corrupt(file: str, err: BaseException, *, kind: str = "zip") -> ArchiveProblem:
    what_ja = "Excel ブック（.xlsx）" if kind == "xlsx" else "zip ファイル"
    what_en = "Excel workbook (.xlsx)" if kind == "xlsx" else "zip file"
    detail = str(err)[:200] or type(err).__name__
    return ArchiveProblem(Issue(
        file, None, None, "corrupt_archive",
        f"{what_ja}が壊れているか、途中で切れています（{detail}）。元のファイルから作り直してください。",
        f"The {what_en} is corrupt or truncated ({detail}). Make it again from the original files."))


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author wrote it.

    Zips made by Windows in Japanese store names in CP932 without saying so; :mod:`zipfile` then
    decodes them as CP437 (``機関.csv`` becomes mojibake and the table would be ignored).
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def open_zip(path: Path, *, limits: Limits, kind: str = "zip") -> zipfile.ZipFile:
    """Open ``path`` as a zip after checking it is one and that its declared sizes are within ``limits``.

    Raises
    ------
    ArchiveProblem
        For an empty, truncated or non-zip file, an old .xls or encrypted workbook, too many
        members, or a declared uncompressed total above ``limits.max_package_bytes``.
    """
    file = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        raise _corrupt(file, err, kind=kind) from None
    if not head:
        raise ArchiveProblem(Issue(file, None, None, "empty_file", "ファイルが空です（0バイト）。",
                                   "The file is empty (0 bytes)."))
    if head.startswith(OLE2_MAGIC):
        raise ArchiveProblem(Issue(
            file, None, None, "old_excel_format",
            "このファイルは古い Excel 形式（.xls）か、パスワード付きのブックです。パスワードを外し、"
            "「Excel ブック（.xlsx）」として保存し直してください。",
            "This is an old Excel file (.xls) or a password-protected workbook. Remove the password and "
            "save it as an Excel Workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except _CORRUPT as err:
        what = ("Excel ブック（.xlsx）ではありません", "not an Excel workbook (.xlsx)") if kind == "xlsx" else (
            "zip ファイルではないか、途中で切れています", "not a zip file, or truncated")
        raise ArchiveProblem(Issue(
            file, None, None, "corrupt_archive",
            f"{what[0]}（{str(err)[:200]}）。元のファイルから作り直してください。",
            f"The file is {what[1]} ({str(err)[:200]}). Make it again from the original files.")) from None
    if len(infos) > limits.max_members:
        archive.close()
        raise ArchiveProblem(Issue(
            file, None, None, "too_many_members",
            f"ファイルの数が多すぎます（{len(infos):,}個、上限 {limits.max_members:,}個）。",
            f"The archive holds too many entries ({len(infos):,}; at most {limits.max_members:,}).",))
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_package_bytes:
        archive.close()
        raise ArchiveProblem(Issue(
            file, None, None, "package_too_large",
            f"展開後の大きさが {_mb(declared)} あり、上限 {_mb(limits.max_package_bytes)} を超えます"
            "（zip 爆弾の可能性）。読み込みませんでした。",
            f"It would expand to {_mb(declared)}, above the limit of {_mb(limits.max_package_bytes)} "
            "(possibly a zip bomb). Nothing was read."))
    return archive


def check_member(info: zipfile.ZipInfo, *, archive_file: str, limits: Limits) -> None:
    """Refuse an encrypted, oddly compressed, oversized or suspiciously compressible member.

    Raises
    ------
    ArchiveProblem
        Naming the archive and the member.
    """
    file = f"{archive_file}/{member_name(info)}"
    if info.flag_bits & 0x1:
        raise ArchiveProblem(Issue(
            file, None, None, "encrypted_member",
            "パスワードで暗号化されています。暗号化せずに zip し直してください。",
            "The entry is encrypted. Zip it again without a password."))
    if info.compress_type not in _READABLE_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise ArchiveProblem(Issue(
            file, None, None, "unsupported_compression",
            f"この圧縮方式（{method}）には対応していません。標準の zip（Deflate）で圧縮し直してください。"
            "Windows の「送る → 圧縮（zip 形式）フォルダー」で作れます。",
            f"Compression method {method} is not supported. Zip it again with standard Deflate compression "
            "(Windows: Send to → Compressed (zipped) folder)."))
    if info.file_size > limits.max_table_bytes:
        raise ArchiveProblem(Issue(
            file, None, None, "table_too_large",
            f"展開後 {_mb(info.file_size)} あり、1つの表の上限 {_mb(limits.max_table_bytes)} を超えます。",
            f"It expands to {_mb(info.file_size)}, above the limit of {_mb(limits.max_table_bytes)} for one table."))
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise ArchiveProblem(Issue(
            file, None, None, "compression_ratio",
            f"圧縮率が異常です（{ratio:,.0f}倍、上限 {limits.max_ratio}倍）。zip 爆弾の可能性があるため読み込みません。",
            f"The compression ratio is implausible ({ratio:,.0f}:1; at most {limits.max_ratio}:1), possibly a zip "
            "bomb. Not read."))


def iter_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, archive_file: str, budget: Budget,
                kind: str = "zip") -> Iterator[bytes]:
    """The member's bytes in chunks of at most 1 MiB, counted against ``budget``.

    Raises
    ------
    ArchiveProblem
        If the member is refused by :func:`check_member`, is corrupt (bad CRC, truncated) or the
        package budget runs out.
    """
    check_member(info, archive_file=archive_file, limits=budget.limits)
    file = f"{archive_file}/{member_name(info)}"
    produced = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                produced += len(chunk)
                if produced > budget.limits.max_table_bytes:  # cannot happen unless zipfile changes
                    raise ArchiveProblem(Issue(file, None, None, "table_too_large", "表が大きすぎます。",
                                               "The table is too large."))
                budget.take(len(chunk), archive_file)
                yield chunk
    except ArchiveProblem:
        raise
    except _CORRUPT as err:
        raise _corrupt(file, err, kind=kind) from None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, archive_file: str, budget: Budget,
                kind: str = "zip") -> bytes:
    """All of the member's bytes (see :func:`iter_member`)."""
    return b"".join(iter_member(archive, info, archive_file=archive_file, budget=budget, kind=kind))
