"""Side-by-side benchmarks of saessak and PyTorch (``python -m benchmarks``)."""
