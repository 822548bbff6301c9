"""Utilities: hooks handles and (later) the data pipeline."""
