"""``DataLoader``: batches from a dataset, in the main process or in worker processes.

The loader turns a sampler's indices (or a stream) into batches. With ``num_workers > 0`` each worker has
its own index queue; all share one result queue. Tasks are numbered as they are handed out round-robin and
results are delivered in that order, whatever order they arrive in. At most ``prefetch_factor`` tasks per
worker are in flight.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import queue
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ... import dtypes
from ... import random as _random
from . import _worker
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]

get_worker_info = _worker.get_worker_info


class _InfiniteConstantSampler(Sampler):
    """Yields ``None`` forever: an IterableDataset needs no indices, only a count per batch."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class DataLoader:
    """Iterate over a dataset in batches, optionally shuffled and loaded by worker processes.

    ``batch_size=None`` turns batching off (each item is converted, not collated). ``shuffle`` and
    ``sampler`` choose the order; ``batch_sampler`` replaces batch_size, shuffle, sampler and drop_last.
    With ``num_workers > 0`` samples are loaded by that many processes, each seeded with ``base_seed +
    worker_id`` (saessak's default generator, Python's ``random`` and NumPy's global state), running
    ``worker_init_fn(worker_id)`` first; batches still arrive in sampler order.

    >>> data = TensorDataset(saessak.randn(10, 3), saessak.arange(10))
    >>> for x, y in DataLoader(data, batch_size=4, shuffle=True):
    ...     print(x.shape, y.shape)       # (4, 3) (4,) twice, then (2, 3) (2,)
    """

    _initialized = False

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: _random.Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing. Let "
                             "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, but "
                                     f"got {name}={value}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory  # host memory is all there is to pin on the CPU; accepted as a no-op
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.generator = generator
        self.persistent_workers = persistent_workers
        self.in_order = in_order
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if self._auto_collation else default_convert)
        self._iterator: _MultiProcessIter | None = None
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._initialized and name in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                          "persistent_workers"):
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Iterable:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self) -> Iterator:
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        self.check_worker_number_rationality()
        if not self.persistent_workers:
            return _MultiProcessIter(self)
        if self._iterator is None or self._iterator._shutdown:  # first epoch, or the workers were lost
            self._iterator = _MultiProcessIter(self)
        else:
            self._iterator._reset(first_epoch=False)
        return self._iterator

    def __len__(self) -> int:
        if not self._iterable:
            return len(self._index_sampler)
        length = len(self.dataset)  # a TypeError here says the stream has no length, as PyTorch's does
        if self.batch_size is not None:
            length = length // self.batch_size if self.drop_last else -(-length // self.batch_size)
        return length

    def check_worker_number_rationality(self) -> None:
        """Warn when more workers are asked for than this machine has CPUs."""
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        if cpus is not None and self.num_workers > cpus:
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. Our "
                          f"suggested max number of worker in current system is {cpus}, which is smaller than what "
                          "this DataLoader is going to create. Please be aware that excessive worker creation "
                          "might get DataLoader running slow or even freeze, lower the worker number to avoid "
                          "potential slowness/freeze if necessary.", stacklevel=2)


# ---------------------------------------------------------------- iterators
class _BaseIter:
    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        self._dataset = loader.dataset
        self._iterable = loader._iterable
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._collate_fn = loader.collate_fn
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = int(_random.randint(0, 2**63 - 1, (), dtype=dtypes.int64,
                                              generator=loader.generator).item())
        self._yielded = 0

    def __iter__(self) -> _BaseIter:
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def _next_index(self):
        return next(self._sampler_iter)

    def __next__(self):
        data = self._next_data()
        self._yielded += 1
        return data


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        fetcher_type = _worker.IterFetcher if self._iterable else _worker.MapFetcher
        self._fetcher = fetcher_type(self._dataset, self._auto_collation, self._collate_fn, self._drop_last)

    def _next_data(self):
        return self._fetcher.fetch(self._next_index())


def _default_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


class _MultiProcessIter(_BaseIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._shutdown = True  # until the workers exist there is nothing to shut down
        self._owner_pid = os.getpid()  # a forked worker inherits this object and must never shut it down
        self._num_workers = loader.num_workers
        self._capacity = max(1, loader.prefetch_factor * loader.num_workers)  # tasks in flight at most
        self._persistent = loader.persistent_workers
        self._timeout = loader.timeout
        context = loader.multiprocessing_context
        if context is None:
            context = _default_context()
        elif isinstance(context, str):
            context = multiprocessing.get_context(context)
        self._result_queue = context.Queue()
        self._done_event = context.Event()
        self._index_queues = []
        self._workers = []
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns that fork() in a threaded process may deadlock
                warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
                for worker_id in range(self._num_workers):
                    index_queue = context.Queue()
                    index_queue.cancel_join_thread()  # a dead worker must not block our exit on its queue
                    process = context.Process(
                        target=_worker.worker_loop,
                        args=(self._iterable, self._dataset, index_queue, self._result_queue, self._done_event,
                              self._auto_collation, self._collate_fn, self._drop_last, self._base_seed,
                              loader.worker_init_fn, worker_id, self._num_workers, os.getpid()),
                        daemon=True,
                    )
                    process.start()
                    self._index_queues.append(index_queue)
                    self._workers.append(process)
                    self._shutdown = False
        except BaseException:
            self._shutdown_workers()
            raise
        self._reset(first_epoch=True)

    def _reset(self, first_epoch: bool) -> None:
        self._sampler_iter = iter(self._index_sampler)
        self._yielded = 0
        self._send_idx = 0  # the next task number to hand out
        self._rcvd_idx = 0  # the next task number to deliver
        self._task_info: dict[int, tuple] = {}  # task -> (worker_id,) while pending, (worker_id, data) when early
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first_epoch:  # persistent workers: restart each worker's stream and wait for all to confirm
            for index_queue in self._index_queues:
                index_queue.put(_worker.ResumeIteration())
            waiting = self._num_workers
            while waiting > 0:
                task, _ = self._get_data()
                if isinstance(task, _worker.ResumeIteration):
                    waiting -= 1
        for _ in range(self._capacity):
            self._try_put_index()

    def _try_put_index(self) -> None:
        if self._tasks_outstanding >= self._capacity:
            return
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next worker still serving
            worker_id = next(self._worker_cycle)
            if self._workers_status[worker_id]:
                break
        else:
            return  # every worker's stream has ended
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _try_get_data(self, timeout: float) -> tuple[bool, Any]:
        try:
            message = self._result_queue.get(timeout=timeout)
        except queue.Empty:
            failed = [w for w, p in enumerate(self._workers) if self._workers_status[w] and not p.is_alive()]
            if failed:
                pids = ", ".join(str(self._workers[w].pid) for w in failed)
                codes = ", ".join(str(self._workers[w].exitcode) for w in failed)
                for worker_id in failed:
                    self._mark_worker_unavailable(worker_id)
                self._shutdown_workers()
                raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly (exit code(s) {codes}); "
                                   "the dataset may have crashed the process (out of memory, a segfault, "
                                   "os._exit). Try num_workers=0 to see the error in the main process") from None
            return False, None
        return True, pickle.loads(message)

    def _get_data(self) -> tuple[Any, Any]:
        if self._timeout > 0:
            success, data = self._try_get_data(self._timeout)
            if not success:
                self._shutdown_workers()
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            return data
        while True:
            success, data = self._try_get_data(_worker.STATUS_CHECK_INTERVAL)
            if success:
                return data

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx:  # skip tasks of workers whose stream has ended
                info = self._task_info[self._rcvd_idx]
                if len(info) == 2 or self._workers_status[info[0]]:
                    break
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:  # arrived earlier, out of order
                return self._process(self._task_info.pop(self._rcvd_idx)[1])
            if self._shutdown:
                raise StopIteration
            task, data = self._get_data()
            self._tasks_outstanding -= 1
            if isinstance(data, _worker.IterableStopped):
                if self._persistent:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if task != self._rcvd_idx:
                self._task_info[task] += (data,)
                continue
            del self._task_info[task]
            return self._process(data)

    def _process(self, data):
        self._rcvd_idx += 1
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    def _mark_worker_unavailable(self, worker_id: int) -> None:
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self) -> None:
        if self._shutdown or os.getpid() != self._owner_pid:
            return
        self._shutdown = True
        try:
            self._done_event.set()
            for worker_id in range(len(self._workers)):
                self._index_queues[worker_id].put(None)
            for process in self._workers:
                process.join(timeout=_worker.STATUS_CHECK_INTERVAL * 8)
                if process.is_alive():
                    process.terminate()
                    process.join(timeout=1)
        finally:
            for index_queue in self._index_queues:
                index_queue.cancel_join_thread()
                index_queue.close()
            self._result_queue.cancel_join_thread()
            self._result_queue.close()

    def __del__(self) -> None:
        if not getattr(self, "_shutdown", True):
            try:
                self._shutdown_workers()
            except Exception:  # at interpreter exit modules may already be gone; daemon workers die with us
                pass
