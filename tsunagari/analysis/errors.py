"""Errors raised by the analysis modules (network construction, measures, export)."""

from __future__ import annotations

__all__ = ["AnalysisError", "UnknownTieKindError", "UnknownGroupError", "ExportFormatError", "EdgeLengthError",
           "SampleSizeError", "BackendError"]


class AnalysisError(ValueError):
    """Base class of analysis errors caused by invalid options or input."""


class UnknownTieKindError(AnalysisError):
    """A tie kind or affiliation kind is not one the actor network can use."""


class UnknownGroupError(AnalysisError):
    """A grouping (for brokerage, E-I index, participation) is not known."""


class ExportFormatError(AnalysisError):
    """An export format is not one of csv, parquet, graphml, gexf, json."""


class EdgeLengthError(AnalysisError):
    """An edge length is missing, zero, negative or infinite."""


class SampleSizeError(AnalysisError):
    """The number of pivots or pivot batches is out of range."""


class BackendError(AnalysisError):
    """A computation backend is not one of igraph, networkx."""
