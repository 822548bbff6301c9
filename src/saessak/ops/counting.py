"""Counting and binning (no gradients): bincount, histc, searchsorted, bucketize."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor


def bincount(x: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each non-negative integer occurs in the 1-D ``x`` (weighted sums with ``weights``)."""
    if x.ndim != 1 or x.dtype.is_floating_point:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    data = x._data
    if data.size and data.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else weights._data
    out = x._xp().bincount(data, weights=w, minlength=minlength)
    if w is None:
        return Tensor._make(out.astype(np.int64))
    dtype = w.dtype if w.dtype.kind == "f" else np.float64
    return Tensor._make(out.astype(dtype))


def histc(x: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """A histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's range when both are 0)."""
    data = x._data.reshape(-1)
    low, high = float(min), float(max)
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    counts, _ = np.histogram(data if isinstance(data, np.ndarray) else data.get(), bins=bins, range=(low, high))
    return Tensor._make(x._xp().asarray(counts.astype(x._data.dtype)))


def searchsorted(sorted_sequence: Tensor, values, *, out_int32: bool = False, right: bool = False, side=None,
                 sorter=None) -> Tensor:
    """Indices where ``values`` would be inserted into the sorted last dim of ``sorted_sequence``."""
    side = side or ("right" if right else "left")
    seq = sorted_sequence._data
    vals = values._data if isinstance(values, Tensor) else np.asarray(values)
    xp = sorted_sequence._xp()
    if seq.ndim == 1:
        out = xp.searchsorted(seq, vals, side=side)
    else:
        rows = seq.reshape(-1, seq.shape[-1])
        queries = vals.reshape(rows.shape[0], -1)
        out = xp.stack([xp.searchsorted(r, q, side=side) for r, q in zip(rows, queries)]).reshape(vals.shape)
    return Tensor._make(xp.asarray(out).astype(np.int32 if out_int32 else np.int64))


def bucketize(input: Tensor, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket index of each element given 1-D sorted ``boundaries``."""
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
