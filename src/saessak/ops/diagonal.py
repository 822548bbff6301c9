"""Diagonals and triangles: diagonal (a view), diag, diag_embed, trace, tril, triu."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .shape import clone


class Diagonal(Function):
    """The diagonal of dims ``dim1, dim2`` (a view, moved to the last dim)."""

    _backward_name = "DiagonalBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, offset, dim1, dim2):
        ctx.args = (x._data.shape, offset, dim1, dim2)
        return x._data.diagonal(offset, dim1, dim2)

    @staticmethod
    def backward(ctx, gy):
        shape, offset, dim1, dim2 = ctx.args
        return _DiagonalScatter.apply(gy, shape=shape, offset=offset, dim1=dim1, dim2=dim2)


class _DiagonalScatter(Function):
    """Zeros of ``shape`` with ``x`` written on a diagonal; the inverse of ``Diagonal`` for gradients."""

    _backward_name = "DiagonalBackwardBackward0"

    @staticmethod
    def forward(ctx, x, *, shape, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        out = x._xp().zeros(shape, dtype=x._data.dtype)
        diag = out.diagonal(offset, dim1, dim2)
        diag.setflags(write=True)
        diag[...] = x._data
        return out

    @staticmethod
    def backward(ctx, gy):
        offset, dim1, dim2 = ctx.args
        return Diagonal.apply(gy, offset=offset, dim1=dim1, dim2=dim2)


def diagonal(x: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A view of the diagonal of dims ``dim1`` and ``dim2``."""
    return Diagonal.apply(x, offset=offset, dim1=_wrap_dim(dim1, x.ndim), dim2=_wrap_dim(dim2, x.ndim))


def diag_embed(x: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose diagonals (along ``dim1, dim2`` of the output) are the last dim of ``x``."""
    n = x._data.shape[-1] + abs(offset)
    ndim = x.ndim + 1
    d1, d2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    rest = list(x._data.shape[:-1])
    shape = []
    for i in range(ndim):
        shape.append(n if i in (d1, d2) else rest.pop(0))
    return _DiagonalScatter.apply(x, shape=tuple(shape), offset=offset, dim1=d1, dim2=d2)


def diag(x: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor becomes a diagonal matrix; a 2-D tensor gives its diagonal (a copy)."""
    if x.ndim == 1:
        return diag_embed(x, diagonal, 0, 1)
    if x.ndim == 2:
        return clone(Diagonal.apply(x, offset=diagonal, dim1=0, dim2=1))
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")


def trace(x: Tensor) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor."""
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return Diagonal.apply(x, offset=0, dim1=0, dim2=1).sum()


def _triangle(x: Tensor, diagonal: int, upper: bool) -> Tensor:
    from .pointwise import where

    rows, cols = x._data.shape[-2:]
    keep = np.triu(np.ones((rows, cols), dtype=bool), diagonal) if upper else \
        np.tril(np.ones((rows, cols), dtype=bool), diagonal)
    mask = Tensor._make(x._xp().asarray(keep))
    return where(mask, x, False if x.dtype.name == "bool" else 0)


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (elements on and below ``diagonal``), zeros elsewhere."""
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return _triangle(x, diagonal, upper=False)


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (elements on and above ``diagonal``), zeros elsewhere."""
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return _triangle(x, diagonal, upper=True)


def tril_(x: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``tril``."""
    from .inplace import apply_inplace

    return apply_inplace(x, tril(x, diagonal))


def triu_(x: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``triu``."""
    from .inplace import apply_inplace

    return apply_inplace(x, triu(x, diagonal))
