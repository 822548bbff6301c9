"""Loss functions by Keras name, as classes (``SparseCategoricalCrossentropy(from_logits=True)``) and functions.

Every loss takes ``(y_true, y_pred)`` and returns a scalar saessak tensor: the mean over the batch of the
per-sample losses (Keras' ``sum_over_batch_size``). Cross-entropies on probabilities are computed from the
logits when the prediction comes straight out of a softmax/sigmoid layer, and otherwise from probabilities
clipped to ``[epsilon, 1 - epsilon]`` (epsilon 1e-7), as Keras does.

>>> from saessak import keras, tensor
>>> loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
>>> round(float(loss(tensor([0]), tensor([[2.0, 0.0]]))), 4)
0.1269
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ..nn import functional as F
from . import backend
from .layers.base import to_tensor

__all__ = [
    "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Hinge", "Huber",
    "KLDivergence", "LogCosh", "Loss", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "binary_crossentropy",
    "categorical_crossentropy", "get", "huber", "mean_absolute_error", "mean_squared_error",
    "sparse_categorical_crossentropy",
]


def _logits_of(y_pred: Tensor, activation: str):
    """The pre-activation a softmax/sigmoid layer stored on its output, or None."""
    if getattr(y_pred, "_keras_activation", None) == activation:
        return y_pred._keras_logits
    return None


def _array_inputs(function: Callable) -> Callable:
    """Let a per-sample loss take NumPy arrays or lists for ``y_pred`` too, as Keras' functions do."""
    @functools.wraps(function)
    def wrapper(y_true: Any, y_pred: Any, *args: Any, **kwargs: Any) -> Tensor:
        return function(y_true, to_tensor(y_pred), *args, **kwargs)
    return wrapper


def _match(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """Labels of shape (N,) against predictions (N, 1) become (N, 1) rather than broadcasting to (N, N)."""
    y_true = to_tensor(y_true)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true.unsqueeze(-1)
    elif y_pred.ndim == y_true.ndim - 1 and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    if not y_true.is_floating_point():
        y_true = y_true.to(y_pred.dtype)
    return y_true


# ---------------------------------------------------------------- per-sample loss functions
@_array_inputs
def sparse_categorical_crossentropy(y_true: Any, y_pred: Tensor, from_logits: bool = False, axis: int = -1,
                                    ignore_class: int | None = None) -> Tensor:
    """``-log p[label]`` per sample, for integer labels (N,) (or (N, 1)) and class scores (N, C)."""
    labels = to_tensor(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)
    labels = labels.long()
    classes = y_pred.shape[axis]
    if labels.numel() and (int(labels.max()) >= classes or int(labels.min()) < 0) and ignore_class is None:
        raise ValueError(f"sparse_categorical_crossentropy: labels must be integers in [0, {classes}) for predictions "
                         f"with {classes} classes, got labels from {int(labels.min())} to {int(labels.max())}")
    log_probs = _log_probabilities(y_pred, from_logits, axis)
    if axis not in (-1, y_pred.ndim - 1):
        log_probs = log_probs.movedim(axis, -1)
    safe = labels if ignore_class is None else labels.masked_fill(labels == ignore_class, 0)
    losses = -log_probs.gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    if ignore_class is not None:
        losses = losses * (labels != ignore_class).to(losses.dtype)
    return losses


def _log_probabilities(y_pred: Tensor, from_logits: bool, axis: int) -> Tensor:
    if from_logits:
        return F.log_softmax(y_pred, dim=axis)
    logits = _logits_of(y_pred, "softmax")
    if logits is not None and axis in (-1, y_pred.ndim - 1):
        return F.log_softmax(logits, dim=axis)
    eps = backend.epsilon()
    probs = y_pred / y_pred.sum(axis, keepdim=True)
    return probs.clamp(eps, 1 - eps).log()


@_array_inputs
def categorical_crossentropy(y_true: Any, y_pred: Tensor, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1) -> Tensor:
    """``-sum(y_true * log p)`` per sample, for one-hot (or soft) targets (N, C)."""
    y_true = _match(y_true, y_pred)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(f"categorical_crossentropy: targets of shape {tuple(y_true.shape)} do not match predictions "
                         f"of shape {tuple(y_pred.shape)}. For integer labels use sparse_categorical_crossentropy.")
    if label_smoothing:
        classes = y_pred.shape[axis]
        y_true = y_true * (1 - label_smoothing) + label_smoothing / classes
    return -(y_true * _log_probabilities(y_pred, from_logits, axis)).sum(axis)


@_array_inputs
def binary_crossentropy(y_true: Any, y_pred: Tensor, from_logits: bool = False, label_smoothing: float = 0.0,
                        axis: int = -1) -> Tensor:
    """Mean over the last axis of ``-(y log p + (1 - y) log(1 - p))``, for targets in [0, 1]."""
    y_true = _match(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _logits_of(y_pred, "sigmoid")
    if logits is not None:
        # max(z, 0) - z * y + log(1 + exp(-|z|)): exact for any logit
        elementwise = logits.relu() - logits * y_true + (-logits.abs()).exp().log1p()
    else:
        eps = backend.epsilon()
        p = y_pred.clamp(eps, 1 - eps)
        elementwise = -(y_true * p.log() + (1 - y_true) * (1 - p).log())
    return elementwise.mean(axis)


@_array_inputs
def mean_squared_error(y_true: Any, y_pred: Tensor) -> Tensor:
    """Mean over the last axis of ``(y_true - y_pred) ** 2``."""
    difference = y_pred - _match(y_true, y_pred)
    return (difference * difference).mean(-1)


@_array_inputs
def mean_absolute_error(y_true: Any, y_pred: Tensor) -> Tensor:
    """Mean over the last axis of ``|y_true - y_pred|``."""
    return (y_pred - _match(y_true, y_pred)).abs().mean(-1)


@_array_inputs
def mean_absolute_percentage_error(y_true: Any, y_pred: Tensor) -> Tensor:
    """``100 * mean(|y_true - y_pred| / max(|y_true|, epsilon))`` over the last axis."""
    y_true = _match(y_true, y_pred)
    return 100.0 * ((y_true - y_pred).abs() / y_true.abs().clamp(min=backend.epsilon())).mean(-1)


@_array_inputs
def mean_squared_logarithmic_error(y_true: Any, y_pred: Tensor) -> Tensor:
    """Mean over the last axis of ``(log(1 + y_true) - log(1 + y_pred)) ** 2``."""
    y_true = _match(y_true, y_pred)
    eps = backend.epsilon()
    difference = (y_pred.clamp(min=eps) + 1).log() - (y_true.clamp(min=eps) + 1).log()
    return (difference * difference).mean(-1)


@_array_inputs
def huber(y_true: Any, y_pred: Tensor, delta: float = 1.0) -> Tensor:
    """Quadratic for errors below ``delta``, linear beyond; mean over the last axis."""
    error = (y_pred - _match(y_true, y_pred)).abs()
    quadratic = error.clamp(max=delta)
    return (0.5 * quadratic * quadratic + delta * (error - quadratic)).mean(-1)


@_array_inputs
def log_cosh(y_true: Any, y_pred: Tensor) -> Tensor:
    """Mean over the last axis of ``log(cosh(y_pred - y_true))``, computed without overflow."""
    x = y_pred - _match(y_true, y_pred)
    return (x + F.softplus(-2.0 * x) - math.log(2.0)).mean(-1)


@_array_inputs
def hinge(y_true: Any, y_pred: Tensor) -> Tensor:
    """``mean(max(1 - y_true * y_pred, 0))`` with labels in {-1, 1} (0/1 labels are mapped)."""
    y_true = _match(y_true, y_pred)
    if float(y_true.min()) >= 0:
        y_true = 2 * y_true - 1
    return (1 - y_true * y_pred).relu().mean(-1)


@_array_inputs
def categorical_hinge(y_true: Any, y_pred: Tensor) -> Tensor:
    """``max(0, 1 + max(wrong scores) - correct score)`` for one-hot targets."""
    y_true = _match(y_true, y_pred)
    positive = (y_true * y_pred).sum(-1)
    negative = ((1 - y_true) * y_pred).amax(-1)
    return (negative - positive + 1).relu()


@_array_inputs
def kl_divergence(y_true: Any, y_pred: Tensor) -> Tensor:
    """``sum(y_true * log(y_true / y_pred))`` over the last axis, both clipped to [epsilon, 1]."""
    eps = backend.epsilon()
    y_true = _match(y_true, y_pred).clamp(eps, 1)
    return (y_true * (y_true / y_pred.clamp(eps, 1)).log()).sum(-1)


@_array_inputs
def poisson(y_true: Any, y_pred: Tensor) -> Tensor:
    """Mean over the last axis of ``y_pred - y_true * log(y_pred + epsilon)``."""
    y_true = _match(y_true, y_pred)
    return (y_pred - y_true * (y_pred + backend.epsilon()).log()).mean(-1)


@_array_inputs
def cosine_similarity(y_true: Any, y_pred: Tensor, axis: int = -1) -> Tensor:
    """Minus the cosine similarity along ``axis`` (so minimising aligns the vectors)."""
    y_true = _match(y_true, y_pred)
    return -(F.normalize(y_true, dim=axis) * F.normalize(y_pred, dim=axis)).sum(axis)


# ---------------------------------------------------------------- classes
class Loss:
    """Base class: ``call(y_true, y_pred)`` gives per-sample losses; ``__call__`` reduces them.

    ``reduction``: ``'sum_over_batch_size'`` (the mean, Keras' default), ``'sum'`` or ``'none'``.
    """

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None) -> None:
        if reduction in ("auto", "mean"):
            reduction = "sum_over_batch_size"
        if reduction not in ("sum_over_batch_size", "sum", "none"):
            raise ValueError(f"reduction must be 'sum_over_batch_size', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction
        self.name = name or backend.snake_case(type(self).__name__)

    def call(self, y_true: Any, y_pred: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred)")

    def __call__(self, y_true: Any, y_pred: Tensor, sample_weight: Any = None) -> Tensor:
        y_pred = to_tensor(y_pred)
        losses = self.call(y_true, y_pred)
        if sample_weight is not None:
            weight = to_tensor(sample_weight).to(losses.dtype)
            while weight.ndim < losses.ndim:
                weight = weight.unsqueeze(-1)
            losses = losses * weight
        if self.reduction == "none":
            return losses
        total = losses.sum()
        return total if self.reduction == "sum" else total / max(1, losses.numel())

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name}


class _Wrapper(Loss):
    function: Callable = staticmethod(mean_squared_error)
    default_name = ""
    options: tuple = ()

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None, **kwargs: Any) -> None:
        unknown = set(kwargs) - set(self.options)
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(unknown)}")
        super().__init__(reduction, name or self.default_name)
        self.options_values = kwargs
        for key, value in kwargs.items():
            setattr(self, key, value)

    def call(self, y_true: Any, y_pred: Tensor) -> Tensor:
        return type(self).function(y_true, y_pred, **self.options_values)

    def get_config(self) -> dict:
        return {**super().get_config(), **self.options_values}


def _loss_class(class_name: str, function: Callable, default_name: str, doc: str, **defaults: Any) -> type:
    def __init__(self, *args: Any, reduction: str = "sum_over_batch_size", name: str | None = None,
                 **kwargs: Any) -> None:
        values = dict(defaults)
        for key, value in zip(defaults, args):
            values[key] = value
        values.update(kwargs)
        _Wrapper.__init__(self, reduction, name, **values)

    return type(class_name, (_Wrapper,), {
        "__init__": __init__, "function": staticmethod(function), "default_name": default_name,
        "options": tuple(defaults), "__doc__": doc, "__module__": __name__,
    })


SparseCategoricalCrossentropy = _loss_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy, "sparse_categorical_crossentropy",
    "Cross-entropy for integer labels (N,) and class scores (N, C); ``from_logits=True`` for raw scores.",
    from_logits=False, ignore_class=None)
CategoricalCrossentropy = _loss_class(
    "CategoricalCrossentropy", categorical_crossentropy, "categorical_crossentropy",
    "Cross-entropy for one-hot targets (N, C); ``label_smoothing`` mixes them with the uniform distribution.",
    from_logits=False, label_smoothing=0.0)
BinaryCrossentropy = _loss_class(
    "BinaryCrossentropy", binary_crossentropy, "binary_crossentropy",
    "Cross-entropy for targets in [0, 1] and probabilities (or logits with ``from_logits=True``).",
    from_logits=False, label_smoothing=0.0)
MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                               "``mean((y_true - y_pred) ** 2)``.")
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                                "``mean(|y_true - y_pred|)``.")
MeanAbsolutePercentageError = _loss_class("MeanAbsolutePercentageError", mean_absolute_percentage_error,
                                          "mean_absolute_percentage_error",
                                          "``100 * mean(|y_true - y_pred| / |y_true|)``.")
MeanSquaredLogarithmicError = _loss_class("MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
                                          "mean_squared_logarithmic_error",
                                          "``mean((log(1 + y_true) - log(1 + y_pred)) ** 2)``.")
Huber = _loss_class("Huber", huber, "huber_loss", "Quadratic below ``delta``, linear above (robust regression).",
                    delta=1.0)
LogCosh = _loss_class("LogCosh", log_cosh, "log_cosh", "``mean(log(cosh(y_pred - y_true)))``.")
Hinge = _loss_class("Hinge", hinge, "hinge", "``mean(max(1 - y_true * y_pred, 0))``.")
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                               "``max(0, 1 + max wrong score - correct score)``.")
KLDivergence = _loss_class("KLDivergence", kl_divergence, "kl_divergence", "``sum(y_true * log(y_true / y_pred))``.")
Poisson = _loss_class("Poisson", poisson, "poisson", "``mean(y_pred - y_true * log(y_pred))``.")
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity, "cosine_similarity",
                               "Minus the cosine similarity of targets and predictions.", axis=-1)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence

_BY_NAME: dict[str, type] = {
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy, "binary_crossentropy": BinaryCrossentropy,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError, "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError, "mean_absolute_percentage_error": MeanAbsolutePercentageError,
    "mape": MeanAbsolutePercentageError, "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
    "msle": MeanSquaredLogarithmicError, "huber": Huber, "huber_loss": Huber, "log_cosh": LogCosh,
    "logcosh": LogCosh, "hinge": Hinge, "categorical_hinge": CategoricalHinge, "kl_divergence": KLDivergence,
    "kld": KLDivergence, "kullback_leibler_divergence": KLDivergence, "poisson": Poisson,
    "cosine_similarity": CosineSimilarity,
}


def get(identifier: str | Loss | Callable) -> Callable:
    """A loss from a Keras name (``'sparse_categorical_crossentropy'``, ``'mse'``...), an instance or a callable.

    >>> type(get("mse")).__name__
    'MeanSquaredError'
    """
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else backend.snake_case(identifier)
        if key not in _BY_NAME:
            raise ValueError(f"Unknown loss function: '{identifier}'. Valid names are: {', '.join(sorted(_BY_NAME))}; "
                             "or pass a keras.losses.Loss instance or a callable(y_true, y_pred).")
        loss = _BY_NAME[key]()
        if key in ("mse", "mae", "mape", "msle"):
            loss.name = key
        return loss
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret loss identifier: {identifier!r} (expected a name, a Loss or a callable)")


