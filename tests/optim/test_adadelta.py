"""optim/adadelta.py: Adadelta against PyTorch and against a NumPy transcription of the update rule."""

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

CONFIGS = [dict(), dict(lr=0.5, rho=0.7, weight_decay=0.1, eps=1e-4), dict(lr=0.3, maximize=True)]


def adadelta_reference(p, grads, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    v, u = np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        g = (-g if maximize else g) + weight_decay * p
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        p = p - lr * delta
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("Adadelta", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("Adadelta", kwargs, adadelta_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("Adadelta", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("Adadelta", CONFIGS[0])


def test_bad_rho_raises():
    with pytest.raises(ValueError, match="Invalid rho value: 1.5"):
        saessak.optim.Adadelta([saessak.ones(1, requires_grad=True)], rho=1.5)
