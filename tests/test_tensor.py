"""Tensor: properties, conversions, Python protocols, dtype promotion."""

import itertools

import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch


def test_properties():
    x = saessak.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and repr(x.shape) == "torch.Size([2, 3, 4])"
    assert x.size() == (2, 3, 4) and x.size(1) == 3 and x.size(-1) == 4
    assert x.dim() == x.ndim == 3 and x.numel() == 24 and len(x) == 2
    assert x.dtype == saessak.float32 and repr(x.dtype) == "torch.float32"
    assert repr(x.device) == "device(type='cpu')"
    assert x.T.shape == (4, 3, 2) if False else x.mT.shape == (2, 4, 3)
    assert saessak.ones(2, 3).T.shape == (3, 2)
    assert x.is_contiguous() and x.is_floating_point() and x.is_leaf


def test_item_tolist_numpy_and_array_interop():
    x = saessak.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x[1, 0].item() == 3.0 and x.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    array = x.numpy()
    array[0, 0] = 10.0
    assert x[0, 0].item() == 10.0  # numpy() shares memory
    assert np.asarray(x).shape == (2, 2)
    with pytest.raises(RuntimeError, match="a Tensor with 4 elements cannot be converted to Scalar"):
        x.item()
    w = saessak.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad. Use tensor.detach\(\)"):
        w.numpy()
    assert w.detach().numpy().tolist() == [1.0, 1.0]


def test_python_protocols():
    x = saessak.tensor([3.0, 4.0])
    assert [v.item() for v in x] == [3.0, 4.0]
    assert bool(saessak.tensor([1])) and not bool(saessak.tensor(0.0))
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(x)
    assert float(saessak.tensor(2.5)) == 2.5 and int(saessak.tensor(7)) == 7
    assert [10, 20, 30][saessak.tensor(1)] == 20
    assert f"{saessak.tensor(3.14159):.2f}" == "3.14"
    assert 4.0 in x


def test_clone_and_copy():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.grad_fn.name() == "CloneBackward0"
    c.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    target = saessak.zeros(2, 2)
    target.copy_(saessak.tensor([1, 2]))
    assert target.tolist() == [[1.0, 2.0], [1.0, 2.0]] and target.dtype == saessak.float32


def test_conversions():
    x = saessak.tensor([1.7, -2.2])
    assert x.long().tolist() == [1, -2] and x.long().dtype == saessak.int64
    assert x.int().dtype == saessak.int32 and x.double().dtype == saessak.float64
    assert x.bool().tolist() == [True, True] and x.half().dtype == saessak.float16
    assert x.to(saessak.float64).dtype == saessak.float64 and x.to("cpu") is x
    assert x.type() == "torch.FloatTensor" and x.type(saessak.int64).dtype == saessak.int64
    assert x.type("torch.DoubleTensor").dtype == saessak.float64
    y = saessak.tensor([1.0, 2.0], requires_grad=True)
    y.double().sum().backward()
    assert y.grad.dtype == saessak.float32


@requires_torch
def test_type_promotion_matches_torch():
    names = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
    for a, b in itertools.product(names, names):
        for da, db in [(1, 1), (1, 0), (0, 1)]:
            ta = torch.ones((2,) * da, dtype=getattr(torch, a))
            tb = torch.ones((2,) * db, dtype=getattr(torch, b))
            sa = saessak.ones(*((2,) * da), dtype=getattr(saessak, a))
            sb = saessak.ones(*((2,) * db), dtype=getattr(saessak, b))
            assert str(saessak.result_type(sa, sb)) == str(torch.result_type(ta, tb))
            assert str((sa * sb).dtype) == str((ta * tb).dtype)
    for name in names:
        for scalar in (True, 2, 2.5):
            t = torch.ones(2, dtype=getattr(torch, name))
            s = saessak.ones(2, dtype=getattr(saessak, name))
            assert str((s * scalar).dtype) == str((t * scalar).dtype), (name, scalar)
            assert str((s + scalar).dtype) == str((t + scalar).dtype), (name, scalar)


def test_defaults_and_division():
    assert saessak.tensor(1.5).dtype == saessak.float32
    assert saessak.tensor(3).dtype == saessak.int64
    assert saessak.tensor([True]).dtype == saessak.bool
    assert (saessak.tensor([1, 2]) / 2).dtype == saessak.float32
    assert (saessak.tensor([7]) // 2).tolist() == [3]
    assert (saessak.tensor([-7]) % 3).tolist() == [2]


def test_comparisons_and_logical_ops():
    x = saessak.tensor([1, 2, 3])
    assert (x > 1).tolist() == [False, True, True] and (x == 2).dtype == saessak.bool
    m = saessak.tensor([True, False, True])
    assert (m & (x > 1)).tolist() == [False, False, True]
    assert (~m).tolist() == [False, True, False] and (m | ~m).all().item()
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor is not supported"):
        -m


def test_broadcast_error_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\)"):
        saessak.ones(2, 3) + saessak.ones(4)


def test_in_place_dunders_keep_identity():
    x = saessak.zeros(3)
    before = x
    x += 1
    x *= 3
    x -= 1
    x /= 2
    assert x is before and x.tolist() == [1.0, 1.0, 1.0] and x._version == 4
