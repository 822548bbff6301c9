"""Multi-class and multi-label margin losses, the Gaussian NLL, and the triplet loss with any distance.

Compositions of saessak ops like the losses of ``loss.py`` (their gradients come for free); which pairs of
classes enter a margin loss is decided from the integer targets with NumPy, as a constant mask.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..._tensor import Tensor
from ...ops.pointwise import minimum
from .activation import logsigmoid
from .loss import _reduce, _reduction

__all__ = [
    "gaussian_nll_loss", "multilabel_soft_margin_loss", "multi_margin_loss", "multilabel_margin_loss",
    "triplet_margin_with_distance_loss",
]


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood ``0.5 * (log(var) + (input - target)**2 / var)`` (+ ``0.5 * log(2 pi)``
    with ``full``).

    ``var`` has the input's shape, or one dim fewer / a last dim of 1 (one variance per sample), or is a float.
    It is clamped to ``eps`` for stability; the clamp passes gradients through unchanged, as PyTorch's does.

    >>> gaussian_nll_loss(saessak.zeros(3), saessak.zeros(3), saessak.ones(3))   # tensor(0.)
    """
    if not isinstance(var, Tensor):
        var = input.new_full(tuple(input.shape), float(var))
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1) and var.ndim > 0:
            raise ValueError(f"var is of incorrect size: input {tuple(input.shape)}, var {tuple(var.shape)}")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = var + (var.clamp_min(eps) - var).detach()  # the clamped value, with the identity's gradient
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                                reduce=None, reduction: str = "mean") -> Tensor:
    """One binary logistic loss per class, averaged over the C classes: ``(N, C)`` inputs, 0/1 targets.

    >>> multilabel_soft_margin_loss(saessak.zeros(1, 2), saessak.tensor([[1.0, 0.0]]))   # tensor(0.6931)
    """
    reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss.sum(-1) / input.shape[-1], reduction)


def _class_targets(input: Tensor, target: Tensor, name: str) -> np.ndarray:
    if input.ndim not in (1, 2) or target.ndim != input.ndim - 1 or (
            input.ndim == 2 and target.shape[0] != input.shape[0]):
        raise RuntimeError(f"{name}: expected input of shape (N, C) or (C,) and target of shape (N,) or (), got "
                           f"input {tuple(input.shape)} and target {tuple(target.shape)}")
    classes = np.asarray(target.detach().cpu().numpy()).astype(np.int64)
    if classes.size and (classes.min() < 0 or classes.max() >= input.shape[-1]):
        raise IndexError(f"{name}: target {classes.tolist()} out of range for {input.shape[-1]} classes")
    return classes


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: ``sum over i != y of max(0, margin - x[y] + x[i]) ** p / C`` per sample.

    ``input`` (N, C) or (C,), ``target`` class indices (N,) or (); ``weight`` (C,) scales each sample by its
    class's weight.

    >>> multi_margin_loss(saessak.tensor([[0.1, 0.8]]), saessak.tensor([1]))   # tensor(0.1500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    classes = _class_targets(input, target, "multi_margin_loss")
    index = Tensor._make(classes.reshape(classes.shape + (1,))).to(input.device)
    picked = input.gather(-1, index)
    hinge = (margin - picked + input).clamp_min(0)
    if p == 2:
        hinge = hinge * hinge
    others = np.ones(input.shape, dtype=bool)
    np.put_along_axis(others, classes.reshape(classes.shape + (1,)), False, axis=-1)
    hinge = hinge * Tensor._make(others.astype(input._data.dtype)).to(input.device)
    if weight is not None:
        hinge = hinge * weight.index_select(0, index.reshape(-1)).reshape(index.shape)
    return _reduce(hinge.sum(-1) / input.shape[-1], reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss: ``sum over target classes j and other classes i of max(0, 1 - (x[j] - x[i])) / C``.

    ``target`` has the input's shape and lists each sample's class indices first, ended by -1.

    >>> multilabel_margin_loss(saessak.tensor([[0.1, 0.2, 0.4, 0.8]]), saessak.tensor([[3, 0, -1, 1]]))
    tensor(0.8500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim not in (1, 2) or tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"multilabel_margin_loss: expected input of shape (N, C) or (C,) and a target of the same "
                           f"shape, got input {tuple(input.shape)} and target {tuple(target.shape)}")
    labels = np.asarray(target.detach().cpu().numpy()).astype(np.int64).reshape(-1, input.shape[-1])
    classes = labels.shape[1]
    listed = np.zeros(labels.shape)  # how often each class is listed before the first -1
    for row, label in enumerate(labels):
        for j in label:
            if j < 0:
                break
            if j >= classes:
                raise IndexError(f"multilabel_margin_loss: target class {j} out of range for {classes} classes")
            listed[row, j] += 1
    pairs = listed[:, :, None] * (listed == 0)[:, None, :]  # (row, j target, i non-target)
    x = input.reshape(-1, classes)
    hinge = (1 - x.unsqueeze(2) + x.unsqueeze(1)).clamp_min(0)
    mask = Tensor._make(pairs.astype(input._data.dtype)).to(input.device)
    loss = (hinge * mask).sum((1, 2)) / classes
    return _reduce(loss.reshape(input.shape[:-1]), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """``max(0, d(a, p) - d(a, n) + margin)`` with any distance ``d`` (default: ``pairwise_distance``).

    >>> a = saessak.zeros(1, 2); triplet_margin_with_distance_loss(a, a, a + 3.0)   # tensor(0.)
    """
    from ..modules.distance import pairwise_distance

    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")
    distance = distance_function if distance_function is not None else pairwise_distance
    distance_positive = distance(anchor, positive)
    distance_negative = distance(anchor, negative)
    if swap:
        distance_negative = minimum(distance_negative, distance(positive, negative))
    return _reduce((margin + distance_positive - distance_negative).clamp_min(0), reduction)
