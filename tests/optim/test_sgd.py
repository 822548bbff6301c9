"""optim/sgd.py: SGD against PyTorch and against a NumPy transcription of its update rule."""

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
    dict(lr=0.1),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1),
    dict(lr=0.05, momentum=0.8, dampening=0.3, maximize=True),
]


def sgd_reference(p, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    buffer = None
    for g in grads:
        g = (-g if maximize else g) + weight_decay * p
        if momentum:
            buffer = g.copy() if buffer is None else momentum * buffer + (1 - dampening) * g
            g = g + momentum * buffer if nesterov else buffer
        p = p - lr * g
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("SGD", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("SGD", kwargs, sgd_reference)


@pytest.mark.parametrize("kwargs", CONFIGS[1:3])
def test_resumes_exactly_from_state_dict(kwargs):
    assert_resumes_exactly("SGD", kwargs)


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("SGD", dict(lr=0.1, momentum=0.9))
    assert_state_dict_like_torch("SGD", dict(lr=0.1))  # no momentum: no state at all


def test_bumps_the_version_counter_and_records_no_graph():
    p = saessak.nn.Parameter(saessak.ones(3))
    before = p._version
    p.grad = saessak.ones(3)
    saessak.optim.SGD([p], lr=0.5).step()
    assert p._version == before + 1
    assert p.grad_fn is None and p.is_leaf
    np.testing.assert_allclose(p.detach().numpy(), [0.5, 0.5, 0.5])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(lr=-0.1), "Invalid learning rate: -0.1"),
        (dict(lr=0.1, momentum=-0.5), "Invalid momentum value: -0.5"),
        (dict(lr=0.1, weight_decay=-1e-4), "Invalid weight_decay value: -0.0001"),
        (dict(lr=0.1, nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
        (dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "zero dampening"),
    ],
)
def test_bad_hyperparameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        saessak.optim.SGD([saessak.ones(1, requires_grad=True)], **kwargs)
