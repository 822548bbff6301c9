"""The fused recurrent ops of ops/recurrent.py, checked numerically in float64."""

import pytest

import saessak
from saessak.ops.recurrent import gru_layer, lstm_cell, lstm_layer


def _inputs(length, batch, features, size, seed=0):
    g = saessak.Generator().manual_seed(seed)
    shapes = [(length, batch, features), (batch, size), (batch, size), (4 * size, features), (4 * size, size),
              (4 * size,), (4 * size,)]
    return [saessak.randn(*s, generator=g, dtype=saessak.float64, requires_grad=True) for s in shapes]


@pytest.mark.parametrize("reverse", [False, True])
def test_lstm_layer_gradcheck(reverse):
    args = _inputs(4, 2, 3, 3)
    assert saessak.autograd.gradcheck(lambda *a: lstm_layer(*a, reverse=reverse), tuple(args))
    assert saessak.autograd.gradcheck(lambda *a: lstm_layer(*a, reverse=reverse), tuple(args[:5]))


@pytest.mark.parametrize("reverse", [False, True])
def test_lstm_layer_equals_its_cells_step_by_step(reverse):
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = _inputs(5, 3, 2, 4, seed=1)
    out, h_n, c_n = lstm_layer(x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
    h, c = h0, c0
    steps = range(4, -1, -1) if reverse else range(5)
    for t in steps:
        h, c = lstm_cell(x[t] @ w_ih.t() + b_ih, h, c, w_hh, b_hh)
        assert saessak.allclose(out[t], h, atol=1e-12)
    assert saessak.allclose(h_n, h, atol=1e-12) and saessak.allclose(c_n, c, atol=1e-12)


def test_lstm_layer_refuses_double_backward():
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = _inputs(2, 1, 2, 2)
    out, _, _ = lstm_layer(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    (grad,) = saessak.autograd.grad(out.sum(), x, create_graph=False)
    assert grad.shape == x.shape
    with pytest.raises(RuntimeError, match="double backward through the fused LSTM layer"):
        saessak.autograd.grad(out.sum(), x, create_graph=True)


def test_lstm_layer_with_a_frozen_input_weight():
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = _inputs(3, 2, 2, 3, seed=2)
    w_ih = w_ih.detach()
    assert saessak.autograd.gradcheck(lambda h, w, b: lstm_layer(x.detach(), h, c0.detach(), w_ih, w, b, b_hh),
                                      (h0, w_hh, b_ih))


def _gru_inputs(length, batch, features, size, seed=0):
    g = saessak.Generator().manual_seed(seed)
    shapes = [(length, batch, features), (batch, size), (3 * size, features), (3 * size, size), (3 * size,),
              (3 * size,)]
    return [saessak.randn(*s, generator=g, dtype=saessak.float64, requires_grad=True) for s in shapes]


@pytest.mark.parametrize("reverse", [False, True])
def test_gru_layer_gradcheck(reverse):
    args = _gru_inputs(4, 2, 3, 3)
    assert saessak.autograd.gradcheck(lambda *a: gru_layer(*a, reverse=reverse), tuple(args))
    assert saessak.autograd.gradcheck(lambda *a: gru_layer(*a, reverse=reverse), tuple(args[:4]))


@pytest.mark.parametrize("reverse", [False, True])
def test_gru_layer_equals_the_composite_steps(reverse):
    x, h0, w_ih, w_hh, b_ih, b_hh = _gru_inputs(5, 3, 2, 4, seed=1)
    out, h_n = gru_layer(x, h0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
    h = h0
    for t in (range(4, -1, -1) if reverse else range(5)):
        ir, iz, in_ = (x[t] @ w_ih.t() + b_ih).chunk(3, -1)
        hr, hz, hn = (h @ w_hh.t() + b_hh).chunk(3, -1)
        r, z = (ir + hr).sigmoid(), (iz + hz).sigmoid()
        n = (in_ + r * hn).tanh()
        h = (1 - z) * n + z * h
        assert saessak.allclose(out[t], h, atol=1e-12)
    assert saessak.allclose(h_n, h, atol=1e-12)
