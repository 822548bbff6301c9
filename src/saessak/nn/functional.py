"""``saessak.nn.functional``: the functional form of every layer and loss (``import saessak.nn.functional as F``)."""

from __future__ import annotations

from ..ops.conv import (
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv_transpose2d,
    fold,
    max_pool1d,
    max_pool2d,
    unfold,
)
from ..ops.softmax import log_softmax, one_hot, softmax
from ..ops.unary import relu, sigmoid, tanh
from ._functional.loss import *  # noqa: F403 - every loss of _functional/loss.py is public here
from ._functional.loss import __all__ as _loss_all
from .modules.dropout import alpha_dropout, dropout, dropout1d, dropout2d
from .modules.linear import bilinear, linear
from .modules.normalization import batch_norm, group_norm, layer_norm
from .modules.padding import interpolate, pad
from .modules.sparse import embedding, embedding_bag
from .modules.transformer import scaled_dot_product_attention

__all__ = [
    "linear", "bilinear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "one_hot", "batch_norm", "layer_norm",
    "group_norm", "embedding", "embedding_bag", "conv1d", "conv2d", "conv_transpose2d", "unfold", "fold",
    "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d",
    "dropout", "dropout1d", "dropout2d", "alpha_dropout", "scaled_dot_product_attention", "pad", "interpolate",
    *_loss_all,
]
