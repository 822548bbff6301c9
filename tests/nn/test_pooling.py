import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch


def _f(lib):
    return lib.nn.functional


def test_3d_pooling_matches_torch():
    check_op(lambda lib, x: _f(lib).max_pool3d(x, 2), (1, 2, 4, 4, 6))
    check_op(lambda lib, x: _f(lib).max_pool3d(x, (2, 3, 2), stride=(1, 2, 2), padding=1, ceil_mode=True),
             (2, 3, 4, 5))
    check_op(lambda lib, x: _f(lib).max_pool3d(x, 2, stride=1, dilation=(1, 2, 1), return_indices=True)[1],
             (1, 2, 3, 5, 4), grad=False)
    check_op(lambda lib, x: _f(lib).avg_pool3d(x, 2), (1, 2, 4, 4, 6))
    check_op(lambda lib, x: _f(lib).avg_pool3d(x, 3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
             (1, 2, 4, 5, 5))
    check_op(lambda lib, x: _f(lib).avg_pool3d(x, (1, 2, 2), divisor_override=3), (2, 2, 4, 4))


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_with_indices_names_return_values_and_indices(rank):
    shape = (1, 2, 4, 5, 6)[: rank + 2]
    check_op(lambda lib, x: getattr(_f(lib), f"max_pool{rank}d_with_indices")(x, 2), shape)
    check_op(lambda lib, x: getattr(_f(lib), f"adaptive_max_pool{rank}d_with_indices")(x, 3), shape)


def test_adaptive_pooling_1d_and_3d_matches_torch():
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool1d(x, 3), (2, 3, 7))
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool1d(x, 2), (3, 6))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool1d(x, 3), (2, 3, 7))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool1d(x, 4, return_indices=True)[1], (2, 3, 9), grad=False)
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool3d(x, (2, None, 3)), (1, 2, 3, 4, 5))
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool3d(x, 1), (2, 3, 4, 2))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool3d(x, (2, 3, 2)), (1, 2, 3, 4, 5))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool3d(x, (2, 3, 2), return_indices=True)[1], (1, 2, 3, 4, 5),
             grad=False)
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool2d(x, (None, 2)), (1, 2, 3, 5))


def _pooled(lib, x, rank, **kwargs):
    return getattr(_f(lib), f"max_pool{rank}d")(x, 2, return_indices=True, **kwargs)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_max_unpool_matches_torch(rank):
    shape = (2, 2, 4, 4, 2)[: rank + 2]
    unpool = f"max_unpool{rank}d"
    check_op(lambda lib, x: getattr(_f(lib), unpool)(*_pooled(lib, x, rank), 2), shape)
    check_op(lambda lib, x: getattr(_f(lib), unpool)(*_pooled(lib, x, rank, padding=1), 2, padding=1),
             shape[1:])  # unbatched, padded
    sizes = (5, 5, 3)[:rank]
    check_op(lambda lib, x: getattr(_f(lib), unpool)(*_pooled(lib, x, rank), 2, output_size=sizes), shape)


def test_max_unpool_rejects_a_wrong_output_size():
    y, i = _f(saessak).max_pool2d(saessak.randn(1, 1, 4, 4), 2, return_indices=True)
    with pytest.raises(ValueError, match=r"invalid output_size \"\[7, 4\]\" \(dim 0 must be between 2 and 6\)"):
        _f(saessak).max_unpool2d(y, i, 2, output_size=(7, 4))
    with pytest.raises(RuntimeError, match="Expected shape of indices to be same as that of the input tensor"):
        _f(saessak).max_unpool2d(y, i[..., :1], 2)


@requires_torch
@pytest.mark.parametrize("make, shape", [
    (lambda lib: lib.nn.MaxPool3d(2, stride=1, padding=1), (1, 2, 3, 4, 3)),
    (lambda lib: lib.nn.MaxPool3d((1, 2, 2), return_indices=True), (2, 2, 4, 4)),
    (lambda lib: lib.nn.AvgPool3d(2, ceil_mode=True, count_include_pad=False, padding=1), (1, 2, 3, 4, 5)),
    (lambda lib: lib.nn.AvgPool3d(2, divisor_override=2), (1, 2, 2, 4, 4)),
    (lambda lib: lib.nn.AvgPool1d(3, stride=2, padding=1), (2, 3, 7)),
    (lambda lib: lib.nn.AdaptiveAvgPool1d(3), (2, 3, 8)),
    (lambda lib: lib.nn.AdaptiveMaxPool1d(3, return_indices=True), (3, 8)),
    (lambda lib: lib.nn.AdaptiveAvgPool3d((1, None, 2)), (1, 2, 3, 4, 5)),
    (lambda lib: lib.nn.AdaptiveMaxPool3d(2), (2, 3, 4, 5)),
])
def test_pooling_modules_match_torch(make, shape):
    ours, theirs = make(saessak), make(torch)
    assert repr(ours) == repr(theirs)
    check_op(lambda lib, x: (ours if lib is saessak else theirs)(x), shape)


@requires_torch
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_max_unpool_modules_invert_max_pool_as_torch(rank):
    shape = (1, 2, 5, 4, 4)[: rank + 2]
    x = np.random.default_rng(rank).standard_normal(shape)
    outputs = []
    for lib in (saessak, torch):
        pool = getattr(lib.nn, f"MaxPool{rank}d")(2, stride=2, return_indices=True)
        unpool = getattr(lib.nn, f"MaxUnpool{rank}d")(2, stride=2)
        outputs.append((repr(unpool), unpool(*pool(lib.tensor(x)), output_size=shape).numpy()))
    assert outputs[0][0] == outputs[1][0]
    np.testing.assert_allclose(outputs[0][1], outputs[1][1])


def test_pooling_errors_name_the_op():
    with pytest.raises(RuntimeError, match=r"max_pool3d: Expected 4D or 5D input, but got input of size: \[2, 3\]"):
        nn.MaxPool3d(2)(saessak.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"adaptive_avg_pool1d\(\): Expected 2D or 3D tensor"):
        nn.AdaptiveAvgPool1d(2)(saessak.ones(1, 2, 3, 4))
