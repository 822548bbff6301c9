"""kl_divergence against torch (values and gradients), dispatch, and register_kl."""

import numpy as np
import pytest

import saessak
import saessak.distributions as sd
from tests.helpers import requires_torch, to_numpy, torch

if torch is not None:
    import torch.distributions as td

_rng = np.random.default_rng(0)


def _spd(n):
    a = _rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _probs(*shape):
    p = _rng.uniform(0.1, 1.0, shape)
    return p / p.sum(-1, keepdims=True)


PAIRS = {
    "Normal": (lambda D, a, b, c, d: (D.Normal(a, b), D.Normal(c, d)),
               [_rng.standard_normal(3), _rng.uniform(0.5, 2, 3), _rng.standard_normal((2, 1)),
                _rng.uniform(0.5, 2, 3)]),
    "Laplace": (lambda D, a, b, c, d: (D.Laplace(a, b), D.Laplace(c, d)),
                [_rng.standard_normal(3), _rng.uniform(0.5, 2, 3), _rng.standard_normal(3), _rng.uniform(0.5, 2, 3)]),
    "Bernoulli": (lambda D, p, q: (D.Bernoulli(probs=p), D.Bernoulli(probs=q)),
                  [_rng.uniform(0.1, 0.9, 4), _rng.uniform(0.1, 0.9, 4)]),
    "Categorical": (lambda D, p, q: (D.Categorical(probs=p), D.Categorical(logits=q)),
                    [_probs(2, 4), _rng.standard_normal((2, 4))]),
    "OneHotCategorical": (lambda D, p, q: (D.OneHotCategorical(probs=p), D.OneHotCategorical(probs=q)),
                          [_probs(3), _probs(3)]),
    "Uniform": (lambda D, a, b: (D.Uniform(a, a + 1), D.Uniform(a - b, a + 1 + b)),
                [_rng.standard_normal(3), _rng.uniform(0.1, 1, 3)]),
    "Exponential": (lambda D, a, b: (D.Exponential(a), D.Exponential(b)), [_rng.uniform(0.5, 2, 3) for _ in range(2)]),
    "Gamma": (lambda D, a, b, c, d: (D.Gamma(a, b), D.Gamma(c, d)), [_rng.uniform(0.5, 3, 3) for _ in range(4)]),
    "Beta": (lambda D, a, b, c, d: (D.Beta(a, b), D.Beta(c, d)), [_rng.uniform(0.5, 3, 3) for _ in range(4)]),
    "Poisson": (lambda D, a, b: (D.Poisson(a), D.Poisson(b)), [_rng.uniform(0.5, 3, 3) for _ in range(2)]),
    "MultivariateNormal": (lambda D, a, b, c, d: (D.MultivariateNormal(a, covariance_matrix=b),
                                                  D.MultivariateNormal(c, scale_tril=d)),
                           [_rng.standard_normal((2, 3)), _spd(3), _rng.standard_normal(3),
                            np.linalg.cholesky(_spd(3))]),
    "Independent": (lambda D, a, b, c, d: (D.Independent(D.Normal(a, b), 1), D.Independent(D.Normal(c, d), 1)),
                    [_rng.standard_normal((2, 3)), _rng.uniform(0.5, 2, (2, 3)), _rng.standard_normal(3),
                     _rng.uniform(0.5, 2, 3)]),
}


@requires_torch
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_kl_divergence_and_its_gradients_match_torch(name):
    make, params = PAIRS[name]
    values, grads = [], []
    for lib, module in ((saessak, sd), (torch, td)):
        tensors = [lib.tensor(p, dtype=lib.float64, requires_grad=True) for p in params]
        kl = module.kl_divergence(*make(module, *tensors))
        kl.sum().backward()
        values.append(to_numpy(kl))
        grads.append([to_numpy(t.grad) for t in tensors])
    assert values[0].shape == values[1].shape
    np.testing.assert_allclose(values[0], values[1], rtol=1e-10, atol=1e-12)
    for i, (ours, theirs) in enumerate(zip(*grads)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-10, err_msg=f"gradient of parameter {i}")


def test_kl_is_zero_for_equal_distributions_and_infinite_outside_the_support():
    p = sd.Normal(saessak.tensor([0.5]), saessak.tensor([2.0]))
    assert sd.kl_divergence(p, p).item() == 0.0
    wide, narrow = sd.Uniform(0.0, 2.0), sd.Uniform(0.0, 1.0)
    assert sd.kl_divergence(wide, narrow).item() == float("inf")
    assert sd.kl_divergence(sd.Bernoulli(probs=saessak.tensor(0.5)), sd.Bernoulli(probs=saessak.tensor(0.0))).item() \
        == float("inf")


def test_unknown_pairs_raise_not_implemented_error():
    with pytest.raises(NotImplementedError, match="Normal.*Exponential"):
        sd.kl_divergence(sd.Normal(0.0, 1.0), sd.Exponential(1.0))


def test_register_kl_dispatches_to_the_most_specific_pair():
    class MyNormal(sd.Normal):
        pass

    assert sd.kl_divergence(MyNormal(0.0, 1.0), sd.Normal(1.0, 1.0)).item() == pytest.approx(0.5)

    @sd.register_kl(MyNormal, sd.Normal)
    def _kl_mine(p, q):
        return saessak.tensor(42.0)

    try:
        assert sd.kl_divergence(MyNormal(0.0, 1.0), sd.Normal(1.0, 1.0)).item() == 42.0
        assert sd.kl_divergence(sd.Normal(0.0, 1.0), MyNormal(1.0, 1.0)).item() == pytest.approx(0.5)
    finally:
        from saessak.distributions import kl

        del kl._KL_REGISTRY[MyNormal, sd.Normal]
        kl._KL_MEMOIZE.clear()
    with pytest.raises(TypeError, match="Distribution subclass"):
        sd.register_kl(int, sd.Normal)
