"""Piecewise ops of one tensor: abs, sign, rounding, and the nan/inf tests and replacement.

These keep integer dtypes (``abs(int) -> int``); rounding and ``sign`` have zero gradient, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .inplace import _needs_graph, apply_inplace


def _zeros_like(gy: Tensor) -> Tensor:
    return Tensor._make(gy._xp().zeros_like(gy._data))


def _not_implemented(op: str, x: Tensor) -> NotImplementedError:
    kind = {"b": "Bool", "i": "Long", "u": "Byte", "f": "Float"}[x._data.dtype.kind]
    return NotImplementedError(f'"{op}" not implemented for \'{kind}\' (got a {x.dtype} tensor of shape '
                               f"{list(x.shape)}; convert it with .float() first)")


def _inplace(x: Tensor, op, ufunc: str | None = None, **kwargs) -> Tensor:
    """``op`` written into ``x``; without a graph to record, a float ``ufunc`` writes straight into ``x``."""
    a = x._data
    if ufunc is not None and a.dtype.kind == "f" and a.flags.writeable and not _needs_graph(x):
        with np.errstate(all="ignore"):
            getattr(x._xp(), ufunc)(a, out=a)
        x._vc[0] += 1
        return x
    return apply_inplace(x, op(x, **kwargs))


# ---------------------------------------------------------------- magnitude, sign and rounding
class Abs(Function):
    """``|x|``; the gradient at 0 is 0."""

    _backward_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._xp().abs(x._data)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * sign(x)


class _ZeroGrad(Function):
    """Piecewise-constant ops: the gradient is zero everywhere it exists."""

    @staticmethod
    def backward(ctx, gy):
        return _zeros_like(gy)


class Sign(_ZeroGrad):
    """-1, 0 or 1 by the sign of ``x`` (0 for nan, as PyTorch)."""

    _backward_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        if a.dtype.kind == "b":
            return a.copy()
        y = x._xp().sign(a)
        if a.dtype.kind == "f":
            y[y != y] = 0
        return y


class Floor(_ZeroGrad):
    """Largest integer not above ``x``."""

    _backward_name = "FloorBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        return x._xp().floor(a) if a.dtype.kind == "f" else a.copy()


class Ceil(_ZeroGrad):
    """Smallest integer not below ``x``."""

    _backward_name = "CeilBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        return x._xp().ceil(a) if a.dtype.kind == "f" else a.copy()


class Trunc(_ZeroGrad):
    """``x`` rounded toward zero."""

    _backward_name = "TruncBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        return x._xp().trunc(a) if a.dtype.kind == "f" else a.copy()


class Round(_ZeroGrad):
    """``x`` rounded to the nearest integer, halves to even."""

    _backward_name = "RoundBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        return x._xp().rint(a) if a.dtype.kind == "f" else a.copy()


class RoundDecimals(_ZeroGrad):
    """``x`` rounded to ``decimals`` decimal places (negative: to tens, hundreds...)."""

    _backward_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, *, decimals):
        xp, a = x._xp(), x._data
        scale = a.dtype.type(10.0 ** (decimals if decimals > 0 else -decimals))
        with np.errstate(over="ignore", invalid="ignore"):
            if decimals > 0:
                return xp.rint(a * scale) / scale
            return xp.rint(a / scale) * scale


class Frac(Function):
    """``x - trunc(x)``: the fractional part, with the sign of ``x``."""

    _backward_name = "FracBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        return a - x._xp().trunc(a)

    @staticmethod
    def backward(ctx, gy):
        return gy


# ---------------------------------------------------------------- nan and inf
class NanToNum(Function):
    """nan, +inf and -inf replaced by numbers; the gradient flows only through finite elements."""

    _backward_name = "NanToNumBackward0"

    @staticmethod
    def forward(ctx, x, *, nan, posinf, neginf):
        ctx.save_for_backward(x)
        a = x._data
        if a.dtype.kind != "f":
            return a.copy()
        return x._xp().nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * isfinite(x)


def isnan(x: Tensor) -> Tensor:
    """True where ``x`` is nan."""
    return Tensor._make(x._xp().isnan(x._data))


def isinf(x: Tensor) -> Tensor:
    """True where ``x`` is +inf or -inf."""
    return Tensor._make(x._xp().isinf(x._data))


def isfinite(x: Tensor) -> Tensor:
    """True where ``x`` is neither nan nor infinite."""
    return Tensor._make(x._xp().isfinite(x._data))


def isposinf(x: Tensor) -> Tensor:
    """True where ``x`` is +inf."""
    a = x._data
    return Tensor._make(x._xp().isinf(a) & (a > 0))


def isneginf(x: Tensor) -> Tensor:
    """True where ``x`` is -inf."""
    a = x._data
    return Tensor._make(x._xp().isinf(a) & (a < 0))


def signbit(x: Tensor) -> Tensor:
    """True where the sign bit of ``x`` is set (negative numbers and ``-0.0``)."""
    return Tensor._make(x._xp().signbit(x._data))


def nan_to_num(
    x: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """``x`` with nan -> ``nan``, +inf -> ``posinf`` and -inf -> ``neginf`` (default: the dtype's extremes).

    >>> saessak.nan_to_num(saessak.tensor([float('nan'), float('inf'), 1.0]))   # [0., 3.4028e+38, 1.]
    """
    return NanToNum.apply(x, nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------- public functions
def abs(x: Tensor) -> Tensor:
    """``|x|`` elementwise (integers stay integers).

    >>> saessak.abs(saessak.tensor([-1, 2]))   # tensor([1, 2])
    """
    if x._data.dtype.kind == "b":
        raise _not_implemented("abs_cpu", x)
    return Abs.apply(x)


absolute = abs


def sign(x: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of each element (dtype kept)."""
    return Sign.apply(x)


sgn = sign


def floor(x: Tensor) -> Tensor:
    """Round down elementwise (integers are returned unchanged)."""
    if x._data.dtype.kind == "b":
        raise _not_implemented("floor", x)
    return Floor.apply(x)


def ceil(x: Tensor) -> Tensor:
    """Round up elementwise (integers are returned unchanged)."""
    if x._data.dtype.kind == "b":
        raise _not_implemented("ceil", x)
    return Ceil.apply(x)


def trunc(x: Tensor) -> Tensor:
    """Round toward zero elementwise (integers are returned unchanged)."""
    if x._data.dtype.kind == "b":
        raise _not_implemented("trunc", x)
    return Trunc.apply(x)


fix = trunc


def round(x: Tensor, *, decimals: int = 0) -> Tensor:
    """Round to the nearest integer, halves to even; with ``decimals``, to that many decimal places.

    >>> saessak.round(saessak.tensor([0.5, 1.5, 1.2345]), decimals=2)   # tensor([0.5000, 1.5000, 1.2300])
    """
    if x._data.dtype.kind == "b" or decimals != 0 and x._data.dtype.kind != "f":
        raise _not_implemented("round_cpu", x)
    if decimals == 0:
        return Round.apply(x)
    return RoundDecimals.apply(x, decimals=int(decimals))


def frac(x: Tensor) -> Tensor:
    """The fractional part ``x - trunc(x)`` elementwise (floating tensors only)."""
    if x._data.dtype.kind != "f":
        raise _not_implemented("frac_cpu", x)
    return Frac.apply(x)


# ---------------------------------------------------------------- in-place variants
def abs_(x: Tensor) -> Tensor:
    """In-place ``abs``."""
    return _inplace(x, abs, "abs")


def floor_(x: Tensor) -> Tensor:
    """In-place ``floor``."""
    return _inplace(x, floor, "floor")


def ceil_(x: Tensor) -> Tensor:
    """In-place ``ceil``."""
    return _inplace(x, ceil, "ceil")


def trunc_(x: Tensor) -> Tensor:
    """In-place ``trunc``."""
    return _inplace(x, trunc, "trunc")


def round_(x: Tensor, *, decimals: int = 0) -> Tensor:
    """In-place ``round``."""
    return _inplace(x, round, "rint" if decimals == 0 else None, decimals=decimals)


def nan_to_num_(
    x: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """In-place ``nan_to_num``."""
    return apply_inplace(x, nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf))
