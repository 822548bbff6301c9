"""Core layers: Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector, Lambda, Rescaling, Embedding.

>>> from saessak import keras
>>> model = keras.Sequential([keras.layers.Flatten(input_shape=(8, 8)), keras.layers.Dense(10)])
>>> model.output_shape
(None, 10)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ...nn import functional as F
from .. import activations
from .. import initializers as initializers_module
from .. import regularizers as regularizers_module
from .base import InputSpec, Layer

__all__ = ["Activation", "Dense", "Dropout", "Embedding", "Flatten", "Lambda", "LeakyReLU", "Permute", "ReLU",
           "RepeatVector", "Rescaling", "Reshape", "Softmax"]


def _name_of(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    return getattr(value, "__name__", repr(value))


class Dense(Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)`` with ``kernel`` of shape (in, units).

    Inputs of any rank >= 2 are transformed along their last axis.

    >>> import numpy as np
    >>> from saessak import keras
    >>> layer = keras.layers.Dense(128, activation="relu")
    >>> layer(np.zeros((32, 64))).shape, layer.count_params()
    (torch.Size([32, 128]), 8320)
    """

    def __init__(self, units: int, activation: str | Callable | None = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if int(units) <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers_module.get(kernel_initializer)
        self.bias_initializer = initializers_module.get(bias_initializer)
        self.kernel_regularizer = regularizers_module.get(kernel_regularizer)
        self.bias_regularizer = regularizers_module.get(bias_regularizer)

    def build(self, input_shape: tuple) -> None:
        last = input_shape[-1]
        if last is None:
            raise ValueError(f'Dense layer "{self.name}": the last dimension of the inputs must be known, got shape '
                             f"{input_shape}")
        self.kernel = self.add_weight("kernel", (last, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last})

    def call(self, inputs):
        z = inputs @ self.kernel
        if self.use_bias:
            z = z + self.bias
        return activations.apply(self.activation, z)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, "kernel_initializer": initializers_module.serialize(self.kernel_initializer),
                "bias_initializer": initializers_module.serialize(self.bias_initializer),
                "kernel_regularizer": _name_of(self.kernel_regularizer),
                "bias_regularizer": _name_of(self.bias_regularizer)}

    @classmethod
    def from_config(cls, config: dict) -> Dense:
        config = dict(config)
        for key in ("kernel_initializer", "bias_initializer"):
            config[key] = initializers_module.deserialize(config[key])
        for key in ("kernel_regularizer", "bias_regularizer"):
            if isinstance(config.get(key), dict):
                config[key] = getattr(regularizers_module, config[key]["class_name"])(**config[key]["config"])
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}, units={self.units}, activation={activations.serialize(self.activation)}"


class Activation(Layer):
    """Applies an activation function (a Keras name or a callable) to its inputs."""

    def __init__(self, activation: str | Callable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return activations.apply(self.activation, inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class ReLU(Layer):
    """``relu`` as a layer, with Keras' ``max_value``, ``negative_slope`` and ``threshold``."""

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return activations.relu(inputs, self.negative_slope, self.max_value, self.threshold)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(Layer):
    """``x`` if positive, else ``alpha * x`` (Keras 2's default ``alpha=0.3``)."""

    def __init__(self, alpha: float = 0.3, **kwargs: Any) -> None:
        alpha = kwargs.pop("negative_slope", alpha)
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return F.leaky_relu(inputs, self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(Layer):
    """Softmax along ``axis`` as a layer."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        if self.axis == -1:
            return activations.apply(activations.softmax, inputs)
        return activations.softmax(inputs, self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dropout(Layer):
    """Zeroes a fraction ``rate`` of the inputs in training and scales the rest by ``1 / (1 - rate)``.

    In inference (evaluate, predict, a plain call) it passes inputs through unchanged.
    """

    def __init__(self, rate: float, noise_shape: Sequence[int] | None = None, seed: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}")
        self.rate, self.noise_shape, self.seed = float(rate), noise_shape, seed

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return F.dropout(inputs, self.rate, training=True)

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}


class Flatten(Layer):
    """Flattens every axis but the batch axis: (N, 28, 28) -> (N, 784)."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = inputs.permute(0, *range(2, inputs.ndim), 1)
        return inputs.reshape(inputs.shape[0], -1)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def call(self, inputs):
        sample = math.prod(inputs.shape[1:])
        known = math.prod(d for d in self.target_shape if d != -1)
        if (-1 not in self.target_shape and known != sample) or (known == 0 or sample % known):
            raise ValueError(f'Reshape layer "{self.name}": cannot reshape samples of shape {tuple(inputs.shape[1:])}'
                             f" ({sample} values) to {self.target_shape}")
        return inputs.reshape(inputs.shape[0], *self.target_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Permute(Layer):
    """Permutes the non-batch axes: ``dims`` is 1-based, as in Keras (``Permute((2, 1))`` swaps them)."""

    def __init__(self, dims: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)

    def call(self, inputs):
        return inputs.permute(0, *self.dims)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": list(self.dims)}


class RepeatVector(Layer):
    """Repeats a (N, F) input ``n`` times: (N, n, F)."""

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, inputs):
        return inputs.unsqueeze(1).expand(inputs.shape[0], self.n, inputs.shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}


class Lambda(Layer):
    """Wraps a function of saessak tensors as a layer: ``Lambda(lambda x: x * 2)``."""

    def __init__(self, function: Callable, output_shape: Any = None, arguments: dict | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.function, self.arguments = function, dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)


class Rescaling(Layer):
    """``inputs * scale + offset``: ``Rescaling(1 / 255)`` maps pixels into [0, 1]."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = float(scale), float(offset)

    def call(self, inputs):
        return inputs * self.scale + self.offset

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Embedding(Layer):
    """Maps integer ids in ``[0, input_dim)`` to rows of a trainable (input_dim, output_dim) matrix.

    >>> import numpy as np
    >>> from saessak import keras
    >>> keras.layers.Embedding(1000, 64)(np.zeros((32, 10), dtype=int)).shape
    torch.Size([32, 10, 64])
    """

    _autocast = False

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 embeddings_regularizer: Any = None, activity_regularizer: Any = None,
                 embeddings_constraint: Any = None, mask_zero: bool = False, input_length: int | None = None,
                 **kwargs: Any) -> None:
        if input_length is not None and "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers_module.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers_module.get(embeddings_regularizer)
        self.mask_zero, self.input_length = bool(mask_zero), input_length

    def build(self, input_shape: tuple) -> None:
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer)

    def call(self, inputs):
        ids = inputs if not inputs.is_floating_point() else inputs.long()
        if ids.numel() and (int(ids.max()) >= self.input_dim or int(ids.min()) < 0):
            raise ValueError(f'Embedding layer "{self.name}": ids must be in [0, {self.input_dim}), got values from '
                             f"{int(ids.min())} to {int(ids.max())}")
        return F.embedding(ids.long(), self.embeddings)

    def get_config(self) -> dict:
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim,
                "mask_zero": self.mask_zero, "input_length": self.input_length}

