"""Session-wide state of ``saessak.keras``: unique layer names, the float type, epsilon, the training flag.

>>> from saessak import keras
>>> keras.backend.clear_session()
>>> keras.layers.Dense(3).name, keras.layers.Dense(3).name
('dense', 'dense_1')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["clear_session", "epsilon", "floatx", "get_uid", "learning_phase", "set_epsilon", "unique_name"]

_name_counts: defaultdict[str, int] = defaultdict(int)
_epsilon = [1e-7]
_training_stack: list[bool] = []


def get_uid(prefix: str = "") -> int:
    """A counter per prefix: 1 the first time, then 2, 3... (reset by :func:`clear_session`)."""
    _name_counts[prefix] += 1
    return _name_counts[prefix]


def unique_name(prefix: str) -> str:
    """``prefix`` the first time, then ``prefix_1``, ``prefix_2``... as Keras names layers."""
    count = get_uid(prefix) - 1
    return prefix if count == 0 else f"{prefix}_{count}"


def snake_case(name: str) -> str:
    """``BatchNormalization`` -> ``batch_normalization``, ``Conv2D`` -> ``conv2d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def clear_session() -> None:
    """Forget every generated name, so the next ``Dense`` is called ``dense`` again."""
    _name_counts.clear()


def floatx() -> str:
    """The float type of weights and inputs: always ``'float32'`` here."""
    return "float32"


def epsilon() -> float:
    """The fuzz factor used to clip probabilities in losses (1e-7 unless changed)."""
    return _epsilon[0]


def set_epsilon(value: float) -> None:
    """Change the fuzz factor returned by :func:`epsilon`."""
    _epsilon[0] = float(value)


@contextmanager
def training_phase(training: bool) -> Iterator[None]:
    """Inside ``fit`` layers called without ``training=`` behave as in training (Dropout active)."""
    _training_stack.append(bool(training))
    try:
        yield
    finally:
        _training_stack.pop()


_differentiating: list[bool] = []


@contextmanager
def differentiating() -> Iterator[None]:
    """Inside Keras' own training step: layer calls record the graph for ``backward``."""
    _differentiating.append(True)
    try:
        yield
    finally:
        _differentiating.pop()


def records_gradients() -> bool:
    """Whether an eager layer call should record the graph: as in TensorFlow, only under a GradientTape
    (or inside ``fit``/``train_on_batch``); elsewhere ``model(x)`` gives plain values (``.numpy()`` works)."""
    from ..gradient_tape import is_recording

    return bool(_differentiating) or is_recording()


def learning_phase() -> bool:
    """True inside a training step, False otherwise (the default a layer uses for ``training=None``)."""
    return _training_stack[-1] if _training_stack else False


def to_numpy(value) -> np.ndarray:
    """A NumPy array from a saessak tensor (detached, on the host), an array or anything array-like."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().cpu().numpy()
    return np.asarray(value)
