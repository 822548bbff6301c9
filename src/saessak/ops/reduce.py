"""Reductions over dimensions: sums, means, products, variance, norms, logsumexp and the logical ones.

Every reduction takes ``dim`` (None for all, an int, or a tuple) and ``keepdim``. Its backward first puts
the reduced dims back as size 1 (``_unreduce``), then broadcasts. The max/min family lives in
``extrema.py``, running sums and products in ``cumulative.py``.
"""

from __future__ import annotations

import builtins
import warnings
from collections import namedtuple

import numpy as np

from .. import dtypes
from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ._broadcast import broadcast_to, sum_to

_DTYPE_WORDS = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


# ---------------------------------------------------------------- shared by every reduction
def _dims(dim, ndim: int) -> tuple | None:
    """Normalise ``dim`` (None, int or sequence) to a sorted tuple of non-negative dims (None: all)."""
    if dim is None:
        return None
    if isinstance(dim, int | np.integer):
        return (_wrap_dim(int(dim), ndim),)
    if len(dim) == 0:
        return None
    dims = tuple(sorted(_wrap_dim(d, ndim) for d in dim))
    for a, b in zip(dims, dims[1:]):
        if a == b:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return dims


def _axes(dims, ndim: int):
    """NumPy ``axis`` for ``dims`` (0-d tensors accept dim 0 / -1 and reduce nothing)."""
    return None if ndim == 0 else dims


def _count(shape: tuple, dims) -> int:
    """How many elements each output element reduces over."""
    if dims is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[d] for d in dims], dtype=np.int64)) if shape else 1


def _unreduce(g, input_shape: tuple, dims, keepdim: bool):
    """Reshape a reduced gradient so it broadcasts against the input (reduced dims back as size 1)."""
    if keepdim or not input_shape:
        return g
    return g.reshape(_reduced_shape(input_shape, dims, True))


def _reduced_shape(shape: tuple, dims, keepdim: bool) -> tuple:
    if dims is None:
        return (1,) * len(shape) if keepdim else ()
    if keepdim:
        return tuple(1 if i in dims else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in dims)


def _type_word(x: Tensor) -> str:
    """PyTorch's word for a dtype in error messages (Long, Int, Bool...)."""
    return _DTYPE_WORDS.get(x.dtype.name, x.dtype.name)


def _return_type(name: str, fields=("values", "indices")):
    """A named tuple printed as ``torch.return_types.<name>(values=..., indices=...)``, one field a line."""
    base = namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    return type(name, (base,), {"__repr__": __repr__, "__slots__": (), "__module__": "torch.return_types"})


def _as_array(out, xp, dtype=None):
    # full reductions give NumPy scalars; outputs must be arrays
    return xp.asarray(out, dtype=dtype) if dtype is not None or type(out) is not np.ndarray else out


# ---------------------------------------------------------------- sums
class Sum(Function):
    """Sum over ``dims`` (all when None); the gradient broadcasts back."""

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        # integers and bools add up in int64, as in PyTorch
        out = data.sum(axis=_axes(dims, data.ndim), keepdims=keepdim,
                       dtype=np.int64 if data.dtype.kind in "biu" else None)
        return _as_array(out, x._xp())

    @staticmethod
    def backward(ctx, gy):
        return broadcast_to(_unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim), ctx.input_shape)


class SumAll(Sum):
    _backward_name = "SumBackward0"


def _cast(x: Tensor, dtype) -> Tensor:
    return x if dtype is None or dtypes.to_dtype(dtype) == x.dtype else x.to(dtypes.to_dtype(dtype))


def sum(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Sum of elements over ``dim`` (int or tuple; all when None). Integers and bools sum to int64.

    >>> saessak.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    x = _cast(x, dtype)
    if dim is None and not keepdim:
        return SumAll.apply(x, dims=None, keepdim=False)
    return Sum.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


class NanSum(Function):
    """Sum with NaN counted as zero; NaN positions get no gradient."""

    _backward_name = "NansumBackward0"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        xp, data = x._xp(), x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        ctx.nan = None
        if data.dtype.kind in "fc":
            ctx.nan = xp.isnan(data)
            data = xp.where(ctx.nan, 0, data)
        out = data.sum(axis=_axes(dims, data.ndim), keepdims=keepdim,
                       dtype=np.int64 if data.dtype.kind in "biu" else None)
        return _as_array(out, xp)

    @staticmethod
    def backward(ctx, gy):
        from .pointwise import where

        g = broadcast_to(_unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim), ctx.input_shape)
        return where(Tensor._make(ctx.nan), 0.0, g)


def nansum(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Sum treating NaN as zero.

    >>> saessak.tensor([1.0, float('nan'), 2.0]).nansum()
    tensor(3.)
    """
    x = _cast(x, dtype)
    return NanSum.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def sum_to_size(x: Tensor, *size) -> Tensor:
    """Sum ``x`` down to ``size``, which ``x`` must be expandable from (the reverse of ``expand``).

    >>> saessak.ones(2, 3).sum_to_size(1, 3)
    tensor([[2., 2., 2.]])
    """
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], tuple | list) else tuple(size)
    shape = tuple(x.shape)
    lead = len(shape) - len(size)
    if lead < 0 or builtins.any(s not in (1, n) for s, n in zip(size, shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    return sum_to(x, size)


# ---------------------------------------------------------------- means
def _check_floating(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            f"Got: {_type_word(x)}"
        )


class Mean(Function):
    """Mean over ``dims``; the gradient is spread evenly, ``gy / count``."""

    _backward_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        ctx.count = _count(data.shape, dims)
        with np.errstate(invalid="ignore", divide="ignore"):  # the mean of nothing is NaN, as in PyTorch
            out = data.sum(axis=_axes(dims, data.ndim), keepdims=keepdim) / ctx.count
        return _as_array(out, x._xp(), data.dtype)

    @staticmethod
    def backward(ctx, gy):
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        return broadcast_to(g / ctx.count, ctx.input_shape)


class MeanAll(Mean):
    _backward_name = "MeanBackward0"


def mean(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Arithmetic mean over ``dim`` (floating dtypes only, as in PyTorch: pass ``dtype`` for integers).

    >>> saessak.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(1)
    tensor([1.5000, 3.5000])
    """
    x = _cast(x, dtype)
    _check_floating(x, "mean")
    if dim is None and not keepdim:
        return MeanAll.apply(x, dims=None, keepdim=False)
    return Mean.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def nanmean(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mean of the non-NaN elements.

    >>> saessak.tensor([1.0, float('nan'), 3.0]).nanmean()
    tensor(2.)
    """
    from .rounding import isnan

    x = _cast(x, dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_type_word(x)}; convert it first, e.g. x.float()")
    return nansum(x, dim, keepdim) / sum(~isnan(x), dim, keepdim)


# ---------------------------------------------------------------- products
class Prod(Function):
    """Product over ``dims``; the gradient is the product of the other elements (exact with zeros)."""

    _backward_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        out = data.prod(axis=_axes(dims, data.ndim), keepdims=keepdim,
                        dtype=np.int64 if data.dtype.kind in "biu" else None)
        out = _as_array(out, x._xp())
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        if not x.ndim:
            return g
        if not (x._data == 0).any():
            return g * _unreduce(y, ctx.input_shape, ctx.dims, ctx.keepdim) / x
        return g * _product_of_others(x, ctx.dims)


class ProdAll(Prod):
    _backward_name = "ProdBackward0"


def _product_of_others(x: Tensor, dims) -> Tensor:
    """For each element, the product of the other elements of its reduced group (no division: zeros are fine)."""
    from .cumulative import _exclusive_cumprod

    ndim = x.ndim
    dims = tuple(range(ndim)) if dims is None else dims
    tail = tuple(range(ndim - len(dims), ndim))
    moved = x.movedim(dims, tail)
    flat = moved.reshape(*moved.shape[: ndim - len(dims)], -1)
    # left-exclusive product times right-exclusive product
    others = _exclusive_cumprod(flat) * _exclusive_cumprod(flat.flip(-1)).flip(-1)
    return others.reshape(moved.shape).movedim(tail, dims)


def prod(x: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Product of elements over ``dim`` (all when None). Integers and bools multiply in int64.

    >>> saessak.tensor([[1, 2], [3, 4]]).prod(1)
    tensor([ 2, 12])
    """
    x = _cast(x, dtype)
    if dim is None and not keepdim:
        return ProdAll.apply(x, dims=None, keepdim=False)
    return Prod.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


# ---------------------------------------------------------------- variance and standard deviation
class Var(Function):
    """Variance with Bessel's ``correction``; ``gx = gy * 2 (x - mean) / (n - correction)``.

    Subclasses take the square root (std) and/or also return the mean (``var_mean``, ``std_mean``).
    """

    _backward_name = "VarBackward0"
    _root = False
    _with_mean = False

    @staticmethod
    def forward(ctx, x, *, dims, keepdim, correction):
        xp, data = x._xp(), x._data
        axes = _axes(dims, data.ndim)
        n = _count(data.shape, dims)
        ctx.input_shape, ctx.dims, ctx.keepdim, ctx.n = data.shape, dims, keepdim, n
        ctx.divisor = builtins.max(n - correction, 0)
        if ctx.divisor == 0:
            name = "std" if ctx._root else "var"
            warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                          f"reduction factor (input numel divided by output numel).", UserWarning, stacklevel=4)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = data.sum(axis=axes, keepdims=True) / n
            centered = data - centre
            out = (centered * centered).sum(axis=axes, keepdims=keepdim) / ctx.divisor
            if ctx._root:
                out = xp.sqrt(out)
        out = _as_array(out, xp, data.dtype)
        ctx.save_for_backward(x, out)
        if not ctx._with_mean:
            return out
        return out, _as_array(centre.reshape(_reduced_shape(data.shape, dims, keepdim)), xp, data.dtype)

    @staticmethod
    def backward(ctx, gy, gmean=None):
        from .pointwise import where

        x, y = ctx.saved_tensors
        shape, dims, keepdim = ctx.input_shape, ctx.dims, ctx.keepdim
        g = _unreduce(gy, shape, dims, keepdim)
        scale = 2.0 / ctx.divisor if ctx.divisor else float("inf")
        if ctx._root:  # d std = d var / (2 std), taken as 0 where std is 0 (as PyTorch)
            y = _unreduce(y, shape, dims, keepdim)
            zero = y == 0
            g = where(zero, 0.0, g / where(zero, 1.0, y)) * 0.5
        gx = g * (x - mean(x, dims, keepdim=True)) * scale
        if gmean is not None:
            gx = gx + _unreduce(gmean, shape, dims, keepdim) / ctx.n
        return gx


class Std(Var):
    _backward_name = "StdBackward0"
    _root = True


class VarMean(Var):
    _backward_name = "VarMeanBackward0"
    _with_mean = True


class StdMean(Var):
    _backward_name = "StdMeanBackward0"
    _root = True
    _with_mean = True


def _moments(cls, x: Tensor, dim, unbiased, keepdim: bool, correction):
    if isinstance(dim, bool):  # var(x, False): the old positional 'unbiased'
        dim, unbiased = None, dim
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"std and var only support floating point and complex dtypes, got {_type_word(x)}; "
                           f"convert the input first, e.g. x.float()")
    if correction is None:
        correction = 1.0 if unbiased is None or unbiased else 0.0
    return cls.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim, correction=float(correction))


def var(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Variance over ``dim``, dividing by ``n - correction`` (1 by default: the unbiased estimate).

    >>> saessak.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)
    """
    return _moments(Var, x, dim, unbiased, keepdim, correction)


def std(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Standard deviation over ``dim``: the square root of ``var``.

    >>> saessak.tensor([1.0, 2.0, 3.0, 4.0]).std()
    tensor(1.2910)
    """
    return _moments(Std, x, dim, unbiased, keepdim, correction)


def var_mean(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:
    """``(var, mean)`` over ``dim`` in one pass.

    >>> saessak.var_mean(saessak.tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))
    """
    return _moments(VarMean, x, dim, unbiased, keepdim, correction)


def std_mean(x: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:
    """``(std, mean)`` over ``dim`` in one pass.

    >>> saessak.std_mean(saessak.tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))
    """
    return _moments(StdMean, x, dim, unbiased, keepdim, correction)


# ---------------------------------------------------------------- norms
class VectorNorm(Function):
    """``(sum |x|**p) ** (1/p)`` over ``dims``, with p = 2, 1, 0, inf, -inf or any other number.

    Gradient as PyTorch: 0 where the norm is 0, and split evenly among the ties of the inf-norms.
    """

    _backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, *, p, dims, keepdim):
        xp, data = x._xp(), x._data
        axes = _axes(dims, data.ndim)
        ctx.input_shape, ctx.dims, ctx.keepdim, ctx.p = data.shape, dims, keepdim, p
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 2:
                out = xp.sqrt((data * data).sum(axis=axes, keepdims=keepdim))
            elif p == 1:
                out = xp.abs(data).sum(axis=axes, keepdims=keepdim)
            elif p == 0:
                out = (data != 0).sum(axis=axes, keepdims=keepdim)
            elif np.isinf(p):
                if data.size == 0:
                    raise RuntimeError("linalg.vector_norm cannot compute the inf norm on an empty tensor because "
                                       "the operation does not have an identity")
                magnitude = xp.abs(data)
                out = magnitude.max(axis=axes, keepdims=keepdim) if p > 0 else magnitude.min(axis=axes,
                                                                                             keepdims=keepdim)
            else:
                out = (xp.abs(data) ** p).sum(axis=axes, keepdims=keepdim) ** (1.0 / p)
        out = _as_array(out, xp, data.dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        from ..creation import zeros_like
        from .pointwise import where
        from .rounding import abs as _abs
        from .rounding import sign

        x, y = ctx.saved_tensors
        p, shape, dims = ctx.p, ctx.input_shape, ctx.dims
        g = _unreduce(gy, shape, dims, ctx.keepdim)
        if p == 0:
            return zeros_like(x)
        if p == 1:
            return g * sign(x)
        y = _unreduce(y, shape, dims, ctx.keepdim)
        if np.isinf(p):
            hits = (_abs(x) == y).to(x.dtype)
            return sign(x) * hits * (g / sum(hits, dims, keepdim=True))
        if not (y._data == 0).any():  # the usual case: no masking needed
            return g * x / y if p == 2 else g * sign(x) * (_abs(x) / y) ** (p - 1)
        zero = y == 0
        safe = where(zero, 1.0, y)
        if p == 2:
            return where(zero, 0.0, g * x / safe)
        return where(zero, 0.0, g * sign(x) * (_abs(x) / safe) ** (p - 1))


def norm(x: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """Vector p-norm over ``dim`` (all elements when None): ``'fro'`` and 2 are Euclidean; also 1, inf,
    -inf, 0 and any other p; ``'nuc'`` is the nuclear norm of a matrix.

    >>> saessak.tensor([3.0, 4.0]).norm()
    tensor(5.)
    """
    x = _cast(x, dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {_type_word(x)}; convert it first, e.g. x.float()")
    dims = _dims(dim, x.ndim)
    if p == "nuc":
        from .decomp import _nuclear_norm

        return _nuclear_norm(x, dims if dims is not None else (0, 1), keepdim)
    if p == "fro" and dim is not None and not isinstance(dim, int) and len(dim) > 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}; for the Euclidean norm of "
                           f"more dims use p=2")
    if p in ("fro", None):
        p = 2
    if isinstance(p, str):
        raise RuntimeError(f"norm(): unknown p {p!r}; use a number, 'fro' or 'nuc'")
    return VectorNorm.apply(x, p=float(p), dims=dims, keepdim=keepdim)


# ---------------------------------------------------------------- logsumexp
class LogSumExp(Function):
    """``log(sum(exp(x)))`` with the max subtracted first so exp never overflows; the gradient is softmax."""

    _backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        xp, data = x._xp(), x._data
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        axes = _axes(dims, data.ndim)
        m = data.max(axis=axes, keepdims=True) if data.size else xp.zeros((1,) * data.ndim, data.dtype)
        m = xp.where(xp.isfinite(m), m, 0)  # all -inf (or inf) groups: subtracting them would give NaN
        with np.errstate(divide="ignore"):
            out = xp.log(xp.exp(data - m).sum(axis=axes, keepdims=True)) + m
        out = _as_array(out.reshape(_reduced_shape(data.shape, dims, keepdim)), xp, data.dtype)
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
    """``log(sum(exp(x), dim))``, computed stably (integers become the default float dtype).

    >>> saessak.tensor([1000.0, 1000.0]).logsumexp(0)
    tensor(1000.6932)
    """
    if not x.dtype.is_floating_point:
        x = x.to(dtypes.get_default_dtype())
    return LogSumExp.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


# ---------------------------------------------------------------- logical reductions
def _logical(x: Tensor, dim, keepdim: bool, reduce: str) -> Tensor:
    data = x._data
    out = getattr(data, reduce)(axis=_axes(_dims(dim, data.ndim), data.ndim), keepdims=keepdim)
    # uint8 in, uint8 out: PyTorch keeps the old byte-mask convention
    return Tensor._make(_as_array(out, x._xp(), np.uint8 if data.dtype == np.uint8 else bool))


def all(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where every element over ``dim`` is nonzero.

    >>> saessak.tensor([[1, 0], [2, 3]]).all(1)
    tensor([False,  True])
    """
    return _logical(x, dim, keepdim, "all")


def any(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where some element over ``dim`` is nonzero.

    >>> saessak.tensor([[1, 0], [0, 0]]).any(1)
    tensor([ True, False])
    """
    return _logical(x, dim, keepdim, "any")


def count_nonzero(x: Tensor, dim=None) -> Tensor:
    """Number of nonzero elements over ``dim`` (int64).

    >>> saessak.tensor([[0, 1], [2, 3]]).count_nonzero(0)
    tensor([1, 2])
    """
    out = (x._data != 0).sum(axis=_axes(_dims(dim, x.ndim), x.ndim))
    return Tensor._make(_as_array(out, x._xp(), np.int64))
