import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch


@pytest.mark.parametrize("fn, shape", [
    (lambda lib, x: x.as_strided((2, 2), (3, 1), 1), (9,)),
    (lambda lib, x: x.as_strided((3, 3), (1, 1)), (6,)),  # overlapping windows: gradients add up
    (lambda lib, x: lib.as_strided(x, (2, 3), (1, 2)), (3, 3)),
    (lambda lib, x: x[2:].as_strided((2, 2), (2, 1)), (8,)),
    (lambda lib, x: (x * 1).t().as_strided((2, 2), (1, 3)), (3, 3)),
    (lambda lib, x: x.unfold(1, 2, 1), (2, 5)),
    (lambda lib, x: x.unfold(0, 3, 2), (7,)),
    (lambda lib, x: x.unfold(-1, 2, 3), (2, 3, 7)),
    (lambda lib, x: x.t().unfold(0, 2, 1), (3, 4)),
    (lambda lib, x: x.unfold(0, 1, 1), np.array(1.5)),
    (lambda lib, x: x.unfold(1, 2, 1).unfold(1, 2, 2), (2, 6)),
])
def test_strided_views_match_torch(fn, shape):
    check_op(fn, shape)


def test_as_strided_reaching_outside_its_input_matches_torch():
    # the window starts before x[2:], so element 1 of the leaf gets no gradient through x[2:] (as in PyTorch)
    check_op(lambda lib, x: x[2:].as_strided((2, 2), (2, 1), 1), (8,), numerical=False)


@requires_torch
@pytest.mark.parametrize("expression", ["x.as_strided((2,), (1,))", "x.unfold(1, 2, 1)"])
def test_grad_fn_names_match_torch(expression):
    names = []
    for lib in (saessak, torch):
        x = lib.zeros(2, 3, dtype=lib.float64, requires_grad=True)
        names.append(type(eval(expression, {"lib": lib, "x": x}).grad_fn).__name__)
    assert names[0] == names[1]


def test_strided_views_share_memory_and_version_counter():
    x = saessak.arange(12.0).reshape(3, 4)
    windows = x.t().unfold(0, 2, 1)
    strided = x[1:].as_strided((2, 2), (4, 1), 0)  # storage_offset counts from the start of x's memory
    for view in (windows, strided):
        assert np.shares_memory(view.numpy(), x.numpy())
    windows[0, 0, 1] = 100.0
    strided[1, 1] = 50.0
    assert x[0, 1].item() == 100.0 and x[1, 1].item() == 50.0
    assert windows._version == strided._version == x._version == 2
    assert windows.stride() == (1, 4, 1)


def test_unfold_gradient_counts_each_overlap():
    x = saessak.ones(5, requires_grad=True)
    x.unfold(0, 3, 1).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0, 2.0, 1.0]


@pytest.mark.parametrize("call, message", [
    (lambda x: x.unfold(0, 7, 1), "maximum size for tensor at dimension 0 is 6 but size is 7"),
    (lambda x: x.unfold(0, 2, 0), "step is 0 but must be > 0"),
    (lambda x: x.as_strided((3,), (2,), 2), r"setStorage: sizes \[3\], strides \[2\], storage offset 2, and "
                                             r"itemsize 4 requiring a storage size of 28 are out of bounds for "
                                             r"storage of size 24"),
    (lambda x: x.as_strided((3,), (2, 1)), "mismatch in length of strides and shape"),
])
def test_errors_name_the_problem(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(saessak.zeros(6))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 3))
def test_unfold_agrees_with_numpy_windows(n, size, step):
    data = np.arange(n, dtype=np.float64)
    x = saessak.tensor(data)
    if size > n:
        with pytest.raises(RuntimeError):
            x.unfold(0, size, step)
        return
    expected = np.lib.stride_tricks.sliding_window_view(data, size)[::step]
    np.testing.assert_array_equal(x.unfold(0, size, step).numpy(), expected)
    np.testing.assert_array_equal(x.as_strided(expected.shape, (step, 1)).numpy(), expected)
