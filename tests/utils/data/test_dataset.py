"""Datasets (utils/data/dataset.py): TensorDataset, ConcatDataset, ChainDataset, Subset, random_split."""

from __future__ import annotations

import numpy as np
import pytest

import saessak
from saessak.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from tests.helpers import requires_torch, torch


class Range(IterableDataset):
    def __init__(self, start, stop):
        self.start, self.stop = start, stop

    def __iter__(self):
        return iter(range(self.start, self.stop))

    def __len__(self):
        return self.stop - self.start


class Squares(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, index):
        return index * index


def test_dataset_base_needs_getitem():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


def test_tensor_dataset_slices_every_tensor():
    x, y = saessak.arange(12.0).reshape(4, 3), saessak.tensor([0, 1, 0, 1])
    data = TensorDataset(x, y)
    assert len(data) == 4
    sample_x, sample_y = data[2]
    assert sample_x.tolist() == [6.0, 7.0, 8.0] and sample_y.item() == 0
    assert data[1:3][0].shape == (2, 3)


def test_tensor_dataset_size_mismatch_names_the_sizes():
    with pytest.raises(ValueError, match=r"\[4, 3\]"):
        TensorDataset(saessak.zeros(4, 2), saessak.zeros(3))


def test_csv_through_numpy_into_tensor_dataset(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,label\n1.0,2.0,0\n3.0,4.0,1\n5.0,6.0,1\n")
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    data = TensorDataset(saessak.tensor(table[:, :2], dtype=saessak.float32), saessak.tensor(table[:, 2]).long())
    features, label = data[1]
    assert features.tolist() == [3.0, 4.0] and label.item() == 1 and label.dtype == saessak.int64


def test_concat_dataset_indexes_across_parts():
    both = Squares() + TensorDataset(saessak.tensor([10, 11]))
    assert isinstance(both, ConcatDataset) and len(both) == 6
    assert both.cumulative_sizes == [4, 6]
    assert [both[i] for i in range(4)] == [0, 1, 4, 9]
    assert both[4][0].item() == 10 and both[-1][0].item() == 11
    with pytest.raises(ValueError, match="absolute value"):
        both[-7]
    with pytest.raises(IndexError):
        both[6]


def test_concat_dataset_rejects_empty_and_streams():
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="IterableDataset"):
        ConcatDataset([Range(0, 2)])


def test_chain_dataset_and_iterable_addition():
    chained = Range(0, 2) + Range(5, 7)
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [0, 1, 5, 6] and len(chained) == 4


def test_subset_and_stack_dataset():
    subset = Subset(Squares(), [3, 1])
    assert len(subset) == 2 and subset[0] == 9 and subset.__getitems__([0, 1]) == [9, 1]
    stacked = StackDataset(Squares(), Squares())
    assert stacked[2] == (4, 4)
    assert StackDataset(a=Squares(), b=Squares())[3] == {"a": 9, "b": 9}
    with pytest.raises(ValueError, match="Size mismatch"):
        StackDataset(Squares(), Subset(Squares(), [0]))


def test_random_split_integer_lengths_partition_the_dataset():
    parts = random_split(range(10), [3, 7], generator=saessak.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))


def test_random_split_is_reproducible():
    first = random_split(range(20), [0.5, 0.5], generator=saessak.Generator().manual_seed(3))
    second = random_split(range(20), [0.5, 0.5], generator=saessak.Generator().manual_seed(3))
    assert first[0].indices == second[0].indices
    saessak.manual_seed(1)
    third = random_split(range(20), [10, 10])
    saessak.manual_seed(1)
    assert random_split(range(20), [10, 10])[0].indices == third[0].indices


def test_random_split_errors_and_empty_split_warning():
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [3, 3])
    with pytest.warns(UserWarning) as record:
        parts = random_split(range(2), [0.9, 0.05, 0.05])
    assert [str(w.message)[:27] for w in record] == ["Length of split at index 1 ", "Length of split at index 2 "]
    assert [len(p) for p in parts] == [2, 0, 0]


@requires_torch
@pytest.mark.parametrize("total, fractions", [
    (10, [0.3, 0.3, 0.4]), (11, [0.5, 0.5]), (7, [0.1, 0.2, 0.3, 0.4]), (100, [0.333, 0.333, 0.334]), (5, [1.0]),
    (13, [0.25, 0.25, 0.25, 0.25]),
])
def test_random_split_fraction_lengths_match_torch(total, fractions):
    ours = [len(p) for p in random_split(range(total), fractions)]
    theirs = [len(p) for p in torch.utils.data.random_split(range(total), fractions)]
    assert ours == theirs
