"""Utilities: hooks handles and the data pipeline (``saessak.utils.data``)."""

from . import data

__all__ = ["data"]
