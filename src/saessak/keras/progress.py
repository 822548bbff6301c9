"""Keras' progress line, drawn with tqdm:

``1875/1875 [==============================] - 4s 2ms/step - loss: 0.2900 - accuracy: 0.8900``

On a terminal (or in Jupyter) the line updates in place while an epoch runs; when the output is not a
terminal (a log file, captured output) only the finished line is printed, so logs hold no carriage returns.
``verbose=2`` prints one summary line per epoch: ``1875/1875 - 4s - loss: 0.2900 - 4s/epoch - 2ms/step``.

>>> bar = Progbar(2, verbose=1)
>>> bar.update(1, {"loss": 0.5})
>>> bar.update(2, {"loss": 0.25}, finalize=True)  # doctest: +ELLIPSIS
2/2 [==============================] - 0s ...us/step - loss: 0.2500
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from tqdm import tqdm

__all__ = ["Progbar", "format_line"]

_WIDTH = 30


def _format_values(values: dict[str, float]) -> str:
    parts = []
    for key, value in values.items():
        value = float(value)
        parts.append(f"{key}: {value:.4f}" if abs(value) > 1e-3 or value == 0 else f"{key}: {value:.4e}")
    return " - ".join(parts)


def _format_duration(seconds: float, unit: str) -> str:
    """``2ms/step``: seconds, milliseconds or microseconds, whichever reads best."""
    if seconds >= 1:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit}"
    return f"{seconds * 1e6:.0f}us/{unit}"


def _format_eta(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if seconds >= 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


def _bar(current: int, target: int) -> str:
    filled = int(_WIDTH * current / target) if target else _WIDTH
    if current >= target:
        return "=" * _WIDTH
    return ("=" * max(filled - 1, 0) + ">").ljust(_WIDTH, ".") if filled else "." * _WIDTH


def format_line(current: int, target: int | None, elapsed: float, values: str = "", unit: str = "step") -> str:
    """One progress line: a bar and ETA while running, the time and time per step once ``current == target``."""
    suffix = f" - {values}" if values else ""
    if target is None:
        return f"{current:>7}/Unknown - {elapsed:.0f}s {_format_duration(elapsed / max(current, 1), unit)}{suffix}"
    count = f"{current:>{len(str(target))}}/{target}"
    if current < target:
        eta = elapsed / current * (target - current) if current else 0.0
        return f"{count} [{_bar(current, target)}] - ETA: {_format_eta(eta)}{suffix}"
    per_step = _format_duration(elapsed / max(current, 1), unit)
    return f"{count} [{_bar(current, target)}] - {elapsed:.0f}s {per_step}{suffix}"


class _KerasTqdm(tqdm):
    """tqdm drawing Keras' line: tqdm keeps the timing, rate limiting and in-place redraw."""

    @staticmethod
    def format_meter(n: int, total: int | None, elapsed: float, postfix: Any = None, **kwargs: Any) -> str:
        return format_line(int(n), None if total is None else int(total), elapsed, postfix or "",
                           kwargs.get("unit", "step"))


def _interactive(stream: IO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return True
    except ValueError:  # a closed stream
        return False
    return "ipykernel" in sys.modules


class Progbar:
    """A progress display for ``target`` steps (``None`` if unknown) at a Keras ``verbose`` level.

    ``update(current, values, finalize)`` moves it to step ``current`` with the running ``values``
    (a dict of metric name -> number); ``finalize=True`` ends the line.
    """

    def __init__(self, target: int | None, verbose: int = 1, unit_name: str = "step", file: IO | None = None):
        self.target, self.verbose, self.unit_name = target, int(verbose), unit_name
        self.file = file if file is not None else sys.stdout
        self._start = time.perf_counter()
        self._values: dict[str, float] = {}
        self._current = 0
        self._finished = False
        self._bar: _KerasTqdm | None = None
        if self.verbose == 1 and _interactive(self.file):
            self._bar = _KerasTqdm(total=target, file=self.file, leave=True, mininterval=0.05, unit=unit_name,
                                   dynamic_ncols=False, ascii=True, nrows=20)

    def update(self, current: int, values: dict[str, float] | list | None = None, finalize: bool | None = None):
        """Record progress; print or redraw as the verbosity and the stream allow."""
        if values:
            self._values.update(dict(values))
        self._current = int(current)
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self._bar is not None:
            self._bar.set_postfix_str(_format_values(self._values), refresh=False)
            if finalize and self._bar.total is None:
                self._bar.total = self._current
            self._bar.update(self._current - self._bar.n)
        if finalize:
            self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        elapsed = time.perf_counter() - self._start
        values = _format_values(self._values)
        if self._bar is not None:
            self._bar.refresh()
            self._bar.close()
        elif self.verbose == 1:
            target = self.target if self.target is not None else self._current
            print(format_line(self._current, target, elapsed, values, self.unit_name), file=self.file, flush=True)
        elif self.verbose == 2:
            target = self.target if self.target is not None else self._current
            parts = [f"{self._current}/{target}", f"{elapsed:.0f}s"] + ([values] if values else [])
            parts += [_format_duration(elapsed, "epoch"), _format_duration(elapsed / max(self._current, 1),
                                                                           self.unit_name)]
            print(" - ".join(parts), file=self.file, flush=True)
