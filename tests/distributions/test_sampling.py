"""Samples: moments of large samples, reparameterised gradients, and fitting a Normal by maximum likelihood."""

import numpy as np
import pytest

import saessak
import saessak.distributions as sd


def _float64(*values):
    return [saessak.tensor(v, dtype=saessak.float64, requires_grad=True) for v in values]


MOMENT_CASES = {
    "Normal": lambda: sd.Normal(saessak.tensor([0.5, -1.0]), saessak.tensor([1.0, 2.0])),
    "Laplace": lambda: sd.Laplace(saessak.tensor([0.5]), saessak.tensor([1.5])),
    "Uniform": lambda: sd.Uniform(saessak.tensor([-1.0, 2.0]), saessak.tensor([1.0, 5.0])),
    "Exponential": lambda: sd.Exponential(saessak.tensor([0.5, 3.0])),
    "Gamma": lambda: sd.Gamma(saessak.tensor([0.3, 4.0]), saessak.tensor([1.0, 2.0])),
    "Beta": lambda: sd.Beta(saessak.tensor([0.5, 3.0]), saessak.tensor([2.0, 1.5])),
    "Bernoulli": lambda: sd.Bernoulli(probs=saessak.tensor([0.2, 0.7])),
    "Poisson": lambda: sd.Poisson(saessak.tensor([0.5, 7.0])),
    "Binomial": lambda: sd.Binomial(saessak.tensor([5.0, 20.0]), probs=saessak.tensor([0.3, 0.6])),
    "OneHotCategorical": lambda: sd.OneHotCategorical(probs=saessak.tensor([0.2, 0.5, 0.3])),
    "MultivariateNormal": lambda: sd.MultivariateNormal(
        saessak.tensor([1.0, -1.0]), covariance_matrix=saessak.tensor([[2.0, 0.5], [0.5, 1.0]])),
}


@pytest.mark.parametrize("name", sorted(MOMENT_CASES))
def test_sample_moments_match_the_distribution(name):
    saessak.manual_seed(0)
    d = MOMENT_CASES[name]()
    n = 40000
    x = d.sample((n,)).double()
    mean, variance = d.mean.double(), d.variance.double()
    standard_error = (variance / n).sqrt()
    assert bool(((x.mean(0) - mean).abs() <= 5 * standard_error + 1e-12).all()), (x.mean(0), mean)
    np.testing.assert_allclose(x.var(0).numpy(), variance.numpy(), rtol=0.05)
    assert bool(d.support.check(x).all())


def test_categorical_sample_frequencies():
    saessak.manual_seed(1)
    probs = saessak.tensor([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
    x = sd.Categorical(probs=probs).sample((30000,))
    assert x.dtype is saessak.int64 and tuple(x.shape) == (30000, 2)
    frequencies = np.stack([np.bincount(x[:, i].numpy(), minlength=3) / 30000 for i in range(2)])
    np.testing.assert_allclose(frequencies, probs.numpy(), atol=0.015)


def test_sampling_is_reproducible_with_a_seed_and_has_no_gradient():
    loc, scale = _float64([0.0, 1.0], [1.0, 2.0])
    d = sd.Normal(loc, scale)
    saessak.manual_seed(3)
    first = d.sample((3,))
    saessak.manual_seed(3)
    assert first.tolist() == d.sample((3,)).tolist()
    assert not first.requires_grad and d.rsample().requires_grad


@pytest.mark.parametrize("name, make, params", [
    ("Normal", lambda a, b: sd.Normal(a, b), ([0.3, -1.0], [1.5, 0.7])),
    ("Laplace", lambda a, b: sd.Laplace(a, b), ([0.3, -1.0], [1.5, 0.7])),
    ("Uniform", lambda a, b: sd.Uniform(a, a + b), ([0.3, -1.0], [1.5, 0.7])),
    ("Exponential", lambda a: sd.Exponential(a), ([1.5, 0.7],)),
    ("MultivariateNormal", lambda a, b: sd.MultivariateNormal(a, scale_tril=b.tril()),
     ([0.3, -1.0], [[1.5, 0.0], [0.4, 0.7]])),
])
def test_rsample_gradients_with_fixed_noise_pass_gradcheck(name, make, params):
    def draw(*tensors):
        saessak.manual_seed(7)  # the same noise on every call: the sample is a smooth function of the parameters
        return make(*tensors).rsample((3,))

    assert saessak.autograd.gradcheck(draw, tuple(_float64(*params)), atol=1e-6, rtol=1e-4)


def test_gamma_rsample_gradient_is_the_gradient_of_the_mean():
    saessak.manual_seed(0)
    concentration, rate = _float64([0.4, 3.0], [2.0, 0.5])
    x = sd.Gamma(concentration, rate).rsample((40000,))
    x.mean(0).sum().backward()  # E[x] = concentration / rate
    np.testing.assert_allclose(concentration.grad.numpy(), 1 / rate.detach().numpy(), rtol=0.03)
    expected_rate = -concentration.detach().numpy() / rate.detach().numpy() ** 2
    np.testing.assert_allclose(rate.grad.numpy(), expected_rate, rtol=0.03)


def test_beta_rsample_gradient_is_the_gradient_of_the_mean():
    saessak.manual_seed(0)
    a, b = _float64([0.7, 3.0], [2.0, 1.5])
    x = sd.Beta(a, b).rsample((40000,))
    x.mean(0).sum().backward()  # E[x] = a / (a + b)
    a_, b_ = a.detach().numpy(), b.detach().numpy()
    np.testing.assert_allclose(a.grad.numpy(), b_ / (a_ + b_) ** 2, rtol=0.05)
    np.testing.assert_allclose(b.grad.numpy(), -a_ / (a_ + b_) ** 2, rtol=0.05)


def test_fitting_a_normal_by_maximum_likelihood():
    saessak.manual_seed(0)
    data = sd.Normal(saessak.tensor(3.0), saessak.tensor(0.5)).sample((2000,))
    loc = saessak.tensor(0.0, requires_grad=True)
    log_scale = saessak.tensor(0.0, requires_grad=True)
    lr = 0.1
    for _ in range(300):
        loss = -sd.Normal(loc, log_scale.exp()).log_prob(data).mean()
        loc.grad = log_scale.grad = None
        loss.backward()
        with saessak.no_grad():
            loc -= lr * loc.grad
            log_scale -= lr * log_scale.grad
    assert abs(loc.item() - data.mean().item()) < 1e-3
    assert abs(log_scale.exp().item() - data.std(unbiased=False).item()) < 1e-3
    assert abs(loc.item() - 3.0) < 0.05 and abs(log_scale.exp().item() - 0.5) < 0.05


def test_monte_carlo_expectation_of_a_function():
    saessak.manual_seed(2)
    x = sd.Uniform(0.0, 1.0).sample((50000,))
    assert abs((x ** 2).mean().item() - 1 / 3) < 0.005
