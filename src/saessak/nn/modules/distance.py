"""Distances between vectors: CosineSimilarity, PairwiseDistance and ``F.pdist``."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance", "cosine_similarity", "pairwise_distance", "pdist"]


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``x1 . x2 / (max(|x1|, eps) * max(|x2|, eps))`` along ``dim`` (inputs broadcast against each other).

    >>> F.cosine_similarity(saessak.tensor([[1.0, 0.0]]), saessak.tensor([[1.0, 1.0]]))   # tensor([0.7071])
    """
    shape = _broadcast(x1, x2)
    x1, x2 = x1.broadcast_to(shape), x2.broadcast_to(shape)
    norm1 = (x1 * x1).sum(dim, keepdim=True).sqrt().clamp_min(eps)
    norm2 = (x2 * x2).sum(dim, keepdim=True).sqrt().clamp_min(eps)
    return ((x1 / norm1) * (x2 / norm2)).sum(dim)


def _broadcast(x1: Tensor, x2: Tensor) -> tuple:
    try:
        return np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({tuple(x1.shape)}) must match the size of tensor b "
                           f"({tuple(x2.shape)}) after broadcasting") from None


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """The p-norm of ``x1 - x2 + eps`` along the last dim (``eps`` keeps the norm's gradient finite at 0)."""
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """The p-norm distance between every pair of rows ``i < j`` of an (N, M) input: N * (N - 1) / 2 values.

    >>> F.pdist(saessak.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))   # tensor([5.0000, 1.0000, 4.2426])
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    rows, cols = np.triu_indices(input.shape[0], 1)
    first = input.index_select(0, Tensor._make(rows).to(input.device))
    second = input.index_select(0, Tensor._make(cols).to(input.device))
    return (first - second).norm(p, dim=1)


class CosineSimilarity(Module):
    """The cosine of the angle between ``x1`` and ``x2`` along ``dim``."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance between ``x1`` and ``x2`` along the last dim."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
