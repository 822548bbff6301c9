"""Pooling: max and average over sliding windows, and adaptive pooling to a fixed output size.

A window view (N, C, *out, *kernel) of the padded input is a strided view, never a copy; pooling walks the
kernel offsets, one vectorised array operation per offset (4 for a 2x2 window), never per pixel. Each op's
gradient is its adjoint, written as the companion op below it, so double backward works:

    y = MaxPool(x)     gx = MaxPoolScatter(gy)     (and MaxPoolScatter's gradient is MaxPoolGather)
    y = WindowSum(x)   gx = WindowSpread(gy)       (average pooling is WindowSum divided by the counts)
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._im2col import _windows
from .conv import _pair


def _xp(array):
    return np if isinstance(array, np.ndarray) else __import__("cupy")


def _geometry(kernel_size, stride, padding, dilation, n: int):
    kernel = _pair(kernel_size, n)
    stride = _pair(stride if stride is not None and stride != [] else kernel, n)
    padding, dilation = _pair(padding, n), _pair(dilation, n)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={padding[0]}, "
                           f"kernel_size={kernel[0]} and dilation={dilation[0]}")
    return kernel, stride, padding, dilation


def _pad_widths(spatial, kernel, stride, padding, dilation, ceil_mode: bool) -> tuple:
    """(before, after) padding per spatial dim; ceil mode adds room on the right for one more window."""
    widths = []
    for i in range(len(kernel)):
        extra = 0
        if ceil_mode:
            span = spatial[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1
            out_floor, out_ceil = span // stride[i] + 1, -(-span // stride[i]) + 1
            if (out_ceil - 1) * stride[i] >= spatial[i] + padding[i]:  # the last window must start inside
                out_ceil -= 1
            extra = (out_ceil - out_floor) * stride[i]
        widths.append((padding[i], padding[i] + extra))
    return ((0, 0), (0, 0)) + tuple(widths)


def _padded(data, widths, value):
    return _xp(data).pad(data, widths, constant_values=value) if any(sum(w) for w in widths) else data


def _crop(image, widths):
    index = tuple(slice(before, image.shape[d] - after) for d, (before, after) in enumerate(widths))
    return image[index]


def _writable_windows(image, kernel, stride, dilation):
    """A writable window view (N, C, *out, *kernel) of ``image``; for a fixed kernel offset no two windows
    share an element, so ``view[..., offset] += g`` adds each value exactly once."""
    xp = _xp(image)
    n = len(kernel)
    out = tuple((image.shape[2 + i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(n))
    strides = image.strides
    view_strides = strides[:2] + tuple(strides[2 + i] * stride[i] for i in range(n)) + \
        tuple(strides[2 + i] * dilation[i] for i in range(n))
    return xp.lib.stride_tricks.as_strided(image, image.shape[:2] + out + kernel, view_strides)


def _lowest(dtype):
    return -math.inf if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


# ---------------------------------------------------------------- max pooling
def _first_maxima(view, y, kernel: tuple) -> list:
    """Per kernel offset, a mask of the windows whose first maximum sits there (first NaN, if any).

    Branch-free: one comparison per offset and a running "not found yet" mask; the last offset takes
    whatever is left, so no argmax over a copy and no per-window loop.
    """
    xp = _xp(y)
    nan = np.issubdtype(y.dtype, np.floating) and bool(xp.isnan(y).any())
    offsets = list(np.ndindex(*kernel))
    hits, remaining = [], None
    for i, offset in enumerate(offsets):
        if i == len(offsets) - 1:
            hits.append(remaining if remaining is not None else xp.ones(y.shape, dtype=bool))
            break
        candidate = view[(Ellipsis,) + offset]
        hit = candidate == y
        if nan:
            hit |= xp.isnan(candidate) & xp.isnan(y)
        if remaining is None:
            remaining = ~hit
        else:
            hit &= remaining
            remaining ^= hit
        hits.append(hit)
    return hits


def _winner_index(hits: list):
    """The masks of ``_first_maxima`` as one array of kernel-offset indices."""
    xp = _xp(hits[0])
    winner = xp.zeros(hits[0].shape, dtype=np.uint8 if len(hits) < 256 else np.int32)
    for i, hit in enumerate(hits[1:], 1):
        winner += hit * winner.dtype.type(i)
    return winner


class MaxPool(Function):
    """The maximum of every window; the gradient goes to each window's first maximum, as PyTorch's does."""

    _backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel, stride, widths, dilation):
        data = x._data
        xp = _xp(data)
        view, _ = _windows(_padded(data, widths, _lowest(data.dtype)), kernel, dilation, (0,) * len(kernel), stride)
        offsets = list(np.ndindex(*kernel))
        y = view[(Ellipsis,) + offsets[0]].copy()
        for offset in offsets[1:]:
            xp.maximum(y, view[(Ellipsis,) + offset], out=y)  # maximum, unlike max, lets NaN through
        ctx.view, ctx.y = view, y
        ctx.geometry = (data.shape, kernel, stride, widths, dilation)
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, gy):
        ctx.saved_tensors  # noqa: B018 - raises if the input was modified in place since
        hits = _first_maxima(ctx.view, ctx.y, ctx.geometry[1])
        return MaxPoolScatter.apply(gy, hits=hits, geometry=ctx.geometry)


def _tiles(geometry) -> bool:
    """True when the windows tile the input exactly: no overlap, no padding, nothing left over."""
    shape, kernel, stride, widths, dilation = geometry
    return (tuple(stride) == tuple(kernel) and all(d == 1 for d in dilation) and not any(sum(w) for w in widths)
            and all(s % k == 0 for s, k in zip(shape[2:], kernel)))


class MaxPoolScatter(Function):
    """The gradient of max pooling: each window's gradient added at the element that won it."""

    _backward_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def forward(ctx, gy, *, hits, geometry):
        shape, kernel, stride, widths, dilation = geometry
        g = gy._data
        xp = _xp(g)
        padded = tuple(s + a + b for s, (a, b) in zip(shape, widths))
        tiles = _tiles(geometry)
        gx = xp.empty(padded, dtype=g.dtype) if tiles else xp.zeros(padded, dtype=g.dtype)
        view = _writable_windows(gx, kernel, stride, dilation)
        finite = bool(xp.isfinite(g).all())  # a product with the 0/1 mask is faster than where, but inf * 0 is NaN
        zero = g.dtype.type(0)
        for hit, offset in zip(hits, np.ndindex(*kernel)):
            target = view[(Ellipsis,) + offset]
            if tiles and finite:  # every element belongs to one window: write, no need to clear and add
                xp.multiply(g, hit, out=target)
            else:
                target += g * hit if finite else xp.where(hit, g, zero)
        ctx.hits, ctx.geometry = hits, geometry
        return _crop(gx, widths)

    @staticmethod
    def backward(ctx, ggx):
        return MaxPoolGather.apply(ggx, hits=ctx.hits, geometry=ctx.geometry)


class MaxPoolGather(Function):
    """Picks, from every window of ``x``, the element at the position a max pooling chose."""

    _backward_name = "MaxPoolGatherBackward0"

    @staticmethod
    def forward(ctx, x, *, hits, geometry):
        _, kernel, stride, widths, dilation = geometry
        view, _ = _windows(_padded(x._data, widths, 0), kernel, dilation, (0,) * len(kernel), stride)
        xp = _xp(x._data)
        y = xp.zeros(hits[0].shape, dtype=x._data.dtype)
        for hit, offset in zip(hits, np.ndindex(*kernel)):
            xp.copyto(y, view[(Ellipsis,) + offset], where=hit)
        ctx.hits, ctx.geometry = hits, geometry
        return y

    @staticmethod
    def backward(ctx, gy):
        return MaxPoolScatter.apply(gy, hits=ctx.hits, geometry=ctx.geometry)


def _flat_indices(winner, spatial, kernel, stride, padding, dilation):
    """Each window's winner as a flat index into its (unpadded) input plane, as PyTorch reports it."""
    xp = _xp(winner)
    out = winner.shape[2:]
    offsets = xp.unravel_index(winner.astype(np.int64), kernel)
    coords = []
    for i in range(len(kernel)):
        start = xp.arange(out[i]).reshape((-1,) + (1,) * (len(out) - 1 - i)) * stride[i]
        coords.append(start + offsets[i] * dilation[i] - padding[i])
    return xp.ravel_multi_index(tuple(coords), spatial, mode="clip").astype(np.int64)


def _max_pool(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode: bool, return_indices: bool, n: int):
    if input.ndim == n + 1:
        out = _max_pool(input.unsqueeze(0), kernel_size, stride, padding, dilation, ceil_mode, return_indices, n)
        return tuple(o.squeeze(0) for o in out) if return_indices else out.squeeze(0)
    if input.ndim != n + 2:
        raise RuntimeError(f"max_pool{n}d: Expected {n + 1}D or {n + 2}D input, but got input of size: "
                           f"{list(input.shape)}")
    kernel, stride, padding, dilation = _geometry(kernel_size, stride, padding, dilation, n)
    widths = _pad_widths(tuple(input.shape[2:]), kernel, stride, padding, dilation, ceil_mode)
    y = MaxPool.apply(input, kernel=kernel, stride=stride, widths=widths, dilation=dilation)
    if not return_indices:
        return y
    data = input._data
    view, _ = _windows(_padded(data, widths, _lowest(data.dtype)), kernel, dilation, (0,) * n, stride)
    winner = _winner_index(_first_maxima(view, y._data, kernel))
    flat = _flat_indices(winner, tuple(input.shape[2:]), kernel, stride, padding, dilation)
    return y, Tensor._make(flat)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of (N, C, L)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of (N, C, D, H, W)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` returning (values, flat indices) always."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 1)


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` returning (values, flat indices) always."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 2)


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """``max_pool3d`` returning (values, flat indices) always."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 3)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of (N, C, H, W); the gradient goes to each window's (first) maximum.

    >>> F.max_pool2d(saessak.arange(16.).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


# ---------------------------------------------------------------- average pooling
class WindowSum(Function):
    """The sum of every (zero-padded) window."""

    _backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel, stride, widths):
        view, _ = _windows(_padded(x._data, widths, 0), kernel, (1,) * len(kernel), (0,) * len(kernel), stride)
        offsets = list(np.ndindex(*kernel))
        y = view[(Ellipsis,) + offsets[0]].copy()
        for offset in offsets[1:]:
            y += view[(Ellipsis,) + offset]
        ctx.geometry = (x._data.shape, kernel, stride, widths)
        return y

    @staticmethod
    def backward(ctx, gy):
        return WindowSpread.apply(gy, geometry=ctx.geometry)


class WindowSpread(Function):
    """The adjoint of ``WindowSum``: each window's value added to every element of the window."""

    _backward_name = "AvgPool2DBackwardBackward0"

    @staticmethod
    def forward(ctx, gy, *, geometry):
        shape, kernel, stride, widths = geometry
        g = gy._data
        padded = tuple(s + a + b for s, (a, b) in zip(shape, widths))
        gx = _xp(g).zeros(padded, dtype=g.dtype)
        view = _writable_windows(gx, kernel, stride, (1,) * len(kernel))
        for offset in np.ndindex(*kernel):
            view[(Ellipsis,) + offset] += g
        ctx.geometry = geometry
        return _crop(gx, widths)

    @staticmethod
    def backward(ctx, ggx):
        _, kernel, stride, widths = ctx.geometry
        return WindowSum.apply(ggx, kernel=kernel, stride=stride, widths=widths)


def _avg_pool(input: Tensor, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, n: int):
    if input.ndim == n + 1:
        return _avg_pool(input.unsqueeze(0), kernel_size, stride, padding, ceil_mode, count_include_pad,
                         divisor_override, n).squeeze(0)
    if input.ndim != n + 2:
        raise RuntimeError(f"avg_pool{n}d: Expected {n + 1}D or {n + 2}D input, but got input of size: "
                           f"{list(input.shape)}")
    kernel, stride, padding, _ = _geometry(kernel_size, stride, padding, 1, n)
    spatial = tuple(input.shape[2:])
    widths = _pad_widths(spatial, kernel, stride, padding, (1,) * n, ceil_mode)
    sums = WindowSum.apply(input, kernel=kernel, stride=stride, widths=widths)
    if divisor_override:
        return sums / divisor_override
    if not ceil_mode and (count_include_pad or not any(padding)):
        return sums / math.prod(kernel)
    # windows differ in size: count, per window, the elements inside the input (and its padding, if counted)
    counted = np.zeros((1, 1) + tuple(s + a + b for s, (a, b) in zip(spatial, widths[2:])))
    region = tuple(slice(0, a + s + p) if count_include_pad else slice(a, a + s)
                   for s, (a, _), p in zip(spatial, widths[2:], padding))
    counted[(0, 0) + region] = 1
    view, _ = _windows(counted, kernel, (1,) * n, (0,) * n, stride)
    counts = view.sum(tuple(range(-n, 0)))
    return sums / Tensor._make(counts.astype(input._data.dtype)).to(input.device)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Average over sliding windows of (N, C, L)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """Average over sliding windows of (N, C, H, W)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2)


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """Average over sliding windows of (N, C, D, H, W)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3)


# ---------------------------------------------------------------- max unpooling
def _max_unpool(input: Tensor, indices: Tensor, kernel_size, stride, padding, output_size, n: int) -> Tensor:
    if input.ndim == n + 1:
        return _max_unpool(input.unsqueeze(0), indices.unsqueeze(0), kernel_size, stride, padding, output_size,
                           n).squeeze(0)
    if input.ndim != n + 2:
        raise RuntimeError(f"max_unpool{n}d: Expected {n + 1}D or {n + 2}D input, but got input of size: "
                           f"{list(input.shape)}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    kernel, stride, padding, _ = _geometry(kernel_size, stride, padding, 1, n)
    spatial = tuple(input.shape[2:])
    default = tuple((spatial[i] - 1) * stride[i] - 2 * padding[i] + kernel[i] for i in range(n))
    if output_size is None:
        out = default
    else:
        out = tuple(int(s) for s in output_size)[-n:]
        if len(out) != n:
            raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a "
                             f"length of '{len(tuple(output_size))}'")
        for i in range(n):
            if not default[i] - stride[i] < out[i] < default[i] + stride[i]:
                raise ValueError(f"invalid output_size \"{list(out)}\" (dim {i} must be between "
                                 f"{default[i] - stride[i]} and {default[i] + stride[i]})")
    from ..creation import zeros

    batch, channels = input.shape[:2]
    flat = zeros(batch, channels, math.prod(out), dtype=input.dtype, device=input.device)
    return flat.scatter(2, indices.flatten(2), input.flatten(2)).reshape(batch, channels, *out)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool1d``: each value put back at its index, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool2d``: each value put back at its flat index, zeros elsewhere.

    >>> y, i = F.max_pool2d(saessak.arange(16.).reshape(1, 1, 4, 4), 2, return_indices=True)
    >>> F.max_unpool2d(y, i, 2)[0, 0, 1]
    tensor([ 0.,  5.,  0.,  7.])
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool3d``."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


# ---------------------------------------------------------------- adaptive pooling
def _adaptive_bins(size: int, out: int) -> list[tuple[int, int]]:
    return [((i * size) // out, -((-(i + 1) * size) // out)) for i in range(out)]


def _adaptive_sizes(input: Tensor, output_size, n: int, name: str) -> tuple:
    if input.ndim not in (n + 1, n + 2):
        raise RuntimeError(f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got input of size "
                           f"{list(input.shape)}")
    sizes = _pair(output_size, n)
    if len(sizes) != n:
        raise ValueError(f"{name}: output_size must be {n}, got {output_size}")
    return tuple(s if s is not None else input.shape[input.ndim - n + i] for i, s in enumerate(sizes))


def _adaptive_pool(input: Tensor, output_size, reduce: str, n: int, name: str) -> Tensor:
    """Mean or max over adaptive bins; both reductions are separable, so it reduces one dim at a time."""
    from .join import stack

    sizes = _adaptive_sizes(input, output_size, n, name)
    out = input
    for i, out_size in enumerate(sizes):
        dim = input.ndim - n + i
        size = out.shape[dim]
        if size % out_size == 0:  # equal bins: one reshape and one reduction
            blocks = out.reshape(*out.shape[:dim], out_size, size // out_size, *out.shape[dim + 1:])
            out = blocks.mean(dim + 1) if reduce == "mean" else blocks.amax(dim + 1)
        else:
            cells = [out.narrow(dim, a, b - a) for a, b in _adaptive_bins(size, out_size)]
            out = stack([c.mean(dim) if reduce == "mean" else c.amax(dim) for c in cells], dim)
    return out


def _adaptive_argmax(data, sizes: tuple):
    """Flat index (within each plane) of each adaptive bin's first maximum (first NaN, if any), as int64."""
    xp = _xp(data)
    n = len(sizes)
    spatial = data.shape[-n:]
    index = xp.empty(data.shape[:-n] + tuple(sizes), dtype=np.int64)
    bins = [_adaptive_bins(spatial[i], sizes[i]) for i in range(n)]
    for cell_index in np.ndindex(*sizes):
        bounds = [bins[i][c] for i, c in enumerate(cell_index)]
        cell = data[(Ellipsis,) + tuple(slice(a, b) for a, b in bounds)]
        cell = cell.reshape(data.shape[:-n] + (-1,))
        if np.issubdtype(cell.dtype, np.floating):
            cell = xp.where(xp.isnan(cell), xp.inf, cell)  # NaN wins, as in PyTorch
        where = xp.unravel_index(cell.argmax(-1), tuple(b - a for a, b in bounds))
        coords = tuple(w + a for w, (a, _) in zip(where, bounds))
        index[(Ellipsis,) + cell_index] = xp.ravel_multi_index(coords, spatial)
    return index


def _adaptive_max_pool(input: Tensor, output_size, return_indices: bool, n: int):
    sizes = _adaptive_sizes(input, output_size, n, f"adaptive_max_pool{n}d")
    squeeze = input.ndim == n + 1
    x = input.unsqueeze(0) if squeeze else input
    index = Tensor._make(_adaptive_argmax(x._data, sizes)).to(x.device)
    # the values are gathered at the indices, so the gradient goes to each bin's first maximum (as PyTorch's)
    values = x.flatten(2).gather(2, index.flatten(2)).reshape(index.shape)
    if squeeze:
        values, index = values.squeeze(0), index.squeeze(0)
    return (values, index) if return_indices else values


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Average pooling of (N, C, L) to a fixed output length."""
    return _adaptive_pool(input, output_size, "mean", 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling of (N, C, H, W) to a fixed output size (None keeps that dim).

    >>> F.adaptive_avg_pool2d(saessak.ones(1, 3, 7, 5), 1).shape
    saessak.Size([1, 3, 1, 1])
    """
    return _adaptive_pool(input, output_size, "mean", 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Average pooling of (N, C, D, H, W) to a fixed output size."""
    return _adaptive_pool(input, output_size, "mean", 3, "adaptive_avg_pool3d")


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of (N, C, L) to a fixed output length; with ``return_indices`` also each maximum's index."""
    return _adaptive_max_pool(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of (N, C, H, W) to a fixed output size; with ``return_indices`` also each maximum's flat index
    per plane."""
    return _adaptive_max_pool(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of (N, C, D, H, W) to a fixed output size."""
    return _adaptive_max_pool(input, output_size, return_indices, 3)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool1d`` returning (values, indices) always."""
    return _adaptive_max_pool(input, output_size, True, 1)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool2d`` returning (values, indices) always."""
    return _adaptive_max_pool(input, output_size, True, 2)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool3d`` returning (values, indices) always."""
    return _adaptive_max_pool(input, output_size, True, 3)
