"""Activations and dropout: nn/_functional/activation.py, nn/modules/activation.py and nn/modules/dropout.py."""

import numpy as np
import pytest

import saessak
import saessak.nn as nn
import saessak.nn.functional as F
from tests.helpers import check_op, requires_torch, to_numpy, torch

# (name, fn(lib, x)): each is checked against torch on random inputs, gradients and double backward included
ELEMENTWISE = [
    ("relu", lambda lib, x: lib.nn.functional.relu(x)),
    ("relu6", lambda lib, x: lib.nn.functional.relu6(x * 4)),
    ("leaky_relu", lambda lib, x: lib.nn.functional.leaky_relu(x, 0.2)),
    ("elu", lambda lib, x: lib.nn.functional.elu(x)),
    ("elu_alpha", lambda lib, x: lib.nn.functional.elu(x, alpha=0.5)),
    ("selu", lambda lib, x: lib.nn.functional.selu(x)),
    ("celu", lambda lib, x: lib.nn.functional.celu(x, alpha=0.7)),
    ("gelu", lambda lib, x: lib.nn.functional.gelu(x)),
    ("gelu_tanh", lambda lib, x: lib.nn.functional.gelu(x, approximate="tanh")),
    ("silu", lambda lib, x: lib.nn.functional.silu(x)),
    ("mish", lambda lib, x: lib.nn.functional.mish(x)),
    ("sigmoid", lambda lib, x: lib.nn.functional.sigmoid(x)),
    ("tanh", lambda lib, x: lib.nn.functional.tanh(x)),
    ("hardtanh", lambda lib, x: lib.nn.functional.hardtanh(x)),
    ("hardtanh_range", lambda lib, x: lib.nn.functional.hardtanh(x, -0.5, 2.0)),
    ("hardsigmoid", lambda lib, x: lib.nn.functional.hardsigmoid(x * 3)),
    ("hardswish", lambda lib, x: lib.nn.functional.hardswish(x * 3)),
    ("softplus", lambda lib, x: lib.nn.functional.softplus(x)),
    ("softplus_beta", lambda lib, x: lib.nn.functional.softplus(x, beta=2.0, threshold=1.0)),
    ("softsign", lambda lib, x: lib.nn.functional.softsign(x)),
    ("threshold", lambda lib, x: lib.nn.functional.threshold(x, 0.1, 20.0)),
    ("logsigmoid", lambda lib, x: lib.nn.functional.logsigmoid(x)),
    ("tanhshrink", lambda lib, x: lib.nn.functional.tanhshrink(x)),
    ("softmax", lambda lib, x: lib.nn.functional.softmax(x, dim=1)),
    ("softmax_dim0", lambda lib, x: lib.nn.functional.softmax(x, 0)),
    ("log_softmax", lambda lib, x: lib.nn.functional.log_softmax(x, dim=1)),
    ("softmin", lambda lib, x: lib.nn.functional.softmin(x, dim=1)),
    ("glu", lambda lib, x: lib.nn.functional.glu(x)),
    ("glu_dim0", lambda lib, x: lib.nn.functional.glu(x, dim=0)),
    ("normalize", lambda lib, x: lib.nn.functional.normalize(x)),
    ("normalize_p1", lambda lib, x: lib.nn.functional.normalize(x, p=1.0, dim=0)),
]


@pytest.mark.parametrize("fn", [fn for _, fn in ELEMENTWISE], ids=[name for name, _ in ELEMENTWISE])
def test_activation_matches_torch(fn):
    check_op(fn, (4, 4))


@pytest.mark.parametrize("fn", [fn for _, fn in ELEMENTWISE], ids=[name for name, _ in ELEMENTWISE])
def test_activation_keeps_float32(fn):
    x = saessak.randn(4, 4)
    assert fn(saessak, x).dtype == saessak.float32


KINKS = np.array([-6.0, -3.0, -1.0, -0.5, 0.0, 0.1, 0.5, 1.0, 3.0, 6.0, 20.0])


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.relu(x),
    lambda lib, x: lib.nn.functional.relu6(x),
    lambda lib, x: lib.nn.functional.hardtanh(x),
    lambda lib, x: lib.nn.functional.hardtanh(x, -0.5, 0.5),
    lambda lib, x: lib.nn.functional.hardsigmoid(x),
    lambda lib, x: lib.nn.functional.hardswish(x),
    lambda lib, x: lib.nn.functional.leaky_relu(x, 0.1),
    lambda lib, x: lib.nn.functional.elu(x, 0.5),
    lambda lib, x: lib.nn.functional.celu(x, 2.0),
    lambda lib, x: lib.nn.functional.selu(x),
    lambda lib, x: lib.nn.functional.threshold(x, 0.1, -2.0),
    lambda lib, x: lib.nn.functional.softsign(x),
    lambda lib, x: lib.nn.functional.softplus(x),
    lambda lib, x: lib.nn.functional.softplus(x, beta=2.0, threshold=1.0),
], ids=["relu", "relu6", "hardtanh", "hardtanh_range", "hardsigmoid", "hardswish", "leaky_relu", "elu", "celu",
        "selu", "threshold", "softsign", "softplus", "softplus_beta"])
def test_gradient_at_the_kinks_is_torchs(fn):
    check_op(fn, KINKS, numerical=False)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["softplus", "elu", "selu", "celu", "logsigmoid", "mish", "silu", "gelu", "sigmoid"])
def test_large_inputs_stay_finite(name, dtype):
    x = saessak.tensor(np.array([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0], dtype=dtype), requires_grad=True)
    y = getattr(F, name)(x)
    y.sum().backward()
    assert np.isfinite(y.detach().numpy()).all(), f"{name} overflowed: {y}"
    assert np.isfinite(x.grad.numpy()).all(), f"{name}'s gradient is not finite: {x.grad}"
    if torch is not None:
        t = torch.tensor(x.detach().numpy(), requires_grad=True)
        getattr(torch.nn.functional, name)(t).sum().backward()
        np.testing.assert_allclose(y.detach().numpy(), to_numpy(getattr(torch.nn.functional, name)(t)), rtol=1e-5,
                                   atol=1e-30)  # float32 logsigmoid(100) is subnormal
        np.testing.assert_allclose(x.grad.numpy(), to_numpy(t.grad), rtol=1e-5, atol=1e-7)


def test_prelu_matches_torch():
    check_op(lambda lib, x, w: lib.nn.functional.prelu(x, w), (2, 3, 4), np.array([0.25, -0.5, 2.0]))
    check_op(lambda lib, x, w: lib.nn.functional.prelu(x, w), (2, 3), np.array([0.1]))
    check_op(lambda lib, x, w: lib.nn.functional.prelu(x, w), (5,), np.array([0.3]))


def test_prelu_rejects_a_weight_that_fits_no_channel_count():
    with pytest.raises(RuntimeError, match="channel size = 3"):
        F.prelu(saessak.randn(2, 3, 4), saessak.ones(2))


# ---------------------------------------------------------------- in-place forms
@pytest.mark.parametrize("name", ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "hardtanh",
                                  "hardsigmoid", "hardswish"])
def test_inplace_writes_into_the_input_and_keeps_gradients(name):
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x * 1.0, inplace=True), (3, 4))
    x = saessak.randn(3, 4)
    expected = getattr(F, name)(x)
    out = getattr(F, name)(x, inplace=True)
    assert out is x
    np.testing.assert_array_equal(x.numpy(), expected.numpy())


def test_inplace_threshold_and_trailing_underscore_forms():
    check_op(lambda lib, x: lib.nn.functional.threshold(x * 1.0, 0.2, 5.0, inplace=True), (3, 4))
    x = saessak.tensor([-2.0, 0.5, 2.0])
    assert F.hardtanh_(x) is x
    assert x.tolist() == [-1.0, 0.5, 1.0]
    assert F.leaky_relu_(saessak.tensor([-2.0]), 0.5).tolist() == [-1.0]
    assert F.threshold_(saessak.tensor([0.0, 3.0]), 1.0, 7.0).tolist() == [7.0, 3.0]


def test_inplace_on_a_leaf_that_requires_grad_is_an_error():
    x = saessak.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F.elu(x, inplace=True)


# ---------------------------------------------------------------- softmax family
def test_softmax_without_dim_warns_and_picks_torchs_dim():
    x = saessak.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = F.softmax(x)
    np.testing.assert_allclose(y.sum(1).numpy(), np.ones(2), rtol=1e-6)
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        assert F.log_softmax(saessak.randn(3)).shape == (3,)


def test_softmax_dtype_argument_casts_first():
    x = saessak.randn(2, 3)
    assert F.softmax(x, 1, dtype=saessak.float64).dtype == saessak.float64
    assert F.softmin(x, 1, dtype=saessak.float64).dtype == saessak.float64
    assert F.log_softmax(x, 1, dtype=saessak.float64).dtype == saessak.float64


def test_one_hot_is_reexported():
    assert F.one_hot(saessak.tensor([0, 2]), 3).tolist() == [[1, 0, 0], [0, 0, 1]]


def test_normalize_gives_unit_rows_and_guards_zero_rows():
    y = F.normalize(saessak.tensor([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(y.numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("call, error, match", [
    (lambda lib: lib.nn.functional.gelu(lib.randn(3), approximate="erf"), RuntimeError, "approximate"),
    (lambda lib: lib.nn.functional.glu(lib.randn(2, 3)), RuntimeError, "Halving dimension must be even"),
    (lambda lib: lib.nn.functional.hardtanh(lib.randn(3), 1.0, -1.0), ValueError, "min_val cannot be greater"),
    (lambda lib: lib.nn.functional.dropout(lib.randn(3), 1.5), ValueError, "between 0 and 1, but got 1.5"),
    (lambda lib: lib.nn.functional.dropout1d(lib.randn(2, 3, 4, 5)), RuntimeError, "Expected 2D or 3D input"),
    (lambda lib: lib.nn.Dropout(-0.1), ValueError, "between 0 and 1"),
])
def test_errors_name_the_problem_like_torch(call, error, match):
    with pytest.raises(error, match=match):
        call(saessak)
    if torch is not None:
        with pytest.raises(error):
            call(torch)


# ---------------------------------------------------------------- modules
MODULES = [
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("ReLU6", (), {}), ("ReLU6", (), {"inplace": True}),
    ("LeakyReLU", (), {}), ("LeakyReLU", (0.2, True), {}), ("PReLU", (), {}), ("PReLU", (4,), {"init": 0.1}),
    ("ELU", (), {}), ("ELU", (0.5, True), {}), ("SELU", (), {}), ("SELU", (True,), {}), ("CELU", (0.7,), {}),
    ("GELU", (), {}), ("GELU", ("tanh",), {}), ("SiLU", (), {}), ("SiLU", (True,), {}), ("Mish", (), {}),
    ("Sigmoid", (), {}), ("Tanh", (), {}), ("Hardtanh", (), {}), ("Hardtanh", (-2.0, 2.0, True), {}),
    ("Hardsigmoid", (), {}), ("Hardswish", (True,), {}), ("Softplus", (), {}), ("Softplus", (2.0, 10.0), {}),
    ("Softsign", (), {}), ("Softmax", (1,), {}), ("Softmax", (), {"dim": 0}), ("LogSoftmax", (1,), {}),
    ("Softmin", (1,), {}), ("Threshold", (0.1, 20.0), {}), ("Threshold", (0.1, 20.0, True), {}), ("GLU", (), {}),
    ("GLU", (1,), {}), ("LogSigmoid", (), {}), ("Tanhshrink", (), {}),
    ("Dropout", (), {}), ("Dropout", (0.2, True), {}), ("Dropout1d", (), {}), ("Dropout2d", (0.3,), {}),
    ("Dropout3d", (), {}), ("AlphaDropout", (0.1,), {}), ("FeatureAlphaDropout", (), {}),
]


@pytest.mark.parametrize("name, args, kwargs", MODULES, ids=[f"{m[0]}{m[1]}{m[2]}" for m in MODULES])
def test_module_repr_matches_torch(name, args, kwargs):
    ours = getattr(nn, name)(*args, **kwargs)
    assert isinstance(ours, nn.Module)
    assert repr(ours).startswith(f"{name}(")
    if torch is not None:
        assert repr(ours) == repr(getattr(torch.nn, name)(*args, **kwargs))


def test_module_reprs_read_like_torchs():
    assert repr(nn.ReLU()) == "ReLU()"
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    assert repr(nn.Dropout()) == "Dropout(p=0.5, inplace=False)"
    assert repr(nn.GELU()) == "GELU(approximate='none')"


@requires_torch
@pytest.mark.parametrize("name, args, kwargs", [m for m in MODULES if "Dropout" not in m[0]],
                         ids=[f"{m[0]}{m[1]}{m[2]}" for m in MODULES if "Dropout" not in m[0]])
def test_module_forward_matches_torch(name, args, kwargs):
    x = (np.random.default_rng(0).standard_normal((2, 4, 6)) * 3).astype(np.float32)
    ours = getattr(nn, name)(*args, **kwargs)(saessak.tensor(x))
    theirs = getattr(torch.nn, name)(*args, **kwargs)(torch.tensor(x))
    np.testing.assert_allclose(ours.detach().numpy(), to_numpy(theirs), rtol=1e-5, atol=1e-6)


def test_prelu_weight_is_a_learnable_parameter():
    layer = nn.PReLU(3, init=0.1)
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert isinstance(layer.weight, nn.Parameter)
    np.testing.assert_allclose(layer.weight.detach().numpy(), [0.1, 0.1, 0.1], rtol=1e-6)
    layer(saessak.tensor([[-1.0, -2.0, 3.0]])).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), [-1.0, -2.0, 0.0])


def test_softmax_module_sums_to_one_along_its_dim():
    y = nn.Softmax(dim=0)(saessak.randn(3, 2))
    np.testing.assert_allclose(y.sum(0).detach().numpy(), np.ones(2), rtol=1e-6)


# ---------------------------------------------------------------- dropout
def test_dropout_zeroes_a_fraction_p_and_scales_the_rest():
    saessak.manual_seed(0)
    y = F.dropout(saessak.ones(20000), p=0.3)
    values = y.numpy()
    assert abs((values == 0).mean() - 0.3) < 0.02
    np.testing.assert_allclose(values[values != 0], 1 / 0.7, rtol=1e-6)


def test_dropout_is_reproducible_with_manual_seed():
    saessak.manual_seed(7)
    a = F.dropout(saessak.ones(50))
    saessak.manual_seed(7)
    b = F.dropout(saessak.ones(50))
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_dropout_gradient_is_the_scaled_mask():
    x = saessak.randn(100, requires_grad=True)
    y = F.dropout(x, p=0.25)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), (y.detach().numpy() != 0) / 0.75, rtol=1e-6)


def test_dropout_is_the_identity_outside_training_or_at_p_zero():
    x = saessak.randn(4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.alpha_dropout(x, 0.5) is x  # alpha_dropout's training defaults to False, as in torch
    assert F.dropout(x, 1.0).abs().sum().item() == 0


def test_dropout_module_follows_train_and_eval():
    layer = nn.Dropout(0.5)
    x = saessak.ones(1000)
    assert (layer(x).numpy() == 0).any()
    layer.eval()
    assert layer(x) is x


def test_inplace_dropout_writes_into_the_input():
    x = saessak.ones(100)
    assert F.dropout(x, 0.5, inplace=True) is x
    assert set(np.unique(x.numpy())) <= {0.0, 2.0}


@pytest.mark.parametrize("fn, shape", [(F.dropout1d, (4, 6, 5)), (F.dropout1d, (6, 5)), (F.dropout2d, (4, 6, 3, 3)),
                                       (F.dropout3d, (2, 6, 2, 2, 2)), (F.dropout3d, (6, 2, 2, 2))])
def test_channel_dropout_zeroes_whole_channels(fn, shape):
    saessak.manual_seed(0)
    y = fn(saessak.ones(*shape), p=0.5).numpy()
    spatial = len(shape) - (1 if shape in ((6, 5), (6, 2, 2, 2)) else 2)
    per_channel = y.reshape(*y.shape[: y.ndim - spatial], -1)
    assert (per_channel == per_channel[..., :1]).all(), "a channel was only partly dropped"
    assert set(np.unique(y)) == {0.0, 2.0}


def test_dropout2d_reads_3d_input_as_batched_1d_with_a_warning():
    with pytest.warns(UserWarning, match="assuming that channel-wise 1D dropout"):
        y = F.dropout2d(saessak.ones(2, 3, 4)).numpy()
    assert (y == y[..., :1]).all()


def test_alpha_dropout_keeps_zero_mean_and_unit_variance():
    saessak.manual_seed(0)
    y = F.alpha_dropout(saessak.randn(40000), p=0.2, training=True).numpy()
    assert abs(y.mean()) < 0.03
    assert abs(y.std() - 1.0) < 0.03
    saessak.manual_seed(0)
    y = nn.FeatureAlphaDropout(0.2)(saessak.randn(400, 100, 2)).numpy()
    assert abs(y.mean()) < 0.05 and abs(y.std() - 1.0) < 0.05


# ---------------------------------------------------------------- shrinkage, rrelu, softmax2d, gumbel-softmax
def test_shrinks_and_rrelu_eval_match_torch():
    check_op(lambda lib, x: lib.nn.functional.hardshrink(x), (3, 4))
    check_op(lambda lib, x: lib.nn.functional.softshrink(x, 0.3), (3, 4))
    check_op(lambda lib, x: lib.nn.functional.rrelu(x), (3, 4))
    check_op(lambda lib, x: lib.nn.functional.rrelu(x, 0.1, 0.5, training=False), (3, 4))
    check_op(lambda lib, x: lib.nn.Softmax2d()(x), (2, 3, 2, 2))
    check_op(lambda lib, x: lib.nn.Softmax2d()(x), (3, 2, 2))


def test_rrelu_training_draws_slopes_between_lower_and_upper():
    x = -saessak.rand(1000, dtype=saessak.float64) - 0.1
    x.requires_grad_(True)
    y = saessak.nn.RReLU(0.2, 0.4)(x)
    slopes = (y / x).detach().numpy()
    assert slopes.min() >= 0.2 and slopes.max() <= 0.4 and slopes.std() > 0.03
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)
    positive = saessak.tensor([1.0, 2.0])
    assert saessak.nn.functional.rrelu(positive, training=True).tolist() == [1.0, 2.0]


def test_gumbel_softmax_samples_are_distributions_and_hard_is_straight_through():
    saessak.manual_seed(0)
    logits = saessak.randn(64, 5, requires_grad=True)
    soft = saessak.nn.functional.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.sum(-1).detach().numpy(), 1.0, rtol=1e-6)
    hard = saessak.nn.functional.gumbel_softmax(logits, hard=True, dim=-1)
    assert set(np.unique(hard.detach().numpy())) == {0.0, 1.0}
    np.testing.assert_array_equal(hard.sum(-1).detach().numpy(), 1.0)
    (hard * saessak.arange(5.0)).sum().backward()
    assert logits.grad is not None and float(logits.grad.abs().sum()) > 0
    # with a dominant logit the sample almost always picks it
    peaked = saessak.tensor([[0.0, 20.0, 0.0]]).expand(100, 3)
    assert (saessak.nn.functional.gumbel_softmax(peaked, hard=True).argmax(-1) == 1).all()


@requires_torch
def test_new_activation_modules_repr_and_values_match_torch():
    x = np.random.default_rng(2).standard_normal((2, 3, 2, 2)).astype(np.float32)
    for name, args in (("Hardshrink", ()), ("Hardshrink", (0.2,)), ("Softshrink", (0.7,)), ("RReLU", (0.1, 0.3)),
                       ("Softmax2d", ())):
        ours, theirs = getattr(saessak.nn, name)(*args).eval(), getattr(torch.nn, name)(*args).eval()
        assert repr(ours) == repr(theirs)
        np.testing.assert_allclose(ours(saessak.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-6)
    assert repr(saessak.nn.RReLU(inplace=True)) == repr(torch.nn.RReLU(inplace=True))
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D instead"):
        saessak.nn.Softmax2d()(saessak.ones(2, 2))
