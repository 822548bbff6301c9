"""Broadcasting and repetition: expand (a view), broadcast_to/tensors/shapes, repeat, tile, repeat_interleave."""

from __future__ import annotations

import numpy as np

from .._tensor import Size, Tensor, _wrap_dim
from ..autograd.function import Function
from ._broadcast import BroadcastTo
from .shape import _flat, _shape_arg, contiguous, reshape, unsqueeze, view


# ---------------------------------------------------------------- expand, broadcast, repeat
def expand(x: Tensor, *sizes) -> Tensor:
    """A broadcast view to ``sizes`` (-1 keeps a dim, new dims go in front); no memory is copied.

    >>> saessak.tensor([[1], [2]]).expand(2, 3).tolist()
    [[1, 1, 1], [2, 2, 2]]
    """
    sizes = _shape_arg(sizes)
    shape = x._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({x.type()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}"
                )
            target.append(s)
            continue
        have = shape[i - lead]
        if s == -1:
            s = have
        elif s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(sizes)}")
        if have != 1 and s != have:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        target.append(s)
    return BroadcastTo.apply(x, shape=tuple(target))


def broadcast_to(x: Tensor, shape) -> Tensor:
    """``x`` broadcast to ``shape`` (a view, like ``expand``)."""
    return expand(x, *tuple(shape))


def _broadcast_shape(shapes: list, tensors: bool) -> tuple:
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for index, shape in enumerate(shapes):
        for i, s in enumerate(shape, ndim - len(shape)):
            if s < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
            if out[i] == 1:
                out[i] = s
            elif s not in (1, out[i]):
                if tensors:
                    raise RuntimeError(
                        f"The size of tensor a ({out[i]}) must match the size of tensor b ({s}) at non-singleton "
                        f"dimension {i}"
                    )
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {s} at {i - ndim}! Mismatching argument at "
                    f"index {index} had {tuple(shape)}; but expected shape should be broadcastable to {out}"
                )
    return tuple(out)


def broadcast_tensors(*tensors) -> tuple:
    """All tensors broadcast to their common shape (views; a tensor already of that shape comes back as is)."""
    tensors = _flat(tensors)
    shape = _broadcast_shape([t._data.shape for t in tensors], tensors=True)
    return tuple(t if t._data.shape == shape else BroadcastTo.apply(t, shape=shape) for t in tensors)


def broadcast_shapes(*shapes) -> Size:
    """The shape that tensors of ``shapes`` broadcast to: ``broadcast_shapes((2, 1), (3,)) -> (2, 3)``."""
    return Size(_broadcast_shape([(int(s),) if isinstance(s, int) else tuple(s) for s in shapes], tensors=False))


class Repeat(Function):
    """Tile ``x`` ``sizes`` times along each dim; the gradient sums the tiles."""

    _backward_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, *, sizes):
        ctx.input_shape = x._data.shape
        ctx.sizes = sizes
        data = x._data.reshape((1,) * (len(sizes) - x._data.ndim) + x._data.shape)
        return x._xp().tile(data, sizes)

    @staticmethod
    def backward(ctx, gy):
        shape = (1,) * (len(ctx.sizes) - len(ctx.input_shape)) + ctx.input_shape
        pairs = []
        for r, s in zip(ctx.sizes, shape):
            pairs += [r, s]
        g = reshape(gy, tuple(pairs)).sum(tuple(range(0, 2 * len(shape), 2)))
        return reshape(g, ctx.input_shape)


def repeat(x: Tensor, *sizes) -> Tensor:
    """Tile the tensor ``sizes[i]`` times along dim ``i`` (a copy): ``(2, 3) -> repeat(2, 1) -> (4, 3)``."""
    sizes = _shape_arg(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    shape = (1,) * (len(sizes) - x.ndim) + x._data.shape
    result = [r * s for r, s in zip(sizes, shape)]
    if any(r < 0 for r in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(result)}: {result}")
    return Repeat.apply(x, sizes=sizes)


def tile(x: Tensor, dims) -> Tensor:
    """Like ``repeat``, padding ``dims`` with leading ones when it is shorter than ``x.ndim``."""
    dims = (int(dims),) if isinstance(dims, int) else tuple(int(d) for d in dims)
    return repeat(x, (1,) * (x.ndim - len(dims)) + dims)


def repeat_interleave(x: Tensor, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Repeat each element ``repeats`` times (an int or one count per element) along ``dim`` (flattened if None).

    ``repeat_interleave(counts)`` alone gives ``arange(len(counts))`` repeated ``counts`` times.

    >>> saessak.tensor([1, 2]).repeat_interleave(2).tolist()
    [1, 1, 2, 2]
    """
    from .index import index_select

    if repeats is None:
        counts = _repeat_counts(x, None)
        xp = x._xp()
        return Tensor._make(xp.repeat(xp.arange(counts.shape[0], dtype=np.int64), counts))
    if dim is None:
        x = reshape(x, -1)
        dim = 0
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    if isinstance(repeats, Tensor) and repeats.numel() != 1:
        counts = _repeat_counts(repeats, n, d)
        xp = x._xp()
        index = xp.repeat(xp.arange(n, dtype=np.int64), counts)
        return index_select(x, d, Tensor._make(index))
    count = int(repeats.item() if isinstance(repeats, Tensor) else repeats)
    if count < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = x._data.shape
    stretched = expand(unsqueeze(x, d + 1), *(shape[:d + 1] + (count,) + shape[d + 1:]))
    return view(contiguous(stretched), shape[:d] + (n * count,) + shape[d + 1:])


def _repeat_counts(repeats: Tensor, n: int | None, dim: int = 0):
    if repeats.dtype.is_floating_point or repeats.dtype.is_complex or repeats.dtype.name == "bool":
        raise RuntimeError("repeats has to be Long or Int tensor")
    if repeats.ndim > 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    counts = repeats._data.reshape(-1)
    if n is not None and counts.shape[0] != n:
        raise RuntimeError(
            "repeats must have the same size as input along dim, but got "
            f"repeats.size(0) = {counts.shape[0]} and input.size({dim}) = {n}"
        )
    if counts.size and int(counts.min()) < 0:
        raise RuntimeError("repeats can not be negative")
    return counts
