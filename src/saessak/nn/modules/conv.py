"""Convolution layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d (functional forms in ``ops/conv.py``)."""

from __future__ import annotations

import math

from ... import creation
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...ops import conv as F
from ..parameter import Parameter
from .module import Module
from .padding import pad

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


class _ConvNd(Module):
    _dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None,
                 transposed: bool = False, output_padding=0) -> None:
        super().__init__()
        n = self._dims
        if in_channels % groups or out_channels % groups:
            raise ValueError("in_channels and out_channels must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {sorted(_PADDING_MODES)}, but got "
                             f"padding_mode='{padding_mode}'")
        if transposed and padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = F._pair(kernel_size, n)
        self.stride, self.dilation = F._pair(stride, n), F._pair(dilation, n)
        self.padding = padding if isinstance(padding, str) else F._pair(padding, n)
        self.output_padding = F._pair(output_padding, n)
        self.groups, self.padding_mode, self.transposed = groups, padding_mode, transposed
        shape = (in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(creation.empty(*shape, *self.kernel_size, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias (kaiming_uniform with a=sqrt(5))."""
        fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
        bound = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
        with no_grad():
            self.weight.uniform_(-bound, bound)
            if self.bias is not None:
                self.bias.uniform_(-bound, bound)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * len(self.padding) if not isinstance(self.padding, str) else True:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text

    def _pad_input(self, input: Tensor) -> tuple[Tensor, object]:
        """For padding modes other than zeros, pad explicitly (F.pad) and convolve with no padding."""
        if self.padding_mode == "zeros":
            return input, self.padding
        if self.padding == "same":
            left, right = F._same_padding(self.kernel_size, self.dilation)
        elif self.padding == "valid":
            left = right = (0,) * self._dims
        else:
            left = right = self.padding
        widths = []
        for before, after in zip(reversed(left), reversed(right)):  # F.pad lists the last dimension first
            widths += [before, after]
        return pad(input, tuple(widths), mode=self.padding_mode), 0

    def _check_channels(self, input: Tensor) -> None:
        if input.ndim not in (self._dims + 1, self._dims + 2):
            raise RuntimeError(
                f"{self!r} expected {self._dims + 1}D (unbatched) or {self._dims + 2}D (batched) input, got input of "
                f"shape {tuple(input.shape)}"
            )
        channels = input.shape[-self._dims - 1]
        if channels != self.in_channels:
            raise RuntimeError(
                f"{self!r} expected input with {self.in_channels} channels, got input of shape {tuple(input.shape)}"
            )


class _Conv(_ConvNd):
    def forward(self, input: Tensor) -> Tensor:
        self._check_channels(input)
        input, padding = self._pad_input(input)
        conv = (F.conv1d, F.conv2d, F.conv3d)[self._dims - 1]
        return conv(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_Conv):
    """1-D convolution over (N, C_in, L) inputs."""

    _dims = 1


class Conv2d(_Conv):
    """2-D convolution over (N, C_in, H, W) inputs (stride, padding incl. 'same', dilation, groups, bias).

    >>> nn.Conv2d(3, 8, 3, padding=1)(saessak.ones(2, 3, 5, 5)).shape
    saessak.Size([2, 8, 5, 5])
    """

    _dims = 2


class Conv3d(_Conv):
    """3-D convolution over (N, C_in, D, H, W) inputs."""

    _dims = 3


class _ConvTransposeNd(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None,
                 dtype=None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device, dtype, transposed=True, output_padding=output_padding)

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        self._check_channels(input)
        output_padding = self.output_padding if output_size is None else self._output_padding(input, output_size)
        return F._conv_transposend(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                   self.groups, self.dilation, self._dims)

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        """The output padding that makes the output exactly ``output_size`` (which may include N and C)."""
        requested = tuple(int(s) for s in output_size)[-self._dims:]
        spatial = tuple(input.shape[-self._dims:])
        smallest = tuple((spatial[i] - 1) * self.stride[i] - 2 * self.padding[i] +
                         self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in range(self._dims))
        largest = tuple(smallest[i] + self.stride[i] - 1 for i in range(self._dims))
        if any(not lo <= r <= hi for r, lo, hi in zip(requested, smallest, largest)):
            raise ValueError(f"requested an output size of {list(requested)}, but valid sizes range from "
                             f"{list(smallest)} to {list(largest)} (for an input of {list(spatial)})")
        return tuple(r - lo for r, lo in zip(requested, smallest))


class ConvTranspose1d(_ConvTransposeNd):
    """The transpose of Conv1d (a learnable upsampling) over (N, C_in, L) inputs."""

    _dims = 1


class ConvTranspose2d(_ConvTransposeNd):
    """The transpose of Conv2d (a learnable upsampling) over (N, C_in, H, W) inputs.

    >>> nn.ConvTranspose2d(4, 2, 2, stride=2)(saessak.ones(1, 4, 3, 3)).shape
    saessak.Size([1, 2, 6, 6])
    """

    _dims = 2


class ConvTranspose3d(_ConvTransposeNd):
    """The transpose of Conv3d over (N, C_in, D, H, W) inputs."""

    _dims = 3
