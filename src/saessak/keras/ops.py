"""``keras.ops``: the NumPy-style tensor functions Keras 3 code calls (``ops.mean``, ``ops.matmul``...).

Each takes saessak tensors, NumPy arrays or numbers and returns a saessak tensor, so the functions work
inside ``call`` and under ``GradientTape``. Keras' argument names are kept (``axis``, ``keepdims``).

>>> from saessak import keras
>>> keras.ops.mean(keras.ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
tensor([1.5000, 3.5000])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import creation
from .._tensor import Tensor
from ..nn import functional as F
from ..ops.join import cat
from ..ops.join import stack as _stack
from . import backend
from .layers.base import to_tensor

__all__ = [
    "abs", "argmax", "argmin", "cast", "clip", "concatenate", "convert_to_numpy", "convert_to_tensor", "exp",
    "expand_dims", "log", "matmul", "max", "maximum", "mean", "min", "minimum", "one_hot", "ones", "relu", "reshape",
    "shape", "sigmoid", "softmax", "sqrt", "square", "squeeze", "stack", "sum", "tanh", "transpose", "where",
    "zeros",
]

def convert_to_tensor(x: Any, dtype: Any = None) -> Tensor:
    """``x`` as a saessak tensor (NumPy floats become float32, as in Keras)."""
    value = to_tensor(x)
    return value if dtype is None else cast(value, dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a NumPy array (detached from any graph)."""
    return backend.to_numpy(x)


def cast(x: Any, dtype: Any) -> Tensor:
    """``x`` converted to ``dtype`` (a name such as ``'float32'`` or a saessak dtype)."""
    from .. import dtypes

    return to_tensor(x).to(getattr(dtypes, dtype) if isinstance(dtype, str) else dtype)


def shape(x: Any) -> tuple:
    """The shape of ``x`` as a tuple of ints."""
    return tuple(to_tensor(x).shape)


def _axis_reduction(method: str):
    def reduce(x: Any, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        value = to_tensor(x)
        if axis is None:
            result = getattr(value, method)()
            return result.reshape([1] * value.ndim) if keepdims else result
        return getattr(value, method)(tuple(axis) if isinstance(axis, (list, tuple)) else axis, keepdim=keepdims)
    reduce.__name__ = method
    return reduce


mean = _axis_reduction("mean")
sum = _axis_reduction("sum")  # noqa: A001 - Keras' name
max = _axis_reduction("amax")  # noqa: A001
min = _axis_reduction("amin")  # noqa: A001
mean.__doc__ = "The mean over ``axis`` (all axes when None)."
sum.__doc__ = "The sum over ``axis`` (all axes when None)."
max.__doc__ = "The maximum over ``axis`` (all axes when None)."
min.__doc__ = "The minimum over ``axis`` (all axes when None)."


def argmax(x: Any, axis: int = -1, keepdims: bool = False) -> Tensor:
    """Indices of the largest values along ``axis``."""
    return to_tensor(x).argmax(axis, keepdim=keepdims)


def argmin(x: Any, axis: int = -1, keepdims: bool = False) -> Tensor:
    """Indices of the smallest values along ``axis``."""
    return to_tensor(x).argmin(axis, keepdim=keepdims)


# ---------------------------------------------------------------- elementwise
def abs(x: Any) -> Tensor:  # noqa: A001
    """``|x|``."""
    return to_tensor(x).abs()


def square(x: Any) -> Tensor:
    """``x * x``."""
    value = to_tensor(x)
    return value * value


def sqrt(x: Any) -> Tensor:
    """The square root of ``x``."""
    return to_tensor(x).sqrt()


def exp(x: Any) -> Tensor:
    """``e ** x``."""
    return to_tensor(x).exp()


def log(x: Any) -> Tensor:
    """The natural logarithm of ``x``."""
    return to_tensor(x).log()


def clip(x: Any, x_min: float, x_max: float) -> Tensor:
    """``x`` limited to ``[x_min, x_max]``."""
    return to_tensor(x).clamp(x_min, x_max)


def maximum(x1: Any, x2: Any) -> Tensor:
    """The elementwise larger of ``x1`` and ``x2`` (broadcast)."""
    a, b = _pair(x1, x2)
    return a.maximum(b)


def minimum(x1: Any, x2: Any) -> Tensor:
    """The elementwise smaller of ``x1`` and ``x2`` (broadcast)."""
    a, b = _pair(x1, x2)
    return a.minimum(b)


def where(condition: Any, x1: Any, x2: Any) -> Tensor:
    """``x1`` where ``condition`` holds, else ``x2``."""
    from .. import where as saessak_where

    a, b = _pair(x1, x2)
    return saessak_where(to_tensor(condition).bool(), a, b)


def _pair(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:
    a = to_tensor(x1) if not isinstance(x1, (int, float)) else None
    b = to_tensor(x2) if not isinstance(x2, (int, float)) or a is None else None
    reference = a if a is not None else b
    if a is None:
        a = creation.full(tuple(reference.shape), float(x1), dtype=reference.dtype)
    if b is None:
        b = creation.full(tuple(reference.shape), float(x2), dtype=reference.dtype)
    return a, b


def relu(x: Any) -> Tensor:
    """``max(x, 0)``."""
    return F.relu(to_tensor(x))


def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``."""
    return F.sigmoid(to_tensor(x))


def tanh(x: Any) -> Tensor:
    """The hyperbolic tangent of ``x``."""
    return to_tensor(x).tanh()


def softmax(x: Any, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``."""
    return F.softmax(to_tensor(x), dim=axis)


def one_hot(x: Any, num_classes: int) -> Tensor:
    """Integer labels ``x`` as float32 one-hot rows of length ``num_classes``."""
    from .. import dtypes

    return F.one_hot(to_tensor(x).long(), num_classes).to(dtypes.float32)


# ---------------------------------------------------------------- shapes and joins
def matmul(x1: Any, x2: Any) -> Tensor:
    """The matrix product ``x1 @ x2`` (batched over leading axes)."""
    return to_tensor(x1) @ to_tensor(x2)


def reshape(x: Any, newshape: Sequence[int]) -> Tensor:
    """``x`` with shape ``newshape`` (one entry may be -1)."""
    return to_tensor(x).reshape(tuple(newshape))


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    value = to_tensor(x)
    return value.permute(*(tuple(axes) if axes is not None else reversed(range(value.ndim))))


def expand_dims(x: Any, axis: int) -> Tensor:
    """``x`` with a new axis of length 1 at ``axis``."""
    return to_tensor(x).unsqueeze(axis)


def squeeze(x: Any, axis: int | None = None) -> Tensor:
    """``x`` without its axes of length 1 (only ``axis`` when given)."""
    value = to_tensor(x)
    return value.squeeze() if axis is None else value.squeeze(axis)


def concatenate(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """The tensors ``xs`` joined along an existing ``axis``."""
    return cat([to_tensor(x) for x in xs], axis)


def stack(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """The tensors ``xs`` joined along a new ``axis``."""
    return _stack([to_tensor(x) for x in xs], axis)


def zeros(shape: Sequence[int], dtype: Any = "float32") -> Tensor:
    """A tensor of zeros of ``shape``."""
    return cast(creation.zeros(*tuple(shape)), dtype)


def ones(shape: Sequence[int], dtype: Any = "float32") -> Tensor:
    """A tensor of ones of ``shape``."""
    return cast(creation.ones(*tuple(shape)), dtype)
