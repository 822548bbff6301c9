"""Datasets for the ``saessak`` command: every source becomes float32 feature arrays and int64 labels."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Splits:
    """Train/validation/test arrays of one dataset, and what a model needs to know about it."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: list[str]
    image_shape: tuple[int, ...] | None = None  # (C, H, W) when the features are an image
    feature_names: list[str] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)  # per-feature standardisation learnt on the training set
    std: list[float] = field(default_factory=list)

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])


class DataError(Exception):
    """A dataset that cannot be read; the command prints the message and exits with status 2."""


def _holdout(x: np.ndarray, y: np.ndarray, fraction: float, seed: int) -> tuple:
    """Split off a stratified ``fraction`` of (x, y), reproducibly."""
    rng = np.random.default_rng(seed)
    held = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        held[members[: int(round(len(members) * fraction))]] = True
    return x[~held], y[~held], x[held], y[held]


def _standardise(splits: Splits) -> Splits:
    mean = splits.x_train.mean(0)
    std = splits.x_train.std(0)
    std[std == 0] = 1.0
    for name in ("x_train", "x_val", "x_test"):
        setattr(splits, name, ((getattr(splits, name) - mean) / std).astype(np.float32))
    splits.mean, splits.std = mean.tolist(), std.tolist()
    return splits


def _bundled(name: str, val_fraction: float, seed: int) -> Splits:
    from .. import datasets

    kind = datasets.Digits if name == "digits" else datasets.Iris
    train, test = kind(train=True), kind(train=False)
    x, y = train.data.numpy().astype(np.float32), train.targets.numpy().astype(np.int64)
    x_test, y_test = test.data.numpy().astype(np.float32), test.targets.numpy().astype(np.int64)
    if name == "digits":  # pixels 0..16 scaled to [0, 1], kept as 1x8x8 images
        x, x_test = x.reshape(len(x), -1) / 16.0, x_test.reshape(len(x_test), -1) / 16.0
    x_train, y_train, x_val, y_val = _holdout(x, y, val_fraction, seed)
    splits = Splits(name, x_train, y_train, x_val, y_val, x_test, y_test, list(train.classes),
                    image_shape=(1, 8, 8) if name == "digits" else None)
    return _standardise(splits) if name == "iris" else splits


def _mnist(name: str, root: str | None, val_fraction: float, seed: int) -> Splits:
    from .. import datasets

    kind = datasets.MNIST if name == "mnist" else datasets.FashionMNIST
    try:
        train, test = kind(root, train=True, download=True), kind(root, train=False, download=True)
    except RuntimeError as error:
        raise DataError(str(error)) from error
    x = train.data.numpy().reshape(len(train.data), -1).astype(np.float32) / 255.0
    x_test = test.data.numpy().reshape(len(test.data), -1).astype(np.float32) / 255.0
    y, y_test = train.targets.numpy().astype(np.int64), test.targets.numpy().astype(np.int64)
    x_train, y_train, x_val, y_val = _holdout(x, y, val_fraction, seed)
    return Splits(name, x_train, y_train, x_val, y_val, x_test, y_test, list(train.classes), image_shape=(1, 28, 28))


def read_csv(path: str, target: str | None) -> tuple[np.ndarray, list[str], list[str], list[str] | None]:
    """Features, feature names and raw target values of a CSV with a header row (target column optional)."""
    if not os.path.exists(path):
        raise DataError(f"no such file: {path}")
    with open(path, newline="") as f:
        rows = [row for row in csv.reader(f) if row]
    if len(rows) < 2:
        raise DataError(f"{path}: expected a header row and at least one data row")
    header, body = rows[0], rows[1:]
    if target is not None and target not in header:
        raise DataError(f"{path}: no column named '{target}' (columns: {', '.join(header)})")
    target_index = header.index(target) if target is not None else None
    names = [h for i, h in enumerate(header) if i != target_index]
    features, labels = [], []
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise DataError(f"{path}:{line}: expected {len(header)} values, got {len(row)}")
        try:
            features.append([float(v) for i, v in enumerate(row) if i != target_index])
        except ValueError as error:
            raise DataError(f"{path}:{line}: feature values must be numbers ({error})") from error
        if target_index is not None:
            labels.append(row[target_index].strip())
    return np.asarray(features, dtype=np.float32), names, labels if target_index is not None else None, header


def _csv(path: str, target: str | None, val_fraction: float, test_fraction: float, seed: int) -> Splits:
    with open(path, newline="") if os.path.exists(path) else _missing(path) as f:
        header = next(csv.reader(f), [])
    target = target or (header[-1] if header else None)
    x, names, labels, _ = read_csv(path, target)
    classes = sorted(set(labels), key=lambda v: (_number(v) is None, _number(v), v))
    y = np.asarray([classes.index(v) for v in labels], dtype=np.int64)
    if len(classes) < 2:
        raise DataError(f"{path}: the target column '{target}' has a single value; nothing to classify")
    rest_x, rest_y, x_test, y_test = _holdout(x, y, test_fraction, seed)
    x_train, y_train, x_val, y_val = _holdout(rest_x, rest_y, val_fraction, seed + 1)
    splits = Splits(os.path.basename(path), x_train, y_train, x_val, y_val, x_test, y_test, classes,
                    feature_names=names)
    return _standardise(splits)


def _missing(path: str):
    raise DataError(f"no such file: {path}")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def load(name: str, *, target: str | None = None, root: str | None = None, val_fraction: float = 0.1,
         test_fraction: float = 0.2, seed: int = 0) -> Splits:
    """The splits of ``name``: digits, iris, mnist, fashion-mnist, or a path to a CSV file."""
    if name in ("digits", "iris"):
        return _bundled(name, val_fraction, seed)
    if name in ("mnist", "fashion-mnist"):
        return _mnist(name, root, val_fraction, seed)
    if name.lower().endswith(".csv") or os.path.sep in name:
        return _csv(name, target, val_fraction, test_fraction, seed)
    raise DataError(f"unknown dataset '{name}': choose digits, iris, mnist, fashion-mnist or a PATH.csv")
