import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch

I = np.array  # noqa: E741 - integer index arrays read best short inside lambdas


def _t(lib, array):
    return lib.tensor(array)


# ---------------------------------------------------------------- x[index]: values and gradients vs torch
BASIC = [
    lambda x: x[1],
    lambda x: x[-1],
    lambda x: x[:, 2],
    lambda x: x[1:, ::2],
    lambda x: x[0, 1:3],
    lambda x: x[None, ..., 1],
    lambda x: x[..., None],
    lambda x: x[-2:, -3:-1],
    lambda x: x[1:10],  # stops past the end clip
    lambda x: x[1, 2],
]


@pytest.mark.parametrize("index_fn", BASIC)
def test_basic_indexing_matches_torch(index_fn):
    check_op(lambda lib, x: index_fn(x), (3, 4))


ADVANCED = [
    (lambda lib, x: x[_t(lib, I([0, 2, 0, 0]))], (3, 4)),  # repeated rows accumulate in backward
    (lambda lib, x: x[_t(lib, I([-1, 0]))], (3, 4)),
    (lambda lib, x: x[:, _t(lib, I([[1, 1], [3, 0]]))], (3, 4)),
    (lambda lib, x: x[_t(lib, I([0, 2])), _t(lib, I([1, 1]))], (3, 4)),
    (lambda lib, x: x[0, _t(lib, I([1, 2, 1]))], (3, 4)),  # ints act first, as selects
    (lambda lib, x: x[0, :, _t(lib, I([1, 2]))], (2, 3, 4)),  # ... so this is (3, 2), not NumPy's (2, 3)
    (lambda lib, x: x[_t(lib, I([1, 0])), :, _t(lib, I([2, 2]))], (2, 3, 4)),  # split advanced dims go first
    (lambda lib, x: x[None, _t(lib, I([1, 1]))], (3, 4)),
    (lambda lib, x: x[..., _t(lib, I([0, 2]))], (3, 4)),
    (lambda lib, x: x[[0, 1]], (3, 4)),
    (lambda lib, x: x[x > 0], (3, 4)),
    (lambda lib, x: x[_t(lib, I([True, False, True]))], (3, 4)),
    (lambda lib, x: x[1:, _t(lib, I([True, False, True, False]))], (3, 4)),
]


@pytest.mark.parametrize("index_fn, shape", ADVANCED)
def test_advanced_indexing_matches_torch(index_fn, shape):
    check_op(index_fn, shape)


def test_boolean_mask_over_several_dims_and_0d_tensor_index():
    mask = np.array([[True, False, True], [False, False, True]])
    check_op(lambda lib, x: x[_t(lib, mask)], (2, 3, 2))
    check_op(lambda lib, x: x[_t(lib, np.array(1))], (3, 2))
    check_op(lambda lib, x: x[True], (2, 2))


def test_indexing_results_have_torch_grad_fn_names():
    x = saessak.ones(3, 4, requires_grad=True)
    assert x[0].grad_fn.name() == "SelectBackward0"
    assert x[0, 1:].grad_fn.name() == "SliceBackward0"
    assert x[None].grad_fn.name() == "UnsqueezeBackward0"
    assert x[...].grad_fn.name() == "AliasBackward0"
    assert x[[0, 1]].grad_fn.name() == "IndexBackward0"


def test_repeated_indices_accumulate_and_double_backward():
    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x[saessak.tensor([0, 0, 2, 0])]
    (g,) = saessak.autograd.grad((y * y).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [6.0, 0.0, 6.0])
    (gg,) = saessak.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), [6.0, 0.0, 2.0])


# ---------------------------------------------------------------- views
def test_basic_indexing_is_a_view_sharing_memory_and_version():
    x = saessak.zeros(3, 4)
    row = x[1]
    assert row._base is x and row.data_ptr() == x.data_ptr() + 4 * x.element_size()
    row.add_(1.0)
    assert x[1].tolist() == [1.0] * 4
    x[0, 0] = 5.0
    assert x._version == row._version == 2
    col = x[:, 1:3][::2]
    col[...] = 7.0
    assert x.tolist() == [[5.0, 7.0, 7.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 7.0, 7.0, 0.0]]


def test_advanced_indexing_copies():
    x = saessak.zeros(3)
    y = x[[0, 1]]
    y[0] = 1.0
    assert x.tolist() == [0.0, 0.0, 0.0] and y._base is None


def test_setitem_on_a_view_writes_through_to_the_base():
    x = saessak.zeros(2, 3)
    view = x[1]
    view[0] = 5
    view[saessak.tensor([True, False, True])] = 2.0
    assert x.tolist() == [[0.0, 0.0, 0.0], [2.0, 0.0, 2.0]]


# ---------------------------------------------------------------- x[index] = v
SETITEMS = [
    (lambda lib, x, v: x.__setitem__(0, v), (4,)),
    (lambda lib, x, v: x.__setitem__((slice(None), 1), v), (3,)),
    (lambda lib, x, v: x.__setitem__((slice(None), 1), v), (1,)),  # broadcast
    (lambda lib, x, v: x.__setitem__(_t(lib, I([0, 2])), v), (2, 4)),
    (lambda lib, x, v: x.__setitem__((_t(lib, I([0, 2, 0])), _t(lib, I([1, 1, 3]))), v), (3,)),
    (lambda lib, x, v: x.__setitem__((Ellipsis, _t(lib, I([3]))), v), (3, 1)),
    (lambda lib, x, v: x.__setitem__((None, 1), v), (1, 1, 4)),  # extra leading 1s
]


@requires_torch
@pytest.mark.parametrize("assign, value_shape", SETITEMS)
def test_setitem_gradients_match_torch(assign, value_shape):
    rng = np.random.default_rng(0)
    base, value, weight = rng.standard_normal((3, 4)), rng.standard_normal(value_shape), rng.standard_normal((3, 4))
    grads = []
    for lib in (saessak, torch):
        leaf = lib.tensor(base, requires_grad=True)
        v = lib.tensor(value, requires_grad=True)
        x = leaf * 1.0
        assign(lib, x, v)
        (x * lib.tensor(weight)).sum().backward()
        grads.append((x.detach().numpy().copy(), leaf.grad.numpy(), v.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs)


@requires_torch
def test_setitem_with_bool_mask_and_number_matches_torch():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((3, 4))
    grads = []
    for lib in (saessak, torch):
        leaf = lib.tensor(base, requires_grad=True)
        x = leaf * 2.0
        x[x > 0] = 0.5
        (x * x).sum().backward()
        grads.append((x.detach().numpy().copy(), leaf.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs)


def test_setitem_records_copyslices_and_gradcheck():
    def assign(x, v):
        y = x * 1.0
        y[1:, ::2] = v
        y[saessak.tensor([0, 2])] = v[0, 0]  # overwrites part of the first write
        return y * y

    x = saessak.tensor(np.random.default_rng(2).standard_normal((3, 4)), requires_grad=True)
    v = saessak.tensor(np.random.default_rng(3).standard_normal((2, 2)), requires_grad=True)
    assert saessak.autograd.gradcheck(assign, (x, v))
    assert saessak.autograd.gradgradcheck(assign, (x, v))
    y = x * 1.0
    y[0] = 1.0
    assert y.grad_fn.name() == "CopySlices" and y._version == 1
    y[[0]] = 1.0
    assert y.grad_fn.name() == "IndexPutBackward0"


@requires_torch
def test_setitem_through_a_view_rebases_base_and_view():
    rng = np.random.default_rng(4)
    base, value = rng.standard_normal((3, 4)), rng.standard_normal(2)
    grads = []
    for lib in (saessak, torch):
        leaf = lib.tensor(base, requires_grad=True)
        v = lib.tensor(value, requires_grad=True)
        x = leaf * 1.0
        row = x[1]
        row[1:3] = v
        (x.sum() * 2 + (row * row).sum()).backward()
        grads.append((x.detach().numpy().copy(), leaf.grad.numpy(), v.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs)


def test_setitem_gives_grad_to_a_tensor_that_had_none():
    x = saessak.zeros(2, 3)
    v = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[1] = v
    assert x.requires_grad and x.grad_fn.name() == "CopySlices"
    (x * 2).sum().backward()
    assert v.grad.tolist() == [2.0, 2.0, 2.0]


def test_setitem_casts_and_works_under_no_grad_on_a_leaf():
    x = saessak.zeros(2, 3, dtype=saessak.int64)
    x[0] = 2.7
    assert x.tolist() == [[2, 2, 2], [0, 0, 0]] and x.dtype == saessak.int64
    leaf = saessak.ones(3, requires_grad=True)
    with saessak.no_grad():
        leaf[0] = 4.0
    assert leaf.tolist() == [4.0, 1.0, 1.0]


def test_setitem_errors():
    leaf = saessak.ones(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        leaf[0] = 1.0
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        leaf[[0]] = 1.0
    x = saessak.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"shape mismatch: value tensor of shape \[3\] cannot be broadcast to "
                                           r"indexing result of shape \[2, 4\]"):
        x[[0, 1]] = saessak.ones(3)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x[0] = saessak.ones(3)


# ---------------------------------------------------------------- index errors
@pytest.mark.parametrize("index, error, message", [
    (5, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((0, -5), IndexError, "index -5 is out of bounds for dimension 1 with size 4"),
    ((slice(None), [0, 7]), IndexError, "index 7 is out of bounds for dimension 1 with size 4"),
    ((0, 0, 0), IndexError, "too many indices for tensor of dimension 2"),
    (slice(None, None, -1), ValueError, "step must be greater than zero"),
    (1.0, IndexError, r"only integers, slices .* \(got float\)"),
    ((Ellipsis, Ellipsis), IndexError, "single ellipsis"),
])
def test_index_errors(index, error, message):
    with pytest.raises(error, match=message):
        saessak.zeros(3, 4)[index]


def test_indexing_a_0d_tensor():
    x = saessak.tensor(2.0)
    assert x[None].shape == (1,) and x[...].item() == 2.0
    with pytest.raises(IndexError, match="invalid index of a 0-dim tensor"):
        x[0]


def test_mask_and_dtype_errors():
    x = saessak.zeros(3, 4)
    with pytest.raises(IndexError, match=r"The shape of the mask \[2\] at index 0 does not match the shape of the "
                                         r"indexed tensor \[3, 4\] at index 0"):
        x[saessak.tensor([True, False])]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        x[saessak.tensor([1.0])]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_random_basic_slices_match_numpy(data):
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    index = []
    for size in shape:
        kind = data.draw(st.sampled_from(["int", "slice", "none"]))
        if kind == "int":
            index.append(data.draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            start = data.draw(st.none() | st.integers(-size - 1, size + 1))
            stop = data.draw(st.none() | st.integers(-size - 1, size + 1))
            index.append(slice(start, stop, data.draw(st.none() | st.integers(1, 3))))
        else:
            index.extend([None, slice(None)])  # None adds a dimension; the slice consumes this one
    array = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = saessak.tensor(array)
    view = x[tuple(index)]
    expected = array[tuple(index) + (Ellipsis,)]
    assert tuple(view.shape) == expected.shape
    np.testing.assert_array_equal(view.numpy(), expected)
    if view.numel():
        view[...] = -1.0  # writes land in the base, exactly where NumPy's view points
        array[tuple(index) + (Ellipsis,)] = -1.0
        np.testing.assert_array_equal(x.numpy(), array)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_random_integer_array_indexing_matches_numpy(data):
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dim = data.draw(st.integers(0, len(shape) - 1))
    picks = data.draw(st.lists(st.integers(-shape[dim], shape[dim] - 1), min_size=0, max_size=5))
    array = np.random.default_rng(0).standard_normal(shape)
    index = (slice(None),) * dim + (np.array(picks, dtype=np.int64),)
    out = saessak.tensor(array)[tuple(saessak.tensor(i) if isinstance(i, np.ndarray) else i for i in index)]
    np.testing.assert_array_equal(out.numpy(), array[index])


# ---------------------------------------------------------------- index_put
def test_index_put_matches_torch():
    rows, cols = np.array([0, 2, 0]), np.array([1, 1, 1])
    check_op(lambda lib, x, v: x.index_put((_t(lib, rows), _t(lib, cols)), v, accumulate=True), (3, 4), (3,))
    check_op(lambda lib, x, v: lib.index_put(x, (_t(lib, I([2, 0])),), v), (3, 4), (4,))


def test_index_put_inplace():
    x = saessak.zeros(4)
    x.index_put_((saessak.tensor([1, 1, 3]),), saessak.tensor([1.0, 2.0, 3.0]), accumulate=True)
    assert x.tolist() == [0.0, 3.0, 0.0, 3.0] and x._version == 1


# ---------------------------------------------------------------- take, put_, nonzero
def test_take_and_put_match_torch():
    check_op(lambda lib, x: lib.take(x, _t(lib, I([[0, 11], [-1, 0]]))), (3, 4))
    check_op(lambda lib, x, s: (x * 1.0).put_(_t(lib, I([1, 5, 1])), s, accumulate=True), (3, 4), (3,))
    check_op(lambda lib, x, s: (x * 1.0).put_(_t(lib, I([[1, 5]])), s), (3, 4), (1, 2))
    with pytest.raises(IndexError, match="out of range: tried to access index 12 on a tensor of 12 elements"):
        saessak.zeros(3, 4).take(saessak.tensor([12]))


def test_nonzero_and_argwhere():
    x = saessak.tensor([[0.0, 1.0], [2.0, 0.0]])
    assert saessak.nonzero(x).tolist() == [[0, 1], [1, 0]] and saessak.nonzero(x).dtype == saessak.int64
    rows, cols = x.nonzero(as_tuple=True)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]
    assert saessak.argwhere(x).tolist() == [[0, 1], [1, 0]]
    assert tuple(saessak.nonzero(saessak.tensor(3.0)).shape) == (1, 0)
    assert [t.tolist() for t in saessak.nonzero(saessak.tensor(3.0), as_tuple=True)] == [[0]]
