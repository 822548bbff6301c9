import copy
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, torch


def _describe(lib, expression: str):
    """dtype, shape and values of ``expression`` evaluated with ``T`` = lib, or the exception type raised."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = eval(expression, {"T": lib, "np": np})
    except Exception as error:  # noqa: BLE001 - the exception type is what is compared
        return type(error).__name__
    if not isinstance(t, lib.Tensor):
        return tuple(t) if isinstance(t, tuple) else t
    return str(t.dtype), tuple(t.shape), t.tolist(), t.requires_grad


# ---------------------------------------------------------------- tensor(): dtype inference
_DATA = [
    "3.0", "3", "True", "[1.0, 2]", "[[1, 2]]", "[True, False]", "[True, 2]", "(1, 2)", "[[1], [2.0]]", "[]", "[[]]",
    "range(3)", "np.array([1.0, 2.0])", "np.array([1, 2], dtype=np.int32)", "np.array(5)", "np.array(5.0)",
    "np.int16(3)", "np.float64(1.5)", "np.float32(2)", "np.bool_(True)", "np.uint8(3)",
    "[np.float64(1.0), 2.0]", "[np.int32(1), 2]", "[np.int32(1), np.int32(2)]", "[np.int16(1), 2.0]",
    "[np.float16(1), 2]", "[np.array([1.0, 2.0]), np.array([3.0, 4.0])]", "[np.array([1, 2], dtype=np.int32)]",
    "[T.tensor(1.0), T.tensor(2.0)]", "[T.tensor(1.0, dtype=T.float64), 2.0]", "[T.tensor(1), T.tensor(2)]",
    "[T.tensor(1, dtype=T.int32), 3]", "[[T.tensor(1.0), 2.0], [3.0, 4.0]]", "[[1.0, 2.0], [T.tensor(3.0), 4.0]]",
    "T.tensor([1, 2], dtype=T.int16)", "((1.0, 2.0), (3.0, 4.0))", "[1e40]", "-2**63",
    # errors: ragged, mixed nesting, overflow, no dtype, text, multi-element tensors
    "[[1, 2], [3]]", "[[1, 2], 3]", "[1, [2]]", "2**63", "[1, 2**64]", "None", "{1: 2}", "'abc'", "['a']",
    "[T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])]",
]


@requires_torch
@pytest.mark.parametrize("data", _DATA)
def test_tensor_infers_dtype_and_shape_like_torch(data):
    expression = f"T.tensor({data})"
    assert _describe(saessak, expression) == _describe(torch, expression)


def test_tensor_dtype_rules_without_torch():
    assert saessak.tensor([1.0, 2]).dtype == saessak.float32
    assert saessak.tensor([[1, 2]]).dtype == saessak.int64
    assert saessak.tensor([True, False]).dtype == saessak.bool
    assert saessak.tensor(np.array([1.0, 2.0])).dtype == saessak.float64
    assert saessak.tensor(np.int16(3)).dtype == saessak.int16
    assert saessak.tensor([np.float64(1.0), 2.0]).dtype == saessak.float64
    assert saessak.tensor([saessak.tensor(1.0), saessak.tensor(2.0)]).tolist() == [1.0, 2.0]
    assert saessak.tensor([]).shape == (0,) and saessak.tensor([]).dtype == saessak.float32
    try:
        saessak.set_default_dtype(saessak.float64)
        assert saessak.tensor([1.5]).dtype == saessak.float64 and saessak.tensor([1]).dtype == saessak.int64
    finally:
        saessak.set_default_dtype(saessak.float32)


def test_tensor_errors_teach():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
        saessak.tensor([1, 2], requires_grad=True)
    with pytest.raises(ValueError, match=r"expected sequence of length 2 at dim 1 \(got 1\)"):
        saessak.tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="not a sequence"):
        saessak.tensor([[1, 2], 3])
    with pytest.raises(RuntimeError, match="Could not infer dtype of NoneType"):
        saessak.tensor([None])
    with pytest.raises(ValueError, match="only one element tensors.*stack"):
        saessak.tensor([saessak.ones(2), saessak.ones(2)])
    with pytest.raises(ValueError, match="Overflow"):
        saessak.tensor(2**63)


def test_tensor_copies_and_detaches():
    array = np.array([1.0, 2.0])
    t = saessak.tensor(array)
    array[0] = 9
    assert t[0].item() == 1.0
    source = saessak.ones(2, requires_grad=True)
    copied = saessak.tensor(source)
    assert not copied.requires_grad and copied.grad_fn is None
    copied[0] = 5.0
    assert source[0].item() == 1.0
    transposed = np.arange(6.0).reshape(2, 3).T
    assert saessak.tensor(transposed).tolist() == transposed.tolist()
    assert saessak.tensor([1.7, -1.7], dtype=saessak.int64).tolist() == [1, -1]
    assert saessak.tensor([1e9], dtype=saessak.float16).tolist() == [float("inf")]  # no NumPy warning


def test_from_numpy_and_as_tensor_share_memory():
    array = np.zeros(3, dtype=np.float32)
    for t in (saessak.from_numpy(array), saessak.as_tensor(array), saessak.asarray(array)):
        array[1] = 5.0
        assert t[1].item() == 5.0
    t = saessak.from_numpy(array)
    t[2] = 7.0
    assert array[2] == 7.0
    x = saessak.ones(2)
    assert saessak.as_tensor(x) is x
    assert saessak.as_tensor(x, dtype=saessak.float64).dtype == saessak.float64
    assert saessak.as_tensor([1, 2]).dtype == saessak.int64
    with pytest.raises(TypeError, match="expected np.ndarray"):
        saessak.from_numpy([1, 2])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type"):
        saessak.from_numpy(np.array(["a"]))


# ---------------------------------------------------------------- filled tensors and ranges
_FACTORIES = [
    "T.zeros(2, 3)", "T.zeros((2, 3))", "T.zeros([2, 3])", "T.zeros(T.Size([2, 3]))", "T.zeros(())", "T.zeros(0)",
    "T.zeros(size=(2, 3))", "T.ones(size=[1])", "T.zeros(2, 3, dtype=T.int32)", "T.ones(2, dtype=T.bool)",
    "T.zeros(2, requires_grad=True)", "T.zeros(2, dtype=T.int64, requires_grad=True)", "T.zeros(-1)", "T.zeros(2.5)",
    "T.empty(2, 3).shape", "T.full((2,), 7)", "T.full((2,), True)", "T.full((2,), 1.5, dtype=T.int64)",
    "T.full([2, 2], 3.0)", "T.full((), 2)", "T.full((2,), T.tensor(3.0))", "T.full((2,), 1, requires_grad=True)",
    "T.full((2,), 1.0, requires_grad=True)", "T.zeros_like(T.ones(2, dtype=T.int32))",
    "T.ones_like(T.ones(2), dtype=T.int64)", "T.full_like(T.ones(2, dtype=T.int32), 2.7)",
    "T.full_like(T.ones(2), 2, dtype=T.int16)", "T.zeros_like(T.ones(2), requires_grad=True)",
    "T.empty_like(T.ones(2, 3)).shape", "T.scalar_tensor(3)", "T.scalar_tensor(True)",
    "T.eye(3)", "T.eye(2, 3)", "T.eye(3, dtype=T.int64)", "T.eye(0)", "T.eye(2, m=1)", "T.eye(-1)",
    "T.eye(2, requires_grad=True)",
    "T.arange(5)", "T.arange(1, 4)", "T.arange(0, 1, 0.1)", "T.arange(0, 1, 0.3)", "T.arange(1, 2.5, 0.5)",
    "T.arange(5.0)", "T.arange(10, 0, -3)", "T.arange(0, 1, 0.1, dtype=T.float64)",
    "T.arange(0, 5, 2, dtype=T.float32)",
    "T.arange(0.5, 3, dtype=T.int64)", "T.arange(0, -1)", "T.arange(0, 10, 0)", "T.arange(T.tensor(3))",
    "T.arange(0, 1, 1/3)", "T.arange(-1.0, 1.0, 0.25)", "T.arange(0, 1.0000001, 0.1)",
    "T.arange(5, requires_grad=True)",
    "T.arange(5.0, requires_grad=True)", "T.arange(start=1, end=3)", "T.arange(end=3)", "T.arange(3, dtype=T.bool)",
    "T.linspace(0, 1, 5)", "T.linspace(0, 10, 5, dtype=T.int64)", "T.linspace(0, 1, 1)", "T.linspace(0, 1, 0)",
    "T.linspace(3, -3, 4)", "T.linspace(0, 1, -1)", "T.linspace(-1, 1, 7, dtype=T.int32)",
    "T.linspace(T.tensor(0.0), T.tensor(1.0), 3)", "T.logspace(0, 2, 3)", "T.logspace(0, 2, 3, base=2)",
    "T.Tensor(2, 3).shape", "T.Tensor([1, 2])", "T.Tensor()", "T.Tensor([[1, 2]])", "T.Tensor(np.array([1, 2]))",
    "T.Tensor((2, 3))", "T.Tensor(2.5)", "T.Tensor([True])", "T.Tensor(T.tensor([1, 2]))",
    "T.FloatTensor([1, 2])", "T.LongTensor([1.7, 2])", "T.LongTensor(2).shape", "T.DoubleTensor([1])",
    "T.BoolTensor([1, 0])", "T.ByteTensor([1, 255])", "T.IntTensor([[1], [2]])", "T.HalfTensor([1.5])",
    "T.CharTensor([-1])", "T.FloatTensor()", "T.LongTensor(T.tensor([1.5]))", "T.FloatTensor(np.array([1, 2]))",
]


@requires_torch
@pytest.mark.parametrize("expression", _FACTORIES)
def test_factories_match_torch(expression):
    assert _describe(saessak, expression) == _describe(torch, expression)


def test_factories_without_torch():
    assert saessak.zeros(2, 3).shape == (2, 3) and saessak.zeros((2, 3)).shape == (2, 3)
    assert saessak.zeros(size=(2, 3)).shape == (2, 3)
    assert saessak.ones(2, dtype=saessak.int64).tolist() == [1, 1]
    assert saessak.full((2,), 7).dtype == saessak.int64 and saessak.full((2,), True).dtype == saessak.bool
    assert saessak.full((2,), 0.5).tolist() == [0.5, 0.5]
    like = saessak.ones(2, 2, dtype=saessak.float64)
    assert saessak.zeros_like(like).dtype == saessak.float64 and saessak.full_like(like, 3).sum().item() == 12
    assert saessak.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert saessak.arange(5).tolist() == [0, 1, 2, 3, 4] and saessak.arange(5).dtype == saessak.int64
    assert len(saessak.arange(0, 1, 0.1)) == 10 and saessak.arange(0, 1, 0.1).dtype == saessak.float32
    np.testing.assert_allclose(saessak.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1.0])
    with pytest.raises(RuntimeError, match="Dimension size must be non-negative"):
        saessak.zeros(2, -1)
    with pytest.raises(TypeError, match="must be tuple of ints"):
        saessak.ones(2.5)
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        saessak.arange(0, -1)
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        saessak.linspace(0, 1, -1)


def test_out_argument_is_filled_and_resized():
    out = saessak.empty(3)
    assert saessak.zeros(3, out=out) is out and out.tolist() == [0.0, 0.0, 0.0]
    saessak.arange(4.0, out=out)
    assert out.tolist() == [0.0, 1.0, 2.0, 3.0]


@requires_torch
@settings(max_examples=25, deadline=None)
@given(start=st.floats(-50, 50), length=st.floats(0.01, 60), step=st.sampled_from([0.1, 0.25, 0.3, 1 / 3, 1.5, 7.0]),
       dtype=st.sampled_from(["float32", "float64"]))
def test_arange_length_and_values_match_torch(start, length, step, dtype):
    end = start + length
    ours = saessak.arange(start, end, step, dtype=getattr(saessak, dtype))
    theirs = torch.arange(start, end, step, dtype=getattr(torch, dtype))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-5)


@requires_torch
@settings(max_examples=25, deadline=None)
@given(start=st.floats(-100, 100), end=st.floats(-100, 100), steps=st.integers(0, 40))
def test_linspace_matches_torch(start, end, steps):
    np.testing.assert_allclose(saessak.linspace(start, end, steps).numpy(), torch.linspace(start, end, steps).numpy(),
                               rtol=1e-5, atol=1e-4)


# ---------------------------------------------------------------- legacy constructors
def test_legacy_constructors():
    assert saessak.Tensor(2, 3).shape == (2, 3) and saessak.Tensor(2, 3).dtype == saessak.float32
    assert saessak.Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert saessak.FloatTensor([1, 2]).dtype == saessak.float32
    assert saessak.LongTensor([1, 2]).dtype == saessak.int64
    assert saessak.Tensor().shape == (0,)
    x = saessak.tensor([1, 2])
    assert saessak.Tensor(x) is x
    with pytest.raises(TypeError, match="data must be a sequence"):
        saessak.Tensor(2.5)
    with pytest.raises(TypeError, match="expected torch.int64 tensor"):
        saessak.LongTensor(saessak.ones(1))


def test_legacy_types_work_with_isinstance():
    assert isinstance(saessak.ones(2), saessak.FloatTensor)
    assert isinstance(saessak.ones(2), saessak.Tensor)
    assert not isinstance(saessak.ones(2), saessak.LongTensor)
    assert isinstance(saessak.tensor([1]), saessak.LongTensor)
    assert isinstance(saessak.ones(1, dtype=saessak.float64), saessak.DoubleTensor)
    assert isinstance(saessak.tensor(True), saessak.BoolTensor)
    assert not isinstance(3, saessak.FloatTensor)


# ---------------------------------------------------------------- dtype and device conversion
_CONVERSIONS = [
    "T.ones(2, requires_grad=True).double()", "T.ones(2, requires_grad=True).to(T.float64)",
    "T.ones(2, requires_grad=True).float()", "T.ones(2, requires_grad=True).to('cpu')",
    "T.ones(2, requires_grad=True).to(T.int64)", "T.ones(2).to(T.ones(1, dtype=T.float64))",
    "T.ones(2).to('cpu', T.float64)", "T.ones(2).to(dtype=T.float16)", "T.ones(2).to(T.float32, copy=True)",
    "T.ones(2).to(float)", "T.ones(2).to(int)", "T.ones(2).to(bool)", "T.ones(2).to(T.device('cpu'))",
    "T.tensor([1.7, -1.7]).long()", "T.tensor([1.7, -0.0, 0.3]).bool()", "T.tensor([300]).byte()",
    "T.tensor([1.5]).half()", "T.tensor([True]).float()", "T.tensor([1]).type_as(T.ones(1))", "T.tensor(3.5).int()",
    "T.ones(2).type(T.float64)", "T.ones(2).type('torch.LongTensor')", "T.tensor([1.5]).type(T.int32)",
    "T.tensor([1.5]).short()", "T.tensor([-1.5]).char()", "T.zeros(2, dtype=T.float64, requires_grad=True).float()",
    "T.tensor([1, 2]).new_tensor([3.5])", "T.ones(2, dtype=T.float64).new_zeros(2, 3)",
    "T.ones(2, dtype=T.float64).new_zeros((2, 3))", "T.ones(2).new_ones(2)", "T.ones(2).new_full((2,), 3)",
    "T.zeros(zeros=1) if False else T.ones(2).to(bad=1)", "T.ones(2).to('xyz')",
]


@requires_torch
@pytest.mark.parametrize("expression", _CONVERSIONS)
def test_conversions_match_torch(expression):
    ours, theirs = _describe(saessak, expression), _describe(torch, expression)
    if isinstance(ours, tuple):  # grad_fn names too
        assert ours == theirs
        ours_t, theirs_t = eval(expression, {"T": saessak, "np": np}), eval(expression, {"T": torch, "np": np})
        assert type(theirs_t.grad_fn).__name__ == (ours_t.grad_fn.name() if ours_t.grad_fn else "NoneType")
    else:
        assert ours == theirs


def test_conversion_gradients_convert_back():
    # a float32 round trip is too coarse for central differences: compared with torch's gradients only
    check_op(lambda lib, x: x.float() * 2, (3, 2), atol=1e-5, rtol=1e-5, numerical=False)
    check_op(lambda lib, x: x.to(lib.float32).double() ** 2, (4,), atol=1e-5, rtol=1e-4, numerical=False)
    check_op(lambda lib, x: x.to(lib.float64).exp(), (2, 3))
    x = saessak.ones(2, requires_grad=True)
    y = x.double()
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * 3).sum().backward()
    assert x.grad.dtype == saessak.float32 and x.grad.tolist() == [3.0, 3.0]
    assert x.to(saessak.float32) is x and x.float() is x
    assert x.to(saessak.float32, copy=True) is not x


def test_type_names():
    assert saessak.ones(2).type() == "torch.FloatTensor"
    assert saessak.tensor([1]).type() == "torch.LongTensor"
    assert saessak.ones(2).type(saessak.LongTensor).dtype == saessak.int64
    assert saessak.ones(2).to(float).dtype == saessak.float64  # Python's float means float64, as in torch


def test_deepcopy_keeps_values_flags_and_grad():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    y = copy.deepcopy(x)
    assert y is not x and y.requires_grad and y.tolist() == [1.0, 2.0] and y.grad.tolist() == [2.0, 4.0]
    y.data[0] = 9
    assert x[0].item() == 1.0
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(x * 2)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(0, 4), max_size=4))
def test_filled_shapes_follow_every_size_spelling(shape):
    for spelled in ((*shape,), (tuple(shape),), (list(shape),), (saessak.Size(shape),)):
        for factory in (saessak.zeros, saessak.ones, saessak.empty, saessak.rand, saessak.randn):
            assert factory(*spelled).shape == tuple(shape)
    assert saessak.full(shape, 2.0).shape == tuple(shape)


def test_dtype_predicates_are_functions_too():
    assert saessak.is_floating_point(saessak.ones(2))
    assert saessak.is_floating_point(saessak.ones(1, dtype=saessak.float16))
    assert not saessak.is_floating_point(saessak.arange(3))
    assert not saessak.is_complex(saessak.ones(2))
