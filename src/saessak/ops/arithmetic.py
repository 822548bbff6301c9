"""Arithmetic: + - * / // % **, comparisons, logical and bitwise ops, and in-place updates.

Binary ops broadcast like NumPy and promote dtypes like PyTorch (see ``_operands``); their backward
sums the gradient back to each input's shape with ``sum_to``.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state
from ..creation import _write_out
from ._broadcast import sum_to

_ndarray = np.ndarray
_scalar_types = (int, float, bool, np.number, np.bool_)


# ---------------------------------------------------------------- operands and promotion
def as_operand(value, like: Tensor) -> Tensor:
    """A Python number, NumPy value or nested list as a tensor on ``like``'s device."""
    if isinstance(value, Tensor):
        return value
    from ..creation import tensor

    return tensor(value, device=like.device)


def _operands(x, y):
    """Backend values of ``x`` (a Tensor) and ``y`` (Tensor or number), promoted as PyTorch does."""
    a = x._data
    kind = type(y)
    if kind is float:  # the most common case first: tensor (op) Python float
        return (a, y) if a.dtype.kind == "f" else (a.astype(dtypes.get_default_dtype().np), y)
    if kind is Tensor or isinstance(y, Tensor):
        b = y._data
        if a.dtype == b.dtype:
            if type(a) is not type(b):
                _check_devices(x, y)
            return a, b
        dtype = dtypes.result_type(x, y).np
        if type(a) is not type(b):
            _check_devices(x, y)
        return a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    if isinstance(y, _scalar_types):
        kind = a.dtype.kind
        if isinstance(y, bool | np.bool_):
            return a, y
        if isinstance(y, int | np.integer):
            if kind == "b":
                return a.astype(np.int64), y
            return a, y
        if kind != "f":
            return a.astype(dtypes.get_default_dtype().np), y
        return a, y
    if isinstance(y, _ndarray | list | tuple):
        return _operands(x, as_operand(y, x))
    raise TypeError(f"unsupported operand type for a tensor op: '{type(y).__name__}'")


def _check_devices(x, y) -> None:
    if x.device != y.device and y._data.ndim and x._data.ndim:
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{x.device} and {y.device}!"
        )


def _broadcast_error(x, y, op: str) -> RuntimeError:
    a = tuple(x.shape)
    b = tuple(y.shape) if isinstance(y, Tensor) else ()
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    for dim in range(n - 1, -1, -1):
        if pa[dim] != pb[dim] and pa[dim] != 1 and pb[dim] != 1:
            return RuntimeError(
                f"The size of tensor a ({pa[dim]}) must match the size of tensor b ({pb[dim]}) at "
                f"non-singleton dimension {dim} (in {op} of shapes {list(a)} and {list(b)})"
            )
    return RuntimeError(f"{op}: shapes {list(a)} and {list(b)} are not broadcastable")


def _grad_to(g, shape: tuple, dtype):
    """The gradient for an input of ``shape`` and NumPy ``dtype``: broadcasting undone, dtype restored."""
    data = g._data
    if data.shape == shape and data.dtype == dtype:  # the usual case: nothing to undo
        return g
    g = sum_to(g, shape)
    if g._data.dtype != dtype:
        g = g.to(dtypes.from_numpy_dtype(dtype))
    return g


def _meta(value):
    return (value.shape, value.dtype) if isinstance(value, Tensor | _ndarray) else None


# ---------------------------------------------------------------- add and subtract
class Add(Function):
    """``x + alpha * y``."""

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x, y, alpha=1):
        a, b = _operands(x, y)
        ctx.alpha = alpha
        ctx.x_meta = (a.shape, x._data.dtype)
        ctx.y_meta = (y._data.shape, y._data.dtype) if isinstance(y, Tensor) else None
        try:
            return a + b if alpha == 1 else a + alpha * b
        except ValueError:
            raise _broadcast_error(x, y, "add") from None

    @staticmethod
    def backward(ctx, gy):
        gx = _grad_to(gy, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            gb = _grad_to(gy if ctx.alpha == 1 else gy * ctx.alpha, *ctx.y_meta)
        return gx, gb


class Sub(Function):
    """``x - alpha * y``."""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, x, y, alpha=1):
        a, b = _operands(x, y)
        if a.dtype.kind == "b" and (not isinstance(b, _ndarray) or b.dtype.kind == "b"):
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. "
                "Use the `^` or `logical_xor()` operator instead."
            )
        ctx.alpha = alpha
        ctx.x_meta = (a.shape, x._data.dtype)
        ctx.y_meta = (y._data.shape, y._data.dtype) if isinstance(y, Tensor) else None
        try:
            return a - b if alpha == 1 else a - alpha * b
        except ValueError:
            raise _broadcast_error(x, y, "sub") from None

    @staticmethod
    def backward(ctx, gy):
        gx = _grad_to(gy, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = _grad_to(-gy if ctx.alpha == 1 else gy * -ctx.alpha, *ctx.y_meta) if ctx.needs_input_grad[1] else None
        return gx, gb


class RSub(Function):
    """``y - alpha * x`` for a number ``y`` (``2 - x``)."""

    _backward_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, x, y, alpha=1):
        a, b = _operands(x, y)
        ctx.alpha = alpha
        return b - a if alpha == 1 else b - alpha * a

    @staticmethod
    def backward(ctx, gy):
        return (-gy if ctx.alpha == 1 else gy * -ctx.alpha), None


def add(x, y, *, alpha=1, out=None):
    """``x + alpha * y`` with broadcasting; ``out=`` receives the result (no gradient flows into it)."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    return _write_out(out, Add.apply(x, y, alpha=alpha))


def sub(x, y, *, alpha=1, out=None):
    """``x - alpha * y`` with broadcasting; ``out=`` receives the result."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    return _write_out(out, Sub.apply(x, y, alpha=alpha))


def rsub(x, y, *, alpha=1):
    """``y - alpha * x`` (the reflected ``y - x``)."""
    if isinstance(y, Tensor):
        return Sub.apply(y, x, alpha=alpha)
    return RSub.apply(x, y, alpha=alpha)


# ---------------------------------------------------------------- multiply and divide
class Mul(Function):
    """``x * y``; each input's gradient is the incoming gradient times the other input."""

    _backward_name = "MulBackward0"
    y_meta = None  # stays None when the other operand is a number

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.x_meta = (a.shape, x._data.dtype)
            if isinstance(y, Tensor):
                ctx.y_meta = (b.shape, y._data.dtype)
                ctx.save_for_backward(x if needs[1] else None, y if needs[0] else None)
            else:
                ctx.y_scalar = y
        try:
            return a * b
        except ValueError:
            raise _broadcast_error(x, y, "mul") from None

    @staticmethod
    def backward(ctx, gy):
        if not state.enabled:  # a plain backward: the gradient's own graph is not needed, so plain array math
            g = gy._data
            if ctx.y_meta is None:
                return _grad_to(Tensor._make(g * ctx.y_scalar), *ctx.x_meta), None
            x, y = ctx.saved_tensors
            gx = _grad_to(Tensor._make(g * y._data), *ctx.x_meta) if ctx.needs_input_grad[0] else None
            gb = _grad_to(Tensor._make(g * x._data), *ctx.y_meta) if ctx.needs_input_grad[1] else None
            return gx, gb
        if ctx.y_meta is None:
            return _grad_to(gy * ctx.y_scalar, *ctx.x_meta), None
        x, y = ctx.saved_tensors
        gx = _grad_to(gy * y, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = _grad_to(gy * x, *ctx.y_meta) if ctx.needs_input_grad[1] else None
        return gx, gb


class Div(Function):
    """``x / y`` (true division: integers give floats)."""

    _backward_name = "DivBackward0"
    y_meta = None  # stays None when the other operand is a number

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        if a.dtype.kind in "biu" and (not isinstance(b, _ndarray) or b.dtype.kind in "biu"):
            a = a.astype(dtypes.get_default_dtype().np)
            if isinstance(b, _ndarray):
                b = b.astype(a.dtype)  # both: an int64 divisor would turn NumPy's quotient into float64
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.x_meta = (a.shape, x._data.dtype)
            if isinstance(y, Tensor):
                ctx.y_meta = (b.shape, y._data.dtype)
                ctx.save_for_backward(x if needs[1] else None, y)
            else:
                ctx.y_scalar = y
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                return a / b
        except ValueError:
            raise _broadcast_error(x, y, "div") from None

    @staticmethod
    def backward(ctx, gy):
        if ctx.y_meta is None:
            return _grad_to(gy / ctx.y_scalar, *ctx.x_meta), None
        x, y = ctx.saved_tensors
        gx = _grad_to(gy / y, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = _grad_to(-gy * x / (y * y), *ctx.y_meta) if ctx.needs_input_grad[1] else None
        return gx, gb


class RDiv(Function):
    """``y / x`` for a number ``y`` (``1 / x``)."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        if a.dtype.kind in "biu":
            a = a.astype(dtypes.get_default_dtype().np)
        ctx.save_for_backward(x)
        ctx.y_scalar = y
        with np.errstate(divide="ignore", invalid="ignore"):
            return b / a

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return -gy * ctx.y_scalar / (x * x), None


def mul(x, y, *, out=None):
    """Elementwise ``x * y`` with broadcasting; ``out=`` receives the result."""
    if not isinstance(x, Tensor):
        x, y = y, x
    return _write_out(out, Mul.apply(x, y))


def div(x, y, *, rounding_mode: str | None = None, out=None):
    """``x / y``; ``rounding_mode`` 'trunc' or 'floor' rounds the quotient (no gradient then)."""
    if out is not None:
        return _write_out(out, div(x, y, rounding_mode=rounding_mode))
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    if rounding_mode is None:
        return Div.apply(x, y)
    if rounding_mode == "floor":
        return floor_divide(x, y)
    if rounding_mode == "trunc":
        a, b = _operands(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = a / b
        q = x._xp().trunc(q)
        return Tensor._make(q.astype(a.dtype) if a.dtype.kind in "iub" else q)
    raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def rdiv(x, y):
    """``y / x`` (the reflected ``y / x``)."""
    if isinstance(y, Tensor):
        return Div.apply(y, x)
    return RDiv.apply(x, y)


class FloorDivide(Function):
    """``floor(x / y)``; not differentiable (its derivative is zero almost everywhere)."""

    _backward_name = "FloorDivideBackward0"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return x._xp().floor_divide(a, b)

    @staticmethod
    def backward(ctx, gy):
        raise RuntimeError("the derivative for 'floor_divide' is not implemented.")


def floor_divide(x, y):
    """Elementwise ``floor(x / y)`` (``x // y``)."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    if state.enabled and (x._requires_grad or isinstance(y, Tensor) and y._requires_grad):
        return FloorDivide.apply(x, y)
    a, b = _operands(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Tensor._make(x._xp().floor_divide(a, b))


class Remainder(Function):
    """Python-style ``x % y`` (sign of the divisor); gradient ``gy`` and ``-gy * floor(x / y)``."""

    _backward_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        ctx.x_meta = (a.shape, x._data.dtype)
        ctx.y_meta = _meta(y._data if isinstance(y, Tensor) else None)
        ctx.save_for_backward(x, y if isinstance(y, Tensor) else None)
        with np.errstate(divide="ignore", invalid="ignore"):
            return x._xp().remainder(a, b)

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        gx = _grad_to(gy, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = _grad_to(-gy * floor_divide(x, y), *ctx.y_meta) if ctx.needs_input_grad[1] else None
        return gx, gb


class Fmod(Function):
    """C-style ``fmod(x, y)`` (sign of the dividend); gradient ``gy`` and ``-gy * trunc(x / y)``."""

    _backward_name = "FmodBackward0"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        ctx.x_meta = (a.shape, x._data.dtype)
        ctx.y_meta = _meta(y._data if isinstance(y, Tensor) else None)
        ctx.save_for_backward(x, y if isinstance(y, Tensor) else None)
        with np.errstate(divide="ignore", invalid="ignore"):
            return x._xp().fmod(a, b)

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        gx = _grad_to(gy, *ctx.x_meta) if ctx.needs_input_grad[0] else None
        gb = _grad_to(-gy * div(x, y, rounding_mode="trunc"), *ctx.y_meta) if ctx.needs_input_grad[1] else None
        return gx, gb


def remainder(x, y):
    """Elementwise remainder with the sign of ``y`` (Python's ``%``)."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    return Remainder.apply(x, y)


def fmod(x, y):
    """Elementwise remainder with the sign of ``x`` (C's ``fmod``)."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    return Fmod.apply(x, y)


# ---------------------------------------------------------------- power and negation
class PowScalar(Function):
    """``x ** c`` for a number ``c``: gradient ``c * x ** (c - 1)``."""

    _backward_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, c):
        a, c_ = _operands(x, c)
        if a.dtype.kind in "iu" and isinstance(c, int) and c < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        ctx.exponent = c
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return a**c_

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return gy * 0.0, None
        if c == 2:
            return gy * (x * 2.0), None
        return gy * (c * x ** (c - 1)), None


class Pow(Function):
    """``x ** y`` for two tensors: gradients ``y * x ** (y - 1)`` and ``x ** y * log(x)``."""

    _backward_name = "PowBackward1"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        ctx.x_meta = (a.shape, x._data.dtype)
        ctx.y_meta = (b.shape, y._data.dtype)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = a**b
        except ValueError:
            raise _broadcast_error(x, y, "pow") from None
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, y, out = ctx.saved_tensors
        gx = gb = None
        if ctx.needs_input_grad[0]:
            gx = _grad_to(gy * y * x ** (y - 1), *ctx.x_meta)
        if ctx.needs_input_grad[1]:
            from . import unary

            # 0 ** y has log(0) = -inf; PyTorch defines that gradient as 0 where x == 0 and y >= 0
            safe = unary.where((x == 0) & (y >= 0), 1.0, x)
            gb = _grad_to(gy * out * unary.log(safe), *ctx.y_meta)
        return gx, gb


def pow(x, exponent):
    """``x ** exponent`` elementwise (either may be a number)."""
    if not isinstance(x, Tensor):
        x = as_operand(x, exponent)
    if isinstance(exponent, Tensor):
        if exponent._data.ndim == 0 and not exponent._requires_grad and x._data.ndim:
            return PowScalar.apply(x, exponent.item())
        return Pow.apply(x, exponent)
    return PowScalar.apply(x, exponent)


class Neg(Function):
    """``-x``."""

    _backward_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        if x._data.dtype.kind == "b":
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. "
                "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return -x._data

    @staticmethod
    def backward(ctx, gy):
        return -gy


def neg(x):
    """Elementwise ``-x``."""
    return Neg.apply(x)


def addcmul(x, t1, t2, *, value=1):
    """``x + value * t1 * t2``."""
    return add(x, mul(mul(t1, t2), value) if value != 1 else mul(t1, t2))


def addcdiv(x, t1, t2, *, value=1):
    """``x + value * t1 / t2``."""
    return add(x, mul(div(t1, t2), value) if value != 1 else div(t1, t2))


subtract, multiply, divide, true_divide, negative = sub, mul, div, div, neg
