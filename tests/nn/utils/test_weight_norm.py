import numpy as np
import pytest

import saessak
import saessak.nn as nn
from saessak.nn.utils import remove_weight_norm, weight_norm
from tests.helpers import requires_torch, torch
from tests.nn.conversion import copy_weights


@requires_torch
@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_matches_torch(dim):
    ours, theirs = nn.Conv1d(2, 4, 3), torch.nn.Conv1d(2, 4, 3)
    copy_weights(theirs, ours)
    with pytest.warns(FutureWarning):
        theirs = torch.nn.utils.weight_norm(theirs, dim=dim)
    ours = weight_norm(ours, dim=dim)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert ours.weight_g.shape == theirs.weight_g.shape
    x = np.random.default_rng(0).standard_normal((2, 2, 5)).astype(np.float32)
    y_ours, y_theirs = ours(saessak.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(y_ours.detach().numpy(), y_theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    (y_ours**2).sum().backward()
    (y_theirs**2).sum().backward()
    for name in ("weight_g", "weight_v", "bias"):
        np.testing.assert_allclose(getattr(ours, name).grad.numpy(), getattr(theirs, name).grad.numpy(),
                                   rtol=1e-4, atol=1e-5)


def test_weight_norm_tracks_updates_and_can_be_removed():
    layer = weight_norm(nn.Linear(3, 2))
    with saessak.no_grad():
        layer.weight_g.mul_(2.0)
    layer(saessak.ones(1, 3))  # the pre-hook rebuilds weight from g and v
    np.testing.assert_allclose(layer.weight.detach().norm(dim=1).numpy(), layer.weight_g.detach().reshape(-1).numpy(),
                               rtol=1e-5)
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks on the same parameter weight"):
        weight_norm(layer)
    expected = layer.weight.detach().numpy()
    remove_weight_norm(layer)
    assert [n for n, _ in layer.named_parameters()] == ["bias", "weight"]
    np.testing.assert_allclose(layer.weight.detach().numpy(), expected)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found"):
        remove_weight_norm(layer)
