"""Activation functions by Keras name, each a function of a saessak tensor.

``get('relu')`` returns the function; a callable passes through; ``None`` means ``linear``.

>>> from saessak import keras, tensor
>>> keras.activations.get("relu")(tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

from __future__ import annotations

from collections.abc import Callable

from ..nn import functional as F

__all__ = [
    "elu", "exponential", "gelu", "get", "hard_sigmoid", "leaky_relu", "linear", "log_softmax", "mish", "relu",
    "relu6", "selu", "serialize", "sigmoid", "silu", "softmax", "softplus", "softsign", "swish", "tanh",
]


def relu(x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0):
    """``max(x, 0)``; with ``negative_slope`` below ``threshold``, clipped at ``max_value`` when given."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return F.relu(x)
    shifted = x - threshold
    y = shifted.relu() + threshold * (x > threshold).to(x.dtype) - negative_slope * (-shifted).relu()
    return y.clamp(max=max_value) if max_value is not None else y


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return F.relu6(x)


def leaky_relu(x, negative_slope: float = 0.2):
    """``x`` for positive inputs, ``negative_slope * x`` otherwise."""
    return F.leaky_relu(x, negative_slope)


def elu(x, alpha: float = 1.0):
    """``x`` for positive inputs, ``alpha * (exp(x) - 1)`` otherwise."""
    return F.elu(x, alpha)


def selu(x):
    """Scaled ELU with the self-normalising constants (use with ``lecun_normal`` weights)."""
    return F.selu(x)


def gelu(x, approximate: bool = False):
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate=True`` uses the tanh formula."""
    return F.gelu(x, approximate="tanh" if approximate else "none")


def sigmoid(x):
    """``1 / (1 + exp(-x))``."""
    return F.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``clip(x / 6 + 0.5, 0, 1)``."""
    return F.hardsigmoid(x)


def tanh(x):
    """Hyperbolic tangent."""
    return F.tanh(x)


def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``; each row sums to one."""
    return F.softmax(x, dim=axis)


def log_softmax(x, axis: int = -1):
    """``log(softmax(x))`` computed stably."""
    return F.log_softmax(x, dim=axis)


def softplus(x):
    """``log(1 + exp(x))``."""
    return F.softplus(x)


def softsign(x):
    """``x / (1 + |x|)``."""
    return F.softsign(x)


def silu(x):
    """``x * sigmoid(x)`` (also called swish)."""
    return F.silu(x)


swish = silu


def mish(x):
    """``x * tanh(softplus(x))``."""
    return F.mish(x)


def exponential(x):
    """``exp(x)``."""
    return x.exp()


def linear(x):
    """The identity: ``linear(x) is x``."""
    return x


_BY_NAME: dict[str, Callable] = {
    "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu, "selu": selu, "gelu": gelu,
    "sigmoid": sigmoid, "hard_sigmoid": hard_sigmoid, "tanh": tanh, "softmax": softmax, "log_softmax": log_softmax,
    "softplus": softplus, "softsign": softsign, "swish": swish, "silu": silu, "mish": mish,
    "exponential": exponential, "linear": linear,
}


def get(identifier: str | Callable | None) -> Callable:
    """The activation function for a Keras name, a callable (returned as is) or ``None`` (linear).

    >>> get("softmax") is softmax
    True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]
        except KeyError:
            raise ValueError(f"Unknown activation function: '{identifier}'. Valid names are: "
                             f"{', '.join(sorted(_BY_NAME))}; or pass a callable.") from None
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r} "
                    "(expected a name, a callable or None)")


def serialize(activation: Callable) -> str:
    """The Keras name of an activation function (its ``__name__`` for user functions)."""
    for name, function in _BY_NAME.items():
        if function is activation and name not in ("silu",):
            return name
    return getattr(activation, "__name__", repr(activation))


def apply(activation: Callable, z):
    """``activation(z)``, remembering ``z`` on the result when the activation is softmax or sigmoid.

    Losses read it back (``_keras_logits``) to compute cross-entropy from the logits, which is exact where
    the log of a rounded probability is not.
    """
    if activation is linear:
        return z
    y = activation(z)
    if activation is softmax or activation is sigmoid:
        y._keras_logits = z
        y._keras_activation = activation.__name__
    return y
