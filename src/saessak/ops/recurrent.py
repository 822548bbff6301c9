"""The fused LSTM step: one op for a whole cell update, forward and backward in a few array expressions.

Composed from ops, one LSTM step is about fifteen graph nodes; fused it is one, which is what makes a
recurrent layer's Python overhead small next to its matrix products. Its backward is computed directly
from the saved gate activations; it is not itself differentiable (double backward through it raises).
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import state


def _sigmoid(x, xp):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + xp.exp(-x))


class LSTMCell(Function):
    """``(h, c) -> (h', c')`` from the input projection ``gi`` (x W_ih^T + b_ih); gates i, f, g, o."""

    _backward_name = "ThnnFusedLstmCellBackward0"

    @staticmethod
    def forward(ctx, gi, h, c, w_hh, b_hh=None):
        xp = gi._xp()
        gates = gi._data + h._data @ w_hh._data.T
        if b_hh is not None:
            gates += b_hh._data
        size = c._data.shape[-1]
        i = _sigmoid(gates[..., :size], xp)
        f = _sigmoid(gates[..., size:2 * size], xp)
        g = xp.tanh(gates[..., 2 * size:3 * size])
        o = _sigmoid(gates[..., 3 * size:], xp)
        c_new = f * c._data + i * g
        tc = xp.tanh(c_new)
        if ctx.needs_input_grad[0] or any(ctx.needs_input_grad):
            ctx.arrays = (i, f, g, o, tc, c._data, h._data, w_hh._data)
        return o * tc, c_new

    @staticmethod
    def backward(ctx, gh, gc):
        if state.enabled:
            raise RuntimeError("double backward through the fused LSTM cell is not supported: use a composite LSTM "
                               "(torch.nn.LSTMCell's math written with ops) for higher-order gradients")
        i, f, g, o, tc, c, h, w_hh = ctx.arrays
        xp = gh._xp()
        gh_, gc_ = gh._data, gc._data
        dc = gc_ + gh_ * o * (1.0 - tc * tc)
        dpre = xp.concatenate([dc * g * i * (1.0 - i), dc * c * f * (1.0 - f), dc * i * (1.0 - g * g),
                               gh_ * tc * o * (1.0 - o)], axis=-1)
        needs = ctx.needs_input_grad
        g_gi = Tensor._make(dpre) if needs[0] else None
        g_h = Tensor._make(dpre @ w_hh) if needs[1] else None
        g_c = Tensor._make(dc * f) if needs[2] else None
        g_w = Tensor._make(dpre.reshape(-1, dpre.shape[-1]).T @ h.reshape(-1, h.shape[-1])) if needs[3] else None
        g_b = None
        if len(needs) > 4 and needs[4]:
            g_b = Tensor._make(dpre.reshape(-1, dpre.shape[-1]).sum(0))
        return g_gi, g_h, g_c, g_w, g_b


def lstm_cell(gi: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Tensor | None = None) -> tuple:
    """One fused LSTM step; returns ``(h', c')``."""
    if b_hh is None:
        return LSTMCell.apply(gi, h, c, w_hh)
    return LSTMCell.apply(gi, h, c, w_hh, b_hh)
