"""datasets (being built; see issue 4)."""
