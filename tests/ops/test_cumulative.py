import numpy as np
import pytest

import saessak
from tests.helpers import check_op, requires_torch, torch

ZEROS = np.array([[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 3.0, 1.5], [2.0, 3.0, 4.0, 0.0], [0.5, 2.0, 0.0, 2.0]])


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_cumprod_match_torch(dim):
    check_op(lambda lib, x: x.cumsum(dim), (3, 4))
    check_op(lambda lib, x: lib.cumprod(x, dim), (3, 4))
    check_op(lambda lib, x: x.cumprod(dim), (2, 3, 2))


@pytest.mark.parametrize("dim", [0, 1])
def test_cumprod_gradient_is_exact_with_zeros(dim):
    check_op(lambda lib, x: x.cumprod(dim), ZEROS)  # includes double backward at the zeros


@requires_torch
def test_cumprod_fast_gradient_matches_torch_on_many_zero_patterns():
    rng = np.random.default_rng(1)
    data = rng.standard_normal((50, 7)) * (rng.random((50, 7)) > 0.3)
    gy = rng.standard_normal((50, 7))
    ours = saessak.tensor(data, requires_grad=True)
    ours.cumprod(1).backward(saessak.tensor(gy))
    theirs = torch.tensor(data, requires_grad=True)
    theirs.cumprod(1).backward(torch.tensor(gy))
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_dtypes():
    ints = saessak.tensor([1, 2, 3], dtype=saessak.int32)
    assert ints.cumsum(0).dtype == saessak.int64 and ints.cumsum(0).tolist() == [1, 3, 6]
    assert saessak.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert ints.cumprod(0).dtype == saessak.int64 and ints.cumprod(0).tolist() == [1, 2, 6]
    assert ints.cumsum(0, dtype=saessak.float64).dtype == saessak.float64
    x = saessak.ones(3, dtype=saessak.float64, requires_grad=True)
    x.cumsum(0, dtype=saessak.float32).sum().backward()
    assert x.grad.dtype == saessak.float64 and x.grad.tolist() == [3.0, 2.0, 1.0]


def test_zero_dim_and_grad_fn_names():
    scalar = saessak.tensor(2.0, requires_grad=True)
    assert scalar.cumsum(0).item() == 2.0 and scalar.cumprod(-1).item() == 2.0
    assert scalar.cumsum(0).grad_fn.name() == "CumsumBackward0"
    assert scalar.cumprod(0).grad_fn.name() == "CumprodBackward0"
    with pytest.raises(IndexError, match="Dimension out of range"):
        saessak.ones(2, 3).cumsum(2)


def test_cummax_cummin_match_torch():
    ties = np.array([[1.0, 3.0, 2.0, 3.0, 0.0], [2.0, 2.0, 2.0, 5.0, 1.0]])
    for name in ("cummax", "cummin"):
        check_op(lambda lib, x, name=name: getattr(x, name)(1).values, ties, numerical=False)
        check_op(lambda lib, x, name=name: getattr(lib, name)(x, 1).indices, ties, grad=False)
        check_op(lambda lib, x, name=name: getattr(x, name)(0)[0], (3, 4), gradgrad=False)
    nans = np.array([[1.0, np.nan, 3.0, np.nan, 0.0], [2.0, 1.0, 3.0, 0.0, 4.0]])
    check_op(lambda lib, x: x.cummax(1).indices, nans, grad=False)
    check_op(lambda lib, x: x.cummin(1).indices, nans, grad=False)
    result = saessak.tensor([1, 3, 2]).cummax(0)
    assert repr(result) == "torch.return_types.cummax(\nvalues=tensor([1, 3, 3]),\nindices=tensor([0, 1, 1]))"


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_logcumsumexp_matches_torch(dim):
    check_op(lambda lib, x: x.logcumsumexp(dim), (3, 4))
    check_op(lambda lib, x: lib.logcumsumexp(x, dim), np.array([[1000.0, -1000.0, 3.0], [0.5, 1.0, -2.0]]))
    assert saessak.tensor([1, 2]).logcumsumexp(0).dtype == saessak.float32
