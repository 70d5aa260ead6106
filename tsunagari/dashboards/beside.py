"""Run one piece of work in a forked child process while the caller does the rest, on the other core.

The meeting paper is a few independent pieces: the coverage and inequality chapters with their
charts, and the bridging chapter, which needs the network measures and draws the network map. On
one core they ran one after the other while the second core idled (1.5 s of the 858-actor city's
2.8 s). :class:`Beside` forks a child for one piece; the child has the caller's memory as it was,
so nothing is sent to it, and it sends back its result pickled through a file. The caller keeps
working, then collects the result. A child that fails, or runs past its time, is stopped and the
piece is run again by the caller, so an error surfaces as it would have without the child (its
type, message and traceback), and the result is the same either way (tested).

A fork is made only where it is safe and helps: Linux, more than one core, and no other Python
thread (a thread holding a lock at the moment of the fork, as in a Streamlit server, could leave
the child stuck). Elsewhere the piece runs in the caller when its result is asked for.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["Beside", "can_fork"]

T = TypeVar("T")

_CHILD_SECONDS = 600.0  # a child still at work after this is stopped, and the piece run by the caller
_POLL_SECONDS = 0.002


def can_fork() -> bool:
    """Whether work may run in a forked child here: Linux, several cores, one Python thread.

    Linux only: on macOS a forked child may not use the system's BLAS (Accelerate) or other
    libraries the parent already started, which is why Python itself stopped forking there.

    Examples
    --------
    >>> isinstance(can_fork(), bool)
    True
    """
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


class Beside(Generic[T]):
    """``function()`` computed in a forked child while the caller goes on; :meth:`result` returns its value.

    Parameters
    ----------
    function
        The work, without arguments (a closure). Its value must pickle. Side effects in the child
        (caches it fills, files it writes) are not seen by the caller.
    fork
        ``False`` runs ``function`` in the caller when :meth:`result` is asked; by default a child is
        forked when :func:`can_fork`.

    Examples
    --------
    >>> with Beside(lambda: sum(range(10))) as pending:
    ...     here = sum(range(5))
    ...     there = pending.result()
    >>> here, there
    (10, 45)
    """

    def __init__(self, function: Callable[[], T], *, fork: bool | None = None) -> None:
        self._function = function
        self._pid: int | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        self._path: Path | None = None
        self._frozen = False
        self.forked = False
        """Whether a child was started (``False``: the work runs in the caller)."""
        if fork is None:
            fork = can_fork()
        if fork:
            try:
                self._start()
            except OSError:  # no temporary folder to write in, no process to spare: the work runs here
                self.close()

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="tsunagari-beside-")
        self._path = Path(self._folder.name) / "result.pickle"
        self._started = time.monotonic()
        # While the child lives, the caller's collections leave the objects it shares alone: a full
        # collection writes to every object it examines, and each page written is copied (copy-on-write).
        gc.freeze()
        self._frozen = True
        pid = os.fork()
        if pid == 0:  # the child: compute, write, leave without the caller's exit handlers
            # No garbage collection here: a collection walks every inherited object and copies
            # the pages it touches (copy-on-write); the child's garbage goes when it exits.
            gc.disable()
            code = 1
            try:
                partial = self._path.with_suffix(".part")
                with open(partial, "wb") as out:
                    pickle.dump(self._function(), out, protocol=pickle.HIGHEST_PROTOCOL)
                partial.rename(self._path)  # whole or absent
                code = 0
            finally:
                os._exit(code)
        self._pid = pid
        self.forked = True

    def result(self) -> T:
        """The value of ``function()``: the child's (waiting for it), or computed here."""
        try:
            if self._pid is not None and self._wait() and self._path is not None and self._path.exists():
                with open(self._path, "rb") as found:
                    return pickle.load(found)
            return self._function()  # no child, or it failed: here, raising what it raises
        finally:
            self.close()

    def _wait(self) -> bool:
        assert self._pid is not None
        while True:
            done, status = os.waitpid(self._pid, os.WNOHANG)
            if done:
                self._pid = None
                return os.waitstatus_to_exitcode(status) == 0
            if time.monotonic() - self._started > _CHILD_SECONDS:
                return False
            time.sleep(_POLL_SECONDS)

    def close(self) -> None:
        """Stop the child if it is still at work and remove its file (also after an error or Ctrl-C)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = None
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
