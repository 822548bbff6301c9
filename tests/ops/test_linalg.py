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
