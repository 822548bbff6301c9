"""Samplers (utils/data/sampler.py): order, reproducibility, lengths and argument errors."""

from __future__ import annotations

import pytest

import saessak
from saessak.utils.data import (
    BatchSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from tests.helpers import requires_torch, torch


def test_sequential_sampler():
    sampler = SequentialSampler(range(4))
    assert list(sampler) == [0, 1, 2, 3] and len(sampler) == 4


def test_random_sampler_is_a_permutation_reproducible_with_manual_seed():
    saessak.manual_seed(0)
    first = list(RandomSampler(range(10)))
    saessak.manual_seed(0)
    assert list(RandomSampler(range(10))) == first
    assert sorted(first) == list(range(10))
    sampler = RandomSampler(range(10))
    assert list(sampler) != list(sampler) or list(sampler) != first  # each pass draws a new order


def test_random_sampler_with_generator_and_num_samples():
    g = saessak.Generator().manual_seed(5)
    sampler = RandomSampler(range(4), num_samples=10, generator=g)
    drawn = list(sampler)
    assert len(sampler) == 10 and len(drawn) == 10
    assert sorted(drawn[:4]) == sorted(drawn[4:8]) == [0, 1, 2, 3]  # whole permutations first
    with_replacement = list(RandomSampler(range(3), replacement=True, num_samples=70))
    assert len(with_replacement) == 70 and set(with_replacement) == {0, 1, 2}


def test_random_sampler_argument_errors():
    with pytest.raises(TypeError, match="replacement"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(ValueError, match="num_samples"):
        RandomSampler([])


def test_subset_random_sampler_visits_only_its_indices():
    sampler = SubsetRandomSampler([10, 20, 30], generator=saessak.Generator().manual_seed(0))
    assert sorted(sampler) == [10, 20, 30] and len(sampler) == 3


def test_weighted_random_sampler_follows_weights():
    sampler = WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=400, generator=saessak.Generator().manual_seed(0))
    drawn = list(sampler)
    assert len(sampler) == 400 and 0 not in drawn
    assert 2.0 < drawn.count(2) / drawn.count(1) < 4.5
    unique = list(WeightedRandomSampler([1, 1, 1, 1], num_samples=4, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3]


def test_weighted_random_sampler_errors():
    with pytest.raises(ValueError, match="num_samples"):
        WeightedRandomSampler([1.0], num_samples=0)
    with pytest.raises(ValueError, match="replacement"):
        WeightedRandomSampler([1.0], num_samples=1, replacement=None)
    with pytest.raises(ValueError, match="1d"):
        WeightedRandomSampler([[1.0, 2.0]], num_samples=1)


@requires_torch
@pytest.mark.parametrize("size, batch_size, drop_last", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False),
                                                         (2, 5, True), (0, 2, False)])
def test_batch_sampler_matches_torch(size, batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(size)), batch_size, drop_last)
    theirs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(size)), batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_batch_sampler_errors_say_what_is_expected():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but got batch_size=0"):
        BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="batch_size"):
        BatchSampler(range(3), True, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean value"):
        BatchSampler(range(3), 2, 0)
    assert list(BatchSampler([5, 6, 7], 2, False)) == [[5, 6], [7]]  # any iterable of indices
