"""optim/adam.py: Adam and AdamW against PyTorch and against a NumPy transcription of the update rule."""

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

ADAM_CONFIGS = [
    dict(lr=0.01),
    dict(lr=0.01, betas=(0.8, 0.95), weight_decay=0.1),
    dict(lr=0.01, amsgrad=True, eps=1e-3),
    dict(lr=0.01, betas=(0.3, 0.9), maximize=True),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
]
ADAMW_CONFIGS = [dict(lr=0.01), dict(lr=0.01, weight_decay=0.3, amsgrad=True)]


def adam_reference(p, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False,
                   decoupled_weight_decay=False):
    beta1, beta2 = betas
    m, v, v_max = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = np.maximum(v_max, v)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
        p = p - lr * (m / (1 - beta1**t)) / (np.sqrt(v_hat) + eps)
    return p


def adamw_reference(p, grads, lr, weight_decay=1e-2, **kwargs):
    return adam_reference(p, grads, lr, weight_decay=weight_decay, decoupled_weight_decay=True, **kwargs)


@requires_torch
@pytest.mark.parametrize("kwargs", ADAM_CONFIGS)
def test_adam_matches_torch(kwargs):
    assert_matches_torch("Adam", kwargs)


@requires_torch
@pytest.mark.parametrize("kwargs", ADAMW_CONFIGS)
def test_adamw_matches_torch(kwargs):
    assert_matches_torch("AdamW", kwargs)


@pytest.mark.parametrize("kwargs", ADAM_CONFIGS)
def test_adam_matches_numpy_reference(kwargs):
    assert_matches_reference("Adam", kwargs, adam_reference)


@pytest.mark.parametrize("kwargs", ADAMW_CONFIGS)
def test_adamw_matches_numpy_reference(kwargs):
    assert_matches_reference("AdamW", kwargs, adamw_reference)


@pytest.mark.parametrize(("name", "kwargs"), [("Adam", dict(lr=0.01, amsgrad=True)), ("AdamW", dict(lr=0.01))])
def test_resumes_exactly_from_state_dict(name, kwargs):
    assert_resumes_exactly(name, kwargs)


@requires_torch
@pytest.mark.parametrize(("name", "kwargs"), [("Adam", dict(lr=0.01, amsgrad=True)), ("AdamW", dict())])
def test_state_dict_like_torch(name, kwargs):
    assert_state_dict_like_torch(name, kwargs)


def test_step_is_a_float32_scalar_tensor():
    p = saessak.nn.Parameter(saessak.ones(2, dtype=saessak.float64))
    p.grad = saessak.ones(2, dtype=saessak.float64)
    opt = saessak.optim.Adam([p])
    opt.step()
    opt.step()
    state = opt.state[p]
    assert isinstance(state["step"], saessak.Tensor)
    assert state["step"].dtype == saessak.float32 and state["step"].shape == ()
    assert state["step"].item() == 2.0
    assert state["exp_avg"].dtype == saessak.float64


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(lr=-1e-3), "Invalid learning rate: -0.001"),
        (dict(eps=-1.0), "Invalid epsilon value: -1.0"),
        (dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
        (dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
        (dict(weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
    ],
)
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_bad_hyperparameters_raise(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        getattr(saessak.optim, name)([saessak.ones(1, requires_grad=True)], **kwargs)
