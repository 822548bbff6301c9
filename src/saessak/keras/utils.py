"""Utilities: ``to_categorical``, ``normalize``, ``set_random_seed``, ``model_to_dot`` and ``plot_model``.

>>> from saessak import keras
>>> keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np

from .. import random as saessak_random
from .layers.base import InputLayer, KerasTensor, shape_text
from .progress import Progbar

__all__ = ["Progbar", "model_to_dot", "normalize", "plot_model", "set_random_seed", "to_categorical"]


def to_categorical(y: Any, num_classes: int | None = None, dtype: str = "float32") -> np.ndarray:
    """One-hot rows for integer class labels: shape ``y.shape + (num_classes,)`` (a trailing 1 is dropped)."""
    labels = np.asarray(y.detach().numpy() if hasattr(y, "detach") else y)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.size and (labels.min() < 0 or not np.all(np.equal(np.mod(labels, 1), 0))):
        raise ValueError("to_categorical expects non-negative integer labels")
    labels = labels.astype(np.int64)
    num_classes = int(labels.max()) + 1 if num_classes is None else int(num_classes)
    if labels.size and labels.max() >= num_classes:
        raise ValueError(f"to_categorical: label {labels.max()} does not fit num_classes={num_classes}")
    return np.eye(num_classes, dtype=dtype)[labels]


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """``x`` divided by its ``order``-norm along ``axis`` (zero vectors stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm)


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and saessak at once, so weights, shuffling and dropout repeat."""
    random.seed(seed)
    np.random.seed(seed)
    saessak_random.manual_seed(seed)


# ---------------------------------------------------------------- model graphs
def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "\\{").replace("}", "\\}") \
        .replace("<", "\\<").replace(">", "\\>").replace("|", "\\|")


def _edges(model: Any) -> list[tuple[Any, Any]]:
    if getattr(model, "_is_graph_network", False):
        edges = []
        for node in model._nodes:
            for tensor in node.input_tensors:
                if isinstance(tensor, KerasTensor) and tensor.node is not None:
                    edges.append((tensor.node.layer, node.layer))
        return edges
    layers = model.layers
    return list(zip(layers, layers[1:]))


def _input_text(layer: Any) -> str:
    shape = layer._build_input_shape
    if isinstance(layer, InputLayer):
        return shape_text([layer._batch_input_shape])
    return shape_text(list(shape)) if isinstance(shape, list) else shape_text(shape)


def model_to_dot(model: Any, show_shapes: bool = False, show_dtype: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", dpi: int = 96, show_layer_activations: bool = False, **kwargs: Any) -> str:
    """The Graphviz DOT text of the model's layer graph (no dependency needed).

    >>> from saessak import keras
    >>> model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), name="out")])
    >>> "out: Dense" in keras.utils.model_to_dot(model)
    True
    """
    from .activations import serialize

    lines = [f'digraph "{_escape(model.name)}" {{', f'  graph [rankdir={rankdir}, dpi={int(dpi)}];',
             '  node [shape=record, fontname="Helvetica"];']
    layers = list(model.layers)
    if not getattr(model, "_is_graph_network", False) and getattr(model, "_input_tensor", None) is not None:
        layers = [model._input_tensor.node.layer, *layers]
    for layer in layers:
        title = f"{layer.name}: {type(layer).__name__}" if show_layer_names else type(layer).__name__
        if show_layer_activations and hasattr(layer, "activation"):
            title += f"\\n{serialize(layer.activation)}"
        label = _escape(title) if "\\n" not in title else title
        if show_dtype:
            label += f"|{_escape(layer.dtype)}"
        if show_shapes:
            inputs = _escape(_input_text(layer)) if layer._build_input_shape is not None else "?"
            outputs = _escape(shape_text(layer._output_shape)) if layer._output_shape is not None else "?"
            if isinstance(layer, InputLayer):
                outputs = _escape(shape_text([layer._batch_input_shape]))
            label = f"{{{label}|{{input:|output:}}|{{{{{inputs}}}|{{{outputs}}}}}}}"
        lines.append(f'  "{id(layer)}" [label="{label}"];')
    edges = _edges(model)
    if not getattr(model, "_is_graph_network", False) and len(layers) > len(model.layers):
        edges = [(layers[0], layers[1])] + edges if len(layers) > 1 else edges
    for source, target in edges:
        lines.append(f'  "{id(source)}" -> "{id(target)}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def plot_model(model: Any, to_file: str = "model.png", show_shapes: bool = False, show_dtype: bool = False,
               show_layer_names: bool = True, rankdir: str = "TB", expand_nested: bool = False, dpi: int = 96,
               show_layer_activations: bool = False, **kwargs: Any) -> Any:
    """Draw the model's layer graph to ``to_file`` (PNG, SVG, PDF... by extension) with Graphviz.

    Needs the ``graphviz`` Python package (``pip install graphviz``) and Graphviz's ``dot`` program
    (``apt install graphviz``, ``brew install graphviz``). In a notebook it returns an image to display.
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                       rankdir=rankdir, dpi=dpi, show_layer_activations=show_layer_activations)
    try:
        import graphviz
    except ImportError:
        raise ImportError("plot_model needs the graphviz Python package and Graphviz's dot program: "
                          "pip install graphviz, and apt install graphviz (or brew install graphviz). "
                          "keras.utils.model_to_dot(model) gives the DOT text without them.") from None
    extension = os.path.splitext(os.fspath(to_file))[1].lstrip(".").lower() or "png"
    try:
        image = graphviz.Source(dot).pipe(format=extension)
    except graphviz.ExecutableNotFound:
        raise RuntimeError("plot_model could not run Graphviz's dot program. Install Graphviz: apt install "
                           "graphviz (or brew install graphviz), then retry.") from None
    with open(to_file, "wb") as file:
        file.write(image)
    if extension in ("png", "jpg", "jpeg"):
        try:
            from IPython.display import Image
        except ImportError:
            return None
        return Image(filename=os.fspath(to_file))
    return None
