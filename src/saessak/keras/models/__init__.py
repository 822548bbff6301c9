"""``keras.models``: ``Model``, ``Sequential`` and ``load_model``.

>>> from saessak import keras
>>> keras.models.Sequential is keras.Sequential
True
"""

from .model import Model
from .saving import load_model
from .sequential import Sequential

__all__ = ["Model", "Sequential", "load_model"]
