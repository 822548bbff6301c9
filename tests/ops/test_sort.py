import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op

TIES = np.array([[1.0, 2.0, 2.0, 3.0, 2.0], [4.0, 4.0, 1.0, 1.0, 0.0]])
NANS = np.array([[1.0, np.nan, 3.0, 0.0], [2.0, 7.0, 4.0, 5.0]])


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_values_indices_and_gradients(dim):
    check_op(lambda lib, x: x.sort(dim)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.sort(dim, descending=True).values, (3, 5), gradgrad=False)
    check_op(lambda lib, x: lib.sort(x, dim).indices, (3, 5), grad=False)
    check_op(lambda lib, x: x.argsort(dim, descending=True), (3, 5), grad=False)


def test_sort_is_stable_for_ties_in_both_directions():
    check_op(lambda lib, x: lib.sort(x, stable=True, dim=1).indices, TIES, grad=False)
    check_op(lambda lib, x: lib.sort(x, stable=True, dim=1, descending=True).indices, TIES, grad=False)
    check_op(lambda lib, x: lib.argsort(x, stable=True, dim=0, descending=True), TIES.T, grad=False)
    values, indices = saessak.tensor([2, 1, 2, 1]).sort(descending=True)
    assert values.tolist() == [2, 2, 1, 1] and indices.tolist() == [0, 2, 1, 3]
    big = saessak.tensor([2**62 + 1, 2**62, 3])  # int64 beyond float precision sorts exactly
    assert big.sort(descending=True).indices.tolist() == [0, 1, 2]
    assert saessak.tensor([True, False, True]).sort(descending=True).indices.tolist() == [0, 2, 1]


def test_nan_sorts_as_the_largest_value():
    check_op(lambda lib, x: x.sort(1).indices, NANS, grad=False)
    check_op(lambda lib, x: x.sort(1, descending=True).indices, NANS, grad=False)
    check_op(lambda lib, x: x.topk(2).indices, NANS, grad=False)
    check_op(lambda lib, x: x.median(1).indices, NANS, grad=False)
    check_op(lambda lib, x: x.median(), NANS, grad=False)


@pytest.mark.parametrize("k", [0, 1, 2, 5])
def test_topk(k):
    check_op(lambda lib, x: x.topk(k, 1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.topk(k, 1, largest=False).values, (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.topk(k).indices, (3, 5), grad=False)


def test_topk_on_long_rows_uses_the_partition_path():
    check_op(lambda lib, x: x.topk(3, 1).values, (4, 40), gradgrad=False)
    check_op(lambda lib, x: x.topk(3, 0, largest=False).indices, (40, 4), grad=False)


def test_kthvalue_median_mode():
    check_op(lambda lib, x: x.kthvalue(2, 1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.kthvalue(3, 0, keepdim=True).indices, (3, 5), grad=False)
    check_op(lambda lib, x: x.median(1).values, (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.median(0, keepdim=True)[0], (4, 5), gradgrad=False)
    check_op(lambda lib, x: x.median(), (3, 4), gradgrad=False)
    check_op(lambda lib, x: x.median(1).indices, TIES, grad=False)
    check_op(lambda lib, x: x.mode(1)[0], TIES, numerical=False)
    check_op(lambda lib, x: x.mode(1).indices, TIES, grad=False)
    check_op(lambda lib, x: x.mode(0, keepdim=True).indices, TIES, grad=False)
    check_op(lambda lib, x: lib.mode(x).values, np.array([[3, 1, 3, 1, 2], [0, 0, 0, 5, 5]]), grad=False)


def test_median_of_all_is_the_lower_median():
    assert saessak.tensor([4.0, 1.0, 3.0, 2.0]).median().item() == 2.0
    assert saessak.tensor([[1, 9], [5, 7]]).median().item() == 5


def test_grad_fn_names_and_named_tuples():
    x = saessak.randn(3, 4, requires_grad=True)
    assert x.sort().values.grad_fn.name() == "SortBackward0"
    assert x.sort(stable=True).values.grad_fn.name() == "SortBackward1"
    assert x.topk(2).values.grad_fn.name() == "TopkBackward0"
    assert x.kthvalue(2).values.grad_fn.name() == "KthvalueBackward0"
    assert x.median().grad_fn.name() == "MedianBackward0" and x.median(0)[0].grad_fn.name() == "MedianBackward1"
    assert x.mode(1).values.grad_fn.name() == "ModeBackward0"
    result = saessak.tensor([3, 1, 2]).sort()
    assert repr(result) == "torch.return_types.sort(\nvalues=tensor([1, 2, 3]),\nindices=tensor([1, 2, 0]))"
    assert type(saessak.tensor([1.0]).kthvalue(1)).__name__ == "kthvalue"


def test_zero_dim_inputs():
    scalar = saessak.tensor(3.0)
    assert scalar.sort().values.item() == 3.0 and scalar.sort().indices.item() == 0
    assert scalar.topk(1).values.item() == 3.0 and scalar.kthvalue(1).indices.item() == 0
    assert scalar.median().item() == 3.0 and scalar.mode().values.item() == 3.0


def test_unique():
    values, inverse, counts = saessak.unique(saessak.tensor([3, 1, 2, 3, 1]), return_inverse=True, return_counts=True)
    assert values.tolist() == [1, 2, 3] and inverse.tolist() == [2, 0, 1, 2, 0] and counts.tolist() == [2, 1, 2]
    check_op(lambda lib, x: lib.unique(x, return_inverse=True)[1], np.array([[3, 1], [1, 2]]), grad=False)
    rows = saessak.tensor([[1, 2], [1, 2], [0, 1]])
    assert rows.unique(dim=0).tolist() == [[0, 1], [1, 2]]
    check_op(lambda lib, x: lib.unique(x, dim=1, return_inverse=True, return_counts=True),
             np.array([[1, 0, 1], [2, 5, 2]]), grad=False)


def test_unique_consecutive():
    check_op(lambda lib, x: lib.unique_consecutive(x, return_inverse=True, return_counts=True),
             np.array([1, 1, 2, 2, 3, 1]), grad=False)
    check_op(lambda lib, x: lib.unique_consecutive(x, dim=0, return_inverse=True, return_counts=True),
             np.array([[1, 1], [1, 1], [2, 1]]), grad=False)


def test_errors():
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        saessak.ones(3).topk(4)
    with pytest.raises(RuntimeError, match="kthvalue\\(\\): selected number k out of range for dimension 0"):
        saessak.ones(3).kthvalue(0)
    with pytest.raises(IndexError, match="median\\(\\): Expected reduction dim 0 to have non-zero size"):
        saessak.zeros(0, 2).median(0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        saessak.ones(2, 3).sort(2)


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(1, 3), n=st.integers(1, 12), dim=st.sampled_from([0, 1]), descending=st.booleans(),
       seed=st.integers(0, 1000))
def test_sort_agrees_with_a_stable_numpy_sort(rows, n, dim, descending, seed):
    data = np.random.default_rng(seed).integers(0, 4, (rows, n))  # small range: many ties
    result = saessak.tensor(data).sort(dim, descending=descending, stable=True)
    key = -data if descending else data
    expected = np.argsort(key, axis=dim, kind="stable")
    assert result.indices.tolist() == expected.tolist()
    assert result.values.tolist() == np.take_along_axis(data, expected, axis=dim).tolist()


QUANTILE_DATA = np.array([[1.0, 2.0, 3.0, 4.0, 0.5], [5.0, 6.0, 7.0, np.nan, 2.0], [np.nan] * 5])


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_matches_torch(interpolation):
    q = np.array([0.1, 0.35, 0.5, 0.9])
    check_op(lambda lib, x, q: x.quantile(q, 1, interpolation=interpolation), (3, 5), q, grad=(True, False),
             gradgrad=False)
    check_op(lambda lib, x: x.quantile(0.3, 0, keepdim=True, interpolation=interpolation), (4, 3), gradgrad=False)
    check_op(lambda lib, x: lib.quantile(x, 0.7, interpolation=interpolation), (2, 3), gradgrad=False)


def test_quantile_nan_rules():
    q = np.array([0.25, 0.5])
    check_op(lambda lib, x: x.quantile(0.3, dim=1), QUANTILE_DATA, grad=False)
    check_op(lambda lib, x, q: x.nanquantile(q, dim=1, keepdim=True), QUANTILE_DATA, q, grad=False)
    check_op(lambda lib, x, q: lib.nanquantile(x, q), QUANTILE_DATA, q, grad=False)


def test_quantile_errors():
    with pytest.raises(RuntimeError, match="q must be in the range \\[0, 1\\] but got 1.5"):
        saessak.ones(3).quantile(1.5)
    with pytest.raises(RuntimeError, match="input tensor must be either float or double dtype"):
        saessak.tensor([1, 2]).quantile(0.5)
    with pytest.raises(RuntimeError, match="q tensor must be same dtype as the input tensor"):
        saessak.ones(3, dtype=saessak.float64).quantile(saessak.tensor([0.5]))


def test_nanmedian_matches_torch():
    data = np.vstack([QUANTILE_DATA, [np.nan, 1.0, np.nan, 2.0, 3.0]])
    check_op(lambda lib, x: x.nanmedian(1).values, data, grad=False)
    check_op(lambda lib, x: x.nanmedian(1, keepdim=True).indices, data, grad=False)
    check_op(lambda lib, x: lib.nanmedian(x), data, grad=False)
    check_op(lambda lib, x: x.nanmedian(0)[0], (3, 4), gradgrad=False)
    assert type(saessak.ones(2, 2).nanmedian(0)).__name__ == "nanmedian"
