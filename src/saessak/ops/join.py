"""Joining and splitting: cat, stack and their variants; split, chunk, unbind (pieces are views)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .arithmetic import _check_devices


# ---------------------------------------------------------------- cat and stack
class Cat(Function):
    """Concatenate along ``dim``; the gradient is split back into the pieces' sizes."""

    _backward_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *tensors, dim):
        ctx.dim = dim
        ctx.sizes = [t._data.shape[dim] for t in tensors]
        return tensors[0]._xp().concatenate([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, gy):
        return tuple(split(gy, ctx.sizes, ctx.dim))


def _dtype_of(tensors):
    from .. import dtypes

    d = tensors[0].dtype
    for t in tensors[1:]:
        d = dtypes.promote_types(d, t.dtype)
    return d


def cat(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Concatenate tensors along an existing ``dim``; all other dims must match."""
    tensors = [t for t in tensors]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    # PyTorch skips legacy empty 1-D tensors of shape (0,)
    kept = [t for t in tensors if not (t.ndim == 1 and t._data.shape[0] == 0)] or tensors[:1]
    ref = kept[0]
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, ref.ndim)
    for i, t in enumerate(kept[1:], 1):
        _check_devices(ref, t)
        if t.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}"
            )
        for k in range(ref.ndim):
            if k != d and t._data.shape[k] != ref._data.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref._data.shape[k]} but "
                    f"got size {t._data.shape[k]} for tensor number {i} in the list."
                )
    dtype = _dtype_of(kept)
    kept = [t.to(dtype) for t in kept]
    if len(kept) == 1:
        return kept[0].clone() if kept[0] is ref else kept[0]
    return Cat.apply(*kept, dim=d)


concat = concatenate = cat


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Join tensors of the same shape along a new ``dim``."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 and "
                f"{list(t._data.shape)} at entry {i}"
            )
    d = _wrap_dim(dim, len(shape) + 1)
    return cat([t.unsqueeze(d) for t in tensors], d)


def hstack(tensors) -> Tensor:
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Concatenate along dim 0, turning 1-D tensors into rows."""
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


row_stack = vstack


def dstack(tensors) -> Tensor:
    """Concatenate along dim 2, lifting tensors to 3-D."""
    from .shape import atleast_3d

    return cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors) -> Tensor:
    """Stack 1-D tensors as columns (2-D tensors are concatenated along dim 1)."""
    return cat([t.reshape(-1, 1) if t.ndim < 2 else t for t in tensors], 1)


# ---------------------------------------------------------------- split, chunk, unbind
def split(x: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the given sizes (views)."""
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if size else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
                f"{d}), but got split_sizes={sizes}"
            )
    out, start = [], 0
    for s in sizes:
        out.append(x.narrow(d, start, s))
        start += s
    return tuple(out)


def tensor_split(x: Tensor, indices_or_sections, dim: int = 0) -> tuple:
    """Split into ``n`` nearly equal pieces, or at the given indices."""
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        base, extra = divmod(n, k)
        sizes = [base + 1] * extra + [base] * (k - extra)
    else:
        bounds = [0] + [min(max(int(i), 0), n) for i in indices_or_sections] + [n]
        sizes = [max(b - a, 0) for a, b in zip(bounds[:-1], bounds[1:])]
        starts = bounds[:-1]
        return tuple(x.narrow(d, min(s, n), sz) for s, sz in zip(starts, sizes))
    return split(x, sizes, d)


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Up to ``chunks`` pieces of equal size ``ceil(n / chunks)`` along ``dim``."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = x._data.shape[_wrap_dim(dim, x.ndim)]
    size = max(int(np.ceil(n / chunks)), 1) if n else 1
    return split(x, size, dim) if n else (x,) * 1


class Unbind(Function):
    """Slices along ``dim`` with that dim removed (views); the gradient stacks them back."""

    _backward_name = "UnbindBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        data = x._data
        return tuple(data[(slice(None),) * dim + (i,)] for i in range(data.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return stack(grads, ctx.dim)


def unbind(x: Tensor, dim: int = 0) -> tuple:
    """Remove ``dim``, returning the slices along it."""
    if x.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, x.ndim)
    if x._data.shape[d] == 0:
        return ()
    out = Unbind.apply(x, dim=d)
    return out if isinstance(out, tuple) else (out,)
