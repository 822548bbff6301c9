import numpy as np
import pytest

import saessak
from tests.helpers import check_op


def _t(lib, array):
    return lib.tensor(array)


def test_masked_fill_matches_torch():
    mask = np.array([True, False, True, False])
    check_op(lambda lib, x: x.masked_fill(_t(lib, mask), -1.5), (3, 4))
    check_op(lambda lib, x, v: x.masked_fill(_t(lib, mask), v), (3, 4), ())
    check_op(lambda lib, x: lib.masked_fill(x, _t(lib, np.ones((2, 1, 4), dtype=bool)), 2.0), (3, 4))
    x = saessak.ones(2, 2)
    assert x.masked_fill(saessak.tensor([[True, False], [False, True]]), 0.0).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    y = saessak.tensor(2.0, requires_grad=True)
    assert x.masked_fill(saessak.tensor([True, False]), y).grad_fn.name() == "MaskedFillBackward1"


def test_masked_fill_inplace_and_errors():
    x = saessak.zeros(2, 3)
    x.masked_fill_(saessak.tensor([True, False, True]), 4)
    assert x.tolist() == [[4.0, 0.0, 4.0]] * 2 and x._version == 1
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks, but got mask with dtype"):
        x.masked_fill(saessak.ones(3), 1.0)
    with pytest.raises(RuntimeError, match="only supports a 0-dimensional value tensor"):
        x.masked_fill(saessak.tensor([True, False, True]), saessak.ones(2))
    with pytest.raises(RuntimeError, match="The size of tensor a"):
        x.masked_fill(saessak.tensor([True, False]), 1.0)
    with pytest.raises(RuntimeError, match=r"output with shape \[2, 3\] doesn't match the broadcast shape"):
        x.masked_fill_(saessak.ones(2, 2, 3, dtype=saessak.bool), 1.0)


def test_masked_select_and_scatter_match_torch():
    mask = np.array([[True, False, True], [False, True, True]])
    check_op(lambda lib, x: x.masked_select(_t(lib, mask)), (2, 3))
    check_op(lambda lib, x: lib.masked_select(x, _t(lib, mask[0])), (2, 3))
    check_op(lambda lib, x, s: x.masked_scatter(_t(lib, mask), s), (2, 3), (2, 4))
    with pytest.raises(RuntimeError, match="Number of elements of source < number of ones in mask"):
        saessak.zeros(2, 3).masked_scatter(saessak.tensor(mask), saessak.ones(2))


@pytest.mark.parametrize("shape, wrap", [((3, 3), False), ((2, 4), False), ((7, 3), True), ((7, 3), False),
                                         ((3, 3, 3), False)])
def test_fill_diagonal_matches_torch_with_gradients(shape, wrap):
    check_op(lambda lib, x: (x * 1).fill_diagonal_(2.5, wrap=wrap), shape)


def test_fill_diagonal_errors():
    with pytest.raises(RuntimeError, match="dimensions must larger than 1"):
        saessak.ones(3).fill_diagonal_(1)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        saessak.ones(2, 3, 2).fill_diagonal_(1)
