"""``saessak.nn.functional``: the functional form of every layer and loss (``import saessak.nn.functional as F``)."""

from __future__ import annotations

from ..ops.softmax import log_softmax, one_hot, softmax
from ..ops.unary import relu, sigmoid, tanh
from .modules.linear import bilinear, linear

__all__ = ["linear", "bilinear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "one_hot"]
