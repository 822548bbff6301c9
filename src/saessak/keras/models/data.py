"""Turning ``fit``/``evaluate``/``predict`` inputs into batches: NumPy arrays, saessak tensors, lists of
arrays (several inputs), or an iterable of ``(x, y)`` batches such as a saessak ``DataLoader``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from ... import random as saessak_random
from ..._tensor import Tensor
from ..layers.base import flatten, map_structure, to_tensor

__all__ = ["DataAdapter"]


def _is_array(value: Any) -> bool:
    return isinstance(value, (np.ndarray, Tensor)) or np.isscalar(value)


def _as_arrays(value: Any) -> Any:
    """Arrays for array-like data; a list/tuple of arrays stays a list (several inputs)."""
    if value is None:
        return None
    if isinstance(value, Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)) and value and all(_is_array(v) for v in value) and not all(
            np.isscalar(v) for v in value):
        return [_as_arrays(v) for v in value]
    if isinstance(value, dict):
        raise TypeError("dict inputs are not supported yet; pass a list of arrays in the order of model.inputs")
    array = np.asarray(value)
    if array.dtype.kind == "f" and array.dtype != np.float32:
        array = array.astype(np.float32)
    return array


def is_array_data(x: Any) -> bool:
    """True for data ``fit`` slices itself (arrays and lists of arrays), False for an iterable of batches."""
    if isinstance(x, (np.ndarray, Tensor)):
        return True
    if isinstance(x, (list, tuple)):
        first = x[0] if x else None
        # a list of (x, y) batches, as opposed to a list of arrays (several inputs) or nested numbers
        return not (isinstance(first, (list, tuple)) and first and all(isinstance(v, (np.ndarray, Tensor))
                                                                       for v in first))
    return not (hasattr(x, "__iter__") and not isinstance(x, (str, bytes)))


class DataAdapter:
    """Yields ``(x, y, sample_weight)`` batches of saessak tensors, ``steps`` of them per epoch."""

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = 32,
                 shuffle: bool = False, steps: int | None = None, class_weight: dict | None = None) -> None:
        if x is None:
            raise ValueError("No input data: pass x (and y) as arrays or an iterable of (x, y) batches")
        self.shuffle = bool(shuffle)
        self.batch_size = int(batch_size or 32)
        self.arrays = is_array_data(x)
        if self.arrays:
            self.x, self.y = _as_arrays(x), _as_arrays(y)
            self.sample_weight = _as_arrays(sample_weight)
            if class_weight is not None:
                self.sample_weight = _class_weights(self.y, class_weight, self.sample_weight)
            self.size = self._cardinality()
            batches = math.ceil(self.size / self.batch_size) if self.size else 0
            self.steps = min(steps, batches) if steps is not None else batches
        else:
            if y is not None:
                raise ValueError("y must not be given when x is an iterable of batches: each batch is (x, y)")
            self.x, self.y, self.sample_weight = x, None, None
            self.size = None
            length = len(x) if hasattr(x, "__len__") else None
            self.steps = steps if steps is not None else length

    def _cardinality(self) -> int:
        groups = {"x": flatten(self.x), "y": flatten(self.y) if self.y is not None else [],
                  "sample_weight": flatten(self.sample_weight) if self.sample_weight is not None else []}
        sizes = {name: [int(np.shape(a)[0]) if np.ndim(a) else 1 for a in arrays] for name, arrays in groups.items()}
        every = {s for values in sizes.values() for s in values}
        if len(every) > 1:
            lines = [f"  {name} sizes: {', '.join(map(str, values))}" for name, values in sizes.items() if values]
            raise ValueError("Data cardinality is ambiguous:\n" + "\n".join(lines)
                             + "\nMake sure all arrays contain the same number of samples.")
        return every.pop()

    def split(self, fraction: float) -> tuple[DataAdapter, DataAdapter]:
        """The first ``1 - fraction`` of the samples for training and the rest for validation (no shuffling)."""
        if not self.arrays:
            raise ValueError("validation_split is only supported for arrays and tensors, not for an iterable of "
                             "batches; pass validation_data= instead")
        if not 0 < fraction < 1:
            raise ValueError(f"validation_split must be in (0, 1), got {fraction}")
        cut = int(self.size * (1 - fraction))
        if cut == 0 or cut == self.size:
            raise ValueError(f"validation_split={fraction} leaves no samples on one side of {self.size} samples")
        head = lambda a: None if a is None else map_structure(lambda v: v[:cut], a)  # noqa: E731
        tail = lambda a: None if a is None else map_structure(lambda v: v[cut:], a)  # noqa: E731
        train = DataAdapter(head(self.x), head(self.y), head(self.sample_weight), self.batch_size, self.shuffle)
        valid = DataAdapter(tail(self.x), tail(self.y), tail(self.sample_weight), self.batch_size, False)
        return train, valid

    def __iter__(self) -> Iterator[tuple[Any, Any, Any]]:
        if not self.arrays:
            yield from self._iterate_batches()
            return
        order = saessak_random.randperm(self.size).numpy() if self.shuffle else np.arange(self.size)
        take = lambda a, idx: None if a is None else map_structure(lambda v: to_tensor(v[idx]), a)  # noqa: E731
        for step in range(self.steps):
            index = order[step * self.batch_size:(step + 1) * self.batch_size]
            if not self.shuffle:
                index = slice(step * self.batch_size, (step + 1) * self.batch_size)
            yield take(self.x, index), take(self.y, index), take(self.sample_weight, index)

    def _iterate_batches(self) -> Iterator[tuple[Any, Any, Any]]:
        for step, batch in enumerate(self.x):
            if self.steps is not None and step >= self.steps:
                return
            if isinstance(batch, (list, tuple)) and len(batch) in (2, 3):
                x, y, weight = (*batch, None) if len(batch) == 2 else batch
            else:
                x, y, weight = batch, None, None
            convert = lambda a: None if a is None else map_structure(to_tensor, _as_arrays(a))  # noqa: E731
            yield convert(x), convert(y), convert(weight)


def _class_weights(y: Any, class_weight: dict, sample_weight: Any) -> np.ndarray:
    labels = np.asarray(y)
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(-1)
    labels = labels.reshape(len(labels), -1)[:, 0].astype(np.int64)
    weights = np.array([class_weight.get(int(label), 1.0) for label in labels], dtype=np.float32)
    return weights if sample_weight is None else weights * np.asarray(sample_weight, dtype=np.float32)
