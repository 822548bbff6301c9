"""Elementwise ops of several tensors: where, clamp, maximum/minimum, fmax/fmin, lerp, atan2.

They broadcast like the arithmetic ops and promote like PyTorch (``dtypes.result_type``); each input's
gradient is summed back to its own shape with ``_grad_to``. Selection ops pass the gradient to whichever
input was selected (``maximum`` splits it in half on ties, as PyTorch does).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from .arithmetic import _broadcast_error, _grad_to, _operands, as_operand
from .inplace import _needs_graph, apply_inplace


def _array(value, dtype):
    """A Tensor's array (or a number) in NumPy ``dtype``."""
    return value._data.astype(dtype, copy=False) if isinstance(value, Tensor) else value


def _shape_error(op: str, *operands) -> RuntimeError:
    shapes = ", ".join(str(list(o.shape)) if isinstance(o, Tensor) else "[]" for o in operands)
    return RuntimeError(f"{op}: the shapes {shapes} are not broadcastable; each pair of trailing dimensions "
                        "must be equal or 1")


def _meta(value):
    return (value._data.shape, value._data.dtype) if isinstance(value, Tensor) else None


# ---------------------------------------------------------------- where
class Where(Function):
    """``x`` where ``condition`` holds, else ``y``; the gradient goes to the side that was picked."""

    _backward_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, x, y):
        dtype = dtypes.result_type(x, y).np
        ctx.save_for_backward(condition)
        ctx.x_meta, ctx.y_meta = _meta(x), _meta(y)
        try:
            out = condition._xp().where(condition._data, _array(x, dtype), _array(y, dtype))
        except ValueError:
            raise _shape_error("where", condition, x, y) from None
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, gy):
        (condition,) = ctx.saved_tensors
        needs = ctx.needs_input_grad
        gx = _grad_to(where(condition, gy, 0.0), *ctx.x_meta) if needs[1] else None
        gb = _grad_to(where(condition, 0.0, gy), *ctx.y_meta) if needs[2] else None
        return None, gx, gb


def where(condition: Tensor, input=None, other=None):
    """Elementwise ``input if condition else other`` (either may be a number), with broadcasting.

    With only ``condition``, the indices of its nonzero elements as a tuple (``nonzero(as_tuple=True)``).

    >>> saessak.where(saessak.tensor([True, False]), 1.0, 0.0)   # tensor([1., 0.])
    """
    if input is None and other is None:
        from .index import nonzero

        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' must be a bool Tensor, not "
                        f"{type(condition).__name__}; build one with a comparison, e.g. x > 0")
    if input is None or other is None:
        raise TypeError("where() takes 1 or 3 arguments (condition, input, other); got one of input/other")
    if condition._data.dtype.kind != "b":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{str(condition.dtype).removeprefix('torch.')}; compare it first, e.g. x > 0")
    for value in (input, other):
        if not isinstance(value, Tensor | int | float | bool | np.number | np.bool_):
            raise TypeError(f"where(): input and other must be tensors or numbers, not "
                            f"{type(value).__name__}")
    return Where.apply(condition, input, other)


# ---------------------------------------------------------------- clamp
class Clamp(Function):
    """``x`` limited to ``[min, max]`` (numbers); the gradient passes where ``min <= x <= max``."""

    _backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, *, min, max):
        dtype = dtypes.result_type(*(v for v in (x, min, max) if v is not None)).np
        xp, a = x._xp(), x._data.astype(dtype, copy=False)
        ctx.bounds = (min, max)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(x)
        return xp.clip(a, min, max)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        a = x._data
        inside = a >= lo if hi is None else a <= hi if lo is None else (a >= lo) & (a <= hi)
        return gy * Tensor._make(inside)


class ClampMin(Clamp):
    """``max(x, min)`` for a number ``min``."""

    _backward_name = "ClampMinBackward0"


class ClampMax(Clamp):
    """``min(x, max)`` for a number ``max``."""

    _backward_name = "ClampMaxBackward0"


class ClampTensor(Function):
    """``x`` limited by tensor bounds ``min``/``max`` (broadcast); a bound gets the gradient where it won."""

    _backward_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, min, max):
        dtype = dtypes.result_type(*(v for v in (x, min, max) if v is not None)).np
        xp, y = x._xp(), x._data.astype(dtype, copy=False)
        ctx.save_for_backward(x, min, max)
        ctx.metas = (_meta(x), _meta(min), _meta(max))
        try:
            if min is not None:
                y = xp.maximum(y, min._data.astype(dtype, copy=False))
            if max is not None:
                y = xp.minimum(y, max._data.astype(dtype, copy=False))
        except ValueError:
            raise _shape_error("clamp", x, min, max) from None
        return y.copy() if y is x._data else y

    @staticmethod
    def backward(ctx, gy):
        x, lo, hi = ctx.saved_tensors
        a, lo_a, hi_a = x._data, _opt_data(lo), _opt_data(hi)
        if lo is not None and hi is not None:
            masks = ((a >= lo_a) & (a <= hi_a), (a < lo_a) & (lo_a < hi_a), (a > hi_a) | (hi_a < lo_a))
        elif lo is not None:
            masks = (a >= lo_a, a < lo_a, None)
        else:
            masks = (a <= hi_a, None, a > hi_a)
        return tuple(
            _grad_to(gy * Tensor._make(mask), *meta) if need and mask is not None else None
            for mask, meta, need in zip(masks, ctx.metas, ctx.needs_input_grad)
        )


def _opt_data(value):
    return None if value is None else value._data


def _scalar_bound(value):
    """A bound as a number when it can be one (a 0-dim tensor without grad), else as given."""
    if isinstance(value, Tensor) and value._data.ndim == 0 and not value._requires_grad:
        return value.item()
    return value


def clamp(input: Tensor, min=None, max=None) -> Tensor:
    """Limit each element to ``[min, max]``; either bound may be None, a number or a tensor (broadcast).

    >>> saessak.clamp(saessak.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)   # tensor([0.0000, 0.5000, 1.0000])
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not (isinstance(min, Tensor) and isinstance(max, Tensor)):
            min, max = _scalar_bound(min), _scalar_bound(max)
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            lo = as_operand(min, input) if min is not None else None
            hi = as_operand(max, input) if max is not None else None
            return ClampTensor.apply(input, lo, hi)
    return Clamp.apply(input, min=min, max=max)


clip = clamp


def clamp_min(input: Tensor, min) -> Tensor:
    """``max(input, min)`` elementwise."""
    if isinstance(min, Tensor):
        return clamp(input, min, None)
    return ClampMin.apply(input, min=min, max=None)


def clamp_max(input: Tensor, max) -> Tensor:
    """``min(input, max)`` elementwise."""
    if isinstance(max, Tensor):
        return clamp(input, None, max)
    return ClampMax.apply(input, min=None, max=max)


def clamp_(input: Tensor, min=None, max=None) -> Tensor:
    """In-place ``clamp``."""
    a = input._data
    numbers = not isinstance(min, Tensor) and not isinstance(max, Tensor)
    numbers = numbers and (min is not None or max is not None)
    if numbers and a.dtype.kind == "f" and a.flags.writeable and not _needs_graph(input):
        xp = input._xp()
        if min is not None:
            xp.maximum(a, min, out=a)
        if max is not None:
            xp.minimum(a, max, out=a)
        input._vc[0] += 1
        return input
    return apply_inplace(input, clamp(input, min, max))


clip_ = clamp_


# ---------------------------------------------------------------- maximum, minimum, fmax, fmin
class _Select(Function):
    """Elementwise choice between ``x`` and ``y``; ``_weights`` says how much gradient each one gets."""

    _ufunc = "maximum"

    @classmethod
    def forward(cls, ctx, x, y):
        a, b = _operands(x, y)
        ctx.save_for_backward(x, y)
        try:
            return getattr(x._xp(), cls._ufunc)(a, b)
        except ValueError:
            raise _broadcast_error(x, y, cls._ufunc) from None

    @classmethod
    def backward(cls, ctx, gy):
        x, y = ctx.saved_tensors
        wx, wy = cls._weights(x._data, y._data)
        dtype = gy._data.dtype
        gx = _grad_to(gy * Tensor._make(wx.astype(dtype)), *_meta(x)) if ctx.needs_input_grad[0] else None
        gb = _grad_to(gy * Tensor._make(wy.astype(dtype)), *_meta(y)) if ctx.needs_input_grad[1] else None
        return gx, gb

    @staticmethod
    def _weights(a, b):
        tie = (a == b) * 0.5
        return (a > b) + tie, (a < b) + tie


class Maximum(_Select):
    """The larger of ``x`` and ``y`` (nan if either is nan); ties split the gradient in half."""

    _backward_name = "MaximumBackward0"


class Minimum(_Select):
    """The smaller of ``x`` and ``y`` (nan if either is nan); ties split the gradient in half."""

    _backward_name = "MinimumBackward0"
    _ufunc = "minimum"

    @staticmethod
    def _weights(a, b):
        tie = (a == b) * 0.5
        return (a < b) + tie, (a > b) + tie


class Fmax(_Select):
    """The larger of ``x`` and ``y``, ignoring a nan; ties give the whole gradient to ``x``."""

    _backward_name = "FmaxBackward0"
    _ufunc = "fmax"

    @staticmethod
    def _weights(a, b):
        take_x = (a >= b) | (b != b)
        return take_x, ~take_x


class Fmin(_Select):
    """The smaller of ``x`` and ``y``, ignoring a nan; ties give the whole gradient to ``x``."""

    _backward_name = "FminBackward0"
    _ufunc = "fmin"

    @staticmethod
    def _weights(a, b):
        take_x = (a <= b) | (b != b)
        return take_x, ~take_x


def _two_tensors(op: str, input, other) -> None:
    for position, value in ((1, input), (2, other)):
        if not isinstance(value, Tensor):
            name = "input" if position == 1 else "other"
            raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}; wrap numbers with saessak.tensor(...) or use clamp")


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum of two tensors (nan propagates).

    >>> saessak.maximum(saessak.tensor([1.0, 4.0]), saessak.tensor([3.0, 2.0]))   # tensor([3., 4.])
    """
    _two_tensors("maximum", input, other)
    return Maximum.apply(input, other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum of two tensors (nan propagates)."""
    _two_tensors("minimum", input, other)
    return Minimum.apply(input, other)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum that ignores nan (nan only where both are nan)."""
    _two_tensors("fmax", input, other)
    return Fmax.apply(input, other)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum that ignores nan (nan only where both are nan)."""
    _two_tensors("fmin", input, other)
    return Fmin.apply(input, other)


# ---------------------------------------------------------------- lerp and atan2
class Lerp(Function):
    """``start + weight * (end - start)`` for a number ``weight``."""

    _backward_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, start, end, *, weight):
        ctx.weight = weight
        ctx.metas = (_meta(start), _meta(end))
        s, e = start._data, end._data
        try:
            # the end-anchored form for weight >= 0.5 makes lerp(s, e, 1) == e exactly, as in PyTorch
            return s + weight * (e - s) if abs(weight) < 0.5 else e - (e - s) * (1 - weight)
        except ValueError:
            raise _broadcast_error(start, end, "lerp") from None

    @staticmethod
    def backward(ctx, gy):
        w = ctx.weight
        needs = ctx.needs_input_grad
        gs = _grad_to(gy * (1 - w), *ctx.metas[0]) if needs[0] else None
        ge = _grad_to(gy * w, *ctx.metas[1]) if needs[1] else None
        return gs, ge


class LerpTensor(Function):
    """``start + weight * (end - start)`` for a tensor ``weight`` (broadcast)."""

    _backward_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start if ctx.needs_input_grad[2] else None,
                              end if ctx.needs_input_grad[2] else None, weight)
        ctx.metas = (_meta(start), _meta(end), _meta(weight))
        xp, s, e, w = start._xp(), start._data, end._data, weight._data
        try:
            return xp.where(xp.abs(w) < 0.5, s + w * (e - s), e - (e - s) * (1 - w))
        except ValueError:
            raise _shape_error("lerp", start, end, weight) from None

    @staticmethod
    def backward(ctx, gy):
        start, end, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        gs = _grad_to(gy * (1.0 - w), *ctx.metas[0]) if needs[0] else None
        ge = _grad_to(gy * w, *ctx.metas[1]) if needs[1] else None
        gw = _grad_to(gy * (end - start), *ctx.metas[2]) if needs[2] else None
        return gs, ge, gw


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """Linear interpolation ``input + weight * (end - input)``; ``weight`` is a number or a tensor.

    >>> saessak.lerp(saessak.tensor([0.0, 10.0]), saessak.tensor([10.0, 20.0]), 0.5)   # tensor([ 5., 15.])
    """
    operands = (("end", end), ("weight", weight)) if isinstance(weight, Tensor) else (("end", end),)
    for name, value in operands:
        if value.dtype != input.dtype:
            raise RuntimeError(
                f"lerp expected dtype {str(input.dtype).removeprefix('torch.')} for `{name}` but got dtype "
                f"{str(value.dtype).removeprefix('torch.')}; cast them to one dtype"
            )
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"lerp_kernel" not implemented for {input.dtype}: lerp needs floats')
    if isinstance(weight, Tensor):
        return LerpTensor.apply(input, end, weight)
    return Lerp.apply(input, end, weight=weight)


def lerp_(input: Tensor, end: Tensor, weight) -> Tensor:
    """In-place ``lerp``."""
    return apply_inplace(input, lerp(input, end, weight))


class Atan2(Function):
    """The angle of the point ``(other, input)``: ``atan(input / other)`` in the right quadrant."""

    _backward_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, x, y):
        a, b = _operands(x, y)
        if a.dtype.kind != "f":
            a = a.astype(dtypes.get_default_dtype().np)
            b = b.astype(a.dtype) if isinstance(b, np.ndarray) else b
        ctx.save_for_backward(x, y)
        try:
            return x._xp().arctan2(a, b)
        except ValueError:
            raise _broadcast_error(x, y, "atan2") from None

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        scale = gy / (x * x + y * y)
        gx = _grad_to(scale * y, *_meta(x)) if ctx.needs_input_grad[0] else None
        gb = _grad_to(scale * x * -1.0, *_meta(y)) if ctx.needs_input_grad[1] else None
        return gx, gb


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise angle of the point ``(other, input)`` in radians, in ``[-pi, pi]``."""
    if not isinstance(other, Tensor):
        other = as_operand(other, input)
    return Atan2.apply(input, other)


arctan2 = atan2


# ---------------------------------------------------------------- composites (gradients come from their parts)
def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """``log(exp(input) + exp(other))`` without overflow."""
    from .unary import exp, log1p

    high = maximum(input, other)
    return high + log1p(exp(-(input - other).abs()))


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """``log2(2 ** input + 2 ** other)`` without overflow."""
    import math

    return logaddexp(input * math.log(2.0), other * math.log(2.0)) / math.log(2.0)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """``sqrt(input ** 2 + other ** 2)``."""
    from .unary import sqrt

    return sqrt(input * input + other * other)
