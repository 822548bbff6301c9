"""Matrix decompositions with their gradients: cholesky, qr, svd, eigh, and what is built on them (pinv, rank).

Each works on the last two dims (batch dims broadcast). Backward rules are written with saessak ops, so they
are differentiable again. ``F`` below is the usual "1 / (lambda_j - lambda_i)" matrix of spectral gradients,
with zeros on its diagonal; like PyTorch's, these gradients are finite only for distinct eigen/singular values.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .solve import (  # noqa: F401  (re-exported: the family's older home)
    LinAlgError,
    _check_float,
    _check_square,
    _eye,
    _return_type,
    _t,
    det,
    inv,
    inv_ex,
    logdet,
    matrix_exp,
    matrix_power,
    slogdet,
    solve,
    solve_triangular,
)


# ---------------------------------------------------------------- cholesky
def _first_non_pd_order(matrix) -> int:
    for k in range(1, matrix.shape[-1] + 1):
        try:
            np.linalg.cholesky(matrix[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return matrix.shape[-1]


class Cholesky(Function):
    """Lower-triangular ``L`` with ``A = L L^T``; gradient ``sym(L^-T Phi(L^T gL) L^-1)``."""

    _backward_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a, *, upper):
        from .solve import _first_bad

        xp = a._xp()
        try:
            low = xp.linalg.cholesky(a._data)
        except np.linalg.LinAlgError:
            where, k = _first_bad(a._data, lambda m: _first_non_pd_order(m) if _not_pd(m) else 0)
            raise LinAlgError(
                f"linalg.cholesky: {where}The factorization could not be completed because the input is not "
                f"positive-definite (the leading minor of order {k} is not positive-definite)."
            ) from None
        ctx.upper = upper
        ctx.save_for_backward(low)
        return low.swapaxes(-1, -2).copy() if upper else low

    @staticmethod
    def backward(ctx, gy):
        (low,) = ctx.saved_tensors
        gl = _t(gy) if ctx.upper else gy
        phi = (_t(low) @ gl).tril()
        phi = phi - 0.5 * phi * _eye(low.shape[-1], low)
        linv = solve_triangular(low, _eye(low.shape[-1], low), upper=False)
        ga = _t(linv) @ phi @ linv
        return 0.5 * (ga + _t(ga))


def _not_pd(matrix) -> bool:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return True
    return False


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The Cholesky factor ``L`` (lower triangular, ``A = L L^T``) of a symmetric positive-definite matrix;
    ``upper=True`` returns ``L^T``. Only the lower triangle of ``A`` is read."""
    _check_square(A, "cholesky")
    _check_float(A, "cholesky")
    return Cholesky.apply(A, upper=upper)


_cholesky_ex_result = _return_type("linalg_cholesky_ex", ("L", "info"))


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False):
    """``(L, info)``; ``info`` is 0 for every matrix that could be factored (errors raise here)."""
    from .solve import _info

    return _cholesky_ex_result(cholesky(A, upper=upper), _info(A))


# ---------------------------------------------------------------- qr
class QR(Function):
    """``A = Q R`` with orthonormal ``Q`` and upper-triangular ``R`` (modes 'reduced', 'complete', 'r')."""

    _backward_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, *, mode):
        xp = a._xp()
        q, r = xp.linalg.qr(a._data, mode="complete" if mode == "complete" else "reduced")
        ctx.save_for_backward(q, r)
        ctx.mode = mode
        if mode == "r":
            return xp.zeros((0,), dtype=a._data.dtype), r
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate.")
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        if m >= n:
            return _qr_backward_square_r(q, r, gq, gr)
        # wide A = [X | Y] with X = Q U square: Y = Q V feeds Q's gradient, X takes the square rule
        from .join import cat

        u, v = r[..., :m], r[..., m:]
        gu, gv = gr[..., :m], gr[..., m:]
        y = q @ v
        gx = _qr_backward_square_r(q, u, gq + y @ _t(gv), gu)
        return cat([gx, q @ gv], -1)


def _qr_backward_square_r(q: Tensor, r: Tensor, gq: Tensor, gr: Tensor) -> Tensor:
    """``(gQ + Q copyltu(M)) R^-T`` with ``M = R gR^T - gQ^T Q`` (R square and invertible)."""
    m = r @ _t(gr) - _t(gq) @ q
    copyltu = m.tril() + m.tril(-1).transpose(-2, -1)
    return _t(solve_triangular(r, _t(gq + q @ copyltu), upper=True))


_qr_results = {"linalg_qr": _return_type("linalg_qr", ("Q", "R")), "qr": _return_type("qr", ("Q", "R"))}


def qr(A: Tensor, mode: str = "reduced", *, _name: str = "linalg_qr"):
    """``(Q, R)`` with orthonormal columns in ``Q`` and upper-triangular ``R``; ``mode`` is 'reduced',
    'complete' (square Q) or 'r' (R only, Q empty)."""
    if A.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    _check_float(A, "qr")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    return _qr_results[_name](*QR.apply(A, mode=mode))


# ---------------------------------------------------------------- svd and eigh
def _spectral_f(values: Tensor, squared: bool) -> Tensor:
    """``F_ij = 1 / (v_j - v_i)`` off the diagonal (of squares for SVD), 0 on it."""
    from .pointwise import where

    v = values * values if squared else values
    diff = v.unsqueeze(-2) - v.unsqueeze(-1)
    eye = _eye(values.shape[-1], values).bool()
    return where(eye, 0.0, 1.0 / where(eye, 1.0, diff))


class SVD(Function):
    """``A = U diag(S) Vh``, S descending; Townsend's gradient (for distinct, nonzero singular values).

    With ``full_matrices`` the gradient ignores the extra columns of U / rows of Vh, as PyTorch does.
    """

    _backward_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, *, full_matrices):
        u, s, vh = a._xp().linalg.svd(a._data, full_matrices=full_matrices)
        s = s.astype(a._data.dtype, copy=False)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        m, n = u.shape[-2], vh.shape[-1]
        u, vh, gu, gvh = u[..., :k], vh[..., :k, :], gu[..., :k], gvh[..., :k, :]
        v, gv = _t(vh), _t(gvh)
        f = _spectral_f(s, squared=True)
        s_mat = s.unsqueeze(-1) * _eye(k, s)
        ut_gu = _t(u) @ gu
        vt_gv = _t(v) @ gv
        j = f * (ut_gu - _t(ut_gu))
        kk = f * (vt_gv - _t(vt_gv))
        middle = gs.unsqueeze(-1) * _eye(k, s) + j @ s_mat + s_mat @ kk
        ga = u @ middle @ vh
        s_inv = (1.0 / s).unsqueeze(-2)
        if m > k:
            ga = ga + ((gu - u @ ut_gu) * s_inv) @ vh
        if n > k:
            ga = ga + (u * s_inv) @ _t(gv - v @ vt_gv)
        return ga


_svd_results = {"linalg_svd": _return_type("linalg_svd", ("U", "S", "Vh")),
                "svd": _return_type("svd", ("U", "S", "V"))}


def svd(A: Tensor, full_matrices: bool = True, *, driver=None):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh``, singular values S descending.

    >>> U, S, Vh = saessak.linalg.svd(saessak.randn(4, 3), full_matrices=False)
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    _check_float(A, "svd")
    return _svd_results["linalg_svd"](*SVD.apply(A, full_matrices=full_matrices))


def svdvals(A: Tensor, *, driver=None) -> Tensor:
    """The singular values, descending."""
    return svd(A, full_matrices=False).S


class Eigh(Function):
    """Eigen-decomposition of a symmetric matrix: ascending ``w`` and orthonormal ``V`` (A = V diag(w) V^T)."""

    _backward_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, *, uplo):
        w, v = a._xp().linalg.eigh(a._data, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.saved_tensors
        f = _spectral_f(w, squared=False)
        middle = gw.unsqueeze(-1) * _eye(w.shape[-1], w) + f * (_t(v) @ gv)
        ga = v @ middle @ _t(v)
        return 0.5 * (ga + _t(ga))


_eigh_result = _return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))


def eigh(A: Tensor, UPLO: str = "L"):
    """``(eigenvalues, eigenvectors)`` of a symmetric matrix (reading its ``UPLO`` triangle), eigenvalues ascending."""
    _check_square(A, "eigh")
    _check_float(A, "eigh")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _eigh_result(*Eigh.apply(A, uplo=UPLO))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """Eigenvalues of a symmetric matrix, ascending."""
    return eigh(A, UPLO).eigenvalues


# ---------------------------------------------------------------- built on the SVD
def _tolerance(s: Tensor, shape, atol, rtol) -> Tensor:
    """PyTorch's cutoff ``max(atol, rtol * sigma_max)``; rtol defaults to eps * max(m, n) when atol is not given."""
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else float(np.finfo(s._data.dtype).eps) * max(shape[-2:])
    cutoff = rtol * s.amax(-1, keepdim=True)
    return cutoff.clamp(min=atol) if atol is not None else cutoff


def pinv(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False, rcond=None) -> Tensor:
    """Moore-Penrose pseudo-inverse through the SVD (singular values below the tolerance count as zero).

    >>> saessak.linalg.pinv(saessak.ones(2, 3)).shape
    saessak.Size([3, 2])
    """
    from .pointwise import where

    if rcond is not None:
        rtol = rcond
    u, s, vh = svd(A, full_matrices=False)
    kept = s > _tolerance(s.detach(), A.shape, atol, rtol)
    s_inv = where(kept, 1.0 / where(kept, s, 1.0), 0.0)
    return _t(vh) @ (s_inv.unsqueeze(-1) * _t(u))


def matrix_rank(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None) -> Tensor:
    """The number of singular values above the tolerance (an int64 tensor)."""
    if tol is not None:
        atol, rtol = tol, 0.0
    s = svdvals(A.detach())
    return (s > _tolerance(s, A.shape, atol, rtol)).sum(-1)


_lstsq_result = _return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))


def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    """The least-squares solution ``X`` minimising ``||A X - B||`` (through the pseudo-inverse).

    Returns ``(solution, residuals, rank, singular_values)``; like PyTorch's default CPU driver, residuals and
    singular values are empty.
    """
    from ..creation import empty

    vector = B.ndim == A.ndim - 1
    solution = pinv(A, rtol=rcond) @ (B.unsqueeze(-1) if vector else B)
    empty_values = empty(0, dtype=A.dtype, device=A.device)
    return _lstsq_result(solution.squeeze(-1) if vector else solution, empty_values, matrix_rank(A),
                         empty_values)


def cond(A: Tensor, p=None) -> Tensor:
    """The condition number ``||A|| ||A^-1||`` in the ``p`` matrix norm (2-norm: ``sigma_max / sigma_min``)."""
    if p in (None, 2, -2):
        s = svdvals(A)
        big, small = s.amax(-1), s.amin(-1)
        return big / small if p != -2 else small / big
    from ..linalg import matrix_norm

    return matrix_norm(A, p) * matrix_norm(inv(A), p)


def _nuclear_norm(x: Tensor, dims, keepdim: bool) -> Tensor:
    """Sum of singular values over the two ``dims``."""
    moved = x.movedim(dims, (-2, -1)) if dims is not None else x
    out = svdvals(moved).sum(-1)
    if keepdim:
        out = out.unsqueeze(-1).unsqueeze(-1)
    return out


# ---------------------------------------------------------------- torch.* spellings of the older API
def svd_compat(input: Tensor, some: bool = True, compute_uv: bool = True):
    """``torch.svd``: ``(U, S, V)`` with V (not Vh); ``some=False`` gives square U and V."""
    u, s, vh = svd(input, full_matrices=not some)
    return _svd_results["svd"](u, s, _t(vh))


def qr_compat(input: Tensor, some: bool = True):
    """``torch.qr``: ``some=False`` gives the complete decomposition."""
    return qr(input, "reduced" if some else "complete", _name="qr")


def cholesky_compat(input: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky`` (``upper`` positional, as in the older API)."""
    return cholesky(input, upper=upper)


def slogdet_compat(input: Tensor):
    """``torch.slogdet``: ``(sign, logabsdet)``."""
    return slogdet(input, _name="slogdet")
