"""Convolution and pooling, built on one pair of ops: ``Unfold`` (im2col) and ``Fold`` (col2im).

``Unfold`` copies every sliding window of a (padded) input into columns with one strided view and one
copy, no loop over pixels; ``Fold`` adds columns back into an image (one vectorised add per kernel
offset). Each is the other's backward, so a convolution written as ``weight @ unfold(x)`` is differentiable
to any order, and the same windows serve max and average pooling.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .shape import _Pad


def _pair(value, n: int) -> tuple:
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    return value if len(value) == n else value * n


def _windows(data, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple, pad_value=0.0):
    """A strided view (N, C, *out, *kernel) of every window of ``data`` (N, C, *spatial)."""
    xp = np if isinstance(data, np.ndarray) else __import__("cupy")
    n = len(kernel)
    if any(padding):
        data = xp.pad(data, [(0, 0), (0, 0)] + [(p, p) for p in padding], constant_values=pad_value)
    spatial = data.shape[2:]
    out = tuple((spatial[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(n))
    if any(o <= 0 for o in out):
        original = tuple(s - 2 * p for s, p in zip(spatial, padding))
        raise RuntimeError(
            f"Calculated output size {out} is too small for input of spatial size {original}, kernel {kernel}, "
            f"dilation {dilation}, padding {padding} and stride {stride}"
        )
    strides = data.strides
    view_strides = strides[:2] + tuple(strides[2 + i] * stride[i] for i in range(n)) + \
        tuple(strides[2 + i] * dilation[i] for i in range(n))
    view = xp.lib.stride_tricks.as_strided(data, data.shape[:2] + out + kernel, view_strides, writeable=False)
    return view, out


class Unfold(Function):
    """im2col: (N, C, *spatial) -> (N, C * prod(kernel), L) columns of every sliding window."""

    _backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel, dilation, padding, stride, channels_first=False):
        ctx.args = (x._data.shape[2:], kernel, dilation, padding, stride, channels_first)
        view, out = _windows(x._data, kernel, dilation, padding, stride)
        n_dims = len(kernel)
        kernel_axes = tuple(range(2 + n_dims, 2 + 2 * n_dims))
        out_axes = tuple(range(2, 2 + n_dims))
        if channels_first:  # (C * k, N * L): the layout of one big GEMM for a convolution
            cols = view.transpose((1,) + kernel_axes + (0,) + out_axes)
            return cols.reshape(x._data.shape[1] * int(np.prod(kernel)), -1)
        cols = view.transpose((0, 1) + kernel_axes + out_axes)  # (N, C, *kernel, *out)
        return cols.reshape(x._data.shape[0], -1, int(np.prod(out)))

    @staticmethod
    def backward(ctx, gy):
        spatial, kernel, dilation, padding, stride, channels_first = ctx.args
        return Fold.apply(gy, output_size=spatial, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                          channels_first=channels_first)


class Fold(Function):
    """col2im: (N, C * prod(kernel), L) columns summed back into (N, C, *output_size)."""

    _backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, *, output_size, kernel, dilation, padding, stride, channels_first=False):
        ctx.args = (kernel, dilation, padding, stride, channels_first)
        data = cols._data
        xp = cols._xp()
        n_dims = len(kernel)
        padded = tuple(s + 2 * p for s, p in zip(output_size, padding))
        out = tuple((padded[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(n_dims))
        k_total = int(np.prod(kernel))
        if channels_first:  # (C * k, N * L) -> a (N, C, *kernel, *out) view
            channels = data.shape[0] // k_total
            batch = data.shape[1] // int(np.prod(out))
            blocks = data.reshape((channels,) + kernel + (batch,) + out)
            blocks = blocks.transpose((1 + n_dims, 0) + tuple(range(1, 1 + n_dims)) +
                                      tuple(range(2 + n_dims, 2 + 2 * n_dims)))
        else:
            batch, channels = data.shape[0], data.shape[1] // k_total
            blocks = data.reshape((batch, channels) + kernel + out)
        image = xp.zeros((batch, channels) + padded, dtype=data.dtype)
        for offset in np.ndindex(*kernel):  # one vectorised add per kernel position, never per pixel
            index = (slice(None), slice(None)) + tuple(
                slice(offset[i] * dilation[i], offset[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                for i in range(n_dims)
            )
            image[index] += blocks[(slice(None), slice(None)) + offset]
        crop = (slice(None), slice(None)) + tuple(slice(p, p + s) for p, s in zip(padding, output_size))
        return image[crop].copy() if any(padding) else image

    @staticmethod
    def backward(ctx, gy):
        kernel, dilation, padding, stride, channels_first = ctx.args
        return Unfold.apply(gy, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                            channels_first=channels_first)


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding windows as columns: ``F.unfold`` (im2col) for (N, C, H, W) inputs."""
    n = input.ndim - 2
    return Unfold.apply(input, kernel=_pair(kernel_size, n), dilation=_pair(dilation, n), padding=_pair(padding, n),
                        stride=_pair(stride, n))


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Columns summed back into an image: ``F.fold`` (col2im)."""
    n = len(_pair(output_size, 2)) if not isinstance(output_size, int) else 2
    return Fold.apply(input, output_size=_pair(output_size, n), kernel=_pair(kernel_size, n),
                      dilation=_pair(dilation, n), padding=_pair(padding, n), stride=_pair(stride, n))


# ---------------------------------------------------------------- convolution
def _same_padding(kernel: tuple, dilation: tuple) -> tuple[tuple, tuple]:
    """Left/right padding that keeps the size (stride 1), extra on the right as PyTorch does."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _convnd(input: Tensor, weight: Tensor, bias, stride, padding, dilation, groups: int, n: int) -> Tensor:
    if input.ndim != n + 2:
        raise RuntimeError(
            f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to conv{n}d, but got input of size: "
            f"{list(input.shape)}"
        )
    batch, channels = input.shape[0], input.shape[1]
    out_channels, per_group = weight.shape[0], weight.shape[1]
    if channels != per_group * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input{list(input.shape)} to have "
            f"{per_group * groups} channels, but got {channels} channels instead"
        )
    kernel = tuple(weight.shape[2:])
    stride, dilation = _pair(stride, n), _pair(dilation, n)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * n
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            left, right = _same_padding(kernel, dilation)
            if left != right:
                widths = ((0, 0), (0, 0)) + tuple(zip(left, right))
                input = _Pad.apply(input, widths=widths)
                padding = (0,) * n
            else:
                padding = left
        else:
            raise ValueError(f"Invalid padding string '{padding}', should be one of {{'valid', 'same'}}")
    padding = _pair(padding, n)
    spatial_in = tuple(input.shape[2:])
    out_sizes = tuple((spatial_in[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                      for i in range(n))
    k_total = int(np.prod(kernel))
    if groups == 1:
        # one GEMM for the whole batch: (O, C*k) @ (C*k, N*L), then (O, N, *out) seen as (N, O, *out)
        cols = Unfold.apply(input, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                            channels_first=True)
        out = (weight.reshape(out_channels, -1) @ cols).reshape(out_channels, batch, *out_sizes).transpose(0, 1)
        if bias is not None:
            out = out + bias.reshape(1, -1, *([1] * n))
        return out
    cols = Unfold.apply(input, kernel=kernel, dilation=dilation, padding=padding, stride=stride)  # (N, C*k, L)
    cols = cols.reshape(batch, groups, per_group * k_total, -1)
    w = weight.reshape(groups, out_channels // groups, per_group * k_total)
    out = (w.unsqueeze(0) @ cols).reshape(batch, out_channels, -1)
    out = out.reshape(batch, out_channels, *out_sizes)
    if bias is not None:
        out = out + bias.reshape(1, -1, *([1] * n))
    return out


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) of (N, C, L) inputs."""
    if input.ndim == 2:
        return conv1d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation) of (N, C, H, W) inputs; ``padding`` may be 'same' or 'valid'."""
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The gradient of conv2d with respect to its input, used as a layer (upsampling convolution)."""
    stride, padding = _pair(stride, 2), _pair(padding, 2)
    dilation, output_padding = _pair(dilation, 2), _pair(output_padding, 2)
    batch, channels, height, width = input.shape
    kernel = tuple(weight.shape[2:])
    out_size = tuple((s - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + output_padding[i] + 1
                     for i, s in enumerate((height, width)))
    if channels % groups or weight.shape[0] != channels:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input{list(input.shape)} to have "
            f"{weight.shape[0]} channels, but got {channels} channels instead"
        )
    # columns: (N, O*k, L) = W^T (O*k, C) @ x (N, C, L), per group; then col2im onto the output grid
    per_group = channels // groups
    w = weight.reshape(groups, per_group, -1).transpose(1, 2)  # (g, O/g * k, C/g)
    cols = (w @ input.reshape(batch, groups, per_group, -1)).reshape(batch, -1, height * width)
    out = Fold.apply(cols, output_size=out_size, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out


# ---------------------------------------------------------------- pooling
def _pool_windows(input: Tensor, kernel, stride, padding, dilation, n: int, pad_value: float):
    kernel = _pair(kernel, n)
    stride = _pair(stride if stride is not None and stride != [] else kernel, n)
    padding, dilation = _pair(padding, n), _pair(dilation, n)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={padding[0]}, "
                           f"kernel_size={kernel[0]} and dilation={dilation[0]}")
    return kernel, stride, padding, dilation


def _max_pool(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode: bool, return_indices: bool, n: int):
    kernel, stride, padding, dilation = _pool_windows(input, kernel_size, stride, padding, dilation, n, -math.inf)
    batch, channels = input.shape[0], input.shape[1]
    spatial = tuple(input.shape[2:])
    if (n == 2 and kernel == stride and not any(padding) and dilation == (1, 1) and not return_indices
            and not ceil_mode):
        return _tiled_max_pool2d(input, kernel)
    extra = [0] * n
    if ceil_mode:
        for i in range(n):
            span = spatial[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1
            out_floor = span // stride[i] + 1
            out_ceil = -(-span // stride[i]) + 1
            if (out_ceil - 1) * stride[i] >= spatial[i] + padding[i]:
                out_ceil -= 1
            extra[i] = (out_ceil - out_floor) * stride[i]
    x = input
    if any(padding) or any(extra):
        widths = ((0, 0), (0, 0)) + tuple((p, p + e) for p, e in zip(padding, extra))
        x = _Pad.apply(input, widths=widths, value=-math.inf)
    cols = Unfold.apply(x, kernel=kernel, dilation=dilation, padding=(0,) * n, stride=stride)
    k_total = int(np.prod(kernel))
    out_sizes = tuple((x.shape[2 + i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(n))
    cols = cols.reshape(batch, channels, k_total, -1)
    values, arg = cols.max(2)
    values = values.reshape(batch, channels, *out_sizes)
    if not return_indices:
        return values
    # flat index into the (unpadded) input plane, as PyTorch reports it
    arg = arg._data
    offsets = np.stack(np.unravel_index(arg, kernel), 0)  # (n, N, C, L)
    starts = np.stack(np.unravel_index(np.arange(int(np.prod(out_sizes))), out_sizes), 0)
    coords = [starts[i] * stride[i] + offsets[i] * dilation[i] - padding[i] for i in range(n)]
    flat = np.ravel_multi_index(tuple(coords), spatial, mode="clip")
    indices = Tensor._make(np.asarray(flat, dtype=np.int64).reshape(batch, channels, *out_sizes))
    return values, indices


def _tiled_max_pool2d(input: Tensor, kernel: tuple) -> Tensor:
    """Max pooling whose windows tile the image (kernel == stride): one reshape, a contiguous max, no im2col."""
    batch, channels, height, width = input.shape
    out_h, out_w = height // kernel[0], width // kernel[1]
    x = input
    if out_h * kernel[0] != height or out_w * kernel[1] != width:  # floor mode drops the remainder
        x = x[:, :, : out_h * kernel[0], : out_w * kernel[1]]
    tiles = x.reshape(batch, channels, out_h, kernel[0], out_w, kernel[1]).permute(0, 1, 2, 4, 3, 5)
    tiles = tiles.reshape(batch, channels, out_h, out_w, kernel[0] * kernel[1])
    return tiles.max(-1).values  # the gradient goes to each tile's first maximum, as PyTorch's does


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of (N, C, L)."""
    if input.ndim == 2:
        out = max_pool1d(input.unsqueeze(0), kernel_size, stride, padding, dilation, ceil_mode, return_indices)
        return tuple(o.squeeze(0) for o in out) if return_indices else out.squeeze(0)
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of (N, C, H, W); the gradient goes to each window's (first) maximum."""
    if input.ndim == 3:
        out = max_pool2d(input.unsqueeze(0), kernel_size, stride, padding, dilation, ceil_mode, return_indices)
        return tuple(o.squeeze(0) for o in out) if return_indices else out.squeeze(0)
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def _avg_pool(input: Tensor, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, n: int):
    kernel, stride, padding, dilation = _pool_windows(input, kernel_size, stride, padding, 1, n, 0.0)
    if ceil_mode:
        raise NotImplementedError("avg_pool with ceil_mode=True is not supported yet")
    batch, channels = input.shape[0], input.shape[1]
    cols = Unfold.apply(input, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    out_sizes = tuple((input.shape[2 + i] + 2 * padding[i] - kernel[i]) // stride[i] + 1 for i in range(n))
    k_total = int(np.prod(kernel))
    sums = cols.reshape(batch, channels, k_total, -1).sum(2).reshape(batch, channels, *out_sizes)
    if divisor_override:
        return sums / divisor_override
    if count_include_pad or not any(padding):
        return sums / k_total
    from ..creation import ones

    counts = Unfold.apply(ones(1, 1, *input.shape[2:], dtype=input.dtype), kernel=kernel, dilation=dilation,
                          padding=padding, stride=stride).sum(1).reshape(1, 1, *out_sizes)
    return sums / counts


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Average over sliding windows of (N, C, L)."""
    if input.ndim == 2:
        return avg_pool1d(input.unsqueeze(0), kernel_size, stride, padding, ceil_mode, count_include_pad).squeeze(0)
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """Average over sliding windows of (N, C, H, W)."""
    if input.ndim == 3:
        return avg_pool2d(input.unsqueeze(0), kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override).squeeze(0)
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2)


def _adaptive_bins(size: int, out: int) -> list[tuple[int, int]]:
    return [((i * size) // out, -((-(i + 1) * size) // out)) for i in range(out)]


def _adaptive_pool2d(input: Tensor, output_size, reduce: str) -> Tensor:
    from .join import stack

    squeeze = input.ndim == 3
    if squeeze:
        input = input.unsqueeze(0)
    h, w = input.shape[-2:]
    out_h, out_w = _pair(output_size, 2)
    out_h, out_w = out_h or h, out_w or w
    if h % out_h == 0 and w % out_w == 0:  # equal bins: one reshape and one reduction
        blocks = input.reshape(*input.shape[:2], out_h, h // out_h, out_w, w // out_w)
        out = blocks.mean((3, 5)) if reduce == "mean" else blocks.amax((3, 5))
    else:
        rows = []
        for r0, r1 in _adaptive_bins(h, out_h):
            cells = []
            for c0, c1 in _adaptive_bins(w, out_w):
                cell = input[..., r0:r1, c0:c1]
                cells.append(cell.mean((-2, -1)) if reduce == "mean" else cell.amax((-2, -1)))
            rows.append(stack(cells, -1))
        out = stack(rows, -2)
    return out.squeeze(0) if squeeze else out


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed output size."""
    return _adaptive_pool2d(input, output_size, "mean")


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False) -> Tensor:
    """Max pooling to a fixed output size."""
    if return_indices:
        raise NotImplementedError("adaptive_max_pool2d(return_indices=True) is not supported yet")
    return _adaptive_pool2d(input, output_size, "max")
