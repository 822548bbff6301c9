"""``saessak.keras``: Keras' high-level API (Sequential, layers, compile/fit) on saessak's engine.

Layers are saessak ``nn.Module``s holding their weights in Keras' layout; ``fit`` trains with saessak's
autograd and a ``saessak.optim`` optimizer.

>>> from saessak import keras
>>> model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)), keras.layers.Dense(1)])
>>> model.count_params()
21
"""

from ..gradient_tape import GradientTape, Variable
from . import (
    activations,
    backend,
    callbacks,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    regularizers,
    utils,
)
from .layers import Input, InputLayer, KerasTensor, Layer
from .models import Model, Sequential
from .models.saving import load_model

__all__ = [
    "GradientTape", "Variable",
    "Input", "InputLayer", "KerasTensor", "Layer", "Model", "Sequential", "activations", "backend", "callbacks",
    "datasets", "initializers", "layers", "load_model", "losses", "metrics", "models", "ops", "optimizers",
    "regularizers", "utils",
]
