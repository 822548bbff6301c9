"""Layers that merge a list of inputs: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum.

>>> from saessak import keras
>>> a, b = keras.Input(shape=(4,)), keras.Input(shape=(6,))
>>> keras.layers.Concatenate()([a, b]).shape
(None, 10)
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from ...ops.join import cat
from .base import Layer

__all__ = ["Add", "Average", "Concatenate", "Maximum", "Minimum", "Multiply", "Subtract", "add", "concatenate"]


class _Merge(Layer):
    def _check(self, inputs: Any) -> list:
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f'{type(self).__name__} layer "{self.name}" must be called on a list of at least 2 '
                             f"inputs, got {type(inputs).__name__}")
        return list(inputs)


class Concatenate(_Merge):
    """Joins its inputs along ``axis`` (the last by default)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)

    def call(self, inputs):
        return cat(self._check(inputs), self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Add(_Merge):
    """The element-wise sum of its inputs."""

    def call(self, inputs):
        return reduce(lambda a, b: a + b, self._check(inputs))


class Subtract(_Merge):
    """``inputs[0] - inputs[1]``."""

    def call(self, inputs):
        first, second = self._check(inputs)
        return first - second


class Multiply(_Merge):
    """The element-wise product of its inputs."""

    def call(self, inputs):
        return reduce(lambda a, b: a * b, self._check(inputs))


class Average(_Merge):
    """The element-wise mean of its inputs."""

    def call(self, inputs):
        values = self._check(inputs)
        return reduce(lambda a, b: a + b, values) / len(values)


class Maximum(_Merge):
    """The element-wise maximum of its inputs."""

    def call(self, inputs):
        return reduce(lambda a, b: a.maximum(b), self._check(inputs))


class Minimum(_Merge):
    """The element-wise minimum of its inputs."""

    def call(self, inputs):
        return reduce(lambda a, b: a.minimum(b), self._check(inputs))


def concatenate(inputs: list, axis: int = -1, **kwargs: Any):
    """``Concatenate(axis)(inputs)`` in one call."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def add(inputs: list, **kwargs: Any):
    """``Add()(inputs)`` in one call."""
    return Add(**kwargs)(inputs)
