"""Pictures of the computational graph: from an output back to its leaves, as DOT, SVG or PNG.

The graph is read from ``grad_fn`` and ``next_functions``, the same links ``backward`` walks. Op nodes are
boxes named like ``grad_fn`` (``MulBackward0``) with the shape of what they produced; leaves that require grad
are green ellipses with their shape (and name, when given). Rendering to SVG/PNG goes through Graphviz (the
``graphviz`` Python package and the ``dot`` program); the DOT text needs neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._tensor import Tensor

__all__ = ["Graph", "plot_graph", "to_dot"]

_INSTALL = ("rendering the graph needs Graphviz: `pip install graphviz` and the dot program "
            "(`apt install graphviz`, `brew install graphviz` or https://graphviz.org/download/); "
            "the DOT text is available without it (Graph.source)")


def _shape(shape) -> str:
    return str(tuple(int(s) for s in shape)) if shape is not None else ""


def _escape(text: str) -> str:
    """Quotes escaped for a DOT string; a ``\\n`` already in ``text`` stays DOT's line break."""
    return text.replace('"', '\\"')


def to_dot(outputs: Tensor | list | tuple, params: Mapping[str, Tensor] | None = None,
           name: str = "graph") -> str:
    """The DOT description of the graph that produced ``outputs`` (a tensor or several).

    ``params`` (e.g. ``dict(model.named_parameters())``) labels leaves with their names.
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    names = {id(t): key for key, t in (params or {}).items()}
    lines = [f'digraph "{_escape(name)}" {{', "  rankdir=BT;",
             '  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#f0f0f0", shape=box];']
    ids: dict[int, str] = {}
    edges: list[str] = []

    def node_id(obj) -> str:
        key = id(obj)
        if key not in ids:
            ids[key] = f"n{len(ids)}"
        return ids[key]

    def leaf(tensor: Tensor) -> str:
        nid = node_id(tensor)
        label = names.get(id(tensor), "")
        label = (label + "\\n" if label else "") + _shape(tensor.shape)
        colour = "#c8e6c9" if tensor.requires_grad else "#e0e0e0"
        lines.append(f'  {nid} [label="{_escape(label)}", shape=ellipse, fillcolor="{colour}"];')
        return nid

    seen: set[int] = set()
    stack = []
    for index, out in enumerate(outputs):
        oid = f"out{index}"
        lines.append(f'  {oid} [label="output\\n{_shape(out.shape)}", shape=ellipse, fillcolor="#bbdefb"];')
        if out.grad_fn is None:
            edges.append(f"  {leaf(out)} -> {oid};")
            continue
        edges.append(f"  {node_id(out.grad_fn)} -> {oid};")
        stack.append(out.grad_fn)
    while stack:  # iterative: deep graphs (long RNN unrolls) must not hit the recursion limit
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        nid = node_id(fn)
        variable = getattr(fn, "variable", None)
        if variable is not None:  # AccumulateGrad: the leaf itself
            ids[id(variable)] = nid
            label = names.get(id(variable), "")
            label = (label + "\\n" if label else "") + _shape(variable.shape)
            lines.append(f'  {nid} [label="{_escape(label)}", shape=ellipse, fillcolor="#c8e6c9"];')
            continue
        label = fn.name() + ("\\n" + _shape(fn._out_shape) if getattr(fn, "_out_shape", None) is not None else "")
        lines.append(f'  {nid} [label="{_escape(label)}"];')
        for child, _ in fn.next_functions:
            if child is None:
                continue
            edges.append(f"  {node_id(child)} -> {nid};")
            stack.append(child)
    return "\n".join(lines + sorted(set(edges), key=edges.index) + ["}"]) + "\n"


class Graph:
    """A drawn graph: ``.source`` is DOT text; ``render``/``save`` and Jupyter's SVG display use Graphviz."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return self.source

    def pipe(self, format: str = "svg") -> bytes:
        """The graph rendered to ``format`` ('svg', 'png', 'pdf'...) as bytes."""
        try:
            import graphviz
        except ImportError as error:
            raise ImportError(_INSTALL) from error
        try:
            return graphviz.Source(self.source).pipe(format=format)
        except graphviz.ExecutableNotFound as error:
            raise RuntimeError(_INSTALL) from error

    def save(self, filename: str, format: str | None = None) -> str:
        """Write the graph to ``filename``; the format comes from its extension ('.dot', '.svg', '.png'...)."""
        format = format or (filename.rsplit(".", 1)[-1].lower() if "." in filename else "svg")
        data = self.source.encode() if format in ("dot", "gv") else self.pipe(format)
        with open(filename, "wb") as f:
            f.write(data)
        return filename

    render = save

    def _repr_svg_(self) -> str | None:
        try:
            return self.pipe("svg").decode()
        except (ImportError, RuntimeError):
            return None  # Jupyter falls back to the text repr (the DOT source)


def plot_graph(outputs: Any, params: Mapping[str, Tensor] | None = None, filename: str | None = None,
               format: str | None = None) -> Graph:
    """Draw the computational graph behind ``outputs``; save it when ``filename`` is given.

    >>> x = saessak.randn(3, requires_grad=True)
    >>> graph = saessak.viz.plot_graph((x * 2).sum())
    >>> print(graph.source)             # DOT text; graph.save("graph.svg") renders it with Graphviz
    """
    graph = Graph(to_dot(outputs, params))
    if filename is not None:
        graph.save(filename, format)
    return graph
