"""Sorting and selection: sort, argsort, topk, kthvalue, median, mode, unique.

The differentiable ones return values picked from the input; their gradient goes back to the picked
positions (a scatter into zeros), so repeated picks are impossible and no accumulation is needed.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .reduce import _return_type

sort_result = _return_type("sort")
topk_result = _return_type("topk")
kthvalue_result = _return_type("kthvalue")
median_result = _return_type("median")
mode_result = _return_type("mode")


class _Pick(Function):
    """Values gathered from ``x`` at ``index`` along ``dim``; the gradient scatters back to those positions."""

    _backward_name = "SortBackward0"

    @staticmethod
    def forward(ctx, x, *, index, dim):
        ctx.input_shape, ctx.dim, ctx.index = x._data.shape, dim, index
        if x._data.ndim == 0:
            return x._data.copy()
        return x._xp().take_along_axis(x._data, index, axis=dim)

    @staticmethod
    def backward(ctx, gy):
        from ..creation import zeros
        from .scatter import scatter

        if not ctx.input_shape:
            return gy
        index = Tensor._make(ctx.index)
        return scatter(zeros(*ctx.input_shape, dtype=gy.dtype, device=gy.device), ctx.dim, index, gy)


class _SortPick(_Pick):
    _backward_name = "SortBackward0"


class _TopkPick(_Pick):
    _backward_name = "TopkBackward0"


class _KthPick(_Pick):
    _backward_name = "KthvalueBackward0"


class _MedianPick(_Pick):
    _backward_name = "MedianBackward1"


class _ModePick(_Pick):
    _backward_name = "ModeBackward0"


def _order(data, dim: int, descending: bool, stable: bool, xp):
    """Indices that sort ``data`` along ``dim``; stable, so ties keep their original order."""
    if descending:
        key = -data.astype(np.float64) if data.dtype.kind in "biu" else -data
        return xp.argsort(key, axis=dim, kind="stable")
    return xp.argsort(data, axis=dim, kind="stable")


def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """Sorted values and their original indices along ``dim`` (a named tuple)."""
    xp = x._xp()
    if x.ndim == 0:
        return sort_result(_SortPick.apply(x, index=None, dim=0), Tensor._make(xp.zeros((), dtype=np.int64)))
    d = _wrap_dim(dim, x.ndim)
    index = _order(x._data, d, descending, stable, xp).astype(np.int64)
    return sort_result(_SortPick.apply(x, index=index, dim=d), Tensor._make(index))


def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Indices that sort ``x`` along ``dim``."""
    return sort(x, dim, descending, stable).indices


def msort(x: Tensor) -> Tensor:
    """Sort along dim 0."""
    return sort(x, 0).values


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
    xp = x._xp()
    d = _wrap_dim(dim, x.ndim) if x.ndim else 0
    n = x._data.shape[d] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range (k={k}, size {n} along dim {d})")
    if x.ndim == 0:
        return topk_result(_TopkPick.apply(x, index=None, dim=0), Tensor._make(xp.zeros((), dtype=np.int64)))
    order = _order(x._data, d, largest, True, xp)
    index = xp.take(order, xp.arange(k), axis=d).astype(np.int64)
    return topk_result(_TopkPick.apply(x, index=index, dim=d), Tensor._make(index))


def kthvalue(x: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """The ``k``-th smallest value (1-based) along ``dim`` and its index."""
    xp = x._xp()
    d = _wrap_dim(dim, x.ndim) if x.ndim else 0
    n = x._data.shape[d] if x.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if x.ndim == 0:
        return kthvalue_result(_KthPick.apply(x, index=None, dim=0), Tensor._make(xp.zeros((), dtype=np.int64)))
    order = xp.argsort(x._data, axis=d, kind="stable")
    index = xp.take(order, xp.asarray([k - 1]), axis=d).astype(np.int64)
    values = _KthPick.apply(x, index=index, dim=d)
    indices = Tensor._make(index)
    if not keepdim:
        values, indices = values.squeeze(d), indices.squeeze(d)
    return kthvalue_result(values, indices)


def median(x: Tensor, dim=None, keepdim: bool = False):
    """The lower median (of all elements, or values and indices along ``dim``)."""
    if dim is None:
        flat = x.reshape(-1)
        n = flat.shape[0]
        if n == 0:
            from ..creation import tensor

            return tensor(float("nan"), dtype=x.dtype)
        order = flat._xp().argsort(flat._data, kind="stable")
        index = order[(n - 1) // 2: (n - 1) // 2 + 1].astype(np.int64)
        return _MedianPick.apply(flat, index=index, dim=0).reshape(())
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d] if x.ndim else 1
    result = kthvalue(x, (n - 1) // 2 + 1, d, keepdim)
    return median_result(result.values, result.indices)


def mode(x: Tensor, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest on ties) and an index where it occurs."""
    xp = x._xp()
    d = _wrap_dim(dim, x.ndim) if x.ndim else 0
    data = xp.moveaxis(x._data, d, -1) if x.ndim else x._data.reshape(1)
    lead = data.shape[:-1]
    flat = data.reshape(-1, data.shape[-1])
    values_idx = np.empty(flat.shape[0], dtype=np.int64)
    host = flat if isinstance(flat, np.ndarray) else flat.get()
    for row in range(host.shape[0]):  # one np.unique per row: rows are few, each is vectorised
        uniq, counts = np.unique(host[row], return_counts=True)
        best = uniq[np.argmax(counts)]
        values_idx[row] = np.nonzero(host[row] == best)[0][-1]
    index = xp.asarray(values_idx.reshape(lead + (1,)))
    if x.ndim:
        index = xp.moveaxis(index, -1, d)
        values = _ModePick.apply(x, index=index, dim=d)
        indices = Tensor._make(index)
        if not keepdim:
            values, indices = values.squeeze(d), indices.squeeze(d)
    else:
        values = _ModePick.apply(x, index=None, dim=0)
        indices = Tensor._make(xp.zeros((), dtype=np.int64))
    return mode_result(values, indices)


def unique(x: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """The distinct values (sorted), optionally with the inverse mapping and the counts."""
    xp = x._xp()
    data = x._data
    if dim is None:
        values, inverse, counts = xp.unique(data.reshape(-1), return_inverse=True, return_counts=True)
        inverse = inverse.reshape(data.shape)
    else:
        d = _wrap_dim(dim, x.ndim)
        values, inverse, counts = xp.unique(data, return_inverse=True, return_counts=True, axis=d)
        inverse = inverse.reshape(-1)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(x: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """Collapse runs of equal consecutive values (flattened when ``dim`` is None)."""
    data = x._data.reshape(-1) if dim is None else x._data
    xp = x._xp()
    if data.size == 0:
        keep = xp.zeros(0, dtype=bool)
    else:
        keep = xp.concatenate([xp.ones(1, dtype=bool), data[1:] != data[:-1]])
    values = data[keep]
    out = [Tensor._make(values)]
    group = xp.cumsum(keep) - 1
    if return_inverse:
        out.append(Tensor._make(group.astype(np.int64).reshape(x._data.shape)))
    if return_counts:
        out.append(Tensor._make(xp.bincount(group, minlength=values.shape[0]).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)
