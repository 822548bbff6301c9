"""autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp against torch.autograd.functional."""

import numpy as np
import pytest

import saessak
from saessak.autograd import functional as F
from tests.helpers import requires_torch, torch

X = np.array([0.3, -0.7, 1.1])
Y = np.array([[0.5, 2.0], [1.5, -1.0]])


def _inputs(lib, tuple_in: bool):
    x, y = lib.tensor(X), lib.tensor(Y)
    return (x, y) if tuple_in else x


def _assert_same(ours, theirs) -> None:
    """Same nesting (tuple vs tensor), shapes, dtypes, requires_grad and values."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
        return
    assert isinstance(ours, saessak.Tensor)
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-12)


JACOBIAN_CASES = {
    "tensor to tensor": (lambda x: x.sin() * 2, False),
    "tensor to scalar": (lambda x: (x**2).sum(), False),
    "tensor to tuple": (lambda x: (x.sin(), x.sum()), False),
    "tuple to tensor": (lambda x, y: x.sum() * y, True),
    "tuple to tuple": (lambda x, y: (x.sum() * y, x.exp()), True),
    "independent input": (lambda x, y: x * 2, True),
    "constant output": (lambda x: x.new_ones(2), False),
}


@requires_torch
@pytest.mark.parametrize("case", JACOBIAN_CASES)
@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian_matches_torch(case, create_graph):
    fn, tuple_in = JACOBIAN_CASES[case]
    ours = F.jacobian(fn, _inputs(saessak, tuple_in), create_graph=create_graph)
    theirs = torch.autograd.functional.jacobian(fn, _inputs(torch, tuple_in), create_graph=create_graph)
    _assert_same(ours, theirs)


def test_jacobian_of_a_linear_map_is_its_matrix():
    a = saessak.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    jac = F.jacobian(lambda x: a @ x, saessak.tensor([0.5, -1.0]))
    assert jac.tolist() == a.tolist()


def test_jacobian_leaves_the_inputs_alone_and_create_graph_reaches_them():
    x = saessak.tensor(X, requires_grad=True)
    F.jacobian(lambda a: a**2, x)
    F.hessian(lambda a: (a**3).sum(), x)
    assert x.grad is None and x.is_leaf and x.requires_grad
    jac = F.jacobian(lambda a: a**3, x, create_graph=True)
    jac.sum().backward()  # d/dx sum(diag(3x^2)) = 6x
    np.testing.assert_allclose(x.grad.numpy(), 6 * X)


def test_jacobian_strict_refuses_an_independent_input():
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function is independent of input 1"):
        F.jacobian(lambda x, y: x * 2, (saessak.tensor(X), saessak.tensor(Y)), strict=True)


def test_bad_inputs_and_outputs_are_type_errors():
    with pytest.raises(TypeError, match="The inputs given to jacobian must be either a Tensor or a tuple of Tensors"):
        F.jacobian(lambda x: x, [saessak.tensor(X)])
    message = "outputs of the user-provided function given to jacobian .* type <class 'float'>"
    with pytest.raises(TypeError, match=message):
        F.jacobian(lambda x: 3.0, saessak.tensor(X))
    with pytest.raises(TypeError, match="the value at index 1 has type <class 'int'>"):
        F.vjp(lambda x, y: x, (saessak.tensor(X), 2), saessak.ones(3))
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        F.jacobian(lambda x: x * 2, saessak.tensor([1, 2]))
    with pytest.raises(ValueError, match='Expected strategy to be either "forward-mode" or "reverse-mode"'):
        F.jacobian(lambda x: x, saessak.tensor(X), strategy="sideways")


HESSIAN_CASES = {
    "tensor": (lambda x: (x**3).sum() * x.sum(), False),
    "tuple": (lambda x, y: (x**2).sum() * (y**3).sum(), True),
    "linear (zero hessian)": (lambda x: x.sum() * 2, False),
}


@requires_torch
@pytest.mark.parametrize("case", HESSIAN_CASES)
def test_hessian_matches_torch(case):
    fn, tuple_in = HESSIAN_CASES[case]
    theirs = torch.autograd.functional.hessian(fn, _inputs(torch, tuple_in))
    _assert_same(F.hessian(fn, _inputs(saessak, tuple_in)), theirs)


def test_hessian_of_a_quadratic_and_its_errors():
    h = F.hessian(lambda x: (x * x).sum(), saessak.tensor([1.0, 2.0]))
    assert h.tolist() == [[2.0, 0.0], [0.0, 2.0]]
    (h1,) = F.hessian(lambda x: (x**3).sum(), (saessak.tensor([1.0]),))  # a 1-tuple in: nested tuples out
    assert isinstance(h1, tuple) and h1[0].tolist() == [[6.0]]
    with pytest.raises(RuntimeError, match="returned by the function given to hessian should contain a single element"):
        F.hessian(lambda x: x**3, saessak.tensor(X))
    hc = F.hessian(lambda x: (x**3).sum(), saessak.tensor([1.0, 2.0]), create_graph=True)
    assert hc.requires_grad


# (function, tuple inputs?, v for vjp (shaped like the outputs), v for jvp (shaped like the inputs))
PRODUCT_CASES = {
    "tensor": (lambda x: x.exp() * x, False, lambda lib: lib.tensor([1.0, -2.0, 0.5]), lambda lib: lib.tensor(X)),
    "tuple": (
        lambda x, y: (x * y.sum(), y.exp()),
        True,
        lambda lib: (lib.ones(3), lib.full((2, 2), 0.5)),
        lambda lib: (lib.tensor([1.0, -2.0, 0.5]), lib.ones(2, 2)),
    ),
}


@requires_torch
@pytest.mark.parametrize("case", PRODUCT_CASES)
@pytest.mark.parametrize("create_graph", [False, True])
def test_vjp_and_jvp_match_torch(case, create_graph):
    fn, tuple_in, v_vjp, v_jvp = PRODUCT_CASES[case]
    ours = F.vjp(fn, _inputs(saessak, tuple_in), v_vjp(saessak), create_graph=create_graph)
    theirs = torch.autograd.functional.vjp(fn, _inputs(torch, tuple_in), v_vjp(torch), create_graph=create_graph)
    _assert_same(ours, theirs)
    ours = F.jvp(fn, _inputs(saessak, tuple_in), v_jvp(saessak), create_graph=create_graph)
    theirs = torch.autograd.functional.jvp(fn, _inputs(torch, tuple_in), v_jvp(torch), create_graph=create_graph)
    _assert_same(ours, theirs)


def test_vjp_and_jvp_by_hand():
    x = saessak.tensor([1.0, 2.0])
    out, g = F.vjp(lambda a: a**2, x, saessak.tensor([1.0, 10.0]))
    assert out.tolist() == [1.0, 4.0] and g.tolist() == [2.0, 40.0] and not g.requires_grad
    out, g = F.vjp(lambda a: (a**2).sum(), x)  # v may be omitted for a one-element output
    assert out.item() == 5.0 and g.tolist() == [2.0, 4.0]
    out, d = F.jvp(lambda a: a**2, x, saessak.tensor([1.0, 10.0]))
    assert d.tolist() == [2.0, 40.0]
    out, d = F.jvp(lambda a: a**3, saessak.tensor(2.0))  # v may be omitted for a one-element input
    assert d.item() == 12.0
    _, (g_used, g_unused) = F.vjp(lambda a, b: a * 2, (x, saessak.ones(3)), saessak.ones(2))
    assert g_used.tolist() == [2.0, 2.0] and g_unused.tolist() == [0.0, 0.0, 0.0]
    _, (d1, d2) = F.jvp(lambda a, b: (a * 2, saessak.ones(2)), (x, saessak.ones(3)), (saessak.ones(2), saessak.ones(3)))
    assert d1.tolist() == [2.0, 2.0] and d2.tolist() == [0.0, 0.0]
    _, g = F.vjp(lambda a: a**2, x, saessak.ones(2), create_graph=True)
    assert g.requires_grad


def test_vjp_and_jvp_errors():
    x = saessak.tensor(X)
    with pytest.raises(RuntimeError, match="v can only be None if the user-provided function returns a single Tensor"):
        F.vjp(lambda a: a**2, x)
    with pytest.raises(RuntimeError, match="v can only be None if the input to the user-provided function is a single"):
        F.jvp(lambda a: a**2, x)
    with pytest.raises(RuntimeError, match=r"v has invalid size: should be torch.Size\(\[3\]\) but got"):
        F.vjp(lambda a: a * 2, x, saessak.ones(2))
    with pytest.raises(RuntimeError, match="v is a tuple of invalid length: should be 1 but got 2"):
        F.jvp(lambda a: a * 2, x, (saessak.ones(3), saessak.ones(3)))
    with pytest.raises(RuntimeError, match="independent of input 1. This is not allowed in strict mode"):
        F.vjp(lambda a, b: a * 2, (x, saessak.tensor(Y)), saessak.ones(3), strict=True)


@requires_torch
def test_hvp_and_vhp_match_torch():
    fn = lambda x, y: (x**2).sum() * (y**3).sum()
    for name in ("hvp", "vhp"):
        ours_fn, theirs_fn = getattr(F, name), getattr(torch.autograd.functional, name)
        ours = ours_fn(fn, _inputs(saessak, True), (saessak.ones(3), saessak.tensor(Y)))
        theirs = theirs_fn(fn, _inputs(torch, True), (torch.ones(3), torch.tensor(Y)))
        _assert_same(ours, theirs)
        ours = ours_fn(lambda x: (x**3).sum(), _inputs(saessak, False), saessak.tensor(X))
        theirs = theirs_fn(lambda x: (x**3).sum(), _inputs(torch, False), torch.tensor(X))
        _assert_same(ours, theirs)


def test_hvp_by_hand_and_errors():
    out, hv = F.hvp(lambda x: (x**3).sum(), saessak.tensor([1.0, 2.0]), saessak.tensor([1.0, 1.0]))
    assert out.item() == 9.0 and hv.tolist() == [6.0, 12.0]
    _, hv = F.hvp(lambda x: (x**3).sum(), saessak.tensor([2.0]))
    assert hv.tolist() == [12.0]
    _, vh = F.vhp(lambda x: x.sum(), saessak.tensor(X), saessak.ones(3))
    assert vh.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="returned by the function given to hvp should contain a single element"):
        F.hvp(lambda x: x**3, saessak.tensor(X), saessak.ones(3))
    with pytest.raises(RuntimeError, match="v can only be None if the input to the user-provided function"):
        F.vhp(lambda x: (x**3).sum(), saessak.tensor(X))
    with pytest.raises(RuntimeError, match="independent of input 1"):
        F.vhp(
            lambda x, y: (x**2).sum(),
            (saessak.tensor(X), saessak.tensor(Y)),
            (saessak.ones(3), saessak.ones(2, 2)),
            strict=True,
        )
