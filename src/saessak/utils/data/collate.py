"""Collation: turning a list of samples into one batch (``default_collate``), or converting one sample."""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from ... import dtypes
from ..._tensor import Tensor
from ...creation import as_tensor, tensor
from ...ops.shape import stack

__all__ = ["default_collate", "default_convert"]


def _collate_error(kind: type) -> TypeError:
    return TypeError(
        f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {kind}. "
        "Convert the samples in your Dataset's __getitem__, or pass a collate_fn to DataLoader"
    )


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _numeric_array(value: Any) -> bool:
    """A NumPy array or scalar holding numbers or bools (strings and objects are not collated)."""
    return isinstance(value, np.ndarray | np.generic) and value.dtype.kind in "biuf"


def default_collate(batch: Sequence) -> Any:
    """Stack a list of samples into a batch, keeping the samples' structure.

    Tensors are stacked along a new first dimension, NumPy arrays and scalars become tensors, Python
    ints an int64 tensor, floats a float64 tensor, bools a bool tensor, strings stay a list. Dicts
    collate key by key, and sequences position by position (tuples become lists; namedtuples keep
    their type).

    >>> default_collate([(saessak.zeros(2), 0), (saessak.ones(2), 1)])
    [tensor([[0., 0.], [1., 1.]]), tensor([0, 1])]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, np.ndarray | np.generic) and not isinstance(elem, np.str_ | np.bytes_):
        if not _numeric_array(elem):
            raise _collate_error(elem.dtype)
        if isinstance(elem, np.ndarray):
            return default_collate([as_tensor(b) for b in batch])
        return as_tensor(np.array(batch))
    if isinstance(elem, bool):
        return tensor(list(batch), dtype=dtypes.bool)
    if isinstance(elem, int):
        return tensor(list(batch), dtype=dtypes.int64)
    if isinstance(elem, float):
        return tensor(list(batch), dtype=dtypes.float64)
    if isinstance(elem, str | bytes):
        return batch  # as given: a list, or a tuple when it is a column of sequences (as PyTorch)
    if isinstance(elem, Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in elem}
        if isinstance(elem, MutableMapping):
            clone = copy.copy(elem)
            clone.update(collated)
            return clone
        try:
            return type(elem)(collated)
        except TypeError:  # a mapping type that cannot be built from a dict
            return collated
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError(f"each element in list of batch should be of equal size, got sizes "
                               f"{[len(sample) for sample in batch]}")
        columns = [default_collate(samples) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns
        try:
            if isinstance(elem, MutableSequence):
                clone = copy.copy(elem)
                clone[:] = columns
                return clone
            return type(elem)(columns)
        except TypeError:  # a sequence type that cannot be built from a list
            return columns
    raise _collate_error(type(elem))


def default_convert(data: Any) -> Any:
    """Convert one sample without batching: NumPy arrays and scalars become tensors, containers recursively.

    ``DataLoader(batch_size=None)`` uses it in place of ``default_collate``.

    >>> default_convert({"x": np.zeros(2)})
    {'x': tensor([0., 0.], dtype=torch.float64)}
    """
    if isinstance(data, Tensor):
        return data
    if _numeric_array(data):
        return as_tensor(data)
    if isinstance(data, Mapping):
        converted = {key: default_convert(value) for key, value in data.items()}
        if isinstance(data, MutableMapping):
            clone = copy.copy(data)
            clone.update(converted)
            return clone
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if _is_namedtuple(data):
        return type(data)(*(default_convert(value) for value in data))
    if isinstance(data, tuple):
        return [default_convert(value) for value in data]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        converted_list = [default_convert(value) for value in data]
        try:
            if isinstance(data, MutableSequence):
                clone = copy.copy(data)
                clone[:] = converted_list
                return clone
            return type(data)(converted_list)
        except TypeError:
            return converted_list
    return data
