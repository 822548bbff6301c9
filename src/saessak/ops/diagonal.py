"""Diagonals and triangles: diagonal (a view), diag, diag_embed, trace, tril, triu."""

from __future__ import annotations

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function


# ---------------------------------------------------------------- diagonals
class Diagonal(Function):
    """The diagonal of dims ``dim1, dim2`` (a view, moved to the last dim)."""

    _backward_name = "DiagonalBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, offset, dim1, dim2):
        ctx.args = (x._data.shape, offset, dim1, dim2)
        out = x._data.diagonal(offset, dim1, dim2)
        if getattr(x._data.flags, "writeable", False):
            out.setflags(write=True)  # NumPy hands out diagonals read-only; PyTorch's can be written through
        return out

    @staticmethod
    def backward(ctx, gy):
        shape, offset, dim1, dim2 = ctx.args
        return _DiagonalScatter.apply(gy, shape=shape, offset=offset, dim1=dim1, dim2=dim2)


class _DiagonalCopy(Diagonal):
    """``diag`` of a matrix: the diagonal as a new tensor."""

    _backward_name = "DiagonalBackward0_copy"
    _view_of = None

    @staticmethod
    def forward(ctx, x, *, offset, dim1, dim2):
        return Diagonal.forward(ctx, x, offset=offset, dim1=dim1, dim2=dim2).copy()


class DiagEmbed(Function):
    """Zeros of ``shape`` with ``x`` written on a diagonal; the inverse of ``Diagonal`` for gradients."""

    _backward_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, x, *, shape, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        out = x._xp().zeros(shape, dtype=x._data.dtype)
        diag = out.diagonal(offset, dim1, dim2)
        if hasattr(diag, "setflags"):  # NumPy only: CuPy diagonals are writable already
            diag.setflags(write=True)
        diag[...] = x._data
        return out

    @staticmethod
    def backward(ctx, gy):
        offset, dim1, dim2 = ctx.args
        return Diagonal.apply(gy, offset=offset, dim1=dim1, dim2=dim2)


class _DiagonalScatter(DiagEmbed):
    _backward_name = "DiagonalBackwardBackward0"


def _diagonal_dims(x: Tensor, dim1: int, dim2: int, ndim: int) -> tuple:
    d1, d2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(x: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A view of the diagonal of dims ``dim1`` and ``dim2`` (``offset`` > 0: above it), as the last dim."""
    d1, d2 = _diagonal_dims(x, dim1, dim2, x.ndim)
    return Diagonal.apply(x, offset=int(offset), dim1=d1, dim2=d2)


def diag_embed(x: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose diagonals (along ``dim1, dim2`` of the output) are the last dim of ``x``.

    >>> saessak.diag_embed(saessak.tensor([1, 2])).tolist()
    [[1, 0], [0, 2]]
    """
    if x.ndim == 0:
        raise RuntimeError("diag_embed(): input must be at least 1-dimensional")
    n = x._data.shape[-1] + abs(offset)
    ndim = x.ndim + 1
    d1, d2 = _diagonal_dims(x, dim1, dim2, ndim)
    rest = iter(x._data.shape[:-1])
    shape = tuple(n if i in (d1, d2) else next(rest) for i in range(ndim))
    return DiagEmbed.apply(x, shape=shape, offset=int(offset), dim1=d1, dim2=d2)


def diag(x: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor becomes a diagonal matrix; a 2-D tensor gives its ``diagonal``-th diagonal (a copy)."""
    if x.ndim == 1:
        return diag_embed(x, diagonal, 0, 1)
    if x.ndim == 2:
        return _DiagonalCopy.apply(x, offset=int(diagonal), dim1=0, dim2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")


class Trace(Function):
    """Sum of a matrix's main diagonal (integer inputs sum to int64)."""

    _backward_name = "TraceBackward0"

    @staticmethod
    def forward(ctx, x):
        data = x._data
        ctx.shape = data.shape
        dtype = data.dtype if data.dtype.kind == "f" else "int64"
        return x._xp().asarray(data.trace(dtype=dtype))

    @staticmethod
    def backward(ctx, gy):
        rows, cols = ctx.shape
        diagonal = gy.expand(min(rows, cols))
        return DiagEmbed.apply(diagonal, shape=ctx.shape, offset=0, dim1=0, dim2=1)


def trace(x: Tensor) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor."""
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return Trace.apply(x)


# ---------------------------------------------------------------- triangles
class Tril(Function):
    """Elements on and below the ``diagonal``-th diagonal of the last two dims; zeros elsewhere."""

    _backward_name = "TrilBackward0"

    @staticmethod
    def forward(ctx, x, *, diagonal):
        ctx.diagonal = diagonal
        return x._xp().tril(x._data, diagonal)

    @staticmethod
    def backward(ctx, gy):
        return Tril.apply(gy, diagonal=ctx.diagonal)


class Triu(Function):
    """Elements on and above the ``diagonal``-th diagonal of the last two dims; zeros elsewhere."""

    _backward_name = "TriuBackward0"

    @staticmethod
    def forward(ctx, x, *, diagonal):
        ctx.diagonal = diagonal
        return x._xp().triu(x._data, diagonal)

    @staticmethod
    def backward(ctx, gy):
        return Triu.apply(gy, diagonal=ctx.diagonal)


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (elements on and below ``diagonal``) of the last two dims, zeros elsewhere."""
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(x, diagonal=int(diagonal))


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (elements on and above ``diagonal``) of the last two dims, zeros elsewhere."""
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(x, diagonal=int(diagonal))


def tril_(x: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``tril``."""
    from .inplace import apply_inplace

    return apply_inplace(x, tril(x, diagonal))


def triu_(x: Tensor, diagonal: int = 0) -> Tensor:
    """In-place ``triu``."""
    from .inplace import apply_inplace

    return apply_inplace(x, triu(x, diagonal))
