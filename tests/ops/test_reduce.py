import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch

DIMS = [None, 0, -1, (0, 2), (-1, 0, 1)]


def _reduce(name, dim, keepdim, **kw):
    if dim is None and not keepdim:
        return lambda lib, x: getattr(x, name)(**kw)
    return lambda lib, x: getattr(x, name)(dim, keepdim=keepdim, **kw)


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "nansum"])
def test_smooth_reductions_match_torch(name, dim, keepdim):
    check_op(_reduce(name, dim, keepdim), (2, 3, 4))


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
def test_norm_and_logsumexp_over_dims(dim, keepdim):
    check_op(lambda lib, x: x.norm(2, dim, keepdim=keepdim), (2, 3, 4))
    check_op(lambda lib, x: x.logsumexp(dim if dim is not None else (0, 1, 2), keepdim=keepdim), (2, 3, 4))


@pytest.mark.parametrize("dim", [None, 0, -1, 1])
def test_prod_matches_torch(dim):
    check_op(lambda lib, x: x.prod() if dim is None else x.prod(dim), (2, 3, 4))
    check_op(lambda lib, x: x.prod(dim if dim is not None else 0, keepdim=True), (3, 4))


def test_grad_fn_names_match_torch():
    x = saessak.randn(2, 3, dtype=saessak.float64, requires_grad=True)
    names = {
        "SumBackward0": x.sum(), "SumBackward1": x.sum(1), "MeanBackward0": x.mean(),
        "MeanBackward1": x.mean((0, 1)), "ProdBackward0": x.prod(), "ProdBackward1": x.prod(0),
        "VarBackward0": x.var(1), "StdBackward0": x.std(), "NansumBackward0": x.nansum(),
        "LinalgVectorNormBackward0": x.norm(p=3), "LogsumexpBackward0": x.logsumexp(0),
        "VarMeanBackward0": saessak.var_mean(x, 0)[1], "StdMeanBackward0": saessak.std_mean(x)[0],
    }
    for name, out in names.items():
        assert out.grad_fn.name() == name


def test_products_with_zeros_have_exact_gradients():
    x = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0], [2.0, 3.0, 4.0]])
    check_op(lambda lib, a: a.prod(1), x)
    check_op(lambda lib, a: a.prod(0, keepdim=True), x)
    check_op(lambda lib, a: a.prod(), x[:1])
    check_op(lambda lib, a: a.prod(), x)


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, float("inf"), float("-inf"), 0])
def test_norm_orders_match_torch(p):
    check_op(lambda lib, x: x.norm(p=p, dim=1), (3, 4), gradgrad=p not in (1, float("inf"), float("-inf")))
    check_op(lambda lib, x: lib.norm(x, p), (2, 3), gradgrad=False)


def test_norm_gradient_is_zero_where_the_norm_is_zero():
    for p in (2, 3):
        x = saessak.zeros(2, 3, dtype=saessak.float64, requires_grad=True)
        x.norm(p=p, dim=1).sum().backward()
        assert x.grad.tolist() == [[0.0] * 3] * 2


def test_norm_inf_splits_the_gradient_among_ties():
    check_op(lambda lib, x: x.norm(p=float("inf")), np.array([1.0, -3.0, 3.0, 2.0]), numerical=False)


def test_norm_fro_and_nuc():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    check_op(lambda lib, a: a.norm(p="fro"), x)
    np.testing.assert_allclose(saessak.tensor(x).norm(p="nuc").item(), np.linalg.norm(x, "nuc"))


def test_std_gradient_is_zero_for_constant_input():
    x = saessak.ones(2, 3, dtype=saessak.float64, requires_grad=True)
    x.std(1).sum().backward()
    assert x.grad.tolist() == [[0.0] * 3] * 2


def test_var_mean_and_std_mean_gradients_use_both_outputs():
    check_op(lambda lib, x: lib.var_mean(x, 1), (3, 4))
    check_op(lambda lib, x: lib.std_mean(x, (0, 1), keepdim=True), (2, 3, 2))
    check_op(lambda lib, x: lib.var_mean(x, correction=0), (3, 4))


def test_var_correction_and_unbiased():
    data = np.arange(6.0).reshape(2, 3)
    x = saessak.tensor(data)
    np.testing.assert_allclose(x.var().item(), data.var(ddof=1))
    np.testing.assert_allclose(x.var(unbiased=False).item(), data.var())
    np.testing.assert_allclose(x.var(1, correction=0).numpy(), data.var(1), rtol=1e-6)
    np.testing.assert_allclose(x.var(1, True).numpy(), data.var(1, ddof=1), rtol=1e-6)
    np.testing.assert_allclose(x.var(False).item(), data.var(), rtol=1e-6)  # old positional unbiased
    np.testing.assert_allclose(x.std(1, correction=2).numpy(), np.sqrt(data.var(1, ddof=2)), rtol=1e-6)
    check_op(lambda lib, a: a.var(1, correction=2), (3, 4))


def test_var_with_no_degrees_of_freedom_warns_and_gives_nan():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        out = saessak.tensor([2.0]).var()
    assert np.isnan(out.item())


def test_dtype_rules():
    ints = saessak.tensor([[1, 2], [3, 4]])
    assert ints.sum().dtype == saessak.int64 and ints.sum().item() == 10
    assert saessak.tensor([True, True, False]).sum().item() == 2
    assert saessak.tensor([1, 2], dtype=saessak.uint8).sum().dtype == saessak.int64
    assert ints.prod().item() == 24 and ints.prod().dtype == saessak.int64
    assert ints.sum(dtype=saessak.float64).dtype == saessak.float64
    assert ints.nansum().dtype == saessak.int64
    assert ints.float().mean().item() == 2.5
    assert ints.mean(dtype=saessak.float64).dtype == saessak.float64
    assert ints.logsumexp(0).dtype == saessak.float32
    assert saessak.tensor([1.0, 2.0]).sum().dtype == saessak.float32
    assert saessak.tensor([1.0, 2.0]).norm(p=0).dtype == saessak.float32


def test_sum_with_dtype_sends_the_gradient_back_in_the_input_dtype():
    x = saessak.ones(3, dtype=saessak.float64, requires_grad=True)
    out = x.sum(dtype=saessak.float32)
    assert out.dtype == saessak.float32
    out.backward()
    assert x.grad.dtype == saessak.float64 and x.grad.tolist() == [1.0, 1.0, 1.0]


def test_integer_inputs_are_refused_where_torch_refuses_them():
    ints = saessak.tensor([[1, 2], [3, 4]])
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype.*Got: Long"):
        ints.mean()
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        ints.var()
    with pytest.raises(RuntimeError, match="nanmean\\(\\): expected input to have floating point"):
        ints.nanmean()
    with pytest.raises(RuntimeError, match="linalg.vector_norm: Expected a floating point"):
        ints.norm()


def test_nan_reductions():
    data = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, 2.0]])
    check_op(lambda lib, x: x.nansum(1), data)
    check_op(lambda lib, x: x.nanmean(1), data, numerical=False)
    check_op(lambda lib, x: x.nanmean(), data, numerical=False)
    assert np.isnan(saessak.tensor(data).sum().item())


def test_empty_reductions_match_torch():
    empty = saessak.zeros(0, 3)
    assert empty.sum().item() == 0 and empty.prod(0).tolist() == [1.0, 1.0, 1.0]
    assert np.isnan(empty.mean().item()) and empty.mean(1).shape == (0,)
    assert empty.logsumexp(0).tolist() == [float("-inf")] * 3


def test_logical_reductions():
    x = saessak.tensor([[0, 1, 2], [3, 0, 0]])
    assert x.all().item() is False and x.any().item() is True
    assert x.any(1).tolist() == [True, True] and x.all(0, keepdim=True).tolist() == [[False, False, False]]
    assert x.all().dtype == saessak.bool
    assert saessak.tensor([1.0, float("nan")]).all().item() is True
    bytes_ = saessak.tensor([1, 2], dtype=saessak.uint8)
    assert bytes_.all().dtype == saessak.uint8 and bytes_.any(0).item() == 1  # PyTorch's byte-mask rule
    assert x.count_nonzero().item() == 3
    assert x.count_nonzero(0).tolist() == [1, 1, 1] and x.count_nonzero((0, 1)).item() == 3


def test_errors_name_the_problem():
    x = saessak.ones(2, 3)
    with pytest.raises(IndexError, match="Dimension out of range \\(expected to be in range of \\[-2, 1\\]"):
        x.sum(2)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.var(-3)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        x.sum((0, -2))
    with pytest.raises(RuntimeError, match="not expandable to size"):
        x.sum_to_size(4)


@requires_torch
def test_logsumexp_is_stable_for_large_values():
    data = np.array([[1000.0, 1000.0, -1000.0], [-np.inf, -np.inf, -np.inf]])
    ours = saessak.tensor(data).logsumexp(1).numpy()
    np.testing.assert_allclose(ours, torch.tensor(data).logsumexp(1).numpy())
    check_op(lambda lib, x: x.logsumexp(1), data[:1])


def test_sum_to_size():
    x = saessak.ones(2, 3, 4)
    assert x.sum_to_size(3, 1).shape == (3, 1) and x.sum_to_size(3, 1)[0, 0].item() == 8
    assert x.sum_to_size((1, 3, 1)).shape == (1, 3, 1)
    check_op(lambda lib, a: a.sum_to_size(3, 1), (2, 3, 4))


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=4), data=st.data())
def test_reduced_shapes_follow_numpy(shape, data):
    dims = data.draw(st.lists(st.integers(0, len(shape) - 1), unique=True, max_size=len(shape)))
    keepdim = data.draw(st.booleans())
    array = np.random.default_rng(0).standard_normal(shape)
    x = saessak.tensor(array)
    axis = tuple(dims) if dims else None
    count = int(np.prod([shape[d] for d in dims])) if dims else array.size
    for name in ("sum", "mean", "amax", "var") if count > 1 else ("sum", "mean", "amax"):
        ours = getattr(x, name)(tuple(dims), keepdim=keepdim)
        expected = {"sum": array.sum, "mean": array.mean, "amax": array.max,
                    "var": lambda **kw: array.var(ddof=1, **kw)}[name](axis=axis, keepdims=keepdim)
        assert ours.shape == np.shape(expected)
        if np.all(np.isfinite(expected)):
            np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6, atol=1e-12)
