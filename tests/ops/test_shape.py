import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op


def test_view_like_ops_match_torch():
    check_op(lambda lib, x: x.view(4, 6), (2, 3, 4))
    check_op(lambda lib, x: x.view(-1), (2, 3, 4))
    check_op(lambda lib, x: x.reshape(3, -1), (2, 3, 4))
    check_op(lambda lib, x: x.transpose(0, 2).reshape(-1), (2, 3, 4))
    check_op(lambda lib, x: x.flatten(1), (2, 3, 4))
    check_op(lambda lib, x: x.unflatten(1, (3, 1)), (2, 3, 4))
    check_op(lambda lib, x: x.squeeze(), (2, 1, 3, 1))
    check_op(lambda lib, x: x.squeeze(1), (2, 1, 3))
    check_op(lambda lib, x: x.unsqueeze(-1), (2, 3))
    check_op(lambda lib, x: x.permute(2, 0, 1), (2, 3, 4))
    check_op(lambda lib, x: x.t(), (2, 3))
    check_op(lambda lib, x: x.T, (3, 4))
    check_op(lambda lib, x: x.mT, (2, 3, 4))
    check_op(lambda lib, x: x.movedim(0, -1), (2, 3, 4))
    check_op(lambda lib, x: x.expand(3, 2, 4), (2, 1))
    check_op(lambda lib, x: x.expand(-1, 5), (2, 1))
    check_op(lambda lib, x: x.narrow(1, 1, 2), (2, 4))
    check_op(lambda lib, x: x.diagonal(), (3, 3))
    check_op(lambda lib, x: x.diagonal(1, 1, 2), (2, 3, 4))
    check_op(lambda lib, x: x.unfold(1, 2, 1), (2, 5))


def test_copying_shape_ops_match_torch():
    check_op(lambda lib, x: x.repeat(2, 3), (2, 3))
    check_op(lambda lib, x: x.repeat(2, 1, 1), (2, 3))
    check_op(lambda lib, x: x.tile((2,)), (2, 3))
    check_op(lambda lib, x: x.flip(0), (2, 3))
    check_op(lambda lib, x: x.flip(0, 1), (2, 3))
    check_op(lambda lib, x: x.roll(1, 1), (2, 3))
    check_op(lambda lib, x: x.roll((1, -1), (0, 1)), (2, 3))
    check_op(lambda lib, x: x.tril(), (3, 3))
    check_op(lambda lib, x: x.triu(1), (3, 4))
    check_op(lambda lib, x: lib.diag(x), (3,))
    check_op(lambda lib, x: lib.diag(x), (3, 3))
    check_op(lambda lib, x: lib.diag_embed(x), (2, 3))
    check_op(lambda lib, x: x.trace(), (3, 3))
    check_op(lambda lib, x: x.repeat_interleave(2, 0), (2, 3))
    check_op(lambda lib, x: x.clone(), (2, 3))


def test_views_share_memory_and_version_counter():
    x = saessak.zeros(2, 3)
    for view in (x.view(-1), x.reshape(6), x.t(), x.unsqueeze(0), x.narrow(1, 0, 2), x[0], x.expand(2, 2, 3)):
        assert np.shares_memory(view.numpy(), x.numpy())
        assert view._version == x._version
    v = x.view(-1)
    v[0] = 5.0
    assert x[0, 0].item() == 5.0
    assert x._version == v._version == 1
    x.t()[2, 1] = 7.0
    assert x[1, 2].item() == 7.0


def test_view_on_non_contiguous_raises_like_torch():
    x = saessak.zeros(3, 4).t()
    assert not x.is_contiguous()
    with pytest.raises(RuntimeError, match="view size is not compatible.*Use .reshape"):
        x.view(12)
    y = x.reshape(12)  # reshape copies only when it must
    assert not np.shares_memory(y.numpy(), x.numpy())
    z = saessak.zeros(3, 4).reshape(2, 6)
    assert z._base is not None


def test_reshape_errors_name_the_shapes():
    with pytest.raises(RuntimeError, match=r"shape '\[4, 4\]' is invalid for input of size 6"):
        saessak.zeros(2, 3).reshape(4, 4)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        saessak.zeros(2, 3).view(-1, -1)


def test_in_place_metadata_ops():
    x = saessak.zeros(2, 1, 3)
    x.squeeze_()
    assert x.shape == (2, 3)
    x.unsqueeze_(0)
    assert x.shape == (1, 2, 3)
    x.transpose_(0, 2)
    assert x.shape == (3, 2, 1)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.randoms())
def test_permute_and_reshape_round_trip(shape, random):
    data = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    x = saessak.tensor(data)
    order = list(range(len(shape)))
    random.shuffle(order)
    back = x.permute(*order).permute(*np.argsort(order).tolist())
    np.testing.assert_array_equal(back.numpy(), data)
    np.testing.assert_array_equal(x.reshape(-1).numpy(), data.reshape(-1))
    np.testing.assert_array_equal(x.permute(*order).numpy(), data.transpose(order))


def test_as_strided_matches_torch_values():
    x = saessak.arange(9.0)
    y = x.as_strided((2, 2), (3, 1), 1)
    assert y.tolist() == [[1.0, 2.0], [4.0, 5.0]]
