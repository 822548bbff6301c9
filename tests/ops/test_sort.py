import numpy as np

import saessak
from tests.helpers import check_op


def test_sort_and_topk_values_and_gradients():
    check_op(lambda lib, x: x.sort(1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.sort(0, descending=True)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.sort(1)[1], (3, 5), grad=False)
    check_op(lambda lib, x: x.topk(2, 1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.topk(2, 0, largest=False)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.topk(3)[1], (3, 5), grad=False)
    check_op(lambda lib, x: x.argsort(1, descending=True), (3, 5), grad=False)


def test_kthvalue_median_mode():
    check_op(lambda lib, x: x.kthvalue(2, 1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.kthvalue(2, 1, keepdim=True)[1], (3, 5), grad=False)
    check_op(lambda lib, x: x.median(1)[0], (3, 5), gradgrad=False)
    check_op(lambda lib, x: x.median(), (3, 4), gradgrad=False)
    ties = np.array([[1.0, 2.0, 2.0, 3.0], [4.0, 4.0, 1.0, 1.0]])
    check_op(lambda lib, x: x.mode(1)[0], ties, grad=False)
    check_op(lambda lib, x: x.mode(1)[1], ties, grad=False)


def test_sort_is_stable_for_ties():
    values, indices = saessak.tensor([2, 1, 2, 1]).sort()
    assert values.tolist() == [1, 1, 2, 2] and indices.tolist() == [1, 3, 0, 2]


def test_unique():
    values, inverse, counts = saessak.unique(saessak.tensor([3, 1, 2, 3, 1]), return_inverse=True, return_counts=True)
    assert values.tolist() == [1, 2, 3]
    assert inverse.tolist() == [2, 0, 1, 2, 0]
    assert counts.tolist() == [2, 1, 2]
    rows = saessak.tensor([[1, 2], [1, 2], [0, 1]]).unique(dim=0)
    assert rows.tolist() == [[0, 1], [1, 2]]


def test_topk_out_of_range_raises():
    import pytest

    with pytest.raises(RuntimeError, match="selected index k out of range"):
        saessak.ones(3).topk(4)
