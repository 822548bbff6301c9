"""``saessak.nn.functional``: the functional form of every layer and loss (``import saessak.nn.functional as F``)."""

from __future__ import annotations

from ..ops.conv import conv1d, conv2d, conv_transpose2d, fold, unfold
from ..ops.pooling import adaptive_avg_pool2d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from ._functional.activation import *  # noqa: F403 - activations and dropout
from ._functional.activation import __all__ as _activation_all
from ._functional.loss import *  # noqa: F403 - every loss of _functional/loss.py is public here
from ._functional.loss import __all__ as _loss_all
from .modules.linear import bilinear, linear
from .modules.normalization import batch_norm, group_norm, layer_norm
from .modules.padding import interpolate, pad
from .modules.sparse import embedding, embedding_bag
from .modules.transformer import scaled_dot_product_attention

__all__ = [
    "linear", "bilinear", "batch_norm", "layer_norm", "group_norm", "embedding", "embedding_bag", "conv1d", "conv2d",
    "conv_transpose2d", "unfold", "fold", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
    "adaptive_avg_pool2d", "adaptive_max_pool2d", "scaled_dot_product_attention", "pad", "interpolate",
    *_activation_all, *_loss_all,
]
