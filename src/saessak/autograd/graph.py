"""Graph introspection helpers (``saessak.autograd.graph.Node`` is the node base class)."""

from __future__ import annotations

from .function import Function as Node

__all__ = ["Node"]
