"""Tables built once per graph while one analysis runs (private).

The coverage and inequality analyses share their building blocks: the district table, the reach of
every resource, the provisions, the coverage cube. Each public function builds them from the graph,
so one :func:`~tsunagari.analysis.gaps.coverage_gaps` used to build the district table eight times.
Inside :func:`shared_tables`, a function decorated with :func:`per_graph` computes its table once per
graph and arguments and hands out copies; outside it, every call computes afresh (a caller may change
a graph between two calls, and nothing here can see that).

The memo lives in a :class:`contextvars.ContextVar`: each thread of a Streamlit server has its own,
so users never share it, and it is dropped when the outermost scope ends.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

import pandas as pd

__all__ = ["per_graph", "shared_tables"]

P = ParamSpec("P")
R = TypeVar("R")

_MEMO: ContextVar[dict[tuple, tuple[object, Any]] | None] = ContextVar("tsunagari_shared_tables", default=None)


@contextlib.contextmanager
def shared_tables() -> Iterator[None]:
    """Within this block, tables derived from a graph are built once per graph (the graphs must not change).

    Nested blocks share the outermost one's tables.

    Examples
    --------
    >>> import networkx as nx
    >>> from tsunagari.analysis.districts import district_table
    >>> g = nx.MultiDiGraph(); g.add_node("1:a", kind="District", id="a", layer="地区")
    >>> with shared_tables():
    ...     first, second = district_table(g), district_table(g)
    >>> first.equals(second), first is second
    (True, False)
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _copy(value: R) -> R:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    return value


def per_graph(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate ``function(graph, *args, **kwargs)`` to compute once per graph inside :func:`shared_tables`.

    The key is the graph's identity and the other arguments (which must be hashable); the graph is
    kept alive with its entry, so its identity cannot be reused while the block runs. Frames are
    returned as copies, so a caller that changes its table does not change another's.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _MEMO.get()
        if memo is None:
            return function(*args, **kwargs)
        graph, rest = args[0], args[1:]
        key = (function.__module__, function.__qualname__, id(graph), rest, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = (graph, function(*args, **kwargs))
        return _copy(memo[key][1])

    return wrapper
