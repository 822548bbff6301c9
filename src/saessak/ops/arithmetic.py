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
        ctx.x_meta, ctx.y_meta = (a.shape, x._data.dtype), _meta(y._data if isinstance(y, Tensor) else None)
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
        ctx.x_meta, ctx.y_meta = (a.shape, x._data.dtype), _meta(y._data if isinstance(y, Tensor) else None)
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


def add(x, y, *, alpha=1):
    """``x + alpha * y`` with broadcasting."""
    if not isinstance(x, Tensor):
        return Add.apply(as_operand(x, y), y, alpha=alpha)
    return Add.apply(x, y, alpha=alpha)


def sub(x, y, *, alpha=1):
    """``x - alpha * y`` with broadcasting."""
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    return Sub.apply(x, y, alpha=alpha)


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


def mul(x, y):
    """Elementwise ``x * y`` with broadcasting."""
    if not isinstance(x, Tensor):
        x, y = y, x
    return Mul.apply(x, y)


def div(x, y, *, rounding_mode: str | None = None):
    """``x / y``; ``rounding_mode`` 'trunc' or 'floor' rounds the quotient (no gradient then)."""
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


# ---------------------------------------------------------------- comparisons (no gradient)
def _compare(x, y, ufunc_name: str, op: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    if y is None:
        return Tensor._make(x._xp().zeros(x._data.shape, dtype=bool) if op != "ne" else
                            x._xp().ones(x._data.shape, dtype=bool))
    if not isinstance(y, (Tensor, *_scalar_types)):
        if isinstance(y, _ndarray | list | tuple):
            y = as_operand(y, x)
        elif op in ("eq", "ne"):
            return False if op == "eq" else True
    a, b = _operands(x, y)
    try:
        return Tensor._make(getattr(x._xp(), ufunc_name)(a, b))
    except ValueError:
        raise _broadcast_error(x, y, op) from None


def eq(x, y):
    """Elementwise ``x == y`` as a bool tensor."""
    return _compare(x, y, "equal", "eq")


def ne(x, y):
    """Elementwise ``x != y`` as a bool tensor."""
    return _compare(x, y, "not_equal", "ne")


def lt(x, y):
    """Elementwise ``x < y`` as a bool tensor."""
    return _compare(x, y, "less", "lt")


def le(x, y):
    """Elementwise ``x <= y`` as a bool tensor."""
    return _compare(x, y, "less_equal", "le")


def gt(x, y):
    """Elementwise ``x > y`` as a bool tensor."""
    return _compare(x, y, "greater", "gt")


def ge(x, y):
    """Elementwise ``x >= y`` as a bool tensor."""
    return _compare(x, y, "greater_equal", "ge")


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
subtract, multiply, divide, true_divide, negative = sub, mul, div, div, neg


def equal(x, y) -> bool:
    """True when both tensors have the same shape and elements."""
    return tuple(x.shape) == tuple(y.shape) and bool((x._data == y._data).all())


def isclose(x, y, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """Elementwise ``|x - y| <= atol + rtol * |y|`` as a bool tensor."""
    a, b = _operands(x, y)
    return Tensor._make(x._xp().isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(x, y, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True when every element of ``x`` is close to ``y``."""
    return bool(isclose(x, y, rtol, atol, equal_nan)._data.all())


# ---------------------------------------------------------------- logical and bitwise (no gradient)
def _bitwise(x, y, ufunc_name: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    a, b = _operands(x, y) if y is not None else (x._data, None)
    if a.dtype.kind == "f" or isinstance(b, _ndarray) and b.dtype.kind == "f":
        raise TypeError(f'"{ufunc_name}_cpu" not implemented for \'Float\'')
    fn = getattr(x._xp(), ufunc_name)
    return Tensor._make(fn(a) if y is None else fn(a, b))


def bitwise_and(x, y):
    """Elementwise AND of bool or integer tensors (``&``)."""
    return _bitwise(x, y, "bitwise_and")


def bitwise_or(x, y):
    """Elementwise OR of bool or integer tensors (``|``)."""
    return _bitwise(x, y, "bitwise_or")


def bitwise_xor(x, y):
    """Elementwise XOR of bool or integer tensors (``^``)."""
    return _bitwise(x, y, "bitwise_xor")


def bitwise_not(x):
    """Elementwise NOT of a bool or integer tensor (``~``)."""
    return _bitwise(x, None, "invert")


def bitwise_left_shift(x, y):
    """``x << y``."""
    return _bitwise(x, y, "left_shift")


def bitwise_right_shift(x, y):
    """``x >> y``."""
    return _bitwise(x, y, "right_shift")


def _logical(x, y, ufunc_name: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    fn = getattr(x._xp(), ufunc_name)
    if y is None:
        return Tensor._make(fn(x._data))
    b = y._data if isinstance(y, Tensor) else y
    return Tensor._make(fn(x._data, b))


def logical_and(x, y):
    """Elementwise ``x and y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_and")


def logical_or(x, y):
    """Elementwise ``x or y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_or")


def logical_xor(x, y):
    """Elementwise ``x xor y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_xor")


def logical_not(x):
    """Elementwise ``not x`` as a bool tensor."""
    return _logical(x, None, "logical_not")


# ---------------------------------------------------------------- in-place updates
def _check_inplace(x) -> None:
    """PyTorch's rule: a leaf that requires grad (or a view of one) can't change in place while recording."""
    if state.enabled and x._requires_grad and x._grad_fn is None:
        if x._base is not None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def apply_inplace(x, result):
    """Write ``result`` (an op's out-of-place output) into ``x``'s memory and move ``x``'s history to it.

    The one mechanism behind every ``op_``: ``x`` keeps its identity and storage (so views see the
    change), its version counter is bumped, and its ``grad_fn`` becomes the op's node.
    """
    _check_inplace(x)
    data = result._data if isinstance(result, Tensor) else result
    if data.shape != x._data.shape:
        try:
            shape = np.broadcast_shapes(data.shape, x._data.shape)
        except ValueError:
            shape = None
        if shape != x._data.shape:
            raise RuntimeError(
                f"output with shape {list(x._data.shape)} doesn't match the broadcast shape {list(data.shape)}"
            )
    if data.dtype != x._data.dtype and not dtypes.can_cast(
        dtypes.from_numpy_dtype(data.dtype), dtypes.from_numpy_dtype(x._data.dtype)
    ):
        raise RuntimeError(
            f"result type {_type_word(data.dtype)} can't be cast to the desired output type "
            f"{_type_word(x._data.dtype)}"
        )
    base = x._base
    if base is not None and state.enabled and base._requires_grad and base._grad_fn is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    if not x._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single "
            "memory location. Please clone() the tensor before performing the operation."
        )
    if isinstance(result, Tensor) and result._grad_fn is not None:
        _keep_saved_original(result._grad_fn, x)
    x._data[...] = data
    x._vc[0] += 1
    if isinstance(result, Tensor) and result._grad_fn is not None:
        if base is not None:
            # the change landed in base's memory too: base's history must include it (CopySlices)
            from ._view_inplace import rebase_view_history

            if not rebase_view_history(x, result):
                raise RuntimeError(
                    "in-place operation on a view whose layout is not a region of a contiguous base is not "
                    "supported with autograd: call .clone() on the view first, or use the out-of-place op"
                )
        else:
            x._grad_fn = result._grad_fn
            x._out_idx = result._out_idx
            x._requires_grad = True
    return x


def _keep_saved_original(node, x) -> None:
    """If ``node`` saved ``x`` itself, give it a copy of x's values from before the write (as PyTorch does)."""
    saved = node._saved
    if not saved or not any(item is x for item in saved):
        return
    original = Tensor._make(x._data.copy())
    original._vc = [x._vc[0]]
    if x._requires_grad:
        original._requires_grad, original._grad_fn, original._out_idx = True, x._grad_fn, x._out_idx
    node._saved = tuple(original if item is x else item for item in saved)


def _type_word(np_dtype) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
            "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}[np.dtype(np_dtype).name]


def _needs_graph(x, y=None) -> bool:
    return state.enabled and (x._requires_grad or (isinstance(y, Tensor) and y._requires_grad))


def _inplace_binary(x, y, out_of_place, ufunc_name: str, **kwargs):
    """Fast path without the graph: one ufunc writing into ``x``; else out-of-place + ``apply_inplace``."""
    if _needs_graph(x, y):
        return apply_inplace(x, out_of_place(x, y, **kwargs))
    if not isinstance(y, (Tensor, *_scalar_types)):
        y = as_operand(y, x)
    a, b = _operands(x, y)
    if a is not x._data and a.dtype != x._data.dtype or isinstance(b, _ndarray) and b.dtype != a.dtype:
        return apply_inplace(x, out_of_place(x, y, **kwargs))
    if isinstance(b, _ndarray) and b.shape != a.shape:
        try:
            shape = np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise _broadcast_error(x, y, ufunc_name) from None
        if shape != a.shape:
            raise RuntimeError(
                f"output with shape {list(a.shape)} doesn't match the broadcast shape {list(shape)}"
            )
    alpha = kwargs.get("alpha", 1)
    if alpha != 1:
        b = b * alpha
    getattr(x._xp(), ufunc_name)(x._data, b, out=x._data)
    x._vc[0] += 1
    return x


def add_(x, y, *, alpha=1):
    """In-place ``x += alpha * y``."""
    return _inplace_binary(x, y, add, "add", alpha=alpha)


def sub_(x, y, *, alpha=1):
    """In-place ``x -= alpha * y``."""
    return _inplace_binary(x, y, sub, "subtract", alpha=alpha)


def mul_(x, y):
    """In-place ``x *= y``."""
    return _inplace_binary(x, y, mul, "multiply")


def div_(x, y, *, rounding_mode=None):
    """In-place ``x /= y``."""
    if rounding_mode is not None or x._data.dtype.kind != "f":
        return apply_inplace(x, div(x, y, rounding_mode=rounding_mode))
    return _inplace_binary(x, y, div, "true_divide")


def floor_divide_(x, y):
    """In-place ``x //= y``."""
    return apply_inplace(x, floor_divide(x, y))


def remainder_(x, y):
    """In-place ``x %= y``."""
    return apply_inplace(x, remainder(x, y))


def pow_(x, y):
    """In-place ``x **= y``."""
    return apply_inplace(x, pow(x, y))


def neg_(x):
    """In-place ``x = -x``."""
    return apply_inplace(x, neg(x))


def addcmul_(x, t1, t2, *, value=1):
    """In-place ``x += value * t1 * t2``."""
    return apply_inplace(x, addcmul(x, t1, t2, value=value))


def addcdiv_(x, t1, t2, *, value=1):
    """In-place ``x += value * t1 / t2``."""
    return apply_inplace(x, addcdiv(x, t1, t2, value=value))


def bitwise_and_(x, y):
    """In-place ``x &= y``."""
    return apply_inplace(x, bitwise_and(x, y))


def bitwise_or_(x, y):
    """In-place ``x |= y``."""
    return apply_inplace(x, bitwise_or(x, y))


def bitwise_xor_(x, y):
    """In-place ``x ^= y``."""
    return apply_inplace(x, bitwise_xor(x, y))


class Fill(Function):
    """Every element set to ``value``: no gradient reaches the old contents (FillBackward0)."""

    _backward_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        ctx.value_shape = value._data.shape if isinstance(value, Tensor) else None
        v = value._data if isinstance(value, Tensor) else value
        return x._xp().full(x._data.shape, v, dtype=x._data.dtype)

    @staticmethod
    def backward(ctx, gy):
        return gy * 0.0, (gy.sum() if ctx.value_shape is not None else None)


def fill_(x, value):
    """Set every element of ``x`` to ``value`` in place."""
    if _needs_graph(x, value):
        return apply_inplace(x, Fill.apply(x, value))
    _check_inplace(x)
    x._data[...] = value._data if isinstance(value, Tensor) else value
    x._vc[0] += 1
    return x


class Copy(Function):
    """``x.copy_(src)``: the new contents come from ``src`` (broadcast, cast); the old get no gradient."""

    _backward_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        ctx.src_meta = (src._data.shape, src._data.dtype)
        xp = x._xp()
        data = src._data
        if type(data) is not type(x._data):
            from ..backend import to_device

            data = to_device(data, x.device)
        return xp.broadcast_to(data, x._data.shape).astype(x._data.dtype, copy=True)

    @staticmethod
    def backward(ctx, gy):
        return gy * 0.0, _grad_to(gy, *ctx.src_meta)


def copy_(x, src):
    """Copy ``src`` into ``x`` in place (broadcasting, casting and moving devices as needed)."""
    if not isinstance(src, Tensor):
        src = as_operand(src, x)
    if _needs_graph(x, src):
        return apply_inplace(x, Copy.apply(x, src))
    _check_inplace(x)
    data = src._data
    if type(data) is not type(x._data):
        from ..backend import to_device

        data = to_device(data, x.device)
    try:
        x._data[...] = data
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({x._data.shape}) must match the size of tensor b ({data.shape}) "
            "for copy_"
        ) from None
    x._vc[0] += 1
    return x
