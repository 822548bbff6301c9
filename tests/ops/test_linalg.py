import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert (a @ saessak.ones(3)).grad_fn.name() == "MvBackward0"
    batch = saessak.ones(4, 2, 3, requires_grad=True)
    folded = batch @ saessak.ones(3, 5)  # a batch times a matrix is one folded mm, as in torch
    assert folded.grad_fn.name() == "UnsafeViewBackward0"
    assert folded.grad_fn.next_functions[0][0].name() == "MmBackward0"
    assert saessak.bmm(batch, saessak.ones(4, 3, 2)).grad_fn.name() == "BmmBackward0"
    assert saessak.linalg.inv(saessak.eye(2, requires_grad=True)).grad_fn.name() == "LinalgInvExBackward0"


def test_linear_layer_hot_path_keeps_dtype_and_skips_unneeded_grads():
    x = saessak.ones(4, 3)
    weight = saessak.ones(2, 3, requires_grad=True)
    bias = saessak.zeros(2, requires_grad=True)
    out = saessak.addmm(bias, x, weight.t())
    assert out.dtype == saessak.float32 and out.grad_fn.name() == "AddmmBackward0"
    out.sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(weight.grad.numpy(), np.full((2, 3), 4.0))
    np.testing.assert_allclose(bias.grad.numpy(), np.full(2, 4.0))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=2), st.lists(st.integers(1, 3), min_size=0, max_size=2),
       st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.booleans(), st.booleans())
def test_matmul_shapes_match_torch_for_any_broadcast(batch_a, batch_b, n, k, m, vec_a, vec_b):
    torch = pytest.importorskip("torch")
    # make the batch shapes broadcastable: where both have a dim, make one of them 1 unless equal
    for i in range(1, min(len(batch_a), len(batch_b)) + 1):
        if batch_a[-i] != batch_b[-i]:
            batch_b[-i] = 1
    shape_a = (k,) if vec_a else (*batch_a, n, k)
    shape_b = (k,) if vec_b else (*batch_b, k, m)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    ours = saessak.tensor(a) @ saessak.tensor(b)
    theirs = torch.tensor(a) @ torch.tensor(b)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", ((2, 3), (3, 4))), ("bij,bjk->bik", ((2, 2, 3), (2, 3, 4))), ("ii->i", ((3, 3),)),
    ("ij->", ((2, 3),)), ("i,j->ij", ((2,), (3,))), ("...ij,...jk", ((2, 2, 3), (2, 3, 2))),
    ("ij,ij->i", ((2, 3), (2, 3))),
    ("ijk->kj", ((2, 3, 4),)), ("ij,jk,kl->il", ((2, 3), (3, 2), (2, 2))),
])
def test_einsum_matches_torch(equation, shapes):
    check_op(lambda lib, *ops: lib.einsum(equation, *ops), *shapes)


def test_einsum_broadcasting_repeated_and_sublist_forms_match_torch():
    check_op(lambda lib, a, b: lib.einsum("...ij,...jk", a, b), (2, 1, 2, 3), (4, 3, 2))
    check_op(lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), (2, 3), (1, 4))
    check_op(lambda lib, a, b: lib.einsum("bij,bj->bi", a, b), (1, 2, 3), (3, 3))
    check_op(lambda lib, a, b: lib.einsum("iij,jk->ik", a, b), (3, 3, 2), (2, 2))
    check_op(lambda lib, a: lib.einsum("ii", a), (3, 3))
    check_op(lambda lib, a, b, c: lib.einsum("i,j,k->ijk", a, b, c), (2,), (3,), (2,))
    check_op(lambda lib, a, b: lib.einsum("ij,kl->", a, b), (2, 2), (3, 1))
    check_op(lambda lib, a, b: lib.einsum(a, [0, 1], b, [1, 2], [0, 2]), (2, 3), (3, 4))
    check_op(lambda lib, a, b: lib.einsum("bhqd,bhkd->bhqk", a, b), (1, 2, 3, 2), (1, 2, 4, 2))


def test_einsum_output_owns_its_memory():
    a = saessak.eye(3)
    diagonal = saessak.einsum("ii->i", a)
    diagonal.add_(1.0)
    np.testing.assert_allclose(a.numpy(), np.eye(3))


@pytest.mark.parametrize("equation, shapes, message", [
    ("ij,jk->ik", [(2, 3), (4, 5)], "subscript j has size 4 for operand 1 which does not broadcast"),
    ("ij,jk->ik", [(2, 3)], "fewer operands were provided"),
    ("ij->ik", [(2, 3)], "output subscript k does not appear"),
    ("ij->ii", [(2, 3)], "output subscript i appears more than once"),
    ("ijk->i", [(2, 3)], r"number of subscripts in the equation \(3\) does not match the number of dimensions \(2\)"),
    ("i1->i", [(2, 3)], "invalid subscript given at index 1"),
])
def test_einsum_errors_match_torch(equation, shapes, message):
    with pytest.raises(RuntimeError, match=message):
        saessak.einsum(equation, *[saessak.ones(*s) for s in shapes])


def test_tensordot_matches_torch():
    check_op(lambda lib, a, b: lib.tensordot(a, b, dims=1), (2, 3), (3, 4))
    check_op(lambda lib, a, b: lib.tensordot(a, b, dims=([0, 2], [1, 0])), (2, 3, 4), (4, 2, 5))


def test_more_products_match_torch():
    check_op(lambda lib, a, b: lib.kron(a, b), (2, 3), (2, 2))
    check_op(lambda lib, a, b: lib.kron(a, b), (2,), (3, 2))
    check_op(lambda lib, a, b: lib.inner(a, b), (2, 3), (4, 3))
    check_op(lambda lib, a, b: lib.vdot(a, b), (3,), (3,))
    check_op(lambda lib, c, a, b: lib.addmv(c, a, b, beta=0.5, alpha=2.0), (2,), (2, 3), (3,))
    check_op(lambda lib, c, a, b: lib.addr(c, a, b), (2, 3), (2,), (3,))
    check_op(lambda lib, c, a, b: lib.addbmm(c, a, b), (2, 4), (3, 2, 2), (3, 2, 4))
    check_op(lambda lib, c, a, b: lib.baddbmm(c, a, b, beta=0.5, alpha=-1.0), (1, 4), (2, 2, 3), (2, 3, 4))
    check_op(lambda lib, a, b: a.addmm(a[:, :2], b), (2, 3), (2, 3))
    check_op(lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), (3,), (3, 2), (2,))


def test_integer_matmul_stays_integer_and_bool_raises():
    out = saessak.ones(2, 3, dtype=saessak.int64) @ saessak.ones(3, dtype=saessak.int64)
    assert out.dtype == saessak.int64 and out.tolist() == [3, 3]
    with pytest.raises(NotImplementedError, match="not implemented for 'Bool'"):
        saessak.ones(2, 2, dtype=saessak.bool) @ saessak.ones(2, 2, dtype=saessak.bool)


@pytest.mark.parametrize("fn, message", [
    (lambda: saessak.bmm(saessak.ones(2, 2, 3), saessak.ones(2, 3, 2, dtype=saessak.float64)),
     "expected scalar type Float but found Double"),
    (lambda: saessak.ones(2, 2, 3) @ saessak.ones(2, 3, 2, dtype=saessak.int64),
     "expected scalar type Float but found Long"),
    (lambda: saessak.ones(2, 3) @ saessak.ones(3, dtype=saessak.float64),
     "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
    (lambda: saessak.ones(3) @ saessak.ones(3, dtype=saessak.int64), "dot : expected both vectors to have same dtype"),
    (lambda: saessak.addmm(saessak.ones(3, dtype=saessak.float64), saessak.ones(2, 3), saessak.ones(3, 3)),
     "self and mat2 must have the same dtype, but got Double and Float"),
])
def test_mixed_dtype_errors_match_torch(fn, message):
    with pytest.raises(RuntimeError, match=message):
        fn()


def test_int_by_float_matmul_names_both_dtypes():
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: long int != float"):
        saessak.ones(2, 3, dtype=saessak.int64) @ saessak.ones(3, 4)


def test_shape_errors_name_both_shapes():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        saessak.ones(2, 3) @ saessak.ones(4, 5)
    with pytest.raises(RuntimeError, match="inconsistent tensor size"):
        saessak.ones(3) @ saessak.ones(4)
    with pytest.raises(RuntimeError, match=r"size mismatch, got input \(10\), mat \(10x3\), vec \(4\)"):
        saessak.ones(2, 5, 3) @ saessak.ones(4)
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(1x4 and 3x5\)"):
        saessak.ones(4) @ saessak.ones(3, 5)
    with pytest.raises(RuntimeError, match=r"size of tensor a \(2\) must match the size of tensor b \(3\) at "
                                           "non-singleton dimension 0"):
        saessak.ones(2, 2, 3) @ saessak.ones(3, 3, 5)
    with pytest.raises(RuntimeError, match="self must be a matrix"):
        saessak.mm(saessak.ones(2, 3, 3), saessak.ones(3, 3))
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        saessak.bmm(saessak.ones(2, 3), saessak.ones(3, 3))
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        saessak.tensor(1.0) @ saessak.ones(3)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        saessak.tensordot(saessak.ones(2, 3), saessak.ones(4, 3), dims=([1], [0]))


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


def test_more_solves_match_torch():
    a = _spd(3) + np.triu(np.ones((3, 3)))
    check_op(lambda lib, x, b: lib.linalg.solve(x, b), np.stack([a, a.T]), (2, 3))  # a batch of vectors
    check_op(lambda lib, x, b: lib.linalg.solve(x, b, left=False), a, (2, 3))
    check_op(lambda lib, x, b: lib.linalg.solve(x, b), a, (2, 3, 2))  # A broadcasts over B's batch
    check_op(lambda lib, x, b: lib.linalg.solve_triangular(x, b, upper=True), a, (3, 2))
    check_op(lambda lib, x, b: lib.linalg.solve_triangular(x, b, upper=False, unitriangular=True), a, (3, 2))
    check_op(lambda lib, x: lib.logdet(x), a)
    check_op(lambda lib, x: lib.linalg.det(x), (2, 3, 3))
    check_op(lambda lib, x: lib.linalg.matrix_exp(x), (3, 3), atol=1e-5)
    check_op(lambda lib, x: lib.linalg.matrix_exp(x * 3), (2, 2), atol=1e-5, gradgrad=False)
    check_op(lambda lib, x: lib.linalg.cond(x), a, gradgrad=False)
    check_op(lambda lib, x, b: lib.linalg.lstsq(x, b).solution, (4, 3), (4, 2), gradgrad=False)
    check_op(lambda lib, x: x.inverse(), a)


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
    check_op(lambda lib, x: lib.linalg.qr(x).R.abs(), (2, 3), gradgrad=False)  # wide
    check_op(lambda lib, x: lib.linalg.cholesky((x + x.mT) / 2, upper=True), _spd(3), gradgrad=False)
    # eigh reads one triangle but, like torch, returns the symmetric gradient (no numerical check then)
    check_op(lambda lib, x: lib.linalg.eigvalsh(x), _spd(3), numerical=False)
    check_op(lambda lib, x: lib.linalg.svdvals(x), (2, 2, 4), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.svd(x).S, (3, 2), gradgrad=False)
    # U diag(S) Vh is sign invariant; full_matrices ignores the extra columns' gradients, as torch
    check_op(lambda lib, x: (lambda r: (r.U[:, :2] * r.S) @ r.Vh)(lib.linalg.svd(x)), (3, 2), gradgrad=False)
    check_op(lambda lib, x: lib.svd(x).V.abs(), (3, 2), gradgrad=False)


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, float("inf")])
def test_linalg_norm_matrix_orders_match_torch(ord):
    check_op(lambda lib, x: lib.linalg.norm(x, ord), (3, 4), gradgrad=False)


def test_vector_norms_match_torch():
    check_op(lambda lib, x: lib.linalg.vector_norm(x, 3, dim=1), (3, 4), gradgrad=False)
    check_op(lambda lib, x: lib.linalg.norm(x, dim=1), (3, 4))


def test_singular_matrix_errors():
    with pytest.raises(saessak.linalg.LinAlgError, match="The diagonal element 2 is zero"):
        saessak.linalg.inv(saessak.ones(2, 2))
    with pytest.raises(RuntimeError, match=r"\(Batch element 1\): The diagonal element 1 is zero"):
        saessak.linalg.inv(saessak.stack([saessak.eye(2), saessak.zeros(2, 2)]))
    with pytest.raises(saessak.linalg.LinAlgError, match="leading minor of order 1 is not positive-definite"):
        saessak.linalg.cholesky(-saessak.eye(2))
    with pytest.raises(saessak.linalg.LinAlgError, match="singular"):
        saessak.linalg.solve(saessak.zeros(2, 2), saessak.ones(2))
    with pytest.raises(RuntimeError, match="must be batches of square matrices, but they are 2 by 3 matrices"):
        saessak.linalg.det(saessak.ones(2, 3))
    with pytest.raises(RuntimeError, match="must have at least 2 dimensions"):
        saessak.linalg.inv(saessak.ones(3))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        saessak.linalg.inv(saessak.eye(2, dtype=saessak.int64))
    with pytest.raises(RuntimeError, match=r"Incompatible shapes of A and B for the equation AX = B \(3x3 and 2x4\)"):
        saessak.linalg.solve(saessak.eye(3), saessak.ones(2, 4))


def test_return_types_print_like_torch():
    assert repr(saessak.linalg.slogdet(saessak.eye(2))).startswith("torch.return_types.linalg_slogdet(")
    assert repr(saessak.slogdet(saessak.eye(2))).startswith("torch.return_types.slogdet(")
    assert repr(saessak.linalg.qr(saessak.eye(2))).startswith("torch.return_types.linalg_qr(")
    assert saessak.svd(saessak.eye(2))._fields == ("U", "S", "V")
    assert saessak.linalg.inv_ex(saessak.eye(2)).info.dtype == saessak.int32
    assert float(saessak.logdet(-saessak.eye(3))) != float(saessak.logdet(-saessak.eye(3)))  # NaN


def test_pinv_and_rank_tolerances_match_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[1.0, 2.0], [2.0, 4.0001], [0.0, 1e-9]])
    for kwargs in ({}, {"atol": 0.1}, {"rtol": 1e-3}):
        np.testing.assert_allclose(saessak.linalg.pinv(saessak.tensor(a), **kwargs).numpy(),
                                   torch.linalg.pinv(torch.tensor(a), **kwargs).numpy(), rtol=1e-6, atol=1e-9)
        assert int(saessak.linalg.matrix_rank(saessak.tensor(a), **kwargs)) == int(
            torch.linalg.matrix_rank(torch.tensor(a), **kwargs))


@pytest.mark.parametrize("shapes", [
    ((4, 3), (2, 3), (2,)), ((4, 3), (2, 3)), ((5, 4, 3), (2, 3), (2,)), ((5, 4, 3), (2, 3)), ((3,), (2, 3), (2,)),
    ((4, 3), (2, 3), (4, 2)), ((4, 3), (2, 3), (1,)),
])
def test_functional_linear_matches_torch_with_gradients_of_every_order(shapes):
    check_op(lambda lib, *args: lib.nn.functional.linear(*args), *shapes)


def test_functional_linear_names_its_node_as_torch_does():
    x = saessak.ones(4, 3, requires_grad=True)
    weight = saessak.ones(2, 3, requires_grad=True)
    bias = saessak.zeros(2, requires_grad=True)
    out = saessak.nn.functional.linear(x, weight, bias)
    assert out.grad_fn.name() == "AddmmBackward0"
    # addmm's input order: bias, input, weight
    assert [f.variable is t for (f, _), t in zip(out.grad_fn.next_functions, (bias, x, weight))] == [True] * 3
    assert saessak.nn.functional.linear(x, weight).grad_fn.name() == "MmBackward0"


def test_linear_weight_gradient_is_stored_in_the_parameter_layout_without_an_alias():
    layer = saessak.nn.Linear(3, 2)
    out = layer(saessak.ones(4, 3))
    out.sum().backward()
    for p in layer.parameters():
        assert p.grad.shape == p.shape and p.grad.numpy().flags.c_contiguous
        assert p.grad.numpy().base is None  # its own memory: nothing else can change it
    np.testing.assert_allclose(layer.weight.grad.numpy(), np.full((2, 3), 4.0))
    np.testing.assert_allclose(layer.bias.grad.numpy(), np.full(2, 4.0))


def test_functional_linear_errors_match_torch():
    F = saessak.nn.functional
    x, w = saessak.ones(4, 3), saessak.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(4x5 and 3x2\)"):
        F.linear(saessak.ones(4, 5), w)
    with pytest.raises(RuntimeError, match="mat1 and mat2 must have the same dtype, but got Double and Float"):
        F.linear(x.double(), w)
    with pytest.raises(RuntimeError, match="same dtype, but got Float and Double"):
        F.linear(x, w, saessak.zeros(2, dtype=saessak.float64))
    with pytest.raises(RuntimeError, match="does not broadcast"):
        F.linear(x, w, saessak.zeros(3))


def test_matmul_out_receives_the_product():
    a, b = saessak.ones(2, 3), saessak.full((3, 4), 2.0)
    out = saessak.empty(2, 4)
    assert saessak.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out.numpy(), np.full((2, 4), 6.0))
    resized = saessak.empty(0)
    saessak.matmul(a, b, out=resized)
    assert resized.shape == (2, 4)
