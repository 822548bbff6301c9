"""Anomaly detection: name the forward op whose backward produced NaN or inf."""

from __future__ import annotations

import traceback
import warnings
from typing import Any

from .grad_mode import state

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "is_anomaly_check_nan_enabled"]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return state.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """True when anomaly mode also checks backward results for NaN (``check_nan=True``)."""
    return state.anomaly_check_nan


def record_trace(node) -> None:
    """Remember where in the user's code ``node``'s forward ran (only while anomaly mode is on)."""
    node._trace = "".join(traceback.format_stack()[:-3])


def check_gradients(node, grad_inputs) -> None:
    """Raise if ``node``'s backward returned NaN (or inf), naming the op and where its forward ran."""
    if not state.anomaly_check_nan:
        return
    for index, g in enumerate(grad_inputs):
        if g is None or not g.dtype.is_floating_point:
            continue
        xp = g._xp()
        if not bool(xp.isfinite(g._data).all()):
            if node._trace:
                warnings.warn(
                    f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
                    f"{node._trace}",
                    RuntimeWarning,
                    stacklevel=2,
                )
            kind = "nan" if bool(xp.isnan(g._data).any()) else "inf"
            raise RuntimeError(f"Function '{node.name()}' returned {kind} values in its {index}th output.")


class detect_anomaly:
    """Context manager/decorator: record forward tracebacks and fail fast on NaN/inf gradients."""

    def __init__(self, check_nan: bool = True) -> None:
        self._check_nan = check_nan

    def __enter__(self) -> None:
        self._previous = (state.anomaly, state.anomaly_check_nan)
        state.anomaly = True
        state.anomaly_check_nan = self._check_nan

    def __exit__(self, *exc: Any) -> None:
        state.anomaly, state.anomaly_check_nan = self._previous

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self._check_nan):
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off; usable as a plain call or a context manager."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._previous = (state.anomaly, state.anomaly_check_nan)
        state.anomaly = bool(mode)
        state.anomaly_check_nan = check_nan

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        state.anomaly, state.anomaly_check_nan = self._previous
