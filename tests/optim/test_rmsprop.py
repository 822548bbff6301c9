"""optim/rmsprop.py: RMSprop against PyTorch and against a NumPy transcription of the update rule."""

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
    dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1),
    dict(lr=0.01, alpha=0.3, centered=True),
    dict(lr=0.01, momentum=0.9, maximize=True, eps=1e-4),
]


def rmsprop_reference(p, grads, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                      maximize=False):
    v, mean, buffer = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        g = (-g if maximize else g) + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        mean = alpha * mean + (1 - alpha) * g
        avg = np.sqrt(v - mean * mean if centered else v) + eps
        if momentum > 0:
            buffer = momentum * buffer + g / avg
            p = p - lr * buffer
        else:
            p = p - lr * g / avg
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("RMSprop", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("RMSprop", kwargs, rmsprop_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("RMSprop", CONFIGS[1])


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS[:2])
def test_state_dict_like_torch(kwargs):
    assert_state_dict_like_torch("RMSprop", kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [(dict(lr=-0.01), "Invalid learning rate"), (dict(alpha=-0.9), "Invalid alpha value: -0.9"),
     (dict(momentum=-1), "Invalid momentum value"), (dict(eps=-1e-8), "Invalid epsilon value")],
)
def test_bad_hyperparameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        saessak.optim.RMSprop([saessak.ones(1, requires_grad=True)], **kwargs)
