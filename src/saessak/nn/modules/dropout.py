"""Dropout layers: zero random elements in training (scaling the rest), the identity in evaluation."""

from __future__ import annotations

from ... import creation
from ..._tensor import Tensor
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "AlphaDropout", "dropout", "dropout1d", "dropout2d", "alpha_dropout"]


def _keep_mask(shape: tuple, p: float, dtype) -> Tensor:
    from ...random import bernoulli

    return bernoulli(creation.full(shape, 1.0 - p, dtype=dtype))


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)`` (training only)."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        out = input * 0.0
    else:
        out = input * (_keep_mask(tuple(input.shape), p, input.dtype) * (1.0 / (1.0 - p)))
    return input.copy_(out) if inplace else out


def _channel_dropout(input: Tensor, p: float, training: bool, inplace: bool, spatial: int) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    shape = tuple(input.shape[: input.ndim - spatial]) + (1,) * spatial
    mask = _keep_mask(shape, p, input.dtype) * (1.0 / (1.0 - p)) if p < 1.0 else creation.zeros(*shape)
    out = input * mask
    return input.copy_(out) if inplace else out


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) inputs."""
    return _channel_dropout(input, p, training, inplace, 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels (feature maps) of (N, C, H, W) inputs."""
    return _channel_dropout(input, p, training, inplace, 2)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU's self-normalising mean and variance (dropped values go to SELU's saturation)."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    alpha_prime = -1.7580993408473766  # -scale * alpha of SELU
    keep = _keep_mask(tuple(input.shape), p, input.dtype)
    a = ((1 - p) * (1 + p * alpha_prime**2)) ** -0.5
    b = -a * alpha_prime * p
    out = (input * keep + alpha_prime * (1 - keep)) * a + b
    return input.copy_(out) if inplace else out


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_p(p)
        self.p, self.inplace = p, inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Randomly zero elements with probability ``p`` during training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Randomly zero whole channels of (N, C, L) inputs during training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Randomly zero whole channels of (N, C, H, W) inputs during training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks."""

    def forward(self, input: Tensor) -> Tensor:
        return alpha_dropout(input, self.p, self.training)
