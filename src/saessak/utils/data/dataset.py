"""Datasets: the map-style ``Dataset`` every data source subclasses, iterable datasets, and ways to combine them."""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ... import random as _random
from ..._tensor import Tensor

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset", "StackDataset", "Subset",
    "random_split",
]


class Dataset:
    """A map-style dataset: ``dataset[i]`` gives sample ``i`` and ``len(dataset)`` their count.

    Subclasses define ``__getitem__`` and, for samplers and ``DataLoader`` to use them, ``__len__``.
    ``a + b`` concatenates two datasets.

    >>> class Squares(Dataset):
    ...     def __len__(self): return 10
    ...     def __getitem__(self, i): return i * i
    >>> Squares()[3]
    9
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A dataset that is a stream: subclasses define ``__iter__`` (and may define ``__len__``).

    With ``num_workers > 0`` every worker iterates its own copy; shard inside ``__iter__`` with
    ``get_worker_info()`` to avoid duplicates. ``a + b`` chains two streams.

    >>> class Count(IterableDataset):
    ...     def __iter__(self): return iter(range(3))
    >>> list(Count())
    [0, 1, 2]
    """

    def __iter__(self) -> Iterator:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __add__(self, other: Dataset) -> ChainDataset:
        return ChainDataset([self, other])


def _first_dimension(value: Any) -> int:
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    raise ValueError(f"TensorDataset expects tensors with at least one dimension, got {type(value).__name__} "
                     f"of shape {tuple(shape) if shape is not None else None}")


class TensorDataset(Dataset):
    """Samples are slices along the first dimension of equally long tensors.

    >>> data = TensorDataset(saessak.randn(100, 3), saessak.randint(0, 2, (100,)))
    >>> x, y = data[0]        # x has shape (3,), y is a 0-dim tensor
    """

    def __init__(self, *tensors: Tensor) -> None:
        sizes = [_first_dimension(t) for t in tensors]
        if len(set(sizes)) > 1:
            raise ValueError(f"Size mismatch between tensors: TensorDataset needs the same first dimension in "
                             f"every tensor, got sizes {sizes}")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return _first_dimension(self.tensors[0]) if self.tensors else 0


class ConcatDataset(Dataset):
    """Map-style datasets one after another: index ``len(a)`` is ``b[0]``.

    >>> both = ConcatDataset([TensorDataset(saessak.zeros(3, 1)), TensorDataset(saessak.ones(2, 1))])
    >>> len(both), both[3][0].item()
    (5, 1.0)
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset needs at least one dataset, got an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError("ConcatDataset does not support IterableDataset: chain streams with ChainDataset")
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int):
        length = len(self)
        if index < 0:
            if -index > length:
                raise ValueError(f"absolute value of index should not exceed dataset length: index {index} for "
                                 f"a ConcatDataset of length {length}")
            index += length
        if index >= length:
            raise IndexError(f"index {index} is out of range for a ConcatDataset of length {length}")
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset):
    """Iterable datasets one after another, chained lazily.

    >>> list(ChainDataset([stream_a, stream_b]))   # everything from stream_a, then stream_b
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)

    def __iter__(self) -> Iterator:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(f"ChainDataset only supports IterableDataset, got {type(d).__name__}")
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


class StackDataset(Dataset):
    """Zips datasets of equal length: each sample is a tuple (positional) or a dict (keyword) of theirs.

    >>> pairs = StackDataset(images=image_data, texts=text_data)
    >>> pairs[0]          # {'images': image_data[0], 'texts': text_data[0]}
    """

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("StackDataset takes datasets either as positional or as keyword arguments, not both")
        self.datasets: tuple | dict = args or kwargs
        parts = list(args) or list(kwargs.values())
        if not parts:
            raise ValueError("StackDataset needs at least one dataset")
        lengths = [len(d) for d in parts]
        if len(set(lengths)) > 1:
            raise ValueError(f"Size mismatch between datasets: StackDataset needs equal lengths, got {lengths}")
        self._length = lengths[0]

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {name: d[index] for name, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    >>> first_ten = Subset(dataset, range(10))
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices: list[int]) -> list:
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def _split_lengths(total: int, lengths: Sequence[int | float]) -> list[int]:
    """Integer lengths, or fractions summing to 1 turned into lengths with the remainder dealt round-robin."""
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1: {fraction}")
        sizes = [int(math.floor(total * fraction)) for fraction in lengths]
        for i in range(total - sum(sizes)):
            sizes[i % len(sizes)] += 1
        for i, size in enumerate(sizes):
            if size == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=3)
        return sizes
    return [int(length) for length in lengths]


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 generator: _random.Generator | None = None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random subsets of the given lengths (or fractions summing to 1).

    >>> train, val = random_split(range(10), [0.8, 0.2], generator=saessak.Generator().manual_seed(0))
    >>> len(train), len(val)
    (8, 2)
    """
    total = len(dataset)
    sizes = _split_lengths(total, lengths)
    if sum(sizes) != total:
        raise ValueError(f"Sum of input lengths does not equal the length of the input dataset! "
                         f"lengths {list(lengths)} sum to {sum(sizes)}, the dataset has {total} samples")
    order = _random.randperm(total, generator=generator).tolist()
    subsets, start = [], 0
    for size in sizes:
        subsets.append(Subset(dataset, order[start: start + size]))
        start += size
    return subsets
