"""Every layer, loss and container of ``saessak.nn``."""

from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .linear import Bilinear, Flatten, Identity, LazyLinear, Linear, Unflatten
from .module import Module

__all__ = [
    "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Identity", "Linear",
    "Bilinear", "LazyLinear", "Flatten", "Unflatten",
]
