"""nn/init.py: gains and fans against PyTorch, distributions by their statistics under a fixed seed."""

import math

import numpy as np
import pytest

import saessak
import saessak.nn as nn
from saessak.nn import init
from tests.helpers import requires_torch, torch

NONLINEARITIES = [("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
                  ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu", None)]


@pytest.mark.parametrize("nonlinearity, param", NONLINEARITIES)
def test_calculate_gain(nonlinearity, param):
    expected = {"tanh": 5 / 3, "relu": math.sqrt(2), "selu": 0.75,
                "leaky_relu": math.sqrt(2 / (1 + (0.01 if param is None else param) ** 2))}.get(nonlinearity, 1.0)
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(expected)
    if torch is not None:
        assert init.calculate_gain(nonlinearity, param) == pytest.approx(torch.nn.init.calculate_gain(nonlinearity,
                                                                                                        param))


@pytest.mark.parametrize("call, match", [
    (lambda lib: lib.nn.init.calculate_gain("swish"), "Unsupported nonlinearity swish"),
    (lambda lib: lib.nn.init.calculate_gain("leaky_relu", True), "not a valid number"),
    (lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3, 4), mode="fan_avg"), "Mode fan_avg not supported"),
    (lambda lib: lib.nn.init.xavier_uniform_(lib.empty(5)), "fewer than 2 dimensions"),
    (lambda lib: lib.nn.init.eye_(lib.empty(2, 2, 2)), "Only tensors with 2 dimensions"),
    (lambda lib: lib.nn.init.dirac_(lib.empty(2, 2)), "Only tensors with 3, 4, or 5 dimensions"),
    (lambda lib: lib.nn.init.orthogonal_(lib.empty(4)), "Only tensors with 2 or more dimensions"),
    (lambda lib: lib.nn.init.sparse_(lib.empty(2, 2, 2), 0.5), "Only tensors with 2 dimensions"),
])
def test_errors_are_value_errors_like_torch(call, match):
    with pytest.raises(ValueError, match=match):
        call(saessak)
    if torch is not None:
        with pytest.raises(ValueError, match=match):
            call(torch)


@pytest.mark.parametrize("shape", [(3, 5), (4, 3, 2), (8, 4, 3, 3), (2, 6, 1, 2, 3), (0, 4)])
def test_fans_follow_torchs_convention(shape):
    fans = init._calculate_fan_in_and_fan_out(saessak.empty(*shape))
    receptive = math.prod(shape[2:])
    assert fans == (shape[1] * receptive, shape[0] * receptive)
    if torch is not None:
        assert fans == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def _sample(fill, *shape, seed=0):
    saessak.manual_seed(seed)
    tensor = saessak.empty(*shape, dtype=saessak.float64)
    assert fill(tensor) is tensor, "an initialiser returns the tensor it filled"
    return tensor.numpy()


def test_uniform_and_normal():
    values = _sample(lambda t: init.uniform_(t, -2.0, 3.0), 200, 100)
    assert values.min() >= -2.0 and values.max() < 3.0
    assert values.mean() == pytest.approx(0.5, abs=0.05)
    assert values.std() == pytest.approx(5 / math.sqrt(12), rel=0.02)
    values = _sample(lambda t: init.normal_(t, 1.0, 0.5), 200, 100)
    assert values.mean() == pytest.approx(1.0, abs=0.02)
    assert values.std() == pytest.approx(0.5, rel=0.02)


def test_trunc_normal_stays_inside_its_bounds_with_the_truncated_std():
    values = _sample(lambda t: init.trunc_normal_(t, 0.0, 1.0, -2.0, 2.0), 200, 100)
    assert values.min() >= -2.0 and values.max() <= 2.0
    assert values.mean() == pytest.approx(0.0, abs=0.02)
    density = math.exp(-2.0) / math.sqrt(2 * math.pi)  # the standard normal density at the bounds
    truncated_std = math.sqrt(1 - 2 * 2.0 * density / math.erf(2.0 / math.sqrt(2.0)))
    assert values.std() == pytest.approx(truncated_std, rel=0.02)
    values = _sample(lambda t: init.trunc_normal_(t, mean=0.5, std=0.1, a=0.4, b=10.0), 1000)
    assert values.min() >= 0.4 and values.max() <= 10.0


def test_trunc_normal_warns_when_the_mean_is_far_outside_the_bounds():
    with pytest.warns(UserWarning, match="mean is more than 2 std"):
        init.trunc_normal_(saessak.empty(10), mean=10.0, std=1.0, a=-2.0, b=2.0)


def test_constants_and_eye():
    np.testing.assert_allclose(init.constant_(saessak.empty(2, 2), 0.3).numpy(), np.full((2, 2), 0.3), rtol=1e-6)
    assert init.ones_(saessak.empty(3)).tolist() == [1.0, 1.0, 1.0]
    assert init.zeros_(saessak.ones(3)).tolist() == [0.0, 0.0, 0.0]
    assert init.eye_(saessak.empty(2, 3)).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


@pytest.mark.parametrize("shape, groups", [((4, 2, 3), 1), ((4, 4, 3, 3), 2), ((2, 2, 3, 3, 3), 1), ((3, 5, 2), 1)])
def test_dirac_makes_an_identity_convolution(shape, groups):
    ours = init.dirac_(saessak.empty(*shape), groups).numpy()
    assert ours.sum() == min(shape[0] // groups, shape[1]) * groups
    if torch is not None:
        np.testing.assert_array_equal(ours, torch.nn.init.dirac_(torch.empty(*shape), groups).numpy())
    if len(shape) == 4 and groups == 1:
        x = saessak.randn(1, shape[1], 5, 5)
        np.testing.assert_allclose(nn.functional.conv2d(x, saessak.tensor(ours), padding=1).numpy(), x.numpy())


def test_xavier_scales_with_both_fans():
    fan_in, fan_out = 60 * 9, 40 * 9
    std = math.sqrt(2.0 / (fan_in + fan_out))
    values = _sample(lambda t: init.xavier_uniform_(t, gain=2.0), 40, 60, 3, 3)
    assert np.abs(values).max() <= 2.0 * math.sqrt(3) * std
    assert values.std() == pytest.approx(2.0 * std, rel=0.03)
    values = _sample(lambda t: init.xavier_normal_(t), 40, 60, 3, 3)
    assert values.mean() == pytest.approx(0.0, abs=0.01 * std * 10)
    assert values.std() == pytest.approx(std, rel=0.03)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "FAN_OUT"])
@pytest.mark.parametrize("nonlinearity, a", [("relu", 0), ("leaky_relu", 0), ("leaky_relu", math.sqrt(5)),
                                             ("tanh", 0)])
def test_kaiming_std_is_gain_over_sqrt_fan(mode, nonlinearity, a):
    fan = 30 * 4 if mode == "fan_in" else 50 * 4
    std = init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    values = _sample(lambda t: init.kaiming_uniform_(t, a, mode, nonlinearity), 50, 30, 2, 2)
    assert np.abs(values).max() <= math.sqrt(3) * std
    assert values.std() == pytest.approx(std, rel=0.04)
    values = _sample(lambda t: init.kaiming_normal_(t, a, mode, nonlinearity), 50, 30, 2, 2)
    assert values.std() == pytest.approx(std, rel=0.04)


def test_kaiming_on_an_empty_tensor_warns_and_does_nothing():
    empty = saessak.empty(0, 3)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        assert init.kaiming_uniform_(empty) is empty


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 3), (4, 4)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    q = _sample(lambda t: init.orthogonal_(t, gain=2.0), *shape).reshape(shape[0], -1) / 2.0
    small = min(q.shape)
    gram = q @ q.T if q.shape[0] == small else q.T @ q
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-10)


def test_sparse_zeroes_the_same_count_in_every_column():
    values = _sample(lambda t: init.sparse_(t, sparsity=0.3, std=0.05), 10, 400)
    assert ((values == 0).sum(axis=0) == 3).all()  # ceil(0.3 * 10)
    assert values[values != 0].std() == pytest.approx(0.05, rel=0.05)


def test_generator_makes_initialisation_reproducible():
    def draw(fill):
        return fill(saessak.empty(4, 5), generator=saessak.Generator().manual_seed(3)).numpy()

    for fill in (init.uniform_, init.normal_, init.trunc_normal_, init.xavier_uniform_, init.xavier_normal_,
                 init.kaiming_uniform_, init.kaiming_normal_, init.orthogonal_):
        np.testing.assert_array_equal(draw(fill), draw(fill), err_msg=fill.__name__)
    a = init.sparse_(saessak.empty(4, 5), 0.5, generator=saessak.Generator().manual_seed(1))
    b = init.sparse_(saessak.empty(4, 5), 0.5, generator=saessak.Generator().manual_seed(1))
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_initialisers_work_on_parameters_and_leave_them_leaves():
    layer = nn.Linear(6, 4)
    for fill in (init.xavier_uniform_, init.kaiming_normal_, init.orthogonal_, init.trunc_normal_, init.ones_,
                 init.eye_):
        out = fill(layer.weight)
        assert out is layer.weight
        assert layer.weight.requires_grad and layer.weight.grad_fn is None and layer.weight.is_leaf
    init.zeros_(layer.bias)
    assert layer.bias.tolist() == [0.0] * 4


@requires_torch
def test_prelu_starts_at_its_init_value_like_torch():
    assert nn.PReLU(2, init=0.3).weight.tolist() == pytest.approx(torch.nn.PReLU(2, init=0.3).weight.tolist())
