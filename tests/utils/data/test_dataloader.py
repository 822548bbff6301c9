"""DataLoader (utils/data/dataloader.py): option checks, lengths and batches like PyTorch's, and worker processes."""

from __future__ import annotations

import gc
import os
import random
import time

import numpy as np
import pytest

import saessak
from saessak.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    SequentialSampler,
    TensorDataset,
    get_worker_info,
)
from tests.helpers import requires_torch, torch


class Numbers(Dataset):
    """Sample i is (i, i * 10.0); with ``fail_at`` sample raises, with ``die_at`` the worker exits."""

    def __init__(self, size=10, fail_at=None, die_at=None, delay=0.0):
        self.size, self.fail_at, self.die_at, self.delay = size, fail_at, die_at, delay

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        if index == self.fail_at:
            raise ValueError(f"bad sample {index}")
        if index == self.die_at and get_worker_info() is not None:
            os._exit(3)
        if self.delay:
            time.sleep(self.delay)
        return index, index * 10.0


class Stream(IterableDataset):
    """0..size-1, sharded across workers when ``shard`` is set."""

    def __init__(self, size=7, shard=False, with_length=True):
        self.size, self.shard, self.with_length = size, shard, with_length

    def __iter__(self):
        info = get_worker_info()
        if self.shard and info is not None:
            return iter(range(info.id, self.size, info.num_workers))
        return iter(range(self.size))

    def __len__(self):
        if not self.with_length:
            raise TypeError("Stream has no length")
        return self.size


class Seeds(Dataset):
    """Each sample reports the worker, its seed and one draw from each seeded generator."""

    def __len__(self):
        return 4

    def __getitem__(self, index):
        info = get_worker_info()
        return [info.id, info.seed, saessak.rand(1).item(), random.random(), float(np.random.rand())]


def plain(value):
    """Nested Python values and dtype names of a batch, whichever library made it."""
    if hasattr(value, "tolist") and not isinstance(value, np.ndarray):
        return (str(value.dtype).split(".")[-1], value.tolist())
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def labels(loader):
    return [batch[0].tolist() for batch in loader]


# ---------------------------------------------------------------- options and lengths, compared with PyTorch
COMBINATIONS = [
    dict(), dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=4, shuffle=True),
    dict(batch_size=None), dict(batch_size=20), dict(batch_size=20, drop_last=True), dict(batch_size=5, drop_last=True),
    dict(sampler="sequential", batch_size=3), dict(batch_sampler="batches"),
    dict(batch_size=None, sampler="sequential"),
]


def _build(lib, options, dataset):
    options = dict(options)
    if options.get("sampler") == "sequential":
        options["sampler"] = lib.utils.data.SequentialSampler(range(10))
    if options.get("batch_sampler") == "batches":
        options["batch_sampler"] = lib.utils.data.BatchSampler(range(10), 4, False)
    return lib.utils.data.DataLoader(dataset, **options)


@requires_torch
@pytest.mark.parametrize("options", COMBINATIONS)
def test_len_and_batches_match_torch_for_map_datasets(options):
    ours = _build(saessak, options, Numbers())
    theirs = _build(torch, options, Numbers())
    assert len(ours) == len(theirs)
    ours_batches, theirs_batches = list(ours), list(theirs)
    assert len(ours_batches) == len(theirs_batches) == len(ours)
    if not options.get("shuffle"):
        assert plain(ours_batches) == plain(theirs_batches)


@requires_torch
@pytest.mark.parametrize("options", [dict(), dict(batch_size=3), dict(batch_size=3, drop_last=True),
                                     dict(batch_size=None), dict(batch_size=7), dict(batch_size=8, drop_last=True)])
def test_len_and_batches_match_torch_for_iterable_datasets(options):
    class TorchStream(torch.utils.data.IterableDataset):
        __init__, __iter__, __len__ = Stream.__init__, Stream.__iter__, Stream.__len__

    ours = DataLoader(Stream(), **options)
    theirs = torch.utils.data.DataLoader(TorchStream(), **options)
    assert len(ours) == len(theirs)
    assert plain(list(ours)) == plain(list(theirs))


@requires_torch
@pytest.mark.parametrize("options", [
    dict(batch_size=0), dict(batch_size=-1), dict(shuffle=True, sampler="sequential"),
    dict(batch_sampler="batches", batch_size=2), dict(batch_sampler="batches", shuffle=True),
    dict(batch_sampler="batches", drop_last=True), dict(batch_sampler="batches", sampler="sequential"),
    dict(batch_size=None, drop_last=True), dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2),
    dict(persistent_workers=True), dict(num_workers=1, prefetch_factor=-1),
])
def test_invalid_combinations_raise_like_torch(options):
    with pytest.raises(ValueError) as theirs:
        _build(torch, options, Numbers())
    with pytest.raises(ValueError) as ours:
        _build(saessak, options, Numbers())
    first_words = " ".join(str(theirs.value).split()[:3])
    assert first_words in str(ours.value)


@pytest.mark.parametrize("options", [dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])])
def test_iterable_dataset_rejects_order_options(options):
    with pytest.raises(ValueError, match="IterableDataset"):
        DataLoader(Stream(), **options)


def test_iterable_dataset_without_length_has_no_len():
    loader = DataLoader(Stream(with_length=False), batch_size=2)
    with pytest.raises(TypeError):
        len(loader)
    assert labels(loader) == [0, 2, 4, 6]


def test_attributes_are_frozen_after_init():
    loader = DataLoader(Numbers(), batch_size=2)
    with pytest.raises(ValueError, match="batch_size attribute should not be set"):
        loader.batch_size = 3
    loader.num_workers = 0  # other attributes stay settable


def test_shuffle_is_reproducible_with_manual_seed_and_generator():
    saessak.manual_seed(0)
    first = [labels(DataLoader(Numbers(), batch_size=3, shuffle=True))]
    saessak.manual_seed(0)
    assert [labels(DataLoader(Numbers(), batch_size=3, shuffle=True))] == first
    loader = DataLoader(Numbers(), batch_size=10, shuffle=True, generator=saessak.Generator().manual_seed(1))
    assert sorted(labels(loader)[0]) == list(range(10))
    again = DataLoader(Numbers(), batch_size=10, shuffle=True, generator=saessak.Generator().manual_seed(1))
    assert labels(again) == labels(DataLoader(Numbers(), batch_size=10, shuffle=True,
                                             generator=saessak.Generator().manual_seed(1)))


def test_batches_of_a_tensor_dataset():
    data = TensorDataset(saessak.arange(20.0).reshape(10, 2), saessak.arange(10))
    x, y = next(iter(DataLoader(data, batch_size=4)))
    assert x.shape == (4, 2) and y.tolist() == [0, 1, 2, 3]
    sampler = BatchSampler(SequentialSampler(data), 5, False)
    assert [y.tolist() for _, y in DataLoader(data, batch_sampler=sampler)] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_custom_collate_fn_and_batch_size_none():
    loader = DataLoader(Numbers(4), batch_size=2, collate_fn=lambda batch: [i for i, _ in batch])
    assert list(loader) == [[0, 1], [2, 3]]
    single = list(DataLoader(Numbers(2), batch_size=None))
    assert single == [[0, 0.0], [1, 10.0]]


# ---------------------------------------------------------------- worker processes
def test_workers_deliver_batches_in_order():
    loader = DataLoader(Numbers(10, delay=0.002), batch_size=2, num_workers=2)
    assert labels(loader) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    assert len(loader) == 5
    shuffled = DataLoader(Numbers(10), batch_size=3, shuffle=True, num_workers=2,
                          generator=saessak.Generator().manual_seed(4))
    serial = DataLoader(Numbers(10), batch_size=3, shuffle=True, generator=saessak.Generator().manual_seed(4))
    assert labels(shuffled) == labels(serial)


def test_worker_exception_keeps_type_and_names_the_worker():
    loader = DataLoader(Numbers(6, fail_at=3), batch_size=2, num_workers=2)
    with pytest.raises(ValueError) as info:
        list(loader)
    message = str(info.value)
    assert "in DataLoader worker process 1" in message
    assert "Traceback (most recent call last)" in message and "bad sample 3" in message


def test_worker_key_error_message_is_readable():
    class MissingKey(Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return {}["absent"]

    with pytest.raises(KeyError) as info:
        next(iter(DataLoader(MissingKey(), num_workers=1)))
    assert "Caught KeyError in DataLoader worker process 0" in str(info.value)


def test_dead_worker_raises_instead_of_hanging():
    loader = DataLoader(Numbers(6, die_at=2), batch_size=1, num_workers=2)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(loader)
    assert time.monotonic() - start < 10


def test_timeout_raises_when_a_batch_is_slow():
    loader = DataLoader(Numbers(4, delay=0.5), num_workers=1, timeout=0.1)
    with pytest.raises(RuntimeError, match="timed out after 0.1 seconds"):
        next(iter(loader))


def test_worker_init_fn_runs_in_each_worker_with_distinct_seeds():
    def init(worker_id):
        assert get_worker_info().id == worker_id

    rows = [row for batch in DataLoader(Seeds(), batch_size=None, num_workers=2, worker_init_fn=init)
            for row in [batch]]
    by_worker = {row[0]: row for row in rows}
    assert set(by_worker) == {0, 1}
    assert by_worker[1][1] == by_worker[0][1] + 1  # seed = base_seed + worker_id
    for column in (2, 3, 4):  # saessak, random and numpy are seeded differently per worker
        assert by_worker[0][column] != by_worker[1][column]
    assert get_worker_info() is None


def test_worker_init_fn_error_reaches_the_main_process():
    def init(worker_id):
        raise OSError(f"cannot open shard {worker_id}")

    with pytest.raises(OSError, match="cannot open shard 0"):
        list(DataLoader(Numbers(2), num_workers=1, worker_init_fn=init))


def test_persistent_workers_survive_epochs():
    def pid_collate(batch):
        return os.getpid(), [i for i, _ in batch]

    loader = DataLoader(Numbers(6), batch_size=2, num_workers=2, persistent_workers=True, collate_fn=pid_collate)
    first = list(loader)
    second = list(loader)
    assert [b for _, b in first] == [b for _, b in second] == [[0, 1], [2, 3], [4, 5]]
    assert {pid for pid, _ in first} == {pid for pid, _ in second}
    iterator = iter(loader)
    next(iterator)  # leave an epoch half read, then start over
    assert [b for _, b in loader] == [[0, 1], [2, 3], [4, 5]]
    workers = loader._iterator._workers
    loader._iterator._shutdown_workers()
    assert not any(w.is_alive() for w in workers)


def test_iterable_dataset_with_workers_duplicates_unless_sharded():
    duplicated = [x for batch in DataLoader(Stream(5), batch_size=2, num_workers=2) for x in batch.tolist()]
    assert sorted(duplicated) == sorted(list(range(5)) * 2)
    sharded = [x for batch in DataLoader(Stream(7, shard=True), batch_size=2, num_workers=2) for x in batch.tolist()]
    assert sorted(sharded) == list(range(7))
    persistent = DataLoader(Stream(7, shard=True), batch_size=None, num_workers=2, persistent_workers=True)
    assert sorted(int(x) for x in persistent) == sorted(int(x) for x in persistent) == list(range(7))


def test_workers_shut_down_when_the_iterator_is_dropped():
    iterator = iter(DataLoader(Numbers(10), num_workers=2))
    next(iterator)
    workers = list(iterator._workers)
    del iterator
    gc.collect()
    deadline = time.monotonic() + 5
    while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(w.is_alive() for w in workers)


def test_workers_exit_after_the_last_batch():
    iterator = iter(DataLoader(Numbers(4), batch_size=2, num_workers=2))
    assert len(list(iterator)) == 2
    assert not any(w.is_alive() for w in iterator._workers)
    with pytest.raises(StopIteration):
        next(iterator)


def test_unpicklable_batch_is_an_error_not_a_hang():
    loader = DataLoader(Numbers(2), num_workers=1, collate_fn=lambda batch: (lambda: batch))
    with pytest.raises(Exception, match="unpicklable"):
        next(iter(loader))


def test_tensor_dataset_batches_equal_the_per_sample_collation():
    from saessak.utils.data import default_collate

    x, y = saessak.randn(37, 3, 2), saessak.arange(37)
    dataset = TensorDataset(x, y)
    fast = list(DataLoader(dataset, batch_size=8, shuffle=True, generator=saessak.Generator().manual_seed(3)))
    slow = list(DataLoader(dataset, batch_size=8, shuffle=True, generator=saessak.Generator().manual_seed(3),
                           collate_fn=lambda batch: default_collate(batch)))
    assert len(fast) == len(slow) == 5
    for a, b in zip(fast, slow):
        assert isinstance(a, list) and len(a) == 2
        assert saessak.equal(a[0], b[0]) and saessak.equal(a[1], b[1]) and a[1].dtype == b[1].dtype
