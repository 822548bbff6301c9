"""Small synthetic datasets for first experiments: spirals, logic gates, noisy lines, coin flips on a curve.

Every generator returns ``(X, y)`` tensors. Inputs ``X`` are float32 of shape (n, features). Class
labels for multi-class problems are int64 of shape (n,) (ready for ``cross_entropy``); targets of
regression and binary problems are float32 columns of shape (n, 1) (ready for ``mse_loss`` and
``binary_cross_entropy`` against a one-output model).

Randomness comes from saessak's generators: pass ``seed=`` for a fixed result, ``generator=`` to draw
from your own ``saessak.Generator``, or neither to draw from the default one (``saessak.manual_seed``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..creation import from_numpy
from ..random import Generator, rand, randn

__all__ = ["make_spiral", "logic_gate", "make_xor", "make_regression", "make_logistic", "GATES"]

GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}


def _generator(function: str, seed: int | None, generator: Generator | None) -> Generator | None:
    if seed is not None and generator is not None:
        raise ValueError(f"{function}: pass seed= or generator=, not both")
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"{function}: generator must be a saessak.Generator, got {type(generator).__name__}")
    return Generator().manual_seed(seed) if seed is not None else generator


def _count(function: str, name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{function}: {name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _non_negative(function: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValueError(f"{function}: {name} must be a number >= 0, got {value!r}")
    return float(value)


def _normal(n: int, generator: Generator | None) -> np.ndarray:
    return randn(n, generator=generator, dtype=dtypes.float64).numpy()


def _uniform(n: int, generator: Generator | None) -> np.ndarray:
    return rand(n, generator=generator, dtype=dtypes.float64).numpy()


def _float32(array: np.ndarray) -> Tensor:
    return from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def make_spiral(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, *, sweep: float = 4.0,
                seed: int | None = None, generator: Generator | None = None) -> tuple[Tensor, Tensor]:
    """Points on ``n_classes`` interleaved spiral arms in the plane: a problem no linear model solves.

    Arm ``k`` has ``n_per_class`` points at radius ``r`` evenly spaced in [0, 1] and angle
    ``sweep * (k + r) + noise * N(0, 1)`` radians (each arm winds ``sweep`` radians, 4 by default, as
    in the CS231n notes), at ``(r sin angle, r cos angle)``. Returns ``X`` float32 (n_per_class * n_classes, 2) and
    ``y`` int64 (n_per_class * n_classes,), arm by arm.

    >>> X, y = make_spiral(100, 3, seed=0)
    >>> X.shape, y.shape, int(y.max())
    (torch.Size([300, 2]), torch.Size([300]), 2)
    """
    n_per_class = _count("make_spiral", "n_per_class", n_per_class)
    n_classes = _count("make_spiral", "n_classes", n_classes)
    noise = _non_negative("make_spiral", "noise", noise)
    sweep = _non_negative("make_spiral", "sweep", sweep)
    generator = _generator("make_spiral", seed, generator)
    radius = np.linspace(0.0, 1.0, n_per_class)
    points, labels = [], []
    for arm in range(n_classes):
        angle = sweep * (arm + radius) + noise * _normal(n_per_class, generator)
        points.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
        labels.append(np.full(n_per_class, arm, dtype=np.int64))
    return _float32(np.concatenate(points)), from_numpy(np.concatenate(labels))


def logic_gate(name: str) -> tuple[Tensor, Tensor]:
    """The truth table of a two-input logic gate: ``X`` float32 (4, 2) and ``y`` float32 (4, 1).

    Rows are the inputs (0, 0), (0, 1), (1, 0), (1, 1). Gates: ``and``, ``or``, ``nand``, ``nor``,
    ``xor``, ``xnor`` (any case). ``y.long().squeeze(1)`` gives class labels for ``cross_entropy``.

    >>> X, y = logic_gate("xor")
    >>> y.squeeze(1).tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    if not isinstance(name, str) or name.lower() not in GATES:
        raise ValueError(f"unknown logic gate {name!r}; choose one of {', '.join(GATES)}")
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    outputs = np.array(GATES[name.lower()], dtype=np.float32).reshape(4, 1)
    return from_numpy(inputs), from_numpy(outputs)


def make_xor() -> tuple[Tensor, Tensor]:
    """The XOR truth table, the classic problem a single perceptron cannot learn: ``logic_gate("xor")``.

    >>> X, y = make_xor()
    >>> X.tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    """
    return logic_gate("xor")


def make_regression(n: int = 100, w: float | Sequence[float] = 2.0, b: float = 1.0, noise: float = 0.1, *,
                    seed: int | None = None, generator: Generator | None = None) -> tuple[Tensor, Tensor]:
    """Noisy linear data ``y = b + X @ w + noise * eps`` with ``X`` and ``eps`` standard normal.

    ``w`` is one weight or a sequence of ``d`` weights; returns ``X`` float32 (n, d) and ``y`` float32
    (n, 1). Fitting a linear model recovers ``w`` and ``b`` up to the noise.

    >>> X, y = make_regression(200, w=[2.0, -3.4], b=4.2, noise=0.01, seed=0)
    >>> X.shape, y.shape
    (torch.Size([200, 2]), torch.Size([200, 1]))
    """
    n = _count("make_regression", "n", n)
    noise = _non_negative("make_regression", "noise", noise)
    weights = np.atleast_1d(np.asarray(w, dtype=np.float64))
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(f"make_regression: w must be a number or a flat sequence of numbers, got {w!r}")
    generator = _generator("make_regression", seed, generator)
    x = _normal(n * weights.size, generator).reshape(n, weights.size)
    y = float(b) + x @ weights + noise * _normal(n, generator)
    return _float32(x), _float32(y.reshape(n, 1))


def make_logistic(n: int = 100, w0: float = -1.0, w1: float = 5.0, *, low: float = -1.0, high: float = 1.0,
                  seed: int | None = None, generator: Generator | None = None) -> tuple[Tensor, Tensor]:
    """Coin flips whose odds follow a logistic curve: ``P(y = 1 | x) = sigmoid(w0 + w1 x)``.

    ``x`` is uniform in [``low``, ``high``). Returns ``x`` float32 (n, 1) and ``y`` float32 (n, 1) of 0s
    and 1s; logistic regression on them estimates ``w0`` (bias) and ``w1`` (weight).

    >>> x, y = make_logistic(500, w0=-1.0, w1=5.0, seed=0)
    >>> x.shape, sorted(set(y.squeeze(1).tolist()))
    (torch.Size([500, 1]), [0.0, 1.0])
    """
    n = _count("make_logistic", "n", n)
    if not high > low:
        raise ValueError(f"make_logistic: need low < high, got low={low!r}, high={high!r}")
    generator = _generator("make_logistic", seed, generator)
    x = low + (high - low) * _uniform(n, generator)
    probability = 1.0 / (1.0 + np.exp(-(w0 + w1 * x)))
    y = (_uniform(n, generator) < probability).astype(np.float64)
    return _float32(x.reshape(n, 1)), _float32(y.reshape(n, 1))
