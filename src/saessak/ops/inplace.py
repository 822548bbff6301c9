"""In-place updates (``x.add_(y)``, ``x[...] = v`` helpers, ``fill_``, ``copy_``) and the one rule they share.

Without a graph to record, an in-place op is one ufunc writing into ``x``'s memory. With one, the op runs
out of place and ``apply_inplace`` writes the result into ``x``, bumps its version counter (so saved copies
of the old value are detected) and moves ``x``'s history onto the op's node.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state
from .arithmetic import (
    _broadcast_error,
    _grad_to,
    _ndarray,
    _operands,
    _scalar_types,
    add,
    addcdiv,
    addcmul,
    as_operand,
    div,
    floor_divide,
    mul,
    neg,
    pow,
    remainder,
    sub,
)
from .compare import bitwise_and, bitwise_or, bitwise_xor


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
    if _needs_graph(x, y) or not getattr(x._data.flags, "writeable", True):  # an expand: apply_inplace raises
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
        try:
            data = xp.broadcast_to(data, x._data.shape)
        except ValueError:
            raise _broadcast_error(x, src, "copy_") from None
        return data.astype(x._data.dtype, copy=True)

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
        raise _broadcast_error(x, src, "copy_") from None
    x._vc[0] += 1
    return x
