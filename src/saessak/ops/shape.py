"""Shape ops: views (view, reshape, transpose, permute, squeeze, expand, narrow...) and copies (clone, flip...).

Views share memory and the version counter with their input (``_view_of = 0``), as PyTorch's do, so
writing through ``x.view(-1)[0] = 5`` changes ``x``. Joining and splitting (cat, stack, split, chunk...)
live in ``ops/join.py``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Size, Tensor, _wrap_dim
from ..autograd.function import Function
from ._broadcast import broadcast_to as _broadcast_to


def _shape_arg(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], tuple | list | Size):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _infer_shape(shape: tuple, numel: int, original: tuple) -> tuple:
    """Resolve one -1 and check the element count, with PyTorch's messages."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


# ---------------------------------------------------------------- view and reshape
class View(Function):
    """The same memory seen with another shape."""

    _backward_name = "ViewBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        data = x._data
        if not data.flags.c_contiguous and data.size > 1:
            try:
                out = data.view()
                out.shape = shape  # succeeds only when no copy is needed, like PyTorch's view
            except AttributeError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least one dimension "
                    "spans across two contiguous subspaces). Use .reshape(...) instead."
                ) from None
            return out
        return data.reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


class Reshape(Function):
    """A view when the memory layout allows it, else a copy (``reshape``'s contract)."""

    _backward_name = "ReshapeAliasBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


class _ReshapeCopy(Reshape):
    _backward_name = "UnsafeViewBackward0"
    _view_of = None


def view(x: Tensor, *shape) -> Tensor:
    """The same memory with a new shape (one dim may be -1); fails on a non-contiguous layout."""
    shape = _infer_shape(_shape_arg(shape), x._data.size, x._data.shape)
    return View.apply(x, shape=shape)


def reshape(x: Tensor, *shape) -> Tensor:
    """The same elements with a new shape: a view when possible, a copy only when it must."""
    shape = _infer_shape(_shape_arg(shape), x._data.size, x._data.shape)
    if shape == x._data.shape:
        return View.apply(x, shape=shape) if x._requires_grad else x
    data = x._data
    if data.flags.c_contiguous or _can_view(data, shape):
        return View.apply(x, shape=shape)
    return _ReshapeCopy.apply(x, shape=shape)


def _can_view(data, shape) -> bool:
    out = data.view()
    try:
        out.shape = shape
    except AttributeError:
        return False
    return True


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one."""
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = _wrap_dim(start_dim, x.ndim), _wrap_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = x._data.shape
    return reshape(x, shape[:start] + (-1,) + shape[end + 1:]) if start != end else x


def unflatten(x: Tensor, dim: int, sizes) -> Tensor:
    """Split dim ``dim`` into ``sizes``."""
    d = _wrap_dim(dim, x.ndim)
    shape = x._data.shape
    sizes = tuple(sizes)
    if -1 in sizes:
        known = int(np.prod([s for s in sizes if s != -1]))
        sizes = tuple(shape[d] // known if s == -1 else s for s in sizes)
    if int(np.prod(sizes)) != shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({shape[d]}) "
            "in the input tensor"
        )
    return view(x, shape[:d] + sizes + shape[d + 1:]) if x._data.flags.c_contiguous else \
        reshape(x, shape[:d] + sizes + shape[d + 1:])


# ---------------------------------------------------------------- squeeze, unsqueeze
class Squeeze(Function):
    """Drop size-1 dims."""

    _backward_name = "SqueezeBackward1"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.input_shape = x._data.shape
        return x._data.squeeze(axis=dims) if dims else x._data.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


def squeeze(x: Tensor, dim=None) -> Tensor:
    """Remove dims of size 1 (all, or only ``dim`` when it has size 1)."""
    shape = x._data.shape
    if dim is None:
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(d for d in (_wrap_dim(d, x.ndim) for d in dims) if x.ndim and shape[d] == 1)
    return Squeeze.apply(x, dims=dims)


class Unsqueeze(Function):
    """Insert a size-1 dim."""

    _backward_name = "UnsqueezeBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        return x._xp().expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, gy):
        return squeeze(gy, ctx.dim)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``."""
    return Unsqueeze.apply(x, dim=_wrap_dim(dim, x.ndim + 1))


def _set_meta_inplace(x: Tensor, out: Tensor) -> Tensor:
    """``x`` takes ``out``'s metadata (shape/strides) and history: the in-place metadata ops (squeeze_...)."""
    x._data = out._data
    if out._grad_fn is not None:
        x._grad_fn, x._out_idx = out._grad_fn, out._out_idx
    return x


def squeeze_(x: Tensor, dim=None) -> Tensor:
    """In-place ``squeeze``."""
    return _set_meta_inplace(x, squeeze(x, dim))


def unsqueeze_(x: Tensor, dim: int) -> Tensor:
    """In-place ``unsqueeze``."""
    return _set_meta_inplace(x, unsqueeze(x, dim))


# ---------------------------------------------------------------- transpose, permute
class Permute(Function):
    """Reorder dims (a strided view)."""

    _backward_name = "PermuteBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        return x._data.transpose(dims)

    @staticmethod
    def backward(ctx, gy):
        return Permute.apply(gy, dims=tuple(np.argsort(ctx.dims)))


class Transpose(Function):
    """Swap two dims (a strided view)."""

    _backward_name = "TransposeBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim0, dim1):
        ctx.dims = (dim0, dim1)
        return x._data.swapaxes(dim0, dim1)

    @staticmethod
    def backward(ctx, gy):
        return Transpose.apply(gy, dim0=ctx.dims[0], dim1=ctx.dims[1])


def permute(x: Tensor, *dims) -> Tensor:
    """Reorder the dims: ``x.permute(2, 0, 1)``."""
    dims = _shape_arg(dims)
    if len(dims) != x.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(_wrap_dim(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(x, dims=dims)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap dims ``dim0`` and ``dim1``."""
    n = x.ndim
    if n == 0:
        return View.apply(x, shape=())
    return Transpose.apply(x, dim0=_wrap_dim(dim0, n), dim1=_wrap_dim(dim1, n))


swapaxes = swapdims = transpose


def t(x: Tensor) -> Tensor:
    """Transpose a tensor of at most 2 dims."""
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else x


def transpose_(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """In-place ``transpose`` (changes strides, not memory)."""
    return _set_meta_inplace(x, transpose(x, dim0, dim1))


def t_(x: Tensor) -> Tensor:
    """In-place ``t``."""
    return _set_meta_inplace(x, t(x))


def movedim(x: Tensor, source, destination) -> Tensor:
    """Move dims from ``source`` positions to ``destination`` positions."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(d, x.ndim) for d in src]
    dst = [_wrap_dim(d, x.ndim) for d in dst]
    order = [d for d in range(x.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Permute.apply(x, dims=tuple(order))


moveaxis = movedim


# ---------------------------------------------------------------- expand, repeat
def expand(x: Tensor, *sizes) -> Tensor:
    """A broadcast view to ``sizes`` (-1 keeps a dim); no memory is copied."""
    sizes = _shape_arg(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(x.shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({x.ndim})"
        )
    lead = len(sizes) - x.ndim
    shape = tuple(x._data.shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    return _broadcast_to(x, shape)


def broadcast_to(x: Tensor, shape) -> Tensor:
    """``x`` broadcast to ``shape`` (a view)."""
    return expand(x, *tuple(shape))


def broadcast_tensors(*tensors) -> tuple:
    """Broadcast all tensors to their common shape (views)."""
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    return tuple(_broadcast_to(t, shape) for t in tensors)


def broadcast_shapes(*shapes) -> Size:
    """The shape that ``shapes`` broadcast to."""
    return Size(np.broadcast_shapes(*(tuple(s) if not isinstance(s, int) else (s,) for s in shapes)))


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
    """Tile the tensor ``sizes[i]`` times along dim ``i`` (copies)."""
    sizes = _shape_arg(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    return Repeat.apply(x, sizes=sizes)


def tile(x: Tensor, dims) -> Tensor:
    """Like ``repeat``, padding ``dims`` with leading ones when it is shorter."""
    dims = tuple(dims)
    dims = (1,) * (x.ndim - len(dims)) + dims
    return Repeat.apply(x, sizes=dims)


def repeat_interleave(x: Tensor, repeats, dim=None, *, output_size=None) -> Tensor:
    """Repeat each element ``repeats`` times (int or per-element tensor) along ``dim`` (flattened if None)."""
    from .index import index_select

    if dim is None:
        x = reshape(x, -1)
        dim = 0
    d = _wrap_dim(dim, x.ndim)
    n = x._data.shape[d]
    counts = repeats._data if isinstance(repeats, Tensor) else np.full(n, repeats)
    counts = np.broadcast_to(np.asarray(counts).reshape(-1), (n,))
    index = np.repeat(np.arange(n), counts)
    return index_select(x, d, Tensor._make(index.astype(np.int64)))


# ---------------------------------------------------------------- narrow, flip, roll
class Narrow(Function):
    """``length`` elements of dim ``dim`` from ``start`` (a view)."""

    _backward_name = "SliceBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim, start, length):
        ctx.args = (x._data.shape, dim, start, length)
        index = (slice(None),) * dim + (slice(start, start + length),)
        return x._data[index]

    @staticmethod
    def backward(ctx, gy):
        shape, dim, start, length = ctx.args
        pad_width = [(0, 0)] * len(shape)
        pad_width[dim] = (start, shape[dim] - start - length)
        return _Pad.apply(gy, widths=tuple(pad_width))


class _Pad(Function):
    """Zero padding; backward slices the padding away (used by narrow's and cat's gradients)."""

    _backward_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, *, widths):
        ctx.widths = widths
        return x._xp().pad(x._data, widths)

    @staticmethod
    def backward(ctx, gy):
        index = tuple(slice(a, gy._data.shape[i] - b) for i, (a, b) in enumerate(ctx.widths))
        return gy[index]


def narrow(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    """A view of ``length`` elements of ``dim`` starting at ``start``."""
    d = _wrap_dim(dim, x.ndim)
    size = x._data.shape[d]
    start = int(start)
    if start < 0:
        start += size
    if not 0 <= start <= size or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Narrow.apply(x, dim=d, start=start, length=int(length))


class Flip(Function):
    """Reverse the order along ``dims`` (a copy, as in PyTorch)."""

    _backward_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        return x._xp().flip(x._data, dims).copy()

    @staticmethod
    def backward(ctx, gy):
        return Flip.apply(gy, dims=ctx.dims)


def flip(x: Tensor, *dims) -> Tensor:
    """Reverse the order of elements along ``dims``."""
    dims = _shape_arg(dims)
    return Flip.apply(x, dims=tuple(_wrap_dim(d, x.ndim) for d in dims))


def fliplr(x: Tensor) -> Tensor:
    """Flip dim 1."""
    return flip(x, 1)


def flipud(x: Tensor) -> Tensor:
    """Flip dim 0."""
    return flip(x, 0)


class Roll(Function):
    """Shift elements cyclically."""

    _backward_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, *, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return x._xp().roll(x._data, shifts, dims)

    @staticmethod
    def backward(ctx, gy):
        neg = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return Roll.apply(gy, shifts=neg, dims=ctx.dims)


def roll(x: Tensor, shifts, dims=None) -> Tensor:
    """Roll elements by ``shifts`` along ``dims`` (flattened when None)."""
    shifts = tuple(shifts) if isinstance(shifts, list | tuple) else int(shifts)
    dims = tuple(dims) if isinstance(dims, list | tuple) else dims
    return Roll.apply(x, shifts=shifts, dims=dims)


# ---------------------------------------------------------------- strided views and copies
class AsStrided(Function):
    """An arbitrary strided view of ``x``'s memory (strides in elements, relative to ``x``'s first element)."""

    _backward_name = "AsStridedBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, size, stride, offset):
        from ._view_inplace import _region

        data = x._data if x._data.flags.c_contiguous else x._data.copy()
        ctx.input_meta = x._data.shape
        ctx.region = (size, stride, offset)
        return _region(data, (size, stride, offset))

    @staticmethod
    def backward(ctx, gy):
        from ..creation import zeros
        from ._view_inplace import RegionPut

        shape = ctx.input_meta
        return _AccumulateRegion.apply(zeros(*shape, dtype=gy.dtype, device=gy.device), gy, region=ctx.region) \
            if _overlaps(ctx.region) else RegionPut.apply(zeros(*shape, dtype=gy.dtype, device=gy.device), gy,
                                                          region=ctx.region)


def _overlaps(region) -> bool:
    size, stride, _ = region
    touched = np.zeros(1, dtype=np.int64)
    for n, s in zip(size, stride):
        touched = (touched[:, None] + np.arange(n) * s).reshape(-1)
    return len(np.unique(touched)) != touched.size


class _AccumulateRegion(Function):
    """Add ``src`` into overlapping positions of a region of ``x`` (the gradient of overlapping views)."""

    _backward_name = "AsStridedScatterBackward0"

    @staticmethod
    def forward(ctx, x, src, *, region):
        size, stride, offset = region
        ctx.region = region
        out = x._data.copy().reshape(-1)
        positions = np.zeros(1, dtype=np.int64) + offset
        for n, s in zip(size, stride):
            positions = (positions[:, None] + np.arange(n) * s).reshape(-1)
        x._xp().add.at(out, positions, src._data.reshape(-1))
        return out.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, gy):
        return gy, AsStrided.apply(gy, size=ctx.region[0], stride=ctx.region[1], offset=ctx.region[2])


def as_strided(x: Tensor, size, stride, storage_offset=None) -> Tensor:
    """A view with explicit ``size`` and ``stride`` (in elements) over ``x``'s memory."""
    return AsStrided.apply(x, size=tuple(size), stride=tuple(stride), offset=int(storage_offset or 0))


def unfold(x: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """All windows of ``size`` along ``dimension`` with stride ``step``, as a new last dim (a view)."""
    d = _wrap_dim(dimension, x.ndim)
    n = x._data.shape[d] if x.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    count = (n - size) // step + 1
    base = x if x._data.flags.c_contiguous else clone(x)
    strides = [s // base._data.itemsize for s in base._data.strides]
    shape = list(base._data.shape)
    new_shape = shape[:d] + [count] + shape[d + 1:] + [size]
    new_strides = strides[:d] + [strides[d] * step] + strides[d + 1:] + [strides[d]]
    return as_strided(base, new_shape, new_strides, 0)


class Clone(Function):
    """A copy with its own memory that stays in the graph."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, gy):
        return gy


def clone(x: Tensor, *, memory_format=None) -> Tensor:
    """A copy of ``x`` with its own memory; gradients flow back to ``x``."""
    return Clone.apply(x)


def atleast_1d(*tensors):
    """Tensors with at least one dim."""
    out = tuple(reshape(t, 1) if t.ndim == 0 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def atleast_2d(*tensors):
    """Tensors with at least two dims."""
    out = tuple(reshape(t, 1, -1) if t.ndim < 2 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def atleast_3d(*tensors):
    """Tensors with at least three dims."""
    def lift(t):
        if t.ndim == 0:
            return reshape(t, 1, 1, 1)
        if t.ndim == 1:
            return reshape(t, 1, -1, 1)
        if t.ndim == 2:
            return unsqueeze(t, -1)
        return t

    out = tuple(lift(t) for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def _flat(tensors):
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        return tuple(tensors[0])
    return tensors


from .diagonal import diag, diag_embed, diagonal, trace, tril, tril_, triu, triu_  # noqa: E402,F401
from .join import (  # noqa: E402,F401
    cat,
    chunk,
    column_stack,
    concat,
    concatenate,
    dstack,
    hstack,
    split,
    stack,
    tensor_split,
    unbind,
    vstack,
)
