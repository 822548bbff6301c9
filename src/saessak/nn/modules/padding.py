"""Padding and resizing: ``F.pad`` (constant, reflect, replicate, circular), its modules (ZeroPad2d,
ReflectionPad1d, ...) and ``F.interpolate`` (nearest, nearest-exact, (bi/tri)linear, bicubic, area)."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Function
from ...ops.shape import _Pad
from .module import Module

__all__ = [  # the modules; F.pad and F.interpolate are exported by nn.functional
    "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
    "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
    "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d",
]


class _PadMode(Function):
    """Reflect, replicate or circular padding; the gradient folds the padded border back (a scatter-add)."""

    _backward_name = "ReflectionPadBackward0"

    @staticmethod
    def forward(ctx, x, *, widths, mode):
        ctx.input_shape, ctx.widths, ctx.mode = x._data.shape, widths, mode
        xp = x._xp()
        # the index of the source element of every output position, to send gradients back
        index = xp.arange(x._data.size).reshape(x._data.shape)
        ctx.source = xp.pad(index, widths, mode={"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode])
        return x._data.reshape(-1)[ctx.source]

    @staticmethod
    def backward(ctx, gy):
        from ...creation import zeros

        flat = zeros(int(np.prod(ctx.input_shape)), dtype=gy.dtype)
        return flat.index_add(0, Tensor._make(ctx.source.reshape(-1)), gy.reshape(-1)).reshape(ctx.input_shape)


def _check_mode_padding(input: Tensor, pad: tuple, mode: str) -> None:
    """Reflect, replicate and circular pad the last 1-3 dims of a batched or unbatched input, as PyTorch's."""
    dims = len(pad) // 2
    if dims > 3 or input.ndim not in (dims + 1, dims + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor. Non-constant padding pads "
            "the last 1, 2 or 3 dimensions of a (batched or unbatched) 2D-5D input: padding size 2, 4 or 6"
        )
    for i in range(dims):
        size, before, after = input.shape[input.ndim - 1 - i], pad[2 * i], pad[2 * i + 1]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Padding size should be less than the corresponding input dimension, but got: padding "
                               f"({before}, {after}) at dimension {input.ndim - 1 - i} of input {list(input.shape)}")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")


def pad(input: Tensor, pad: tuple, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` dims; ``pad`` lists (left, right) pairs starting from the last dim."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.ndim}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        _check_mode_padding(input, pad, mode)
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if any(a < 0 or b < 0 for a, b in widths):
        # negative padding crops
        index = tuple(slice(max(-a, 0), input.shape[d] - max(-b, 0)) for d, (a, b) in enumerate(widths))
        input = input[index]
        widths = [(max(a, 0), max(b, 0)) for a, b in widths]
    if mode == "constant":
        return _Pad.apply(input, widths=tuple(widths), value=0.0 if value is None else value)
    return _PadMode.apply(input, widths=tuple(widths), mode=mode)


# ---------------------------------------------------------------- resizing
_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")
_MODE_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}


def _source_positions(out_size: int, in_size: int, scale, align_corners: bool, clamp: bool) -> np.ndarray:
    """The (fractional) input coordinate each output position samples, for the interpolating modes."""
    if align_corners:
        return np.arange(out_size) * ((in_size - 1) / (out_size - 1)) if out_size > 1 else np.zeros(out_size)
    factor = (1.0 / scale) if scale else in_size / out_size
    source = (np.arange(out_size) + 0.5) * factor - 0.5
    return np.maximum(source, 0.0) if clamp else source  # linear clamps at the border; cubic extrapolates


def _nearest_index(out_size: int, in_size: int, scale, exact: bool) -> np.ndarray:
    factor = (1.0 / scale) if scale else in_size / out_size
    source = (np.arange(out_size) + (0.5 if exact else 0.0)) * factor
    return np.minimum(np.floor(source).astype(np.int64), in_size - 1)


def _along(dim: int, ndim: int, values: np.ndarray, like: Tensor) -> Tensor:
    """``values`` as a tensor shaped to broadcast along ``dim`` of an ``ndim``-D tensor like ``like``."""
    shape = [1] * ndim
    shape[dim] = -1
    return Tensor._make(values.astype(like._data.dtype).reshape(shape)).to(like.device)


def _taps(x: Tensor, dim: int, index: np.ndarray) -> Tensor:
    return x.index_select(dim, Tensor._make(np.clip(index, 0, x.shape[dim] - 1)).to(x.device))


def _cubic_weights(t: np.ndarray) -> list[np.ndarray]:
    """Keys' cubic convolution weights (a = -0.75, as PyTorch) of the taps at -1, 0, 1, 2 from ``floor``."""
    a = -0.75

    def near(d):
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _resize_dim(x: Tensor, dim: int, out_size: int, scale, mode: str, align_corners: bool) -> Tensor:
    """Resample one spatial dim; the modes are separable, so resizing is one dim after another."""
    in_size = x.shape[dim]
    if mode in ("nearest", "nearest-exact"):
        return _taps(x, dim, _nearest_index(out_size, in_size, scale, mode == "nearest-exact"))
    if mode == "bicubic":
        source = _source_positions(out_size, in_size, scale, align_corners, clamp=False)
        low = np.floor(source).astype(np.int64)
        weights = _cubic_weights(source - low)
        return sum(_taps(x, dim, low + k - 1) * _along(dim, x.ndim, w, x) for k, w in enumerate(weights))
    source = _source_positions(out_size, in_size, scale, align_corners, clamp=True)
    low = np.floor(source).astype(np.int64)
    a, b = _taps(x, dim, low), _taps(x, dim, low + 1)
    return a + (b - a) * _along(dim, x.ndim, source - low, x)


def _output_sizes(input: Tensor, size, scale_factor, recompute_scale_factor) -> tuple[list, list]:
    spatial = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        sizes = [size] * spatial if isinstance(size, int) else list(size)
        if len(sizes) != spatial:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {list(input.shape[2:])} and output size of {size}. Please "
                             "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                             "(o1, o2, ...,oK) format.")
        return [int(s) for s in sizes], [None] * spatial
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = [float(scale_factor)] * spatial if not isinstance(scale_factor, tuple | list) else list(scale_factor)
    if len(scales) != spatial:
        raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                         f"with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                         f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                         "scale_factor in (s1, s2, ...,sK) format.")
    sizes = [int(np.floor(input.shape[2 + i] * scales[i])) for i in range(spatial)]
    return sizes, [None] * spatial if recompute_scale_factor else scales


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None, antialias: bool = False) -> Tensor:
    """Resize the spatial dims of (N, C, *spatial) by ``size`` or ``scale_factor``.

    Modes: 'nearest', 'nearest-exact', 'area' (any 1-3 spatial dims), 'linear' (3-D input), 'bilinear' and
    'bicubic' (4-D), 'trilinear' (5-D).

    >>> F.interpolate(saessak.ones(1, 1, 2, 2), scale_factor=2).shape
    saessak.Size([1, 1, 4, 4])
    """
    modes = ("nearest", "nearest-exact", "area", *_INTERPOLATING)
    if mode not in modes or input.ndim not in (3, 4, 5):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
                                  f"the modes: {' | '.join(modes)} (got {mode})")
    if align_corners is not None and mode not in _INTERPOLATING:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if mode in _MODE_DIMS and input.ndim != _MODE_DIMS[mode] + 2:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {_MODE_DIMS[mode] + 2}D input")
    if antialias:
        raise NotImplementedError("interpolate(antialias=True) is not supported yet")
    sizes, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        from ...ops import pooling

        return pooling._adaptive_pool(input, tuple(sizes), "mean", input.ndim - 2, "adaptive_avg_pool")
    out = input
    for i, (out_size, scale) in enumerate(zip(sizes, scales)):
        out = _resize_dim(out, 2 + i, out_size, scale, mode, bool(align_corners))
    return out


# ---------------------------------------------------------------- padding modules
def _padding_tuple(padding, dims: int) -> tuple:
    if isinstance(padding, int):
        return (padding,) * (2 * dims)
    padding = tuple(padding)
    if len(padding) != 2 * dims:
        raise ValueError(f"expected padding to be an int or a tuple of {2 * dims} ints, got {padding}")
    return padding


class _PadNd(Module):
    _dims = 1
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _padding_tuple(padding, self._dims)

    def _check_input(self, input: Tensor) -> None:
        if input.ndim not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"{type(self).__name__} expected {self._dims + 1}D (unbatched) or {self._dims + 2}D "
                             f"(batched) input, got input of shape {tuple(input.shape)}")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input(input)
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        self._check_input(input)
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``: ``padding`` is an int or (left, right)."""

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: ``padding`` is an int or (left, right, top, bottom).

    >>> nn.ConstantPad2d(1, 3.5)(saessak.zeros(1, 2, 2)).shape
    saessak.Size([1, 4, 4])
    """

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``: (left, right, top, bottom, front, back)."""

    _dims = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last dim with zeros."""

    _dims = 1


class ZeroPad2d(_ZeroPadNd):
    """Pad the last two dims with zeros: ``padding`` is an int or (left, right, top, bottom)."""

    _dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last three dims with zeros."""

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Pad the last dim with its reflection (the border element not repeated): [1, 2, 3] -> [2, 1, 2, 3, 2]."""

    _dims, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Pad the last two dims with their reflection."""

    _dims, _mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Pad the last three dims with their reflection."""

    _dims, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last dim by repeating its border element: [1, 2, 3] -> [1, 1, 2, 3, 3]."""

    _dims, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Pad the last two dims by repeating their border."""

    _dims, _mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Pad the last three dims by repeating their border."""

    _dims, _mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Pad the last dim by wrapping around: [1, 2, 3] -> [3, 1, 2, 3, 1]."""

    _dims, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Pad the last two dims by wrapping around."""

    _dims, _mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Pad the last three dims by wrapping around."""

    _dims, _mode = 3, "circular"
