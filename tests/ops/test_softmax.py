import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from saessak.ops.softmax import one_hot
from tests.helpers import check_op, requires_torch


@pytest.mark.parametrize("shape, dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1), ((2, 3, 4), 1),
                                        ((), 0)])
def test_softmax_and_log_softmax_match_torch_and_double_backward(shape, dim):
    check_op(lambda lib, x: lib.softmax(x, dim), shape)
    check_op(lambda lib, x: lib.log_softmax(x, dim), shape)
    check_op(lambda lib, x: x.softmax(dim) * x, shape)
    check_op(lambda lib, x: x.log_softmax(dim=dim).exp(), shape)


def test_grad_fn_names():
    x = saessak.ones(2, 3, requires_grad=True)
    assert saessak.softmax(x, 1).grad_fn.name() == "SoftmaxBackward0"
    assert saessak.log_softmax(x, 1).grad_fn.name() == "LogSoftmaxBackward0"


def test_large_values_do_not_overflow():
    x = saessak.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
    y = saessak.softmax(x, dim=1).numpy()
    expected = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    np.testing.assert_allclose(y[0], expected, rtol=1e-6)
    np.testing.assert_allclose(y[1], expected[::-1], rtol=1e-6)
    logs = saessak.log_softmax(x, dim=1).numpy()
    assert np.isfinite(logs).all()
    np.testing.assert_allclose(logs[0], np.log(expected), rtol=1e-6)
    # a very negative entry: log_softmax stays finite where log(softmax) would give -inf
    z = saessak.log_softmax(saessak.tensor([0.0, -200.0], dtype=saessak.float64), dim=0).numpy()
    np.testing.assert_allclose(z, [0.0, -200.0], atol=1e-12)


def test_infinities_follow_torch():
    x = saessak.tensor([[0.0, -float("inf")], [-float("inf"), -float("inf")]])
    y = saessak.softmax(x, dim=1).numpy()
    np.testing.assert_array_equal(y[0], [1.0, 0.0])
    assert np.isnan(y[1]).all()


@requires_torch
def test_double_backward_of_softmax_matches_torch():
    import torch

    data = np.random.default_rng(3).standard_normal((2, 4))
    v = np.random.default_rng(4).standard_normal((2, 4))
    results = []
    for lib in (saessak, torch):
        x = lib.tensor(data, requires_grad=True)
        for op in (lib.softmax, lib.log_softmax):
            y = (op(x, 1) * lib.tensor(v)).sum()
            (g,) = lib.autograd.grad(y, x, create_graph=True)
            (gg,) = lib.autograd.grad((g * g).sum(), x)
            results.append(gg.detach().numpy())
    for ours, theirs in zip(results[:2], results[2:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_dtype_argument_and_integer_inputs():
    x = saessak.tensor([1.0, 2.0])
    assert saessak.softmax(x, 0, dtype=saessak.float64).dtype == saessak.float64
    assert saessak.log_softmax(saessak.tensor([1, 2]), 0, dtype=saessak.float32).dtype == saessak.float32
    assert saessak.softmax(x.half(), 0).dtype == saessak.float16
    with pytest.raises(NotImplementedError, match="softmax"):
        saessak.softmax(saessak.tensor([1, 2]), 0)
    np.testing.assert_allclose(saessak.softmax(saessak.tensor([1, 2, 3]), 0, dtype=saessak.float64).numpy(),
                               np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-15)


def test_bad_dim_raises():
    x = saessak.ones(2, 3)
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 2\)"):
        saessak.softmax(x, 2)
    with pytest.raises(TypeError, match="dim"):
        saessak.log_softmax(x, None)


def test_empty_input():
    x = saessak.ones(0, 3, requires_grad=True)
    y = saessak.softmax(x, 1)
    assert tuple(y.shape) == (0, 3)
    y.sum().backward()
    assert tuple(x.grad.shape) == (0, 3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), st.data())
def test_softmax_rows_sum_to_one_and_log_softmax_agrees(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    values = np.random.default_rng(len(shape)).standard_normal(shape) * 30
    x = saessak.tensor(values, dtype=saessak.float64)
    y = saessak.softmax(x, dim).numpy()
    np.testing.assert_allclose(y.sum(axis=dim), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(saessak.log_softmax(x, dim).numpy()), y, rtol=1e-10, atol=1e-300)


# ---------------------------------------------------------------- one_hot
@requires_torch
def test_one_hot_matches_torch():
    import torch

    for indices, n in (([0, 2, 1], -1), ([[0, 3], [1, 1]], 5), ([], 4), (2, 3)):
        ours = one_hot(saessak.tensor(indices, dtype=saessak.int64), n)
        theirs = torch.nn.functional.one_hot(torch.tensor(indices, dtype=torch.int64), n)
        assert ours.dtype == saessak.int64 and tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_one_hot_errors():
    with pytest.raises(RuntimeError, match="LongTensor"):
        one_hot(saessak.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        one_hot(saessak.tensor([1, 5]), 3)
    with pytest.raises(RuntimeError, match="non-negative"):
        one_hot(saessak.tensor([-1, 1]))
    with pytest.raises(RuntimeError, match="empty tensor"):
        one_hot(saessak.tensor([], dtype=saessak.int64))
