"""``keras.layers``: the building blocks of Keras models, each a saessak ``nn.Module``.

>>> from saessak.keras import layers
>>> layers.Dense(10, activation="softmax").units
10
"""

from .base import Input, InputLayer, InputSpec, KerasTensor, Layer
from .convolutional import (
    AveragePooling1D,
    AveragePooling2D,
    Conv1D,
    Conv2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .core import (
    Activation,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Lambda,
    LeakyReLU,
    Permute,
    ReLU,
    RepeatVector,
    Rescaling,
    Reshape,
    Softmax,
)
from .merging import Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, add, concatenate
from .normalization import BatchNormalization, LayerNormalization
from .recurrent import GRU, LSTM, SimpleRNN

Convolution2D = Conv2D
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D

__all__ = [
    "Activation", "Add", "Average", "AveragePooling1D", "AveragePooling2D", "AvgPool2D", "BatchNormalization",
    "Concatenate", "Conv1D", "Conv2D", "Convolution2D", "Dense", "Dropout", "Embedding", "Flatten",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GRU", "Input",
    "InputLayer", "InputSpec", "KerasTensor", "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "LSTM",
    "MaxPool2D", "MaxPooling1D", "MaxPooling2D", "Maximum", "Minimum", "Multiply", "Permute", "ReLU",
    "RepeatVector", "Rescaling", "Reshape", "SimpleRNN", "Softmax", "Subtract", "add", "concatenate",
]
