"""ops/special.py: lgamma, digamma, polygamma, mvlgamma, xlogy and gamma sampling with its gradient."""

import numpy as np
import pytest

import saessak
from saessak.ops import special
from tests.helpers import check_op, requires_torch, torch

scipy_special = pytest.importorskip("scipy.special")


def _relative_error(ours, reference):
    return np.max(np.abs(ours - reference) / np.maximum(np.abs(reference), 1e-300))


def _log_uniform(rng, low, high, size=4000):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


# ---------------------------------------------------------------- accuracy against scipy
@pytest.mark.parametrize("low, high", [(1e-12, 1e-3), (1e-3, 0.5), (2.5, 10.0), (10.0, 1e4), (1e4, 1e250)])
def test_lgamma_digamma_polygamma_match_scipy_over_positive_ranges(low, high):
    x = _log_uniform(np.random.default_rng(0), low, high)
    assert _relative_error(special.lgamma_array(x), scipy_special.gammaln(x)) < 1e-13
    assert _relative_error(special.digamma_array(x), scipy_special.digamma(x)) < 1e-13
    for n in (1, 2, 3, 6):
        assert _relative_error(special.polygamma_array(n, x), scipy_special.polygamma(n, x)) < 1e-13


def test_kernels_match_scipy_on_the_negative_axis_away_from_zeros():
    x = np.random.default_rng(1).uniform(-40.0, 0.0, 4000)
    x = x[np.abs(x - np.round(x)) > 1e-3]
    for ours, reference in [(special.lgamma_array(x), scipy_special.gammaln(x)),
                            (special.digamma_array(x), scipy_special.digamma(x)),
                            (special.polygamma_array(1, x), scipy_special.polygamma(1, x)),
                            (special.polygamma_array(3, x), scipy_special.polygamma(3, x))]:
        np.testing.assert_allclose(ours, reference, rtol=1e-11, atol=1e-12)


def test_relative_precision_near_the_zeros_of_lgamma_and_digamma():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    rng = np.random.default_rng(2)
    tiny = np.exp(rng.uniform(-30.0, -2.0, 60))
    x = np.concatenate([1.0 + tiny, 1.0 - tiny, 2.0 + tiny, 2.0 - tiny])
    reference = np.array([float(mpmath.loggamma(mpmath.mpf(v))) for v in x])
    assert _relative_error(special.lgamma_array(x), reference) < 1e-13
    x = 1.4616321449683623 + np.concatenate([tiny, -tiny])
    reference = np.array([float(mpmath.digamma(mpmath.mpf(v))) for v in x])
    assert _relative_error(special.digamma_array(x), reference) < 1e-13


def test_poles_and_special_values():
    x = np.array([0.0, -0.0, -1.0, -2.0, np.inf, np.nan])
    np.testing.assert_array_equal(special.lgamma_array(x), [np.inf, np.inf, np.inf, np.inf, np.inf, np.nan])
    np.testing.assert_array_equal(special.digamma_array(x), [-np.inf, np.inf, np.nan, np.nan, np.inf, np.nan])
    assert special.lgamma_array(np.array([1.0, 2.0])).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(special.polygamma_array(1, np.array([1.0])), [np.pi ** 2 / 6], rtol=1e-15)


# ---------------------------------------------------------------- ops, gradients, PyTorch
@requires_torch
@pytest.mark.parametrize("name", ["lgamma", "digamma"])
def test_lgamma_digamma_against_torch_with_gradients(name):
    x = np.array([0.3, 0.9, 1.5, 2.7, 7.0, 12.5, -0.4, -2.6])
    check_op(lambda lib, a: getattr(lib, name)(a), x, atol=1e-10, rtol=1e-10)
    check_op(lambda lib, a: getattr(a, name)(), x, atol=1e-10, rtol=1e-10)


@requires_torch
@pytest.mark.parametrize("n", [0, 1, 2, 4])
def test_polygamma_against_torch_with_gradients(n):
    x = np.array([0.3, 0.9, 1.5, 2.7, 7.0, 12.5])
    check_op(lambda lib, a: lib.polygamma(n, a), x, atol=1e-9, rtol=1e-9)
    check_op(lambda lib, a: a.polygamma(n), x, atol=1e-9, rtol=1e-9)


@requires_torch
def test_mvlgamma_against_torch():
    check_op(lambda lib, a: lib.mvlgamma(a, p=3), np.array([1.2, 2.5, 4.0]), atol=1e-10, rtol=1e-10)


def test_mvlgamma_rejects_small_arguments():
    with pytest.raises(RuntimeError, match=r"greater than \(p-1\)/2"):
        saessak.mvlgamma(saessak.tensor([0.9]), p=3)


@requires_torch
def test_xlogy_against_torch_with_gradients():
    rng = np.random.default_rng(3)
    x = np.where(rng.random(12) < 0.3, 0.0, rng.standard_normal(12)).reshape(3, 4)
    check_op(lambda lib, a, b: special.xlogy(a, b) if lib is saessak else lib.xlogy(a, b), x,
             rng.uniform(0.5, 2.0, (4,)))


@requires_torch
def test_xlogy_zero_conventions_match_torch():
    x, y = [0.0, 0.0, 0.0, 1.0], [0.0, float("nan"), 1.0, 0.0]
    ours_x, ours_y = saessak.tensor(x, requires_grad=True), saessak.tensor(y, requires_grad=True)
    theirs_x, theirs_y = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    ours, theirs = special.xlogy(ours_x, ours_y), torch.xlogy(theirs_x, theirs_y)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_array_equal(ours_x.grad.numpy(), theirs_x.grad.numpy())
    np.testing.assert_array_equal(ours_y.grad.numpy(), theirs_y.grad.numpy())
    assert special.xlogy(2.0, saessak.tensor([1.0])).item() == 0.0


def test_float32_inputs_stay_float32_and_integers_become_float():
    assert saessak.lgamma(saessak.tensor([1.5], dtype=saessak.float32)).dtype is saessak.float32
    assert saessak.digamma(saessak.tensor([3])).dtype is saessak.get_default_dtype()


def test_polygamma_rejects_negative_order():
    with pytest.raises(RuntimeError, match="negative n"):
        saessak.polygamma(-1, saessak.tensor([1.0]))


# ---------------------------------------------------------------- gamma samples and their gradient
@pytest.mark.parametrize("alpha", [0.05, 0.7, 3.0, 40.0, 400.0])
def test_gamma_sample_gradient_matches_the_inverse_cdf_derivative(alpha):
    rng = np.random.default_rng(4)
    a = np.full(300, alpha)
    x = rng.standard_gamma(a)
    u = scipy_special.gammainc(a, x)
    keep = (u > 1e-8) & (u < 1 - 1e-8)
    h = 1e-6 * alpha
    numerical = (scipy_special.gammaincinv(a + h, u) - scipy_special.gammaincinv(a - h, u)) / (2 * h)
    ours = special._gamma_sample_grad(x, a)
    np.testing.assert_allclose(ours[keep], numerical[keep], rtol=1e-4)


@requires_torch
def test_gamma_sample_gradient_close_to_torchs_approximation():
    rng = np.random.default_rng(5)
    a = np.exp(rng.uniform(np.log(0.1), np.log(100.0), 2000))
    x = rng.standard_gamma(a)
    theirs = torch._standard_gamma_grad(torch.tensor(a), torch.tensor(x)).numpy()
    np.testing.assert_allclose(special._gamma_sample_grad(x, a), theirs, rtol=2e-3)


def test_standard_gamma_samples_have_gamma_moments_and_a_gradient():
    saessak.manual_seed(0)
    alpha = saessak.full((20000,), 2.5, dtype=saessak.float64, requires_grad=True)
    x = special._standard_gamma(alpha)
    assert abs(x.mean().item() - 2.5) < 0.05 and abs(x.var().item() - 2.5) < 0.1
    x.mean().backward()  # d E[x] / d alpha = 1
    assert abs(alpha.grad.sum().item() - 1.0) < 0.02
