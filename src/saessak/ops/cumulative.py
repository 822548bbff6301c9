"""Running reductions along a dim: cumsum, cumprod, cummax, cummin, logcumsumexp.

cumprod's gradient is exact when the input has zeros: it never divides by an element that is zero.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ..autograd.grad_mode import state
from .reduce import _return_type

cummax_result = _return_type("cummax")
cummin_result = _return_type("cummin")


def _running_dtype(data, dtype):
    # integers and bools accumulate in int64, as in PyTorch
    return dtype.np if dtype is not None else (np.int64 if data.dtype.kind in "biu" else data.dtype)


# ---------------------------------------------------------------- cumsum
class CumSum(Function):
    """Running sum along ``dim``; the gradient is the reversed running sum of the gradient."""

    _backward_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        data = x._data
        if data.ndim == 0:
            return data.astype(_running_dtype(data, None))
        return data.cumsum(axis=dim, dtype=_running_dtype(data, None))

    @staticmethod
    def backward(ctx, gy):
        if not gy.ndim:
            return gy
        return cumsum(gy.flip(ctx.dim), ctx.dim).flip(ctx.dim)


def _cast(x: Tensor, dtype) -> Tensor:
    return x if dtype is None or dtypes.to_dtype(dtype) == x.dtype else x.to(dtypes.to_dtype(dtype))


def cumsum(x: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative sum along ``dim``: ``out[i] = x[0] + ... + x[i]``.

    >>> saessak.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])
    """
    x = _cast(x, dtype)
    return CumSum.apply(x, dim=_wrap_dim(dim, x.ndim))


# ---------------------------------------------------------------- cumprod
class CumProd(Function):
    """Running product along ``dim``, with a gradient that stays exact where the input has zeros."""

    _backward_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        data = x._data
        out = data.astype(_running_dtype(data, None)) if data.ndim == 0 else data.cumprod(
            axis=dim, dtype=_running_dtype(data, None))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        if not x.ndim or not x.numel():
            return gy
        if state.enabled:  # create_graph: a formula built from ops, so it can be differentiated again
            return _cumprod_grad_graph(x, gy, ctx.dim)
        xp = x._xp()
        moved = [xp.moveaxis(a._data, ctx.dim, -1) for a in (x, y, gy)]
        return Tensor._make(xp.moveaxis(_cumprod_grad(*moved, xp), -1, ctx.dim))


def _reverse_cumsum(a, xp):
    return xp.flip(xp.cumsum(xp.flip(a, -1), -1), -1)


def _cumprod_grad(x, y, gy, xp):
    """``gx_i = sum_{j >= i} gy_j prod_{k <= j, k != i} x_k`` along the last axis, in O(n).

    Before a group's first zero, that is ``sum_{j >= i} gy_j y_j / x_i``. At the first zero it is the same
    sum with that zero replaced by 1. After it, every term holds the zero, so the gradient is 0.
    """
    zeros_so_far = xp.cumsum(x == 0, axis=-1)
    before = zeros_so_far == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        gx = xp.where(before, _reverse_cumsum(gy * y, xp) / xp.where(before, x, 1), 0)
    if before.all():
        return gx
    first_zero = (zeros_so_far == 1) & (x == 0)
    replaced = xp.cumprod(xp.where(first_zero, 1, x), axis=-1)
    at_zero = (gy * replaced * ~before).sum(axis=-1, keepdims=True)
    return gx + xp.where(first_zero, at_zero, 0)


def _cumprod_grad_graph(x: Tensor, gy: Tensor, dim: int) -> Tensor:
    """The same gradient from differentiable ops, O(n^2) per group: ``[i, j] = prod_{k <= j, k != i} x_k``."""
    from .pointwise import where

    n = x.shape[dim]
    xp = x._xp()
    xm, g = x.movedim(dim, -1), gy.movedim(dim, -1)
    rows = xm.unsqueeze(-2).expand(*xm.shape[:-1], n, n)  # [..., i, k] = x_k
    eye = Tensor._make(xp.eye(n, dtype=bool))
    products = cumprod(where(eye, 1.0, rows), -1)  # x_i replaced by 1 in row i
    upper = Tensor._make(xp.triu(xp.ones((n, n), dtype=x._data.dtype)))  # only j >= i
    return ((products * upper) * g.unsqueeze(-2)).sum(-1).movedim(-1, dim)


def cumprod(x: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative product along ``dim``: ``out[i] = x[0] * ... * x[i]``.

    >>> saessak.tensor([1, 2, 3]).cumprod(0)
    tensor([1, 2, 6])
    """
    x = _cast(x, dtype)
    return CumProd.apply(x, dim=_wrap_dim(dim, x.ndim))


def _exclusive_cumprod(x: Tensor) -> Tensor:
    """``[1, x0, x0*x1, ...]`` along the last dim."""
    from ..creation import ones
    from .join import cat

    head = ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)
    return cat([head, cumprod(x, -1).narrow(-1, 0, x.shape[-1] - 1)], -1) if x.shape[-1] > 1 else head


# ---------------------------------------------------------------- cummax / cummin
class CumMax(Function):
    """Running max along ``dim`` with the (last) index attaining it; the gradient adds up at those indices."""

    _backward_name = "CummaxBackward0"
    _accumulate = np.maximum

    @staticmethod
    def forward(ctx, x, *, dim):
        xp, data = x._xp(), x._data
        ctx.dim, ctx.input_shape = dim, data.shape
        if data.ndim == 0:
            ctx.index = xp.zeros((), dtype=np.int64)
            return data.copy(), ctx.index
        values = getattr(xp, ctx._accumulate.__name__).accumulate(data, axis=dim)
        shape = [1] * data.ndim
        shape[dim] = data.shape[dim]
        positions = xp.arange(data.shape[dim], dtype=np.int64).reshape(shape)
        hits = data == values
        if data.dtype.kind == "f":  # once a NaN is seen the running value is NaN, attained by each later NaN
            hits |= xp.isnan(data)
        # the latest position whose element equals the running value
        ctx.index = xp.maximum.accumulate(xp.where(hits, positions, 0), axis=dim)
        return values, ctx.index

    @staticmethod
    def backward(ctx, gy, g_index=None):
        from ..creation import zeros
        from .scatter import scatter_add

        if not ctx.input_shape:
            return gy
        index = Tensor._make(ctx.index)
        return scatter_add(zeros(*ctx.input_shape, dtype=gy.dtype, device=gy.device), ctx.dim, index, gy)


class CumMin(CumMax):
    _backward_name = "CumminBackward0"
    _accumulate = np.minimum


def cummax(x: Tensor, dim: int):
    """Running maximum along ``dim`` and the index where each was reached, as a named tuple.

    >>> saessak.tensor([1, 3, 2]).cummax(0).values
    tensor([1, 3, 3])
    """
    return cummax_result(*CumMax.apply(x, dim=_wrap_dim(dim, x.ndim)))


def cummin(x: Tensor, dim: int):
    """Running minimum along ``dim`` and the index where each was reached, as a named tuple.

    >>> saessak.tensor([3, 1, 2]).cummin(0).values
    tensor([3, 1, 1])
    """
    return cummin_result(*CumMin.apply(x, dim=_wrap_dim(dim, x.ndim)))


# ---------------------------------------------------------------- logcumsumexp
class LogCumSumExp(Function):
    """``log(cumsum(exp(x)))`` along ``dim``, pairwise with ``logaddexp`` so nothing overflows.

    Backward: ``gx_i = sum_{j >= i} gy_j exp(x_i - y_j)``, summed in log space, positive and negative
    ``gy`` apart (logs of magnitudes need one sign).
    """

    _backward_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        data = x._data
        out = data.copy() if data.ndim == 0 else x._xp().logaddexp.accumulate(data, axis=dim)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        from .pointwise import where
        from .rounding import abs as _abs
        from .unary import exp, log

        x, y = ctx.saved_tensors
        if not x.ndim:
            return gy
        d = ctx.dim
        lowest = float(np.finfo(x._data.dtype).min) / 4  # log(0) stand-in; finite (and with room) avoids NaN
        log_magnitude = log(_abs(gy))

        def reverse_logcumsumexp(a):
            return logcumsumexp(a.flip(d), d).flip(d)

        parts = [exp(reverse_logcumsumexp(where(sign, log_magnitude, lowest) - y) + x) for sign in (gy > 0, gy < 0)]
        return parts[0] - parts[1]


def logcumsumexp(x: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(x), dim))``, computed stably (integers become the default float dtype).

    >>> saessak.tensor([0.0, 0.0, 0.0]).logcumsumexp(0)
    tensor([0.0000, 0.6931, 1.0986])
    """
    if not x.dtype.is_floating_point:
        x = x.to(dtypes.get_default_dtype())
    return LogCumSumExp.apply(x, dim=_wrap_dim(dim, x.ndim))
