"""What runs inside a DataLoader worker process: seeding, fetching batches, and passing errors back."""

from __future__ import annotations

import os
import pickle
import queue
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from ... import random as _random

__all__ = ["WorkerInfo", "get_worker_info"]

STATUS_CHECK_INTERVAL = 0.25  # seconds between checks that the other side is still alive


@dataclass(frozen=True)
class WorkerInfo:
    """Which worker this is: ``id`` in ``range(num_workers)``, its ``seed``, and its copy of the ``dataset``."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker, its ``WorkerInfo``; in the main process, ``None``.

    An ``IterableDataset`` uses it to give each worker its own shard:

    >>> def __iter__(self):
    ...     info = get_worker_info()
    ...     start = 0 if info is None else info.id
    ...     step = 1 if info is None else info.num_workers
    ...     return iter(self.items[start::step])
    """
    return _worker_info


# ---------------------------------------------------------------- messages between the processes
class KeyErrorMessage(str):
    """A KeyError's message printed as written (KeyError would otherwise show it quoted, newlines escaped)."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process as its type and formatted traceback."""

    def __init__(self, where: str) -> None:
        exc_type, exc_value, exc_traceback = sys.exc_info()
        self.exc_type = exc_type if _picklable(exc_type) else RuntimeError
        self.message = (f"Caught {exc_type.__name__} {where}.\nOriginal "
                        + "".join(traceback.format_exception(exc_type, exc_value, exc_traceback)))

    def reraise(self) -> None:
        message = KeyErrorMessage(self.message) if self.exc_type is KeyError else self.message
        try:
            exception = self.exc_type(message)
        except Exception:  # an exception type whose constructor needs other arguments
            raise RuntimeError(message) from None
        raise exception


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


class IterableStopped:
    """Sent by a worker whose copy of an IterableDataset is exhausted."""

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id


class ResumeIteration:
    """Sent to persistent workers to start a new epoch (they restart their IterableDataset iterator)."""


# ---------------------------------------------------------------- fetching
class MapFetcher:
    """Gets samples by index from a map-style dataset and collates them."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        from .collate import default_collate
        from .dataset import TensorDataset

        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn
        # a TensorDataset batch collated by default_collate is each tensor indexed by the batch: one gather
        # per tensor instead of a __getitem__ per sample and a stack
        self.gather = (type(dataset) is TensorDataset and collate_fn is default_collate and auto_collation
                       and len(dataset.tensors) > 0)

    def fetch(self, index):
        if self.gather:
            rows = np.fromiter((int(i) for i in index), dtype=np.int64, count=len(index))
            return [t[rows] for t in self.dataset.tensors]
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if callable(getattr(self.dataset, "__getitems__", None)):
            data = self.dataset.__getitems__(index)
        else:
            data = [self.dataset[i] for i in index]
        return self.collate_fn(data)


class IterFetcher:
    """Takes the next sample (or ``len(index)`` samples) from an iterable dataset; StopIteration at its end."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        self.iterator = iter(dataset)
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, drop_last
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.iterator))
        data = []
        for _ in index:
            try:
                data.append(next(self.iterator))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)


def seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed saessak's default generator, Python's ``random`` and NumPy's global state for one worker."""
    seed = (base_seed + worker_id) % (1 << 64)
    random.seed(seed)
    _random.manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, base_seed % (1 << 64)]).generate_state(4))
    return seed


def _parent_alive(parent_pid: int) -> bool:
    return os.getppid() == parent_pid


def worker_loop(iterable: bool, dataset, index_queue, result_queue, done_event, auto_collation: bool, collate_fn,
                drop_last: bool, base_seed: int, init_fn, worker_id: int, num_workers: int,
                parent_pid: int) -> None:
    """Serve ``(task, index)`` requests from ``index_queue`` until ``None`` arrives or the parent is gone."""
    global _worker_info
    where = f"in DataLoader worker process {worker_id}"
    seed = seed_worker(base_seed, worker_id)
    _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
    fetcher_type = IterFetcher if iterable else MapFetcher
    init_error = None
    fetcher = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        fetcher = fetcher_type(dataset, auto_collation, collate_fn, drop_last)
    except Exception:
        init_error = ExceptionWrapper(where)
    stopped = False

    def send(task, data) -> None:
        try:
            message = pickle.dumps((task, data), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a result that cannot cross processes becomes an error instead of a silent hang
            message = pickle.dumps((task, ExceptionWrapper(f"{where} while sending its batch (unpicklable)")))
        result_queue.put(message)

    try:
        while True:
            try:
                request = index_queue.get(timeout=STATUS_CHECK_INTERVAL)
            except queue.Empty:
                # the done event also reaches us when our index queue was garbage-collected before shutdown
                if done_event.is_set() or not _parent_alive(parent_pid):
                    break
                continue
            if request is None:
                break
            if isinstance(request, ResumeIteration):
                stopped = False
                if init_error is None:
                    try:
                        fetcher = fetcher_type(dataset, auto_collation, collate_fn, drop_last)
                    except Exception:
                        init_error = ExceptionWrapper(where)
                send(request, None)
                continue
            if done_event.is_set() or stopped:
                continue
            task, index = request
            if init_error is not None:
                data, init_error = init_error, None
            else:
                try:
                    data = fetcher.fetch(index)
                except StopIteration:
                    if not iterable:
                        data = _wrap_stop(where)
                    else:
                        data, stopped = IterableStopped(worker_id), True
                except Exception:
                    data = ExceptionWrapper(where)
            send(task, data)
    except KeyboardInterrupt:  # the main process handles Ctrl-C; workers just leave
        pass
    if done_event.is_set():
        result_queue.cancel_join_thread()
        result_queue.close()


def _wrap_stop(where: str) -> ExceptionWrapper:
    try:
        raise RuntimeError("a map-style dataset raised StopIteration from __getitem__")
    except RuntimeError:
        return ExceptionWrapper(where)
