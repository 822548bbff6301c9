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
    assert x.mT.shape == (2, 4, 3) and saessak.ones(2, 3).T.shape == (3, 2)
    with pytest.raises(RuntimeError, match="tensor.mT is only supported on matrices or batches of matrices. Got 1-D"):
        saessak.ones(3).mT
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


def test_scalar_conversions_and_zero_dim_protocols():
    assert isinstance(saessak.tensor([5]).item(), int) and isinstance(saessak.tensor(2.5).item(), float)
    assert saessak.tensor(5.5).tolist() == 5.5 and saessak.tensor([True, False]).tolist() == [True, False]
    with pytest.raises(ValueError, match="only one element tensors can be converted to Python scalars"):
        int(saessak.ones(2))
    with pytest.raises(ValueError, match="only one element tensors can be converted to Python scalars"):
        float(saessak.ones(2))
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(saessak.tensor(1.0))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(saessak.tensor(1.0))
    assert np.asarray(saessak.ones(2), dtype=np.float64).dtype == np.float64
    assert np.asarray(saessak.tensor([1, 2])).dtype == np.int64
    rows = list(saessak.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert len(rows) == 2 and rows[1].tolist() == [3.0, 4.0]


def test_conversions_keep_the_graph_and_skip_needless_copies():
    x = saessak.ones(2)
    assert x.float() is x and x.to(saessak.float32) is x and x.to(saessak.float32, copy=True) is not x
    assert x.to(saessak.ones(1, dtype=saessak.float64)).dtype == saessak.float64
    assert x.to("cpu", saessak.float64).dtype == saessak.float64 and x.to(dtype=saessak.int32).dtype == saessak.int32
    w = saessak.ones(2, requires_grad=True)
    y = w.to(saessak.float64)
    assert y.grad_fn.name() == "ToCopyBackward0" and y.requires_grad
    assert not w.long().requires_grad  # integer results carry no gradient
    names = {saessak.int64: "torch.LongTensor", saessak.bool: "torch.BoolTensor", saessak.float64: "torch.DoubleTensor"}
    for dtype, name in names.items():
        assert saessak.ones(1, dtype=dtype).type() == name


def test_clone_is_independent_memory_and_copy_carries_gradients():
    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = x.clone()
    with saessak.no_grad():
        c.mul_(10)
    assert x.tolist() == [1.0, 2.0, 3.0]
    target = saessak.zeros(2, 3)
    target.copy_(x * 2)
    assert target.grad_fn.name() == "CopyBackwards" and target._version == 1
    target.sum().backward()
    assert x.grad.tolist() == [4.0, 4.0, 4.0]  # broadcast over 2 rows, times 2
    with pytest.raises(RuntimeError, match="The size of tensor a \\(3\\) must match the size of tensor b \\(4\\)"):
        saessak.zeros(2, 3).copy_(saessak.ones(4))


def test_version_counter_counts_every_in_place_change():
    x = saessak.zeros(3)
    assert x._version == 0
    x[0] = 1.0
    x.zero_()
    x.fill_(2.0)
    x.copy_(saessak.ones(3))
    x.view(3).add_(1.0)
    x.detach().mul_(2.0)
    assert x._version == 6 and x.tolist() == [4.0, 4.0, 4.0]
    x.add(1.0)
    x.clone().add_(1.0)
    assert x._version == 6  # out-of-place ops and clones leave it alone


@pytest.mark.parametrize(
    "make, op_name",
    [
        (lambda h: h.exp(), "ExpBackward0"),  # saves its output
        (lambda h: h.sin(), "SinBackward0"),  # saves its input
        (lambda h: h * h, "MulBackward0"),
    ],
)
def test_changing_a_saved_tensor_in_place_fails_backward_naming_the_op(make, op_name):
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = make(h)
    (y if op_name == "ExpBackward0" else h).add_(1.0)
    with pytest.raises(RuntimeError, match=f"modified by an inplace operation(.|\\n)*{op_name}(.|\\n)*is at version 1"):
        y.sum().backward()


def test_in_place_rules_for_leaves():
    w = saessak.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        w.mul_(2)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        w[0] = 3.0
    with saessak.no_grad():
        w[0] = 3.0
    assert w.tolist() == [3.0, 1.0] and w.is_leaf and w._version == 1


@requires_torch
def test_scalar_and_zero_dim_promotion_matches_torch():
    names = ["float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool"]
    for name in names:
        for other in [True, 3, 2.5, np.float64(1.5)]:
            t, s = torch.ones(2, dtype=getattr(torch, name)), saessak.ones(2, dtype=getattr(saessak, name))
            assert str(saessak.result_type(s, other)) == str(torch.result_type(t, other)), (name, other)
            if not isinstance(other, np.generic):
                assert str((other * s).dtype) == str((other * t).dtype), (name, other)
        for zero_dim in names:
            t0, s0 = torch.ones((), dtype=getattr(torch, zero_dim)), saessak.ones((), dtype=getattr(saessak, zero_dim))
            t, s = torch.ones(2, dtype=getattr(torch, name)), saessak.ones(2, dtype=getattr(saessak, name))
            assert str(saessak.result_type(s0, s)) == str(torch.result_type(t0, t)), (name, zero_dim)
            assert str((s0 + s0 * 1).dtype) == str((t0 + t0 * 1).dtype)
    for a, b, shape in itertools.product(names, names, [(2,), ()]):  # true division of any pair
        ours = saessak.ones(2, dtype=getattr(saessak, a)) / saessak.ones(shape, dtype=getattr(saessak, b))
        theirs = torch.ones(2, dtype=getattr(torch, a)) / torch.ones(shape, dtype=getattr(torch, b))
        assert str(ours.dtype) == str(theirs.dtype), (a, b, shape)
