"""A folder on a read-only file system, for the tests of store paths that cannot be written.

As root (with the right to mount), a small tmpfs is mounted on the folder, filled by ``prepare``,
then remounted read-only: even root cannot write there. As another user the folder is made
read-only by its permissions. Otherwise the test is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

__all__ = ["read_only_folder"]


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only_folder(folder: Path, prepare: Callable[[Path], None] = lambda folder: None) -> Iterator[Path]:
    """``folder``, filled by ``prepare(folder)`` and then read-only for the duration of the block."""
    folder.mkdir(parents=True)
    if os.geteuid() != 0:
        prepare(folder)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield folder
        finally:
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        return
    if not shutil.which("mount") or not _run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)):
        pytest.skip("cannot mount a file system here (needs root with CAP_SYS_ADMIN, or a non-root user)")
    try:
        prepare(folder)
        if not _run("mount", "-o", "remount,ro", str(folder)):
            pytest.skip("cannot remount the test file system read-only")
        yield folder
    finally:
        _run("umount", "-l", str(folder))
