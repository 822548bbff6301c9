"""Padding and resizing: ``F.pad`` (constant, reflect, replicate, circular) and ``F.interpolate``."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Function
from ...ops.shape import _Pad

__all__ = ["pad", "interpolate"]


class _PadMode(Function):
    """Reflect, replicate or circular padding; the gradient folds the padded border back (a scatter-add)."""

    _backward_name = "ReflectionPadBackward0"

    @staticmethod
    def forward(ctx, x, *, widths, mode):
        ctx.input_shape, ctx.widths, ctx.mode = x._data.shape, widths, mode
        xp = x._xp()
        # the index of the source element of every output position, to send gradients back
        index = xp.arange(x._data.size).reshape(x._data.shape)
        ctx.source = xp.pad(index, widths, mode={"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode])
        return x._data.reshape(-1)[ctx.source]

    @staticmethod
    def backward(ctx, gy):
        from ...creation import zeros

        flat = zeros(int(np.prod(ctx.input_shape)), dtype=gy.dtype)
        return flat.index_add(0, Tensor._make(ctx.source.reshape(-1)), gy.reshape(-1)).reshape(ctx.input_shape)


def pad(input: Tensor, pad: tuple, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` dims; ``pad`` lists (left, right) pairs starting from the last dim."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.ndim}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if any(a < 0 or b < 0 for a, b in widths):
        # negative padding crops
        index = tuple(slice(max(-a, 0), input.shape[d] - max(-b, 0)) for d, (a, b) in enumerate(widths))
        input = input[index]
        widths = [(max(a, 0), max(b, 0)) for a, b in widths]
    if mode == "constant":
        return _Pad.apply(input, widths=tuple(widths), value=0.0 if value is None else value)
    return _PadMode.apply(input, widths=tuple(widths), mode=mode)


def _source_index(out_size: int, in_size: int, scale, align_corners: bool, mode: str):
    if mode == "nearest":
        factor = (1.0 / scale) if scale else in_size / out_size
        return np.minimum(np.floor(np.arange(out_size) * factor).astype(np.int64), in_size - 1)
    if align_corners:
        return np.arange(out_size) * ((in_size - 1) / (out_size - 1)) if out_size > 1 else np.zeros(out_size)
    factor = (1.0 / scale) if scale else in_size / out_size
    return np.maximum((np.arange(out_size) + 0.5) * factor - 0.5, 0.0)


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:
    """Resize the spatial dims: 'nearest', 'linear' (3-D) or 'bilinear' (4-D), by ``size`` or ``scale_factor``."""
    spatial = input.ndim - 2
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = [scale_factor] * spatial if not isinstance(scale_factor, tuple | list) else list(scale_factor)
    if size is not None:
        sizes = [size] * spatial if isinstance(size, int) else list(size)
        scales = [None] * spatial
    else:
        sizes = [int(np.floor(input.shape[2 + i] * scales[i])) for i in range(spatial)]
    if recompute_scale_factor:
        scales = [None] * spatial
    out = input
    for i in range(spatial):
        dim = 2 + i
        src = _source_index(sizes[i], input.shape[dim], scales[i], bool(align_corners), mode)
        if mode == "nearest":
            out = out.index_select(dim, Tensor._make(src))
        elif mode in ("linear", "bilinear"):
            low = np.floor(src).astype(np.int64)
            high = np.minimum(low + 1, input.shape[dim] - 1)
            frac = (src - low).astype(input._data.dtype)
            shape = [1] * out.ndim
            shape[dim] = -1
            weight = Tensor._make(frac.reshape(shape))
            a = out.index_select(dim, Tensor._make(low))
            b = out.index_select(dim, Tensor._make(high))
            out = a + (b - a) * weight
        else:
            raise NotImplementedError(f"interpolate mode '{mode}' is not supported yet")
    return out
