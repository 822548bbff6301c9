"""Reductions over dimensions (being completed): sum so far."""

from __future__ import annotations

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ._broadcast import broadcast_to


def _dims(dim, ndim: int) -> tuple | None:
    """Normalise ``dim`` (None, int or sequence) to a sorted tuple of non-negative dims (None: all)."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (_wrap_dim(dim, ndim),)
    if len(dim) == 0:
        return None
    return tuple(sorted(_wrap_dim(d, ndim) for d in dim))


class Sum(Function):
    """Sum over ``dim`` (all dims when None); the gradient broadcasts back."""

    _backward_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim, dtype):
        data = x._data
        axes = _dims(dim, data.ndim)
        ctx.input_shape = data.shape
        ctx.axes, ctx.keepdim = axes, keepdim
        if dtype is None and data.dtype.kind in "bi" or data.dtype.kind == "u":
            dtype_np = "int64"
        else:
            dtype_np = dtype.np if dtype is not None else None
        return data.sum(axis=axes, keepdims=keepdim, dtype=dtype_np)

    @staticmethod
    def backward(ctx, gy):
        if not ctx.keepdim and ctx.axes is not None:
            shape = list(ctx.input_shape)
            for a in ctx.axes:
                shape[a] = 1
            gy = gy.reshape(shape)
        elif not ctx.keepdim:
            gy = gy.reshape((1,) * len(ctx.input_shape))
        return broadcast_to(gy, ctx.input_shape)


def sum(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Sum of elements over ``dim`` (int or tuple; all when None)."""
    return Sum.apply(x, dim=dim, keepdim=keepdim, dtype=dtype)
