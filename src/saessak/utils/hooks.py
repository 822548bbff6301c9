"""Removable handles returned by every ``register_*hook`` call."""

from __future__ import annotations

from typing import Any


class RemovableHandle:
    """Returned by ``register_hook``: call ``remove()`` (or use it as a context manager) to unhook."""

    def __init__(self, hooks: list | dict, hook: Any, key: Any = None) -> None:
        self._hooks = hooks
        self._hook = hook
        self._key = key

    def remove(self) -> None:
        """Detach the hook; removing twice is harmless."""
        if isinstance(self._hooks, dict):
            self._hooks.pop(self._key, None)
        else:
            try:
                self._hooks.remove(self._hook)
            except ValueError:
                pass

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()
