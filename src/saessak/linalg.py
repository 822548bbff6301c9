"""``saessak.linalg``: norms, inverses, solves and decompositions, with PyTorch's names and conventions."""

from __future__ import annotations

from ._tensor import Tensor
from .ops.decomp import (
    cholesky,
    det,
    eigh,
    eigvalsh,
    inv,
    matrix_power,
    matrix_rank,
    pinv,
    qr,
    slogdet,
    solve,
    svd,
    svdvals,
)
from .ops.linalg import matmul
from .ops.reduce import amax, amin, sum
from .ops.reduce import norm as _vector_norm_impl

__all__ = [
    "norm", "vector_norm", "matrix_norm", "inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals",
    "eigh", "eigvalsh", "pinv", "matrix_rank", "matrix_power", "multi_dot", "matmul", "vecdot", "cross",
]


def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (all elements when None)."""
    return _vector_norm_impl(x, ord, dim, keepdim, dtype=dtype)


def matrix_norm(x: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    """Matrix norms over the two ``dim``: 'fro', 'nuc', inf, -inf, 1, -1, 2, -2."""
    from .ops.rounding import abs as _abs

    if dtype is not None:
        x = x.to(dtype)
    d0, d1 = (d % x.ndim for d in dim)
    if ord == "fro":
        return _vector_norm_impl(x, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = x.movedim((d0, d1), (-2, -1))
        s = svdvals(moved)
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        return _keep(out, x, (d0, d1)) if keepdim else out
    if ord in (1, -1, float("inf"), float("-inf")):
        summed_dim, reduce_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = sum(_abs(x), summed_dim, keepdim=True)
        out = amax(sums, reduce_dim, keepdim=True) if ord in (1, float("inf")) else amin(sums, reduce_dim, keepdim=True)
        return out if keepdim else out.squeeze((d0, d1))
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def _keep(out: Tensor, x: Tensor, dims) -> Tensor:
    for d in sorted(dims):
        out = out.unsqueeze(d)
    return out


def norm(x: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """``linalg.norm``: a vector norm, or a matrix norm when ``ord`` is a matrix order or ``dim`` has 2 dims."""
    if isinstance(dim, int):
        dim = (dim,)
    if ord is None:
        if dim is not None and len(dim) == 2:
            return matrix_norm(x, "fro", dim, keepdim, dtype=dtype)
        return vector_norm(x, 2, dim, keepdim, dtype=dtype)
    if dim is None:
        if x.ndim == 2:
            return matrix_norm(x, ord, (-2, -1), keepdim, dtype=dtype)
        if x.ndim != 1:
            raise RuntimeError(
                f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {x.ndim}D."
            )
        return vector_norm(x, ord, None, keepdim, dtype=dtype)
    if len(dim) == 2:
        return matrix_norm(x, ord, dim, keepdim, dtype=dtype)
    return vector_norm(x, ord, dim, keepdim, dtype=dtype)


def multi_dot(tensors) -> Tensor:
    """The product of a chain of matrices (first/last may be vectors)."""
    tensors = list(tensors)
    first_vector, last_vector = tensors[0].ndim == 1, tensors[-1].ndim == 1
    if first_vector:
        tensors[0] = tensors[0].unsqueeze(0)
    if last_vector:
        tensors[-1] = tensors[-1].unsqueeze(-1)
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    if first_vector:
        out = out.squeeze(0)
    if last_vector:
        out = out.squeeze(-1)
    return out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Dot products along ``dim``."""
    return sum(x * y, dim)


def cross(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim``."""
    from .ops.join import stack

    a = x.movedim(dim, -1)
    b = y.movedim(dim, -1)
    a0, a1, a2 = a.unbind(-1)
    b0, b1, b2 = b.unbind(-1)
    out = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], -1)
    return out.movedim(-1, dim)
