import numpy as np
import pytest

import saessak
from tests.helpers import check_op, requires_torch, torch


@pytest.mark.parametrize("fn, shape", [
    (lambda lib, x: x.diagonal(), (3, 3)),
    (lambda lib, x: x.diagonal(1), (3, 4)),
    (lambda lib, x: x.diagonal(-1, 2, 0), (2, 3, 4)),
    (lambda lib, x: lib.diagonal(x, 1, 1, 2), (2, 3, 4)),
    (lambda lib, x: x.diagonal(5), (3, 3)),
    (lambda lib, x: lib.diag(x), (3,)),
    (lambda lib, x: lib.diag(x, -1), (3,)),
    (lambda lib, x: lib.diag(x), (3, 3)),
    (lambda lib, x: x.diag(1), (3, 4)),
    (lambda lib, x: lib.diag_embed(x), (2, 3)),
    (lambda lib, x: x.diag_embed(1, 0, 2), (2, 3)),
    (lambda lib, x: x.diag_embed(-1, -1, 0), (2, 3)),
    (lambda lib, x: x.trace(), (3, 3)),
    (lambda lib, x: lib.trace(x), (2, 4)),
    (lambda lib, x: x.tril(), (3, 3)),
    (lambda lib, x: x.tril(-1), (2, 3, 4)),
    (lambda lib, x: lib.triu(x, 1), (3, 4)),
    (lambda lib, x: x.triu(-1), (2, 4, 3)),
    (lambda lib, x: (x * 1).tril_(), (3, 3)),
    (lambda lib, x: (x * 1).triu_(1), (2, 3, 3)),
])
def test_diagonals_and_triangles_match_torch(fn, shape):
    check_op(fn, shape)


@requires_torch
@pytest.mark.parametrize("expression", [
    "x.diagonal()", "x.diag()", "x[0].diag()", "x.diag_embed()", "x.trace()", "x.tril()", "x.triu(1)",
])
def test_grad_fn_names_match_torch(expression):
    names = []
    for lib in (saessak, torch):
        x = lib.zeros(3, 3, dtype=lib.float64, requires_grad=True)
        names.append(type(eval(expression, {"lib": lib, "x": x}).grad_fn).__name__)
    assert names[0] == names[1]


def test_diagonal_is_a_view_and_diag_a_copy():
    x = saessak.arange(9.0).reshape(3, 3)
    d = x.diagonal()
    assert np.shares_memory(d.numpy(), x.numpy())
    d[1] = 40.0
    assert x[1, 1].item() == 40.0 and x._version == d._version == 1
    assert not np.shares_memory(x.diag().numpy(), x.numpy())


def test_dtypes_follow_torch():
    ints = saessak.arange(9, dtype=saessak.int32).reshape(3, 3)
    assert ints.trace().dtype == saessak.int64 and ints.trace().item() == 12
    assert ints.tril().dtype == saessak.int32
    mask = saessak.ones(2, 3, 3, dtype=saessak.bool).triu(1)
    assert mask.dtype == saessak.bool and mask.sum().item() == 6


def test_in_place_triangles():
    x = saessak.ones(3, 3)
    assert x.tril_() is x and x.sum().item() == 6.0 and x._version == 1
    x.triu_()
    assert x.tolist() == np.eye(3).tolist()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        saessak.ones(2, 2, requires_grad=True).tril_()


@pytest.mark.parametrize("call, message", [
    (lambda: saessak.zeros(3, 3).diagonal(0, 1, 1), "diagonal dimensions cannot be identical 1, 1"),
    (lambda: saessak.zeros(3).diag_embed(0, 0, 0), "diagonal dimensions cannot be identical 0, 0"),
    (lambda: saessak.zeros(2, 3, 4).diag(), r"diag\(\): Supports 1D or 2D tensors. Got 3D"),
    (lambda: saessak.zeros(2, 3, 4).trace(), "trace: expected a matrix, but got tensor with dim 3"),
    (lambda: saessak.zeros(3).tril(), "tril: input tensor must have at least 2 dimensions"),
    (lambda: saessak.zeros(3).triu(), "triu: input tensor must have at least 2 dimensions"),
])
def test_errors_name_the_problem(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()
