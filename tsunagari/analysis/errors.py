"""Errors raised by the analysis modules (network construction, measures, coverage, inequality, export)."""

from __future__ import annotations

from tsunagari.errors import TsunagariError

__all__ = ["AnalysisError", "UnknownTieKindError", "UnknownGroupError", "ExportFormatError", "EdgeLengthError",
           "SampleSizeError", "BackendError", "CoverageInputError", "InequalityInputError"]


class AnalysisError(TsunagariError, ValueError):
    """Base class of analysis errors caused by invalid options or input."""


class UnknownTieKindError(AnalysisError):
    """A tie kind or affiliation kind is not one the actor network can use."""


class UnknownGroupError(AnalysisError):
    """A grouping (for brokerage, E-I index, participation) is not known."""


class ExportFormatError(AnalysisError):
    """An export format is not one the exporter writes."""


class EdgeLengthError(AnalysisError):
    """An edge weight or length is missing, zero, negative or infinite."""


class SampleSizeError(AnalysisError):
    """The number of pivots or pivot batches is out of range."""


class BackendError(AnalysisError):
    """A computation backend is not one of igraph, networkx."""


class CoverageInputError(AnalysisError):
    """A coverage or inequality option names no district, layer or denominator of the municipality."""


class InequalityInputError(AnalysisError):
    """Values given to an inequality index are empty, negative, missing or mismatched with their groups."""
