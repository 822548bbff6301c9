import numpy as np
import pytest

import saessak


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with grad mode on and a fixed seed."""
    saessak.autograd.grad_mode.state.enabled = True
    np.random.seed(0)
    yield
    saessak.autograd.grad_mode.state.enabled = True
