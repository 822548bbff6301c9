"""Inverses, determinants, linear solves and matrix functions, with their gradients.

Each works on the last two dims (batch dims broadcast). Backward rules are written with saessak ops, so they
are differentiable again. Failures raise ``LinAlgError`` (a ``RuntimeError``), as ``torch.linalg`` does.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function


class LinAlgError(RuntimeError):
    """A linear-algebra routine failed on its input (a singular or non positive-definite matrix)."""


LinAlgError.__module__ = "torch.linalg"  # printed like PyTorch's


def _t(x: Tensor) -> Tensor:
    return x.transpose(-2, -1)


def _eye(n: int, like: Tensor) -> Tensor:
    from ..creation import eye

    return eye(n, dtype=like.dtype, device=like.device)


def _check_square(x: Tensor, name: str) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are {x.shape[-2]} by {x.shape[-1]} "
            "matrices"
        )


def _check_float(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. Got "
                           f"{x.type()[6:-6]}; convert it first, e.g. A.double()")


def _first_bad(array, test) -> tuple[str, int]:
    """For an error message: '(Batch element k): ' of the first failing matrix, and ``test``'s answer there."""
    flat = array.reshape(-1, *array.shape[-2:])
    for k, matrix in enumerate(flat):
        answer = test(np.asarray(matrix, dtype=np.float64))
        if answer:
            return (f"(Batch element {k}): " if array.ndim > 2 else ""), answer
    return "", 1


def _zero_pivot(matrix) -> int:
    """The 1-based index of the first zero pivot of LU with partial pivoting (0 when there is none)."""
    lu = matrix.copy()
    n = lu.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(lu[k:, k])))
        if lu[p, k] == 0:
            return k + 1
        lu[[k, p]] = lu[[p, k]]
        lu[k + 1:, k:] -= np.outer(lu[k + 1:, k] / lu[k, k], lu[k, k:])
    return 0


# ---------------------------------------------------------------- inverse, determinant
class Inv(Function):
    """``A^-1``; gradient ``-A^-T gY A^-T``."""

    _backward_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = a._xp()
        try:
            y = xp.linalg.inv(a._data)
        except np.linalg.LinAlgError:
            where, k = _first_bad(a._data, _zero_pivot)
            raise LinAlgError(
                f"linalg.inv: {where}The diagonal element {k} is zero, the inversion could not be completed "
                "because the input matrix is singular."
            ) from None
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        yt = _t(y)
        return -(yt @ gy @ yt)


def inv(A: Tensor) -> Tensor:
    """The inverse of a square matrix (or a batch of them).

    >>> saessak.linalg.inv(saessak.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    _check_square(A, "inv")
    _check_float(A, "inv")
    return Inv.apply(A)


class Det(Function):
    """``det(A)``; gradient ``g * det(A) * A^-T`` (through a solve, never an explicit inverse)."""

    _backward_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = a._xp()
        d = xp.asarray(xp.linalg.det(a._data), dtype=a._data.dtype)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, gy):
        a, d = ctx.saved_tensors
        scale = (gy * d).unsqueeze(-1).unsqueeze(-1)
        return _t(solve(a, scale * _eye(a.shape[-1], a)))


def det(A: Tensor) -> Tensor:
    """The determinant of a square matrix (or a batch of them)."""
    _check_square(A, "det")
    _check_float(A, "det")
    return Det.apply(A)


class LogAbsDet(Function):
    """``(sign, log|det(A)|)``; the sign is non-differentiable, ``d log|det| = g * A^-T``."""

    _backward_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = a._xp()
        sign, logabs = xp.linalg.slogdet(a._data)
        ctx.save_for_backward(a)
        sign = xp.asarray(sign, dtype=a._data.dtype)
        ctx.mark_non_differentiable(sign)
        return sign, xp.asarray(logabs, dtype=a._data.dtype)

    @staticmethod
    def backward(ctx, g_sign, g_logabs):
        (a,) = ctx.saved_tensors
        return _t(solve(a, g_logabs.unsqueeze(-1).unsqueeze(-1) * _eye(a.shape[-1], a)))


def _return_type(name: str, fields: tuple):
    from .reduce import _return_type as make

    return make(name, fields)


_slogdet_results = {"linalg_slogdet": _return_type("linalg_slogdet", ("sign", "logabsdet")),
                    "slogdet": _return_type("slogdet", ("sign", "logabsdet"))}


def slogdet(A: Tensor, *, _name: str = "linalg_slogdet"):
    """``(sign, log|det|)`` of a square matrix: stable where ``det`` would under- or overflow."""
    _check_square(A, "slogdet")
    _check_float(A, "slogdet")
    return _slogdet_results[_name](*LogAbsDet.apply(A))


def logdet(A: Tensor) -> Tensor:
    """``log(det(A))``: NaN where the determinant is negative, -inf where it is 0."""
    from .pointwise import where

    sign, logabs = slogdet(A)
    return where(sign < 0, float("nan"), logabs)


# ---------------------------------------------------------------- solves
class Solve(Function):
    """``X = A^-1 B``; gradients ``gB = A^-T gX`` and ``gA = -gB X^T``."""

    _backward_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, *, vector):
        xp = a._xp()
        try:
            x = xp.linalg.solve(a._data, b._data[..., None] if vector else b._data)
        except np.linalg.LinAlgError:
            raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
        x = x[..., 0] if vector else x
        ctx.vector, ctx.shapes = vector, (a._data.shape, b._data.shape)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, gx):
        from ._broadcast import sum_to

        a, x = ctx.saved_tensors
        gb = solve(_t(a), gx)
        if ctx.vector:
            ga = -(gb.unsqueeze(-1) * x.unsqueeze(-2))
        else:
            ga = -(gb @ _t(x))
        return sum_to(ga, ctx.shapes[0]), sum_to(gb, ctx.shapes[1])


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """Solve ``A X = B`` for ``X`` (``B`` a vector, a matrix, or batches of either); ``left=False``: ``X A = B``.

    >>> saessak.linalg.solve(saessak.tensor([[2.0, 0.0], [0.0, 4.0]]), saessak.tensor([2.0, 2.0]))
    tensor([1.0000, 0.5000])
    """
    _check_square(A, "solve")
    _check_float(A, "solve")
    if not left:
        return _t(solve(_t(A), _t(B)))
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {A.type()[6:-6]} and B of "
            f"type {B.type()[6:-6]} instead"
        )
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    n = A.shape[-1]
    if (B.shape[-1] if vector else B.shape[-2]) != n:
        b_rows, b_cols = (B.shape[-1], 1) if vector else tuple(B.shape[-2:])
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({n}x{n} and {b_rows}x{b_cols})"
        )
    return Solve.apply(A, B, vector=vector)


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False) -> Tensor:
    """Solve ``A X = B`` reading only the upper (or lower) triangle of ``A`` (its diagonal taken as 1 when
    ``unitriangular``); ``left=False`` solves ``X A = B``."""
    triangle = A.triu(1 if unitriangular else 0) if upper else A.tril(-1 if unitriangular else 0)
    if unitriangular:
        triangle = triangle + _eye(A.shape[-1], A)
    return solve(triangle, B, left=left)


def _info(A: Tensor) -> Tensor:
    from .. import dtypes
    from ..creation import zeros

    return zeros(*A.shape[:-2], dtype=dtypes.int32, device=A.device)


_inv_ex_result = _return_type("linalg_inv_ex", ("inverse", "info"))


def inv_ex(A: Tensor, *, check_errors: bool = False):
    """``(inverse, info)``; ``info`` is 0 for every matrix that could be inverted (errors raise here)."""
    return _inv_ex_result(inv(A), _info(A))


# ---------------------------------------------------------------- matrix functions
def matrix_power(A: Tensor, n: int) -> Tensor:
    """``A`` multiplied by itself ``n`` times by repeated squaring (``n < 0`` uses the inverse)."""
    _check_square(A, "matrix_power")
    if n == 0:
        return _eye(A.shape[-1], A).expand(*A.shape).clone()
    if n == 1:
        return A.clone()
    base = inv(A) if n < 0 else A
    result = None
    k = abs(n)
    while k:
        if k & 1:
            result = base if result is None else result @ base
        k >>= 1
        if k:
            base = base @ base
    return result


def matrix_exp(A: Tensor) -> Tensor:
    """``e^A = sum_k A^k / k!`` by scaling and squaring: ``e^A = (e^(A / 2^s))^(2^s)`` with a short Taylor series.

    Built from matmuls, so its gradient (of any order) comes for free.
    """
    _check_square(A, "matrix_exp")
    _check_float(A, "matrix_exp")
    norm = float(A.detach().abs().sum(-2).amax()) if A.numel() else 0.0  # the 1-norm bounds the series' terms
    squarings = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0.5 else 0
    x = A / (2 ** squarings) if squarings else A
    terms = 18 if A.dtype.itemsize >= 8 else 10
    eye = _eye(A.shape[-1], A)
    result = eye + x / terms
    for k in range(terms - 1, 0, -1):  # Horner: I + x/1 (I + x/2 (I + ...))
        result = eye + (x @ result) / k
    for _ in range(squarings):
        result = result @ result
    return result
