"""Callbacks: objects whose hooks ``fit``/``evaluate``/``predict`` call at fixed points of training.

Hooks (all optional): ``on_train_begin/end``, ``on_epoch_begin/end(epoch, logs)``,
``on_train_batch_begin/end(batch, logs)``, ``on_test_begin/end``, ``on_test_batch_begin/end``,
``on_predict_begin/end``, ``on_predict_batch_begin/end``. A callback sees the model as ``self.model`` and
the run's settings (``epochs``, ``steps``, ``verbose``) as ``self.params``.

>>> from saessak import keras
>>> stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
>>> stop.patience
2
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .progress import Progbar

__all__ = ["CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"]


class Callback:
    """Base class of callbacks: override the hooks you need; each receives a ``logs`` dict of metrics."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...
    def on_train_end(self, logs: dict | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None: self.on_batch_begin(batch, logs)
    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None: self.on_batch_end(batch, logs)
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None: ...
    def on_test_begin(self, logs: dict | None = None) -> None: ...
    def on_test_end(self, logs: dict | None = None) -> None: ...
    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None: ...
    def on_predict_begin(self, logs: dict | None = None) -> None: ...
    def on_predict_end(self, logs: dict | None = None) -> None: ...
    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None: ...


class CallbackList:
    """Calls a hook on every callback in order: the progress bar first, the user's, then ``History``."""

    def __init__(self, callbacks: Iterable[Callback] | None = None, add_history: bool = False,
                 add_progbar: bool = False, model: Any = None, **params: Any) -> None:
        self.callbacks = list(callbacks or [])
        self.params = params
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(f"callbacks must be keras.callbacks.Callback instances, got {type(callback).__name__}")
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        self.history: History | None = None
        if add_history:
            self.history = next((c for c in self.callbacks if isinstance(c, History)), None) or History()
            if self.history not in self.callbacks:
                self.callbacks.append(self.history)
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)

    def __getattr__(self, hook: str) -> Callable:
        if not hook.startswith("on_"):
            raise AttributeError(hook)

        def call_all(*args: Any) -> None:
            for callback in self.callbacks:
                getattr(callback, hook)(*args)

        return call_all


class History(Callback):
    """Records every epoch's logs: ``history.history['loss']`` is the list of training losses.

    ``fit`` returns it; ``history.plot()`` draws the curves.
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def plot(self, metrics: Iterable[str] | None = None, ax: Any = None, figsize: tuple = (8, 4)) -> Any:
        """Draw each metric against the epoch, one axes per metric with its ``val_`` twin; returns the axes.

        Uses matplotlib and never calls ``plt.show()`` (call it yourself in a script).
        """
        import matplotlib.pyplot as plt

        names = list(metrics) if metrics is not None else [k for k in self.history if not k.startswith("val_")]
        if not names:
            raise ValueError("History.plot: nothing to draw; fit the model for at least one epoch first")
        if ax is None:
            _, axes = plt.subplots(1, len(names), figsize=(figsize[0] * len(names) / 2 + 2, figsize[1]),
                                   squeeze=False)
            axes = list(axes[0])
        else:
            axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax] * len(names)
        epochs = [e + 1 for e in self.epoch] or list(range(1, len(self.history[names[0]]) + 1))
        for axis, name in zip(axes, names):
            axis.plot(epochs[:len(self.history[name])], self.history[name], marker="o", label=name)
            if f"val_{name}" in self.history:
                axis.plot(epochs[:len(self.history[f"val_{name}"])], self.history[f"val_{name}"], marker="o",
                          label=f"val_{name}")
            axis.set_xlabel("epoch")
            axis.set_ylabel(name)
            axis.legend()
        return axes if len(axes) > 1 else axes[0]


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and Keras' progress line (see ``keras.progress``) at the model's verbosity."""

    def __init__(self) -> None:
        super().__init__()
        self.progbar: Progbar | None = None
        self.seen = 0

    def _verbose(self) -> int:
        return int(self.params.get("verbose", 1))

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self._verbose() and self.params.get("epochs", 1) is not None:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}", flush=True)
        self._start(self.params.get("steps"))

    def _start(self, steps: int | None) -> None:
        self.seen = 0
        self.progbar = Progbar(steps, verbose=self._verbose()) if self._verbose() else None

    def _batch(self, batch: int, logs: dict | None) -> None:
        self.seen = batch + 1
        if self.progbar is not None:
            self.progbar.update(self.seen, _metrics_only(logs), finalize=False)

    def _end(self, logs: dict | None) -> None:
        if self.progbar is not None:
            self.progbar.update(self.seen, _metrics_only(logs), finalize=True)
            self.progbar = None

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._batch(batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._end(logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self.params.get("in_fit"):
            self._start(self.params.get("steps"))

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self.params.get("in_fit"):
            self._batch(batch, logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not self.params.get("in_fit"):
            self._end(logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._start(self.params.get("steps"))

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._batch(batch, None)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._end(None)


def _metrics_only(logs: dict | None) -> dict:
    return {k: v for k, v in (logs or {}).items() if isinstance(v, (int, float, np.floating)) and k not in ("lr",)}


# ---------------------------------------------------------------- monitoring a metric
def _resolve_mode(mode: str, monitor: str, owner: str) -> str:
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    name = monitor.removeprefix("val_")
    maximise = ("acc", "auc", "precision", "recall", "f1")
    return "max" if any(name.startswith(p) or name.endswith(p) or p in name for p in maximise) else "min"


class _Monitor(Callback):
    def __init__(self, monitor: str, mode: str, min_delta: float) -> None:
        super().__init__()
        self.monitor = monitor
        self.mode = _resolve_mode(mode, monitor, type(self).__name__)
        self.min_delta = abs(float(min_delta))

    def _improved(self, current: float, reference: float) -> bool:
        if self.mode == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def _worst(self) -> float:
        return math.inf if self.mode == "min" else -math.inf

    def _current(self, logs: dict | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            available = ", ".join(sorted(logs or {}))
            print(f"{type(self).__name__}: metric '{self.monitor}' is not available; available metrics are: "
                  f"{available}")
        return value


class EarlyStopping(_Monitor):
    """Stops training when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    ``restore_best_weights=True`` puts back the weights of the best epoch when it stops; ``baseline`` is a
    value the metric must beat; ``start_from_epoch`` waits that many epochs before watching.
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0, verbose: int = 0,
                 mode: str = "auto", baseline: float | None = None, restore_best_weights: bool = False,
                 start_from_epoch: int = 0) -> None:
        super().__init__(monitor, mode, min_delta)
        self.patience, self.verbose, self.baseline = int(patience), int(verbose), baseline
        self.restore_best_weights, self.start_from_epoch = bool(restore_best_weights), int(start_from_epoch)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = self._worst()
        self.best_weights = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        current = self._current(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
        self.wait += 1
        if self._improved(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improved(current, self.baseline):
                self.wait = 0
                return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose:
                    print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


class ReduceLROnPlateau(_Monitor):
    """Multiplies the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    It changes ``lr`` in every ``param_groups`` entry of the saessak optimizer, never below ``min_lr``, then
    waits ``cooldown`` epochs. The current rate is added to the logs as ``lr``.
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(monitor, mode, kwargs.pop("epsilon", min_delta))
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0, got {factor}")
        self.factor, self.patience, self.verbose = float(factor), int(patience), int(verbose)
        self.cooldown, self.min_lr = int(cooldown), float(min_lr)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.best, self.wait, self.cooldown_counter = self._worst(), 0, 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["lr"] = optimizer.learning_rate
        current = self._current(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = optimizer.learning_rate
                if old > self.min_lr:
                    new = max(old * self.factor, self.min_lr)
                    optimizer.learning_rate = new
                    if self.verbose:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0


class ModelCheckpoint(_Monitor):
    """Saves the model (or only its weights) after each epoch to ``filepath``, which may hold
    ``{epoch:02d}`` and any log, e.g. ``'ckpt-{epoch:02d}-{val_loss:.2f}.weights'``.

    ``save_best_only=True`` saves only when ``monitor`` improves.
    """

    def __init__(self, filepath: str | os.PathLike, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False, mode: str = "auto",
                 save_freq: str | int = "epoch", initial_value_threshold: float | None = None) -> None:
        super().__init__(monitor, mode, 0)
        if save_freq != "epoch":
            raise NotImplementedError("ModelCheckpoint: only save_freq='epoch' is supported")
        self.filepath, self.verbose = os.fspath(filepath), int(verbose)
        self.save_best_only, self.save_weights_only = bool(save_best_only), bool(save_weights_only)
        self.best = initial_value_threshold if initial_value_threshold is not None else self._worst()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = dict(logs or {})
        try:
            path = self.filepath.format(epoch=epoch + 1, **logs)
        except KeyError as error:
            raise KeyError(f"ModelCheckpoint: filepath {self.filepath!r} names {error}, which is not in the logs "
                           f"({', '.join(sorted(logs))}) of epoch {epoch + 1}") from None
        if self.save_best_only:
            current = self._current(logs)
            if current is None or not self._improved(current, self.best):
                if self.verbose and current is not None:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                      f"saving model to {path}")
            self.best = current
        elif self.verbose:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class CSVLogger(Callback):
    """Writes one row per epoch (``epoch`` then each log, sorted by name) to a CSV file."""

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename, self.separator, self.append = os.fspath(filename), separator, bool(append)
        self.keys: list[str] | None = None
        self._file = None
        self._writer = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        exists = self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        self._file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115 - closed at end
        self._has_header = exists
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys], delimiter=self.separator)
            if not self._has_header:
                self._writer.writeheader()
        row = {"epoch": epoch, **{key: logs.get(key, "NA") for key in self.keys}}
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch))``.

    Accepts every hook name as a keyword (``on_batch_begin``, ``on_train_end``...).
    """

    def __init__(self, **hooks: Callable) -> None:
        super().__init__()
        for name, function in hooks.items():
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise TypeError(f"LambdaCallback: unknown hook {name!r}")
            setattr(self, name, function)


class LearningRateScheduler(Callback):
    """Sets the learning rate at each epoch start to ``schedule(epoch, lr)`` (or ``schedule(epoch)``)."""

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        self.schedule, self.verbose = schedule, int(verbose)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        try:
            rate = self.schedule(epoch, optimizer.learning_rate)
        except TypeError:
            rate = self.schedule(epoch)
        optimizer.learning_rate = float(rate)
        if self.verbose:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(rate)}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["lr"] = self.model.optimizer.learning_rate


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch loss is NaN or infinite."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
