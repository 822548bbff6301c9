import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch


def _cases():
    rng = np.random.default_rng(0)
    yield np.array(23.0, dtype=np.float32)
    yield np.array([1.0, 2.0], dtype=np.float32)
    yield np.array([[1, 2], [3, 4]])
    yield np.array([True, False])
    yield np.array([1.5, float("nan"), float("inf"), -0.0], dtype=np.float32)
    yield np.array([1e-5, 1.0], dtype=np.float32)
    yield np.array([1e9, 1.0], dtype=np.float64)
    yield np.array([100000.0, 1.0], dtype=np.float32)
    yield np.zeros((0, 3), dtype=np.float32)
    yield np.zeros((0,), dtype=np.int64)
    yield np.arange(2000, dtype=np.float32).reshape(40, 50)
    yield np.arange(30, dtype=np.int32)
    yield np.array([-1, 0, 7], dtype=np.int8)
    yield np.array([0.1, 0.25], dtype=np.float16)
    for shape in [(3,), (2, 3), (2, 2, 3), (30,), (4, 20), (1100,)]:
        for scale in (1e-3, 1.0, 1e3, 1e6):
            yield (rng.standard_normal(shape) * scale).astype(np.float32)
        yield rng.integers(-50, 50, shape)
        yield (rng.standard_normal(shape)).astype(np.float64)


@requires_torch
@pytest.mark.parametrize("index", range(45))
def test_repr_matches_torch(index):
    cases = list(_cases())
    if index >= len(cases):
        pytest.skip("fewer cases")
    array = cases[index]
    assert repr(saessak.tensor(array)) == repr(torch.tensor(array))


@requires_torch
def test_repr_with_autograd_suffixes_matches_torch():
    for lib in (saessak, torch):
        x = lib.tensor([[1.0, 2.0]], requires_grad=True)
        y = (x * 2).sum() + 17
        if lib is saessak:
            ours = (repr(x), repr(y), str(y))
        else:
            theirs = (repr(x), repr(y), str(y))
    assert ours == theirs


def test_golden_strings_without_torch():
    x = saessak.tensor([[1.0, 2.0]], requires_grad=True)
    assert repr(x) == "tensor([[1., 2.]], requires_grad=True)"
    w = saessak.tensor(2.0, requires_grad=True)
    assert repr(5 * w**2 + 3) == "tensor(23., grad_fn=<AddBackward0>)"
    assert repr(saessak.tensor([1, 2], dtype=saessak.int32)) == "tensor([1, 2], dtype=torch.int32)"
    assert repr(saessak.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(saessak.tensor([0.5, 1.25], dtype=saessak.float64)) == "tensor([0.5000, 1.2500], dtype=torch.float64)"


def test_set_printoptions_precision():
    try:
        saessak.set_printoptions(precision=2)
        assert repr(saessak.tensor([1.23456])) == "tensor([1.23])"
    finally:
        saessak.set_printoptions(profile="default")
