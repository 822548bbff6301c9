"""Every differentiable operation, one file per family, forward and backward side by side."""
