"""Reductions over dimensions: sum, mean, prod, var/std, norm, logsumexp, max/min, all/any, cumsum/cumprod.

Every reduction takes ``dim`` (None for all, an int, or a tuple) and ``keepdim``. Its backward first puts
the reduced dims back as size 1 (``_unreduce``), then broadcasts.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from .. import dtypes
from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ._broadcast import broadcast_to, sum_to


def _dims(dim, ndim: int) -> tuple | None:
    """Normalise ``dim`` (None, int or sequence) to a sorted tuple of non-negative dims (None: all)."""
    if dim is None:
        return None
    if isinstance(dim, int | np.integer):
        return (_wrap_dim(int(dim), ndim),)
    if len(dim) == 0:
        return None
    dims = tuple(sorted(_wrap_dim(d, ndim) for d in dim))
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims} appears multiple times in the list of dims")
    return dims


def _axes(dims, ndim: int):
    """NumPy ``axis`` for ``dims`` (0-d tensors accept dim 0 / -1 and reduce nothing)."""
    if ndim == 0:
        return None
    return dims


def _unreduce(g, input_shape: tuple, dims, keepdim: bool):
    """Reshape a reduced gradient so it broadcasts against the input (reduced dims back as size 1)."""
    if keepdim or not input_shape:
        return g
    if dims is None:
        return g.reshape((1,) * len(input_shape))
    shape = list(input_shape)
    for d in dims:
        shape[d] = 1
    return g.reshape(tuple(shape))


def _reduced_shape(shape: tuple, dims, keepdim: bool) -> tuple:
    if dims is None:
        return (1,) * len(shape) if keepdim else ()
    if keepdim:
        return tuple(1 if i in dims else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in dims)


# ---------------------------------------------------------------- sum and mean
class Sum(Function):
    """Sum over ``dim`` (all dims when None); the gradient broadcasts back."""

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim, dtype):
        data = x._data
        dims = _dims(dim, data.ndim)
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        if dtype is not None:
            np_dtype = dtypes.to_dtype(dtype).np
        elif data.dtype.kind in "biu":
            np_dtype = np.int64
        else:
            np_dtype = None
        out = data.sum(axis=_axes(dims, data.ndim), keepdims=keepdim, dtype=np_dtype)
        return x._xp().asarray(out)

    @staticmethod
    def backward(ctx, gy):
        return broadcast_to(_unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim), ctx.input_shape)


class SumAll(Sum):
    _backward_name = "SumBackward0"


def sum(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Sum of elements over ``dim`` (int or tuple; all when None).

    >>> saessak.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    if dim is None and not keepdim:
        return SumAll.apply(x, dim=None, keepdim=False, dtype=dtype)
    return Sum.apply(x, dim=dim, keepdim=keepdim, dtype=dtype)


def nansum(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Sum treating NaN as zero."""
    from .pointwise import where
    from .rounding import isnan

    return sum(where(isnan(x), 0.0, x), dim, keepdim)


def sum_to_size(x: Tensor, *size) -> Tensor:
    """Sum ``x`` down to ``size`` (which ``x`` must be expandable from)."""
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], tuple | list) else tuple(size)
    return sum_to(x, size)


def _check_floating(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            f"Got: {_type_word(x)}"
        )


def _type_word(x: Tensor) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(x.dtype.name, x.dtype.name)


class Mean(Function):
    """Mean over ``dim``; the gradient is spread evenly, ``gy / count``."""

    _backward_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim):
        data = x._data
        dims = _dims(dim, data.ndim)
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        ctx.count = data.size if dims is None else int(np.prod([data.shape[d] for d in dims]))
        with np.errstate(invalid="ignore", divide="ignore"):
            out = data.mean(axis=_axes(dims, data.ndim), keepdims=keepdim)
        return x._xp().asarray(out, dtype=data.dtype)

    @staticmethod
    def backward(ctx, gy):
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        return broadcast_to(g / ctx.count, ctx.input_shape)


class MeanAll(Mean):
    _backward_name = "MeanBackward0"


def mean(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Arithmetic mean over ``dim`` (floating dtypes only, as in PyTorch)."""
    if dtype is not None:
        x = x.to(dtype)
    _check_floating(x, "mean")
    if dim is None and not keepdim:
        return MeanAll.apply(x, dim=None, keepdim=False)
    return Mean.apply(x, dim=dim, keepdim=keepdim)


def nanmean(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mean ignoring NaN values."""
    from .rounding import isnan

    not_nan = (~isnan(x)).to(x.dtype)
    return nansum(x, dim, keepdim) / sum(not_nan, dim, keepdim)


# ---------------------------------------------------------------- product
class Prod(Function):
    """Product over ``dim``; the gradient is the product of the other elements (exact with zeros)."""

    _backward_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim, dtype):
        data = x._data
        dims = _dims(dim, data.ndim)
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        np_dtype = dtypes.to_dtype(dtype).np if dtype is not None else (np.int64 if data.dtype.kind in "biu" else None)
        out = x._xp().asarray(data.prod(axis=_axes(dims, data.ndim), keepdims=keepdim, dtype=np_dtype))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        dims, shape = ctx.dims, ctx.input_shape
        g = _unreduce(gy, shape, dims, ctx.keepdim)
        if not x.ndim:
            return g
        # product of the others along the reduced dims = exclusive cumprod from the left times from the right
        flat = x if dims is None else x.movedim(dims, tuple(range(x.ndim - len(dims), x.ndim)))
        lead = flat.shape[: flat.ndim - (len(dims) if dims is not None else x.ndim)]
        flat = flat.reshape(*lead, -1)
        others = _exclusive_cumprod(flat) * _exclusive_cumprod(flat.flip(-1)).flip(-1)
        if dims is None:
            others = others.reshape(shape)
        else:
            moved = tuple(s for i, s in enumerate(shape) if i not in dims) + tuple(shape[d] for d in dims)
            others = others.reshape(moved).movedim(tuple(range(x.ndim - len(dims), x.ndim)), dims)
        return g * others


def _exclusive_cumprod(x: Tensor) -> Tensor:
    """``[1, x0, x0*x1, ...]`` along the last dim."""
    from ..creation import ones
    from .join import cat

    head = ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)
    return cat([head, cumprod(x, -1).narrow(-1, 0, x.shape[-1] - 1)], -1) if x.shape[-1] > 1 else head


class ProdAll(Prod):
    _backward_name = "ProdBackward0"


def prod(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Product of elements over ``dim`` (an int in PyTorch; all when None)."""
    cls = ProdAll if dim is None and not keepdim else Prod
    return cls.apply(x, dim=dim, keepdim=keepdim, dtype=dtype)


# ---------------------------------------------------------------- variance and norms
def _correction(unbiased, correction) -> float:
    if correction is not None:
        return float(correction)
    return 1.0 if unbiased is None or unbiased else 0.0


def var(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Variance over ``dim`` with Bessel's ``correction`` (1 by default: the unbiased estimate)."""
    if isinstance(dim, bool):  # var(x, False): the old positional 'unbiased'
        dim, unbiased = None, dim
    _check_floating(x, "var")
    dims = _dims(dim, x.ndim)
    n = x.numel() if dims is None else int(np.prod([x.shape[d] for d in dims]))
    centered = x - mean(x, dims, keepdim=True)
    return sum(centered * centered, dims, keepdim) / builtins.max(n - _correction(unbiased, correction), 0)


def std(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Standard deviation: the square root of ``var``."""
    from .unary import sqrt

    return sqrt(var(x, dim, unbiased, keepdim, correction=correction))


def var_mean(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:
    """``(var, mean)`` over ``dim``."""
    return var(x, dim, unbiased, keepdim, correction=correction), mean(x, dim, keepdim)


def std_mean(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:
    """``(std, mean)`` over ``dim``."""
    return std(x, dim, unbiased, keepdim, correction=correction), mean(x, dim, keepdim)


class _Norm2(Function):
    """Euclidean norm; the gradient ``gy * x / norm`` is defined as 0 where the norm is 0 (as PyTorch)."""

    _backward_name = "NormBackward1"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        out = x._xp().sqrt((data * data).sum(axis=_axes(dims, data.ndim), keepdims=keepdim))
        out = x._xp().asarray(out, dtype=data.dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        from .pointwise import where

        x, y = ctx.saved_tensors
        y = _unreduce(y, ctx.input_shape, ctx.dims, ctx.keepdim)
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        safe = where(y == 0, 1.0, y)
        return where(y == 0, 0.0, g * x / safe)


def norm(x: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """Vector p-norm over ``dim`` (``'fro'`` and 2 are Euclidean; also 1, inf, -inf, 0 and any p)."""
    from .rounding import abs as _abs

    if dtype is not None:
        x = x.to(dtype)
    _check_floating(x, "linalg.vector_norm")
    dims = _dims(dim, x.ndim)
    if p in ("fro", 2, 2.0, None):
        return _Norm2.apply(x, dims=dims, keepdim=keepdim)
    if p == "nuc":
        from .linalg import _nuclear_norm

        return _nuclear_norm(x, dims, keepdim)
    a = _abs(x)
    if p == float("inf"):
        return amax(a, dims if dims is not None else (), keepdim)
    if p == float("-inf"):
        return amin(a, dims if dims is not None else (), keepdim)
    if p == 0:
        return sum((x != 0).to(x.dtype), dims, keepdim)
    if p == 1:
        return sum(a, dims, keepdim)
    return sum(a**p, dims, keepdim) ** (1.0 / p)


class LogSumExp(Function):
    """``log(sum(exp(x)))`` with the max subtracted first so exp never overflows; gradient is softmax."""

    _backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        xp = x._xp()
        data = x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        axes = _axes(dims, data.ndim)
        m = data.max(axis=axes, keepdims=True) if data.size else xp.zeros((1,) * data.ndim, data.dtype)
        m = xp.where(xp.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            out = xp.log(xp.exp(data - m).sum(axis=axes, keepdims=True)) + m
        if not keepdim:
            out = out.squeeze(axis=axes) if axes is not None else out.reshape(())
        out = xp.asarray(out, dtype=data.dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        from .unary import exp

        x, y = ctx.saved_tensors
        y = _unreduce(y, ctx.input_shape, ctx.dims, ctx.keepdim)
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        return g * exp(x - y)


def logsumexp(x: Tensor, dim, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(x), dim))``, computed stably."""
    if not x.dtype.is_floating_point:
        x = x.to(dtypes.get_default_dtype())
    return LogSumExp.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


# ---------------------------------------------------------------- max and min
class _Extreme(Function):
    """amax/amin: the gradient is shared evenly among the elements that attain the extreme."""

    _backward_name = "AmaxBackward0"
    _reduce = "max"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        if data.size == 0:
            raise IndexError(
                f"{type(ctx).__mro__[1]._reduce}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        out = getattr(data, type(ctx).__mro__[1]._reduce)(axis=_axes(dims, data.ndim), keepdims=keepdim)
        out = x._xp().asarray(out)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        y = _unreduce(y, ctx.input_shape, ctx.dims, ctx.keepdim)
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        hits = (x == y).to(gy.dtype)
        count = sum(hits, ctx.dims, keepdim=True)
        return g * hits / count


class Amax(_Extreme):
    _backward_name = "AmaxBackward0"
    _reduce = "max"


class Amin(_Extreme):
    _backward_name = "AminBackward0"
    _reduce = "min"


class MaxAll(_Extreme):
    _backward_name = "MaxBackward1"
    _reduce = "max"


class MinAll(_Extreme):
    _backward_name = "MinBackward1"
    _reduce = "min"


def amax(x: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Largest value over ``dim`` (all dims for ``()``); ties share the gradient."""
    return Amax.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def amin(x: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Smallest value over ``dim``; ties share the gradient."""
    return Amin.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def _return_type(name: str, fields=("values", "indices")):
    base = namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    return type(name, (base,), {"__repr__": __repr__, "__slots__": (), "__module__": "torch.return_types"})


max_result = _return_type("max")
min_result = _return_type("min")


class _SelectAlong(Function):
    """``max``/``min`` with a dim: values and indices; the gradient goes to the chosen index only."""

    _backward_name = "MaxBackward0"
    _pick = "argmax"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim):
        xp = x._xp()
        data = x._data
        if data.ndim == 0:
            return data.copy(), xp.zeros((), dtype=np.int64)
        if data.shape[dim] == 0:
            raise IndexError(
                f"max(): Expected reduction dim {dim} to have non-zero size."
            )
        index = getattr(data, type(ctx).__mro__[1]._pick)(axis=dim, keepdims=True)
        values = xp.take_along_axis(data, index, axis=dim)
        ctx.input_shape, ctx.dim, ctx.keepdim = data.shape, dim, keepdim
        ctx.index = index
        if not keepdim:
            values, index = values.squeeze(dim), index.squeeze(dim)
        return values, index.astype(np.int64)

    @staticmethod
    def backward(ctx, gy, g_index):
        from ..creation import zeros
        from .scatter import scatter

        if not ctx.input_shape:
            return gy
        g = gy if ctx.keepdim else gy.unsqueeze(ctx.dim)
        index = Tensor._make(ctx.index.astype(np.int64))
        return scatter(zeros(*ctx.input_shape, dtype=gy.dtype, device=gy.device), ctx.dim, index, g)


class MaxDim(_SelectAlong):
    _backward_name = "MaxBackward0"
    _pick = "argmax"


class MinDim(_SelectAlong):
    _backward_name = "MinBackward0"
    _pick = "argmin"


def max(x: Tensor, dim=None, keepdim: bool = False):
    """The largest value; with ``dim``, a ``(values, indices)`` named tuple; with a tensor, ``maximum``."""
    if isinstance(dim, Tensor):
        from .pointwise import maximum

        return maximum(x, dim)
    if dim is None:
        return MaxAll.apply(x, dims=None, keepdim=False)
    values, indices = MaxDim.apply(x, dim=_wrap_dim(dim, x.ndim), keepdim=keepdim)
    return max_result(values, indices)


def min(x: Tensor, dim=None, keepdim: bool = False):
    """The smallest value; with ``dim``, a ``(values, indices)`` named tuple; with a tensor, ``minimum``."""
    if isinstance(dim, Tensor):
        from .pointwise import minimum

        return minimum(x, dim)
    if dim is None:
        return MinAll.apply(x, dims=None, keepdim=False)
    values, indices = MinDim.apply(x, dim=_wrap_dim(dim, x.ndim), keepdim=keepdim)
    return min_result(values, indices)


def _arg(x: Tensor, dim, keepdim: bool, name: str) -> Tensor:
    data = x._data
    if data.size == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if dim is None:
        out = getattr(data.reshape(-1), name)()
        if keepdim:
            out = x._xp().asarray(out).reshape((1,) * data.ndim)
        return Tensor._make(x._xp().asarray(out, dtype=np.int64))
    d = _wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        return Tensor._make(x._xp().zeros((), dtype=np.int64))
    return Tensor._make(getattr(data, name)(axis=d, keepdims=keepdim).astype(np.int64))


def argmax(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (of the flattened tensor when ``dim`` is None)."""
    return _arg(x, dim, keepdim, "argmax")


def argmin(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value."""
    return _arg(x, dim, keepdim, "argmin")


# ---------------------------------------------------------------- logical reductions
def all(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where every element over ``dim`` is nonzero."""
    dims = _dims(dim, x.ndim)
    return Tensor._make(x._xp().asarray(x._data.astype(bool).all(axis=_axes(dims, x.ndim), keepdims=keepdim)))


def any(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where some element over ``dim`` is nonzero."""
    dims = _dims(dim, x.ndim)
    return Tensor._make(x._xp().asarray(x._data.astype(bool).any(axis=_axes(dims, x.ndim), keepdims=keepdim)))


def count_nonzero(x: Tensor, dim=None) -> Tensor:
    """Number of nonzero elements over ``dim``."""
    dims = _dims(dim, x.ndim)
    out = (x._data != 0).sum(axis=_axes(dims, x.ndim))
    return Tensor._make(x._xp().asarray(out, dtype=np.int64))


# ---------------------------------------------------------------- cumulative
class CumSum(Function):
    """Running sum along ``dim``; the gradient is the reversed running sum of the gradient."""

    _backward_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, dtype):
        ctx.dim = dim
        data = x._data
        np_dtype = dtype.np if dtype is not None else (np.int64 if data.dtype.kind in "biu" else data.dtype)
        if data.ndim == 0:
            return data.astype(np_dtype)
        return data.cumsum(axis=dim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, gy):
        if not gy.ndim:
            return gy
        return cumsum(gy.flip(ctx.dim), ctx.dim).flip(ctx.dim)


def cumsum(x: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative sum along ``dim``."""
    return CumSum.apply(x, dim=_wrap_dim(dim, x.ndim), dtype=dtypes.to_dtype(dtype) if dtype is not None else None)


class CumProd(Function):
    """Running product along ``dim``; the gradient is computed without dividing (exact with zeros)."""

    _backward_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, dtype):
        ctx.dim = dim
        data = x._data
        np_dtype = dtype.np if dtype is not None else (np.int64 if data.dtype.kind in "biu" else data.dtype)
        ctx.save_for_backward(x)
        if data.ndim == 0:
            return data.astype(np_dtype)
        return data.cumprod(axis=dim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        if not x.ndim:
            return gy
        d = ctx.dim
        n = x.shape[d]
        # d out_j / d x_i = prod_{k<=j, k!=i} x_k for j >= i: build it from an n x n mask of products (O(n^2), n small)
        xm = x.movedim(d, -1)
        g = gy.movedim(d, -1)
        from ..creation import ones

        eye_mask = Tensor._make(np.eye(n, dtype=bool))
        expanded = xm.unsqueeze(-2).expand(*xm.shape[:-1], n, n)  # [..., i, k] = x_k
        from .pointwise import where

        replaced = where(eye_mask, ones(1, dtype=x.dtype), expanded)  # x with x_i replaced by 1, per row i
        prods = cumprod(replaced, -1)  # [..., i, j] = prod_{k<=j, k!=i} x_k
        upper = Tensor._make(np.triu(np.ones((n, n), dtype=x._data.dtype)))  # keep j >= i
        grad = ((prods * upper) * g.unsqueeze(-2)).sum(-1)
        return grad.movedim(-1, d)


def cumprod(x: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative product along ``dim``."""
    return CumProd.apply(x, dim=_wrap_dim(dim, x.ndim), dtype=dtypes.to_dtype(dtype) if dtype is not None else None)
