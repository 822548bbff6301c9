"""Convolution and pooling layers, channels-last like Keras: Conv1D/2D, MaxPooling1D/2D, AveragePooling1D/2D,
GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D.

Inputs are (N, H, W, C) (or (N, T, C) in 1-D). Internally they are transposed to saessak's channels-first
convolution; ``padding='same'`` pads as Keras does (the odd pixel goes after), for any stride.

>>> import numpy as np
>>> from saessak import keras
>>> keras.layers.Conv2D(8, 3, padding="same", strides=2)(np.zeros((2, 28, 28, 1))).shape
torch.Size([2, 14, 14, 8])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...nn import functional as F
from .. import activations
from .. import initializers as initializers_module
from .. import regularizers as regularizers_module
from .base import InputSpec, Layer

__all__ = ["AveragePooling1D", "AveragePooling2D", "Conv1D", "Conv2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPooling1D", "MaxPooling2D"]


def _tuple(value: int | Sequence[int], rank: int, name: str) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank:
        raise ValueError(f"{name} must be an int or a tuple of {rank} ints, got {value}")
    return value


def _check_padding(padding: str) -> str:
    padding = padding.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return padding


def _same_pads(sizes: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
               dilation: Sequence[int]) -> list[tuple[int, int]]:
    """(before, after) padding per spatial axis giving ceil(size / stride) outputs, extra on the after side."""
    pads = []
    for size, k, s, d in zip(sizes, kernel, strides, dilation):
        out = -(-size // s)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _pad(x, pads: list[tuple[int, int]], value: float = 0.0):
    """Pads the trailing spatial axes of a channels-first tensor."""
    if not any(before or after for before, after in pads):
        return x
    widths: list[int] = []
    for before, after in reversed(pads):  # F.pad lists the last axis first
        widths += [before, after]
    return F.pad(x, tuple(widths), value=value)


class _Conv(Layer):
    rank = 2

    def __init__(self, filters: int, kernel_size: int | Sequence[int], strides: int | Sequence[int] = 1,
                 padding: str = "valid", data_format: str | None = None, dilation_rate: int | Sequence[int] = 1,
                 groups: int = 1, activation: str | Callable | None = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, self.rank, "kernel_size")
        self.strides = _tuple(strides, self.rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, self.rank, "dilation_rate")
        self.padding = _check_padding(padding)
        self.data_format = data_format or "channels_last"
        self.groups = int(groups)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers_module.get(kernel_initializer)
        self.bias_initializer = initializers_module.get(bias_initializer)
        self.kernel_regularizer = regularizers_module.get(kernel_regularizer)
        self.bias_regularizer = regularizers_module.get(bias_regularizer)

    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: tuple) -> None:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f'{type(self).__name__} layer "{self.name}" expects inputs of rank {self.rank + 2} '
                             f"(batch, {'spatial, ' * self.rank}channels), got shape {input_shape}")
        channels = input_shape[self._channel_axis()]
        if channels is None or channels % self.groups:
            raise ValueError(f'{type(self).__name__} layer "{self.name}": the channel axis must be known and '
                             f"divisible by groups={self.groups}, got shape {input_shape}")
        shape = (*self.kernel_size, channels // self.groups, self.filters)
        self.kernel = self.add_weight("kernel", shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis(): channels})

    def call(self, inputs):
        channels_last = self.data_format == "channels_last"
        x = inputs.movedim(-1, 1) if channels_last else inputs
        if self.padding == "same":
            x = _pad(x, _same_pads(x.shape[2:], self.kernel_size, self.strides, self.dilation_rate))
        elif self.padding == "causal":
            x = _pad(x, [((self.kernel_size[0] - 1) * self.dilation_rate[0], 0)])
        # Keras keeps (k..., in, out); the convolution op wants (out, in, k...)
        weight = self.kernel.permute(self.rank + 1, self.rank, *range(self.rank))
        bias = self.bias if self.use_bias else None
        convolve = F.conv2d if self.rank == 2 else F.conv1d
        y = convolve(x, weight, bias, stride=self.strides, dilation=self.dilation_rate, groups=self.groups)
        if channels_last:
            y = y.movedim(1, -1)
        return activations.apply(self.activation, y)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "strides": list(self.strides), "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": list(self.dilation_rate), "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers_module.serialize(self.kernel_initializer),
                "bias_initializer": initializers_module.serialize(self.bias_initializer)}

    @classmethod
    def from_config(cls, config: dict) -> _Conv:
        config = dict(config)
        for key in ("kernel_initializer", "bias_initializer"):
            if key in config:
                config[key] = initializers_module.deserialize(config[key])
        return cls(**config)


class Conv2D(_Conv):
    """2-D convolution over (N, H, W, C) inputs with a (kh, kw, C, filters) kernel.

    ``padding='valid'`` keeps only full windows; ``'same'`` pads so the output is ceil(size / stride).
    """

    rank = 2


class Conv1D(_Conv):
    """1-D convolution over (N, T, C) inputs with a (k, C, filters) kernel; ``padding`` may be ``'causal'``."""

    rank = 1


class _Pooling(Layer):
    rank = 2
    kind = "max"

    def __init__(self, pool_size: int | Sequence[int] = 2, strides: int | Sequence[int] | None = None,
                 padding: str = "valid", data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = _tuple(strides, self.rank, "strides") if strides is not None else self.pool_size
        self.padding = _check_padding(padding)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        channels_last = self.data_format == "channels_last"
        x = inputs.movedim(-1, 1) if channels_last else inputs
        if self.rank == 1:
            x = x.unsqueeze(2)  # pool 1-D as a height-1 image
        pool, strides = ((1,) * (2 - self.rank) + self.pool_size, (1,) * (2 - self.rank) + self.strides)
        if self.padding == "same":
            pads = _same_pads(x.shape[2:], pool, strides, (1, 1))
            if self.kind == "max":
                y = F.max_pool2d(_pad(x, pads, value=float("-inf")), pool, strides)
            else:  # average over the real pixels only, as Keras does
                total = F.avg_pool2d(_pad(x, pads), pool, strides)
                count = F.avg_pool2d(_pad(x.new_ones((1, 1, *x.shape[2:])), pads), pool, strides)
                y = total / count
        else:
            y = (F.max_pool2d if self.kind == "max" else F.avg_pool2d)(x, pool, strides)
        if self.rank == 1:
            y = y.squeeze(2)
        return y.movedim(1, -1) if channels_last else y

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format}


class MaxPooling2D(_Pooling):
    """The maximum of each ``pool_size`` window of (N, H, W, C) inputs (default 2x2, stride = pool size)."""


class AveragePooling2D(_Pooling):
    """The mean of each ``pool_size`` window of (N, H, W, C) inputs."""

    kind = "average"


class MaxPooling1D(_Pooling):
    """The maximum of each window along the time axis of (N, T, C) inputs."""

    rank = 1


class AveragePooling1D(_Pooling):
    """The mean of each window along the time axis of (N, T, C) inputs."""

    rank = 1
    kind = "average"


class _GlobalPooling(Layer):
    rank = 2
    kind = "average"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"
        self.keepdims = bool(keepdims)

    def call(self, inputs):
        start = 1 if self.data_format == "channels_last" else 2
        axes = tuple(range(start, start + self.rank))
        if self.kind == "average":
            return inputs.mean(axes, keepdim=self.keepdims)
        return inputs.amax(axes, keepdim=self.keepdims)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling):
    """The mean over height and width: (N, H, W, C) -> (N, C)."""


class GlobalMaxPooling2D(_GlobalPooling):
    """The maximum over height and width: (N, H, W, C) -> (N, C)."""

    kind = "max"


class GlobalAveragePooling1D(_GlobalPooling):
    """The mean over time: (N, T, C) -> (N, C)."""

    rank = 1


class GlobalMaxPooling1D(_GlobalPooling):
    """The maximum over time: (N, T, C) -> (N, C)."""

    rank = 1
    kind = "max"
