"""Shared loader: both splits of a ``saessak.datasets`` vision set as NumPy arrays."""

from __future__ import annotations

import os
from typing import Any

import numpy as np


def _array(value: Any) -> np.ndarray:
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def load_splits(dataset_class: type, path: str | os.PathLike | None) -> tuple:
    """``((x_train, y_train), (x_test, y_test))`` from ``dataset_class(root, train, download=True)``."""
    splits = []
    for train in (True, False):
        dataset = dataset_class(root=path, train=train, download=True)
        images = _array(dataset.data).astype(np.uint8, copy=False)
        labels = _array(dataset.targets).astype(np.uint8, copy=False)
        splits.append((images, labels))
    return tuple(splits)
