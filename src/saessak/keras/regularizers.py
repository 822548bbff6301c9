"""Weight penalties added to the training loss: ``l1``, ``l2``, ``l1_l2``.

>>> from saessak import keras, ones
>>> round(float(keras.regularizers.l2(0.01)(ones(2, 2))), 6)
0.04
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["L1", "L1L2", "L2", "Regularizer", "get", "l1", "l1_l2", "l2"]


class Regularizer:
    """Base class: ``regularizer(weight) -> scalar tensor`` added to the loss."""

    def __call__(self, x):
        raise NotImplementedError(f"{type(self).__name__} must define __call__(x)")

    def get_config(self) -> dict:
        return {}


class L1L2(Regularizer):
    """``l1 * sum(|w|) + l2 * sum(w ** 2)``."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * x.abs().sum()
        if self.l2:
            penalty = penalty + self.l2 * (x * x).sum()
        return penalty if not isinstance(penalty, float) else x.sum() * 0.0

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2})"


class L1(L1L2):
    """``l1 * sum(|w|)`` (default factor 0.01)."""

    def __init__(self, l1: float = 0.01) -> None:
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    """``l2 * sum(w ** 2)`` (default factor 0.01)."""

    def __init__(self, l2: float = 0.01) -> None:
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


def l1(l1: float = 0.01) -> L1:
    """An :class:`L1` penalty."""
    return L1(l1)


def l2(l2: float = 0.01) -> L2:
    """An :class:`L2` penalty."""
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """An :class:`L1L2` penalty (Keras' defaults: 0.01 each)."""
    return L1L2(l1, l2)


def get(identifier: str | Regularizer | Callable | None) -> Callable | None:
    """A regularizer from ``'l1'``, ``'l2'``, ``'l1_l2'``, an instance, a callable, or None."""
    if identifier is None or callable(identifier):
        return identifier
    names = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2}
    if isinstance(identifier, str) and identifier.lower() in names:
        return names[identifier.lower()]()
    raise ValueError(f"Unknown regularizer: {identifier!r}. Valid names are: l1, l2, l1_l2; or pass a callable.")
