"""Seeing what happened: the computational graph (Graphviz) and training curves (matplotlib)."""

from .graph import Graph, plot_graph, to_dot
from .history import plot_history

__all__ = ["Graph", "plot_graph", "to_dot", "plot_history"]
