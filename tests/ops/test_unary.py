import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import check_op, requires_torch, to_numpy

rng = np.random.default_rng(0)
POSITIVE = rng.uniform(0.5, 2.0, (3, 4))
UNIT = rng.uniform(-0.8, 0.8, (2, 3))


# ---------------------------------------------------------------- smooth ops against torch and gradcheck
SMOOTH = {
    "exp": (lambda lib, x: lib.exp(x), (3, 4)),
    "exp2": (lambda lib, x: lib.exp2(x), (3, 4)),
    "expm1": (lambda lib, x: lib.expm1(x), (2, 3, 2)),
    "log": (lambda lib, x: lib.log(x), POSITIVE),
    "log2": (lambda lib, x: lib.log2(x), POSITIVE),
    "log10": (lambda lib, x: lib.log10(x), POSITIVE),
    "log1p": (lambda lib, x: lib.log1p(x), POSITIVE - 0.4),
    "sqrt": (lambda lib, x: lib.sqrt(x), POSITIVE),
    "rsqrt": (lambda lib, x: lib.rsqrt(x), POSITIVE),
    "reciprocal": (lambda lib, x: lib.reciprocal(x), POSITIVE),
    "square": (lambda lib, x: lib.square(x), (3, 4)),
    "sin": (lambda lib, x: lib.sin(x), (3, 4)),
    "cos": (lambda lib, x: lib.cos(x), (3, 4)),
    "tan": (lambda lib, x: lib.tan(x), UNIT),
    "tanh": (lambda lib, x: lib.tanh(x), (3, 4)),
    "sinh": (lambda lib, x: lib.sinh(x), (3, 4)),
    "cosh": (lambda lib, x: lib.cosh(x), (3, 4)),
    "asin": (lambda lib, x: lib.asin(x), UNIT),
    "acos": (lambda lib, x: lib.acos(x), UNIT),
    "atan": (lambda lib, x: lib.atan(x), (3, 4)),
    "sigmoid": (lambda lib, x: lib.sigmoid(x), (3, 4)),
    "erf": (lambda lib, x: lib.erf(x), (3, 4)),
    "erfinv": (lambda lib, x: lib.erfinv(x), UNIT),
    "frac": (lambda lib, x: lib.frac(x * 3), (3, 4)),
    "scalar input": (lambda lib, x: lib.exp(x).sin(), ()),
    "methods": (lambda lib, x: x.exp().log().tanh().abs().sqrt(), POSITIVE),
}


@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_unary_ops_match_torch_and_gradcheck(name):
    fn, spec = SMOOTH[name]
    check_op(fn, spec)


# inputs kept away from the kinks (0 for abs/relu, the bounds for clamp) so numerical gradients are valid
AWAY_FROM_ZERO = np.sign(rng.standard_normal((3, 4))) * rng.uniform(0.2, 2.0, (3, 4))


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.abs(x),
    lambda lib, x: lib.relu(x),
    lambda lib, x: x.relu() * x,
    lambda lib, x: lib.clamp(x, -1.0, 1.0),
    lambda lib, x: lib.clamp(x, min=0.1),
    lambda lib, x: lib.clamp(x, max=0.1),
    lambda lib, x: lib.clip(x, -0.5, 0.5),
    lambda lib, x: x.clamp_min(0.1),
    lambda lib, x: x.clamp_max(0.1),
    lambda lib, x: lib.nan_to_num(x),
])
def test_piecewise_smooth_ops_gradcheck(fn):
    check_op(fn, AWAY_FROM_ZERO, gradgrad=False)


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.floor(x), lambda lib, x: lib.ceil(x), lambda lib, x: lib.trunc(x),
    lambda lib, x: lib.round(x), lambda lib, x: lib.round(x, decimals=1),
    lambda lib, x: lib.round(x, decimals=-1),
    lambda lib, x: lib.sign(x), lambda lib, x: x.fix(),
])
def test_rounding_ops_have_zero_gradient(fn):
    x = np.array([[-2.73, -1.32, -0.41], [0.47, 1.61, 23.76]])  # away from every rounding boundary
    check_op(fn, x, gradgrad=False)


def test_sgn_is_sign_for_real_tensors():
    x = saessak.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    np.testing.assert_array_equal(saessak.sgn(x).detach().numpy(), [-1.0, 0.0, 1.0])
    saessak.sgn(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])


def test_round_halves_to_even_like_torch():
    x = saessak.tensor([0.5, 1.5, 2.5, -0.5, -2.5, 1234.5678])
    np.testing.assert_array_equal(saessak.round(x).numpy(), [0.0, 2.0, 2.0, -0.0, -2.0, 1235.0])
    np.testing.assert_allclose(saessak.round(x, decimals=2).numpy()[-1], 1234.57, rtol=1e-6)
    np.testing.assert_array_equal(saessak.round(x, decimals=-2).numpy()[-1], 1200.0)


def test_grad_fn_names_match_torch():
    x = saessak.tensor([0.5, 1.5], requires_grad=True)
    names = {
        "ExpBackward0": x.exp(), "SigmoidBackward0": x.sigmoid(), "ReluBackward0": x.relu(),
        "ClampBackward1": x.clamp(0, 1), "ClampMinBackward0": x.clamp_min(0),
        "ClampMaxBackward0": x.clamp_max(1),
        "RoundBackward0": x.round(), "RoundBackward1": x.round(decimals=1), "Log1PBackward0": x.log1p(),
        "PowBackward0": x.square(), "AbsBackward0": x.abs(), "ErfinvBackward0": (x / 2).erfinv(),
        "NanToNumBackward0": x.nan_to_num(), "FracBackward0": x.frac(), "SignBackward0": x.sign(),
    }
    for name, y in names.items():
        assert y.grad_fn.name() == name


# ---------------------------------------------------------------- gradients at the special points
def test_gradients_at_zero_follow_torch():
    x = saessak.tensor([0.0, 0.0, 0.0], requires_grad=True)
    (x.abs().sum() + x.relu().sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])
    x = saessak.tensor([0.0], requires_grad=True)
    x.sqrt().backward()
    assert math.isinf(x.grad.item())


def test_clamp_passes_gradient_on_the_bounds():
    x = saessak.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    x.clamp(0.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 1.0, 1.0, 0.0])


def test_maximum_minimum_split_gradient_on_ties():
    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = saessak.tensor([2.0, 2.0, 2.0], requires_grad=True)
    saessak.maximum(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 0.5, 0.0])
    x.grad = y.grad = None
    saessak.minimum(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 0.5, 0.0])
    np.testing.assert_array_equal(y.grad.numpy(), [0.0, 0.5, 1.0])


# ---------------------------------------------------------------- ops of several tensors
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,))])
def test_binary_elementwise_ops_broadcast_and_gradcheck(shapes):
    for fn in (lambda lib, x, y: lib.maximum(x, y), lambda lib, x, y: lib.minimum(x, y),
               lambda lib, x, y: lib.fmax(x, y), lambda lib, x, y: lib.fmin(x, y)):
        check_op(fn, *shapes, gradgrad=False)
    check_op(lambda lib, x, y: lib.atan2(x, y), *shapes)
    check_op(lambda lib, x, y: lib.lerp(x, y, 0.3), *shapes)
    check_op(lambda lib, x, y: lib.lerp(x, y, 0.8), *shapes)


def test_lerp_with_tensor_weight():
    check_op(lambda lib, s, e, w: lib.lerp(s, e, w), (2, 3), (3,), (2, 1))
    check_op(lambda lib, s, e, w: s.lerp(e, w), (3,), (3,), np.array([0.1, 0.6, 0.9]))


def test_clamp_with_tensor_bounds():
    x = rng.standard_normal((3, 4))
    lo = np.full((4,), -0.5) + np.array([0.0, 0.1, 0.2, 0.3])
    hi = np.full((3, 1), 0.6)
    check_op(lambda lib, a, b, c: lib.clamp(a, b, c), x, lo, hi, gradgrad=False)
    check_op(lambda lib, a, b: lib.clamp(a, min=b), x, lo, gradgrad=False)
    check_op(lambda lib, a, c: lib.clamp(a, max=c), x, hi, gradgrad=False)
    # a tensor min above max: every element becomes max, as in torch
    check_op(lambda lib, a, b, c: lib.clamp(a, b, c), x, np.full(4, 1.0), np.full(4, -1.0), gradgrad=False)


def test_where_selects_and_routes_gradient():
    cond = np.array([[True, False, True], [False, False, True]])
    check_op(lambda lib, x, y: lib.where(lib.tensor(cond), x, y), (2, 3), (2, 3))
    check_op(lambda lib, x, y: lib.where(lib.tensor(cond), x, y), (3,), (2, 1))
    check_op(lambda lib, x: lib.where(lib.tensor(cond), x, 0.0), (2, 3))
    check_op(lambda lib, y: lib.where(lib.tensor(cond), 1.5, y), (2, 3))
    check_op(lambda lib, x, y: x.where(lib.tensor(cond), y), (2, 3), (3,))
    assert saessak.where(saessak.tensor(cond), saessak.ones(2, 3), 0.0).grad_fn is None


def test_where_dtypes_follow_torch_promotion():
    cond = saessak.tensor([True, False])
    assert saessak.where(cond, 1.0, 0.0).dtype == saessak.float32
    assert saessak.where(cond, 1, 0).dtype == saessak.int64
    assert saessak.where(cond, saessak.tensor([1, 2]), 2.5).dtype == saessak.float32
    assert saessak.where(cond, saessak.tensor([1.0, 2.0], dtype=saessak.float64), 0).dtype == saessak.float64


def test_where_with_only_condition_is_nonzero():
    cond = saessak.tensor([[True, False], [False, True]])
    rows, cols = saessak.where(cond)
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(cols.numpy(), [0, 1])


# ---------------------------------------------------------------- dtypes
@pytest.mark.parametrize("name", ["exp", "log", "sin", "sqrt", "sigmoid", "erf", "reciprocal", "atan"])
def test_float_ops_of_integers_give_the_default_float(name):
    x = saessak.tensor([1, 2, 3])
    assert getattr(saessak, name)(x).dtype == saessak.float32
    assert getattr(saessak, name)(saessak.tensor([True, False])).dtype == saessak.float32
    with saessak.no_grad():
        assert getattr(saessak, name)(saessak.tensor([1.0], dtype=saessak.float64)).dtype == saessak.float64


def test_integer_preserving_ops_keep_dtype():
    x = saessak.tensor([-2, 0, 3])
    for y in (x.abs(), x.sign(), x.relu(), x.floor(), x.ceil(), x.round(), x.trunc(), x.square(),
              saessak.maximum(x, x), x.clamp(-1, 1), x.nan_to_num()):
        assert y.dtype == saessak.int64
    np.testing.assert_array_equal(x.abs().numpy(), [2, 0, 3])
    assert saessak.tensor([True, False]).square().dtype == saessak.int64
    assert x.clamp(min=0.5).dtype == saessak.float32
    assert saessak.atan2(x, x).dtype == saessak.float32
    assert saessak.tensor([1.0], dtype=saessak.float16).exp().dtype == saessak.float16


def test_bad_dtypes_raise_like_torch():
    b, i = saessak.tensor([True]), saessak.tensor([1, 2])
    with pytest.raises(NotImplementedError, match="abs"):
        b.abs()
    with pytest.raises(RuntimeError, match="Boolean inputs not supported for relu"):
        b.relu()
    with pytest.raises(NotImplementedError, match="frac"):
        i.frac()
    with pytest.raises(NotImplementedError, match="round"):
        i.round(decimals=1)
    with pytest.raises(NotImplementedError, match="lerp"):
        saessak.lerp(i, i, 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float32 for `end` but got dtype float64"):
        saessak.lerp(saessak.ones(2), saessak.ones(2, dtype=saessak.float64), 0.5)


# ---------------------------------------------------------------- errors
def test_argument_errors():
    x = saessak.ones(3)
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        x.clamp()
    with pytest.raises(TypeError, match=r"maximum\(\): argument 'other' \(position 2\) must be Tensor"):
        saessak.maximum(x, 2)
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        saessak.where(saessak.tensor([1, 0, 1]), x, x)
    with pytest.raises(TypeError, match="1 or 3 arguments"):
        saessak.where(x > 0, x)
    with pytest.raises(RuntimeError, match=r"where: the shapes \[3\], \[3\], \[2\] are not broadcastable"):
        saessak.where(x > 0, x, saessak.ones(2))
    with pytest.raises(RuntimeError, match="must match the size"):
        saessak.maximum(x, saessak.ones(2))


# ---------------------------------------------------------------- nan and inf
def test_nan_and_inf_tests_and_replacement():
    x = saessak.tensor([float("nan"), float("inf"), -float("inf"), 1.5])
    np.testing.assert_array_equal(x.isnan().numpy(), [True, False, False, False])
    np.testing.assert_array_equal(x.isinf().numpy(), [False, True, True, False])
    np.testing.assert_array_equal(x.isfinite().numpy(), [False, False, False, True])
    np.testing.assert_array_equal(x.isposinf().numpy(), [False, True, False, False])
    np.testing.assert_array_equal(x.isneginf().numpy(), [False, False, True, False])
    big = np.finfo(np.float32).max
    np.testing.assert_array_equal(x.nan_to_num().numpy(), [0.0, big, -big, 1.5])
    np.testing.assert_array_equal(x.nan_to_num(1.0, 2.0, -2.0).numpy(), [1.0, 2.0, -2.0, 1.5])
    np.testing.assert_array_equal(saessak.tensor([1, 2]).isnan().numpy(), [False, False])


def test_nan_propagation_matches_torch():
    nan = float("nan")
    x, y = saessak.tensor([nan, 1.0, nan]), saessak.tensor([2.0, nan, nan])
    assert np.isnan(saessak.maximum(x, y).numpy()).all()
    np.testing.assert_array_equal(saessak.fmax(x, y).numpy()[:2], [2.0, 1.0])
    assert np.isnan(saessak.fmin(x, y).numpy()[2])
    assert np.isnan(x.clamp(0, 1).numpy()[0])
    np.testing.assert_array_equal(saessak.tensor([nan, -0.0, 3.0]).sign().numpy(), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(saessak.sigmoid(saessak.tensor([-1000.0, 1000.0])).numpy(), [0.0, 1.0])
    assert np.isnan(saessak.log(saessak.tensor([-1.0])).item())
    assert saessak.log(saessak.tensor([0.0])).item() == -math.inf


def test_erf_and_erfinv_special_values_and_accuracy():
    inf, nan = float("inf"), float("nan")
    x = saessak.tensor([0.0, -0.0, 1e-300, inf, -inf, nan, 7.0], dtype=saessak.float64)
    y = saessak.erf(x).numpy()
    np.testing.assert_array_equal(y[[0, 3, 4, 6]], [0.0, 1.0, -1.0, 1.0])
    assert y[2] == pytest.approx(2 / math.sqrt(math.pi) * 1e-300, rel=1e-15) and np.isnan(y[5])
    grid = np.linspace(-6.5, 6.5, 2001)
    ref = np.array([math.erf(v) for v in grid])
    np.testing.assert_allclose(saessak.erf(saessak.tensor(grid)).numpy(), ref, rtol=2e-15, atol=1e-300)
    inv = saessak.erfinv(saessak.tensor([1.0, -1.0, 1.5, 0.0], dtype=saessak.float64)).numpy()
    assert inv[0] == math.inf and inv[1] == -math.inf and np.isnan(inv[2]) and inv[3] == 0.0
    p = np.concatenate([np.linspace(-0.999999, 0.999999, 999), 1 - np.logspace(-15, -1, 50)])
    inverse = saessak.erfinv(saessak.tensor(p)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in inverse], p, rtol=1e-15)


@requires_torch
def test_erf_matches_torch_in_float32():
    import torch

    x = np.random.default_rng(1).standard_normal(1000).astype(np.float32) * 3
    np.testing.assert_allclose(saessak.erf(saessak.tensor(x)).numpy(), torch.erf(torch.tensor(x)).numpy(),
                               rtol=1e-6, atol=1e-7)
    u = np.tanh(x)
    expected = to_numpy(torch.erfinv(torch.tensor(u)))
    np.testing.assert_allclose(saessak.erfinv(saessak.tensor(u)).numpy(), expected, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- in-place variants
INPLACE = ["abs_", "exp_", "log_", "sqrt_", "sin_", "cos_", "tanh_", "sigmoid_", "relu_", "floor_", "ceil_",
           "round_", "trunc_", "reciprocal_", "square_", "nan_to_num_"]


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_ops_write_into_the_tensor(name):
    data = POSITIVE.astype(np.float32)
    x = saessak.tensor(data)
    storage = x._data
    version = x._vc[0]
    out = getattr(x, name)()
    assert out is x and x._data is storage and x._vc[0] == version + 1
    np.testing.assert_allclose(x.numpy(), getattr(saessak.tensor(data), name[:-1])().numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", INPLACE + ["clamp_", "lerp_"])
def test_inplace_on_a_leaf_that_requires_grad_raises(name):
    x = saessak.tensor(POSITIVE, requires_grad=True)
    args = {"clamp_": (0.0, 1.0), "lerp_": (saessak.ones(3, 4, dtype=saessak.float64), 0.5)}.get(name, ())
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(x, name)(*args)


def test_inplace_ops_record_history_on_non_leaves():
    x = saessak.tensor(POSITIVE, requires_grad=True)
    y = x * 1.0
    y.sin_().clamp_(0.0, 0.9).relu_()  # sin_ and clamp_ need their input from before the write
    y.sum().backward()
    ref = saessak.tensor(POSITIVE, requires_grad=True)
    ref.sin().clamp(0.0, 0.9).relu().sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), ref.grad.numpy())
    assert y.grad_fn.name() == "ReluBackward0"


def test_inplace_float_result_into_integer_tensor_raises():
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        saessak.tensor([1, 2]).exp_()


def test_inplace_lerp_and_clamp_values():
    x = saessak.tensor([0.0, 10.0])
    x.lerp_(saessak.tensor([10.0, 20.0]), 0.5)
    np.testing.assert_array_equal(x.numpy(), [5.0, 15.0])
    x.clamp_(max=10.0)
    np.testing.assert_array_equal(x.numpy(), [5.0, 10.0])
    x.clip_(min=saessak.tensor([6.0, 0.0]))
    np.testing.assert_array_equal(x.numpy(), [6.0, 10.0])


# ---------------------------------------------------------------- properties
shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


@settings(max_examples=25, deadline=None)
@given(shapes, shapes)
def test_binary_ops_broadcast_like_numpy(a, b):
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        with pytest.raises(RuntimeError):
            saessak.maximum(saessak.ones(a), saessak.ones(b))
        return
    x, y = saessak.ones(a, requires_grad=True), saessak.ones(b, requires_grad=True)
    for out in (saessak.maximum(x, y), saessak.atan2(x, y), saessak.where(x > 0, x, y),
                saessak.lerp(x, y, 0.3), saessak.clamp(x, y, None)):
        assert tuple(out.shape) == expected
        out.sum().backward()
        assert tuple(x.grad.shape) == a and tuple(y.grad.shape) == b
        x.grad = y.grad = None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8))
def test_sigmoid_stays_in_unit_interval_and_is_symmetric(values):
    x = saessak.tensor(values, dtype=saessak.float64)
    y = saessak.sigmoid(x).numpy()
    assert ((y >= 0) & (y <= 1)).all()
    np.testing.assert_allclose(y + saessak.sigmoid(-x).numpy(), 1.0, rtol=1e-12)


def test_float32_erf_fast_path_is_accurate_to_a_few_ulp():
    import math

    values = np.concatenate([np.linspace(-6, 6, 2001), 10.0 ** np.linspace(-10, 0.5, 200)]).astype(np.float32)
    ours = saessak.tensor(values).erf()
    assert ours.dtype == saessak.float32
    exact = np.array([math.erf(float(v)) for v in values])
    np.testing.assert_allclose(ours.numpy(), exact, rtol=5e-7, atol=1e-30)


def test_signbit_matches_torch():
    check_op(lambda lib, x: lib.signbit(x), np.array([-1.5, -0.0, 0.0, 2.0, -np.inf]), grad=False)
    check_op(lambda lib, x: x.signbit(), np.array([-3, 0, 4]), grad=False)
