"""optim (being built; see issue 4)."""
