import numpy as np
import pytest

import saessak
from tests.helpers import check_op


@pytest.mark.parametrize("shapes", [
    ((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)), ((2, 1, 2, 3), (4, 3, 2)), ((4,), (2, 4, 3)), ((2, 4, 3), (3,)),
])
def test_matmul_broadcasting_rules_match_torch(shapes):
    check_op(lambda lib, a, b: a @ b, *shapes)


def test_named_products_match_torch():
    check_op(lambda lib, a, b: lib.mm(a, b), (2, 3), (3, 4))
    check_op(lambda lib, a, b: lib.bmm(a, b), (2, 2, 3), (2, 3, 4))
    check_op(lambda lib, a, b: lib.mv(a, b), (2, 3), (3,))
    check_op(lambda lib, a, b: lib.dot(a, b), (3,), (3,))
    check_op(lambda lib, a, b: lib.outer(a, b), (3,), (2,))
    check_op(lambda lib, c, a, b: lib.addmm(c, a, b), (4,), (2, 3), (3, 4))
    check_op(lambda lib, c, a, b: lib.addmm(c, a, b, beta=0.5, alpha=2.0), (2, 4), (2, 3), (3, 4))
    check_op(lambda lib, c, a, b: lib.addmm(c, a, b.t()), (4,), (2, 3), (4, 3))
    check_op(lambda lib, c, a, b: lib.baddbmm(c, a, b), (2, 2, 4), (2, 2, 3), (2, 3, 4))


def test_grad_fn_names_match_torch():
    a = saessak.ones(2, 3, requires_grad=True)
    assert (a @ saessak.ones(3, 2)).grad_fn.name() == "MmBackward0"
    assert saessak.addmm(saessak.zeros(2), a, saessak.ones(3, 2)).grad_fn.name() == "AddmmBackward0"
    assert (saessak.ones(3, requires_grad=True) @ saessak.ones(3)).grad_fn.name() == "DotBackward0"


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", ((2, 3), (3, 4))), ("bij,bjk->bik", ((2, 2, 3), (2, 3, 4))), ("ii->i", ((3, 3),)),
    ("ij->", ((2, 3),)), ("i,j->ij", ((2,), (3,))), ("...ij,...jk", ((2, 2, 3), (2, 3, 2))),
    ("ij,ij->i", ((2, 3), (2, 3))),
    ("ijk->kj", ((2, 3, 4),)), ("ij,jk,kl->il", ((2, 3), (3, 2), (2, 2))),
])
def test_einsum_matches_torch(equation, shapes):
    check_op(lambda lib, *ops: lib.einsum(equation, *ops), *shapes)


def test_tensordot_matches_torch():
    check_op(lambda lib, a, b: lib.tensordot(a, b, dims=1), (2, 3), (3, 4))
    check_op(lambda lib, a, b: lib.tensordot(a, b, dims=([0, 2], [1, 0])), (2, 3, 4), (4, 2, 5))


def test_int_by_float_matmul_names_both_dtypes():
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: long int != float"):
        saessak.ones(2, 3, dtype=saessak.int64) @ saessak.ones(3, 4)


def test_shape_errors_name_both_shapes():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        saessak.ones(2, 3) @ saessak.ones(4, 5)
    with pytest.raises(RuntimeError, match="inconsistent tensor size"):
        saessak.ones(3) @ saessak.ones(4)


def test_float32_stays_float32_and_matches_numpy():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((8, 5)).astype(np.float32), rng.standard_normal((5, 3)).astype(np.float32)
    out = saessak.tensor(a) @ saessak.tensor(b)
    assert out.dtype == saessak.float32
    np.testing.assert_allclose(out.numpy(), a @ b, rtol=1e-5)


# ---------------------------------------------------------------- saessak.linalg (ops/decomp.py)
def _spd(n, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def test_inverse_determinant_solve_match_torch():
    a = _spd(3) + np.triu(np.ones((3, 3)))
    check_op(lambda lib, x: lib.linalg.inv(x), a)
    check_op(lambda lib, x: lib.linalg.det(x), a)
    check_op(lambda lib, x: lib.linalg.slogdet(x)[1], a)
    check_op(lambda lib, x, b: lib.linalg.solve(x, b), a, (3, 2))
    check_op(lambda lib, x, b: lib.linalg.solve(x, b), a, (3,))
    check_op(lambda lib, x: lib.linalg.matrix_power(x, 3), a / 5)
    check_op(lambda lib, x: lib.linalg.matrix_power(x, -2), a)


def test_decompositions_match_torch():
    check_op(lambda lib, x: lib.linalg.cholesky((x + x.mT) / 2), _spd(3), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.qr(x).R.abs(), (4, 3), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.svdvals(x), (4, 3), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.eigvalsh((x + x.mT) / 2), _spd(3), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.pinv(x), (4, 3), gradgrad=False)
    # sign-invariant functions of the singular/eigen vectors
    check_op(lambda lib, x: lib.linalg.svd(x, full_matrices=False).U.abs().sum(-1), (4, 3), gradgrad=False)
    check_op(lambda lib, x: (lib.linalg.eigh((x + x.mT) / 2).eigenvectors ** 2).sum(0), _spd(3), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.qr(x).Q.abs(), (4, 3), gradgrad=False)


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, float("inf")])
def test_linalg_norm_matrix_orders_match_torch(ord):
    check_op(lambda lib, x: lib.linalg.norm(x, ord), (3, 4), gradgrad=False)


def test_vector_norms_match_torch():
    check_op(lambda lib, x: lib.linalg.vector_norm(x, 3, dim=1), (3, 4), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.norm(x, dim=1), (3, 4))


def test_singular_matrix_errors():
    with pytest.raises(RuntimeError, match="singular"):
        saessak.linalg.inv(saessak.zeros(2, 2))
    with pytest.raises(RuntimeError, match="positive-definite"):
        saessak.linalg.cholesky(-saessak.eye(2))
    with pytest.raises(RuntimeError, match="square"):
        saessak.linalg.det(saessak.ones(2, 3))
