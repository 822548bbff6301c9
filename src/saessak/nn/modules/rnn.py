"""Recurrent layers: RNN, LSTM, GRU (multi-layer, bidirectional, batch_first) and their cells.

Each layer projects the whole input sequence through ``W_ih`` in one matrix product, then walks the time
steps with the small recurrent product ``h @ W_hh^T``; every step is built from ops, so backpropagation
through time is ordinary backward. Parameter names, gate orders and shapes are PyTorch's.
"""

from __future__ import annotations

import math

from ... import creation
from ..._tensor import Tensor
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...ops.join import cat, split, stack
from ...ops.recurrent import gru_layer, lstm_cell, lstm_layer
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _cell_step(mode: str, gi: Tensor, h: Tensor, c: Tensor | None, w_hh: Tensor, b_hh: Tensor | None,
               force_composite: bool = False):
    """One time step given the input projection ``gi`` (x W_ih^T + b_ih); returns (h, c)."""
    if mode == "LSTM":
        if not force_composite and (not is_grad_enabled() or not _needs_double_backward()):
            return lstm_cell(gi, h, c, w_hh, b_hh)  # one fused op per step
        gates = gi + h @ w_hh.t() + (b_hh if b_hh is not None else 0.0)
        i, f, g, o = gates.chunk(4, -1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        return o.sigmoid() * c.tanh(), c
    gh = h @ w_hh.t()
    if b_hh is not None:
        gh = gh + b_hh
    if mode == "GRU":
        ir, iz, in_ = gi.chunk(3, -1)
        hr, hz, hn = gh.chunk(3, -1)
        r = (ir + hr).sigmoid()
        z = (iz + hz).sigmoid()
        n = (in_ + r * hn).tanh()
        return n + z * (h - n), None  # (1 - z) * n + z * h
    pre = gi + gh
    return (pre.tanh() if mode == "RNN_TANH" else pre.relu()), None


_composite = [False]


def _needs_double_backward() -> bool:
    """True inside ``composite_lstm()``: LSTM steps are then built from ops (differentiable to any order)."""
    return _composite[0]


class composite_lstm:
    """Context manager: build LSTM steps from elementary ops so gradients of any order work (slower)."""

    def __enter__(self) -> None:
        self._previous = _composite[0]
        _composite[0] = True

    def __exit__(self, *exc) -> None:
        _composite[0] = self._previous


def _dropout(x: Tensor, p: float) -> Tensor:
    from ...random import bernoulli

    mask = bernoulli(creation.full(tuple(x.shape), 1.0 - p, dtype=x.dtype))
    return x * mask / (1.0 - p)


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__()
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if proj_size and proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                             "being zeroed")
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        state_size = proj_size or hidden_size  # what h (and each layer's output) holds
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else state_size * directions
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                names = [f"weight_ih{suffix}", f"weight_hh{suffix}"]
                shapes = [(gate_size, layer_input), (gate_size, state_size)]
                if bias:
                    names += [f"bias_ih{suffix}", f"bias_hh{suffix}"]
                    shapes += [(gate_size,), (gate_size,)]
                if proj_size:
                    names.append(f"weight_hr{suffix}")
                    shapes.append((proj_size, hidden_size))
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(creation.empty(*shape, device=device, dtype=dtype)))
                    self._flat_weights_names.append(name)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0.0
        with no_grad():
            for p in self.parameters():
                p.uniform_(-bound, bound)

    @property
    def all_weights(self) -> list:
        directions = 2 if self.bidirectional else 1
        per = (4 if self.bias else 2) + (1 if self.proj_size else 0)
        params = [getattr(self, n) for n in self._flat_weights_names]
        return [params[i * per:(i + 1) * per] for i in range(self.num_layers * directions)]

    def _layer_params(self, layer: int, direction: int):
        suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
        get = lambda name: getattr(self, name + suffix) if self.bias or "weight" in name else None  # noqa: E731
        w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), w_hr

    def _run_direction(self, inputs: Tensor, h: Tensor, c: Tensor | None, params, reverse: bool):
        """Inputs (L, N, I) -> outputs (L, N, H) and final (h, c) for one direction of one layer."""
        w_ih, w_hh, b_ih, b_hh, w_hr = params
        length, batch = inputs.shape[0], inputs.shape[1]
        if self.mode == "LSTM" and w_hr is None and not _needs_double_backward():
            return lstm_layer(inputs, h, c, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
        if self.mode == "GRU" and not _needs_double_backward():
            output, h = gru_layer(inputs, h, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
            return output, h, None
        projected = inputs.reshape(length * batch, -1) @ w_ih.t()
        if b_ih is not None:
            projected = projected + b_ih
        # unbind: one node for all time steps, so backward stacks their gradients once (not L full-size adds)
        projected = projected.reshape(length, batch, -1).unbind(0)
        steps = range(length - 1, -1, -1) if reverse else range(length)
        outputs = [None] * length
        for t in steps:
            h, c = _cell_step(self.mode, projected[t], h, c, w_hh, b_hh, force_composite=w_hr is not None)
            if w_hr is not None:  # LSTM with projections: h = W_hr (o * tanh(c))
                h = h @ w_hr.t()
            outputs[t] = h
        return stack(outputs, 0), h, c

    def _run_packed_direction(self, data: Tensor, batch_sizes: list, h: Tensor, c: Tensor | None, params,
                              reverse: bool):
        """Packed data (N, I) -> packed outputs (N, H) and each sequence's final (h, c), for one direction.

        The batch shrinks as sequences end (forward) or grows as they begin (reverse): sequences are sorted by
        decreasing length, so the running ones are always the first ``batch_sizes[t]`` rows.
        """
        w_ih, w_hh, b_ih, b_hh, w_hr = params
        projected = data @ w_ih.t()
        if b_ih is not None:
            projected = projected + b_ih
        projected = split(projected, batch_sizes, 0)  # one node for all steps, as unbind in _run_direction
        h0, c0 = h, c
        size = batch_sizes[-1] if reverse else batch_sizes[0]
        if reverse:
            h, c = h0[:size], c0[:size] if c0 is not None else None
        ended_h, ended_c = [], []  # forward: states of sequences that ended, latest-ending (lowest rows) last
        outputs = [None] * len(batch_sizes)
        for t in (range(len(batch_sizes) - 1, -1, -1) if reverse else range(len(batch_sizes))):
            if batch_sizes[t] != size:
                if reverse:  # sequences whose last step is t join, starting from their initial state
                    h = cat([h, h0[size:batch_sizes[t]]], 0)
                    c = cat([c, c0[size:batch_sizes[t]]], 0) if c is not None else None
                else:
                    ended_h.append(h[batch_sizes[t]:])
                    ended_c.append(c[batch_sizes[t]:] if c is not None else None)
                    h, c = h[:batch_sizes[t]], c[:batch_sizes[t]] if c is not None else None
                size = batch_sizes[t]
            h, c = _cell_step(self.mode, projected[t], h, c, w_hh, b_hh, force_composite=w_hr is not None)
            if w_hr is not None:  # LSTM with projections: h = W_hr (o * tanh(c))
                h = h @ w_hr.t()
            outputs[t] = h
        if ended_h:
            h = cat([h, *ended_h[::-1]], 0)
            c = cat([c, *ended_c[::-1]], 0) if c is not None else None
        return cat(outputs, 0), h, c

    def _initial_states(self, hx, batch: int, like: Tensor, batched: bool = True, order: Tensor | None = None):
        """``hx`` (or zeros) as (h0, c0) of shape (layers * directions, batch, size), rows permuted by ``order``."""
        states = self.num_layers * (2 if self.bidirectional else 1)
        state_size = self.proj_size or self.hidden_size
        if hx is None:
            h0 = creation.zeros(states, batch, state_size, dtype=like.dtype, device=like.device)
            c0 = (creation.zeros(states, batch, self.hidden_size, dtype=like.dtype, device=like.device)
                  if self.mode == "LSTM" else None)
            return h0, c0
        h0, c0 = hx if self.mode == "LSTM" else (hx, None)
        if not batched:
            h0 = h0.unsqueeze(1)
            c0 = c0.unsqueeze(1) if c0 is not None else None
        if order is not None:  # packed input: the state of sequence i goes with the i-th longest sequence
            h0 = h0.index_select(1, order)
            c0 = c0.index_select(1, order) if c0 is not None else None
        expected = (states, batch, state_size)
        if tuple(h0.shape) != expected:
            raise RuntimeError(f"Expected hidden size {expected}, got {tuple(h0.shape)}")
        if c0 is not None and tuple(c0.shape) != (states, batch, self.hidden_size):
            raise RuntimeError(f"Expected hidden size {(states, batch, self.hidden_size)}, got {tuple(c0.shape)}")
        return h0, c0

    def _layers(self, x: Tensor, h0: Tensor, c0: Tensor | None, run_direction):
        """Every layer and direction over ``x``; returns (output, h_n, c_n or None)."""
        directions = 2 if self.bidirectional else 1
        final_h, final_c = [], []
        layer_input = x
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                out, h, c = run_direction(layer_input, h0[index], c0[index] if c0 is not None else None,
                                          self._layer_params(layer, direction), reverse=direction == 1)
                outputs.append(out)
                final_h.append(h)
                final_c.append(c)
            layer_input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = _dropout(layer_input, self.dropout)
        return layer_input, stack(final_h, 0), stack(final_c, 0) if c0 is not None else None

    def _check_input(self, input: Tensor, dims: tuple) -> None:
        if input.ndim not in dims:
            expected = " or ".join(f"{d}D" for d in dims)
            raise ValueError(f"{type(self).__name__}: Expected input to be {expected}, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.shape[-1]}")

    def _forward_packed(self, input: PackedSequence, hx):
        """The packed path: output is a PackedSequence like ``input``; final states in the original batch order."""
        data, batch_sizes, sorted_indices, unsorted_indices = input
        self._check_input(data, (2,))
        sizes = [int(size) for size in batch_sizes.tolist()]
        h0, c0 = self._initial_states(hx, sizes[0], data, order=sorted_indices)
        run = lambda x, h, c, params, reverse: self._run_packed_direction(x, sizes, h, c, params, reverse)
        output, h_n, c_n = self._layers(data, h0, c0, run)
        if unsorted_indices is not None:
            h_n = h_n.index_select(1, unsorted_indices)
            c_n = c_n.index_select(1, unsorted_indices) if c_n is not None else None
        output = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
        return (output, (h_n, c_n)) if self.mode == "LSTM" else (output, h_n)

    def forward(self, input: Tensor | PackedSequence, hx=None):
        """Run over ``input`` (L, N, I) (or (N, L, I) with batch_first, (L, I) unbatched, or a PackedSequence).

        Returns ``output, h_n`` (LSTM: ``output, (h_n, c_n)``); for packed input the output is packed too and
        ``h_n`` holds each sequence's state at its own last step.
        """
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        self._check_input(input, (2, 3))
        batched = input.ndim == 3
        x = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            x = x.transpose(0, 1)
        h0, c0 = self._initial_states(hx, x.shape[1], input, batched)
        output, h_n, c_n = self._layers(x, h0, c0, self._run_direction)
        if batched and self.batch_first:
            output = output.transpose(0, 1)
        if not batched:
            output, h_n = output.squeeze(1), h_n.squeeze(1)
        if self.mode == "LSTM":
            return output, (h_n, c_n if batched else c_n.squeeze(1))
        return output, h_n

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """Long short-term memory; returns ``output, (h_n, c_n)``. Gates in PyTorch's order: input, forget, cell, output."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit; gates in PyTorch's order: reset, update, new."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0,
                         device, dtype)


class _CellBase(Module):
    _mode = "RNN_TANH"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = _GATES[self._mode] * hidden_size
        self.weight_ih = Parameter(creation.empty(gate_size, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(creation.empty(gate_size, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(creation.empty(gate_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(creation.empty(gate_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        bound = 1.0 / math.sqrt(hidden_size)
        with no_grad():
            for p in self.parameters():
                p.uniform_(-bound, bound)

    def _step(self, input: Tensor, h: Tensor, c: Tensor | None):
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        h = h if batched else h.unsqueeze(0)
        c = c if c is None or batched else c.unsqueeze(0)
        gi = x @ self.weight_ih.t()
        if self.bias_ih is not None:
            gi = gi + self.bias_ih
        h, c = _cell_step(self._mode, gi, h, c, self.weight_hh, self.bias_hh)
        if not batched:
            h = h.squeeze(0)
            c = c.squeeze(0) if c is not None else None
        return h, c

    def _zeros(self, input: Tensor) -> Tensor:
        shape = (input.shape[0], self.hidden_size) if input.ndim == 2 else (self.hidden_size,)
        return creation.zeros(*shape, dtype=input.dtype, device=input.device)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        return text


class RNNCell(_CellBase):
    """One step of an Elman RNN."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, self._zeros(input) if hx is None else hx, None)[0]


class LSTMCell(_CellBase):
    """One LSTM step: ``(h, c) = cell(x, (h, c))``."""

    _mode = "LSTM"

    def forward(self, input: Tensor, hx=None) -> tuple:
        if hx is None:
            hx = (self._zeros(input), self._zeros(input))
        return self._step(input, hx[0], hx[1])


class GRUCell(_CellBase):
    """One GRU step."""

    _mode = "GRU"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, self._zeros(input) if hx is None else hx, None)[0]
