"""``keras.Sequential``: a plain stack of layers, each feeding the next.

>>> from saessak import keras
>>> model = keras.Sequential([
...     keras.layers.Flatten(input_shape=(28, 28)),
...     keras.layers.Dense(128, activation="relu"),
...     keras.layers.Dense(10, activation="softmax"),
... ])
>>> model.count_params()
101770
"""

from __future__ import annotations

from typing import Any

from ...nn.modules.module import Module
from ..layers.base import Input, InputLayer, KerasTensor, Layer
from .model import Model

__all__ = ["Sequential"]


class Sequential(Model):
    """Layers applied one after another. Give the first layer ``input_shape=`` (or start with
    ``keras.Input``) to build at once; otherwise the model builds on its first batch.

    ``add(layer)`` appends, ``pop()`` removes the last layer.
    """

    def __init__(self, layers: list | None = None, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self._stack: list[Layer] = []
        self._input_tensor: KerasTensor | None = None
        self._output_tensor: KerasTensor | None = None
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def add(self, layer: Any) -> None:
        """Append a layer (or set the input with ``keras.Input(shape)``/an ``InputLayer``)."""
        if isinstance(layer, KerasTensor) and isinstance(layer.node.layer, InputLayer):
            layer = layer.node.layer
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError("An InputLayer can only be the first layer of a Sequential model")
            self._input_tensor = self._output_tensor = layer.output
            self._batch_input_shape = layer._batch_input_shape
            return
        if not isinstance(layer, Module):
            raise TypeError(f"The added layer must be an instance of class Layer. Received: layer={layer!r} of type "
                            f"{type(layer).__name__}.")
        name = getattr(layer, "name", None) or f"layer_{len(self._stack)}"
        if any(getattr(existing, "name", None) == name for existing in self._stack):
            raise ValueError(f'All layers added to a Sequential model should have unique names. Name "{name}" is '
                             "already the name of a layer in this model. Update the `name` argument to pass a "
                             "unique name.")
        first_shape = getattr(layer, "_batch_input_shape", None)
        if not self._stack and self._input_tensor is None and first_shape is not None:
            self._input_tensor = self._output_tensor = Input(batch_shape=first_shape)
            self._batch_input_shape = first_shape
        self._stack.append(layer)
        self.add_module(name, layer)
        if self._output_tensor is not None and isinstance(layer, Layer):
            self._output_tensor = layer(self._output_tensor)
            self.built = True
            self._build_input_shape = self._input_tensor.shape
            self._output_shape = self._output_tensor.shape

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        delattr(self, getattr(layer, "name", None) or f"layer_{len(self._stack)}")
        if self._input_tensor is not None:
            self._retrace()
        return layer

    def _retrace(self) -> None:
        tensor = self._input_tensor
        for layer in self._stack:
            tensor = layer(tensor)
        self._output_tensor = tensor
        self._output_shape = tensor.shape

    def _maybe_build(self, input_shape: Any) -> None:
        if not self.built:
            self.build(input_shape)

    def build(self, input_shape: Any = None) -> None:
        """Build every layer for inputs of ``input_shape`` (batch axis first, may be None)."""
        if input_shape is None:
            input_shape = self._batch_input_shape
        if input_shape is None:
            raise ValueError(f'Sequential model "{self.name}": build() needs an input_shape, e.g. '
                             "model.build((None, 784))")
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        self._input_tensor = Input(batch_shape=(None, *tuple(input_shape)[1:]))
        self._retrace()
        self._build_input_shape = self._input_tensor.shape
        self.built = True

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        outputs = inputs
        for layer in self._stack:
            outputs = layer(outputs, training=training) if isinstance(layer, Layer) else layer(outputs)
        return outputs

    @property
    def output_shape(self) -> Any:
        if self._output_tensor is None:
            raise AttributeError(f'The model "{self.name}" has not been built yet, so it has no output shape.')
        return self._output_tensor.shape

    @property
    def input_shape(self) -> Any:
        if self._input_tensor is None:
            raise AttributeError(f'The model "{self.name}" has not been built yet, so it has no input shape.')
        return self._input_tensor.shape

    @property
    def inputs(self) -> list:
        return [self._input_tensor] if self._input_tensor is not None else []

    @property
    def outputs(self) -> list:
        return [self._output_tensor] if self._output_tensor is not None else []
