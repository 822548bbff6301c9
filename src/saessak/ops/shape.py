"""Shape ops (being completed): reshape so far."""

from __future__ import annotations

from ..autograd.function import Function


class Reshape(Function):
    """A view (or copy, when the memory layout requires it) with a new shape."""

    _backward_name = "ViewBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


def reshape(x, *shape):
    """The same elements with a new shape (one dimension may be -1)."""
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    if tuple(shape) == x._data.shape:
        return x
    return Reshape.apply(x, shape=tuple(shape))
