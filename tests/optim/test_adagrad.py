"""optim/adagrad.py: Adagrad against PyTorch and against a NumPy transcription of the update rule."""

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
    dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5),
    dict(lr=0.05, eps=1e-3, maximize=True),
]


def adagrad_reference(p, grads, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                      maximize=False):
    total = np.full_like(p, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        g = (-g if maximize else g) + weight_decay * p
        total = total + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(total) + eps)
    return p


@requires_torch
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(kwargs):
    assert_matches_torch("Adagrad", kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_numpy_reference(kwargs):
    assert_matches_reference("Adagrad", kwargs, adagrad_reference)


def test_resumes_exactly_from_state_dict():
    assert_resumes_exactly("Adagrad", CONFIGS[1])


@requires_torch
def test_state_dict_like_torch():
    assert_state_dict_like_torch("Adagrad", CONFIGS[1])


def test_state_exists_before_the_first_step():
    p = saessak.ones(2, requires_grad=True)
    opt = saessak.optim.Adagrad([p], initial_accumulator_value=0.25)
    np.testing.assert_array_equal(opt.state[p]["sum"].numpy(), [0.25, 0.25])
    q = saessak.ones(3, requires_grad=True)
    opt.add_param_group({"params": [q]})
    assert opt.state[q]["step"].item() == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [(dict(lr=-0.01), "Invalid learning rate"), (dict(lr_decay=-1.0), "Invalid lr_decay value"),
     (dict(initial_accumulator_value=-1.0), "Invalid initial_accumulator_value value")],
)
def test_bad_hyperparameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        saessak.optim.Adagrad([saessak.ones(1, requires_grad=True)], **kwargs)
