import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch


# ---------------------------------------------------------------- against torch: values and gradients
@pytest.mark.parametrize("fn, shape", [
    (lambda lib, x: x.view(4, 6), (2, 3, 4)),
    (lambda lib, x: x.view(-1), (2, 3, 4)),
    (lambda lib, x: x.view((3, -1)), (2, 3, 4)),
    (lambda lib, x: x.t().view(3, 1, 2), (2, 3)),
    (lambda lib, x: x.reshape(3, -1), (2, 3, 4)),
    (lambda lib, x: lib.reshape(x, (4, 6)), (2, 3, 4)),
    (lambda lib, x: x.transpose(0, 2).reshape(-1), (2, 3, 4)),
    (lambda lib, x: x.permute(1, 0, 2).reshape(3, 2, 2, 2), (2, 3, 4)),
    (lambda lib, x: x.reshape(()), (1, 1)),
    (lambda lib, x: x.flatten(1), (2, 3, 4)),
    (lambda lib, x: x.flatten(0, 1), (2, 3, 4)),
    (lambda lib, x: lib.flatten(x), np.array(1.5)),
    (lambda lib, x: x.unflatten(1, (3, 1)), (2, 3, 4)),
    (lambda lib, x: lib.unflatten(x, -1, (2, -1)), (2, 3, 4)),
    (lambda lib, x: x.squeeze(), (2, 1, 3, 1)),
    (lambda lib, x: x.squeeze(1), (2, 1, 3)),
    (lambda lib, x: x.squeeze(0), (2, 1, 3)),
    (lambda lib, x: x.squeeze((1, -1)), (2, 1, 3, 1)),
    (lambda lib, x: x.unsqueeze(-1), (2, 3)),
    (lambda lib, x: x.unsqueeze(1), (2, 3)),
    (lambda lib, x: x.permute(2, 0, 1), (2, 3, 4)),
    (lambda lib, x: lib.permute(x, (1, 2, 0)), (2, 3, 4)),
    (lambda lib, x: x.transpose(-1, 0), (2, 3, 4)),
    (lambda lib, x: lib.swapaxes(x, 0, 1), (2, 3)),
    (lambda lib, x: x.t(), (2, 3)),
    (lambda lib, x: x.t(), (3,)),
    (lambda lib, x: x.T, (3, 4)),
    (lambda lib, x: x.mT, (2, 3, 4)),
    (lambda lib, x: x.movedim(0, -1), (2, 3, 4)),
    (lambda lib, x: lib.movedim(x, (0, 2), (2, 0)), (2, 3, 4)),
    (lambda lib, x: x.expand(3, 2, 4), (2, 1)),
    (lambda lib, x: x.expand(-1, 5), (2, 1)),
    (lambda lib, x: x.expand_as(lib.zeros(2, 2, 3, dtype=x.dtype)), (3,)),
    (lambda lib, x: lib.broadcast_to(x, (2, 3, 4)), (3, 1)),
    (lambda lib, x: x.narrow(1, 1, 2), (2, 4)),
    (lambda lib, x: lib.narrow(x, -1, -3, 2), (2, 4)),
    (lambda lib, x: x.narrow(0, 1, 2).narrow(1, 1, 1), (3, 4)),
])
def test_views_match_torch(fn, shape):
    check_op(fn, shape)


def test_two_input_views_match_torch():
    check_op(lambda lib, x, y: lib.broadcast_tensors(x, y), (2, 1), (3,))
    check_op(lambda lib, x, y: x.expand(2, 3) * y.view(2, 3), (1, 3), (6,))


@pytest.mark.parametrize("fn, shape", [
    (lambda lib, x: x.repeat(2, 3), (2, 3)),
    (lambda lib, x: x.repeat(2, 1, 1), (2, 3)),
    (lambda lib, x: x.repeat(1, 0), (2, 3)),
    (lambda lib, x: x.tile((2,)), (2, 3)),
    (lambda lib, x: lib.tile(x, (2, 1, 2)), (2, 3)),
    (lambda lib, x: x.repeat_interleave(2), (2, 3)),
    (lambda lib, x: x.repeat_interleave(3, 1), (2, 3)),
    (lambda lib, x: lib.repeat_interleave(x, lib.tensor([1, 0, 2]), dim=1), (2, 3)),
    (lambda lib, x: x.repeat_interleave(lib.tensor([2]), dim=0), (2, 3)),
    (lambda lib, x: x.flip(0), (2, 3)),
    (lambda lib, x: x.flip(0, -1), (2, 3, 2)),
    (lambda lib, x: lib.flip(x, dims=(1,)), (2, 3)),
    (lambda lib, x: lib.fliplr(x), (2, 3)),
    (lambda lib, x: lib.flipud(x), (2, 3)),
    (lambda lib, x: x.roll(1, 1), (2, 3)),
    (lambda lib, x: x.roll(4), (2, 3)),
    (lambda lib, x: x.roll((1, -1), (0, 1)), (2, 3)),
    (lambda lib, x: lib.roll(x, -2, -1), (2, 3, 4)),
    (lambda lib, x: x.clone(), (2, 3)),
    (lambda lib, x: x.t().clone() * 2, (2, 3)),
    (lambda lib, x: x.t().contiguous(), (2, 3)),
    (lambda lib, x: lib.atleast_1d(x), np.array(2.0)),
    (lambda lib, x: lib.atleast_2d(x), (3,)),
    (lambda lib, x: lib.atleast_3d(x), (3,)),
    (lambda lib, x: lib.atleast_3d(x), (2, 3)),
    (lambda lib, x: lib.atleast_3d([x, x.sum()]), (2, 3)),
])
def test_copying_shape_ops_match_torch(fn, shape):
    check_op(fn, shape)


@requires_torch
@pytest.mark.parametrize("expression", [
    "x.view(-1)", "x.reshape(3, 2)", "x.t().reshape(-1)", "x.t().reshape(3, 1, 2)", "x.flatten()",
    "x.unflatten(1, (3, 1))", "x.squeeze()", "x.squeeze(0)", "x.squeeze((0,))", "x.unsqueeze(0)", "x.t()",
    "x[0].t()", "x.T", "x.mT", "x.permute(1, 0)", "x.transpose(0, 1)", "x.movedim(0, 1)", "x.expand(2, 2, 3)",
    "x.expand_as(x)", "x.repeat(2, 1)", "x.tile(2)", "x.repeat_interleave(2, 1)",
    "x.repeat_interleave(lib.tensor([1, 2]), 0)", "x.narrow(1, 0, 2)", "x.flip(0)", "x.roll(1)", "x.clone()",
    "x.t().contiguous()", "lib.atleast_2d(x[0])", "lib.atleast_3d(x)", "lib.atleast_1d(x[0, 0])",
])
def test_grad_fn_names_match_torch(expression):
    names = []
    for lib in (saessak, torch):
        x = lib.zeros(2, 3, dtype=lib.float64, requires_grad=True)
        names.append(type(eval(expression, {"lib": lib, "x": x}).grad_fn).__name__)
    assert names[0] == names[1]


# ---------------------------------------------------------------- views share memory and versions
@pytest.mark.parametrize("make_view", [
    lambda x: x.view(-1), lambda x: x.reshape(6), lambda x: x.view(3, 2), lambda x: x.t(), lambda x: x.T,
    lambda x: x.unsqueeze(0), lambda x: x.unsqueeze(0).squeeze(0), lambda x: x.permute(1, 0),
    lambda x: x.transpose(0, 1), lambda x: x.movedim(1, 0), lambda x: x.narrow(1, 0, 2), lambda x: x[0],
    lambda x: x.flatten(), lambda x: x.unflatten(1, (1, 3)), lambda x: x.t().reshape(3, 1, 2),
])
def test_views_share_memory_and_version_counter(make_view):
    x = saessak.arange(6.0).reshape(2, 3)
    view = make_view(x)
    assert np.shares_memory(view.numpy(), x.numpy())
    view[(0,) * view.ndim] = 50.0
    assert 50.0 in x.flatten().tolist()
    assert view._version == x._version == 1
    x.add_(1)
    assert view._version == 2


def test_expand_is_a_view_that_sees_changes_to_its_base():
    x = saessak.zeros(2, 1)
    e = x.expand(2, 3)
    assert np.shares_memory(e.numpy(), x.numpy())
    x.add_(1)
    assert e._version == x._version == 1
    assert e.tolist() == [[1.0] * 3] * 2
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e.add_(1)


def test_writing_through_a_view_changes_the_base():
    x = saessak.zeros(2, 3)
    x.view(-1)[0] = 5.0
    x.t()[2, 1] = 7.0
    x.unsqueeze(0)[0, 0, 1] = 3.0
    assert x.tolist() == [[5.0, 3.0, 0.0], [0.0, 0.0, 7.0]]
    assert x._version == 3


def test_view_on_non_contiguous_raises_like_torch():
    x = saessak.zeros(3, 4).t()
    assert not x.is_contiguous()
    with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's size and stride "
                                           r"\(at least one dimension spans across two contiguous subspaces\)\. "
                                           r"Use \.reshape\(\.\.\.\) instead\."):
        x.view(12)
    assert x.view(4, 1, 3).stride() == (1, 12, 4)  # inserting a size-1 dim needs no copy


def test_reshape_copies_only_when_it_must():
    x = saessak.arange(24.0).reshape(2, 3, 4)
    assert np.shares_memory(x.reshape(6, 4).numpy(), x.numpy())
    sliced = x[:, 1:]
    kept = sliced.reshape(2, 2, 2, 2)
    assert np.shares_memory(kept.numpy(), x.numpy()) and kept.stride() == (12, 4, 2, 1)
    copied = x.transpose(0, 2).reshape(-1)
    assert not np.shares_memory(copied.numpy(), x.numpy())
    assert copied.tolist() == x.numpy().transpose(2, 1, 0).reshape(-1).tolist()
    expanded = saessak.zeros(4, 1).expand(4, 5)
    assert expanded.reshape(2, 2, 5).stride() == (2, 1, 0)


@requires_torch
def test_clone_keeps_the_layout_and_contiguous_makes_it_c_order():
    for make in (lambda lib: lib.zeros(3, 4).t(), lambda lib: lib.zeros(3, 4)[:, ::2],
                 lambda lib: lib.zeros(3, 4).expand(2, 3, 4), lambda lib: lib.zeros(3, 4).t()[::2]):
        ours, theirs = make(saessak), make(torch)
        assert ours.clone().stride() == theirs.clone().stride()
        assert ours.contiguous().stride() == theirs.contiguous().stride()
    x = saessak.zeros(2, 3)
    assert x.contiguous() is x
    assert not np.shares_memory(x.clone().numpy(), x.numpy())


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.reshape(4, 4), RuntimeError, r"shape '\[4, 4\]' is invalid for input of size 6"),
    (lambda x: x.view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda x: x.view(-2, 3), RuntimeError, r"invalid shape dimension -2 at index 0 of shape \[-2, 3\]"),
    (lambda x: x[:0].view(-1, 0), RuntimeError, "unspecified dimension size -1 can be any value and is ambiguous"),
    (lambda x: x.flatten(1, 0), RuntimeError, "start_dim cannot come after end_dim"),
    (lambda x: x.unflatten(1, (2, 2)), RuntimeError, r"Provided sizes \[2, 2\] don't multiply up to the size "
                                                       r"of dim 1 \(3\)"),
    (lambda x: x.squeeze(2), IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but "
                                          r"got 2\)"),
    (lambda x: x.permute(0), RuntimeError, r"input.dim\(\) = 2 is not equal to len\(dims\) = 1"),
    (lambda x: x.permute(0, 0), RuntimeError, "duplicate dims are not allowed"),
    (lambda x: x.t().unsqueeze(0).t(), RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D"),
    (lambda x: x.movedim((0, 1), (1,)), RuntimeError, r"source \(\[0, 1\] dims\) should contain the same number "
                                                       r"of dims as destination \(\[1\] dims\)"),
    (lambda x: x.movedim((0, 0), (0, 1)), RuntimeError, r"repeated dim in `source` \(\[0, 0\]\)"),
    (lambda x: x.expand(3), RuntimeError, r"the number of sizes provided \(1\) must be greater or equal to the "
                                           r"number of dimensions in the tensor \(2\)"),
    (lambda x: x.expand(3, 3), RuntimeError, r"The expanded size of the tensor \(3\) must match the existing size "
                                              r"\(2\) at non-singleton dimension 0.  Target sizes: \[3, 3\]"),
    (lambda x: x.expand(-1, 2, 3), RuntimeError, r"expanded size of the tensor \(-1\) isn't allowed in a leading"),
    (lambda x: x.repeat(2), RuntimeError, "Number of dimensions of repeat dims can not be smaller"),
    (lambda x: x.repeat(-1, 1), RuntimeError, r"negative dimension -2: \[-2, 3\]"),
    (lambda x: x.repeat_interleave(-1), RuntimeError, "Repeats must be non-negative"),
    (lambda x: x.repeat_interleave(saessak.tensor([1, 2, 3]), 0), RuntimeError,
     r"repeats.size\(0\) = 3 and input.size\(0\) = 2"),
    (lambda x: x.repeat_interleave(saessak.tensor([1.0, 2.0]), 0), RuntimeError, "has to be Long or Int tensor"),
    (lambda x: x.narrow(1, 0, -1), RuntimeError, "length must be non-negative"),
    (lambda x: x.narrow(0, -3, 1), IndexError, r"start out of range \(expected to be in range of \[-2, 2\], but "
                                                r"got -3\)"),
    (lambda x: x.narrow(1, 2, 2), RuntimeError, r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)"),
    (lambda x: x.flip(0, -2), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda x: x[0].fliplr(), RuntimeError, "Input must be >= 2-d"),
    (lambda x: x.roll((1, 2), 0), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:1"),
    (lambda x: x.roll(1, 2), IndexError, "Dimension out of range"),
    (lambda x: saessak.broadcast_tensors(x, saessak.zeros(2)), RuntimeError,
     r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1"),
    (lambda x: saessak.broadcast_shapes((2, 3), (2,)), RuntimeError,
     "Attempting to broadcast a dimension of length 2"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call(saessak.zeros(2, 3))


def test_broadcast_shapes():
    assert saessak.broadcast_shapes((2, 1), (3,), 1) == saessak.Size([2, 3])
    assert saessak.broadcast_shapes() == saessak.Size([])


def test_repeat_interleave_with_only_counts_gives_indices():
    out = saessak.repeat_interleave(saessak.tensor([1, 0, 3]))
    assert out.dtype == saessak.int64 and out.tolist() == [0, 2, 2, 2]


# ---------------------------------------------------------------- in-place metadata changes
def test_in_place_metadata_ops_change_the_tensor_itself():
    x = saessak.zeros(2, 1, 3)
    assert x.squeeze_() is x and x.shape == (2, 3)
    x.unsqueeze_(0)
    assert x.shape == (1, 2, 3)
    x.transpose_(0, 2)
    assert x.shape == (3, 2, 1) and x.stride() == (1, 3, 6)
    x.squeeze_(-1).t_()
    assert x.shape == (2, 3) and x.is_contiguous()
    assert x._version == 5


@requires_torch
def test_in_place_metadata_ops_keep_the_graph_like_torch():
    grads, names = [], []
    for lib in (saessak, torch):
        x = lib.arange(6.0, dtype=lib.float64).reshape(2, 3).requires_grad_()
        y = x * 2
        y.t_()
        step = [type(y.grad_fn).__name__]
        y.unsqueeze_(0)
        step.append(type(y.grad_fn).__name__)
        y.transpose_(0, 1)
        step.append(type(y.grad_fn).__name__)
        y.squeeze_(1)
        step.append(type(y.grad_fn).__name__)
        (y * lib.arange(6.0, dtype=lib.float64).reshape(3, 2)).sum().backward()
        grads.append(x.grad.tolist())
        names.append(step)
    assert grads[0] == grads[1]
    assert names[0] == names[1]


def test_in_place_metadata_ops_refuse_leaves_that_require_grad():
    x = saessak.zeros(2, 1, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        x.squeeze_()
    with saessak.no_grad():
        x.squeeze_()
    assert x.shape == (2,) and x.is_leaf


# ---------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.randoms())
def test_permute_and_reshape_round_trip(shape, random):
    data = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    x = saessak.tensor(data)
    order = list(range(len(shape)))
    random.shuffle(order)
    permuted = x.permute(*order)
    np.testing.assert_array_equal(permuted.numpy(), data.transpose(order))
    np.testing.assert_array_equal(permuted.permute(*np.argsort(order).tolist()).numpy(), data)
    sizes = list(shape)
    random.shuffle(sizes)
    np.testing.assert_array_equal(permuted.reshape(sizes).numpy(), data.transpose(order).reshape(sizes))
    np.testing.assert_array_equal(x.reshape(-1).reshape(shape).numpy(), data)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.randoms())
def test_view_succeeds_exactly_when_no_copy_is_needed(shape, random):
    data = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    order = list(range(len(shape)))
    random.shuffle(order)
    x = saessak.tensor(data).permute(*order)
    target = list(x.shape)
    random.shuffle(target)
    target = [int(np.prod(target[:2]))] + target[2:] if len(target) > 1 and random.random() < 0.5 else target
    try:
        expected = np.reshape(x.numpy(), target, copy=False)
    except ValueError:
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            x.view(target)
        return
    out = x.view(target)
    np.testing.assert_array_equal(out.numpy(), expected)
    assert np.shares_memory(out.numpy(), x.numpy())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=3), st.lists(st.sampled_from([1, 2, 3]), max_size=2),
       st.randoms())
def test_expand_agrees_with_numpy_broadcasting(shape, lead, random):
    target = lead + [s if s != 1 else random.choice([1, 4]) for s in shape]
    x = saessak.tensor(np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape))
    out = x.expand(*target)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(x.numpy(), target))
    assert saessak.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)


@pytest.mark.parametrize("k, dims", [(1, (0, 1)), (2, (0, 1)), (3, (0, 1)), (-1, (0, 1)), (5, (1, 0)), (0, (0, 1)),
                                     (1, (-1, 0))])
def test_rot90_matches_torch_with_gradients(k, dims):
    check_op(lambda lib, x: lib.rot90(x, k, dims), (2, 3, 2))
    check_op(lambda lib, x: x.rot90(k, dims), (3, 4))


def test_rot90_errors():
    with pytest.raises(RuntimeError, match="expected total dims >= 2, but got total dims = 1"):
        saessak.rot90(saessak.ones(3))
    with pytest.raises(RuntimeError, match="expected rotation dims to be different, but got dim0 = 0 and dim1 = 0"):
        saessak.rot90(saessak.ones(2, 2), 1, [0, 0])
    with pytest.raises(RuntimeError, match="expected total rotation dims == 2, but got dims = 1"):
        saessak.rot90(saessak.ones(2, 2), 1, [0])
