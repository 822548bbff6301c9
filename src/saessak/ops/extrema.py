"""Largest and smallest values: amax/amin, max/min (whole tensor or values+indices along a dim), argmax/argmin,
aminmax.

Gradients follow PyTorch: a whole-tensor max or an ``amax`` shares the gradient evenly among tied elements;
``max(dim)`` sends it to the one index it returned.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from .reduce import _as_array, _axes, _dims, _return_type, _unreduce

max_result = _return_type("max")
min_result = _return_type("min")
aminmax_result = _return_type("aminmax", ("min", "max"))


def _check_nonempty(data, dims, name: str) -> None:
    """PyTorch's errors for a max/min with nothing to choose from."""
    if data.size:
        return
    if dims is None or data.ndim == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                           f"Specify the reduction dim with the 'dim' argument.")
    for d in dims:
        if data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


# ---------------------------------------------------------------- amax / amin and whole-tensor max / min
class Amax(Function):
    """Largest value over ``dims``; the gradient is shared evenly among the elements that attain it."""

    _backward_name = "AmaxBackward0"
    _reduce = "max"
    _name = "amax"
    _nan_ties = False  # whole-tensor max/min: a NaN result sends the gradient to the NaN elements

    @staticmethod
    def forward(ctx, x, *, dims, keepdim):
        data = x._data
        _check_nonempty(data, dims, ctx._name)
        ctx.input_shape, ctx.dims, ctx.keepdim = data.shape, dims, keepdim
        out = _as_array(getattr(data, ctx._reduce)(axis=_axes(dims, data.ndim), keepdims=keepdim), x._xp())
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, gy):
        from .reduce import sum

        x, y = ctx.saved_tensors
        y = _unreduce(y, ctx.input_shape, ctx.dims, ctx.keepdim)
        g = _unreduce(gy, ctx.input_shape, ctx.dims, ctx.keepdim)
        hits = x == y
        if ctx._nan_ties and x._xp().isnan(y._data).any():
            hits = hits | (x != x)
        hits = hits.to(gy.dtype)
        return g * hits / sum(hits, ctx.dims, keepdim=True)


class Amin(Amax):
    _backward_name = "AminBackward0"
    _reduce = "min"
    _name = "amin"


class MaxAll(Amax):
    _backward_name = "MaxBackward1"
    _name = "max"
    _nan_ties = True


class MinAll(Amax):
    _backward_name = "MinBackward1"
    _reduce = "min"
    _name = "min"
    _nan_ties = True


def amax(x: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Largest value over ``dim`` (all dims for ``()``); tied elements share the gradient.

    >>> saessak.tensor([[1.0, 5.0], [7.0, 2.0]]).amax(1)
    tensor([5., 7.])
    """
    return Amax.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def amin(x: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Smallest value over ``dim`` (all dims for ``()``); tied elements share the gradient.

    >>> saessak.tensor([[1.0, 5.0], [7.0, 2.0]]).amin(1)
    tensor([1., 2.])
    """
    return Amin.apply(x, dims=_dims(dim, x.ndim), keepdim=keepdim)


def aminmax(x: Tensor, *, dim=None, keepdim: bool = False):
    """``(min, max)`` over ``dim`` (all elements when None) as a named tuple.

    >>> saessak.aminmax(saessak.tensor([3, 1, 2]))
    torch.return_types.aminmax(
    min=tensor(1),
    max=tensor(3))
    """
    return aminmax_result(amin(x, () if dim is None else dim, keepdim), amax(x, () if dim is None else dim, keepdim))


# ---------------------------------------------------------------- max / min along a dim: values and indices
class MaxDim(Function):
    """``max`` along ``dim``: values and the (first) index of each; the gradient goes to that index only."""

    _backward_name = "MaxBackward0"
    _pick = "argmax"
    _name = "max"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim):
        xp, data = x._xp(), x._data
        ctx.input_shape, ctx.dim, ctx.keepdim = data.shape, dim, keepdim
        if data.ndim == 0:
            return data.copy(), xp.zeros((), dtype=np.int64)
        _check_nonempty(data, (dim,), ctx._name)
        index = getattr(data, ctx._pick)(axis=dim, keepdims=True)
        values = xp.take_along_axis(data, index, axis=dim)
        ctx.index = index
        if not keepdim:
            values, index = values.squeeze(dim), index.squeeze(dim)
        return values, index.astype(np.int64, copy=False)

    @staticmethod
    def backward(ctx, gy, g_index=None):
        return _scatter_back(gy, ctx.index, ctx.input_shape, ctx.dim, ctx.keepdim)


class MinDim(MaxDim):
    _backward_name = "MinBackward0"
    _pick = "argmin"
    _name = "min"


def _scatter_back(gy: Tensor, index, input_shape: tuple, dim: int, keepdim: bool) -> Tensor:
    """A zero gradient of ``input_shape`` with ``gy`` written at ``index`` along ``dim``."""
    from ..creation import zeros
    from .scatter import scatter

    if not input_shape:
        return gy
    g = gy if keepdim else gy.unsqueeze(dim)
    index = Tensor._make(index.astype(np.int64, copy=False))
    return scatter(zeros(*input_shape, dtype=gy.dtype, device=gy.device), dim, index, g)


def max(x: Tensor, dim=None, keepdim: bool = False):
    """The largest value; with ``dim``, a ``(values, indices)`` named tuple; with a tensor, ``maximum``.

    >>> saessak.tensor([[1, 5], [7, 2]]).max(1)
    torch.return_types.max(
    values=tensor([5, 7]),
    indices=tensor([1, 0]))
    """
    if isinstance(dim, Tensor):
        from .pointwise import maximum

        return maximum(x, dim)
    if dim is None:
        return MaxAll.apply(x, dims=None, keepdim=False)
    return max_result(*MaxDim.apply(x, dim=_wrap_dim(dim, x.ndim), keepdim=keepdim))


def min(x: Tensor, dim=None, keepdim: bool = False):
    """The smallest value; with ``dim``, a ``(values, indices)`` named tuple; with a tensor, ``minimum``.

    >>> saessak.tensor([[1, 5], [7, 2]]).min(1).values
    tensor([1, 2])
    """
    if isinstance(dim, Tensor):
        from .pointwise import minimum

        return minimum(x, dim)
    if dim is None:
        return MinAll.apply(x, dims=None, keepdim=False)
    return min_result(*MinDim.apply(x, dim=_wrap_dim(dim, x.ndim), keepdim=keepdim))


# ---------------------------------------------------------------- argmax / argmin
def _arg(x: Tensor, dim, keepdim: bool, name: str) -> Tensor:
    xp, data = x._xp(), x._data
    if dim is None:
        if data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        out = getattr(data.reshape(-1), name)()
        return Tensor._make(xp.asarray(out, dtype=np.int64).reshape((1,) * data.ndim if keepdim else ()))
    d = _wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        return Tensor._make(xp.zeros((), dtype=np.int64))
    if data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return Tensor._make(getattr(data, name)(axis=d, keepdims=keepdim).astype(np.int64, copy=False))


def argmax(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the (first) largest value, in the flattened tensor when ``dim`` is None.

    >>> saessak.tensor([[1, 5], [7, 2]]).argmax()
    tensor(2)
    """
    return _arg(x, dim, keepdim, "argmax")


def argmin(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the (first) smallest value, in the flattened tensor when ``dim`` is None.

    >>> saessak.tensor([[1, 5], [7, 2]]).argmin(1)
    tensor([0, 1])
    """
    return _arg(x, dim, keepdim, "argmin")
