"""The distributions under test, each built the same way from saessak and from torch.distributions.

A case is ``(make, parameters, value)``: ``make(lib, *tensors)`` builds the distribution from the module
``lib.distributions``; ``parameters`` are float64 arrays (each gets a gradient); ``value`` is an array in the
support, broadcastable to ``(4,) + batch_shape + event_shape``.
"""

import numpy as np

_rng = np.random.default_rng(0)


def _positive(*shape, low=0.5, high=2.0):
    return _rng.uniform(low, high, shape)


def _spd(n, batch=()):
    a = _rng.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _lower(n, batch=()):
    return np.linalg.cholesky(_spd(n, batch))


def _probs(*shape):
    p = _rng.uniform(0.1, 1.0, shape)
    return p / p.sum(-1, keepdims=True)


def _one_hot(indices, k):
    return np.eye(k)[indices]


CASES = {
    "Normal": (lambda D, loc, scale: D.Normal(loc, scale), [_rng.standard_normal((2, 3)), _positive(3)],
               _rng.standard_normal((4, 2, 3))),
    "Normal_scalar": (lambda D, loc, scale: D.Normal(loc, scale), [np.array(0.3), np.array(1.7)],
                      _rng.standard_normal((4,))),
    "Laplace": (lambda D, loc, scale: D.Laplace(loc, scale), [_rng.standard_normal((3,)), _positive(2, 1)],
                _rng.standard_normal((4, 2, 3))),
    "Bernoulli_probs": (lambda D, p: D.Bernoulli(probs=p), [_rng.uniform(0.1, 0.9, (2, 3))],
                        _rng.integers(0, 2, (4, 2, 3)).astype(float)),
    "Bernoulli_logits": (lambda D, l: D.Bernoulli(logits=l), [_rng.standard_normal((3,))],
                         _rng.integers(0, 2, (4, 3)).astype(float)),
    "Categorical_probs": (lambda D, p: D.Categorical(probs=p), [_probs(2, 4)], _rng.integers(0, 4, (4, 2))),
    "Categorical_logits": (lambda D, l: D.Categorical(logits=l), [_rng.standard_normal((3, 5))],
                           _rng.integers(0, 5, (4, 3))),
    "OneHotCategorical": (lambda D, p: D.OneHotCategorical(probs=p), [_probs(2, 3)],
                          _one_hot(_rng.integers(0, 3, (4, 2)), 3)),
    "Uniform": (lambda D, low, width: D.Uniform(low, low + width), [_rng.standard_normal((2, 3)), _positive(3)],
                None),
    "Exponential": (lambda D, rate: D.Exponential(rate), [_positive(2, 3)], _positive(4, 2, 3, low=0.0, high=3.0)),
    "Gamma": (lambda D, c, r: D.Gamma(c, r), [_positive(2, 3, low=0.5, high=4.0), _positive(3)],
              _positive(4, 2, 3, low=0.1, high=4.0)),
    "Beta": (lambda D, a, b: D.Beta(a, b), [_positive(2, 3, low=0.5, high=4.0), _positive(3, low=0.5, high=4.0)],
             _positive(4, 2, 3, low=0.05, high=0.95)),
    "Poisson": (lambda D, rate: D.Poisson(rate), [_positive(2, 3, low=0.5, high=6.0)],
                _rng.integers(0, 8, (4, 2, 3)).astype(float)),
    "Binomial_probs": (lambda D, p: D.Binomial(10, probs=p), [_rng.uniform(0.1, 0.9, (2, 3))],
                       _rng.integers(0, 11, (4, 2, 3)).astype(float)),
    "Binomial_logits": (lambda D, l: D.Binomial(6, logits=l), [_rng.standard_normal((3,))],
                        _rng.integers(0, 7, (4, 3)).astype(float)),
    "MultivariateNormal_cov": (lambda D, loc, cov: D.MultivariateNormal(loc, covariance_matrix=cov),
                               [_rng.standard_normal((2, 3)), _spd(3)], _rng.standard_normal((4, 2, 3))),
    "MultivariateNormal_tril": (lambda D, loc, tril: D.MultivariateNormal(loc, scale_tril=tril),
                                [_rng.standard_normal((3,)), _lower(3, (2,))], _rng.standard_normal((4, 2, 3))),
    "MultivariateNormal_precision": (lambda D, loc, prec: D.MultivariateNormal(loc, precision_matrix=prec),
                                     [_rng.standard_normal((3,)), _spd(3)], _rng.standard_normal((4, 3))),
    "Independent_Normal": (lambda D, loc, scale: D.Independent(D.Normal(loc, scale), 1),
                           [_rng.standard_normal((2, 3)), _positive(2, 3)], _rng.standard_normal((4, 2, 3))),
}

# the value of a Uniform case depends on its parameters: a point inside [low, high)
UNIFORM_FRACTION = _rng.uniform(0.05, 0.95, (4, 2, 3))


def value_for(name, params):
    make, _, value = CASES[name]
    if name == "Uniform":
        low, width = params
        return low + UNIFORM_FRACTION * width
    return value
