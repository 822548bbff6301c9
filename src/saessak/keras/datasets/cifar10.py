"""CIFAR-10, Keras style: ``(x_train, y_train), (x_test, y_test) = cifar10.load_data()``."""

from __future__ import annotations

import os

import numpy as np

from ...datasets import CIFAR10
from ._load import load_splits

__all__ = ["load_data"]


def load_data(path: str | os.PathLike | None = None) -> tuple:
    """50,000 training and 10,000 test colour images (uint8, (n, 32, 32, 3)), labels (uint8, (n, 1)) as Keras."""
    (x_train, y_train), (x_test, y_test) = load_splits(CIFAR10, path)
    fix = lambda x: x if x.shape[-1] == 3 else np.transpose(x, (0, 2, 3, 1))  # noqa: E731
    return (fix(x_train), y_train.reshape(-1, 1)), (fix(x_test), y_test.reshape(-1, 1))
