import numpy as np
import pytest

import saessak
from tests.helpers import check_op


def test_meshgrid_and_products_match_torch():
    check_op(lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"), (3,), (2,))
    check_op(lambda lib, a, b: lib.meshgrid(a, b, indexing="xy"), (3,), (2,))
    check_op(lambda lib, a, b: lib.cartesian_prod(a, b), (3,), (2,))
    check_op(lambda lib, a, b: lib.block_diag(a, b), (2, 2), (1, 3))


def test_diff_cdist_cross_match_torch():
    check_op(lambda lib, x: lib.diff(x), (3, 5))
    check_op(lambda lib, x: lib.diff(x, n=2, dim=0), (4, 3))
    check_op(lambda lib, a, b: lib.cdist(a, b), (4, 3), (5, 3), gradgrad=False)
    check_op(lambda lib, a, b: lib.cdist(a, b, p=1), (4, 3), (5, 3), gradgrad=False)
    check_op(lambda lib, a, b: lib.cross(a, b, dim=1), (2, 3), (2, 3))
    check_op(lambda lib, a, b: lib.linalg.cross(a, b), (2, 3), (2, 3))


def test_composite_pointwise_match_torch():
    check_op(lambda lib, a, b: lib.logaddexp(a, b), (3, 4), (4,))
    check_op(lambda lib, a, b: lib.hypot(a, b), (3, 4), (3, 4))
    rng = np.random.default_rng(0)
    check_op(lambda lib, a, b: lib.xlogy(a, b), rng.standard_normal((3,)), rng.uniform(0.5, 2.0, (3,)))
    assert saessak.logaddexp(saessak.tensor([1000.0]), saessak.tensor([1000.0])).isfinite().all()


def test_counting_matches_torch():
    check_op(lambda lib, x: lib.bincount(x), np.array([0, 1, 1, 3]), grad=False)
    check_op(lambda lib, x, w: lib.bincount(x, w, minlength=5), np.array([0, 1, 1, 3]), np.array([0.5, 1.0, 2.0, 3.0]),
             grad=False)
    check_op(lambda lib, x: lib.histc(x, bins=4, min=0, max=4), np.array([0.5, 1.5, 1.7, 3.9, 5.0]), grad=False)
    check_op(lambda lib, s, v: lib.searchsorted(s, v), np.array([1.0, 3.0, 5.0]), np.array([0.0, 3.0, 6.0]), grad=False)
    check_op(lambda lib, v, s: lib.bucketize(v, s, right=True), np.array([0.0, 3.0, 6.0]), np.array([1.0, 3.0, 5.0]),
             grad=False)


def test_combinations_match_torch_with_gradients():
    check_op(lambda lib, x: lib.combinations(x), (4,))
    check_op(lambda lib, x: lib.combinations(x, r=3), (4,))
    check_op(lambda lib, x: lib.combinations(x, with_replacement=True), (3,))
    check_op(lambda lib, x: lib.combinations(x, r=5), np.arange(3), grad=False)
    check_op(lambda lib, x: lib.combinations(x, r=0), np.arange(3), grad=False)


def test_combinations_errors():
    with pytest.raises(RuntimeError, match=r"Expect a 1D vector, but got shape \[2, 2\]"):
        saessak.combinations(saessak.ones(2, 2))
    with pytest.raises(RuntimeError, match="Expect a non-negative number, but got -1"):
        saessak.combinations(saessak.ones(3), r=-1)
