"""softmax and log_softmax along one dimension, and one_hot.

Each softmax is its own op rather than a composition of exp/sum/div: subtracting the row maximum keeps
``exp`` from overflowing, and the backward needs only the saved output. Both backwards are written with
saessak ops, so double backward (Hessian-vector products through a classifier) works.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function


def _shifted(x: Tensor, dim: int):
    """``x - max(x, dim)``: the largest entry of every slice becomes 0, so ``exp`` can't overflow."""
    a = x._data
    with np.errstate(invalid="ignore"):  # a slice that is all -inf gives nan, as in PyTorch
        return a - a.max(axis=dim, keepdims=True)


class Softmax(Function):
    """``exp(x) / sum(exp(x), dim)``; gradient ``y * (gy - sum(gy * y, dim))``."""

    _backward_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        xp = x._xp()
        if x._data.size == 0:
            return x._data.copy()
        y = xp.exp(_shifted(x, dim))
        y /= y.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        saved = ctx.saved_tensors
        if not saved:  # an empty input
            return gy
        (y,) = saved
        gy_y = gy * y
        return gy_y - y * gy_y.sum(ctx.dim, keepdim=True)


class LogSoftmax(Function):
    """``x - logsumexp(x, dim)``; gradient ``gy - exp(y) * sum(gy, dim)``."""

    _backward_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        xp = x._xp()
        if x._data.size == 0:
            return x._data.copy()
        y = _shifted(x, dim)
        y -= xp.log(xp.exp(y).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        saved = ctx.saved_tensors
        if not saved:
            return gy
        (y,) = saved
        return gy - y.exp() * gy.sum(ctx.dim, keepdim=True)


def _prepare(x: Tensor, dim, dtype, op: str) -> tuple:
    if not isinstance(dim, int | np.integer):
        raise TypeError(f"{op}(): argument 'dim' must be int, not {type(dim).__name__}")
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    if not x.dtype.is_floating_point:
        raise NotImplementedError(
            f'"{op}" not implemented for {x.dtype}: pass dtype=saessak.float32 or call .float() first'
        )
    d = _wrap_dim(int(dim), x._data.ndim)
    return x, d if x._data.ndim else None  # a 0-dim tensor is its own single slice


def softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """``exp(input) / exp(input).sum(dim)``: each slice along ``dim`` becomes a probability vector.

    ``dtype`` casts the input first (e.g. float64 for extra precision).

    >>> saessak.softmax(saessak.tensor([1.0, 2.0, 3.0]), dim=0)   # tensor([0.0900, 0.2447, 0.6652])
    """
    x, d = _prepare(input, dim, dtype, "softmax")
    return Softmax.apply(x, dim=d)


def log_softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """``log(softmax(input, dim))``, computed without forming the softmax (stable for large inputs).

    >>> saessak.log_softmax(saessak.tensor([1.0, 2.0, 3.0]), dim=0)   # tensor([-2.4076, -1.4076, -0.4076])
    """
    x, d = _prepare(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(x, dim=d)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices of shape ``(*)`` -> an int64 tensor of shape ``(*, num_classes)`` with a 1 per index.

    ``num_classes=-1`` uses ``tensor.max() + 1``. (``torch.nn.functional.one_hot``.)

    >>> one_hot(saessak.tensor([0, 2]), 3)   # tensor([[1, 0, 0], [0, 0, 1]])
    """
    a = tensor._data
    if a.dtype != np.int64:
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor, got "
                           f"{tensor.dtype}; convert the indices with .long()")
    xp = tensor._xp()
    if a.size == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor; pass num_classes")
    else:
        low, high = int(a.min()), int(a.max())
        if low < 0:
            raise RuntimeError(f"Class values must be non-negative (got {low}).")
        if num_classes == -1:
            num_classes = high + 1
        elif high >= num_classes:
            raise RuntimeError(f"Class values must be smaller than num_classes (got {high} with "
                               f"num_classes={num_classes}).")
    out = xp.zeros((a.size, num_classes), dtype=np.int64)
    out[xp.arange(a.size), a.reshape(-1)] = 1
    return Tensor._make(out.reshape(a.shape + (num_classes,)))
