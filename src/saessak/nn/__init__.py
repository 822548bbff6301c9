"""``saessak.nn``: modules, layers, losses, ``functional`` and ``init``, with PyTorch's names."""

from . import functional, init, modules, parameter, utils
from .modules import *  # noqa: F403 - the layer classes are the public surface of nn
from .modules import __all__ as _modules_all
from .parameter import Buffer, Parameter

__all__ = ["Parameter", "Buffer", "functional", "init", "modules", "parameter", "utils", *_modules_all]
