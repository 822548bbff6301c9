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
    checks: dict = field(default_factory=dict)  # reference name -> whether saessak's answer agreed with it

    def value(self, framework: str) -> float:
        return self.per_call(statistics.median(self.times[framework]))

    def speedup(self, framework: str) -> float:
        """How many times faster saessak is than ``framework`` (>1: saessak is faster)."""
        ratio = self.value("saessak") / self.value(framework)
        return ratio if self.higher_is_better else 1.0 / ratio

    def spread(self, framework: str) -> tuple[float, float]:
        values = [self.per_call(t) for t in self.times[framework]]
        return min(values), max(values)


def measure(result: Result, runners: dict[str, Callable[[], None]], repeats: int, warmup: int = 2,
            rounds: int = 5, settle: float = 0.3) -> Result:
    """Time each framework in ``rounds`` interleaved blocks of back-to-back repeats (``repeats`` in all).

    Blocks, not single runs, alternate, and each block starts after ``settle`` seconds of sleep: on 2 cores
    a framework's idle worker threads keep spinning after its last call (OpenBLAS's for about 0.1 s, which
    cut PyTorch's MLP step from ~45k to ~3k samples/s when it ran right after NumPy) and would be billed to
    whichever framework runs next. The first run of every block wakes its own threads and is not timed.
    """
    for run in runners.values():
        for _ in range(warmup):
            run()
    for name in runners:
        result.times[name] = []
    rounds = min(rounds, repeats)
    gc.collect()  # once before measuring; gc stays enabled, as in a real training loop
    for block in range(rounds):
        per_block = repeats // rounds + (block < repeats % rounds)  # exactly ``repeats`` timed runs in all
        for name, run in runners.items():
            time.sleep(settle)
            run()
            for _ in range(per_block):
                start = time.perf_counter()
                run()
                result.times[name].append(time.perf_counter() - start)
    return result
