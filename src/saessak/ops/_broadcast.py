"""Undo broadcasting: every binary op's backward sums its gradient back to its input's shape."""

from __future__ import annotations

from ..autograd.function import Function


def sum_to(g, shape: tuple):
    """Sum ``g`` over the dimensions broadcasting added or stretched, so that it has ``shape``."""
    if g._data.shape == shape:
        return g
    return SumTo.apply(g, shape=tuple(shape))


def _summed_axes(from_shape: tuple, to_shape: tuple) -> tuple:
    lead = len(from_shape) - len(to_shape)
    axes = list(range(lead))
    for i, size in enumerate(to_shape):
        if size == 1 and from_shape[i + lead] != 1:
            axes.append(i + lead)
    return tuple(axes)


class SumTo(Function):
    """Sum a broadcast gradient back to ``shape``; its backward broadcasts again."""

    _backward_name = "SumToSizeBackward0"

    @staticmethod
    def forward(ctx, x, *, shape):
        data = x._data
        ctx.input_shape = data.shape
        axes = _summed_axes(data.shape, shape)
        if len(data.shape) - len(shape) < 0:
            raise RuntimeError(f"size {list(shape)} is not expandable to size {list(data.shape)}")
        if not axes:
            return data.reshape(shape)
        if len(axes) == len(data.shape) - len(shape) and data.shape[len(axes):] == shape:
            return data.sum(axis=axes)  # only leading axes summed: a fresh array, no view (a leaf's .grad as is)
        return data.sum(axis=axes, keepdims=True).reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return broadcast_to(gy, ctx.input_shape)


def broadcast_to(x, shape: tuple):
    """View ``x`` expanded to ``shape`` (no copy); the gradient is summed back."""
    if x._data.shape == tuple(shape):
        return x
    return BroadcastTo.apply(x, shape=tuple(shape))


class BroadcastTo(Function):
    """A read-only broadcast view of ``x``; backward sums over the stretched dimensions."""

    _backward_name = "ExpandBackward0"
    _view_of = 0  # expand is a view: it shares memory and the version counter with its input

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        try:
            out = x._xp().broadcast_to(x._data, shape)
        except ValueError:
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[-1] if shape else 0}) must match the existing "
                f"size ({x._data.shape[-1] if x._data.shape else 0}) at non-singleton dimension: "
                f"target sizes {list(shape)}, tensor sizes {list(x._data.shape)}"
            ) from None
        return out

    @staticmethod
    def backward(ctx, gy):
        return sum_to(gy, ctx.input_shape)
