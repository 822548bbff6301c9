"""Utilities: hooks handles, the data pipeline (``saessak.utils.data``) and ``checkpoint``."""

from . import checkpoint, data

__all__ = ["checkpoint", "data"]
