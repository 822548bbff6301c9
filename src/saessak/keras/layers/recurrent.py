"""Recurrent layers over batch-major (N, T, F) inputs, with Keras' weights and gate orders:
SimpleRNN, LSTM (gates i, f, c, o) and GRU (gates z, r, h; ``reset_after=True``).

Each keeps ``kernel`` (F, G*units), ``recurrent_kernel`` (units, G*units) and ``bias``, so parameter counts
match Keras. The LSTM with its default activations runs on saessak's fused LSTM op; other cases loop over
time with ordinary ops.

>>> import numpy as np
>>> from saessak import keras
>>> out, h, c = keras.layers.LSTM(4, return_sequences=True, return_state=True)(np.zeros((2, 5, 3)))
>>> tuple(out.shape), tuple(h.shape), tuple(c.shape)
((2, 5, 4), (2, 4), (2, 4))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import creation
from ...nn import functional as F
from ...ops.join import stack
from ...ops.recurrent import lstm_layer
from .. import activations
from .. import initializers as initializers_module
from .. import regularizers as regularizers_module
from .base import InputSpec, Layer

__all__ = ["GRU", "LSTM", "SimpleRNN"]


class _Recurrent(Layer):
    gates = 1
    states = 1

    def __init__(self, units: int, activation: str | Callable | None = "tanh",
                 recurrent_activation: str | Callable | None = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if recurrent_dropout:
            raise NotImplementedError(f"{type(self).__name__}: recurrent_dropout is not supported yet; use dropout= "
                                      "(on the inputs) or a Dropout layer")
        if stateful:
            raise NotImplementedError(f"{type(self).__name__}: stateful=True is not supported yet")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers_module.get(kernel_initializer)
        self.recurrent_initializer = initializers_module.get(recurrent_initializer)
        self.bias_initializer = initializers_module.get(bias_initializer)
        self.kernel_regularizer = regularizers_module.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers_module.get(recurrent_regularizer)
        self.bias_regularizer = regularizers_module.get(bias_regularizer)
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards = bool(go_backwards)

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def build(self, input_shape: Any) -> None:
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f'{type(self).__name__} layer "{self.name}" expects inputs of shape (batch, timesteps, '
                             f"features) with known features, got {input_shape}")
        features, width = input_shape[-1], self.gates * self.units
        self.kernel = self.add_weight("kernel", (features, width), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", self._bias_shape(), initializer=self._bias_initial(),
                                        regularizer=self.bias_regularizer)
        self.input_spec = InputSpec(ndim=3, axes={-1: features})

    def _bias_initial(self) -> Any:
        return self.bias_initializer

    def call(self, inputs, initial_state=None, training=None):
        if isinstance(inputs, (list, tuple)):  # Keras also accepts [inputs, *initial_state]
            inputs, initial_state = inputs[0], list(inputs[1:])
        if self.dropout and training:
            inputs = F.dropout(inputs, self.dropout, training=True)
        if self.go_backwards:
            inputs = inputs.flip(1)
        batch = inputs.shape[0]
        if initial_state is None:
            zeros = creation.zeros(batch, self.units, dtype=inputs.dtype)
            initial_state = [zeros] * self.states
        elif not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        sequence, states = self._run(inputs.transpose(0, 1), list(initial_state))
        output = sequence.transpose(0, 1) if self.return_sequences else sequence[-1]
        return [output, *states] if self.return_state else output

    def _project(self, x):
        """(T, N, F) -> (T, N, G*units): the input part of every gate for all steps in one product."""
        steps, batch = x.shape[0], x.shape[1]
        projected = x.reshape(steps * batch, -1) @ self.kernel
        bias = self._input_bias()
        if bias is not None:
            projected = projected + bias
        return projected.reshape(steps, batch, -1)

    def _input_bias(self):
        return self.bias if self.use_bias else None

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias, "dropout": self.dropout, "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards}


class SimpleRNN(_Recurrent):
    """``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``."""

    def __init__(self, units: int, activation: str | Callable | None = "tanh", **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)

    def _run(self, x, states):
        (h,) = states
        outputs = []
        for step in self._project(x).unbind(0):
            h = self.activation(step + h @ self.recurrent_kernel)
            outputs.append(h)
        return stack(outputs, 0), [h]


class LSTM(_Recurrent):
    """Long short-term memory over (N, T, F) inputs; returns (N, units), or (N, T, units) with
    ``return_sequences=True``, followed by the final ``h`` and ``c`` with ``return_state=True``.

    ``unit_forget_bias=True`` (Keras' default) starts the forget-gate bias at one.
    """

    gates, states = 4, 2

    def __init__(self, units: int, unit_forget_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_initial(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def forget_ones(shape, dtype=None):
            bias = base(shape, dtype=dtype)
            bias[units:2 * units] = 1.0
            return bias

        return forget_ones

    def _run(self, x, states):
        h, c = states
        if self.activation is activations.tanh and self.recurrent_activation is activations.sigmoid:
            # saessak's fused op takes PyTorch's (4U, in) weights; its gate order i, f, g, o is Keras' i, f, c, o
            bias = self.bias if self.use_bias else None
            sequence, h, c = lstm_layer(x, h, c, self.kernel.t(), self.recurrent_kernel.t(), bias)
            return sequence, [h, c]
        projected = self._project(x)
        outputs = []
        for step in projected.unbind(0):
            i, f, g, o = (step + h @ self.recurrent_kernel).chunk(4, -1)
            c = self.recurrent_activation(f) * c + self.recurrent_activation(i) * self.activation(g)
            h = self.recurrent_activation(o) * self.activation(c)
            outputs.append(h)
        return stack(outputs, 0), [h, c]

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class GRU(_Recurrent):
    """Gated recurrent unit over (N, T, F) inputs, Keras 2's default form (``reset_after=True``: the reset
    gate applies after the recurrent product, with separate input and recurrent biases, ``bias`` (2, 3*units)).
    """

    gates, states = 3, 1

    def __init__(self, units: int, reset_after: bool = True, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if not self.use_bias:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def _run(self, x, states):
        (h,) = states
        units, outputs = self.units, []
        recurrent_bias = self.bias[1] if self.use_bias and self.reset_after else None
        for step in self._project(x).unbind(0):
            xz, xr, xh = step.chunk(3, -1)
            if self.reset_after:
                recurrent = h @ self.recurrent_kernel
                if recurrent_bias is not None:
                    recurrent = recurrent + recurrent_bias
                rz, rr, rh = recurrent.chunk(3, -1)
                z = self.recurrent_activation(xz + rz)
                r = self.recurrent_activation(xr + rr)
                candidate = self.activation(xh + r * rh)
            else:
                rz, rr = (h @ self.recurrent_kernel[:, :2 * units]).chunk(2, -1)
                z = self.recurrent_activation(xz + rz)
                r = self.recurrent_activation(xr + rr)
                candidate = self.activation(xh + (r * h) @ self.recurrent_kernel[:, 2 * units:])
            h = z * h + (1 - z) * candidate
            outputs.append(h)
        return stack(outputs, 0), [h]

    def get_config(self) -> dict:
        return {**super().get_config(), "reset_after": self.reset_after}
