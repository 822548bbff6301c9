"""optim/radam.py: RAdam against PyTorch and against a NumPy transcription of the update rule."""

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
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, betas=(0.8, 0.9)),
    dict(lr=0.01, maximize=True, betas=(0.9, 0.5)),
]


def radam_reference(p, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                    decoupled_weight_decay=False, maximize=False):
    beta1, beta2 = betas
    m, v = np.zeros_like(p), np.zeros_like(p)
    rho_inf = 2 / (1 - beta2) - 1
    for t, g in enumerate(grads, start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        if rho_t > 5:
            rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            p = p - lr * m_hat * np.sqrt(1 - beta2**t) / (np.sqrt(v) + eps) * rect
        else:
            p = p - lr * m_hat
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("RAdam", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("RAdam", kwargs, radam_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("RAdam", CONFIGS[2])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("RAdam", CONFIGS[0])


def test_bad_eps_raises():
    with pytest.raises(ValueError, match="Invalid epsilon value"):
        saessak.optim.RAdam([saessak.ones(1, requires_grad=True)], eps=-1.0)
