import numpy as np
import pytest

import saessak
from tests.helpers import check_op

TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])


@pytest.mark.parametrize("dim", [(), 0, -1, (0, 2), (2, 0, 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_amax_amin_match_torch(dim, keepdim):
    check_op(lambda lib, x: x.amax(dim, keepdim=keepdim), (2, 3, 4), gradgrad=False)
    check_op(lambda lib, x: lib.amin(x, dim, keepdim), (2, 3, 4), gradgrad=False)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_max_min_along_a_dim(dim):
    check_op(lambda lib, x: x.max(dim)[0], (3, 4), gradgrad=False)
    check_op(lambda lib, x: x.min(dim, keepdim=True).values, (3, 4), gradgrad=False)
    check_op(lambda lib, x: lib.max(x, dim).indices, (3, 4), grad=False)
    check_op(lambda lib, x: x.argmax(dim), (3, 4), grad=False)
    check_op(lambda lib, x: x.argmin(dim, keepdim=True), (3, 4), grad=False)


def test_whole_tensor_max_min_and_argmax():
    check_op(lambda lib, x: x.max(), (3, 4), gradgrad=False)
    check_op(lambda lib, x: lib.min(x), (3, 4), gradgrad=False)
    check_op(lambda lib, x: x.argmax(), (3, 4), grad=False)
    check_op(lambda lib, x: x.argmin(keepdim=True), (3, 4), grad=False)


def test_ties_share_the_gradient_like_torch():
    check_op(lambda lib, a: a.amax(1), TIES, numerical=False)
    check_op(lambda lib, a: a.amin(0), TIES, numerical=False)
    check_op(lambda lib, a: a.max(), TIES, numerical=False)
    # with a dim, the first index takes it all
    check_op(lambda lib, a: a.max(1).values, TIES, numerical=False)
    check_op(lambda lib, a: a.min(1).indices, TIES, grad=False)


def test_nan_wins_and_gets_the_gradient_of_a_whole_max():
    data = np.array([1.0, np.nan, 3.0])
    check_op(lambda lib, a: a.max(), data, numerical=False)
    check_op(lambda lib, a: a.argmax(), data, grad=False)
    check_op(lambda lib, a: a.reshape(1, 3).max(1).indices, data, grad=False)


def test_max_with_a_tensor_is_maximum():
    check_op(lambda lib, x, y: lib.max(x, y), (3, 4), (4,))
    check_op(lambda lib, x, y: lib.min(x, y), (3, 1), (1, 4))


def test_named_tuple_repr_and_fields_match_torch():
    result = saessak.tensor([[1, 5], [7, 2]]).max(1)
    assert result.values.tolist() == [5, 7] and result.indices.tolist() == [1, 0]
    values, indices = result
    assert values is result[0] and indices is result.indices
    assert type(result).__name__ == "max" and isinstance(result, tuple)
    assert repr(result) == "torch.return_types.max(\nvalues=tensor([5, 7]),\nindices=tensor([1, 0]))"
    x = saessak.tensor([1.0, 3.0], requires_grad=True)
    assert repr(x.min(0)) == ("torch.return_types.min(\nvalues=tensor(1., grad_fn=<MinBackward0>),\n"
                              "indices=tensor(0))")


def test_grad_fn_names_match_torch():
    x = saessak.randn(2, 3, requires_grad=True)
    assert x.max().grad_fn.name() == "MaxBackward1" and x.min().grad_fn.name() == "MinBackward1"
    assert x.max(1).values.grad_fn.name() == "MaxBackward0" and x.min(0)[0].grad_fn.name() == "MinBackward0"
    assert x.amax(1).grad_fn.name() == "AmaxBackward0" and x.amin().grad_fn.name() == "AminBackward0"
    assert not x.max(1).indices.requires_grad and not x.argmax().requires_grad


def test_dtypes_and_zero_dim():
    ints = saessak.tensor([[1, 5], [7, 2]])
    assert ints.max().dtype == saessak.int64 and ints.max().item() == 7
    assert ints.argmax().item() == 2 and ints.argmax().dtype == saessak.int64
    assert ints.amax(0).tolist() == [7, 5]
    scalar = saessak.tensor(4.0)
    assert scalar.max(0).values.item() == 4.0 and scalar.max(0).indices.item() == 0
    assert scalar.argmax(0).item() == 0 and scalar.argmax().item() == 0


def test_aminmax():
    result = saessak.aminmax(saessak.tensor([[3, 1], [2, 8]]), dim=0)
    assert result.min.tolist() == [2, 1] and result.max.tolist() == [3, 8]
    assert repr(saessak.tensor([3, 1]).aminmax()) == "torch.return_types.aminmax(\nmin=tensor(1),\nmax=tensor(3))"


def test_empty_inputs_raise_like_torch():
    empty = saessak.zeros(0, 3)
    with pytest.raises(RuntimeError, match="max\\(\\): Expected reduction dim to be specified for input.numel"):
        empty.max()
    with pytest.raises(RuntimeError, match="amin\\(\\): Expected reduction dim to be specified"):
        empty.amin()
    with pytest.raises(IndexError, match="amax\\(\\): Expected reduction dim 0 to have non-zero size"):
        empty.amax(0)
    with pytest.raises(IndexError, match="max\\(\\): Expected reduction dim 0 to have non-zero size"):
        empty.max(0)
    with pytest.raises(IndexError, match="argmax\\(\\): Expected reduction dim to be specified"):
        empty.argmax()
    assert empty.amax(1).shape == (0,) and empty.max(1).indices.shape == (0,) and empty.argmin(1).shape == (0,)


def test_dim_out_of_range():
    x = saessak.ones(2, 3)
    for call in (lambda: x.max(2), lambda: x.argmax(-3), lambda: x.amax((0, 5))):
        with pytest.raises(IndexError, match="Dimension out of range"):
            call()
