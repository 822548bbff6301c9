import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import requires_torch, torch
from tests.nn.conversion import copy_weights

CONFIGS = [
    {},
    {"num_layers": 2},
    {"bidirectional": True},
    {"batch_first": True, "num_layers": 2, "bidirectional": True},
    {"bias": False},
]


def _compare(ours, theirs, x, hx_ours=None, hx_theirs=None):
    copy_weights(theirs, ours)
    out_o, state_o = ours(saessak.tensor(x), hx_ours)
    out_t, state_t = theirs(torch.tensor(x), hx_theirs)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    states_o = state_o if isinstance(state_o, tuple) else (state_o,)
    states_t = state_t if isinstance(state_t, tuple) else (state_t,)
    for a, b in zip(states_o, states_t):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    (out_o.sum() + sum(s.sum() for s in states_o)).backward()
    (out_t.sum() + sum(s.sum() for s in states_t)).backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-3, atol=1e-5, err_msg=name)


@requires_torch
@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("config", CONFIGS)
def test_recurrent_layers_match_torch(cls, config):
    rng = np.random.default_rng(0)
    ours, theirs = getattr(nn, cls)(3, 4, **config), getattr(torch.nn, cls)(3, 4, **config)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert repr(ours) == repr(theirs)
    x = rng.standard_normal((5, 2, 3)).astype(np.float32)
    _compare(ours, theirs, x)


@requires_torch
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN:UserWarning")
@pytest.mark.parametrize("config", [{}, {"num_layers": 2, "bidirectional": True}, {"batch_first": True}])
def test_lstm_with_projections_matches_torch(config):
    rng = np.random.default_rng(3)
    ours, theirs = nn.LSTM(3, 5, proj_size=2, **config), torch.nn.LSTM(3, 5, proj_size=2, **config)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert repr(ours) == repr(theirs)
    _compare(ours, theirs, rng.standard_normal((4, 2, 3)).astype(np.float32))
    directions = 2 if config.get("bidirectional") else 1
    h = rng.standard_normal((config.get("num_layers", 1) * directions, 2, 2)).astype(np.float32)
    c = rng.standard_normal((config.get("num_layers", 1) * directions, 2, 5)).astype(np.float32)
    x = rng.standard_normal((2, 4, 3) if config.get("batch_first") else (4, 2, 3)).astype(np.float32)
    _compare(nn.LSTM(3, 5, proj_size=2, **config), torch.nn.LSTM(3, 5, proj_size=2, **config), x,
             (saessak.tensor(h), saessak.tensor(c)), (torch.tensor(h), torch.tensor(c)))


def test_projection_errors():
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="positive integer or zero"):
        nn.LSTM(3, 4, proj_size=-1)


@requires_torch
def test_initial_states_unbatched_input_and_relu():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 2, 3)).astype(np.float32)
    h = rng.standard_normal((1, 2, 5)).astype(np.float32)
    c = rng.standard_normal((1, 2, 5)).astype(np.float32)
    _compare(nn.LSTM(3, 5), torch.nn.LSTM(3, 5), x, (saessak.tensor(h), saessak.tensor(c)),
             (torch.tensor(h), torch.tensor(c)))
    _compare(nn.RNN(3, 5, nonlinearity="relu"), torch.nn.RNN(3, 5, nonlinearity="relu"), x)
    _compare(nn.GRU(3, 5), torch.nn.GRU(3, 5), x[:, 0])


@requires_torch
@pytest.mark.parametrize("cls", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_torch(cls):
    rng = np.random.default_rng(2)
    ours, theirs = getattr(nn, cls)(3, 4), getattr(torch.nn, cls)(3, 4)
    copy_weights(theirs, ours)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    a, b = ours(saessak.tensor(x)), theirs(torch.tensor(x))
    a, b = (a[0], b[0]) if isinstance(a, tuple) else (a, b)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_gradcheck_through_time():
    model = nn.GRU(2, 3).double()
    x = saessak.randn(4, 1, 2, dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(lambda t: model(t)[0], (x,))


def test_bad_input_size():
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 3, got 4"):
        nn.LSTM(3, 4)(saessak.ones(2, 1, 4))
