"""Strided windows over memory: ``as_strided`` and ``unfold`` (both views).

A strided view picks elements of a flat buffer by position (``offset + sum(index * stride)``), and may
pick one element several times. Its gradient is the reverse: add each output gradient into the
position it came from (``_Remap``), then read the input's positions back out.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function


def _positions(xp, shape: tuple, strides: tuple, offset: int):
    """The flat position of every element of a strided view: ``offset + sum(index * stride)``."""
    pos = xp.full((1,) * len(shape), offset, dtype=np.int64)
    for i, (n, s) in enumerate(zip(shape, strides)):
        pos = pos + (xp.arange(n, dtype=np.int64) * s).reshape((1,) * i + (n,) + (1,) * (len(shape) - i - 1))
    return xp.broadcast_to(pos, shape)


class _Remap(Function):
    """Move values between strided layouts of one flat buffer of ``length`` elements.

    ``scatter`` (positions, shaped like the input) adds the input into a zero buffer (None: the input is
    the buffer); ``gather`` (positions) reads the result out of it (None: the buffer shaped ``shape``).
    The op is linear, so its backward is the same op with ``scatter`` and ``gather`` swapped.
    """

    _backward_name = "AsStridedScatterBackward0"

    @staticmethod
    def forward(ctx, g, *, scatter, gather, length, shape):
        ctx.args = (scatter, gather, length, g._data.shape)
        xp = g._xp()
        if scatter is None:
            buffer = g._data.reshape(-1)
        else:
            buffer = xp.zeros(length, dtype=g._data.dtype)
            xp.add.at(buffer, scatter.reshape(-1), g._data.reshape(-1))
        return buffer.reshape(shape) if gather is None else buffer[gather]

    @staticmethod
    def backward(ctx, gy):
        scatter, gather, length, shape = ctx.args
        return _Remap.apply(gy, scatter=gather, gather=scatter, length=length, shape=shape)


class AsStrided(Function):
    """Elements of the base's flat memory at ``offset + sum(index * stride)`` (a view)."""

    _backward_name = "AsStridedBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, storage, *, size, stride, offset, input_region):
        from ._view_inplace import _region

        ctx.args = (size, stride, offset, input_region, storage.size)
        return _region(storage, (size, stride, offset))

    @staticmethod
    def backward(ctx, gy):
        size, stride, offset, (shape, strides, start), length = ctx.args
        xp = gy._xp()
        return _Remap.apply(
            gy, scatter=_positions(xp, size, stride, offset), gather=_positions(xp, shape, strides, start),
            length=length, shape=shape,
        ), None


def as_strided(x: Tensor, size, stride, storage_offset=None) -> Tensor:
    """A view with explicit ``size`` and ``stride`` (in elements) over the memory ``x`` lives in.

    ``storage_offset`` counts from the start of that memory (default: where ``x`` starts), as in PyTorch.

    >>> saessak.arange(6.).as_strided((2, 2), (1, 2)).tolist()
    [[0.0, 2.0], [1.0, 3.0]]
    """
    from ._view_inplace import region_of

    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape: size {list(size)}, stride {list(stride)}")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: {list(stride)}")
    root = x if x._base is None else x._base
    region = region_of(x, root) if root._data.flags.c_contiguous else None
    if region is None:  # x's memory is not one flat buffer we can name: its own contiguous copy stands in
        storage = x._data.reshape(-1) if x._data.flags.c_contiguous else x._data.ravel()
        region = (x._data.shape, tuple(s // x._data.itemsize for s in _c_strides(x._data)), 0)
    else:
        storage = root._data.reshape(-1)
    offset = region[2] if storage_offset is None else int(storage_offset)
    needed = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else offset
    if needed > storage.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and itemsize "
            f"{storage.itemsize} requiring a storage size of {needed * storage.itemsize} are out of bounds for "
            f"storage of size {storage.size * storage.itemsize}"
        )
    return AsStrided.apply(x, storage, size=size, stride=stride, offset=offset, input_region=region)


def _c_strides(data) -> tuple:
    strides, step = [], data.itemsize
    for n in reversed(data.shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


class Unfold(Function):
    """Windows of ``size`` every ``step`` along ``dim``, as a new last dim (a view)."""

    _backward_name = "UnfoldBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim, size, step):
        data = x._data
        ctx.args = (data.shape, dim, size, step)
        if data.ndim == 0:
            return data.reshape(1)
        count = (data.shape[dim] - size) // step + 1
        strides = data.strides
        shape = data.shape[:dim] + (count,) + data.shape[dim + 1:] + (size,)
        new_strides = strides[:dim] + (strides[dim] * step,) + strides[dim + 1:] + (strides[dim],)
        return x._xp().lib.stride_tricks.as_strided(data, shape, new_strides)

    @staticmethod
    def backward(ctx, gy):
        shape, dim, size, step = ctx.args
        if not shape:
            return gy.reshape(())
        xp = gy._xp()
        logical = [int(np.prod(shape[i + 1:])) for i in range(len(shape))]
        strides = logical[:dim] + [logical[dim] * step] + logical[dim + 1:] + [logical[dim]]
        positions = _positions(xp, gy._data.shape, tuple(strides), 0)
        return _Remap.apply(gy, scatter=positions, gather=None, length=int(np.prod(shape)), shape=shape)


def unfold(x: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """All windows of ``size`` along ``dimension`` every ``step``, as a new last dim (a view).

    >>> saessak.arange(5.).unfold(0, 2, 2).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """
    d = _wrap_dim(dimension, x.ndim)
    n = x._data.shape[d] if x.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return Unfold.apply(x, dim=d, size=int(size), step=int(step))
