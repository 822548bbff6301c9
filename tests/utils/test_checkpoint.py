import numpy as np

import saessak
import saessak.nn as nn
from saessak.utils.checkpoint import checkpoint, checkpoint_sequential


def test_checkpoint_gives_the_same_outputs_and_gradients():
    layer = nn.Linear(4, 3)
    x = saessak.randn(2, 4, requires_grad=True)
    checkpoint(layer, x, use_reentrant=False).sum().backward()
    checkpointed = x.grad.clone()
    x.grad = None
    layer(x).sum().backward()
    np.testing.assert_allclose(checkpointed.numpy(), x.grad.numpy())


def test_checkpoint_sequential_runs_every_module():
    model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
    x = saessak.randn(5, 3)
    np.testing.assert_allclose(checkpoint_sequential(model, 2, x, use_reentrant=False).detach().numpy(),
                               model(x).detach().numpy())
