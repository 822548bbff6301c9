"""Helpers shared by the distributions: broadcasting parameters, probs <-> logits, cached properties."""

from __future__ import annotations

import numbers
from functools import update_wrapper

import numpy as np

from .. import dtypes
from .._tensor import Size, Tensor
from ..autograd.grad_mode import enable_grad
from ..creation import tensor
from ..ops.shape import broadcast_tensors

__all__ = ["broadcast_all", "clamp_probs", "lazy_property", "logits_to_probs", "probs_to_logits", "finfo"]


def broadcast_all(*values) -> tuple:
    """Tensors and numbers broadcast to one shape; numbers take the first tensor's dtype (else the default).

    >>> loc, scale = broadcast_all(saessak.zeros(3), 1.0)   # both of shape (3,)
    """
    for value in values:
        if not isinstance(value, Tensor | numbers.Number):
            raise ValueError(f"Input arguments must all be instances of numbers.Number or torch.Tensor, "
                             f"got {type(value).__name__}")
    like = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = like.dtype if like is not None else dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        dtype = dtypes.get_default_dtype()
    device = like.device if like is not None else None
    tensors = [v if isinstance(v, Tensor) else tensor(float(v), dtype=dtype, device=device) for v in values]
    return tuple(broadcast_tensors(*tensors))


class finfo:  # noqa: N801  (mirrors torch.finfo for the float dtypes the distributions meet)
    """Machine limits of a float dtype: ``eps``, ``tiny``, ``max``, ``min``."""

    def __init__(self, dtype) -> None:
        info = np.finfo(dtypes.to_dtype(dtype).np)
        self.eps, self.tiny, self.max, self.min = float(info.eps), float(info.tiny), float(info.max), float(info.min)


def clamp_probs(probs: Tensor) -> Tensor:
    """``probs`` clamped into ``[eps, 1 - eps]`` so that their logs stay finite."""
    eps = finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Probabilities from logits: ``sigmoid`` for binary outcomes, else ``softmax`` over the last dim."""
    if is_binary:
        return logits.sigmoid()
    return logits.softmax(-1)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """Logits from probabilities (clamped away from 0 and 1): ``log(p / (1 - p))`` or ``log(p)``."""
    clamped = clamp_probs(probs)
    if is_binary:
        return clamped.log() - (-clamped).log1p()
    return clamped.log()


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """Sum the ``dim`` rightmost dimensions of ``value``."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[: value.dim() - dim]) + (-1,)).sum(-1)


def _extended(*shapes) -> Size:
    out: tuple = ()
    for shape in shapes:
        out += tuple(shape)
    return Size(out)


class lazy_property:  # noqa: N801  (PyTorch's name)
    """A property computed on first access and then stored on the instance (``probs`` from ``logits``)."""

    def __init__(self, wrapped) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value
