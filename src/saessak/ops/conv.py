"""Convolution: the convolution op with its two gradient ops, and ``unfold``/``fold`` (im2col/col2im).

Every sliding window of a (padded) input is copied into columns with one strided view and one copy, no loop
over pixels; columns go back into an image with one vectorised add per kernel offset (ops/_im2col.py). A
convolution is then GEMMs over the columns, in the memory layout that suits the feature-map size
(ops/_conv_layouts.py: one GEMM per sample for large maps, one for the whole batch for small ones).

The convolution's gradients are two more ops, each differentiable in terms of the others, so double
backward (and any higher order) needs no extra code::

    y  = Convolution(x, w)          gx = ConvInputGrad(gy, w)          gw = ConvWeightGrad(x, gy)
"""

from __future__ import annotations

import math

from .._tensor import Tensor
from ..autograd.function import Function
from ._conv_layouts import layout_for
from ._im2col import _col2im, _im2col, _out_sizes
from .shape import _Pad


def _pair(value, n: int) -> tuple:
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    return value if len(value) == n else value * n


class Unfold(Function):
    """im2col: (N, C, *spatial) -> (N, C * prod(kernel), L) columns of every sliding window."""

    _backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel, dilation, padding, stride):
        ctx.args = (x._data.shape[2:], kernel, dilation, padding, stride)
        return _im2col(x._data, kernel, dilation, padding, stride)[0]

    @staticmethod
    def backward(ctx, gy):
        spatial, kernel, dilation, padding, stride = ctx.args
        return Fold.apply(gy, output_size=spatial, kernel=kernel, dilation=dilation, padding=padding, stride=stride)


class Fold(Function):
    """col2im: (N, C * prod(kernel), L) columns summed back into (N, C, *output_size)."""

    _backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, *, output_size, kernel, dilation, padding, stride):
        ctx.args = (kernel, dilation, padding, stride)
        return _col2im(cols._data, output_size, kernel, dilation, padding, stride)

    @staticmethod
    def backward(ctx, gy):
        kernel, dilation, padding, stride = ctx.args
        return Unfold.apply(gy, kernel=kernel, dilation=dilation, padding=padding, stride=stride)


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding windows as columns: ``F.unfold`` (im2col) of (N, C, H, W) or unbatched (C, H, W) inputs."""
    if input.ndim == 3:
        return unfold(input.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0)
    if input.ndim != 4:
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)")
    n = 2
    return Unfold.apply(input, kernel=_pair(kernel_size, n), dilation=_pair(dilation, n), padding=_pair(padding, n),
                        stride=_pair(stride, n))


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Columns summed back into an image: ``F.fold`` (col2im) of (N, C * prod(kernel), L) or unbatched inputs."""
    if input.ndim == 2:
        return fold(input.unsqueeze(0), output_size, kernel_size, dilation, padding, stride).squeeze(0)
    if input.ndim != 3:
        raise RuntimeError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got "
                           f"{input.ndim}D)")
    n = len(_pair(output_size, 2)) if not isinstance(output_size, int) else 2
    return Fold.apply(input, output_size=_pair(output_size, n), kernel=_pair(kernel_size, n),
                      dilation=_pair(dilation, n), padding=_pair(padding, n), stride=_pair(stride, n))


# ---------------------------------------------------------------- convolution and its gradients
class Convolution(Function):
    """``y = conv(x, w) + b``: im2col, then GEMMs in the layout that suits the feature-map size."""

    _backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, padding, dilation, groups):
        w = weight._data
        spatial = x._data.shape[2:]
        out = _out_sizes(tuple(s + 2 * p for s, p in zip(spatial, padding)), w.shape[2:], dilation, stride)
        layout = layout_for(math.prod(out))
        cols, out = layout.im2col(x._data, w.shape[2:], dilation, padding, stride)
        y = layout.forward(w, cols, groups, out)
        if bias is not None:
            y += bias._data.reshape((-1,) + (1,) * len(out))
        needs = ctx.needs_input_grad
        ctx.geometry = (spatial, w.shape, stride, padding, dilation, groups)
        ctx.save_for_backward(x if needs[1] else None, weight if needs[0] else None)
        ctx.cols = (layout, cols) if needs[1] else None
        return y

    @staticmethod
    def backward(ctx, gy):
        x, weight = ctx.saved_tensors
        spatial, weight_shape, stride, padding, dilation, groups = ctx.geometry
        needs = ctx.needs_input_grad
        gx = gw = gb = None
        if needs[0]:
            gx = ConvInputGrad.apply(gy, weight, input_size=spatial, stride=stride, padding=padding,
                                     dilation=dilation, groups=groups)
        if needs[1]:
            gw = ConvWeightGrad.apply(x, gy, weight_shape=weight_shape, stride=stride, padding=padding,
                                      dilation=dilation, groups=groups, cols=ctx.cols)
            ctx.cols = None
        if len(needs) > 2 and needs[2]:
            gb = gy.sum((0,) + tuple(range(2, gy.ndim)))
        return gx, gw, gb


class ConvInputGrad(Function):
    """The gradient of a convolution with respect to its input (a transposed convolution): GEMM, then col2im."""

    _backward_name = "ConvolutionBackwardInput"

    @staticmethod
    def forward(ctx, gy, weight, *, input_size, stride, padding, dilation, groups):
        g = gy._data
        layout = layout_for(math.prod(g.shape[2:]))
        ctx.geometry = (stride, padding, dilation, groups)
        ctx.save_for_backward(gy, weight)
        return layout.input_grad(g, weight._data, groups, tuple(input_size), dilation, padding, stride)

    @staticmethod
    def backward(ctx, ggx):
        gy, weight = ctx.saved_tensors
        stride, padding, dilation, groups = ctx.geometry
        needs = ctx.needs_input_grad
        ggy = gw = None
        if needs[0]:
            ggy = Convolution.apply(ggx, weight, stride=stride, padding=padding, dilation=dilation, groups=groups)
        if needs[1]:
            gw = ConvWeightGrad.apply(ggx, gy, stride=stride, padding=padding, dilation=dilation, groups=groups,
                                      weight_shape=tuple(weight.shape))
        return ggy, gw


class ConvWeightGrad(Function):
    """The gradient of a convolution with respect to its weight: ``gy @ cols^T`` summed over the batch."""

    _backward_name = "ConvolutionBackwardWeight"

    @staticmethod
    def forward(ctx, x, gy, *, weight_shape, stride, padding, dilation, groups, cols=None):
        if cols is None:  # Convolution.backward hands over the columns of its forward; others recompute them
            layout = layout_for(math.prod(gy._data.shape[2:]))
            cols = (layout, layout.im2col(x._data, tuple(weight_shape[2:]), dilation, padding, stride)[0])
        layout, columns = cols
        ctx.geometry = (stride, padding, dilation, groups)
        ctx.save_for_backward(x, gy)
        return layout.weight_grad(gy._data, columns, groups, tuple(weight_shape))

    @staticmethod
    def backward(ctx, ggw):
        x, gy = ctx.saved_tensors
        stride, padding, dilation, groups = ctx.geometry
        needs = ctx.needs_input_grad
        gx = ggy = None
        if needs[0]:
            gx = ConvInputGrad.apply(gy, ggw, input_size=tuple(x.shape[2:]), stride=stride, padding=padding,
                                     dilation=dilation, groups=groups)
        if needs[1]:
            ggy = Convolution.apply(x, ggw, stride=stride, padding=padding, dilation=dilation, groups=groups)
        return gx, ggy


def _same_padding(kernel: tuple, dilation: tuple) -> tuple[tuple, tuple]:
    """Left/right padding that keeps the size (stride 1), extra on the right as PyTorch does."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _check_types(input: Tensor, weight: Tensor, bias) -> None:
    if input.dtype != weight.dtype or (bias is not None and bias.dtype != weight.dtype):
        other = "bias" if input.dtype == weight.dtype else "weight"
        theirs = bias.dtype if other == "bias" else weight.dtype
        raise RuntimeError(f"Input type ({input.dtype}) and {other} type ({theirs}) should be the same")
    if input.device != weight.device:
        raise RuntimeError(f"Input ({input.device}) and weight ({weight.device}) should be on the same device")


def _convnd(input: Tensor, weight: Tensor, bias, stride, padding, dilation, groups: int, n: int) -> Tensor:
    if input.ndim != n + 2:
        raise RuntimeError(
            f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to conv{n}d, but got input of size: "
            f"{list(input.shape)}"
        )
    channels, per_group = input.shape[1], weight.shape[1]
    if channels != per_group * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input{list(input.shape)} to have "
            f"{per_group * groups} channels, but got {channels} channels instead"
        )
    _check_types(input, weight, bias)
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
    args = (input, weight) if bias is None else (input, weight, bias)
    return Convolution.apply(*args, stride=stride, padding=padding, dilation=dilation, groups=groups)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) of (N, C, L) inputs."""
    if input.ndim == 2:
        return conv1d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation) of (N, C, H, W) inputs; ``padding`` may be 'same' or 'valid'.

    >>> F.conv2d(saessak.ones(1, 1, 3, 3), saessak.ones(1, 1, 2, 2)).shape
    saessak.Size([1, 1, 2, 2])
    """
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """3-D convolution (cross-correlation) of (N, C, D, H, W) inputs."""
    if input.ndim == 4:
        return conv3d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transposend(input: Tensor, weight: Tensor, bias, stride, padding, output_padding, groups: int, dilation,
                      n: int) -> Tensor:
    """The input gradient of an n-D convolution, used as a layer: ``weight`` is (C_in, C_out / groups, *kernel)."""
    if input.ndim == n + 1:
        return _conv_transposend(input.unsqueeze(0), weight, bias, stride, padding, output_padding, groups, dilation,
                                 n).squeeze(0)
    if input.ndim != n + 2:
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to conv_transpose{n}d, but got "
                           f"input of size: {list(input.shape)}")
    stride, padding = _pair(stride, n), _pair(padding, n)
    dilation, output_padding = _pair(dilation, n), _pair(output_padding, n)
    channels = input.shape[1]
    if weight.shape[0] != channels:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input{list(input.shape)} to have "
            f"{weight.shape[0]} channels, but got {channels} channels instead"
        )
    if any(op >= max(s, d) for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding={output_padding}, stride={stride}, dilation={dilation}")
    _check_types(input, weight, bias)
    kernel = tuple(weight.shape[2:])
    out_size = tuple((s - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + output_padding[i] + 1
                     for i, s in enumerate(input.shape[2:]))
    out = ConvInputGrad.apply(input, weight, input_size=out_size, stride=stride, padding=padding, dilation=dilation,
                              groups=groups)
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * n)
    return out


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The gradient of conv1d with respect to its input, used as a layer; ``weight`` is (C_in, C_out / groups, k)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The gradient of conv2d with respect to its input, used as a layer (upsampling convolution).

    ``weight`` is (C_in, C_out / groups, kH, kW): the weight of the convolution whose input gradient this is.

    >>> F.conv_transpose2d(saessak.ones(1, 1, 2, 2), saessak.ones(1, 1, 2, 2), stride=2).shape
    saessak.Size([1, 1, 4, 4])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 2)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The gradient of conv3d with respect to its input, used as a layer; ``weight`` is (C_in, C_out / groups,
    kD, kH, kW)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 3)
