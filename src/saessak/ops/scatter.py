"""Indexing along one dimension: gather, scatter (+ add, reduce), index_select/add/fill/copy, take_along_dim.

``gather``/``scatter`` pair every element of ``index`` with a position: ``index`` replaces the coordinate
along ``dim`` and keeps the others, so ``out[i][j] = x[index[i][j]][j]`` for ``dim=0``. The pairing is
built once as a tuple of broadcastable coordinate arrays (``_positions``) and used for NumPy advanced
indexing and ``ufunc.at`` (which sums repeated positions without a Python loop).
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ..autograd.grad_mode import state
from ..backend import get_array_module
from ._broadcast import broadcast_to
from .arithmetic import _grad_to
from .index import IndexPut, Plan, _apply_plan, _index_array, _writable
from .inplace import _check_inplace, apply_inplace
from .shape import reshape

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


# ---------------------------------------------------------------- checking index tensors
def _int_index(index, xp, op: str):
    if not isinstance(index, Tensor):
        raise TypeError(f"{op}(): index must be a Tensor, got {type(index).__name__}")
    data = _index_array(index, xp)
    if data.dtype.kind == "b":
        raise RuntimeError(f"{op}(): Expected dtype int64 for index")
    return data.astype(np.int64, copy=False)


def _check_gather_index(op: str, x, dim: int, index, src=None):
    """Validate ``index`` (and ``src``) for gather/scatter along ``dim``; return the int64 index array."""
    xp, shape = x._xp(), x._data.shape
    data = _int_index(index, xp, op)
    if data.ndim != len(shape) and not (data.size == 0 and data.ndim == 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d, size in enumerate(data.shape):
        if d != dim and size > shape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(data.shape)} to be no "
                               f"larger than self {list(shape)} apart from dimension {dim}")
        if src is not None and size > src._data.shape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(data.shape)} to be no "
                               f"larger than src {list(src._data.shape)}")
    _check_range(data, shape[dim], dim)
    return data


def _check_range(data, size: int, dim: int) -> None:
    if data.size:
        low, high = int(data.min()), int(data.max())
        if low < 0 or high >= size:
            bad = high if high >= size else low
            raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _positions(index, dim: int, xp) -> tuple:
    """Coordinate arrays pairing each element of ``index`` with the position it names along ``dim``."""
    ndim = index.ndim
    coords = []
    for d, size in enumerate(index.shape):
        if d == dim:
            coords.append(index)
        else:
            coords.append(xp.arange(size).reshape((1,) * d + (size,) + (1,) * (ndim - d - 1)))
    return tuple(coords)


def _leading(data, shape: tuple):
    """The leading block of ``data`` with ``shape`` (index may be smaller than src)."""
    if data.shape == tuple(shape):
        return data
    return data[tuple(slice(0, s) for s in shape)]


def _pad_to(g, shape: tuple):
    """``g`` placed in the leading block of zeros of ``shape`` (inverse of ``_leading``, differentiable)."""
    if tuple(g._data.shape) == tuple(shape):
        return g
    zeros = Tensor._make(g._xp().zeros(shape, dtype=g._data.dtype))
    block = Plan(tuple(slice(0, s) for s in g._data.shape) + (Ellipsis,), None, "SliceBackward0")
    return IndexPut.apply(zeros, g, plan=block, accumulate=False)


def _constant(array, like) -> Tensor:
    return Tensor._make(array.astype(like._data.dtype, copy=False))


# ---------------------------------------------------------------- gather
class Gather(Function):
    """``out[i][j] = x[index[i][j]][j]`` (dim 0); backward scatter-adds into zeros."""

    _backward_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, index):
        ctx.dim, ctx.index, ctx.input_shape = dim, index, x._data.shape
        return x._data[_positions(index, dim, x._xp())]

    @staticmethod
    def backward(ctx, gy):
        zeros = Tensor._make(gy._xp().zeros(ctx.input_shape, dtype=gy._data.dtype))
        return ScatterAdd.apply(zeros, gy, dim=ctx.dim, index=ctx.index)


def gather(x: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Values of ``x`` along ``dim`` at ``index``: ``out[i][j] = x[index[i][j]][j]`` for ``dim=0``.

    >>> saessak.tensor([[1, 2], [3, 4]]).gather(1, saessak.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])
    """
    dim = _wrap_dim(dim, x._data.ndim)
    return Gather.apply(x, dim=dim, index=_check_gather_index("gather", x, dim, index))


def take_along_dim(x: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """``gather`` with ``x`` and ``indices`` broadcast (except along ``dim``); flattened when ``dim`` is None."""
    if dim is None:
        return gather(reshape(x, (-1,)), 0, reshape(indices, (-1,)))
    dim = _wrap_dim(dim, x._data.ndim)
    xs, ids = list(x._data.shape), list(indices._data.shape)
    if len(xs) != len(ids):
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                           f"dimensions, but got {len(xs)} dimensions for input, and {len(ids)} for indices")
    xs[dim] = ids[dim] = 1
    try:
        common = np.broadcast_shapes(tuple(xs), tuple(ids))
    except ValueError:
        raise RuntimeError(f"take_along_dim(): shapes {list(x.shape)} and {list(indices.shape)} cannot be "
                           f"broadcast apart from dimension {dim}") from None
    x_shape = common[:dim] + (x._data.shape[dim],) + common[dim + 1:]
    index_shape = common[:dim] + (indices._data.shape[dim],) + common[dim + 1:]
    index = indices._data
    index = index + (index < 0) * x._data.shape[dim]  # take_along_dim accepts negative indices
    index = Tensor._make(x._xp().broadcast_to(index, index_shape))
    return gather(broadcast_to(x, x_shape), dim, index)


# ---------------------------------------------------------------- scatter and scatter_add
def _scatter_into(out, where, src, reduce: str | None) -> None:
    """Write ``src`` at ``where``: assignment, or with ``reduce`` 'add'/'multiply' a ``ufunc.at``."""
    xp = np if type(out) is np.ndarray else get_array_module(out)
    if hasattr(src, "dtype") and src.dtype != out.dtype:
        src = src.astype(out.dtype)
    if reduce is None:
        out[where] = src
    elif reduce in ("add", "sum"):
        xp.add.at(out, where, src)
    elif reduce in ("multiply", "prod"):
        xp.multiply.at(out, where, src)
    else:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")


class Scatter(Function):
    """A copy of ``x`` with ``src`` (or a number) written at ``index`` along ``dim``."""

    _backward_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, x, src, *, dim, index, value):
        ctx.dim, ctx.index = dim, index
        out = x._data.copy()
        where = _positions(index, dim, x._xp())
        if src is None:
            _scatter_into(out, where, x._xp().asarray(value), None)
        else:
            ctx.src_meta = (src._data.shape, src._data.dtype)
            _scatter_into(out, where, _leading(src._data, index.shape), None)
        return out

    @staticmethod
    def backward(ctx, gy):
        gx = gs = None
        if ctx.needs_input_grad[0]:
            gx = Scatter.apply(gy, None, dim=ctx.dim, index=ctx.index, value=0)
        if ctx.needs_input_grad[1]:
            picked = Gather.apply(gy, dim=ctx.dim, index=ctx.index)
            gs = _grad_to(_pad_to(picked, ctx.src_meta[0]), *ctx.src_meta)
        return gx, gs


class ScatterValue(Scatter):
    _backward_name = "ScatterBackward1"


class ScatterAdd(Function):
    """A copy of ``x`` with ``src`` added at ``index`` along ``dim`` (repeated positions sum)."""

    _backward_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, x, src, *, dim, index):
        ctx.dim, ctx.index, ctx.src_meta = dim, index, (src._data.shape, src._data.dtype)
        out = x._data.copy()
        _scatter_into(out, _positions(index, dim, x._xp()), _leading(src._data, index.shape), "add")
        return out

    @staticmethod
    def backward(ctx, gy):
        gs = None
        if ctx.needs_input_grad[1]:
            gs = _grad_to(_pad_to(Gather.apply(gy, dim=ctx.dim, index=ctx.index), ctx.src_meta[0]), *ctx.src_meta)
        return gy, gs


class ScatterWithReduce(Function):
    """``scatter(..., reduce='add'|'multiply')``: like PyTorch, not differentiable."""

    _backward_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, x, src, *, dim, index, value, reduce):
        xp = x._xp()
        out = x._data.copy()
        data = xp.asarray(value) if src is None else _leading(src._data, index.shape)
        _scatter_into(out, _positions(index, dim, xp), data, reduce)
        return out

    @staticmethod
    def backward(ctx, gy):
        raise RuntimeError("derivative for aten::scatter is not implemented")


def _scatter_args(x, dim, index, src, value, op: str):
    dim = _wrap_dim(dim, x._data.ndim)
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src  # x.scatter(dim, index, 1.5): a number given positionally
    if src is None and value is None:
        raise TypeError(f"{op}() expected a src tensor or a value")
    return dim, _check_gather_index(op, x, dim, index, src), src, value


def scatter(x: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce: str | None = None) -> Tensor:
    """A copy of ``x`` with ``src`` (or ``value``) written at ``index`` along ``dim``.

    ``out[index[i][j]][j] = src[i][j]`` for ``dim=0``; ``reduce`` 'add' or 'multiply' combines instead.
    """
    dim, index, src, value = _scatter_args(x, dim, index, src, value, "scatter")
    if reduce is not None:
        return ScatterWithReduce.apply(x, src, dim=dim, index=index, value=value, reduce=reduce)
    fn = Scatter if src is not None else ScatterValue
    return fn.apply(x, src, dim=dim, index=index, value=value)


def scatter_(x: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce: str | None = None) -> Tensor:
    """In-place ``scatter``."""
    if _records(x, src):
        return apply_inplace(x, scatter(x, dim, index, src, value=value, reduce=reduce))
    dim, index, src, value = _scatter_args(x, dim, index, src, value, "scatter_")
    data = x._xp().asarray(value) if src is None else _leading(src._data, index.shape)
    return _write_inplace(x, lambda: _scatter_into(x._data, _positions(index, dim, x._xp()), data, reduce))


def scatter_add(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``x`` with ``src`` added at ``index`` along ``dim``; repeated positions accumulate."""
    dim = _wrap_dim(dim, x._data.ndim)
    index = _check_gather_index("scatter_add", x, dim, index, src)
    return ScatterAdd.apply(x, src, dim=dim, index=index)


def scatter_add_(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In-place ``scatter_add``."""
    if _records(x, src):
        return apply_inplace(x, scatter_add(x, dim, index, src))
    dim = _wrap_dim(dim, x._data.ndim)
    index = _check_gather_index("scatter_add_", x, dim, index, src)
    where = _positions(index, dim, x._xp())
    return _write_inplace(x, lambda: _scatter_into(x._data, where, _leading(src._data, index.shape), "add"))


def _records(x, other) -> bool:
    return state.enabled and (x._requires_grad or isinstance(other, Tensor) and other._requires_grad)


def _write_inplace(x, write) -> Tensor:
    _check_inplace(x)
    _writable(x)
    write()
    x._vc[0] += 1
    return x


# ---------------------------------------------------------------- scatter_reduce
def _initial(reduce: str, dtype):
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:
        return reduce == "amin"
    return info.min if reduce == "amax" else info.max


def _reduce_into(out, where, src, reduce: str, include_self: bool):
    """Combine ``src`` into ``out`` at ``where``; returns the per-position count for 'mean' (else None)."""
    xp = np if type(out) is np.ndarray else get_array_module(out)
    src = src.astype(out.dtype, copy=False)
    if not include_self:
        out[where] = _initial(reduce, out.dtype)
    ufunc = {"sum": xp.add, "mean": xp.add, "prod": xp.multiply, "amax": xp.maximum, "amin": xp.minimum}[reduce]
    ufunc.at(out, where, src)
    if reduce != "mean":
        return None
    count = xp.zeros(out.shape, dtype=np.int64) + int(include_self)
    xp.add.at(count, where, 1)
    count = xp.maximum(count, 1)
    if out.dtype.kind == "f":
        out /= count
    else:
        xp.floor_divide(out, count, out=out, casting="unsafe")
    return count


class ScatterReduce(Function):
    """``src`` combined into a copy of ``x`` at ``index`` along ``dim`` with sum/prod/mean/amax/amin."""

    _backward_name = "ScatterReduceBackward0"

    @staticmethod
    def forward(ctx, x, src, *, dim, index, reduce, include_self):
        xp = x._xp()
        where = _positions(index, dim, xp)
        out = x._data.copy()
        count = _reduce_into(out, where, _leading(src._data, index.shape), reduce, include_self)
        ctx.dim, ctx.index, ctx.where, ctx.reduce, ctx.include_self = dim, index, where, reduce, include_self
        ctx.src_meta, ctx.count = (src._data.shape, src._data.dtype), count
        scattered = xp.zeros(out.shape, dtype=bool)
        scattered[where] = True
        ctx.scattered = scattered
        if reduce in ("prod", "amax", "amin"):
            ctx.save_for_backward(x, src, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        reduce = ctx.reduce
        if reduce == "sum":
            gx, gs = gy, _gather(ctx, gy)
        elif reduce == "mean":
            scale = _constant(1.0 / ctx.count, gy)
            gx, gs = gy * scale, _gather(ctx, gy * scale)
        elif reduce == "prod":
            gx, gs = _prod_grads(ctx, gy)
        else:
            gx, gs = _extreme_grads(ctx, gy)
        if not ctx.include_self and ctx.needs_input_grad[0]:
            gx = gx * _constant(~ctx.scattered, gy)
        if ctx.needs_input_grad[1]:
            gs = _grad_to(_pad_to(gs, ctx.src_meta[0]), *ctx.src_meta)
        return (gx if ctx.needs_input_grad[0] else None), (gs if ctx.needs_input_grad[1] else None)


def _gather(ctx, g):
    return Gather.apply(g, dim=ctx.dim, index=ctx.index)


def _extreme_grads(ctx, gy):
    """amax/amin: the gradient is shared evenly among the elements equal to the result (ties)."""
    x, src, out = ctx.saved_tensors
    xp = gy._xp()
    x_hit = x._data == out._data
    if not ctx.include_self:
        x_hit &= ~ctx.scattered
    src_hit = _leading(src._data, ctx.index.shape) == out._data[ctx.where]
    count = x_hit.astype(np.int64)
    xp.add.at(count, ctx.where, src_hit.astype(np.int64))
    share = gy * _constant(1.0 / xp.maximum(count, 1), gy)
    return share * _constant(x_hit, gy), _gather(ctx, share) * _constant(src_hit, gy)


def _prod_grads(ctx, gy):
    """prod: each factor's gradient is the product of the others (exactly, also when some are zero)."""
    x, src, out = ctx.saved_tensors
    xp = gy._xp()
    src_data = _leading(src._data, ctx.index.shape)
    # per position: how many factors are zero, and the product of the nonzero ones
    x_factor = x._data if ctx.include_self else xp.ones_like(x._data)
    zeros = (x_factor == 0).astype(np.int64)
    xp.add.at(zeros, ctx.where, (src_data == 0).astype(np.int64))
    nonzero_prod = xp.where(x_factor == 0, 1, x_factor).astype(out._data.dtype)
    xp.multiply.at(nonzero_prod, ctx.where, xp.where(src_data == 0, 1, src_data).astype(out._data.dtype))

    def grads_for(values, zeros_here, prod_here, g, g_out):
        # values nonzero and no zero factor: out / value (differentiable); a lone zero: product of the rest
        plain = (values._data != 0) & (zeros_here == 0)
        lone_zero = (values._data == 0) & (zeros_here == 1)
        safe = values + _constant(values._data == 0, values)
        return g_out / safe * _constant(plain, g) + g * _constant(lone_zero * prod_here, g)

    gx = grads_for(x, zeros, nonzero_prod, gy, gy * out)
    src_view = src
    if tuple(src_data.shape) != tuple(src._data.shape):
        src_view = _apply_plan(src, Plan(tuple(slice(0, s) for s in ctx.index.shape) + (Ellipsis,), None,
                                         "SliceBackward0"))
    gs = grads_for(src_view, zeros[ctx.where], nonzero_prod[ctx.where], _gather(ctx, gy), _gather(ctx, gy * out))
    return gx, gs


def _scatter_reduce_args(x, dim, index, src, reduce, op):
    if reduce not in _REDUCTIONS:
        raise RuntimeError(f"{op}(): reduce argument must be one of {', '.join(_REDUCTIONS)}, got '{reduce}'")
    dim = _wrap_dim(dim, x._data.ndim)
    return dim, _check_gather_index(op, x, dim, index, src)


def scatter_reduce(x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """``src`` combined into a copy of ``x`` at ``index`` along ``dim`` by 'sum', 'prod', 'mean', 'amax' or 'amin'.

    ``include_self=False`` ignores ``x``'s values at the positions that receive any element of ``src``.
    """
    dim, index = _scatter_reduce_args(x, dim, index, src, reduce, "scatter_reduce")
    return ScatterReduce.apply(x, src, dim=dim, index=index, reduce=reduce, include_self=bool(include_self))


def scatter_reduce_(x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    """In-place ``scatter_reduce``."""
    if _records(x, src):
        return apply_inplace(x, scatter_reduce(x, dim, index, src, reduce, include_self=include_self))
    dim, index = _scatter_reduce_args(x, dim, index, src, reduce, "scatter_reduce_")
    where = _positions(index, dim, x._xp())
    return _write_inplace(
        x, lambda: _reduce_into(x._data, where, _leading(src._data, index.shape), reduce, bool(include_self))
    )


# ---------------------------------------------------------------- index_select / add / fill / copy
def _vector_index(x, dim: int, index, op: str, allow_negative: bool = False):
    """A 1-D int64 index into ``x``'s dimension ``dim`` (a 0-d index counts as one element)."""
    data = _int_index(index, x._xp(), op)
    if data.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    data = data.reshape(-1)
    size = x._data.shape[dim] if x._data.ndim else 1
    if data.size:
        low, high = int(data.min()), int(data.max())
        if high >= size or low < (-size if allow_negative else 0):
            raise IndexError(f"index out of range in self ({op} got index {high if high >= size else low} "
                             f"for dimension {dim} with size {size})")
    return data


def _along(dim: int, index) -> tuple:
    return (slice(None),) * dim + (index,)


class IndexSelect(Function):
    """The slices of ``x`` along ``dim`` at ``index``; backward index-adds into zeros."""

    _backward_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, index):
        ctx.dim, ctx.index, ctx.input_shape = dim, index, x._data.shape
        return x._xp().take(x._data, index, axis=dim)

    @staticmethod
    def backward(ctx, gy):
        zeros = Tensor._make(gy._xp().zeros(ctx.input_shape, dtype=gy._data.dtype))
        return IndexAdd.apply(zeros, gy, dim=ctx.dim, index=ctx.index, alpha=1)


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries of ``x`` along ``dim`` at the positions in the 1-D ``index`` (a copy)."""
    dim = _wrap_dim(dim, x._data.ndim)
    return IndexSelect.apply(x, dim=dim, index=_vector_index(x, dim, index, "index_select"))


class IndexAdd(Function):
    """A copy of ``x`` with ``alpha * source`` added along ``dim`` at ``index`` (repeats accumulate)."""

    _backward_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, x, source, *, dim, index, alpha):
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        ctx.source_meta = (source._data.shape, source._data.dtype)
        out = x._data.copy()
        data = source._data if alpha == 1 else source._data * alpha
        x._xp().add.at(out, _along(dim, index), data.astype(out.dtype, copy=False))
        return out

    @staticmethod
    def backward(ctx, gy):
        gs = None
        if ctx.needs_input_grad[1]:
            gs = IndexSelect.apply(gy, dim=ctx.dim, index=ctx.index)
            gs = _grad_to(gs if ctx.alpha == 1 else gs * ctx.alpha, *ctx.source_meta)
        return gy, gs


def _index_add_args(x, dim, index, source, op):
    dim = _wrap_dim(dim, x._data.ndim)
    index = _vector_index(x, dim, index, op)
    expected = list(x._data.shape)
    if expected:
        expected[dim] = index.size
    if list(source._data.shape) != expected and not (source._data.ndim == 0 and index.size == 1):
        source_size = source._data.shape[dim] if source._data.ndim > dim else 1
        raise RuntimeError(f"{op}(): Number of indices ({index.size}) should be equal to source.size(dim): "
                           f"({source_size}), for dim: {dim}; source shape {list(source._data.shape)} must be "
                           f"{expected}")
    return dim, index


def index_add(x: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """A copy of ``x`` with ``alpha * source`` added at ``index`` along ``dim``; repeated indices sum."""
    dim, index = _index_add_args(x, dim, index, source, "index_add_")
    return IndexAdd.apply(x, source, dim=dim, index=index, alpha=alpha)


def index_add_(x: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """In-place ``index_add``."""
    if _records(x, source):
        return apply_inplace(x, index_add(x, dim, index, source, alpha=alpha))
    dim, index = _index_add_args(x, dim, index, source, "index_add_")
    data = source._data if alpha == 1 else source._data * alpha
    return _write_inplace(x, lambda: x._xp().add.at(x._data, _along(dim, index),
                                                    data.astype(x._data.dtype, copy=False)))


class IndexFill(Function):
    """A copy of ``x`` with the slices at ``index`` along ``dim`` set to ``value``."""

    _backward_name = "IndexFillBackward0"

    @staticmethod
    def forward(ctx, x, value_tensor, *, dim, index, value):
        xp = x._xp()
        out = x._data.copy()
        out[_along(dim, index)] = value_tensor._data if value_tensor is not None else value
        filled = xp.zeros(out.shape, dtype=bool)
        filled[_along(dim, index)] = True
        ctx.filled = filled
        if value_tensor is not None:
            ctx.value_meta = (value_tensor._data.shape, value_tensor._data.dtype)
        return out

    @staticmethod
    def backward(ctx, gy):
        gx = gv = None
        if ctx.needs_input_grad[0]:
            gx = gy * _constant(~ctx.filled, gy)
        if ctx.needs_input_grad[1]:
            gv = _grad_to((gy * _constant(ctx.filled, gy)).sum(), *ctx.value_meta)
        return gx, gv


class IndexFillTensor(IndexFill):
    _backward_name = "IndexFillBackward1"


def _index_fill_args(x, dim, index, value, op):
    dim = _wrap_dim(dim, x._data.ndim)
    index = _vector_index(x, dim, index, op, allow_negative=True)
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(f"{op} only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value._data.ndim} dimension(s).")
        return dim, index, value, None
    return dim, index, None, value


def index_fill(x: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """A copy of ``x`` with the entries at ``index`` along ``dim`` set to ``value`` (a number or 0-d tensor)."""
    dim, index, value_tensor, number = _index_fill_args(x, dim, index, value, "index_fill_")
    fn = IndexFill if value_tensor is None else IndexFillTensor
    return fn.apply(x, value_tensor, dim=dim, index=index, value=number)


def index_fill_(x: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """In-place ``index_fill``."""
    if _records(x, value):
        return apply_inplace(x, index_fill(x, dim, index, value))
    dim, index, value_tensor, number = _index_fill_args(x, dim, index, value, "index_fill_")
    fill = value_tensor._data if value_tensor is not None else number

    def write():
        x._data[_along(dim, index)] = fill

    return _write_inplace(x, write)


class IndexCopy(Function):
    """A copy of ``x`` with ``source``'s slices written along ``dim`` at ``index``."""

    _backward_name = "IndexCopyBackward0"

    @staticmethod
    def forward(ctx, x, source, *, dim, index):
        xp = x._xp()
        out = x._data.copy()
        out[_along(dim, index)] = source._data
        copied = xp.zeros(out.shape, dtype=bool)
        copied[_along(dim, index)] = True
        ctx.copied, ctx.dim, ctx.index = copied, dim, index
        ctx.source_meta = (source._data.shape, source._data.dtype)
        return out

    @staticmethod
    def backward(ctx, gy):
        gx = gs = None
        if ctx.needs_input_grad[0]:
            gx = gy * _constant(~ctx.copied, gy)
        if ctx.needs_input_grad[1]:
            gs = _grad_to(IndexSelect.apply(gy, dim=ctx.dim, index=ctx.index), *ctx.source_meta)
        return gx, gs


def index_copy(x: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``x`` with ``source``'s entries written at ``index`` along ``dim``."""
    dim, index = _index_add_args(x, dim, index, source, "index_copy_")
    return IndexCopy.apply(x, source, dim=dim, index=index)
