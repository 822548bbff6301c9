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


def measure(result: Result, runners: dict[str, Callable[[], None]], repeats: int, warmup: int = 2) -> Result:
    """Run each framework's callable ``warmup`` times, then ``repeats`` times interleaved; record seconds."""
    for run in runners.values():
        for _ in range(warmup):
            run()
    for name in runners:
        result.times[name] = []
    # one collection before measuring; none between repeats, as in a real training loop (gc stays enabled)
    gc.collect()
    for _ in range(repeats):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            result.times[name].append(time.perf_counter() - start)
    return result
