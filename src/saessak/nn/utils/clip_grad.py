"""Gradient clipping: scale gradients in place so their total norm (or each value) stays bounded."""

from __future__ import annotations

import math

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad


def _grads(parameters) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach=None) -> Tensor:
    """Scale all gradients together so their combined ``norm_type``-norm is at most ``max_norm``.

    Returns the total norm before clipping (a tensor), as PyTorch does.
    """
    from ...creation import tensor
    from ...ops.join import stack

    grads = _grads(parameters)
    if not grads:
        return tensor(0.0)
    with no_grad():
        norms = stack([g.detach().norm(norm_type) for g in grads])
        total = norms.amax() if norm_type == math.inf else norms.norm(norm_type)
        if error_if_nonfinite and not bool(total.isfinite()):
            raise RuntimeError(
                f"The total norm of order {float(norm_type)} for gradients from `parameters` is non-finite, so it "
                "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                "`error_if_nonfinite=False`"
            )
        coefficient = max_norm / (total.item() + 1e-6)
        if coefficient < 1.0:
            for g in grads:
                g.mul_(coefficient)
    return total


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]`` in place."""
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)
