"""``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods of ``keras.Model``.

One training step is plain saessak: forward in training mode, loss (plus regularization penalties),
``backward()``, then the saessak optimizer's ``step()``. Evaluation and prediction run in inference mode
under ``no_grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import creation
from ..._tensor import Tensor
from ...autograd import no_grad
from ...ops.join import cat
from .. import backend, losses, optimizers
from .. import metrics as metrics_module
from ..callbacks import CallbackList, History
from ..layers.base import flatten, map_structure
from .data import DataAdapter

__all__ = ["Trainer"]


def _reduce_loss(value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        value = creation.tensor(float(value))
    return value.mean() if value.ndim else value


class Trainer:
    """The training half of ``keras.Model`` (mixed in; uses the model's ``__call__`` and weights)."""

    def _init_training_state(self) -> None:
        self.optimizer: optimizers.Optimizer | None = None
        self.loss: Any = None
        self.compiled_loss: Any = None
        self._metric_specs: list = []
        self._metrics: list[metrics_module.Metric] | None = None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._is_compiled = False
        self.stop_training = False
        self.history: History | None = None

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: Any = None, loss_weights: Any = None,
                weighted_metrics: Any = None, run_eagerly: Any = None, steps_per_execution: Any = None,
                jit_compile: Any = None, **kwargs: Any) -> None:
        """Choose the optimizer, the loss and the metrics to report.

        ``optimizer``: a name (``'adam'``), a ``keras.optimizers`` instance or a ``saessak.optim`` optimizer.
        ``loss``: a name, a ``keras.losses.Loss`` or a function ``(y_true, y_pred)``. ``metrics``: a list of
        names (``'accuracy'``, ``'mae'``...), ``keras.metrics.Metric`` objects or functions.

        >>> from saessak import keras
        >>> model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
        >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        """
        if isinstance(loss, (list, tuple, dict)):
            raise NotImplementedError("compile: one loss per output (a list or dict) is not supported yet; pass a "
                                      "single loss, or a function that combines the outputs")
        if isinstance(metrics, dict):
            raise NotImplementedError("compile: metrics per output (a dict) are not supported yet; pass a list")
        if isinstance(metrics, (str, metrics_module.Metric)) or callable(metrics):
            metrics = [metrics]
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self.compiled_loss = losses.get(loss) if loss is not None else None
        self._metric_specs = list(metrics or []) + list(weighted_metrics or [])
        for spec in self._metric_specs:
            if isinstance(spec, str):
                metrics_module.get(spec, loss)  # an unknown name fails here, not in the middle of fit
        self._metrics = None
        self._is_compiled = True
        self.stop_training = False

    def _assert_compiled(self, method: str) -> None:
        if not self._is_compiled:
            raise RuntimeError(f"You must call compile() before using the model in {method}(): "
                               "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', "
                               "metrics=['accuracy'])")

    @property
    def metrics(self) -> list:
        """The metric objects: the loss tracker first, then the compiled metrics (once resolved)."""
        return [self._loss_tracker, *(self._metrics or [])]

    @property
    def metrics_names(self) -> list[str]:
        """``['loss', ...]``: the keys of the logs, in order."""
        if self._metrics is not None:
            return ["loss", *[m.name for m in self._metrics]]
        return ["loss", *[s if isinstance(s, str) else getattr(s, "name", getattr(s, "__name__", "metric"))
                          for s in self._metric_specs]]

    def reset_metrics(self) -> None:
        """Start every running average afresh."""
        for metric in self.metrics:
            metric.reset_state()

    # ------------------------------------------------------------------ one step
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None) -> Tensor:
        """The compiled loss of ``y_pred`` against ``y`` plus every penalty in ``model.losses``."""
        penalties = self.losses
        if self.compiled_loss is None:
            if not penalties:
                raise ValueError("No loss to compute: pass loss= to compile(), or add losses with add_loss().")
            total = None
        elif isinstance(self.compiled_loss, losses.Loss):
            total = self.compiled_loss(y, y_pred, sample_weight)
        else:
            total = _reduce_loss(self.compiled_loss(y, y_pred))
        for penalty in penalties:
            total = penalty if total is None else total + penalty
        return total

    def _update_metrics(self, loss: Tensor, y: Any, y_pred: Any, sample_weight: Any) -> dict[str, float]:
        batch = int(flatten(y_pred)[0].shape[0]) if flatten(y_pred)[0].ndim else 1
        self._loss_tracker.update_state(np.asarray(float(loss.detach().item())), sample_weight=batch)
        if y is not None:
            y_true = backend.to_numpy(y)
            predicted = backend.to_numpy(flatten(y_pred)[0])
            weight = None if sample_weight is None else backend.to_numpy(sample_weight)
            if self._metrics is None:
                self._metrics = [metrics_module.get(spec, self.compiled_loss or self.loss, y_true, predicted)
                                 for spec in self._metric_specs]
            for metric in self._metrics:
                metric.update_state(y_true, predicted, weight)
        return self._logs()

    def _logs(self) -> dict[str, float]:
        return {metric.name: float(metric.result()) for metric in self.metrics}

    def train_step(self, x: Any, y: Any = None, sample_weight: Any = None) -> dict[str, float]:
        """One optimisation step on one batch; returns the running logs."""
        with backend.training_phase(True), backend.differentiating():
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        if self.optimizer.torch_optimizer is None:
            trainable = [p for p in self.parameters() if p.requires_grad]
            if not trainable:
                raise ValueError(f'Model "{self.name}" has no trainable weights to optimize')
            self.optimizer.build(self.parameters())
        self.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return self._update_metrics(loss, y, y_pred, sample_weight)

    def test_step(self, x: Any, y: Any = None, sample_weight: Any = None) -> dict[str, float]:
        """Loss and metrics on one batch in inference mode; returns the running logs."""
        with no_grad(), backend.training_phase(False):
            y_pred = self(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        return self._update_metrics(loss, y, y_pred, sample_weight)

    def predict_step(self, x: Any) -> Any:
        """The model's outputs on one batch, in inference mode."""
        with no_grad(), backend.training_phase(False):
            return self(x, training=False)

    # ------------------------------------------------------------------ loops
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: int | str = "auto", callbacks: list | None = None, validation_split: float = 0.0,
            validation_data: Any = None, shuffle: bool = True, class_weight: dict | None = None,
            sample_weight: Any = None, initial_epoch: int = 0, steps_per_epoch: int | None = None,
            validation_steps: int | None = None, validation_batch_size: int | None = None,
            validation_freq: int = 1, **kwargs: Any) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in batches of ``batch_size`` (32); returns a ``History``.

        ``x``/``y``: NumPy arrays or saessak tensors (a list of arrays for several inputs), or ``x`` an
        iterable of ``(x, y)`` batches. ``validation_split`` holds out the last fraction of the samples;
        ``validation_data=(x_val, y_val)`` gives them explicitly. ``verbose``: 1 a progress line, 2 one line
        per epoch, 0 silent.
        """
        self._assert_compiled("fit")
        verbose = _verbosity(verbose)
        data = DataAdapter(x, y, sample_weight, batch_size, shuffle, steps_per_epoch, class_weight)
        validation = None
        if validation_data is not None:
            validation = _validation_adapter(validation_data, validation_batch_size or batch_size, validation_steps)
        elif validation_split:
            data, validation = data.split(validation_split)
            data.steps = min(data.steps, steps_per_epoch) if steps_per_epoch else data.steps
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=epochs, steps=data.steps)
        self.stop_training = False
        self.train()
        callback_list.on_train_begin()
        logs: dict[str, float] = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, (x_batch, y_batch, weight_batch) in enumerate(data):
                callback_list.on_train_batch_begin(step)
                logs = self.train_step(x_batch, y_batch, weight_batch)
                callback_list.on_train_batch_end(step, dict(logs))
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if validation is not None and (epoch + 1) % validation_freq == 0:
                callback_list.params["in_fit"] = True
                validation_logs = self._test_loop(validation, callback_list)
                callback_list.params["in_fit"] = False
                epoch_logs.update({f"val_{key}": value for key, value in validation_logs.items()})
                self.train()
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end(logs)
        self.eval()
        self.history = callback_list.history
        return callback_list.history

    def _test_loop(self, data: DataAdapter, callback_list: CallbackList) -> dict[str, float]:
        self.reset_metrics()
        self.eval()
        callback_list.on_test_begin()
        logs: dict[str, float] = {}
        for step, (x_batch, y_batch, weight_batch) in enumerate(data):
            callback_list.on_test_batch_begin(step)
            logs = self.test_step(x_batch, y_batch, weight_batch)
            callback_list.on_test_batch_end(step, dict(logs))
        callback_list.on_test_end(logs)
        return logs

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: int | str = "auto",
                 sample_weight: Any = None, steps: int | None = None, callbacks: list | None = None,
                 return_dict: bool = False, **kwargs: Any) -> Any:
        """The loss and metrics over ``(x, y)`` in inference mode: the loss alone without metrics, else
        ``[loss, *metrics]`` (or a dict with ``return_dict=True``)."""
        self._assert_compiled("evaluate")
        verbose = _verbosity(verbose)
        data = DataAdapter(x, y, sample_weight, batch_size, False, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                     epochs=1, steps=data.steps)
        logs = self._test_loop(data, callback_list)
        if not logs:
            raise ValueError("evaluate: the data produced no batches")
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def predict(self, x: Any, batch_size: int | None = None, verbose: int | str = 0, steps: int | None = None,
                callbacks: list | None = None, **kwargs: Any) -> Any:
        """The model's outputs for ``x`` as NumPy arrays (a list for several outputs), in inference mode."""
        verbose = _verbosity(verbose)
        data = DataAdapter(x, None, None, batch_size, False, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                     epochs=1, steps=data.steps)
        self.eval()
        callback_list.on_predict_begin()
        batches: list = []
        for step, (x_batch, _, _) in enumerate(data):
            callback_list.on_predict_batch_begin(step)
            outputs = self.predict_step(x_batch)
            batches.append(outputs)
            callback_list.on_predict_batch_end(step, {"outputs": outputs})
        callback_list.on_predict_end()
        if not batches:
            raise ValueError("predict: the data produced no batches")
        joined = [cat([flatten(b)[i] for b in batches], 0) for i in range(len(flatten(batches[0])))]
        arrays = [backend.to_numpy(t) for t in joined]
        structure = batches[0]
        iterator = iter(arrays)
        return map_structure(lambda _: next(iterator), structure) if isinstance(structure, (list, tuple)) \
            else arrays[0]

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: dict | None = None,
                       reset_metrics: bool = True, return_dict: bool = False) -> Any:
        """One optimisation step on exactly this batch; returns the loss (and metrics)."""
        self._assert_compiled("train_on_batch")
        if reset_metrics:
            self.reset_metrics()
        ((x_batch, y_batch, weight),) = list(DataAdapter(x, y, sample_weight, _length(x), False,
                                                         class_weight=class_weight))
        self.train()
        logs = self.train_step(x_batch, y_batch, weight)
        return _result(self, logs, return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, reset_metrics: bool = True,
                      return_dict: bool = False) -> Any:
        """Loss (and metrics) on exactly this batch, in inference mode."""
        self._assert_compiled("test_on_batch")
        if reset_metrics:
            self.reset_metrics()
        ((x_batch, y_batch, weight),) = list(DataAdapter(x, y, sample_weight, _length(x), False))
        self.eval()
        return _result(self, self.test_step(x_batch, y_batch, weight), return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """The outputs for exactly this batch, as NumPy arrays."""
        self.eval()
        ((x_batch, _, _),) = list(DataAdapter(x, None, None, _length(x), False))
        outputs = self.predict_step(x_batch)
        return map_structure(backend.to_numpy, outputs)


def _length(x: Any) -> int:
    first = flatten(x)[0] if isinstance(x, (list, tuple)) and x and not np.isscalar(x[0]) else x
    return max(1, len(first)) if hasattr(first, "__len__") else 1


def _result(model: Trainer, logs: dict, return_dict: bool) -> Any:
    if return_dict:
        return logs
    values = [logs[name] for name in model.metrics_names if name in logs]
    return values[0] if len(values) == 1 else values


def _verbosity(verbose: int | str) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto', got {verbose!r}")
    return int(verbose)


def _validation_adapter(validation_data: Any, batch_size: int | None, steps: int | None) -> DataAdapter:
    if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
        x, y, *weight = validation_data
        return DataAdapter(x, y, weight[0] if weight else None, batch_size, False, steps)
    if isinstance(validation_data, (list, tuple)):
        raise ValueError("validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight), or an "
                         f"iterable of batches; got a {type(validation_data).__name__} of length "
                         f"{len(validation_data)}")
    return DataAdapter(validation_data, None, None, batch_size, False, steps)
