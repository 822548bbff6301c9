"""Indexing: ``x[index]``, ``x[index] = v``, index_put, take, put_, nonzero.

Basic indexing (ints, slices, None, ``...``) gives a view sharing memory and version counter; integer
arrays and bool masks give copies. As in PyTorch (and unlike NumPy), integers are applied first as
selects, so ``x[0, :, [1, 2]]`` has shape ``(n, 2)``. An index is parsed once into a ``Plan``: a basic
part (a NumPy view) followed by an optional advanced part, which every forward and backward reuses.
Gather/scatter and the ``index_*`` ops along one dimension live in ``ops/scatter.py``, masks in
``ops/masked.py``; both are re-exported here for ``Tensor``'s methods.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state
from ..backend import get_array_module
from .arithmetic import _grad_to
from .inplace import _check_inplace, apply_inplace
from .shape import reshape

_ndarray = np.ndarray


# ---------------------------------------------------------------- parsing an index
class Plan(NamedTuple):
    """A parsed index: ``basic`` (a NumPy basic index, or None) then ``advanced`` (arrays, or None)."""

    basic: tuple | None
    advanced: tuple | None
    name: str


_VIEW_NAMES = {int: "SelectBackward0", slice: "SliceBackward0", type(None): "UnsqueezeBackward0"}


def _index_array(item, xp):
    """An index item given as a Tensor, list or array, as a backend int64 or bool array."""
    data = item._data if isinstance(item, Tensor) else item
    if not hasattr(data, "dtype"):
        data = np.asarray(data)
        if data.size == 0:
            data = data.astype(np.int64)
    if data.dtype.kind == "u" and data.dtype.itemsize == 1:
        data = data.astype(bool)  # byte tensors index as masks, as in PyTorch
    if data.dtype.kind not in "biu":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if type(data) is not type(xp.empty(0)):
        data = xp.asarray(data)
    return data


def _parse_items(x, index) -> list:
    """Classify each index item: ('int', i), ('slice', s), ('none',), ('ellipsis',), ('array', a), ('mask', m)."""
    xp = x._xp()
    items = index if type(index) is tuple else (index,)
    parsed = []
    for item in items:
        if item is None:
            parsed.append(("none", None))
        elif item is Ellipsis:
            parsed.append(("ellipsis", None))
        elif isinstance(item, slice):
            if item.step is not None and int(item.step) <= 0:
                raise ValueError("step must be greater than zero")
            parsed.append(("slice", item))
        elif isinstance(item, bool | np.bool_):
            parsed.append(("mask", xp.asarray(bool(item))))
        elif isinstance(item, int | np.integer):
            parsed.append(("int", int(item)))
        elif isinstance(item, Tensor | list | tuple) or hasattr(item, "__array_interface__") or hasattr(
            item, "__cuda_array_interface__"
        ):
            array = _index_array(item, xp)
            if array.dtype.kind == "b":
                parsed.append(("mask", array))
            elif array.ndim == 0 and isinstance(item, Tensor):
                parsed.append(("int", int(array)))
            else:
                parsed.append(("array", array.astype(np.int64, copy=False)))
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                f"indices (got {type(item).__name__})"
            )
    return parsed


def _plan(x, index) -> Plan:
    """Parse ``index`` for ``x``: check it against ``x``'s shape and split it into basic and advanced parts."""
    shape = x._data.shape
    parsed = _parse_items(x, index)
    consumed = sum(1 for kind, _ in parsed if kind in ("int", "slice", "array"))
    consumed += sum(value.ndim for kind, value in parsed if kind == "mask")
    if consumed and not shape:
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    if sum(kind == "ellipsis" for kind, _ in parsed) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    basic, advanced = [], []
    dim, name, has_advanced = 0, "AliasBackward0", False
    for kind, value in parsed:
        if kind == "ellipsis":
            fill = len(shape) - consumed
            basic.extend([slice(None)] * fill)
            advanced.extend([slice(None)] * fill)
            dim += fill
        elif kind == "int":
            size = shape[dim]
            if not -size <= value < size:
                raise IndexError(f"index {value} is out of bounds for dimension {dim} with size {size}")
            basic.append(value)
            name, dim = _VIEW_NAMES[int], dim + 1
        elif kind in ("slice", "none"):
            basic.append(value)
            advanced.append(slice(None))
            name = _VIEW_NAMES[type(value)]
            dim += kind == "slice"
        elif kind == "array":
            _check_bounds(value, shape[dim], dim)
            basic.append(slice(None))
            advanced.append(value)
            has_advanced, dim = True, dim + 1
        else:
            _check_mask(value, shape, dim)
            basic.extend([slice(None)] * value.ndim)
            advanced.append(value)
            has_advanced, dim = True, dim + value.ndim
    if not has_advanced:
        return Plan(tuple(basic) + (Ellipsis,), None, name)
    needs_basic = any(not (type(b) is slice and b == slice(None)) for b in basic)
    return Plan(tuple(basic) + (Ellipsis,) if needs_basic else None, tuple(advanced), "IndexBackward0")


def _check_bounds(index, size: int, dim: int) -> None:
    if index.size == 0:
        return
    low, high = int(index.min()), int(index.max())
    if low < -size or high >= size:
        bad = high if high >= size else low
        raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _check_mask(mask, shape: tuple, dim: int) -> None:
    for j, size in enumerate(mask.shape):
        if size != shape[dim + j]:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape of the "
                f"indexed tensor {list(shape)} at index {dim + j}"
            )


def _select_array(data, plan: Plan):
    """Apply ``plan`` to a backend array: a view for basic plans, a copy with an advanced part."""
    if plan.basic is not None:
        data = data[plan.basic]
    return data if plan.advanced is None else data[plan.advanced]


def _write(out, plan: Plan, value, accumulate: bool) -> None:
    """Write (or with ``accumulate``, add, summing repeated indices) ``value`` into ``out`` at ``plan``."""
    target = out if plan.basic is None else out[plan.basic]
    xp = np if type(out) is _ndarray else get_array_module(out)
    try:
        if plan.advanced is None:
            if accumulate:
                xp.add(target, value, out=target, casting="unsafe")
            else:
                target[...] = value
        elif accumulate:
            if hasattr(value, "dtype") and value.dtype != target.dtype:
                value = value.astype(target.dtype)
            xp.add.at(target, plan.advanced, value)
        else:
            target[plan.advanced] = value
    except ValueError:
        result_shape = list(_select_array(out, plan).shape)
        value_shape = list(getattr(value, "shape", ()))
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {value_shape} cannot be broadcast to indexing result of "
            f"shape {result_shape}"
        ) from None


# ---------------------------------------------------------------- x[index]
class Index(Function):
    """``x[index]`` with integer arrays or masks: a copy; backward adds into zeros (repeats accumulate)."""

    _backward_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, *, plan):
        ctx.plan, ctx.input_meta = plan, (x._data.shape, x._data.dtype)
        return _select_array(x._data, plan)

    @staticmethod
    def backward(ctx, gy):
        shape, dtype = ctx.input_meta
        zeros = Tensor._make(gy._xp().zeros(shape, dtype=gy._data.dtype))
        return IndexPut.apply(zeros, gy, plan=ctx.plan, accumulate=ctx.plan.advanced is not None)


class Select(Index):
    """``x[i]`` and other basic indexing: a view of ``x``'s memory."""

    _backward_name = "SelectBackward0"
    _view_of = 0


class Slice(Select):
    _backward_name = "SliceBackward0"


class Unsqueeze(Select):
    _backward_name = "UnsqueezeBackward0"


class Alias(Select):
    _backward_name = "AliasBackward0"


_VIEW_FUNCTIONS = {cls._backward_name: cls for cls in (Select, Slice, Unsqueeze, Alias)}


def _apply_plan(x, plan: Plan):
    """``x`` indexed by an already parsed ``plan``, recorded for autograd."""
    if plan.advanced is None:
        return _VIEW_FUNCTIONS[plan.name].apply(x, plan=plan)
    return Index.apply(x, plan=plan)


def getitem(x: Tensor, index) -> Tensor:
    """``x[index]``: a view for ints, slices, None and ``...``; a copy with integer arrays or bool masks."""
    shape = x._data.shape
    if type(index) is int and shape and -shape[0] <= index < shape[0]:  # the common x[i], parsed quickly
        return Select.apply(x, plan=Plan((index, Ellipsis), None, "SelectBackward0"))
    return _apply_plan(x, _plan(x, index))


# ---------------------------------------------------------------- writing at an index
class IndexPut(Function):
    """A copy of ``x`` with ``value`` written (or added, ``accumulate``) at ``plan``.

    Also the backward of indexing: its own backward indexes again, so double backward works.
    """

    _backward_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, value, *, plan, accumulate):
        ctx.plan, ctx.accumulate = plan, accumulate
        ctx.value_meta = (value._data.shape, value._data.dtype)
        out = x._data.copy()
        _write(out, plan, value._data, accumulate)
        return out

    @staticmethod
    def backward(ctx, gy):
        gx = gv = None
        if ctx.needs_input_grad[0]:
            gx = gy if ctx.accumulate else _zero_at(gy, ctx.plan)
        if ctx.needs_input_grad[1]:
            gv = _value_grad(_apply_plan(gy, ctx.plan), *ctx.value_meta)
        return gx, gv


class IndexPutInplace(IndexPut):
    """``x[index] = value`` with integer arrays or masks, written into ``x``'s own memory."""

    _backward_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, value, *, plan, accumulate):
        ctx.plan, ctx.accumulate = plan, accumulate
        ctx.value_meta = (value._data.shape, value._data.dtype)
        _write(x._data, plan, value._data, accumulate)
        ctx.mark_dirty(x)
        return x


class CopySlices(IndexPutInplace):
    """``x[basic index] = value``: written into ``x``'s memory (PyTorch's CopySlices node)."""

    _backward_name = "CopySlices"


def _zero_at(g, plan: Plan):
    """``g`` with the elements at ``plan`` set to zero (differentiable)."""
    zero = Tensor._make(g._xp().zeros((), dtype=g._data.dtype))
    return IndexPut.apply(g, zero, plan=plan, accumulate=False)


def _value_grad(g, shape: tuple, dtype):
    """The gradient of a written value: broadcasting (including extra leading 1s) undone, dtype restored."""
    if len(shape) > g._data.ndim:
        g = reshape(g, (1,) * (len(shape) - g._data.ndim) + tuple(g._data.shape))
    return _grad_to(g, shape, dtype)


def _value_tensor(x, value) -> Tensor:
    if isinstance(value, Tensor):
        return value
    return Tensor._make(x._xp().asarray(value, dtype=x._data.dtype))


def setitem(x: Tensor, index, value) -> None:
    """``x[index] = value`` in place (value broadcast and cast to ``x``'s dtype); views write through."""
    plan = _plan(x, index)
    base = x._base
    value_grad = isinstance(value, Tensor) and value._requires_grad
    if not (state.enabled and (x._requires_grad or value_grad or base is not None and base._requires_grad)):
        data = value._data if isinstance(value, Tensor) else value
        _writable(x)
        _write(x._data, plan, data, False)
        x._vc[0] += 1
        return
    if x._requires_grad and x._grad_fn is None:
        _check_inplace(x) if plan.advanced is not None else _leaf_view_error()
    if base is not None and base._requires_grad and base._grad_fn is None:
        _leaf_view_error()
    _writable(x)
    value = _value_tensor(x, value)
    if base is None:
        node = CopySlices if plan.advanced is None else IndexPutInplace
        node.apply(x, value, plan=plan, accumulate=False)
    else:  # the write lands in base's memory: apply_inplace rebases base's and x's histories
        apply_inplace(x, IndexPut.apply(x, value, plan=plan, accumulate=False))


def _writable(x) -> None:
    if not x._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single "
            "memory location. Please clone() the tensor before performing the operation."
        )


def _leaf_view_error():
    raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


# ---------------------------------------------------------------- index_put
def _indices_plan(x, indices) -> Plan:
    if not isinstance(indices, tuple | list):
        raise TypeError(f"index_put(): indices must be a tuple of tensors, got {type(indices).__name__}")
    return _plan(x, tuple(indices))


def index_put(x: Tensor, indices, values, accumulate: bool = False) -> Tensor:
    """A copy of ``x`` with ``x[indices] = values`` (``accumulate``: ``+=``, repeated indices summed)."""
    plan = _indices_plan(x, indices)
    return IndexPut.apply(x, _value_tensor(x, values), plan=plan, accumulate=bool(accumulate))


def index_put_(x: Tensor, indices, values, accumulate: bool = False) -> Tensor:
    """In-place ``x[indices] = values`` (``accumulate``: ``+=``, repeated indices summed)."""
    plan = _indices_plan(x, indices)
    value = _value_tensor(x, values)
    if state.enabled and (x._requires_grad or value._requires_grad):
        return apply_inplace(x, IndexPut.apply(x, value, plan=plan, accumulate=bool(accumulate)))
    _check_inplace(x)
    _writable(x)
    _write(x._data, plan, value._data, bool(accumulate))
    x._vc[0] += 1
    return x


# ---------------------------------------------------------------- flat indices: take and put_
def _flat_index(x, index, op: str):
    xp = x._xp()
    data = _index_array(index, xp)
    if data.dtype.kind == "b":
        raise IndexError(f"{op}(): Expected a long tensor for index, but got bool")
    size = x._data.size
    if data.size:
        low, high = int(data.min()), int(data.max())
        if low < -size or high >= size:
            bad = high if high >= size else low
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {size} elements.")
    return data.astype(np.int64, copy=False)


class Take(Function):
    """``x.flatten()[index]``, shaped like ``index``."""

    _backward_name = "TakeBackward0"

    @staticmethod
    def forward(ctx, x, *, index):
        ctx.index, ctx.input_shape = index, x._data.shape
        return x._data.reshape(-1)[index]

    @staticmethod
    def backward(ctx, gy):
        zeros = Tensor._make(gy._xp().zeros(int(np.prod(ctx.input_shape)), dtype=gy._data.dtype))
        flat = IndexPut.apply(zeros, gy, plan=Plan(None, (ctx.index,), "IndexBackward0"), accumulate=True)
        return reshape(flat, ctx.input_shape)


def take(x: Tensor, index) -> Tensor:
    """Elements of ``x`` read as if it were 1-D, at ``index`` (negative indices count from the end)."""
    return Take.apply(x, index=_flat_index(x, index, "take"))


class Put(Function):
    """A copy of ``x`` with ``source`` written (or added) at flat positions ``index``."""

    _backward_name = "PutBackward0"

    @staticmethod
    def forward(ctx, x, source, *, index, accumulate):
        if source._data.size != index.size:
            raise RuntimeError(f"put_(): Expected source and index to have the same number of elements, but got "
                               f"source.numel() = {source._data.size}, index.numel() = {index.size}")
        ctx.index, ctx.accumulate, ctx.shape = index, accumulate, x._data.shape
        ctx.source_meta = (source._data.shape, source._data.dtype)
        out = x._data.copy()
        _write(out.reshape(-1), Plan(None, (index.reshape(-1),), ""), source._data.reshape(-1), accumulate)
        return out

    @staticmethod
    def backward(ctx, gy):
        gx = gs = None
        if ctx.needs_input_grad[0]:
            flat_plan = Plan(None, (ctx.index,), "IndexBackward0")
            gx = gy if ctx.accumulate else reshape(_zero_at(reshape(gy, (-1,)), flat_plan), ctx.shape)
        if ctx.needs_input_grad[1]:
            gs = _grad_to(reshape(Take.apply(gy, index=ctx.index), ctx.source_meta[0]), *ctx.source_meta)
        return gx, gs


def put_(x: Tensor, index, source: Tensor, accumulate: bool = False) -> Tensor:
    """In place, write ``source`` at flat positions ``index`` of ``x`` (``accumulate``: add)."""
    flat_index = _flat_index(x, index, "put_")
    source = _value_tensor(x, source)
    result = Put.apply(x, source, index=flat_index, accumulate=bool(accumulate))
    if state.enabled and (x._requires_grad or source._requires_grad):
        return apply_inplace(x, result)
    _check_inplace(x)
    _writable(x)
    x._data[...] = result._data
    x._vc[0] += 1
    return x


# ---------------------------------------------------------------- nonzero
def nonzero(x: Tensor, *, as_tuple: bool = False):
    """Indices of the nonzero elements: an ``(n, ndim)`` int64 tensor, or with ``as_tuple`` one per dim."""
    xp, data = x._xp(), x._data
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in xp.nonzero(data.reshape(-1) if data.ndim == 0
                                                                          else data))
    if data.ndim == 0:
        return Tensor._make(xp.zeros((int(bool(data)), 0), dtype=np.int64))
    return Tensor._make(xp.argwhere(data).astype(np.int64, copy=False))


def argwhere(x: Tensor) -> Tensor:
    """Indices of the nonzero elements as an ``(n, ndim)`` int64 tensor (``nonzero(x)``)."""
    return nonzero(x)


from .masked import fill_diagonal_, masked_fill, masked_fill_, masked_scatter, masked_select  # noqa: E402
from .scatter import (  # noqa: E402
    gather,
    index_add,
    index_add_,
    index_copy,
    index_fill,
    index_fill_,
    index_select,
    scatter,
    scatter_,
    scatter_add,
    scatter_add_,
    scatter_reduce,
    scatter_reduce_,
    take_along_dim,
)

__all__ = [
    "argwhere", "fill_diagonal_", "gather", "getitem", "index_add", "index_add_", "index_copy", "index_fill",
    "index_fill_", "index_put", "index_put_", "index_select", "masked_fill", "masked_fill_", "masked_scatter",
    "masked_select", "nonzero", "put_", "scatter", "scatter_", "scatter_add", "scatter_add_", "scatter_reduce",
    "scatter_reduce_", "setitem", "take", "take_along_dim",
]
