"""optim/nadam.py: NAdam against PyTorch and against a NumPy transcription of the update rule."""

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

CONFIGS = [
    dict(lr=0.01),
    dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, betas=(0.8, 0.9)),
    dict(lr=0.01, maximize=True),
]


def nadam_reference(p, grads, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                    decoupled_weight_decay=False, maximize=False):
    beta1, beta2 = betas
    m, v, product = np.zeros_like(p), np.zeros_like(p), 1.0
    for t, g in enumerate(grads, start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        product *= mu
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        denom = np.sqrt(v / (1 - beta2**t)) + eps
        p = p - lr * (1 - mu) / (1 - product) * g / denom - lr * mu_next / (1 - product * mu_next) * m / denom
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("NAdam", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    # the running product of mu is a float32 scalar (as in PyTorch), which bounds agreement with float64
    assert_matches_reference("NAdam", kwargs, nadam_reference, rtol=1e-6)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("NAdam", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("NAdam", CONFIGS[0])


def test_bad_momentum_decay_raises():
    with pytest.raises(ValueError, match="Invalid momentum_decay value: -0.1"):
        saessak.optim.NAdam([saessak.ones(1, requires_grad=True)], momentum_decay=-0.1)
