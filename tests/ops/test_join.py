import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch


@pytest.mark.parametrize("fn, shapes", [
    (lambda lib, a, b: lib.cat([a, b], 1), [(2, 3), (2, 2)]),
    (lambda lib, a, b: lib.cat((a, b)), [(2, 3), (1, 3)]),
    (lambda lib, a, b: lib.cat([a, b, a], -1), [(2, 1, 2), (2, 1, 3)]),
    (lambda lib, a, b: lib.concat([a, b], dim=0), [(1, 3), (2, 3)]),
    (lambda lib, a, b: lib.concatenate([a, b], axis=1), [(2, 1), (2, 2)]),
    (lambda lib, a, b: lib.cat([a.t(), b], 0), [(2, 3), (1, 2)]),
    (lambda lib, a, b: lib.stack([a, b]), [(2, 3), (2, 3)]),
    (lambda lib, a, b: lib.stack([a, b], 1), [(2, 3), (2, 3)]),
    (lambda lib, a, b: lib.stack([a, b, b], -1), [(2, 3), (2, 3)]),
    (lambda lib, a, b: lib.hstack([a, b]), [(2, 3), (2, 1)]),
    (lambda lib, a, b: lib.hstack([a, b]), [(3,), (2,)]),
    (lambda lib, a, b: lib.vstack([a, b]), [(3,), (3,)]),
    (lambda lib, a, b: lib.vstack([a, b]), [(2, 3), (3,)]),
    (lambda lib, a, b: lib.dstack([a, b]), [(2, 3), (2, 3)]),
    (lambda lib, a, b: lib.column_stack([a, b]), [(3,), (3, 2)]),
])
def test_joining_matches_torch(fn, shapes):
    check_op(fn, *shapes)


@pytest.mark.parametrize("fn", [
    lambda lib, x: x.split(2, 1),
    lambda lib, x: x.split(5, 1),
    lambda lib, x: x.split([1, 4], 1),
    lambda lib, x: lib.split(x, [2, 0, 3], dim=-1),
    lambda lib, x: x.split(1)[1] * 3,
    lambda lib, x: x.chunk(3, 1),
    lambda lib, x: x.chunk(2),
    lambda lib, x: lib.chunk(x, 4, -1)[0],
    lambda lib, x: x.unbind(1),
    lambda lib, x: x.unbind()[1],
    lambda lib, x: x.tensor_split(3, 1),
    lambda lib, x: x.tensor_split([1, 3], 1),
    lambda lib, x: lib.tensor_split(x, (4, 1, -1), dim=1),
    lambda lib, x: [row * 2 for row in x],
    lambda lib, x: lib.cat(x.split(2, 1)[::-1], 1),
    lambda lib, x: lib.stack(x.unbind(1), 0),
])
def test_splitting_matches_torch(fn):
    check_op(fn, (2, 5))


@requires_torch
@pytest.mark.parametrize("expression", [
    "lib.cat([x, x])", "lib.cat([x])", "lib.stack([x, x])", "lib.hstack([x, x])", "lib.vstack([x, x])",
    "lib.dstack([x, x])", "x.split(2, 1)[0]", "x.split([1, 2], 1)[1]", "x.chunk(2, 1)[0]", "x.unbind(1)[0]",
    "x.tensor_split(2, 1)[0]", "list(x)[0]",
])
def test_grad_fn_names_match_torch(expression):
    names = []
    for lib in (saessak, torch):
        x = lib.zeros(2, 3, dtype=lib.float64, requires_grad=True)
        names.append(type(eval(expression, {"lib": lib, "x": x}).grad_fn).__name__)
    assert names[0] == names[1]


def test_cat_and_stack_promote_dtypes_and_gradients_keep_each_inputs_dtype():
    out = saessak.cat([saessak.tensor([1, 2]), saessak.tensor([0.5])])
    assert out.dtype == saessak.float32 and out.tolist() == [1.0, 2.0, 0.5]
    assert saessak.cat([saessak.tensor([True]), saessak.tensor([2], dtype=saessak.int32)]).dtype == saessak.int32
    x = saessak.ones(2, requires_grad=True)
    y = saessak.ones(2, dtype=saessak.float64, requires_grad=True)
    z = saessak.stack([x, y, saessak.tensor([1, 2])])
    assert z.dtype == saessak.float64
    z.sum().backward()
    assert x.grad.dtype == saessak.float32 and y.grad.dtype == saessak.float64
    assert x.grad.tolist() == [1.0, 1.0]


def test_cat_skips_legacy_empty_tensors_and_writes_out():
    x = saessak.arange(6.0).reshape(2, 3)
    assert saessak.cat([saessak.zeros(0), x, saessak.zeros(0)]).tolist() == x.tolist()
    out = saessak.empty(0)
    result = saessak.cat([saessak.ones(2), saessak.zeros(1)], out=out)
    assert result is out and out.tolist() == [1.0, 1.0, 0.0]
    stacked = saessak.zeros(2, 2)
    saessak.stack([saessak.ones(2), saessak.ones(2)], out=stacked)
    assert stacked.tolist() == [[1.0, 1.0], [1.0, 1.0]]


@pytest.mark.parametrize("call, error, message", [
    (lambda: saessak.cat([saessak.zeros(2, 2), saessak.zeros(3, 2)], 1), RuntimeError,
     r"Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in "
     r"the list."),
    (lambda: saessak.cat([saessak.zeros(2, 2), saessak.zeros(2)]), RuntimeError,
     "Tensors must have same number of dimensions: got 2 and 1"),
    (lambda: saessak.cat([]), ValueError, "expected a non-empty list of Tensors"),
    (lambda: saessak.cat(saessak.zeros(2, 2)), TypeError, "must be tuple of Tensors, not Tensor"),
    (lambda: saessak.cat([saessak.zeros(2), 1]), TypeError, "expected Tensor as element 1"),
    (lambda: saessak.cat([saessak.tensor(1.0)]), RuntimeError, r"zero-dimensional tensor \(at position 0\)"),
    (lambda: saessak.cat([saessak.zeros(2, 2)], 2), IndexError, "Dimension out of range"),
    (lambda: saessak.stack([saessak.zeros(2), saessak.zeros(3)]), RuntimeError,
     r"stack expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1"),
    (lambda: saessak.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (lambda: saessak.zeros(6).split([2, 5]), RuntimeError,
     r"split_with_sizes expects split_sizes to sum exactly to 6 .* but got split_sizes=\[2, 5\]"),
    (lambda: saessak.zeros(6).split(0), RuntimeError, "split_size can only be 0 if dimension size is 0"),
    (lambda: saessak.zeros(6).split(-1), RuntimeError, "split expects split_size be non-negative"),
    (lambda: saessak.zeros(6).chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    (lambda: saessak.zeros(6).tensor_split(0), RuntimeError, "number of sections must be larger than 0, got 0"),
    (lambda: saessak.zeros(6).tensor_split(saessak.tensor([1.5])), RuntimeError, "integer dtype"),
    (lambda: saessak.tensor(1.0).unbind(), IndexError, "tensor has no dimensions"),
    (lambda: iter(saessak.tensor(1.0)), TypeError, "iteration over a 0-d tensor"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_split_pieces_are_views_sharing_the_version_counter():
    x = saessak.zeros(4, 2)
    pieces = x.split(2) + x.chunk(2, 1) + x.unbind(1) + x.tensor_split(3)
    for piece in pieces:
        assert np.shares_memory(piece.numpy(), x.numpy())
    pieces[0][0, 0] = 3.0
    pieces[3][-1] = 4.0
    assert x[0, 0].item() == 3.0 and x[3, 1].item() == 4.0
    assert all(piece._version == x._version == 2 for piece in pieces)


def test_empty_dims_split_like_torch():
    assert [p.shape for p in saessak.zeros(0).chunk(2)] == [(0,), (0,)]
    assert [p.shape for p in saessak.zeros(0).split(0)] == [(0,)]
    assert saessak.zeros(3, 0).unbind(1) == ()
    assert [p.shape for p in saessak.zeros(6).tensor_split(saessak.tensor(4))] == [(2,), (2,), (1,), (1,)]


def test_double_backward_through_split_and_cat():
    x = saessak.arange(6.0, requires_grad=True)
    a, b = x.chunk(2)
    (g,) = saessak.autograd.grad((a * b * b).sum(), x, create_graph=True)
    assert g.tolist() == [9.0, 16.0, 25.0, 0.0, 8.0, 20.0]
    (gg,) = saessak.autograd.grad(g.sum(), x)
    assert gg.tolist() == [6.0, 8.0, 10.0, 6.0, 10.0, 14.0]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.integers(1, 3))
def test_split_then_cat_round_trips(rows, cols, size):
    data = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols)
    x = saessak.tensor(data)
    pieces = x.split(size, 1)
    assert [p.shape[1] for p in pieces] == [len(r) for r in np.array_split(np.arange(cols), range(size, cols, size))]
    np.testing.assert_array_equal(saessak.cat(pieces, 1).numpy(), data)
    sections = x.tensor_split(size, 1)
    assert [p.shape[1] for p in sections] == [len(r) for r in np.array_split(np.arange(cols), size)]
    np.testing.assert_array_equal(saessak.cat(sections, -1).numpy(), data)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=1, max_size=3), st.integers(1, 3), st.data())
def test_stack_then_unbind_round_trips(shape, count, data):
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    arrays = [np.full(shape, float(i)) for i in range(count)]
    stacked = saessak.stack([saessak.tensor(a) for a in arrays], dim)
    np.testing.assert_array_equal(stacked.numpy(), np.stack(arrays, dim))
    for piece, a in zip(stacked.unbind(dim), arrays):
        np.testing.assert_array_equal(piece.numpy(), a)
