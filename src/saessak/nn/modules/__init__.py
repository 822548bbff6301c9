"""Every layer, loss and container of ``saessak.nn``."""

from .activation import *  # noqa: F403 - the activation modules
from .activation import __all__ as _activation_all
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .fold import Fold, Unfold
from .linear import Bilinear, Flatten, Identity, LazyLinear, Linear, Unflatten
from .loss import *  # noqa: F403 - the loss modules
from .loss import __all__ as _loss_all
from .module import Module
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    GroupNorm,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
    LayerNorm,
    LocalResponseNorm,
    RMSNorm,
)
from .padding import *  # noqa: F403 - the padding modules
from .padding import __all__ as _padding_all
from .pixelshuffle import ChannelShuffle, PixelShuffle, PixelUnshuffle
from .pooling import *  # noqa: F403 - the pooling modules
from .pooling import __all__ as _pooling_all
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell
from .sparse import Embedding, EmbeddingBag
from .transformer import (
    MultiheadAttention,
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = [
    "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Identity", "Linear",
    "Bilinear", "LazyLinear", "Flatten", "Unflatten", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm",
    "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "RMSNorm", "LocalResponseNorm", "Embedding",
    "EmbeddingBag", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "RNNBase", "RNN", "LSTM", "GRU", "RNNCell",
    "LSTMCell", "GRUCell", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    "MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder", "TransformerDecoderLayer",
    "TransformerDecoder", "Transformer", "PixelShuffle", "PixelUnshuffle",
    "ChannelShuffle", "CosineSimilarity", "PairwiseDistance", "Fold", "Unfold",
    *_padding_all,
    *_pooling_all,
    *_loss_all,
    *_activation_all,
]
