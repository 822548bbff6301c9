"""Flatten parameters into one vector and back (for second-order methods and model surgery)."""

from __future__ import annotations

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad


def parameters_to_vector(parameters) -> Tensor:
    """One 1-D tensor holding every parameter's values in order."""
    from ...ops.join import cat

    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy consecutive slices of ``vec`` into ``parameters`` (in place)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            p.copy_(vec[offset: offset + n].reshape(p.shape))
            offset += n
