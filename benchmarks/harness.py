"""Timing harness: interleaved repeats of saessak and torch in one process, medians and min/max."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """Seconds per call for each framework, over repeats."""

    name: str
    unit: str
    per_call: Callable[[float], float]  # seconds per repeat -> reported value (e.g. us/op or samples/s)
    higher_is_better: bool
    times: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def value(self, framework: str) -> float:
        return self.per_call(statistics.median(self.times[framework]))

    def spread(self, framework: str) -> tuple[float, float]:
        values = [self.per_call(t) for t in self.times[framework]]
        return min(values), max(values)


def measure(result: Result, runners: dict[str, Callable[[], None]], repeats: int, warmup: int = 2,
            rounds: int = 3) -> Result:
    """Time each framework in ``rounds`` interleaved blocks of back-to-back repeats (``repeats`` in all).

    Blocks, not single runs, alternate: on 2 cores a framework's idle worker threads (OpenMP spinning or
    waking up) would otherwise be billed to whichever framework runs next. The first run of every block
    is a warm-up and is not timed.
    """
    for run in runners.values():
        for _ in range(warmup):
            run()
    for name in runners:
        result.times[name] = []
    per_block = max(1, -(-repeats // rounds))
    gc.collect()  # once before measuring; gc stays enabled, as in a real training loop
    for _ in range(rounds):
        for name, run in runners.items():
            run()
            for _ in range(per_block):
                start = time.perf_counter()
                run()
                result.times[name].append(time.perf_counter() - start)
    return result
