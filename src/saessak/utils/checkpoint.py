"""``torch.utils.checkpoint``: activation checkpointing, trading compute for memory.

``checkpoint(function, *args)`` runs ``function`` without recording a graph, so none of its intermediate
activations are kept; only its inputs are. When backward reaches the segment, ``function`` runs again with
recording on (and, by default, the random state it saw the first time, so dropout draws the same mask) and
the gradients flow back through that recomputed graph. Parameters used inside ``function`` receive their
gradients during that inner backward.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import random as _random
from .._tensor import Tensor
from ..autograd import backward as _backward
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, is_grad_enabled

__all__ = ["checkpoint", "checkpoint_sequential"]


class _Recompute(Function):
    """One checkpointed segment: forward without a graph, backward by running the segment again."""

    _backward_name = "CheckpointFunctionBackward"

    @staticmethod
    def forward(ctx, *args, run, kwargs, preserve_rng_state):
        ctx.run, ctx.kwargs = run, kwargs
        ctx.rng_state = _random.get_rng_state() if preserve_rng_state else None
        ctx.inputs = args
        ctx.save_for_backward(*[a for a in args if isinstance(a, Tensor)])  # in-place changes are caught
        outputs = run(*args[1:], **kwargs)  # args[0] is the anchor, see checkpoint()
        return tuple(outputs) if isinstance(outputs, list) else outputs

    @staticmethod
    def backward(ctx, *grad_outputs):
        _ = ctx.saved_tensors  # raises if an input was modified in place or the graph was already freed
        inputs = [a.detach().requires_grad_(a.requires_grad) if isinstance(a, Tensor) else a for a in ctx.inputs]
        current_rng = _random.get_rng_state() if ctx.rng_state is not None else None
        if ctx.rng_state is not None:
            _random.set_rng_state(ctx.rng_state)
        try:
            with enable_grad():
                outputs = ctx.run(*inputs[1:], **ctx.kwargs)
        finally:
            if current_rng is not None:
                _random.set_rng_state(current_rng)
        outputs = tuple(outputs) if isinstance(outputs, list | tuple) else (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs)
                 if isinstance(o, Tensor) and o.requires_grad and g is not None]
        if pairs:
            _backward([o for o, _ in pairs], [g for _, g in pairs])
        return tuple(a.grad if isinstance(a, Tensor) and a.requires_grad else None for a in inputs)


def checkpoint(function: Callable, *args: Any, use_reentrant: bool | None = None, context_fn: Callable | None = None,
               determinism_check: str = "default", debug: bool = False, preserve_rng_state: bool = True,
               **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` without keeping its activations; they are recomputed in backward.

    ``function`` returns a Tensor or a tuple (a list comes back as a tuple).

    Outputs and gradients equal those of calling ``function`` directly. Parameters inside ``function`` get
    their gradients even when no input requires grad (PyTorch's ``use_reentrant=False`` behaviour, used for
    both settings here). Gradients reach such parameters through ``.backward()``, not ``autograd.grad``.

    >>> y = checkpoint(block, x, use_reentrant=False)
    """
    if not is_grad_enabled():  # nothing will be differentiated: no reason to keep or recompute anything
        return function(*args, **kwargs)
    # the anchor makes the segment part of the graph even when no input requires grad, so that the
    # parameters used inside it are reached in backward
    anchor = Tensor._make(np.zeros(0, dtype=np.float32), True)
    return _Recompute.apply(anchor, *args, run=function, kwargs=kwargs, preserve_rng_state=preserve_rng_state)


def checkpoint_sequential(functions, segments: int, input: Any, use_reentrant: bool | None = None,
                          **kwargs: Any) -> Any:
    """Run ``functions`` (an ``nn.Sequential`` or a list of modules) in ``segments`` checkpointed chunks.

    Every chunk but the last is checkpointed (its activations recomputed in backward), as in PyTorch.
    """
    if segments < 1:
        raise ValueError(f"checkpoint_sequential expected segments >= 1, got {segments}")
    modules = list(functions.children()) if hasattr(functions, "children") else list(functions)
    size = max(len(modules) // segments, 1)
    start = 0
    while start + size < len(modules):
        chunk = modules[start:start + size]
        input = checkpoint(_run_chunk, chunk, input, use_reentrant=use_reentrant, **kwargs)
        start += size
    return _run_chunk(modules[start:], input)


def _run_chunk(modules: list, input: Any) -> Any:
    for module in modules:
        input = module(input)
    return input
