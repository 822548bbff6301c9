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


def _sigmoid_(a, xp):
    """sigmoid(a) in place, as 0.5 * tanh(a / 2) + 0.5: one transcendental and no overflow."""
    a *= 0.5
    xp.tanh(a, out=a)
    a *= 0.5
    a += 0.5


class LSTMLayer(Function):
    """A whole LSTM layer (one direction) over a sequence, its time loop inside one op.

    ``gi`` (L, N, 4H) holds every step's input projection (x W_ih^T + b_ih, one GEMM for all steps, done by
    the caller with ops). Forward keeps the gate activations of every step in one preallocated array; backward
    walks the steps in reverse with one GEMM each, then gets W_hh's gradient from a single GEMM over all steps.
    Returns ``output (L, N, H), h_n, c_n``. Like the fused cell, it is not itself differentiable.
    """

    _backward_name = "LstmLayerBackward0"

    @staticmethod
    def forward(ctx, gi, h0, c0, w_hh, b_hh=None, *, reverse=False):
        xp = gi._xp()
        length, batch, gate_size = gi._data.shape
        size = gate_size // 4
        acts = gi._data + b_hh._data if b_hh is not None else gi._data.copy()  # becomes the activations
        w_t = xp.ascontiguousarray(w_hh._data.T)
        hs = xp.empty((length + 1, batch, size), dtype=acts.dtype)  # in step order: hs[k] is the input of step k
        cs = xp.empty_like(hs)
        tcs = xp.empty((length, batch, size), dtype=acts.dtype)
        hs[0], cs[0] = h0._data, c0._data
        order = range(length - 1, -1, -1) if reverse else range(length)
        for k, t in enumerate(order):
            a = acts[t]
            a += hs[k] @ w_t
            _sigmoid_(a[:, :2 * size], xp)
            xp.tanh(a[:, 2 * size:3 * size], out=a[:, 2 * size:3 * size])
            _sigmoid_(a[:, 3 * size:], xp)
            c = cs[k + 1]
            xp.multiply(a[:, size:2 * size], cs[k], out=c)
            c += a[:, :size] * a[:, 2 * size:3 * size]
            xp.tanh(c, out=tcs[k])
            xp.multiply(a[:, 3 * size:], tcs[k], out=hs[k + 1])
        if any(ctx.needs_input_grad):
            ctx.arrays = (acts, hs, cs, tcs, w_hh._data)
            ctx.reverse = reverse
        output = hs[:0:-1] if reverse else hs[1:]
        return xp.ascontiguousarray(output), hs[length].copy(), cs[length].copy()

    @staticmethod
    def backward(ctx, g_out, g_hn, g_cn):
        if state.enabled:
            raise RuntimeError("double backward through the fused LSTM layer is not supported: build the LSTM inside "
                               "saessak.nn.modules.rnn.composite_lstm() for higher-order gradients")
        acts, hs, cs, tcs, w_hh = ctx.arrays
        xp = g_out._xp()
        length, batch, gate_size = acts.shape
        size = gate_size // 4
        reverse = ctx.reverse
        dh = g_hn._data.copy()
        dc = g_cn._data.copy()
        dgates = xp.empty((length, batch, gate_size), dtype=acts.dtype)  # in step order
        scratch = xp.empty((batch, size), dtype=acts.dtype)
        go = g_out._data
        for k in range(length - 1, -1, -1):
            t = length - 1 - k if reverse else k
            a = acts[t]
            i, f, g, o = a[:, :size], a[:, size:2 * size], a[:, 2 * size:3 * size], a[:, 3 * size:]
            tc = tcs[k]
            dh += go[t]
            d = dgates[k]
            d_i, d_f, d_g, d_o = d[:, :size], d[:, size:2 * size], d[:, 2 * size:3 * size], d[:, 3 * size:]
            # output gate: dh * tanh(c) * o (1 - o)
            xp.multiply(dh, tc, out=d_o)
            xp.subtract(1.0, o, out=scratch)
            scratch *= o
            d_o *= scratch
            # cell: dc += dh * o * (1 - tanh(c)^2)
            xp.multiply(tc, tc, out=scratch)
            xp.subtract(1.0, scratch, out=scratch)
            scratch *= o
            scratch *= dh
            dc += scratch
            # input gate: dc * g * i (1 - i); forget gate: dc * c_prev * f (1 - f); cell gate: dc * i (1 - g^2)
            xp.subtract(1.0, i, out=d_i)
            d_i *= i
            d_i *= g
            d_i *= dc
            xp.subtract(1.0, f, out=d_f)
            d_f *= f
            d_f *= cs[k]
            d_f *= dc
            xp.multiply(g, g, out=d_g)
            xp.subtract(1.0, d_g, out=d_g)
            d_g *= i
            d_g *= dc
            dh = d @ w_hh
            dc *= f
        needs = ctx.needs_input_grad
        flat = dgates.reshape(-1, gate_size)
        g_gi = None
        if needs[0]:
            g_gi = Tensor._make(xp.ascontiguousarray(dgates[::-1]) if reverse else dgates)
        g_h0 = Tensor._make(dh) if needs[1] else None
        g_c0 = Tensor._make(dc) if needs[2] else None
        g_w = Tensor._make(flat.T @ hs[:-1].reshape(-1, size)) if needs[3] else None
        g_b = Tensor._make(flat.sum(0)) if len(needs) > 4 and needs[4] else None
        return g_gi, g_h0, g_c0, g_w, g_b


def lstm_layer(gi: Tensor, h0: Tensor, c0: Tensor, w_hh: Tensor, b_hh: Tensor | None = None,
               reverse: bool = False) -> tuple:
    """A whole LSTM layer over ``gi`` (L, N, 4H); returns ``(output, h_n, c_n)``."""
    args = (gi, h0, c0, w_hh) if b_hh is None else (gi, h0, c0, w_hh, b_hh)
    return LSTMLayer.apply(*args, reverse=reverse)
