"""utils/data (being built; see issue 4)."""
