"""Matrix functions and decompositions with their gradients: inv, det, slogdet, solve, cholesky, qr, svd, eigh.

Each works on the last two dims (batches broadcast). Backward rules are written with saessak ops, so they
are differentiable again. ``F`` below is the usual "1 / (lambda_j - lambda_i)" matrix of spectral
gradients, with zeros on its diagonal.
"""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd.function import Function


def _t(x: Tensor) -> Tensor:
    return x.transpose(-2, -1)


def _eye_like(x: Tensor, n: int) -> Tensor:
    from ..creation import eye

    return eye(n, dtype=x.dtype, device=x.device)


def _check_square(x: Tensor, name: str) -> None:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are {x.shape[-2] if x.ndim > 1 else ''} "
            f"by {x.shape[-1] if x.ndim else ''} matrices"
        )


def _check_float(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. Got {x.dtype}")


# ---------------------------------------------------------------- inverse, determinant, solve
class Inv(Function):
    """``A^-1``; gradient ``-A^-T gY A^-T``."""

    _backward_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = a._xp()
        try:
            y = xp.linalg.inv(a._data)
        except Exception:
            raise RuntimeError(
                "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the "
                "input matrix is singular."
            ) from None
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        yt = _t(y)
        return -(yt @ gy @ yt)


def inv(a: Tensor) -> Tensor:
    """The inverse of a square matrix (or batch)."""
    _check_float(a, "inv")
    _check_square(a, "inv")
    return Inv.apply(a)


class Det(Function):
    """``det(A)``; gradient ``g * det(A) * A^-T``."""

    _backward_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        d = a._xp().asarray(a._xp().linalg.det(a._data), dtype=a._data.dtype)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, gy):
        a, d = ctx.saved_tensors
        return (gy * d).unsqueeze(-1).unsqueeze(-1) * _t(inv(a))


def det(a: Tensor) -> Tensor:
    """The determinant of a square matrix (or batch)."""
    _check_float(a, "det")
    _check_square(a, "det")
    return Det.apply(a)


class LogAbsDet(Function):
    """``log|det(A)|`` (and the sign, non-differentiable); gradient ``g * A^-T``."""

    _backward_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        sign, logabs = a._xp().linalg.slogdet(a._data)
        ctx.save_for_backward(a)
        xp = a._xp()
        sign = xp.asarray(sign, dtype=a._data.dtype)
        ctx.mark_non_differentiable(sign)
        return sign, xp.asarray(logabs, dtype=a._data.dtype)

    @staticmethod
    def backward(ctx, g_sign, g_logabs):
        (a,) = ctx.saved_tensors
        return g_logabs.unsqueeze(-1).unsqueeze(-1) * _t(inv(a))


def slogdet(a: Tensor):
    """``(sign, log|det|)`` of a square matrix, stable where ``det`` would under- or overflow."""
    _check_square(a, "slogdet")
    sign, logabs = LogAbsDet.apply(a)
    return _slogdet_result(sign, logabs)


def _make_slogdet_result():
    from .reduce import _return_type

    return _return_type("slogdet", ("sign", "logabsdet"))


_slogdet_result = _make_slogdet_result()


class Solve(Function):
    """``X = A^-1 B``; gradients ``gB = A^-T gX`` and ``gA = -gB X^T``."""

    _backward_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, *, vector):
        xp = a._xp()
        rhs = b._data[..., None] if vector else b._data
        try:
            x = xp.linalg.solve(a._data, rhs)
        except Exception:
            raise RuntimeError(
                "torch.linalg.solve: The solver failed because the input matrix is singular."
            ) from None
        x = x[..., 0] if vector else x
        ctx.vector = vector
        ctx.shapes = (a._data.shape, b._data.shape)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, gx):
        from ._broadcast import sum_to

        a, x = ctx.saved_tensors
        gb = solve(_t(a), gx)
        xm = x.unsqueeze(-1) if ctx.vector else x
        gbm = gb.unsqueeze(-1) if ctx.vector else gb
        ga = -(gbm @ _t(xm))
        return sum_to(ga, ctx.shapes[0]), sum_to(gb, ctx.shapes[1])


def solve(a: Tensor, b: Tensor, *, left: bool = True) -> Tensor:
    """Solve ``A X = B`` for ``X`` (``B`` may be a vector or a batch of matrices)."""
    _check_float(a, "solve")
    _check_square(a, "solve")
    if not left:
        return _t(solve(_t(a), _t(b)))
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {a.dtype} and B of type "
            f"{b.dtype} instead"
        )
    n = a.shape[-1]
    if (b.shape[-1] if vector else b.shape[-2]) != n:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({a.shape[-2]}x{n} and "
            f"{'x'.join(map(str, b.shape[-2:]))})"
        )
    return Solve.apply(a, b, vector=vector)


def matrix_power(a: Tensor, n: int) -> Tensor:
    """``A`` multiplied by itself ``n`` times (``n < 0`` uses the inverse)."""
    _check_square(a, "matrix_power")
    if n == 0:
        return _eye_like(a, a.shape[-1]).expand(*a.shape).clone()
    base = inv(a) if n < 0 else a
    result = None
    power = base
    k = abs(n)
    while k:
        if k & 1:
            result = power if result is None else result @ power
        k >>= 1
        if k:
            power = power @ power
    return result


# ---------------------------------------------------------------- decompositions
class Cholesky(Function):
    """Lower-triangular ``L`` with ``A = L L^T``; gradient ``sym(L^-T Phi(L^T gL) L^-1)``."""

    _backward_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a, *, upper):
        xp = a._xp()
        try:
            low = xp.linalg.cholesky(a._data)
        except Exception:
            raise RuntimeError(
                "linalg.cholesky: The factorization could not be completed because the input is not positive-"
                "definite."
            ) from None
        ctx.upper = upper
        ctx.save_for_backward(low)
        return xp.swapaxes(low, -1, -2).copy() if upper else low

    @staticmethod
    def backward(ctx, gy):
        (low,) = ctx.saved_tensors
        gl = _t(gy) if ctx.upper else gy
        phi = (_t(low) @ gl).tril()
        n = low.shape[-1]
        phi = phi - 0.5 * phi * _eye_like(low, n)
        linv = inv(low)
        ga = _t(linv) @ phi @ linv
        return 0.5 * (ga + _t(ga))


def cholesky(a: Tensor, *, upper: bool = False) -> Tensor:
    """The Cholesky factor of a symmetric positive-definite matrix."""
    _check_float(a, "cholesky")
    _check_square(a, "cholesky")
    return Cholesky.apply(a, upper=upper)


class QR(Function):
    """Reduced ``A = Q R`` (m >= n); gradient ``(gQ + Q copyltu(M)) R^-T`` with ``M = R gR^T - gQ^T Q``."""

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
        if ctx.mode == "complete" and q.shape[-1] != r.shape[-1]:
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate.")
        m = r @ _t(gr) - _t(gq) @ q
        copyltu = m.tril() + m.tril(-1).transpose(-2, -1)
        rhs = gq + q @ copyltu
        # (rhs) R^-T, via a solve against R (R is square and invertible for full-rank A)
        return _t(solve(r, _t(rhs)))


def qr(a: Tensor, mode: str = "reduced"):
    """``(Q, R)`` with orthonormal ``Q`` and upper-triangular ``R`` (modes 'reduced', 'complete', 'r')."""
    _check_float(a, "qr")
    q, r = QR.apply(a, mode=mode)
    return _qr_result(q, r)


def _make_qr_result():
    from .reduce import _return_type

    return _return_type("qr", ("Q", "R"))


_qr_result = _make_qr_result()


def _spectral_f(values: Tensor, squared: bool) -> Tensor:
    """``F_ij = 1 / (v_j - v_i)`` off the diagonal (of squares for SVD), 0 on it."""
    from .pointwise import where

    v = values * values if squared else values
    diff = v.unsqueeze(-2) - v.unsqueeze(-1)
    n = values.shape[-1]
    eye = _eye_like(values, n).bool()
    safe = where(eye, 1.0, diff)
    return where(eye, 0.0, 1.0 / safe)


class SVD(Function):
    """Reduced SVD ``A = U diag(S) Vh``; Townsend's gradient (distinct nonzero singular values)."""

    _backward_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, *, full_matrices):
        xp = a._xp()
        u, s, vh = xp.linalg.svd(a._data, full_matrices=full_matrices)
        ctx.full = full_matrices
        ctx.save_for_backward(a, u, s, vh)
        return u, s.astype(a._data.dtype), vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        a, u, s, vh = ctx.saved_tensors
        if ctx.full and u.shape[-1] != vh.shape[-1]:
            raise RuntimeError("linalg.svd: the derivative is only implemented for full_matrices=False")
        v = _t(vh)
        gv = _t(gvh)
        m, n = a.shape[-2], a.shape[-1]
        f = _spectral_f(s, squared=True)
        s_mat = s.unsqueeze(-1) * _eye_like(s, s.shape[-1])
        ut_gu = _t(u) @ gu
        vt_gv = _t(v) @ gv
        j = f * (ut_gu - _t(ut_gu))
        k = f * (vt_gv - _t(vt_gv))
        inner = gs.unsqueeze(-1) * _eye_like(s, s.shape[-1]) + j @ s_mat + s_mat @ k
        ga = u @ inner @ vh
        s_inv = (1.0 / s).unsqueeze(-2)
        if m > n:
            ga = ga + (gu - u @ ut_gu) * s_inv @ vh
        if n > m:
            ga = ga + (u * s_inv) @ _t(gv - v @ vt_gv)
        return ga


def svd(a: Tensor, full_matrices: bool = True):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh`` (S descending)."""
    _check_float(a, "svd")
    u, s, vh = SVD.apply(a, full_matrices=full_matrices)
    return _svd_result(u, s, vh)


def _make_svd_result():
    from .reduce import _return_type

    return _return_type("svd", ("U", "S", "Vh"))


_svd_result = _make_svd_result()


def svdvals(a: Tensor) -> Tensor:
    """The singular values, descending."""
    return svd(a, full_matrices=False).S


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
        inner = gw.unsqueeze(-1) * _eye_like(w, w.shape[-1]) + f * (_t(v) @ gv)
        ga = v @ inner @ _t(v)
        return 0.5 * (ga + _t(ga))


def eigh(a: Tensor, UPLO: str = "L"):
    """``(eigenvalues, eigenvectors)`` of a symmetric matrix, eigenvalues ascending."""
    _check_square(a, "eigh")
    w, v = Eigh.apply(a, uplo=UPLO)
    return _eigh_result(w, v)


def eigvalsh(a: Tensor, UPLO: str = "L") -> Tensor:
    """Eigenvalues of a symmetric matrix, ascending."""
    return eigh(a, UPLO).eigenvalues


def _make_eigh_result():
    from .reduce import _return_type

    return _return_type("eigh", ("eigenvalues", "eigenvectors"))


_eigh_result = _make_eigh_result()


def pinv(a: Tensor, *, rcond: float | None = None, hermitian: bool = False) -> Tensor:
    """Moore-Penrose pseudo-inverse through the SVD (small singular values treated as zero)."""
    from .pointwise import where

    u, s, vh = svd(a, full_matrices=False)
    cutoff = (rcond if rcond is not None else 1e-15 * max(a.shape[-2:])) * s.amax(-1, keepdim=True)
    s_inv = where(s > cutoff, 1.0 / where(s > cutoff, s, 1.0), 0.0)
    return _t(vh) @ (s_inv.unsqueeze(-1) * _t(u))


def matrix_rank(a: Tensor, *, tol=None, hermitian: bool = False) -> Tensor:
    """The number of singular values above the tolerance."""
    s = svdvals(a.detach())
    tol = tol if tol is not None else s.amax(-1, keepdim=True) * max(a.shape[-2:]) * _eps(a)
    return (s > tol).sum(-1)


def _eps(a: Tensor) -> float:
    import numpy as np

    return float(np.finfo(a._data.dtype).eps)


def _nuclear_norm(x: Tensor, dims, keepdim: bool) -> Tensor:
    """Sum of singular values over the two ``dims``."""
    moved = x.movedim(dims, (-2, -1)) if dims is not None else x
    out = svdvals(moved).sum(-1)
    if keepdim:
        out = out.unsqueeze(-1).unsqueeze(-1)
    return out
