"""Every distribution against torch.distributions: densities, moments, entropies, cdf/icdf, shapes, gradients."""

import numpy as np
import pytest

import saessak
import saessak.distributions as sd
from tests.distributions.cases import CASES, value_for
from tests.helpers import requires_torch, to_numpy, torch

if torch is not None:
    import torch.distributions as td

STATISTICS = ["mean", "mode", "variance", "stddev"]
METHODS = ["entropy", "cdf", "icdf"]


def _build(lib, name, requires_grad=False):
    make, params, _ = CASES[name]
    tensors = [lib.tensor(p, dtype=lib.float64, requires_grad=requires_grad) for p in params]
    dist = make(sd if lib is saessak else td, *tensors)
    value = value_for(name, params)
    value_tensor = lib.tensor(value, dtype=lib.int64 if value.dtype.kind == "i" else lib.float64)
    return dist, tensors, value_tensor


def _torch_result(fn):
    try:
        return fn()
    except NotImplementedError:
        return None


def _close(ours, theirs, what):
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} vs {tuple(theirs.shape)}"
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-10, atol=1e-12, equal_nan=True,
                               err_msg=what)


@requires_torch
@pytest.mark.parametrize("name", sorted(CASES))
def test_shapes_and_support_match_torch(name):
    ours, _, _ = _build(saessak, name)
    theirs, _, _ = _build(torch, name)
    assert tuple(ours.batch_shape) == tuple(theirs.batch_shape)
    assert tuple(ours.event_shape) == tuple(theirs.event_shape)
    assert ours.has_rsample == theirs.has_rsample
    for sample_shape in [(), (5,), (2, 3)]:
        assert tuple(ours.sample(sample_shape).shape) == tuple(theirs.sample(sample_shape).shape)
    assert repr(ours.support).replace("tensor", "") == repr(theirs.support).replace("tensor", "")


@requires_torch
@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_and_statistics_match_torch(name):
    ours, _, value = _build(saessak, name)
    theirs, _, torch_value = _build(torch, name)
    _close(ours.log_prob(value), theirs.log_prob(torch_value), "log_prob")
    for statistic in STATISTICS:
        expected = _torch_result(lambda: getattr(theirs, statistic))  # noqa: B023
        if expected is not None:
            _close(getattr(ours, statistic), expected, statistic)
    if _torch_result(theirs.entropy) is not None:
        _close(ours.entropy(), theirs.entropy(), "entropy")
    if name in ("Normal", "Normal_scalar", "Laplace", "Uniform", "Exponential"):
        _close(ours.cdf(value), theirs.cdf(torch_value), "cdf")
        u = np.random.default_rng(0).uniform(0.02, 0.98, tuple(value.shape))
        _close(ours.icdf(saessak.tensor(u)), theirs.icdf(torch.tensor(u)), "icdf")


@requires_torch
@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_of_log_prob_and_entropy_match_torch(name):
    results = []
    for lib in (saessak, torch):
        dist, params, value = _build(lib, name, requires_grad=True)
        total = dist.log_prob(value).sum()
        if name not in ("Poisson",) and not name.startswith("Binomial_logits"):
            total = total + dist.entropy().sum()
        total.backward()
        results.append([to_numpy(p.grad) for p in params])
    for i, (ours, theirs) in enumerate(zip(*results)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-10, err_msg=f"gradient of parameter {i}")


@requires_torch
@pytest.mark.parametrize("name", ["Normal", "Bernoulli_probs", "Categorical_logits", "MultivariateNormal_cov",
                                  "Gamma", "Independent_Normal", "OneHotCategorical", "Binomial_probs"])
def test_expand_matches_torch(name):
    ours, _, _ = _build(saessak, name)
    theirs, _, _ = _build(torch, name)
    shape = (5,) + tuple(theirs.batch_shape)
    ours_expanded, theirs_expanded = ours.expand(shape), theirs.expand(shape)
    assert type(ours_expanded) is type(ours)
    assert tuple(ours_expanded.batch_shape) == tuple(theirs_expanded.batch_shape)
    _close(ours_expanded.mean, theirs_expanded.mean, "mean")
    assert tuple(ours_expanded.sample((2,)).shape) == tuple(theirs_expanded.sample((2,)).shape)


@requires_torch
@pytest.mark.parametrize("name", ["Normal_scalar", "Normal", "Bernoulli_probs", "Categorical_probs",
                                  "MultivariateNormal_cov", "Independent_Normal", "Uniform", "Binomial_probs"])
def test_repr_matches_torch(name):
    ours, _, _ = _build(saessak, name)
    theirs, _, _ = _build(torch, name)
    assert repr(ours) == repr(theirs)


def test_broadcasting_of_parameters():
    d = sd.Normal(saessak.zeros(2, 1), saessak.ones(3))
    assert tuple(d.batch_shape) == (2, 3)
    assert tuple(d.log_prob(saessak.zeros(3)).shape) == (2, 3)
    assert tuple(d.sample((4,)).shape) == (4, 2, 3)
    assert d.loc.dtype is saessak.float32 and sd.Normal(0.0, 1.0).loc.dtype is saessak.get_default_dtype()


def test_enumerate_support():
    assert sd.Bernoulli(probs=saessak.tensor([0.2, 0.6])).enumerate_support().tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert tuple(sd.Categorical(logits=saessak.zeros(2, 4)).enumerate_support().shape) == (4, 2)
    assert sd.Binomial(3, probs=saessak.tensor(0.5)).enumerate_support().tolist() == [0.0, 1.0, 2.0, 3.0]
