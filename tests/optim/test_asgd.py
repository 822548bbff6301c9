"""optim/asgd.py: ASGD against PyTorch and against a NumPy transcription of the update rule."""

import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch
from tests.optim.checks import (
    assert_matches_reference,
    assert_matches_torch,
    assert_resumes_exactly,
    assert_state_dict_like_torch,
)

CONFIGS = [dict(), dict(lr=0.05, lambd=0.01, alpha=0.5, t0=5, weight_decay=0.1), dict(lr=0.02, t0=3, maximize=True)]


def asgd_reference(p, grads, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False):
    eta, mu, ax = np.float32(lr), np.float32(1.0), np.zeros_like(p)  # PyTorch keeps eta and mu in float32
    for step, g in enumerate(grads, start=1):
        g = (-g if maximize else g) + weight_decay * p
        p = p * (1 - lambd * float(eta)) - float(eta) * g
        ax = p.copy() if mu == 1 else ax + (p - ax) * float(mu)
        eta = np.float32(lr / (1 + lambd * lr * step) ** alpha)
        mu = np.float32(1 / max(1, step - t0))
    return p, ax


def test_average_matches_numpy_reference():
    params = [saessak.nn.Parameter(saessak.tensor(np.arange(3.0)))]
    optimizer = saessak.optim.ASGD(params, **CONFIGS[1])
    grads = [np.random.default_rng(step).standard_normal(3) for step in range(12)]
    for g in grads:
        params[0].grad = saessak.tensor(g)
        optimizer.step()
    p, ax = asgd_reference(np.arange(3.0), grads, **CONFIGS[1])
    np.testing.assert_allclose(params[0].detach().numpy(), p, rtol=1e-12)
    np.testing.assert_allclose(optimizer.state[params[0]]["ax"].numpy(), ax, rtol=1e-12)


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("ASGD", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("ASGD", kwargs, lambda p, grads, **kw: asgd_reference(p, grads, **kw)[0])


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("ASGD", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("ASGD", CONFIGS[1])


def test_bad_weight_decay_raises():
    with pytest.raises(ValueError, match="Invalid weight_decay value: -1"):
        saessak.optim.ASGD([saessak.ones(1, requires_grad=True)], weight_decay=-1)
