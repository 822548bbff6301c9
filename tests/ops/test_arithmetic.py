import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,))])
def test_binary_ops_match_torch_and_gradcheck(shapes):
    for op in (lambda lib, x, y: x + y, lambda lib, x, y: x - y, lambda lib, x, y: x * y,
               lambda lib, x, y: lib.add(x, y, alpha=2.5)):
        check_op(op, *shapes)


def test_division_and_power():
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 2.0, (3, 4))
    y = rng.uniform(0.5, 2.0, (4,))
    check_op(lambda lib, a, b: a / b, x, y)
    check_op(lambda lib, a, b: a ** b, x, y)
    check_op(lambda lib, a: a ** 3, x)
    check_op(lambda lib, a: 2.0 / a, x)
    check_op(lambda lib, a: 3 - a, x)
    check_op(lambda lib, a: -a, x)


@st.composite
def _broadcastable_pair(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))
    other = [draw(st.sampled_from([1, size])) for size in shape]
    other = other[draw(st.integers(0, len(other))):]
    return tuple(shape), tuple(other)


@settings(max_examples=30, deadline=None)
@given(_broadcastable_pair(), st.booleans())
def test_broadcasting_matches_numpy_and_gradients_keep_input_shapes(shapes, swap):
    a_shape, b_shape = shapes[::-1] if swap else shapes
    rng = np.random.default_rng(0)
    a_data, b_data = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    a = saessak.tensor(a_data, requires_grad=True)
    b = saessak.tensor(b_data, requires_grad=True)
    out = a * b + a - b
    np.testing.assert_allclose(out.detach().numpy(), a_data * b_data + a_data - b_data)
    out.sum().backward()
    assert a.grad.shape == a_shape and b.grad.shape == b_shape
    expected_a = np.broadcast_to(b_data + 1, out.shape).sum(axis=tuple(range(out.ndim - len(a_shape))))
    expected_a = expected_a.sum(axis=tuple(i for i, s in enumerate(a_shape) if s == 1), keepdims=True)
    np.testing.assert_allclose(a.grad.numpy(), expected_a.reshape(a_shape), rtol=1e-10)


def test_in_place_ops_under_no_grad_are_single_pass_and_checked():
    x = saessak.ones(2, 3)
    x.add_(saessak.ones(3), alpha=2)
    assert x.tolist() == [[3.0] * 3] * 2
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        saessak.ones(3).add_(saessak.ones(2, 3))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        saessak.ones(3, dtype=saessak.int64).mul_(0.5)


def test_reflected_and_integer_ops_match_torch():
    check_op(lambda lib, x: 2 ** x, (3,))
    check_op(lambda lib, x: x % 0.7, np.array([1.5, -2.25, 3.0]), gradgrad=False)
    check_op(lambda lib, x: lib.fmod(x, 0.7), np.array([1.5, -2.25, 3.0]), gradgrad=False)
    check_op(lambda lib, x: x // 2, np.array([5, -3, 8]), grad=False)
    check_op(lambda lib, x: x / 4, np.array([5, -3, 8]), grad=False)
    check_op(lambda lib, x, y: x.addcmul(x, y, value=0.5), (3,), (3,))
    check_op(lambda lib, x, y: x.addcdiv(x, y.exp(), value=2.0), (3,), (3,))


@requires_torch
@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
def test_out_argument_receives_the_result(name):
    x, y = np.arange(1.0, 7.0).reshape(2, 3), np.full((3,), 2.0)
    ours, theirs = saessak.empty(2, 3), torch.empty(2, 3)
    returned = getattr(saessak, name)(saessak.tensor(x), saessak.tensor(y), out=ours)
    getattr(torch, name)(torch.tensor(x), torch.tensor(y), out=theirs)
    assert returned is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    resized = saessak.empty(0)
    saessak.mul(saessak.tensor(x), 2.0, out=resized)
    assert resized.shape == (2, 3) and resized.dtype == saessak.float32
