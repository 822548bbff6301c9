"""Elementwise math of one tensor: exponentials, logarithms, roots, trigonometry, activations, erf.

Transcendental ops of integer or bool tensors compute in the default float dtype (``exp(int) -> float32``);
``relu`` keeps integer dtypes. Every backward is written with saessak ops, so higher-order gradients work.
This module is the one door to elementwise math: it re-exports the piecewise ops (``abs``, ``sign``,
rounding, nan/inf tests) of ``ops/rounding.py`` and the ops of several tensors (``where``, ``clamp``,
``maximum``, ``lerp``, ``atan2``...) of ``ops/pointwise.py``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state
from . import _special
from .inplace import _needs_graph, apply_inplace
from .pointwise import (  # noqa: F401  (re-exported: Tensor methods reach them through this module)
    arctan2,
    atan2,
    clamp,
    clamp_,
    clamp_max,
    clamp_min,
    clip,
    clip_,
    fmax,
    fmin,
    lerp,
    lerp_,
    maximum,
    minimum,
    where,
)
from .rounding import (  # noqa: F401  (re-exported, as above)
    _inplace,
    abs,
    abs_,
    absolute,
    ceil,
    ceil_,
    fix,
    floor,
    floor_,
    frac,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    nan_to_num,
    nan_to_num_,
    round,
    round_,
    sgn,
    sign,
    signbit,
    trunc,
    trunc_,
)

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_HALF_SQRT_PI = math.sqrt(math.pi) / 2.0


def _float_data(x: Tensor):
    """``x``'s array, cast to the default float dtype when it holds integers or bools."""
    a = x._data
    return a if a.dtype.kind in "fc" else a.astype(dtypes.get_default_dtype().np)


# ---------------------------------------------------------------- exponentials and logarithms
class Exp(Function):
    """``e ** x``."""

    _backward_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):
            y = x._xp().exp(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y


class Exp2(Function):
    """``2 ** x``."""

    _backward_name = "Exp2Backward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):
            y = x._xp().exp2(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y * _LN2


class Expm1(Function):
    """``e ** x - 1``, accurate for small ``x``."""

    _backward_name = "Expm1Backward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):
            y = x._xp().expm1(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y + 1.0)


class _LogBase(Function):
    """``log(x) / log(base)``; the subclasses pick the base."""

    _ufunc = "log"
    _scale = 1.0

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return getattr(x._xp(), cls._ufunc)(_float_data(x))

    @classmethod
    def backward(cls, ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (x * cls._scale) if cls._scale != 1.0 else gy / x


class Log(_LogBase):
    """Natural logarithm."""

    _backward_name = "LogBackward0"


class Log2(_LogBase):
    """Base-2 logarithm."""

    _backward_name = "Log2Backward0"
    _ufunc, _scale = "log2", _LN2


class Log10(_LogBase):
    """Base-10 logarithm."""

    _backward_name = "Log10Backward0"
    _ufunc, _scale = "log10", _LN10


class Log1p(Function):
    """``log(1 + x)``, accurate for small ``x``."""

    _backward_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return x._xp().log1p(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (x + 1.0)


class Sqrt(Function):
    """``x ** 0.5``; its derivative at 0 is inf, as in PyTorch."""

    _backward_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            y = x._xp().sqrt(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy / (y * 2.0)


class Rsqrt(Function):
    """``x ** -0.5``."""

    _backward_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = 1.0 / x._xp().sqrt(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y * y * y) * -0.5


class Reciprocal(Function):
    """``1 / x``."""

    _backward_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore"):
            y = 1.0 / _float_data(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y * y) * -1.0


# ---------------------------------------------------------------- trigonometric and hyperbolic
class Sin(Function):
    """Sine."""

    _backward_name = "SinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._xp().sin(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * cos(x)


class Cos(Function):
    """Cosine."""

    _backward_name = "CosBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._xp().cos(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * sin(x) * -1.0


class Tan(Function):
    """Tangent."""

    _backward_name = "TanBackward0"

    @staticmethod
    def forward(ctx, x):
        y = x._xp().tan(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y * y + 1.0)


class Tanh(Function):
    """Hyperbolic tangent."""

    _backward_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        y = x._xp().tanh(_float_data(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        if not state.enabled:  # a plain backward: no graph for the gradient, so the fused expression directly
            yd = ctx._saved_output_data()
            return Tensor._make(gy._data * (1.0 - yd * yd))
        (y,) = ctx.saved_tensors
        return TanhGrad.apply(gy, y)


class TanhGrad(Function):
    """tanh's gradient ``gy * (1 - y^2)`` as one fused op (its own backward makes double backward work)."""

    _backward_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, gy, y):
        ctx.save_for_backward(gy, y)
        yd = y._data
        return gy._data * (1.0 - yd * yd)

    @staticmethod
    def backward(ctx, g):
        gy, y = ctx.saved_tensors
        g_gy = TanhGrad.apply(g, y) if ctx.needs_input_grad[0] else None
        g_y = g * gy * (-2.0 * y) if ctx.needs_input_grad[1] else None
        return g_gy, g_y


class Sinh(Function):
    """Hyperbolic sine."""

    _backward_name = "SinhBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(over="ignore"):
            return x._xp().sinh(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * cosh(x)


class Cosh(Function):
    """Hyperbolic cosine."""

    _backward_name = "CoshBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(over="ignore"):
            return x._xp().cosh(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * sinh(x)


class Asin(Function):
    """Inverse sine on ``[-1, 1]``."""

    _backward_name = "AsinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(invalid="ignore"):
            return x._xp().arcsin(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * rsqrt(1.0 - x * x)


class Acos(Function):
    """Inverse cosine on ``[-1, 1]``."""

    _backward_name = "AcosBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(invalid="ignore"):
            return x._xp().arccos(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * rsqrt(1.0 - x * x) * -1.0


class Atan(Function):
    """Inverse tangent."""

    _backward_name = "AtanBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._xp().arctan(_float_data(x))

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (x * x + 1.0)


# ---------------------------------------------------------------- activations and the error function
class Sigmoid(Function):
    """``1 / (1 + e ** -x)``: exp overflowing to inf gives exactly 0, so no max-subtraction is needed."""

    _backward_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        xp, a = x._xp(), _float_data(x)
        y = xp.empty_like(a)  # one buffer for every step (an explicit out= also keeps 0-dim results arrays)
        xp.negative(a, out=y)
        with np.errstate(over="ignore"):
            xp.exp(y, out=y)
        y += 1.0
        xp.reciprocal(y, out=y)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        if not state.enabled:  # a plain backward: no graph for the gradient, so the fused expression directly
            yd = ctx._saved_output_data()
            return Tensor._make(gy._data * (yd * (1.0 - yd)))
        (y,) = ctx.saved_tensors
        return SigmoidGrad.apply(gy, y)


class SigmoidGrad(Function):
    """sigmoid's gradient ``gy * y * (1 - y)`` as one fused op."""

    _backward_name = "SigmoidBackwardBackward0"

    @staticmethod
    def forward(ctx, gy, y):
        ctx.save_for_backward(gy, y)
        yd = y._data
        return gy._data * (yd * (1.0 - yd))

    @staticmethod
    def backward(ctx, g):
        gy, y = ctx.saved_tensors
        g_gy = SigmoidGrad.apply(g, y) if ctx.needs_input_grad[0] else None
        g_y = g * gy * (1.0 - 2.0 * y) if ctx.needs_input_grad[1] else None
        return g_gy, g_y


class Relu(Function):
    """``max(x, 0)``; the gradient at 0 is 0."""

    _backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        y = x._xp().maximum(x._data, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        if not state.enabled:  # a plain backward: no graph for the gradient, so the fused expression directly
            return Tensor._make(gy._data * (ctx._saved_output_data() > 0))
        (y,) = ctx.saved_tensors
        return ReluGrad.apply(gy, y)


class ReluGrad(Function):
    """relu's gradient: ``gy`` where the output is positive, else 0 (one fused op)."""

    _backward_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, gy, y):
        ctx.save_for_backward(y)
        return gy._data * (y._data > 0)

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return ReluGrad.apply(g, y), None


class Erf(Function):
    """The error function (float64 inside, see ``ops/_special.py``)."""

    _backward_name = "ErfBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = _float_data(x)
        if a.dtype != np.float64:  # single precision needs no float64 table: a fast rational fit is exact enough
            return _special.erf_single(a, x._xp())
        return _on_host(_special.erf, a, x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * exp(x * x * -1.0) * _TWO_OVER_SQRT_PI


class Erfinv(Function):
    """The inverse error function on ``[-1, 1]``."""

    _backward_name = "ErfinvBackward0"

    @staticmethod
    def forward(ctx, x):
        y = _on_host(_special.erfinv, _float_data(x), x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * exp(y * y) * _HALF_SQRT_PI


def _on_host(fn, a, x: Tensor):
    """Run a NumPy float64 kernel on ``a`` and return the result in ``a``'s dtype and on ``x``'s device."""
    if type(a) is np.ndarray:
        return fn(a).astype(a.dtype, copy=False)
    from ..backend import to_device

    return to_device(fn(a.get()).astype(a.dtype, copy=False), x.device)


# ---------------------------------------------------------------- public functions
def exp(x: Tensor) -> Tensor:
    """``e ** x`` elementwise (integers give the default float dtype).

    >>> saessak.exp(saessak.tensor([0.0, 1.0]))   # tensor([1.0000, 2.7183])
    """
    return Exp.apply(x)


def exp2(x: Tensor) -> Tensor:
    """``2 ** x`` elementwise."""
    return Exp2.apply(x)


def expm1(x: Tensor) -> Tensor:
    """``e ** x - 1`` elementwise, accurate near 0."""
    return Expm1.apply(x)


def log(x: Tensor) -> Tensor:
    """Natural logarithm elementwise (-inf at 0, nan below)."""
    return Log.apply(x)


def log2(x: Tensor) -> Tensor:
    """Base-2 logarithm elementwise."""
    return Log2.apply(x)


def log10(x: Tensor) -> Tensor:
    """Base-10 logarithm elementwise."""
    return Log10.apply(x)


def log1p(x: Tensor) -> Tensor:
    """``log(1 + x)`` elementwise, accurate near 0."""
    return Log1p.apply(x)


def sqrt(x: Tensor) -> Tensor:
    """Square root elementwise (nan below 0)."""
    return Sqrt.apply(x)


def rsqrt(x: Tensor) -> Tensor:
    """``1 / sqrt(x)`` elementwise."""
    return Rsqrt.apply(x)


def reciprocal(x: Tensor) -> Tensor:
    """``1 / x`` elementwise (integers give the default float dtype)."""
    return Reciprocal.apply(x)


def square(x: Tensor) -> Tensor:
    """``x ** 2`` elementwise (bools give int64, as in PyTorch)."""
    from .arithmetic import pow

    return pow(x.long() if x._data.dtype.kind == "b" else x, 2)


def sin(x: Tensor) -> Tensor:
    """Sine elementwise (radians)."""
    return Sin.apply(x)


def cos(x: Tensor) -> Tensor:
    """Cosine elementwise (radians)."""
    return Cos.apply(x)


def tan(x: Tensor) -> Tensor:
    """Tangent elementwise (radians)."""
    return Tan.apply(x)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return Tanh.apply(x)


def sinh(x: Tensor) -> Tensor:
    """Hyperbolic sine elementwise."""
    return Sinh.apply(x)


def cosh(x: Tensor) -> Tensor:
    """Hyperbolic cosine elementwise."""
    return Cosh.apply(x)


def asin(x: Tensor) -> Tensor:
    """Inverse sine elementwise (nan outside [-1, 1])."""
    return Asin.apply(x)


def acos(x: Tensor) -> Tensor:
    """Inverse cosine elementwise (nan outside [-1, 1])."""
    return Acos.apply(x)


def atan(x: Tensor) -> Tensor:
    """Inverse tangent elementwise."""
    return Atan.apply(x)


def sigmoid(x: Tensor) -> Tensor:
    """The logistic function ``1 / (1 + e ** -x)`` elementwise.

    >>> saessak.sigmoid(saessak.tensor([0.0]))   # tensor([0.5000])
    """
    return Sigmoid.apply(x)


def relu(x: Tensor) -> Tensor:
    """``max(x, 0)`` elementwise.

    >>> saessak.relu(saessak.tensor([-1.0, 2.0]))   # tensor([0., 2.])
    """
    if x._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu: convert the tensor with .float() first")
    return Relu.apply(x)


def erf(x: Tensor) -> Tensor:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t**2) dt`` elementwise."""
    return Erf.apply(x)


def erfinv(x: Tensor) -> Tensor:
    """The inverse error function elementwise (±inf at ±1, nan outside [-1, 1])."""
    return Erfinv.apply(x)


# ---------------------------------------------------------------- in-place variants
def exp_(x: Tensor) -> Tensor:
    """In-place ``exp``."""
    return _inplace(x, exp, "exp")


def log_(x: Tensor) -> Tensor:
    """In-place ``log``."""
    return _inplace(x, log, "log")


def sqrt_(x: Tensor) -> Tensor:
    """In-place ``sqrt``."""
    return _inplace(x, sqrt, "sqrt")


def sin_(x: Tensor) -> Tensor:
    """In-place ``sin``."""
    return _inplace(x, sin, "sin")


def cos_(x: Tensor) -> Tensor:
    """In-place ``cos``."""
    return _inplace(x, cos, "cos")


def tanh_(x: Tensor) -> Tensor:
    """In-place ``tanh``."""
    return _inplace(x, tanh, "tanh")


def sigmoid_(x: Tensor) -> Tensor:
    """In-place ``sigmoid``."""
    return _inplace(x, sigmoid)


def relu_(x: Tensor) -> Tensor:
    """In-place ``relu``."""
    a = x._data
    if a.dtype.kind == "f" and a.flags.writeable and not _needs_graph(x):
        x._xp().maximum(a, 0, out=a)
        x._vc[0] += 1
        return x
    return apply_inplace(x, relu(x))


def reciprocal_(x: Tensor) -> Tensor:
    """In-place ``reciprocal``."""
    return _inplace(x, reciprocal, "reciprocal")


def square_(x: Tensor) -> Tensor:
    """In-place ``square``."""
    return _inplace(x, square, "square")




arcsin, arccos, arctan = asin, acos, atan
