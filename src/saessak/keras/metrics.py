"""Metrics: running averages over the batches of an epoch, computed in NumPy from detached predictions.

``'accuracy'`` resolves, as in Keras, to binary, categorical or sparse categorical accuracy from the
loss and the shapes of targets and predictions.

>>> import numpy as np
>>> from saessak import keras
>>> metric = keras.metrics.SparseCategoricalAccuracy()
>>> metric.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]))
>>> metric.result()
0.5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import backend

__all__ = [
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "Mean", "MeanAbsoluteError", "MeanMetricWrapper",
    "MeanSquaredError", "Metric", "Precision", "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy", "get",
]


def _labels_like(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        return y_true[..., None]
    return y_true


# ---------------------------------------------------------------- per-sample metric functions (NumPy)
def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    """1 where ``y_pred > threshold`` agrees with the 0/1 target, averaged over the last axis."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    y_true = _labels_like(y_true, y_pred)
    return ((y_pred > threshold) == (y_true > 0.5)).mean(-1)


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1 where the arg-max of the prediction is the arg-max of the one-hot target."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    return (y_true.argmax(-1) == y_pred.argmax(-1)).astype(np.float64)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1 where the arg-max of the prediction equals the integer label."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return (y_pred.argmax(-1) == y_true.astype(np.int64)).astype(np.float64)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1 where the one-hot target's class is among the ``k`` highest scores."""
    return sparse_top_k_categorical_accuracy(backend.to_numpy(y_true).argmax(-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1 where the integer label is among the ``k`` highest scores."""
    y_true, y_pred = backend.to_numpy(y_true).reshape(-1).astype(np.int64), backend.to_numpy(y_pred)
    y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    top = np.argsort(-y_pred, axis=-1, kind="stable")[:, :k]
    return (top == y_true[:, None]).any(-1).astype(np.float64)


def mean_squared_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """Mean over the last axis of the squared error."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    return ((y_pred - _labels_like(y_true, y_pred)) ** 2).mean(-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """Mean over the last axis of the absolute error."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    return np.abs(y_pred - _labels_like(y_true, y_pred)).mean(-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``100 * |error| / |y_true|`` averaged over the last axis."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    y_true = _labels_like(y_true, y_pred)
    return 100 * (np.abs(y_pred - y_true) / np.maximum(np.abs(y_true), backend.epsilon())).mean(-1)


# ---------------------------------------------------------------- stateful metrics
class Metric:
    """Base class: ``update_state(y_true, y_pred, sample_weight=None)``, ``result()``, ``reset_state()``."""

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or backend.snake_case(type(self).__name__)
        self.reset_state()

    def reset_state(self) -> None:
        """Forget everything seen so far."""

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define update_state")

    def result(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define result")

    reset_states = reset_state

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
        self.update_state(y_true, y_pred, sample_weight)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


class Mean(Metric):
    """The (weighted) mean of the values it is given."""

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:  # type: ignore[override]
        values = backend.to_numpy(values).astype(np.float64)
        if sample_weight is None:
            self.total += float(values.sum())
            self.count += float(values.size)
        else:
            weight = np.broadcast_to(backend.to_numpy(sample_weight).astype(np.float64), values.shape)
            self.total += float((values * weight).sum())
            self.count += float(weight.sum())

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        self._fn, self._fn_kwargs = fn, kwargs
        super().__init__(name=name or getattr(fn, "__name__", "metric"), dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:  # type: ignore[override]
        values = backend.to_numpy(self._fn(y_true, y_pred, **self._fn_kwargs))
        if sample_weight is not None:
            weight = backend.to_numpy(sample_weight).astype(np.float64)
            weight = weight.reshape(weight.shape + (1,) * (values.ndim - weight.ndim))
            sample_weight = weight
        super().update_state(values, sample_weight)


def _metric_class(class_name: str, fn: Callable, default_name: str, doc: str, **defaults: Any) -> type:
    def __init__(self, *args: Any, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        values = dict(defaults)
        values.update(zip(defaults, args))
        values.update(kwargs)
        MeanMetricWrapper.__init__(self, fn, name=name or default_name, dtype=dtype, **values)

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1 where prediction and target are equal (``Accuracy``: exact match, e.g. for class ids)."""
    y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
    return (y_true == _labels_like(y_pred, y_true)).astype(np.float64).reshape(len(y_true), -1).mean(-1)


Accuracy = _metric_class("Accuracy", accuracy, "accuracy", "How often predictions equal targets exactly.")
BinaryAccuracy = _metric_class("BinaryAccuracy", binary_accuracy, "binary_accuracy",
                               "How often ``y_pred > threshold`` matches a 0/1 target.", threshold=0.5)
CategoricalAccuracy = _metric_class("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy",
                                    "How often the arg-max of the prediction is the one-hot target's class.")
SparseCategoricalAccuracy = _metric_class("SparseCategoricalAccuracy", sparse_categorical_accuracy,
                                          "sparse_categorical_accuracy",
                                          "How often the arg-max of the prediction equals the integer label.")
TopKCategoricalAccuracy = _metric_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                        "top_k_categorical_accuracy",
                                        "How often the one-hot target is among the k best scores.", k=5)
SparseTopKCategoricalAccuracy = _metric_class("SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
                                              "sparse_top_k_categorical_accuracy",
                                              "How often the integer label is among the k best scores.", k=5)
MeanSquaredError = _metric_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                                 "The mean squared error.")
MeanAbsoluteError = _metric_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                                  "The mean absolute error.")
MeanAbsolutePercentageError = _metric_class("MeanAbsolutePercentageError", mean_absolute_percentage_error,
                                            "mean_absolute_percentage_error", "The mean absolute percentage error.")


class RootMeanSquaredError(MeanSquaredError):
    """The square root of the mean squared error over everything seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def result(self) -> float:
        return float(np.sqrt(super().result()))


class _Counts(Metric):
    def __init__(self, thresholds: float = 0.5, name: str | None = None, dtype: Any = None) -> None:
        self.thresholds = float(thresholds)
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.true_positives = self.false_positives = self.false_negatives = 0.0

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred = backend.to_numpy(y_true), backend.to_numpy(y_pred)
        y_true = _labels_like(y_true, y_pred) > 0.5
        predicted = y_pred > self.thresholds
        self.true_positives += float((predicted & y_true).sum())
        self.false_positives += float((predicted & ~y_true).sum())
        self.false_negatives += float((~predicted & y_true).sum())


class Precision(_Counts):
    """``true positives / predicted positives`` for binary predictions (threshold 0.5)."""

    def result(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0


class Recall(_Counts):
    """``true positives / actual positives`` for binary predictions (threshold 0.5)."""

    def result(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error

_BY_NAME: dict[str, Callable[[], Metric]] = {
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy, "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy, "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError, "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "mean_absolute_percentage_error": MeanAbsolutePercentageError, "mape": MeanAbsolutePercentageError,
    "root_mean_squared_error": RootMeanSquaredError, "rmse": RootMeanSquaredError, "precision": Precision,
    "recall": Recall,
}


def get(identifier: str | Metric | Callable, loss: Any = None, y_true: Any = None, y_pred: Any = None) -> Metric:
    """A metric from a Keras name, an instance or a function; ``'accuracy'``/``'acc'`` resolve from the loss
    (``loss`` is the compiled loss) and the shapes of ``y_true``/``y_pred``, as Keras does.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        if identifier in ("accuracy", "acc"):
            return _resolve_accuracy(loss, y_true, y_pred)(name=identifier)
        if identifier in ("crossentropy", "ce"):
            raise ValueError("Use the loss (it is always reported) instead of a 'crossentropy' metric.")
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown metric function: '{identifier}'. Valid names are: accuracy, acc, "
                             f"{', '.join(sorted(_BY_NAME))}; or pass a keras.metrics.Metric or a function.")
        return _BY_NAME[identifier](name=identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", "metric"))
    raise TypeError(f"Could not interpret metric identifier: {identifier!r}")


def _resolve_accuracy(loss: Any, y_true: Any, y_pred: Any) -> type:
    name = getattr(loss, "name", None) or getattr(loss, "__name__", "") or (loss if isinstance(loss, str) else "")
    if "sparse_categorical" in name:
        return SparseCategoricalAccuracy
    if "binary" in name:
        return BinaryAccuracy
    if "categorical" in name and "sparse" not in name:
        return CategoricalAccuracy
    if y_pred is not None and y_true is not None:
        true_shape, pred_shape = tuple(np.shape(y_true)), tuple(np.shape(y_pred))
        if pred_shape and pred_shape[-1] == 1:
            return BinaryAccuracy
        if len(true_shape) < len(pred_shape) or (true_shape and true_shape[-1] == 1):
            return SparseCategoricalAccuracy
        return CategoricalAccuracy
    return Accuracy
