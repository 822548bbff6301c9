"""Rearranging channels and space: PixelShuffle, PixelUnshuffle, ChannelShuffle and their functional forms."""

from __future__ import annotations

from ..._tensor import Tensor
from .module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle", "ChannelShuffle", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle"]


def _check_rank(input: Tensor, name: str) -> None:
    if input.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input with {input.ndim} "
                           "dimension(s)")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C * r**2, H, W) -> (*, C, H * r, W * r): channel blocks become r x r pixel blocks (sub-pixel convolution).

    >>> F.pixel_shuffle(saessak.ones(1, 8, 2, 3), 2).shape
    saessak.Size([1, 2, 4, 6])
    """
    _check_rank(input, "pixel_shuffle")
    r = upscale_factor
    *batch, channels, height, width = input.shape
    if channels % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={channels} is not divisible by {r * r}")
    b = len(batch)
    blocks = input.reshape(*batch, channels // (r * r), r, r, height, width)
    order = (*range(b), b, b + 3, b + 1, b + 4, b + 2)  # (C, H, r, W, r)
    return blocks.permute(*order).reshape(*batch, channels // (r * r), height * r, width * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H * r, W * r) -> (*, C * r**2, H, W): the inverse of ``pixel_shuffle``."""
    _check_rank(input, "pixel_unshuffle")
    r = downscale_factor
    *batch, channels, height, width = input.shape
    if height % r or width % r:
        dim, size = (-2, height) if height % r else (-1, width)
        raise RuntimeError(f"pixel_unshuffle expects {'height' if dim == -2 else 'width'} to be divisible by "
                           f"downscale_factor, but input.size({dim})={size} is not divisible by {r}")
    b = len(batch)
    blocks = input.reshape(*batch, channels, height // r, r, width // r, r)
    order = (*range(b), b, b + 2, b + 4, b + 1, b + 3)  # (C, r, r, H, W)
    return blocks.permute(*order).reshape(*batch, channels * r * r, height // r, width // r)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) with channels in ``groups`` groups: channel ``g * (C / groups) + i`` moves to ``i * groups + g``
    (ShuffleNet's mixing of grouped convolutions)."""
    if input.ndim < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    channels = input.shape[1]
    if channels % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {channels} channels and {groups} "
                           "groups.")
    batch, rest = input.shape[0], tuple(input.shape[2:])
    return input.reshape(batch, groups, channels // groups, *rest).transpose(1, 2).reshape(input.shape)


class PixelShuffle(Module):
    """(*, C * r**2, H, W) -> (*, C, H * r, W * r) with ``r = upscale_factor``."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H * r, W * r) -> (*, C * r**2, H, W) with ``r = downscale_factor``."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class ChannelShuffle(Module):
    """Interleave the channels of ``groups`` groups (see ``F.channel_shuffle``)."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
