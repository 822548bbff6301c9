"""distributions (being built; see issue 4)."""
