"""``saessak.compile``: PyTorch 2's ``torch.compile`` entry point, so scripts that call it run unchanged.

saessak has no graph compiler: every op already runs eagerly through NumPy. ``compile`` therefore hands
back what it was given (a module or a function), exactly as ``torch.compile(..., backend="eager")`` would
behave, and works both as a call and as a decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def compile(model: Callable | None = None, *, fullgraph: bool = False, dynamic: bool | None = None,
            backend: str | Callable = "inductor", mode: str | None = None, options: dict | None = None,
            disable: bool = False) -> Any:
    """Return ``model`` unchanged (saessak runs eagerly); ``@saessak.compile`` and ``@saessak.compile()`` work too.

    >>> model = saessak.compile(nn.Linear(3, 2))   # the same module, still trainable
    """
    if model is None:
        return lambda fn: fn
    if not callable(model):
        raise RuntimeError(f"compile() expects a module or a function, got {type(model).__name__}")
    return model
