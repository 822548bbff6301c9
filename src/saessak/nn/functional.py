"""``saessak.nn.functional``: the functional form of every layer and loss (``import saessak.nn.functional as F``)."""

from __future__ import annotations

from ..ops.softmax import log_softmax, one_hot, softmax
from ..ops.unary import relu, sigmoid, tanh
from .modules.linear import bilinear, linear
from .modules.normalization import batch_norm, group_norm, layer_norm
from .modules.sparse import embedding, embedding_bag

__all__ = [
    "linear", "bilinear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "one_hot", "batch_norm", "layer_norm",
    "group_norm", "embedding", "embedding_bag",
]
