"""TensorFlow-style ``GradientTape`` and ``Variable``, a thin layer over saessak's autograd.

saessak records every op on tensors that require grad, tape or not; a tape decides *what to differentiate
with respect to*. ``tape.watch(x)`` marks ``x`` as requiring grad (so the ops after it are recorded), and
``tape.gradient(target, sources)`` is ``autograd.grad`` with TensorFlow's conventions: a non-scalar target
is summed, sources may be a tensor, a list/tuple or a dict, unconnected sources give ``None`` (or zeros), and
a gradient taken while an outer tape is recording is itself recorded, so nested tapes give higher orders.

>>> x = saessak.tensor(3.0)
>>> with saessak.GradientTape(persistent=True) as tape:
...     tape.watch(x)
...     y = x * x
...     z = y * y
>>> tape.gradient(z, x), tape.gradient(y, x)
(tensor(108.), tensor(6.))
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import autograd
from ._tensor import Tensor
from .autograd.grad_mode import no_grad
from .creation import ones_like, tensor, zeros_like

__all__ = ["GradientTape", "Variable"]

_recording = threading.local()


def _active_tapes() -> list:
    if not hasattr(_recording, "tapes"):
        _recording.tapes = []
    return _recording.tapes


def is_recording() -> bool:
    """True inside the ``with`` block of a GradientTape (on this thread)."""
    return any(tape._recording for tape in _active_tapes())


class Variable(Tensor):
    """Trainable state, TensorFlow-style: a tensor that requires grad when ``trainable`` (the default).

    >>> w = saessak.Variable(saessak.zeros(3), name="w")
    >>> w.assign_add(saessak.ones(3))
    """

    def __new__(cls, initial_value: Any = None, trainable: bool = True, name: str | None = None, dtype=None):
        if initial_value is None:
            raise ValueError("Variable needs an initial_value")
        if isinstance(initial_value, Tensor):
            data = initial_value.detach().clone()
            if dtype is not None:
                data = data.to(dtype)
        else:
            data = tensor(initial_value, dtype=dtype)
        v = object.__new__(cls)
        v._data = data._data
        v._vc = [0]
        if trainable:
            if not data.dtype.is_floating_point:
                raise ValueError(f"a trainable Variable must have a floating dtype, got {data.dtype} "
                                 "(pass a float value or trainable=False)")
            v._requires_grad = True
        v.name = name
        v.trainable = bool(trainable)
        return v

    def __init__(self, initial_value: Any = None, trainable: bool = True, name: str | None = None,
                 dtype=None) -> None:
        pass

    def __repr__(self) -> str:
        label = f" '{self.name}'" if self.name else ""
        return f"<Variable{label} shape={tuple(self.shape)} dtype={self.dtype}, numpy=\n{self.detach().numpy()!r}>"

    def _set(self, value) -> Variable:
        value = value if isinstance(value, Tensor) else tensor(value, dtype=self.dtype)
        if tuple(value.shape) != tuple(self.shape):
            raise ValueError(f"Cannot assign a value of shape {tuple(value.shape)} to a Variable of shape "
                             f"{tuple(self.shape)}")
        with no_grad():
            self.copy_(value)
        return self

    def assign(self, value) -> Variable:
        """Replace the value in place (no gradient flows through an assignment)."""
        return self._set(value)

    def assign_add(self, delta) -> Variable:
        """``self += delta`` in place."""
        return self._set(self.detach() + delta)

    def assign_sub(self, delta) -> Variable:
        """``self -= delta`` in place."""
        return self._set(self.detach() - delta)


class GradientTape:
    """Records what to differentiate, and computes gradients of a target with respect to sources.

    ``persistent=True`` allows several ``gradient``/``jacobian`` calls; ``watch_accessed_variables=False``
    restricts gradients to the tensors passed to ``watch``.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._watched: dict[int, Tensor] = {}
        self._used = False
        self._recording = False

    # ---------------------------------------------------------------- context
    def __enter__(self) -> GradientTape:
        self._recording = True
        _active_tapes().append(self)
        return self

    def __exit__(self, *exc) -> None:
        self._recording = False
        tapes = _active_tapes()
        if self in tapes:
            tapes.remove(self)

    @contextmanager
    def stop_recording(self) -> Iterator[None]:
        """Within this block, ops are not recorded (by this tape or any other)."""
        if not self._recording:
            raise RuntimeError("stop_recording() needs a tape that is recording (use it inside the tape's with-block)")
        with no_grad():
            yield

    def reset(self) -> None:
        """Forget what was watched, and allow gradients to be taken again."""
        self._watched.clear()
        self._used = False

    def watch(self, tensor: Any) -> None:
        """Differentiate with respect to ``tensor`` (or every tensor of a list/tuple/dict)."""
        for t in _flatten(tensor):
            if not isinstance(t, Tensor):
                raise TypeError(f"GradientTape.watch expects tensors, got {type(t).__name__}")
            if not t.dtype.is_floating_point:
                raise ValueError(f"cannot watch a tensor of dtype {t.dtype}: only floating tensors have gradients")
            if not t.requires_grad:
                if t.grad_fn is not None:
                    raise ValueError("cannot watch a tensor computed from unwatched inputs; watch them instead")
                t.requires_grad_(True)
            self._watched[id(t)] = t

    def watched_variables(self) -> tuple:
        """The tensors watched so far."""
        return tuple(self._watched.values())

    # ---------------------------------------------------------------- gradients
    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: str = "none") -> Any:
        """d(sum of target)/d(sources), in the structure of ``sources`` (a tensor, a list/tuple, or a dict)."""
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"unconnected_gradients must be 'none' or 'zero', got '{unconnected_gradients}'")
        self._claim()
        targets = [t for t in _flatten(target)]
        flat_sources = _flatten(sources)
        if output_gradients is None:
            grad_outputs = [ones_like(t) for t in targets]
        else:
            grad_outputs = _flatten(output_gradients)
            if len(grad_outputs) != len(targets):
                raise ValueError(f"output_gradients has {len(grad_outputs)} entries for {len(targets)} targets")
        grads = self._grad(targets, grad_outputs, flat_sources)
        if unconnected_gradients == "zero":
            grads = [zeros_like(s) if g is None else g for g, s in zip(grads, flat_sources)]
        return _unflatten(sources, grads)

    def jacobian(self, target: Tensor, sources: Any, unconnected_gradients: str = "none") -> Any:
        """The full Jacobian: for each source, a tensor of shape ``target.shape + source.shape``."""
        self._claim()
        flat_sources = _flatten(sources)
        rows = [[] for _ in flat_sources]
        flat_target = target.reshape(-1)
        for k in range(flat_target.numel()):
            seed = zeros_like(flat_target)
            seed._data[k] = 1
            grads = self._grad([flat_target], [seed], flat_sources, keep=True)
            for i, g in enumerate(grads):
                rows[i].append(g)
        from .ops.join import stack

        result = []
        for row, s in zip(rows, flat_sources):
            if row and all(g is None for g in row) and unconnected_gradients == "none":
                result.append(None)
                continue
            row = [zeros_like(s) if g is None else g for g in row] or [zeros_like(s)][:0]
            shape = tuple(target.shape) + tuple(s.shape)
            result.append(stack(row, 0).reshape(shape) if row else zeros_like(s).reshape(-1)[:0].reshape(shape))
        return _unflatten(sources, result)

    def _claim(self) -> None:
        if self._used and not self.persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of gradients (or "
                               "jacobians); create it with GradientTape(persistent=True) to take several")
        self._used = True

    def _grad(self, targets: list, grad_outputs: list, sources: list, keep: bool = False) -> list:
        # a gradient taken while a tape records is part of that tape's computation: keep its graph
        outer = any(t._recording and t is not self for t in _active_tapes()) or self._recording
        wanted = []
        for s in sources:
            if not isinstance(s, Tensor):
                raise TypeError(f"GradientTape.gradient sources must be tensors, got {type(s).__name__}")
            watched = id(s) in self._watched or (self.watch_accessed_variables and s.requires_grad)
            wanted.append(watched and s.requires_grad)
        connected = [t for t in targets if t.requires_grad]
        if not connected or not any(wanted):
            return [None] * len(sources)
        outputs = [t for t in targets if t.requires_grad]
        seeds = [g for t, g in zip(targets, grad_outputs) if t.requires_grad]
        inputs = [s for s, w in zip(sources, wanted) if w]
        grads = autograd.grad(outputs, inputs, grad_outputs=seeds, retain_graph=True if (self.persistent or keep)
                              else None, create_graph=outer, allow_unused=True)
        grads = iter(grads)
        return [next(grads) if w else None for w in wanted]


def _flatten(value: Any) -> list:
    if isinstance(value, dict):
        return [v for key in value for v in _flatten(value[key])]
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _flatten(item)]
    return [value]


def _unflatten(structure: Any, values: list) -> Any:
    iterator = iter(values)

    def build(node):
        if isinstance(node, dict):
            return {key: build(node[key]) for key in node}
        if isinstance(node, (list, tuple)):
            return type(node)(build(item) for item in node)
        return next(iterator)

    return build(structure)
