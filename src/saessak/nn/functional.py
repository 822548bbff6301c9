"""``saessak.nn.functional``: the functional form of every layer and loss (``import saessak.nn.functional as F``)."""

from __future__ import annotations

from ..ops.conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold
from ..ops.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d,
    adaptive_max_pool3d_with_indices,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool1d_with_indices,
    max_pool2d,
    max_pool2d_with_indices,
    max_pool3d,
    max_pool3d_with_indices,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
)
from ._functional.activation import *  # noqa: F403 - activations and dropout
from ._functional.activation import __all__ as _activation_all
from ._functional.grid import affine_grid, grid_sample
from ._functional.loss import *  # noqa: F403 - every loss of _functional/loss.py is public here
from ._functional.loss import __all__ as _loss_all
from ._functional.margin_loss import *  # noqa: F403 - the multi-class/label margin losses, Gaussian NLL
from ._functional.margin_loss import __all__ as _margin_loss_all
from .modules.distance import cosine_similarity, pairwise_distance, pdist
from .modules.linear import bilinear, linear
from .modules.normalization import batch_norm, group_norm, instance_norm, layer_norm, local_response_norm, rms_norm
from .modules.padding import interpolate, pad
from .modules.pixelshuffle import channel_shuffle, pixel_shuffle, pixel_unshuffle
from .modules.sparse import embedding, embedding_bag
from .modules.transformer import scaled_dot_product_attention
from .modules.upsampling import upsample, upsample_bilinear, upsample_nearest

__all__ = [
    "linear", "bilinear", "batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
    "local_response_norm", "embedding", "embedding_bag", "conv1d", "conv2d",
    "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "unfold", "fold", "max_pool1d",
    "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices", "max_pool3d_with_indices",
    "avg_pool1d", "avg_pool2d", "avg_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "adaptive_avg_pool1d",
    "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices",
    "scaled_dot_product_attention", "pad", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
    "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "cosine_similarity", "pairwise_distance", "pdist",
    "affine_grid", "grid_sample",
    *_activation_all, *_loss_all, *_margin_loss_all,
]
