"""MNIST digits, Keras style: ``(x_train, y_train), (x_test, y_test) = mnist.load_data()``."""

from __future__ import annotations

import os

from ...datasets import MNIST
from ._load import load_splits

__all__ = ["load_data"]


def load_data(path: str | os.PathLike | None = None) -> tuple:
    """60,000 training and 10,000 test images (uint8, (n, 28, 28)) with labels 0..9 (uint8, (n,)).

    Downloaded once into ``path`` (default: saessak's data folder) by ``saessak.datasets.MNIST``.
    """
    return load_splits(MNIST, path)
