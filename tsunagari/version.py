"""The package version, at the base layer so every layer can record it without importing the API."""

__version__ = "0.1.0"
