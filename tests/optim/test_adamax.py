"""optim/adamax.py: Adamax against PyTorch and against a NumPy transcription of the update rule."""

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

CONFIGS = [dict(), dict(lr=0.01, weight_decay=0.1, betas=(0.6, 0.9)), dict(lr=0.01, maximize=True)]


def adamax_reference(p, grads, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    beta1, beta2 = betas
    m, u = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        g = (-g if maximize else g) + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        p = p - lr / (1 - beta1**t) * m / u
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("Adamax", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("Adamax", kwargs, adamax_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("Adamax", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("Adamax", CONFIGS[0])


def test_bad_betas_raise():
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        saessak.optim.Adamax([saessak.ones(1, requires_grad=True)], betas=(0.9, 1.0))
