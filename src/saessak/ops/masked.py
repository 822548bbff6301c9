"""Masks: masked_fill, masked_select and masked_scatter (mask and input broadcast together), fill_diagonal_."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state
from .arithmetic import _broadcast_error, _grad_to, as_operand
from .index import Index, IndexPut, Plan, _writable
from .inplace import _check_inplace, apply_inplace
from .shape import reshape

_numbers = (int, float, bool, np.number, np.bool_)


# ---------------------------------------------------------------- masks
def _mask_array(x, mask, op: str):
    if not isinstance(mask, Tensor):
        mask = as_operand(mask, x)
    if mask._data.dtype.kind != "b":
        raise RuntimeError(f"{op} only supports boolean masks, but got mask with dtype "
                           f"{str(mask.dtype).replace('torch.', '')}")
    return mask


def _broadcast_shape(x, mask, op: str) -> tuple:
    try:
        return tuple(np.broadcast_shapes(x._data.shape, mask._data.shape))
    except ValueError:
        raise _broadcast_error(x, mask, op) from None


class MaskedFill(Function):
    """``value`` where ``mask`` is true, ``x`` elsewhere; ``value`` a number or a 0-d tensor."""

    _backward_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, value_tensor, *, mask, value, shape):
        xp = x._xp()
        out = xp.broadcast_to(x._data, shape).copy()
        fill = value_tensor._data if value_tensor is not None else value
        xp.copyto(out, xp.asarray(fill), casting="unsafe", where=mask)
        ctx.mask, ctx.x_meta = mask, (x._data.shape, x._data.dtype)
        if value_tensor is not None:
            ctx.value_meta = (value_tensor._data.shape, value_tensor._data.dtype)
        return out

    @staticmethod
    def backward(ctx, gy):
        xp = gy._xp()
        gx = gv = None
        if ctx.needs_input_grad[0]:
            keep = Tensor._make(xp.logical_not(ctx.mask).astype(gy._data.dtype))
            gx = _grad_to(gy * keep, *ctx.x_meta)
        if ctx.needs_input_grad[1]:
            filled = Tensor._make(xp.broadcast_to(ctx.mask, gy._data.shape).astype(gy._data.dtype))
            gv = _grad_to((gy * filled).sum(), *ctx.value_meta)
        return gx, gv


class MaskedFillTensor(MaskedFill):
    _backward_name = "MaskedFillBackward1"


def _fill_value(value):
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value._data.ndim} dimension(s).")
        return value, None
    if not isinstance(value, _numbers):
        raise TypeError(f"masked_fill(): value must be a number or a 0-dimensional tensor, got "
                        f"{type(value).__name__}")
    return None, value


def masked_fill(x: Tensor, mask, value) -> Tensor:
    """A copy of ``x`` with ``value`` where the bool ``mask`` (broadcast) is true.

    >>> saessak.tensor([1., 2., 3.]).masked_fill(saessak.tensor([True, False, True]), 0.)
    tensor([0., 2., 0.])
    """
    mask = _mask_array(x, mask, "masked_fill_")
    value_tensor, number = _fill_value(value)
    shape = _broadcast_shape(x, mask, "masked_fill")
    fn = MaskedFill if value_tensor is None else MaskedFillTensor
    return fn.apply(x, value_tensor, mask=mask._data, value=number, shape=shape)


def masked_fill_(x: Tensor, mask, value) -> Tensor:
    """In-place ``masked_fill``: ``mask`` must broadcast to ``x``'s shape."""
    mask = _mask_array(x, mask, "masked_fill_")
    value_tensor, number = _fill_value(value)
    shape = _broadcast_shape(x, mask, "masked_fill_")
    if shape != x._data.shape:
        raise RuntimeError(f"output with shape {list(x._data.shape)} doesn't match the broadcast shape "
                           f"{list(shape)}")
    if state.enabled and (x._requires_grad or value_tensor is not None and value_tensor._requires_grad):
        return apply_inplace(x, masked_fill(x, mask, value))
    _check_inplace(x)
    _writable(x)
    fill = value_tensor._data if value_tensor is not None else number
    x._xp().copyto(x._data, x._xp().asarray(fill), casting="unsafe", where=mask._data)
    x._vc[0] += 1
    return x


def fill_diagonal_(x: Tensor, fill_value, wrap: bool = False) -> Tensor:
    """Set the main diagonal of ``x`` (2-D, or N-D with equal sizes) to ``fill_value`` in place.

    With ``wrap``, a tall matrix's diagonal restarts every ``columns + 1`` rows, as in NumPy's ``fill_diagonal``.

    >>> saessak.zeros(2, 3).fill_diagonal_(5.0)   # [[5, 0, 0], [0, 5, 0]]
    """
    if x.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    diagonal = np.zeros(tuple(x.shape), dtype=bool)
    np.fill_diagonal(diagonal, True, wrap=wrap)
    return masked_fill_(x, Tensor._make(x._xp().asarray(diagonal)), fill_value)


class MaskedSelect(Function):
    """The elements of ``x`` where ``mask`` is true (both broadcast), as a 1-D copy."""

    _backward_name = "MaskedSelectBackward0"

    @staticmethod
    def forward(ctx, x, *, mask, shape):
        xp = x._xp()
        ctx.plan = Plan(None, (xp.broadcast_to(mask, shape),), "IndexBackward0")
        ctx.shape, ctx.x_meta = shape, (x._data.shape, x._data.dtype)
        return xp.broadcast_to(x._data, shape)[ctx.plan.advanced]

    @staticmethod
    def backward(ctx, gy):
        zeros = Tensor._make(gy._xp().zeros(ctx.shape, dtype=gy._data.dtype))
        return _grad_to(IndexPut.apply(zeros, gy, plan=ctx.plan, accumulate=True), *ctx.x_meta)


def masked_select(x: Tensor, mask) -> Tensor:
    """A 1-D tensor of the elements of ``x`` where the bool ``mask`` is true (broadcast together)."""
    mask = _mask_array(x, mask, "masked_select:")
    return MaskedSelect.apply(x, mask=mask._data, shape=_broadcast_shape(x, mask, "masked_select"))


class MaskedScatter(Function):
    """``x`` with its masked positions filled, in order, by the first elements of ``source``."""

    _backward_name = "MaskedScatterBackward0"

    @staticmethod
    def forward(ctx, x, source, *, mask, shape):
        xp = x._xp()
        mask = xp.broadcast_to(mask, shape)
        count = int(mask.sum())
        if source._data.size < count:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        out = xp.broadcast_to(x._data, shape).copy()
        out[mask] = source._data.reshape(-1)[:count].astype(out.dtype, copy=False)
        ctx.mask, ctx.count = mask, count
        ctx.x_meta, ctx.source_shape = (x._data.shape, x._data.dtype), source._data.shape
        return out

    @staticmethod
    def backward(ctx, gy):
        xp = gy._xp()
        gx = gs = None
        if ctx.needs_input_grad[0]:
            keep = Tensor._make(xp.logical_not(ctx.mask).astype(gy._data.dtype))
            gx = _grad_to(gy * keep, *ctx.x_meta)
        if ctx.needs_input_grad[1]:
            picked = Index.apply(gy, plan=Plan(None, (ctx.mask,), "IndexBackward0"))
            size = int(np.prod(ctx.source_shape))
            zeros = Tensor._make(xp.zeros(size, dtype=gy._data.dtype))
            first = Plan((slice(0, ctx.count), Ellipsis), None, "SliceBackward0")
            gs = reshape(IndexPut.apply(zeros, picked, plan=first, accumulate=False), ctx.source_shape)
        return gx, gs


def masked_scatter(x: Tensor, mask, source: Tensor) -> Tensor:
    """A copy of ``x`` whose positions where ``mask`` is true take ``source``'s elements in order."""
    mask = _mask_array(x, mask, "masked_scatter_:")
    return MaskedScatter.apply(x, source, mask=mask._data, shape=_broadcast_shape(x, mask, "masked_scatter"))
