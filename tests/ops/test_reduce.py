import numpy as np
import pytest

import saessak
from tests.helpers import check_op, requires_torch, torch

DIMS = [None, 0, -1, (0, 2)]


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
def test_smooth_reductions_match_torch(dim, keepdim):
    def call(name, **kw):
        return lambda lib, x: getattr(x, name)(dim, keepdim=keepdim, **kw) if dim is not None else getattr(x, name)()

    for name in ("sum", "mean", "var", "std"):
        check_op(call(name), (2, 3, 4))
    check_op(lambda lib, x: x.norm(dim=dim, keepdim=keepdim), (2, 3, 4))
    check_op(lambda lib, x: x.logsumexp(dim if dim is not None else (0, 1, 2), keepdim=keepdim), (2, 3, 4))
    check_op(lambda lib, x: x.amax(dim if dim is not None else (), keepdim=keepdim), (2, 3, 4), gradgrad=False)
    check_op(lambda lib, x: x.amin(dim if dim is not None else (), keepdim=keepdim), (2, 3, 4), gradgrad=False)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_dim_reductions_and_cumulative(dim):
    check_op(lambda lib, x: x.prod(dim), (3, 4))
    check_op(lambda lib, x: x.max(dim)[0], (3, 4), gradgrad=False)
    check_op(lambda lib, x: x.min(dim, keepdim=True)[0], (3, 4), gradgrad=False)
    check_op(lambda lib, x: x.max(dim)[1], (3, 4), grad=False)
    check_op(lambda lib, x: x.cumsum(dim), (3, 4))
    check_op(lambda lib, x: x.cumprod(dim), (3, 4))
    check_op(lambda lib, x: x.argmax(dim), (3, 4), grad=False)
    check_op(lambda lib, x: x.argmin(dim, keepdim=True), (3, 4), grad=False)


def test_products_with_zeros_have_exact_gradients():
    x = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0], [2.0, 3.0, 4.0]])
    check_op(lambda lib, a: a.prod(1), x, gradgrad=False)
    check_op(lambda lib, a: a.prod(), x[2:], gradgrad=False)
    check_op(lambda lib, a: a.cumprod(1), x, gradgrad=False)


def test_ties_share_the_gradient_like_torch():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    check_op(lambda lib, a: a.amax(1), x, numerical=False)
    check_op(lambda lib, a: a.max(), x, numerical=False)


def test_norm_orders_and_zero_gradient():
    for p in (1, 2, 3, float("inf"), float("-inf")):
        check_op(lambda lib, x, p=p: x.norm(p=p, dim=1), (3, 4), gradgrad=False)
    x = saessak.zeros(3, dtype=saessak.float64, requires_grad=True)
    x.norm().backward()
    assert np.all(x.grad.numpy() == 0)


def test_dtype_rules():
    ints = saessak.tensor([[1, 2], [3, 4]])
    assert ints.sum().dtype == saessak.int64 and ints.sum().item() == 10
    assert saessak.tensor([True, True, False]).sum().item() == 2
    assert ints.prod().item() == 24
    assert ints.cumsum(0).dtype == saessak.int64
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype.*Long"):
        ints.mean()
    assert ints.float().mean().item() == 2.5
    assert ints.mean(dtype=saessak.float64).dtype == saessak.float64
    assert ints.max().item() == 4 and ints.argmax().item() == 3


def test_max_named_tuple_repr_matches_torch():
    result = saessak.tensor([[1, 5], [7, 2]]).max(1)
    assert result.values.tolist() == [5, 7] and result.indices.tolist() == [1, 0]
    values, indices = result
    assert repr(result) == "torch.return_types.max(\nvalues=tensor([5, 7]),\nindices=tensor([1, 0]))"


def test_all_any_count_nonzero():
    x = saessak.tensor([[0, 1, 2], [3, 0, 0]])
    assert x.all().item() is False and x.any().item() is True
    assert x.any(1).tolist() == [True, True]
    assert x.count_nonzero().item() == 3
    assert x.count_nonzero(0).tolist() == [1, 1, 1]


def test_var_correction_and_unbiased():
    data = np.arange(6.0).reshape(2, 3)
    x = saessak.tensor(data)
    np.testing.assert_allclose(x.var().item(), data.var(ddof=1))
    np.testing.assert_allclose(x.var(unbiased=False).item(), data.var())
    np.testing.assert_allclose(x.var(1, correction=0).numpy(), data.var(1), rtol=1e-6)
    np.testing.assert_allclose(x.std(0).numpy(), data.std(0, ddof=1), rtol=1e-6)


def test_errors_name_the_problem():
    x = saessak.ones(2, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.sum(2)
    with pytest.raises(RuntimeError, match="appears multiple times"):
        x.sum((0, 0))


@requires_torch
def test_logsumexp_is_stable_for_large_values():
    data = np.array([1000.0, 1000.0, -1000.0])
    ours = saessak.tensor(data).logsumexp(0).item()
    assert np.isfinite(ours)
    np.testing.assert_allclose(ours, torch.tensor(data).logsumexp(0).item())


def test_sum_to_size():
    x = saessak.ones(2, 3, 4)
    assert x.sum_to_size(3, 1).shape == (3, 1)
    assert x.sum_to_size(3, 1)[0, 0].item() == 8
