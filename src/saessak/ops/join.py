"""Joining and splitting: cat, stack and their variants; split, chunk, unbind (pieces are views)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .arithmetic import _check_devices


# ---------------------------------------------------------------- cat and stack
class Cat(Function):
    """Concatenate along ``dim`` (inputs promoted to one dtype); the gradient is split back into pieces."""

    _backward_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *tensors, dim, dtype):
        ctx.dim = dim
        ctx.sizes = [t._data.shape[dim] if t._data.ndim > 1 or t._data.shape[0] else 0 for t in tensors]
        ctx.dtypes = [t.dtype for t in tensors]
        arrays = [t._data for t in tensors if t._data.ndim > 1 or t._data.shape[0]] or [tensors[0]._data]
        return tensors[0]._xp().concatenate(arrays, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, gy):
        pieces = split(gy, ctx.sizes, ctx.dim)
        return tuple(_grad_like(g, d, size) for g, d, size in zip(pieces, ctx.dtypes, ctx.sizes))


def _grad_like(g, dtype, size):
    if not dtype.is_floating_point and not dtype.is_complex:
        return None
    return g if g.dtype == dtype else g.to(dtype)


def _common_dtype(tensors):
    from .. import dtypes

    d = tensors[0].dtype
    for t in tensors[1:]:
        d = dtypes.promote_types(d, t.dtype)
    return d


def _tensor_list(tensors, op: str) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return tensors


def _write_out(result: Tensor, out) -> Tensor:
    """``out=``: the result's values written into ``out`` (resized when its shape differs)."""
    if out is None:
        return result
    if out._data.shape != result._data.shape:
        out._data = out._xp().empty(result._data.shape, dtype=out._data.dtype)
    out._data[...] = result._data
    out._vc[0] += 1
    return out


def cat(tensors, dim: int = 0, *, axis: int | None = None, out=None) -> Tensor:
    """Concatenate tensors along an existing ``dim``; all other dims must match.

    >>> saessak.cat([saessak.zeros(2, 3), saessak.ones(1, 3)]).shape
    torch.Size([3, 3])
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    dim = dim if axis is None else axis
    # PyTorch skips legacy empty 1-D tensors of shape (0,) when checking shapes
    kept = [t for t in tensors if not (t.ndim == 1 and t._data.shape[0] == 0)] or tensors[:1]
    ref = kept[0]
    if ref.ndim == 0:
        position = next(i for i, t in enumerate(tensors) if t is ref)
        raise RuntimeError(f"zero-dimensional tensor (at position {position}) cannot be concatenated")
    d = _wrap_dim(dim, ref.ndim)
    for i, t in enumerate(tensors):
        if t is ref or (t.ndim == 1 and t._data.shape[0] == 0):
            continue
        _check_devices(ref, t)
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t._data.shape[k] != ref._data.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref._data.shape[k]} but "
                    f"got size {t._data.shape[k]} for tensor number {i} in the list."
                )
    dtype = _common_dtype(tensors)
    return _write_out(Cat.apply(*tensors, dim=d, dtype=dtype.np), out)


concat = concatenate = cat


class Stack(Function):
    """Join same-shape tensors along a new ``dim``; the gradient is unbound back into the pieces."""

    _backward_name = "StackBackward0"

    @staticmethod
    def forward(ctx, *tensors, dim, dtype):
        ctx.dim = dim
        ctx.dtypes = [t.dtype for t in tensors]
        return tensors[0]._xp().stack([t._data for t in tensors], axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, gy):
        return tuple(_grad_like(g, d, 1) for g, d in zip(unbind(gy, ctx.dim), ctx.dtypes))


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Join tensors of the same shape along a new ``dim``: two ``(2, 3)`` tensors -> ``(2, 2, 3)``."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        _check_devices(tensors[0], t)
        if t._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 and "
                f"{list(t._data.shape)} at entry {i}"
            )
    d = _wrap_dim(dim, len(shape) + 1)
    dtype = _common_dtype(tensors)
    return _write_out(Stack.apply(*tensors, dim=d, dtype=dtype.np), out)


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
class Split(Function):
    """Consecutive pieces of ``sizes`` along ``dim`` (views); the gradient concatenates them back."""

    _backward_name = "SplitBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, sizes, dim):
        ctx.dim = dim
        data, lead = x._data, (slice(None),) * dim
        out, start = [], 0
        for size in sizes:
            out.append(data[lead + (slice(start, start + size),)])
            start += size
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim)


class _SplitWithSizes(Split):
    _backward_name = "SplitWithSizesBackward0"


def split(x: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes (views).

    >>> [p.shape[0] for p in saessak.arange(5).split(2)]
    [2, 2, 1]
    """
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    if isinstance(split_size_or_sections, int | Tensor) and (
        not isinstance(split_size_or_sections, Tensor) or split_size_or_sections.ndim == 0
    ):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n):
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
                if size == 0 else f"split expects split_size be non-negative, but got split_size={size}"
            )
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if size else [0]
        return Split.apply(x, sizes=tuple(sizes), dim=d)
    sizes = tuple(int(s) for s in split_size_or_sections)
    if sum(sizes) != n or any(s < 0 for s in sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
            f"{d}), but got split_sizes={list(sizes)}"
        )
    return _SplitWithSizes.apply(x, sizes=sizes, dim=d)


def tensor_split(x: Tensor, indices_or_sections, dim: int = 0) -> tuple:
    """``n`` nearly equal pieces (the first ones one longer), or the pieces between the given indices (views)."""
    from .shape import Narrow

    if x.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec.dtype.is_floating_point or spec.dtype.name == "bool" or spec.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional "
                f"tensor with integer dtype, but got a tensor with {spec.ndim} dims and dtype {spec.dtype}"
            )
        spec = int(spec.item()) if spec.ndim == 0 else [int(i) for i in spec.tolist()]
    if isinstance(spec, int):
        if spec <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {spec}")
        base, extra = divmod(n, spec)
        bounds = np.cumsum([0] + [base + 1] * extra + [base] * (spec - extra)).tolist()
    else:
        bounds = [0] + [min(max(int(i) + n if int(i) < 0 else int(i), 0), n) for i in spec] + [n]
    return tuple(
        Narrow.apply(x, dim=d, start=a, length=max(b - a, 0)) for a, b in zip(bounds[:-1], bounds[1:])
    )


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Up to ``chunks`` pieces of equal size ``ceil(n / chunks)`` along ``dim`` (views)."""
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = x._data.shape[_wrap_dim(dim, x.ndim)]
    if n == 0:
        return Split.apply(x, sizes=(0,) * chunks, dim=_wrap_dim(dim, x.ndim))
    return split(x, -(-n // chunks), dim)


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
