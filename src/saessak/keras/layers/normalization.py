"""Normalization layers with Keras' defaults: BatchNormalization (momentum 0.99, epsilon 1e-3, last axis)
and LayerNormalization.

>>> import numpy as np
>>> from saessak import keras
>>> layer = keras.layers.BatchNormalization()
>>> layer(np.zeros((4, 3))).shape, [tuple(w.shape) for w in layer.weights]
(torch.Size([4, 3]), [(3,), (3,), (3,), (3,)])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...autograd import no_grad
from .. import initializers as initializers_module
from .. import regularizers as regularizers_module
from .base import InputSpec, Layer

__all__ = ["BatchNormalization", "LayerNormalization"]


def _broadcast_shape(ndim: int, axes: Sequence[int], input_shape: tuple) -> tuple:
    return tuple(input_shape[i] if i in axes else 1 for i in range(ndim))


class BatchNormalization(Layer):
    """Normalizes each feature (``axis``, the last by default) by batch statistics in training and by
    moving averages in inference: ``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    The moving averages follow ``moving = momentum * moving + (1 - momentum) * batch`` (Keras' convention:
    ``momentum=0.99`` is PyTorch's ``momentum=0.01``). Weights: gamma, beta (trainable), moving_mean,
    moving_variance (non-trainable).
    """

    def __init__(self, axis: int | Sequence[int] = -1, momentum: float = 0.99, epsilon: float = 0.001,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", moving_mean_initializer: Any = "zeros",
                 moving_variance_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = [axis] if isinstance(axis, int) else list(axis)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers_module.get(beta_initializer)
        self.gamma_initializer = initializers_module.get(gamma_initializer)
        self.moving_mean_initializer = initializers_module.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers_module.get(moving_variance_initializer)
        self.beta_regularizer = regularizers_module.get(beta_regularizer)
        self.gamma_regularizer = regularizers_module.get(gamma_regularizer)

    def build(self, input_shape: tuple) -> None:
        ndim = len(input_shape)
        self._axes = sorted(a % ndim for a in self.axis)
        shape = tuple(input_shape[a] for a in self._axes)
        if any(d is None for d in shape):
            raise ValueError(f'BatchNormalization layer "{self.name}": axis {self.axis} of the inputs must have a '
                             f"known size, got shape {input_shape}")
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer)
        if self.center:
            self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer)
        self.add_weight("moving_mean", shape, initializer=self.moving_mean_initializer, trainable=False)
        self.add_weight("moving_variance", shape, initializer=self.moving_variance_initializer, trainable=False)
        self.input_spec = InputSpec(ndim=ndim, axes={a: input_shape[a] for a in self._axes})

    def call(self, inputs, training=None):
        ndim = inputs.ndim
        reduce = tuple(i for i in range(ndim) if i not in self._axes)
        shape = _broadcast_shape(ndim, self._axes, tuple(inputs.shape))
        if training:
            mean = inputs.mean(reduce, keepdim=True)
            centered = inputs - mean
            variance = (centered * centered).mean(reduce, keepdim=True)
            with no_grad():
                keep = self.momentum
                self.moving_mean.mul_(keep).add_(mean.detach().reshape(self.moving_mean.shape) * (1 - keep))
                self.moving_variance.mul_(keep).add_(variance.detach().reshape(self.moving_variance.shape) * (1 - keep))
        else:
            centered = inputs - self.moving_mean.reshape(shape)
            variance = self.moving_variance.reshape(shape)
        y = centered * (variance + self.epsilon).rsqrt()
        if self.scale:
            y = y * self.gamma.reshape(shape)
        if self.center:
            y = y + self.beta.reshape(shape)
        return y

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale}


class LayerNormalization(Layer):
    """Normalizes each sample over ``axis`` (the last by default), then scales by gamma and shifts by beta."""

    def __init__(self, axis: int | Sequence[int] = -1, epsilon: float = 0.001, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = [axis] if isinstance(axis, int) else list(axis)
        self.epsilon, self.center, self.scale = float(epsilon), bool(center), bool(scale)
        self.beta_initializer = initializers_module.get(beta_initializer)
        self.gamma_initializer = initializers_module.get(gamma_initializer)

    def build(self, input_shape: tuple) -> None:
        ndim = len(input_shape)
        self._axes = sorted(a % ndim for a in self.axis)
        shape = tuple(input_shape[a] for a in self._axes)
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer)
        if self.center:
            self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer)

    def call(self, inputs):
        axes = tuple(self._axes)
        mean = inputs.mean(axes, keepdim=True)
        centered = inputs - mean
        variance = (centered * centered).mean(axes, keepdim=True)
        y = centered * (variance + self.epsilon).rsqrt()
        shape = _broadcast_shape(inputs.ndim, self._axes, tuple(inputs.shape))
        if self.scale:
            y = y * self.gamma.reshape(shape)
        if self.center:
            y = y + self.beta.reshape(shape)
        return y

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale}
