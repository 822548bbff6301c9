"""Building tensors from tensors: meshgrid, cartesian_prod, combinations, block_diag, diff, cdist, cross.

All are compositions of differentiable ops, so their gradients come for free.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._tensor import Tensor, _wrap_dim


def _flat(tensors) -> list:
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        return list(tensors[0])
    return list(tensors)


def meshgrid(*tensors, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors (``indexing='ij'`` matrix order, ``'xy'`` Cartesian)."""
    tensors = _flat(tensors)
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        tensors = [tensors[1], tensors[0], *tensors[2:]]
    shape = [t.numel() for t in tensors]
    grids = []
    for i, t in enumerate(tensors):
        view = [1] * len(tensors)
        view[i] = -1
        grids.append(t.reshape(view).expand(*shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors) -> Tensor:
    """All combinations of elements of 1-D tensors, one per row."""
    from .join import stack

    tensors = _flat(tensors)
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Every length-``r`` combination of a 1-D tensor's elements, one per row, as ``itertools.combinations``.

    >>> saessak.combinations(saessak.tensor([1, 2, 3]))   # rows [1, 2], [1, 3], [2, 3]
    """
    from ..creation import tensor

    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1)
    return input.index_select(0, tensor(index, device=input.device)).reshape(-1, r)


def block_diag(*tensors) -> Tensor:
    """A block-diagonal matrix with the given matrices (or scalars/vectors) on its diagonal."""
    from ..creation import zeros
    from .join import cat

    blocks = [t.reshape(1, 1) if t.ndim == 0 else (t.reshape(1, -1) if t.ndim == 1 else t) for t in _flat(tensors)]
    cols = sum(b.shape[1] for b in blocks)
    rows, offset = [], 0
    for b in blocks:
        left = zeros(b.shape[0], offset, dtype=b.dtype)
        right = zeros(b.shape[0], cols - offset - b.shape[1], dtype=b.dtype)
        rows.append(cat([left, b, right], 1))
        offset += b.shape[1]
    return cat(rows, 0)


def diff(x: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """``n``-th forward difference along ``dim``."""
    from .join import cat

    d = _wrap_dim(dim, x.ndim)
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, x, append) if t is not None], d)
    for _ in range(n):
        length = x.shape[d]
        x = x.narrow(d, 1, length - 1) - x.narrow(d, 0, length - 1)
    return x


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode=None) -> Tensor:
    """Pairwise p-norm distances between the rows of ``x1`` (.., P, M) and ``x2`` (.., R, M)."""
    from .reduce import norm

    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    return norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p, -1)


def cross(x: Tensor, other: Tensor, dim=None) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (the first dim of size 3 when None)."""
    from ..linalg import cross as linalg_cross

    if dim is None:
        dim = next(i for i, s in enumerate(x.shape) if s == 3)
    return linalg_cross(x, other, dim=dim)
