import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op


def test_cat_stack_and_friends_match_torch():
    check_op(lambda lib, a, b: lib.cat([a, b], 1), (2, 3), (2, 2))
    check_op(lambda lib, a, b: lib.cat((a, b)), (2, 3), (1, 3))
    check_op(lambda lib, a, b: lib.stack([a, b], 1), (2, 3), (2, 3))
    check_op(lambda lib, a, b: lib.hstack([a, b]), (2, 3), (2, 1))
    check_op(lambda lib, a, b: lib.vstack([a, b]), (3,), (3,))
    check_op(lambda lib, a, b: lib.dstack([a, b]), (2, 3), (2, 3))
    check_op(lambda lib, a, b: lib.column_stack([a, b]), (3,), (3,))


def test_split_chunk_unbind_match_torch():
    check_op(lambda lib, x: x.split(2, 1), (2, 5))
    check_op(lambda lib, x: x.split([1, 4], 1), (2, 5))
    check_op(lambda lib, x: x.chunk(3, 1), (2, 5))
    check_op(lambda lib, x: x.unbind(1), (2, 3))
    check_op(lambda lib, x: x.tensor_split(3, 1), (2, 5))
    check_op(lambda lib, x: x.tensor_split([1, 3], 1), (2, 5))
    check_op(lambda lib, x: [row * 2 for row in x], (3, 2))


def test_cat_promotes_dtypes_and_reports_mismatches():
    out = saessak.cat([saessak.tensor([1, 2]), saessak.tensor([0.5])])
    assert out.dtype == saessak.float32 and out.tolist() == [1.0, 2.0, 0.5]
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 1. Expected size 2 but got "
                                           "size 3 for tensor number 1 in the list."):
        saessak.cat([saessak.zeros(2, 2), saessak.zeros(3, 2)], 1)
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        saessak.stack([saessak.zeros(2), saessak.zeros(3)])


def test_split_pieces_are_views():
    x = saessak.zeros(4, 2)
    a, b = x.split(2)
    a[0, 0] = 3.0
    assert x[0, 0].item() == 3.0


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.integers(1, 3))
def test_split_then_cat_round_trips(rows, cols, size):
    data = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols)
    x = saessak.tensor(data)
    pieces = x.split(size, 1)
    assert [p.shape[1] for p in pieces] == [len(r) for r in np.array_split(np.arange(cols), range(size, cols, size))]
    np.testing.assert_array_equal(saessak.cat(pieces, 1).numpy(), data)
