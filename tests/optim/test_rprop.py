"""optim/rprop.py: Rprop against PyTorch and against a NumPy transcription of the update rule."""

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

CONFIGS = [dict(), dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2)), dict(lr=0.02, maximize=True)]


def rprop_reference(p, grads, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    prev, size = np.zeros_like(p), np.full_like(p, lr)
    for g in grads:
        g = -g if maximize else g
        product = g * prev
        size = np.clip(size * np.where(product > 0, etas[1], np.where(product < 0, etas[0], 1.0)), *step_sizes)
        g = np.where(product < 0, 0.0, g)
        p = p - np.sign(g) * size
        prev = g
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("Rprop", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("Rprop", kwargs, rprop_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("Rprop", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("Rprop", CONFIGS[1])


def test_step_size_stays_within_bounds():
    p = saessak.nn.Parameter(saessak.zeros(4))
    optimizer = saessak.optim.Rprop([p], lr=0.1, step_sizes=(0.01, 0.3))
    for _ in range(20):
        p.grad = saessak.ones(4)
        optimizer.step()
    assert np.allclose(optimizer.state[p]["step_size"].numpy(), 0.3)


def test_bad_etas_raise():
    with pytest.raises(ValueError, match="Invalid eta values: 1.5, 1.2"):
        saessak.optim.Rprop([saessak.ones(1, requires_grad=True)], etas=(1.5, 1.2))
