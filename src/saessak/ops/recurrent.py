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


def _gate_order(size: int, xp):
    """Column order that puts PyTorch's gates (i, f, g, o) as (i, f, o, g): the three sigmoids side by side."""
    return xp.concatenate([xp.arange(2 * size), xp.arange(3 * size, 4 * size), xp.arange(2 * size, 3 * size)])


def _lstm_step(xp, a, w_scaled, hs, cs, tcs, k: int, size: int, scratch) -> None:
    """Step ``k`` of ``LSTMLayer.forward`` in place: gates (i, f, o, g) in ``a``, then c, tanh(c) and h."""
    a += w_scaled @ hs[k]
    xp.exp(a, out=a)
    a += 1.0
    xp.reciprocal(a, out=a)  # sigmoids of i, f, o; sigmoid(2z) in the g rows
    tanh_rows = a[3 * size:]
    tanh_rows *= 2.0
    tanh_rows -= 1.0
    c = cs[k + 1]
    xp.multiply(a[size:2 * size], cs[k], out=c)
    xp.multiply(a[:size], a[3 * size:], out=scratch)
    c += scratch
    xp.tanh(c, out=tcs[k])
    xp.multiply(a[2 * size:3 * size], tcs[k], out=hs[k + 1])


class LSTMLayer(Function):
    """A whole LSTM layer (one direction) over a sequence, its time loop inside one op.

    The loop works on transposed (feature, sample) arrays: each step's gates are one (4H, I) @ (I, N)-shaped
    GEMM result whose gate blocks are contiguous rows, reordered (i, f, o, g) so a single exp call serves all
    four gates: sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 sigmoid(2z) - 1, the factors -1 and -2 folded
    into the weights (NumPy's exp is about twice as fast as its tanh). Backward computes,
    for all steps at once, the coefficients that turn dh and dc into the gates' gradients, so the reverse
    loop is a few operations per step; the weight gradients are one GEMM over all steps. Returns
    ``output (L, N, H), h_n, c_n``. Like the fused cell, it is not itself differentiable.
    """

    _backward_name = "LstmLayerBackward0"

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih=None, b_hh=None, *, reverse=False):
        xp = x._xp()
        length, batch, _ = x._data.shape
        size = h0._data.shape[-1]
        order = _gate_order(size, xp)
        w_ih_r, w_hh_r = w_ih._data[order], w_hh._data[order]
        scale = xp.full(4 * size, -1.0, dtype=w_ih_r.dtype)  # exp(-z) for the sigmoids, exp(-2z) for tanh
        scale[3 * size:] = -2.0
        inputs = x._data[::-1] if reverse else x._data  # everything below runs in step order
        acts = xp.matmul(w_ih_r * scale[:, None], inputs.transpose(0, 2, 1))  # (L, 4H, N)
        bias = None
        for b in (b_ih, b_hh):
            if b is not None:
                bias = b._data[order] if bias is None else bias + b._data[order]
        if bias is not None:
            acts += (bias * scale)[:, None]
        w_scaled = w_hh_r * scale[:, None]  # (4H, H)
        hs = xp.empty((length + 1, size, batch), dtype=acts.dtype)  # hs[k] is the input state of step k
        cs = xp.empty_like(hs)
        tcs = xp.empty((length, size, batch), dtype=acts.dtype)
        scratch = xp.empty((size, batch), dtype=acts.dtype)
        hs[0], cs[0] = h0._data.T, c0._data.T
        with np.errstate(over="ignore"):  # exp(-z) = inf for very negative z: the gate is then exactly 0
            for k in range(length):
                _lstm_step(xp, acts[k], w_scaled, hs, cs, tcs, k, size, scratch)
        if any(ctx.needs_input_grad):
            ctx.arrays = (acts, hs, cs, tcs, order, w_ih_r, w_hh_r, inputs)
            ctx.reverse = reverse
        states = hs[:0:-1] if reverse else hs[1:]
        output = xp.ascontiguousarray(states.transpose(0, 2, 1))
        return output, xp.ascontiguousarray(hs[length].T), xp.ascontiguousarray(cs[length].T)

    @staticmethod
    def backward(ctx, g_out, g_hn, g_cn):
        if state.enabled:
            raise RuntimeError("double backward through the fused LSTM layer is not supported: build the LSTM inside "
                               "saessak.nn.modules.rnn.composite_lstm() for higher-order gradients")
        acts, hs, cs, tcs, order, w_ih_r, w_hh_r, inputs = ctx.arrays
        xp = g_out._xp()
        length, gates, batch = acts.shape
        size = gates // 4
        i, o, g = acts[:, :size], acts[:, 2 * size:3 * size], acts[:, 3 * size:]
        # per-step coefficients, for all steps at once: d_i, d_f, d_g = dc * K ; d_o = dh * P ; dc += dh * Q
        sig = acts[:, : 3 * size]
        slope = xp.subtract(1.0, sig)  # sigmoid' = s (1 - s), for i, f and o at once
        slope *= sig
        coefficients = xp.empty((length, 3, size, batch), dtype=acts.dtype)  # rows i, f, g
        xp.multiply(slope[:, :size], g, out=coefficients[:, 0])
        xp.multiply(slope[:, size:2 * size], cs[:-1], out=coefficients[:, 1])
        xp.multiply(g, g, out=coefficients[:, 2])
        xp.subtract(1.0, coefficients[:, 2], out=coefficients[:, 2])
        coefficients[:, 2] *= i
        p = xp.multiply(slope[:, 2 * size:], tcs)
        q = xp.multiply(tcs, tcs)
        xp.subtract(1.0, q, out=q)
        q *= o
        go = g_out._data[::-1] if ctx.reverse else g_out._data
        go = xp.ascontiguousarray(go.transpose(0, 2, 1))  # (L, H, N), step order
        dh = xp.ascontiguousarray(g_hn._data.T)
        dc = xp.ascontiguousarray(g_cn._data.T)
        scratch = xp.empty_like(dh)
        w_back = xp.ascontiguousarray(w_hh_r.T)  # (H, 4H)
        dgates = xp.empty((length, gates, batch), dtype=acts.dtype)  # step order, gates (i, f, o, g)
        forget = acts[:, size:2 * size]
        for k in range(length - 1, -1, -1):
            dh += go[k]
            d = dgates[k]
            xp.multiply(dh, q[k], out=scratch)
            dc += scratch
            xp.multiply(dh, p[k], out=d[2 * size:3 * size])
            ifg = coefficients[k]
            xp.multiply(ifg[:2], dc, out=d[: 2 * size].reshape(2, size, batch))
            xp.multiply(ifg[2], dc, out=d[3 * size:])
            dh = w_back @ d
            dc *= forget[k]
        needs = ctx.needs_input_grad
        inverse = xp.argsort(order)
        flat = xp.ascontiguousarray(dgates.transpose(1, 0, 2)).reshape(gates, -1)  # (4H, L*N)
        inputs_2d = inputs.reshape(length * batch, -1)
        grads = [None] * len(needs)
        if needs[0]:
            gx = (flat.T @ w_ih_r).reshape(length, batch, -1)
            grads[0] = Tensor._make(xp.ascontiguousarray(gx[::-1]) if ctx.reverse else gx)
        if needs[1]:
            grads[1] = Tensor._make(xp.ascontiguousarray(dh.T))
        if needs[2]:
            grads[2] = Tensor._make(xp.ascontiguousarray(dc.T))
        if needs[3] or needs[4]:  # both weight gradients from one GEMM over [x, h_prev]
            features = inputs_2d.shape[1]
            previous = hs[:-1].transpose(0, 2, 1).reshape(length * batch, size)
            both = (flat @ xp.concatenate([inputs_2d, previous], axis=1))[inverse]
            if needs[3]:
                grads[3] = Tensor._make(both[:, :features].copy())
            if needs[4]:
                grads[4] = Tensor._make(both[:, features:].copy())
        if len(needs) > 5 and (needs[5] or (len(needs) > 6 and needs[6])):
            bias_grad = flat.sum(1)[inverse]
            grads[5] = Tensor._make(bias_grad) if needs[5] else None
            if len(needs) > 6 and needs[6]:
                grads[6] = Tensor._make(bias_grad.copy())
        return tuple(grads)


def lstm_layer(x: Tensor, h0: Tensor, c0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
               b_hh: Tensor | None = None, reverse: bool = False) -> tuple:
    """A whole LSTM layer over ``x`` (L, N, I); returns ``(output, h_n, c_n)``."""
    args = (x, h0, c0, w_ih, w_hh) if b_ih is None else (x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    return LSTMLayer.apply(*args, reverse=reverse)


class GRULayer(Function):
    """A whole GRU layer (one direction) over a sequence, its time loop inside one op (PyTorch's equations)::

        r = sigmoid(x W_ir + b_ir + h W_hr + b_hr)      z = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
        n = tanh(x W_in + b_in + r * (h W_hn + b_hn))   h' = (1 - z) * n + z * h

    As ``LSTMLayer``: one GEMM projects every step's input, each step needs one (N, H) @ (H, 3H) GEMM and a few
    array operations, and backward precomputes every step's coefficients so the reverse loop is short.
    Returns ``output (L, N, H), h_n``. Not itself differentiable (double backward raises).
    """

    _backward_name = "GruLayerBackward0"

    @staticmethod
    def forward(ctx, x, h0, w_ih, w_hh, b_ih=None, b_hh=None, *, reverse=False):
        xp = x._xp()
        length, batch, _ = x._data.shape
        size = h0._data.shape[-1]
        # sigmoid(a) = 1 / (1 + exp(-a)): the sign of r and z is folded into the weights and biases (NumPy's exp
        # is about twice as fast as its tanh); arrays are (feature, sample) so each gate is a contiguous block of rows
        scale = xp.ones(3 * size, dtype=w_ih._data.dtype)
        scale[: 2 * size] = -1.0
        inputs = x._data[::-1] if reverse else x._data  # everything below runs in step order
        acts = xp.matmul(w_ih._data * scale[:, None], inputs.transpose(0, 2, 1))  # (L, 3H, N)
        if b_ih is not None:
            acts += (b_ih._data * scale)[:, None]
        w_scaled = w_hh._data * scale[:, None]
        bias_h = (b_hh._data * scale)[:, None] if b_hh is not None else None
        hs = xp.empty((length + 1, size, batch), dtype=acts.dtype)  # hs[k] is the input state of step k
        hidden_n = xp.empty((length, size, batch), dtype=acts.dtype)  # h W_hn + b_hn, for backward
        scratch = xp.empty((size, batch), dtype=acts.dtype)
        hs[0] = h0._data.T
        with np.errstate(over="ignore"):  # exp(-a) = inf for very negative a: the gate is then exactly 0
            for k in range(length):
                a = acts[k]
                gh = w_scaled @ hs[k]
                if bias_h is not None:
                    gh += bias_h
                rz = a[: 2 * size]
                rz += gh[: 2 * size]
                xp.exp(rz, out=rz)
                rz += 1.0
                xp.reciprocal(rz, out=rz)
                hidden_n[k] = gh[2 * size:]
                n = a[2 * size:]
                xp.multiply(rz[:size], gh[2 * size:], out=scratch)
                n += scratch
                xp.tanh(n, out=n)
                xp.subtract(hs[k], n, out=scratch)
                scratch *= rz[size:]
                xp.add(n, scratch, out=hs[k + 1])
        if any(ctx.needs_input_grad):
            ctx.arrays = (acts, hs, hidden_n, w_ih._data, w_hh._data, inputs)
            ctx.reverse = reverse
        states = hs[:0:-1] if reverse else hs[1:]
        return xp.ascontiguousarray(states.transpose(0, 2, 1)), xp.ascontiguousarray(hs[length].T)

    @staticmethod
    def backward(ctx, g_out, g_hn):
        if state.enabled:
            raise RuntimeError("double backward through the fused GRU layer is not supported: build the GRU inside "
                               "saessak.nn.modules.rnn.composite_lstm() for higher-order gradients")
        acts, hs, hidden_n, w_ih, w_hh, inputs = ctx.arrays
        xp = g_out._xp()
        length, gates, batch = acts.shape
        size = gates // 3
        r, z, n = acts[:, :size], acts[:, size:2 * size], acts[:, 2 * size:]
        # every step's coefficients at once, in terms of dh (the gradient reaching h'):
        #   d n_pre = dh * A,  A = (1 - z)(1 - n^2)       d z_pre = dh * B,  B = (h - n) z (1 - z)
        #   d r_pre = dh * D,  D = A * (h W_hn + b_hn) * r (1 - r)        d (h W_hn) = dh * A * r
        a = xp.multiply(n, n)
        xp.subtract(1.0, a, out=a)
        one_minus_z = xp.subtract(1.0, z)
        a *= one_minus_z
        coefficients = xp.empty((length, 3, size, batch), dtype=acts.dtype)  # rows r, z, n of d(h W_h)
        xp.subtract(1.0, r, out=coefficients[:, 0])
        coefficients[:, 0] *= r
        coefficients[:, 0] *= hidden_n
        coefficients[:, 0] *= a
        xp.subtract(hs[:-1], n, out=coefficients[:, 1])
        coefficients[:, 1] *= z
        coefficients[:, 1] *= one_minus_z
        xp.multiply(a, r, out=coefficients[:, 2])
        go = g_out._data[::-1] if ctx.reverse else g_out._data
        go = xp.ascontiguousarray(go.transpose(0, 2, 1))  # (L, H, N), step order
        dh = xp.ascontiguousarray(g_hn._data.T)
        scratch = xp.empty_like(dh)
        w_back = xp.ascontiguousarray(w_hh.T)  # (H, 3H)
        d_hidden = xp.empty((length, gates, batch), dtype=acts.dtype)  # d(W_hh h + b_hh), step order
        d_input = xp.empty((length, gates, batch), dtype=acts.dtype)  # d(W_ih x + b_ih), step order
        for k in range(length - 1, -1, -1):
            dh += go[k]
            dg = d_hidden[k]
            xp.multiply(coefficients[k], dh, out=dg.reshape(3, size, batch))
            di = d_input[k]
            di[: 2 * size] = dg[: 2 * size]
            xp.multiply(dh, a[k], out=di[2 * size:])
            xp.multiply(dh, z[k], out=scratch)
            dh = w_back @ dg
            dh += scratch
        needs = ctx.needs_input_grad
        flat_input = xp.ascontiguousarray(d_input.transpose(1, 0, 2)).reshape(gates, -1)  # (3H, L*N)
        flat_hidden = xp.ascontiguousarray(d_hidden.transpose(1, 0, 2)).reshape(gates, -1)
        grads = [None] * len(needs)
        if needs[0]:
            gx = (flat_input.T @ w_ih).reshape(length, batch, -1)
            grads[0] = Tensor._make(xp.ascontiguousarray(gx[::-1]) if ctx.reverse else gx)
        if needs[1]:
            grads[1] = Tensor._make(xp.ascontiguousarray(dh.T))
        if needs[2]:
            grads[2] = Tensor._make(flat_input @ inputs.reshape(length * batch, -1))
        if needs[3]:
            grads[3] = Tensor._make(flat_hidden @ hs[:-1].transpose(0, 2, 1).reshape(length * batch, size))
        if len(needs) > 4 and needs[4]:
            grads[4] = Tensor._make(flat_input.sum(1))
        if len(needs) > 5 and needs[5]:
            grads[5] = Tensor._make(flat_hidden.sum(1))
        return tuple(grads)


def gru_layer(x: Tensor, h0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
              b_hh: Tensor | None = None, reverse: bool = False) -> tuple:
    """A whole GRU layer over ``x`` (L, N, I); returns ``(output, h_n)``."""
    args = (x, h0, w_ih, w_hh) if b_ih is None else (x, h0, w_ih, w_hh, b_ih, b_hh)
    return GRULayer.apply(*args, reverse=reverse)
