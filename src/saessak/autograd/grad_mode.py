"""Grad modes: whether ops record the graph. Usable as context managers and as decorators."""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any


class _GradState(threading.local):
    """Per-thread switches read by every op before anything else (a new thread starts with grad on, as in torch)."""

    enabled = True
    inference = False
    anomaly = False
    anomaly_check_nan = True


state = _GradState()


def is_grad_enabled() -> bool:
    """True when ops record the graph for backward."""
    return state.enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return state.inference


class _Mode:
    """A context manager that sets grad mode on entry and restores it on exit; also a decorator."""

    _enable: bool = True

    def __enter__(self) -> None:
        self._previous = state.enabled
        state.enabled = self._enable

    def __exit__(self, *exc: Any) -> None:
        state.enabled = self._previous

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            return self._wrap_generator(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self._fresh():
                return fn(*args, **kwargs)

        return wrapper

    def _wrap_generator(self, fn):
        """A decorated generator runs each step of its body under the mode, not just its creation."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            generator = fn(*args, **kwargs)
            try:
                with self._fresh():
                    response = generator.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self._fresh():
                            generator.close()
                        raise
                    except BaseException as error:
                        with self._fresh():
                            response = generator.throw(error)
                    else:
                        with self._fresh():
                            response = generator.send(request)
            except StopIteration as stop:
                return stop.value

        return wrapper

    def _fresh(self) -> _Mode:
        return self


class _BareDecorator(_Mode):
    """Also usable as a bare decorator: ``@saessak.no_grad`` as well as ``@saessak.no_grad()``."""

    def __new__(cls, fn=None):
        if callable(fn):
            return cls()(fn)
        return super().__new__(cls)

    def __init__(self, fn=None) -> None:
        pass


class no_grad(_BareDecorator):
    """Disable graph recording: results do not require grad and no backward nodes are made.

    >>> with saessak.no_grad():
    ...     y = x * 2          # y.requires_grad is False
    """

    _enable = False

    def _fresh(self) -> no_grad:
        return no_grad()


class enable_grad(_BareDecorator):
    """Re-enable graph recording inside a ``no_grad`` block."""

    _enable = True

    def _fresh(self) -> enable_grad:
        return enable_grad()


class set_grad_enabled(_Mode):
    """Turn recording on or off: ``set_grad_enabled(False)`` as a call, context or decorator."""

    def __init__(self, mode: bool) -> None:
        self._enable = bool(mode)
        self._previous = state.enabled
        state.enabled = self._enable

    def __enter__(self) -> None:
        pass

    def __call__(self, fn):
        state.enabled = self._previous  # as a decorator it changes nothing until the call
        return super().__call__(fn)

    def _fresh(self) -> _Mode:
        return _SetGradContext(self._enable)


class _SetGradContext(_Mode):
    def __init__(self, mode: bool) -> None:
        self._enable = mode


class inference_mode(_Mode):
    """Like ``no_grad``, for inference-only code: nothing is recorded (``inference_mode(False)`` is a no-op)."""

    def __new__(cls, mode=True):
        if callable(mode):  # a bare @inference_mode
            return cls(True)(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self._mode = bool(mode)

    def __enter__(self) -> None:
        self._previous = state.enabled
        self._previous_inference = state.inference
        if self._mode:
            state.enabled = False
            state.inference = True

    def __exit__(self, *exc: Any) -> None:
        state.enabled = self._previous
        state.inference = self._previous_inference

    def _fresh(self) -> inference_mode:
        return inference_mode(self._mode)
