"""Shape ops: views (view, reshape, transpose, permute, squeeze, expand, narrow...) and copies (clone, flip...).

Views share memory and the version counter with their input (``_view_of = 0``), as PyTorch's do, so
writing through ``x.view(-1)[0] = 5`` changes ``x``. Elsewhere: joining and splitting (cat, stack, split,
chunk...) in ``ops/join.py``, broadcasting and repetition in ``ops/expand.py``, strided windows
(as_strided, unfold) in ``ops/strided.py``, diagonals and triangles in ``ops/diagonal.py``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Size, Tensor, _wrap_dim
from ..autograd.function import Function


def _shape_arg(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], tuple | list | Size):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _infer_shape(shape: tuple, numel: int) -> tuple:
    """Resolve one -1 and check the element count, with PyTorch's messages."""
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
        else:
            known *= s
    if infer is None:
        if known != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    if known == 0:
        raise RuntimeError(
            f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified dimension "
            "size -1 can be any value and is ambiguous"
        )
    if numel % known:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape[:infer] + (numel // known,) + shape[infer + 1:]


def _view_strides(data, shape: tuple) -> tuple | None:
    """Byte strides that show ``data`` with ``shape`` without copying, or None when a copy is needed.

    Walks the old dims from the last, grouping runs that are contiguous with each other; every group
    must be covered exactly by a run of new dims (the rule behind PyTorch's ``view``).
    """
    old_shape, old_strides = data.shape, data.strides
    if data.size == 0 or not old_shape:
        return _contiguous_strides(shape, data.itemsize)
    new_strides = [0] * len(shape)
    view_d = len(shape) - 1
    chunk_stride = old_strides[-1]
    old_numel = new_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        old_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and old_strides[d - 1] != old_numel * chunk_stride):
            while view_d >= 0 and (new_numel < old_numel or shape[view_d] == 1):
                new_strides[view_d] = new_numel * chunk_stride
                new_numel *= shape[view_d]
                view_d -= 1
            if new_numel != old_numel:
                return None
            if d > 0:
                chunk_stride = old_strides[d - 1]
                old_numel = new_numel = 1
    return tuple(new_strides) if view_d == -1 else None


def _contiguous_strides(shape: tuple, itemsize: int) -> tuple:
    strides, step = [], itemsize
    for s in reversed(shape):
        strides.append(step)
        step *= max(s, 1)
    return tuple(reversed(strides))


# ---------------------------------------------------------------- view and reshape
class View(Function):
    """The same memory seen with another shape."""

    _backward_name = "ViewBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        data = x._data
        if data.flags.c_contiguous:
            return data.reshape(shape)
        strides = _view_strides(data, shape)
        if strides is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one dimension "
                "spans across two contiguous subspaces). Use .reshape(...) instead."
            )
        return x._xp().lib.stride_tricks.as_strided(data, shape, strides)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


class Reshape(View):
    """``reshape`` of a non-contiguous tensor whose layout still allows a view."""

    _backward_name = "ReshapeAliasBackward0"


class _ReshapeCopy(Function):
    """``reshape`` when no view can express the new shape: a contiguous copy."""

    _backward_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


def view(x: Tensor, *shape) -> Tensor:
    """The same memory with a new shape (one dim may be -1); fails when the layout needs a copy.

    >>> saessak.arange(6).view(2, -1).shape
    torch.Size([2, 3])
    """
    return View.apply(x, shape=_infer_shape(_shape_arg(shape), x._data.size))


def reshape(x: Tensor, *shape) -> Tensor:
    """The same elements with a new shape: a view when the layout allows it, a copy only when it must.

    >>> saessak.arange(6).reshape(3, 2).shape
    torch.Size([3, 2])
    """
    shape = _infer_shape(_shape_arg(shape), x._data.size)
    data = x._data
    if data.flags.c_contiguous or shape == data.shape:
        return View.apply(x, shape=shape)
    if _view_strides(data, shape) is not None:
        return Reshape.apply(x, shape=shape)
    return _ReshapeCopy.apply(x, shape=shape)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one: ``(2, 3, 4) -> flatten(1) -> (2, 12)``."""
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = _wrap_dim(start_dim, x.ndim), _wrap_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return x
    shape = x._data.shape
    return reshape(x, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(x: Tensor, dim: int, sizes) -> Tensor:
    """Split dim ``dim`` into ``sizes`` (one may be -1): ``(2, 6) -> unflatten(1, (2, 3)) -> (2, 2, 3)``."""
    d = _wrap_dim(dim, x.ndim)
    shape = x._data.shape
    given = tuple(int(s) for s in sizes)
    if not given:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if given.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = int(np.prod([s for s in given if s != -1]))
    resolved = given
    if -1 in given and known and shape[d] % known == 0:
        resolved = tuple(shape[d] // known if s == -1 else s for s in given)
    if int(np.prod(resolved)) != shape[d] or -1 in resolved:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(given)} don't multiply up to the size of dim {dim} ({shape[d]}) "
            "in the input tensor"
        )
    return reshape(x, shape[:d] + resolved + shape[d + 1:])


# ---------------------------------------------------------------- squeeze, unsqueeze
class Squeeze(Function):
    """Drop size-1 dims (all of them: ``squeeze()``)."""

    _backward_name = "SqueezeBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.input_shape = x._data.shape
        return x._data.squeeze(axis=dims) if dims else x._data.view()

    @staticmethod
    def backward(ctx, gy):
        return reshape(gy, ctx.input_shape)


class _SqueezeDim(Squeeze):
    _backward_name = "SqueezeBackward1"


class _SqueezeDims(Squeeze):
    _backward_name = "SqueezeBackward2"


def _squeeze_args(x: Tensor, dim) -> tuple:
    shape = x._data.shape
    if dim is None:
        return Squeeze, tuple(i for i, s in enumerate(shape) if s == 1)
    if isinstance(dim, int):
        d = _wrap_dim(dim, x.ndim)
        return _SqueezeDim, ((d,) if x.ndim and shape[d] == 1 else ())
    dims = tuple(_wrap_dim(int(d), x.ndim) for d in dim)
    return _SqueezeDims, tuple(d for d in dims if x.ndim and shape[d] == 1)


def squeeze(x: Tensor, dim=None) -> Tensor:
    """Remove dims of size 1: all of them, or those of ``dim`` (an int or a tuple) that have size 1."""
    op, dims = _squeeze_args(x, dim)
    return op.apply(x, dims=dims)


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
    """Insert a dimension of size 1 at ``dim``: ``(2, 3) -> unsqueeze(0) -> (1, 2, 3)``."""
    return Unsqueeze.apply(x, dim=_wrap_dim(dim, x.ndim + 1))


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
        return Permute.apply(gy, dims=tuple(int(d) for d in np.argsort(ctx.dims)))


class Transpose(Function):
    """Swap two dims (a strided view)."""

    _backward_name = "TransposeBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x, *, dim0, dim1):
        ctx.dims = (dim0, dim1)
        return x._data.swapaxes(dim0, dim1) if x._data.ndim else x._data.view()

    @staticmethod
    def backward(ctx, gy):
        return Transpose.apply(gy, dim0=ctx.dims[0], dim1=ctx.dims[1])


class T(Function):
    """``t()``: transpose of a tensor of at most 2 dims."""

    _backward_name = "TBackward0"
    _view_of = 0

    @staticmethod
    def forward(ctx, x):
        return x._data.T

    @staticmethod
    def backward(ctx, gy):
        return T.apply(gy)


def permute(x: Tensor, *args, dims=None) -> Tensor:
    """Reorder the dims: ``x.permute(2, 0, 1)`` or ``torch.permute(x, (2, 0, 1))``."""
    order = _shape_arg(args if dims is None else (dims,))
    if len(order) != x.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal to len(dims) = {len(order)}"
        )
    order = tuple(_wrap_dim(d, x.ndim) for d in order)
    if len(set(order)) != len(order):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(x, dims=order)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap dims ``dim0`` and ``dim1`` (a view)."""
    return Transpose.apply(x, dim0=_wrap_dim(dim0, x.ndim), dim1=_wrap_dim(dim1, x.ndim))


swapaxes = swapdims = transpose


def t(x: Tensor) -> Tensor:
    """Transpose a tensor of at most 2 dims (0-D and 1-D tensors come back as they are)."""
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return T.apply(x)


def movedim(x: Tensor, source, destination) -> Tensor:
    """Move dims from ``source`` positions to ``destination`` positions, the others keep their order."""
    src = [source] if isinstance(source, int) else [int(d) for d in source]
    dst = [destination] if isinstance(destination, int) else [int(d) for d in destination]
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain the same number "
            f"of dims as destination ({dst} dims)"
        )
    src = [_wrap_dim(d, x.ndim) for d in src]
    dst = [_wrap_dim(d, x.ndim) for d in dst]
    for name, dims in (("source", src), ("destination", dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    order = [d for d in range(x.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Permute.apply(x, dims=tuple(order))


moveaxis = movedim


# ---------------------------------------------------------------- in-place metadata changes
def _renamed(op: type, name: str) -> type:
    """The same op recorded under PyTorch's name for its in-place variant (``squeeze_``: SqueezeBackward3)."""
    return type(op.__name__ + "_", (op,), {"_backward_name": name, "__module__": __name__})


_InplaceSqueeze = {
    Squeeze: _renamed(Squeeze, "SqueezeBackward3"),
    _SqueezeDim: _renamed(Squeeze, "SqueezeBackward4"),
    _SqueezeDims: _renamed(Squeeze, "SqueezeBackward5"),
}
_InplaceUnsqueeze = _renamed(Unsqueeze, "UnsqueezeBackward1")
_InplaceTranspose = _renamed(Transpose, "TransposeBackward1")
_InplaceT = _renamed(T, "TBackward1")


def _restride_inplace(x: Tensor, out: Tensor) -> Tensor:
    """``x`` takes ``out``'s shape and strides (same memory) and its history; the version is bumped."""
    x._data = out._data
    x._vc[0] += 1
    if out._grad_fn is not None:
        x._grad_fn, x._out_idx = out._grad_fn, out._out_idx
    return x


def squeeze_(x: Tensor, dim=None) -> Tensor:
    """In-place ``squeeze``: ``x`` itself loses its size-1 dims."""
    from .inplace import _check_inplace

    _check_inplace(x)
    op, dims = _squeeze_args(x, dim)
    return _restride_inplace(x, _InplaceSqueeze[op].apply(x, dims=dims))


def unsqueeze_(x: Tensor, dim: int) -> Tensor:
    """In-place ``unsqueeze``."""
    from .inplace import _check_inplace

    _check_inplace(x)
    return _restride_inplace(x, _InplaceUnsqueeze.apply(x, dim=_wrap_dim(dim, x.ndim + 1)))


def transpose_(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """In-place ``transpose`` (changes strides, not memory)."""
    from .inplace import _check_inplace

    _check_inplace(x)
    d0, d1 = _wrap_dim(dim0, x.ndim), _wrap_dim(dim1, x.ndim)
    return _restride_inplace(x, _InplaceTranspose.apply(x, dim0=d0, dim1=d1))


def t_(x: Tensor) -> Tensor:
    """In-place ``t``."""
    from .inplace import _check_inplace

    if x.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    _check_inplace(x)
    return _restride_inplace(x, _InplaceT.apply(x))


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
    """Constant padding (zeros by default); backward slices the padding away.

    The one constant-pad op: the gradient of narrow, ``F.pad(mode='constant')`` and max pooling's -inf border.
    """

    _backward_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, *, widths, value=0.0):
        ctx.widths = widths
        return x._xp().pad(x._data, widths, constant_values=value)

    @staticmethod
    def backward(ctx, gy):
        ndim = len(ctx.widths)
        dims = [d for d in range(ndim) if ctx.widths[d] != (0, 0)]
        if len(dims) == 1:
            (d,) = dims
            before, after = ctx.widths[d]
            return Narrow.apply(gy, dim=d, start=before, length=gy._data.shape[d] - before - after)
        index = tuple(slice(a, gy._data.shape[i] - b) for i, (a, b) in enumerate(ctx.widths))
        return gy[index]


def narrow(x: Tensor, dim: int, start, length: int) -> Tensor:
    """A view of ``length`` elements of ``dim`` starting at ``start`` (which may be negative)."""
    if x.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = _wrap_dim(dim, x.ndim)
    size = x._data.shape[d]
    start = int(start.item() if isinstance(start, Tensor) else start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if start + length > size:
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


def flip(x: Tensor, *args, dims=None) -> Tensor:
    """Reverse the order of elements along ``dims``: ``x.flip(0)``, ``torch.flip(x, dims=(0, 1))``."""
    order = tuple(_wrap_dim(d, x.ndim) for d in _shape_arg(args if dims is None else (dims,)))
    for d in order:
        if order.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return Flip.apply(x, dims=order)


def fliplr(x: Tensor) -> Tensor:
    """Flip dim 1 (left/right)."""
    if x.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(x, 1)


def flipud(x: Tensor) -> Tensor:
    """Flip dim 0 (up/down)."""
    if x.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(x, 0)


def rot90(x: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first axis towards the second.

    >>> saessak.rot90(saessak.tensor([[0, 1], [2, 3]]))   # [[1, 3], [0, 2]]
    """
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
    d0, d1 = (_wrap_dim(d, x.ndim) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    k %= 4
    if k == 1:
        return flip(x, d1).transpose(d0, d1)
    if k == 2:
        return flip(x, d0, d1)
    if k == 3:
        return flip(x, d0).transpose(d0, d1)
    return x.clone()


class Roll(Function):
    """Shift elements cyclically."""

    _backward_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, *, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return x._xp().roll(x._data, shifts if dims is not None else shifts[0], dims)

    @staticmethod
    def backward(ctx, gy):
        return Roll.apply(gy, shifts=tuple(-s for s in ctx.shifts), dims=ctx.dims)


def roll(x: Tensor, shifts, dims=None) -> Tensor:
    """Roll elements by ``shifts`` along ``dims`` (over the flattened tensor when ``dims`` is None)."""
    shifts = (int(shifts),) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    dims = () if dims is None else (int(dims),) if isinstance(dims, int) else tuple(int(d) for d in dims)
    if len(shifts) != len(dims) and not (not dims and len(shifts) == 1):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    dims = tuple(_wrap_dim(d, x.ndim) for d in dims)
    return Roll.apply(x, shifts=shifts, dims=dims or None)


# ---------------------------------------------------------------- copies
class Clone(Function):
    """A copy with its own memory that stays in the graph."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x, *, order):
        return x._data.copy(order=order)

    @staticmethod
    def backward(ctx, gy):
        return gy


def _copy_order(data) -> str:
    # keep a dense layout (a transpose stays a transpose, as PyTorch's preserve_format); overlaps become C
    return "C" if data.flags.c_contiguous or 0 in data.strides else "K"


def clone(x: Tensor, *, memory_format=None) -> Tensor:
    """A copy of ``x`` with its own memory (same strides order); gradients flow back to ``x``."""
    return Clone.apply(x, order=_copy_order(x._data))


def contiguous(x: Tensor) -> Tensor:
    """``x`` itself when it is C-contiguous, else a C-contiguous copy (recorded as CloneBackward0)."""
    return x if x._data.flags.c_contiguous else Clone.apply(x, order="C")


def atleast_1d(*tensors):
    """Tensors with at least one dim (a tuple when given several, or a list)."""
    out = tuple(reshape(t, 1) if t.ndim == 0 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 and isinstance(tensors[0], Tensor) else out


def atleast_2d(*tensors):
    """Tensors with at least two dims: a vector becomes a row."""
    def lift(t):
        return reshape(t, 1, 1) if t.ndim == 0 else unsqueeze(t, 0) if t.ndim == 1 else t

    out = tuple(lift(t) for t in _flat(tensors))
    return out[0] if len(out) == 1 and isinstance(tensors[0], Tensor) else out


def atleast_3d(*tensors):
    """Tensors with at least three dims: ``(n,) -> (1, n, 1)``, ``(m, n) -> (m, n, 1)``."""
    def lift(t):
        if t.ndim == 0:
            return reshape(t, 1, 1, 1)
        if t.ndim == 1:
            return unsqueeze(unsqueeze(t, 0), -1)
        return unsqueeze(t, -1) if t.ndim == 2 else t

    out = tuple(lift(t) for t in _flat(tensors))
    return out[0] if len(out) == 1 and isinstance(tensors[0], Tensor) else out


def _flat(tensors) -> tuple:
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        return tuple(tensors[0])
    return tuple(tensors)


from .diagonal import diag, diag_embed, diagonal, trace, tril, tril_, triu, triu_  # noqa: E402,F401
from .expand import (  # noqa: E402,F401
    broadcast_shapes,
    broadcast_tensors,
    broadcast_to,
    expand,
    repeat,
    repeat_interleave,
    tile,
)
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
from .strided import as_strided, unfold  # noqa: E402,F401
