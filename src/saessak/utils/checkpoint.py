"""``torch.utils.checkpoint``: activation checkpointing, here a plain call with the same results.

PyTorch's checkpoint frees a segment's activations after forward and recomputes them in backward, trading
compute for memory. saessak keeps the activations instead: outputs and gradients are the same, only the
memory saving is absent, so scripts written for PyTorch run unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["checkpoint", "checkpoint_sequential"]


def checkpoint(function: Callable, *args: Any, use_reentrant: bool | None = None, context_fn: Callable | None = None,
               determinism_check: str = "default", debug: bool = False, early_stop: bool = True, **kwargs: Any):
    """``function(*args, **kwargs)``, with gradients flowing as if it were called directly.

    >>> y = checkpoint(layer, x, use_reentrant=False)
    """
    return function(*args, **kwargs)


def checkpoint_sequential(functions, segments: int, input: Any, use_reentrant: bool | None = None, **kwargs: Any):
    """Run ``functions`` (an ``nn.Sequential`` or a list of modules) one after another on ``input``.

    ``segments`` says how PyTorch would split the chain for recomputation; the result does not depend on it.
    """
    if segments < 1:
        raise ValueError(f"checkpoint_sequential expected segments >= 1, got {segments}")
    modules = list(functions.children()) if hasattr(functions, "children") else list(functions)
    for module in modules:
        input = module(input)
    return input
