"""In-place changes through a view, with autograd (PyTorch's CopySlices).

When ``v = base[...]`` (or any view) is changed in place while the graph is recorded, the change lands
in ``base``'s memory, so ``base``'s history must change too. A view is a region of its base's memory:
(shape, strides, offset) in elements. Two functional ops on that region are enough:

- ``RegionGet(base)``: the region's values (``v`` recomputed from ``base``);
- ``RegionPut(base, src)``: ``base`` with the region replaced by ``src``.

Each is the other's backward, so gradients of any order flow through them.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function


def _region(array, region: tuple):
    shape, strides, offset = region
    flat = array.reshape(-1)
    xp = np if isinstance(array, np.ndarray) else __import__("cupy")
    item = array.itemsize
    return xp.lib.stride_tricks.as_strided(flat[offset:], shape, tuple(s * item for s in strides))


def region_of(view, base) -> tuple | None:
    """(shape, strides, offset) of ``view`` inside a contiguous ``base``, in elements; None if not expressible."""
    b = base._data
    if not b.flags.c_contiguous:
        return None
    v = view._data
    item = v.itemsize
    start = view.data_ptr() - base.data_ptr()
    if start % item or any(s % item for s in v.strides):
        return None
    return (v.shape, tuple(s // item for s in v.strides), start // item)


class RegionGet(Function):
    """The values of a region of ``x`` (a copy); backward puts the gradient back into zeros."""

    _backward_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, x, *, region):
        ctx.region = region
        ctx.input_meta = (x._data.shape, x._data.dtype)
        return _region(x._data, region).copy()

    @staticmethod
    def backward(ctx, gy):
        from ..creation import zeros

        shape, dtype = ctx.input_meta
        base = zeros(*shape, dtype=gy.dtype, device=gy.device)
        return RegionPut.apply(base, gy, region=ctx.region)


class RegionPut(Function):
    """``x`` with a region replaced by ``src`` (a copy); the overwritten part of ``x`` gets no gradient."""

    _backward_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, src, *, region):
        ctx.region = region
        out = x._data.copy()
        _region(out, region)[...] = src._data
        return out

    @staticmethod
    def backward(ctx, gy):
        from ..creation import zeros

        gx = gsrc = None
        if ctx.needs_input_grad[0]:
            shape = ctx.region[0]
            gx = RegionPut.apply(gy, zeros(*shape, dtype=gy.dtype, device=gy.device), region=ctx.region)
        if ctx.needs_input_grad[1]:
            gsrc = RegionGet.apply(gy, region=ctx.region)
        return gx, gsrc


def rebase_view_history(view, result) -> bool:
    """After ``view``'s memory got ``result`` in place: give its base and itself the new history.

    Returns False when the view's layout can't be described as a region of its base (the caller raises).
    """
    base = view._base
    region = region_of(view, base)
    if region is None:
        return False
    new_base = RegionPut.apply(base, result, region=region)
    base._grad_fn, base._out_idx, base._requires_grad = new_base._grad_fn, 0, True
    new_view = RegionGet.apply(base, region=region)
    view._grad_fn, view._out_idx, view._requires_grad = new_view._grad_fn, 0, True
    return True
