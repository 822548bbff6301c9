import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch


def _steps(lib, scaler_kwargs):
    layer = lib.nn.Linear(2, 1)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor([[0.5, -0.25]]))
        layer.bias.fill_(0.1)
    opt = lib.optim.SGD(layer.parameters(), lr=0.1)
    scaler = lib.amp.GradScaler("cpu", **scaler_kwargs)
    scales = []
    for poison in (False, False, True, False):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        with lib.autocast(device_type="cpu", enabled=False):
            loss = layer(x).pow(2).mean()
        opt.zero_grad()
        scaler.scale(loss).backward()
        if poison and scaler.is_enabled():  # an overflowed gradient, as a float16 backward can produce
            layer.weight.grad[0, 0] = float("inf")
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return layer.weight.detach().numpy(), scales, scaler.state_dict()


@requires_torch
@pytest.mark.parametrize("enabled", [True, False])
def test_grad_scaler_matches_torch(enabled):
    kwargs = dict(init_scale=1024.0, growth_interval=2, enabled=enabled)
    ours, theirs = _steps(saessak, kwargs), _steps(torch, kwargs)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)  # the inf step is skipped by both
    assert ours[1] == theirs[1] and ours[2] == theirs[2]


def test_autocast_is_a_context_manager_and_decorator():
    @saessak.autocast(device_type="cpu", dtype=saessak.bfloat16)
    def double(x):
        return x * 2

    assert double(saessak.ones(2)).dtype == saessak.float32
    with saessak.amp.autocast("cpu"):
        assert (saessak.ones(1) + 1).dtype == saessak.float32
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        saessak.autocast(device_type=None)
    scaler = saessak.amp.GradScaler()
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        scaler.load_state_dict({})
