"""Sorting and selection: sort, argsort, topk, kthvalue, median, mode, unique.

The differentiable ones return values picked from the input; their gradient goes back to the picked
positions (a scatter into zeros). Within one output slice no position is picked twice, so nothing needs
to accumulate. NaN counts as the largest value, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .extrema import _scatter_back
from .reduce import _return_type

sort_result = _return_type("sort")
topk_result = _return_type("topk")
kthvalue_result = _return_type("kthvalue")
median_result = _return_type("median")
mode_result = _return_type("mode")


class _Pick(Function):
    """Values of ``x`` at ``index`` along ``dim`` (``squeeze``: drop that dim); the gradient scatters back."""

    _backward_name = "SortBackward0"

    @staticmethod
    def forward(ctx, x, *, index, dim, squeeze=False):
        ctx.input_shape, ctx.dim, ctx.index, ctx.squeeze = x._data.shape, dim, index, squeeze
        if x._data.ndim == 0:
            return x._data.copy()
        values = x._xp().take_along_axis(x._data, index, axis=dim)
        return values.squeeze(dim) if squeeze else values

    @staticmethod
    def backward(ctx, gy):
        return _scatter_back(gy, ctx.index, ctx.input_shape, ctx.dim, not ctx.squeeze)


class _StableSortPick(_Pick):
    _backward_name = "SortBackward1"


class _TopkPick(_Pick):
    _backward_name = "TopkBackward0"


class _KthPick(_Pick):
    _backward_name = "KthvalueBackward0"


class _MedianPick(_Pick):
    _backward_name = "MedianBackward1"


class _MedianAllPick(_Pick):
    _backward_name = "MedianBackward0"


class _ModePick(_Pick):
    _backward_name = "ModeBackward0"


def _index_result(x: Tensor, index, dim: int, squeeze: bool) -> Tensor:
    if x.ndim == 0:
        return Tensor._make(x._xp().zeros((), dtype=np.int64))
    return Tensor._make(index.squeeze(dim) if squeeze else index)


# ---------------------------------------------------------------- sort
def _order(data, dim: int, descending: bool, xp):
    """Indices that sort ``data`` along ``dim``, stably: ties keep their original order."""
    if not descending:
        return xp.argsort(data, axis=dim, kind="stable")
    # descending and still stable: sort the reversed data ascending, reverse that, map positions back
    n = data.shape[dim]
    reversed_order = xp.argsort(xp.flip(data, dim), axis=dim, kind="stable")
    return (n - 1) - xp.flip(reversed_order, dim)


def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """Values sorted along ``dim`` and their original indices, as a named tuple (always stable here).

    >>> saessak.tensor([3, 1, 2]).sort()
    torch.return_types.sort(
    values=tensor([1, 2, 3]),
    indices=tensor([1, 2, 0]))
    """
    d = _wrap_dim(dim, x.ndim)
    index = None if x.ndim == 0 else _order(x._data, d, descending, x._xp()).astype(np.int64, copy=False)
    pick = _StableSortPick if stable else _Pick
    return sort_result(pick.apply(x, index=index, dim=d), _index_result(x, index, d, False))


def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Indices that sort ``x`` along ``dim``.

    >>> saessak.tensor([3, 1, 2]).argsort()
    tensor([1, 2, 0])
    """
    d = _wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return Tensor._make(x._xp().zeros((), dtype=np.int64))
    return Tensor._make(_order(x._data, d, descending, x._xp()).astype(np.int64, copy=False))


def msort(x: Tensor) -> Tensor:
    """Values sorted along dim 0."""
    return sort(x, 0).values


# ---------------------------------------------------------------- topk and kthvalue
def _top_indices(data, k: int, dim: int, largest: bool, xp):
    """Indices of the ``k`` largest (smallest) along ``dim``, best first (equal values in index order)."""
    n = data.shape[dim]
    if k == 0 or 4 * k >= n:
        return xp.take(_order(data, dim, largest, xp), xp.arange(k), axis=dim)
    # partition first (O(n)), then sort only the k chosen ones
    chosen = xp.argpartition(data, n - k if largest else k - 1, axis=dim)
    chosen = xp.sort(xp.take(chosen, xp.arange(n - k, n) if largest else xp.arange(k), axis=dim), axis=dim)
    order = _order(xp.take_along_axis(data, chosen, axis=dim), dim, largest, xp)
    return xp.take_along_axis(chosen, order, axis=dim)


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """The ``k`` largest (``largest=False``: smallest) values along ``dim`` and their indices.

    >>> saessak.tensor([1, 5, 3, 4]).topk(2)
    torch.return_types.topk(
    values=tensor([5, 4]),
    indices=tensor([1, 3]))
    """
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range: topk got k={k} for a dimension of size {n} "
                           f"(dim {d}); k must be between 0 and {n}")
    index = None if x.ndim == 0 else _top_indices(x._data, k, d, largest, x._xp()).astype(np.int64, copy=False)
    return topk_result(_TopkPick.apply(x, index=index, dim=d), _index_result(x, index, d, False))


def _check_selectable(x: Tensor, d: int, name: str) -> int:
    n = x._data.shape[d] if x.ndim else 1
    if n == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return n


def kthvalue(x: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """The ``k``-th smallest value (1-based) along ``dim`` and its index, as a named tuple.

    >>> saessak.tensor([5, 1, 4, 2]).kthvalue(2)
    torch.return_types.kthvalue(
    values=tensor(2),
    indices=tensor(3))
    """
    xp = x._xp()
    d = _wrap_dim(dim, x.ndim)
    n = _check_selectable(x, d, "kthvalue")
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}: got k={k} for a "
                           f"dimension of size {n}; k must be between 1 and {n}")
    index = None
    if x.ndim:
        index = _kth_index(x._data, k - 1, d, xp)
    squeeze = not keepdim
    return kthvalue_result(_KthPick.apply(x, index=index, dim=d, squeeze=squeeze), _index_result(x, index, d, squeeze))


def _kth_index(data, k: int, dim: int, xp):
    """Index (keeping ``dim``) of what a stable ascending sort would put at position ``k`` (0-based).

    O(n) instead of a sort: a partition finds the value, then ties resolve as the stable sort would (the
    ``k - below``-th equal element in original order, ``below`` counting the smaller elements).
    """
    value = xp.take(xp.partition(data, k, axis=dim), xp.asarray([k]), axis=dim)
    equal = data == value
    below = (data < value).sum(axis=dim, keepdims=True)
    if data.dtype.kind == "f" and xp.isnan(value).any():  # NaN sorts last: below a NaN are all the numbers
        nan_value, nans = xp.isnan(value), xp.isnan(data)
        equal = equal | (nans & nan_value)
        below = xp.where(nan_value, (~nans).sum(axis=dim, keepdims=True), below)
    rank = xp.cumsum(equal, axis=dim) - 1
    return xp.argmax(equal & (rank == k - below), axis=dim, keepdims=True).astype(np.int64, copy=False)


def _median_index(data, dim: int, xp):
    """Index of the lower median along ``dim`` (keeping the dim); a NaN anywhere makes the median NaN."""
    index = _kth_index(data, (data.shape[dim] - 1) // 2, dim, xp)
    if data.dtype.kind == "f":
        nans = xp.isnan(data)
        first_nan = xp.argmax(nans, axis=dim, keepdims=True)
        index = xp.where(nans.any(axis=dim, keepdims=True), first_nan, index)
    return index


def median(x: Tensor, dim=None, keepdim: bool = False):
    """The lower median of all elements, or along ``dim`` a ``(values, indices)`` named tuple.

    >>> saessak.tensor([1.0, 4.0, 2.0, 3.0]).median()
    tensor(2.)
    """
    return _median_of(x, dim, keepdim, _median_index, median_result, "median")


# ---------------------------------------------------------------- mode
def _mode_index(data, xp):
    """Per row of a 2-d array: the last position of its most frequent value (the smallest on ties)."""
    ranked = xp.sort(data, axis=-1)
    n = data.shape[-1]
    positions = xp.broadcast_to(xp.arange(n), ranked.shape)
    starts = xp.ones(ranked.shape, dtype=bool)
    starts[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
    run_start = xp.maximum.accumulate(xp.where(starts, positions, 0), axis=-1)
    # run lengths so far; the first maximum ends the longest run of the smallest such value
    best = xp.take_along_axis(ranked, xp.argmax(positions - run_start, axis=-1)[:, None], axis=-1)
    last = xp.argmax(xp.flip(data == best, -1), axis=-1)[:, None]
    return (n - 1) - last


def mode(x: Tensor, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest on ties) and the last index where it occurs.

    >>> saessak.tensor([[1, 2, 2], [3, 3, 1]]).mode(1).values
    tensor([2, 3])
    """
    xp = x._xp()
    d = _wrap_dim(dim, x.ndim)
    _check_selectable(x, d, "mode")
    index = None
    if x.ndim:
        moved = xp.moveaxis(x._data, d, -1)
        index = _mode_index(moved.reshape(-1, moved.shape[-1]), xp).reshape(moved.shape[:-1] + (1,))
        index = xp.moveaxis(index, -1, d).astype(np.int64, copy=False)
    squeeze = not keepdim
    return mode_result(_ModePick.apply(x, index=index, dim=d, squeeze=squeeze), _index_result(x, index, d, squeeze))


# ---------------------------------------------------------------- unique
def unique(x: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """The distinct values (sorted), optionally with the inverse mapping and the counts.

    With ``dim``, the distinct slices along it. ``x[inverse]`` rebuilds the input.

    >>> saessak.unique(saessak.tensor([3, 1, 3]), return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    xp, data = x._xp(), x._data
    if dim is None:
        values, inverse, counts = xp.unique(data.reshape(-1), return_inverse=True, return_counts=True)
        inverse = inverse.reshape(data.shape)
    else:
        d = _wrap_dim(dim, x.ndim)
        values, inverse, counts = xp.unique(data, return_inverse=True, return_counts=True, axis=d)
        inverse = inverse.reshape(-1)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64, copy=False)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64, copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(x: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """Collapse runs of equal consecutive values (of the flattened tensor, or of slices along ``dim``).

    >>> saessak.unique_consecutive(saessak.tensor([1, 1, 2, 1]))
    tensor([1, 2, 1])
    """
    xp = x._xp()
    if dim is None:
        data, d = x._data.reshape(-1), 0
    else:
        data, d = x._data, _wrap_dim(dim, x.ndim)
    n = data.shape[d]
    moved = xp.moveaxis(data, d, 0).reshape(n, data.size // n if n else 0)
    keep = xp.ones(n, dtype=bool)
    keep[1:] = (moved[1:] != moved[:-1]).any(axis=1)
    values = xp.compress(keep, data, axis=d)
    out = [Tensor._make(values)]
    group = xp.cumsum(keep) - 1
    if return_inverse:
        out.append(Tensor._make(group.astype(np.int64).reshape(x._data.shape if dim is None else -1)))
    if return_counts:
        out.append(Tensor._make(xp.bincount(group, minlength=values.shape[d]).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


# ---------------------------------------------------------------- quantiles and the NaN-ignoring median
nanmedian_result = _return_type("nanmedian")
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(x: Tensor, q, dim, keepdim: bool, interpolation: str, ignore_nan: bool, name: str) -> Tensor:
    """Sort along ``dim`` (NaN last), then gather and interpolate at ``q * (count - 1)``; built from
    differentiable ops, so the gradient flows to the (at most two) elements each quantile used."""
    from .pointwise import where
    from .scatter import gather

    xp = x._xp()
    if x.dtype.name not in ("float32", "float64"):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype, got {x.dtype}")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"{name}() interpolation must be one of {', '.join(_INTERPOLATIONS)}. "
                         f"Got {interpolation!r}")
    if isinstance(q, Tensor) and q.dtype != x.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor: got q of {q.dtype} for "
                           f"input of {x.dtype}")
    scalar_q = not isinstance(q, Tensor) or q.ndim == 0
    qs = np.atleast_1d(np.asarray(q.tolist() if isinstance(q, Tensor) else q, dtype=np.float64))
    if qs.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor, got shape {tuple(qs.shape)}")
    bad = qs[(qs < 0) | (qs > 1) | np.isnan(qs)]
    if bad.size:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {bad[0]:g}")
    ndim = x.ndim
    work = x.reshape(-1) if dim is None else (x.unsqueeze(0) if ndim == 0 else x)
    d = 0 if dim is None else _wrap_dim(dim, ndim)
    ranked = sort(work, d).values.movedim(d, -1)  # (*lead, n), NaN last
    n = ranked.shape[-1]
    if n == 0:
        raise IndexError(f"{name}() input tensor must be non-empty")
    nans = xp.isnan(ranked._data)
    count = (n - nans.sum(axis=-1, keepdims=True)) if ignore_nan else xp.full(ranked.shape[:-1] + (1,), n)
    shape = (len(qs),) + (1,) * ranked.ndim
    rank = xp.asarray(qs).reshape(shape) * xp.maximum(count - 1, 0)  # (Q, *lead, 1)
    if interpolation == "nearest":
        rank = xp.round(rank)  # half to even, as torch.round
    low = xp.floor(rank) if interpolation != "higher" else xp.ceil(rank)
    high = xp.ceil(rank) if interpolation not in ("lower", "nearest") else low
    expanded = ranked.unsqueeze(0).expand(len(qs), *ranked.shape)

    def pick(position):
        return gather(expanded, -1, Tensor._make(position.astype(np.int64))).squeeze(-1)

    out = pick(low)
    if interpolation in ("linear", "midpoint"):
        weight = 0.5 if interpolation == "midpoint" else (rank - low)[..., 0].astype(ranked._data.dtype)
        out = out + (pick(high) - out) * (weight if interpolation == "midpoint" else Tensor._make(weight))
    if not ignore_nan and nans.any():  # a NaN anywhere makes that quantile NaN
        out = where(Tensor._make(xp.broadcast_to(nans[..., -1], out.shape)), float("nan"), out)
    if keepdim:
        out = out.reshape(len(qs), *((1,) * ndim)) if dim is None or not ndim else out.unsqueeze(d + 1)
    return out.squeeze(0) if scalar_q else out


def quantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """The ``q``-quantiles (``q`` a number or a 1-D tensor in [0, 1]) over ``dim`` (all elements when None).

    A tensor ``q`` adds a leading dim of its length. NaN anywhere in a group makes its quantile NaN.

    >>> saessak.tensor([1.0, 2.0, 3.0, 4.0]).quantile(0.5)
    tensor(2.5000)
    """
    return _quantile(x, q, dim, keepdim, interpolation, False, "quantile")


def nanquantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """``quantile`` ignoring NaN values (a group of only NaN gives NaN).

    >>> saessak.tensor([1.0, float('nan'), 3.0]).nanquantile(0.5)
    tensor(2.)
    """
    return _quantile(x, q, dim, keepdim, interpolation, True, "nanquantile")


def _nanmedian_index(data, dim: int, xp):
    order = xp.argsort(data, axis=dim, kind="stable")  # NaN last
    valid = (~xp.isnan(data)).sum(axis=dim, keepdims=True) if data.dtype.kind == "f" else data.shape[dim]
    n = data.shape[dim]
    position = xp.where(valid > 0, (valid - 1) // 2, (n - 1) // 2)  # only NaN: the middle NaN, as torch
    position = xp.broadcast_to(position, order.shape[:dim] + (1,) + order.shape[dim + 1:])
    return xp.take_along_axis(order, position, axis=dim).astype(np.int64, copy=False)


def nanmedian(x: Tensor, dim=None, keepdim: bool = False):
    """``median`` ignoring NaN values: the lower median of the numbers (NaN if there are none).

    >>> saessak.tensor([1.0, float('nan'), 3.0, 2.0]).nanmedian()
    tensor(2.)
    """
    return _median_of(x, dim, keepdim, _nanmedian_index, nanmedian_result, "nanmedian")


def _median_of(x: Tensor, dim, keepdim: bool, find_index, result_type, name: str):
    """median and nanmedian: the element ``find_index`` picks, of everything or along ``dim``."""
    xp = x._xp()
    if dim is None:
        flat = x._data.reshape(-1)
        if flat.size == 0:
            return Tensor._make(xp.asarray(np.nan, dtype=flat.dtype))
        return _MedianAllPick.apply(x.reshape(-1), index=find_index(flat, 0, xp), dim=0, squeeze=True)
    d = _wrap_dim(dim, x.ndim)
    _check_selectable(x, d, name)
    index = find_index(x._data, d, xp) if x.ndim else None
    squeeze = not keepdim
    return result_type(_MedianPick.apply(x, index=index, dim=d, squeeze=squeeze), _index_result(x, index, d, squeeze))
