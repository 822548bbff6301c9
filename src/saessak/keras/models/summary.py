"""``model.summary()``: Keras' table of layers, output shapes and parameter counts.

A model whose layers form a chain prints three columns (65 characters wide); a functional model with
branches adds a ``Connected to`` column (98 wide), as Keras does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..layers.base import InputLayer, KerasTensor, Layer, shape_text

__all__ = ["print_summary"]


def _layer_shape(layer: Layer) -> str:
    shape = layer._output_shape
    if shape is None:
        return "?"
    if isinstance(layer, InputLayer):
        return shape_text(list(shape))
    if isinstance(shape, tuple) and shape and isinstance(shape[0], tuple):
        return shape_text(list(shape))
    return shape_text(shape)


def _param_count(layer: Layer) -> int:
    return int(sum(w.numel() for w in layer.weights))


def _is_chain(model: Any) -> bool:
    if not getattr(model, "_is_graph_network", False):
        return True
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    for node in model._nodes:
        if len(node.input_tensors) > 1 or len(node.layer._inbound_nodes) > 1:
            return False
    return True


def _connections(model: Any, layer: Layer) -> list[str]:
    found = []
    for node in model._nodes:
        if node.layer is layer:
            for tensor in node.input_tensors:
                if isinstance(tensor, KerasTensor) and tensor.node is not None:
                    source = tensor.node.layer
                    found.append(f"{source.name}[{source._inbound_nodes.index(tensor.node)}][{tensor.index}]")
    return found


def _row(fields: Sequence[str], positions: Sequence[int]) -> str:
    line = ""
    for index, (field, end) in enumerate(zip(fields, positions)):
        line = (line + (" " if index == 0 else "") + field)[:end - 1]
        line = line.ljust(end)
    return line


def print_summary(model: Any, line_length: int | None = None, positions: Sequence[float] | None = None,
                  print_fn: Callable[[str], Any] | None = None) -> None:
    """Print ``model``'s layer table and parameter totals through ``print_fn`` (``print`` by default)."""
    print_fn = print_fn or print
    chain = _is_chain(model)
    line_length = line_length or (65 if chain else 98)
    fractions = positions or ([0.45, 0.85, 1.0] if chain else [0.33, 0.55, 0.67, 1.0])
    ends = [int(line_length * p) if p <= 1 else int(p) for p in fractions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_fn(_row(headers, ends))
    print_fn("=" * line_length)
    layers = model.layers
    for layer in layers:
        fields = [f"{layer.name} ({type(layer).__name__})", _layer_shape(layer), str(_param_count(layer))]
        connections = [] if chain else _connections(model, layer)
        if not chain:
            fields.append(connections[0] if connections else "[]")
        print_fn(_row(fields, ends))
        for extra in connections[1:]:
            print_fn(_row(["", "", "", extra], ends))
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable = sum(int(w.numel()) for w in model.trainable_weights)
    total = sum(int(w.numel()) for w in model.weights)
    print_fn(f"Total params: {total:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {total - trainable:,}")
    print_fn("_" * line_length)
