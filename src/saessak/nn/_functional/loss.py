"""Loss functions (``saessak.nn.functional.mse_loss``, ``cross_entropy``, ...), with PyTorch's signatures.

Every loss computes an elementwise loss and then applies ``reduction``: ``'none'`` keeps it, ``'sum'`` adds it
up, ``'mean'`` averages it. The losses are compositions of saessak ops (their gradients come for free), except
cross-entropy on class indices, the most common loss of all: one fused op whose forward is a stable
log-softmax and a pick, and whose backward is ``softmax - onehot``, written with ops so double backward works.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Function
from ...ops.pointwise import minimum, where
from ...ops.softmax import log_softmax, softmax
from ...ops.special import xlogy

__all__ = [
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "cross_entropy", "nll_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "kl_div", "cosine_embedding_loss", "margin_ranking_loss",
    "triplet_margin_loss", "poisson_nll_loss", "soft_margin_loss", "hinge_embedding_loss",
]


# ---------------------------------------------------------------- reduction and argument checks
def _reduction(size_average, reduce, reduction: str, extra: tuple = ()) -> str:
    """The reduction to apply, honouring the deprecated ``size_average``/``reduce`` flags as PyTorch does."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", UserWarning, stacklevel=3)
    if reduction not in ("none", "mean", "sum", *extra):
        raise ValueError(f"{reduction} is not a valid value for reduction; use 'none', 'mean' or 'sum'")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _warn_if_broadcast(input: Tensor, target: Tensor) -> None:
    if target.size() != input.size():
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


def _check_elementwise_weight(weight: Tensor, input: Tensor) -> None:
    if weight.size() != input.size():
        raise ValueError(f"Weights and input must have the same size: weight {tuple(weight.shape)}, "
                         f"input {tuple(input.shape)}")


def _weighted_reduce(loss: Tensor, weight: Tensor | None, reduction: str, input: Tensor) -> Tensor:
    """Reduce ``loss * weight``; a weighted mean divides by the total weight, as PyTorch does."""
    if weight is None:
        return _reduce(loss, reduction)
    _check_elementwise_weight(weight, input)
    loss = loss * weight
    return loss.sum() / weight.sum() if reduction == "mean" else _reduce(loss, reduction)


# ---------------------------------------------------------------- regression losses
def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error ``(input - target)**2``, reduced.

    >>> mse_loss(saessak.tensor([1.0, 2.0]), saessak.tensor([0.0, 0.0]))   # tensor(2.5000)
    """
    reduction = _reduction(size_average, reduce, reduction)
    _warn_if_broadcast(input, target)
    return _weighted_reduce((input - target) ** 2, weight, reduction, input)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error ``|input - target|``, reduced.

    >>> l1_loss(saessak.tensor([1.0, -2.0]), saessak.tensor([0.0, 0.0]))   # tensor(1.5000)
    """
    reduction = _reduction(size_average, reduce, reduction)
    _warn_if_broadcast(input, target)
    return _weighted_reduce((input - target).abs(), weight, reduction, input)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta`` (``d = input - target``).

    ``beta = 0`` is the L1 loss.

    >>> smooth_l1_loss(saessak.tensor([0.5, 3.0]), saessak.tensor([0.0, 0.0]))   # tensor(1.3125)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta (got {beta}).")
    _warn_if_broadcast(input, target)
    diff = (input - target).abs()
    if beta == 0:
        return _reduce(diff, reduction)
    return _reduce(where(diff < beta, 0.5 * diff**2 / beta, diff - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 * d**2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)`` (``d = input - target``).

    >>> huber_loss(saessak.tensor([0.5, 3.0]), saessak.tensor([0.0, 0.0]))   # tensor(1.3125)
    """
    reduction = _reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta (got {delta}).")
    _warn_if_broadcast(input, target)
    diff = (input - target).abs()
    loss = where(diff < delta, 0.5 * diff**2, delta * (diff - 0.5 * delta))
    if weight is not None:
        _check_elementwise_weight(weight, input)
        loss = loss * weight
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- classification: class indices
def _class_dim(input: Tensor, target: Tensor, op: str) -> int:
    """Check an ``(N, C, d1, ...)`` or ``(C,)`` input against its class-index target; return the class dim."""
    if target.dtype.is_floating_point or target.dtype.is_complex or str(target.dtype) == "torch.bool":
        raise RuntimeError(f"{op}: expected a target of class indices with scalar type Long but found "
                           f"{target.dtype}; convert it with .long()")
    if input.ndim == 0:
        raise ValueError(f"{op}: expected an input of shape (C,) or (N, C, ...), got a 0-dimensional tensor")
    if input.ndim == 1:
        if target.ndim != 0:
            raise RuntimeError(f"{op}: an input of shape {tuple(input.shape)} (one sample, no batch dimension) "
                               f"expects a 0-dimensional target, got shape {tuple(target.shape)}")
        return 0
    if target.ndim == 0 or target.shape[0] != input.shape[0]:
        batch = target.shape[0] if target.ndim else "none: a 0-dimensional target"
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({batch}).")
    expected = (input.shape[0],) + tuple(input.shape[2:])
    if tuple(target.shape) != expected:
        raise RuntimeError(f"{op}: expected target size {list(expected)} for input of shape "
                           f"{tuple(input.shape)}, got {list(target.shape)}")
    return 1


def _check_targets(target: Tensor, n_classes: int, ignore_index: int) -> None:
    """Every class index (other than ``ignore_index``) must lie in ``[0, n_classes)``."""
    t = target._data
    bad = t[(t != ignore_index) & ((t < 0) | (t >= n_classes))]
    if bad.size:
        value = int(bad.reshape(-1)[0])
        raise IndexError(f"Target {value} is out of bounds. The input has {n_classes} classes, so class indices "
                         f"must lie in [0, {n_classes - 1}] (or equal ignore_index={ignore_index}).")


def _check_weight(weight: Tensor | None, n_classes: int, op: str) -> None:
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != n_classes):
        raise RuntimeError(f"{op}: weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")


class CrossEntropy(Function):
    """Cross-entropy of logits against class indices, fused: ``logsumexp(x) - x[target]`` per sample.

    Forward subtracts the row maximum before ``exp`` (no overflow, never ``log(softmax)``); backward is
    ``(softmax(x) - onehot(target)) * gy``, built from ops so that it is itself differentiable.
    """

    _backward_name = "NllLossBackward0"  # what PyTorch's log_softmax + nll_loss shows as the loss's grad_fn

    @staticmethod
    def forward(ctx, x, target, *, dim, ignore_index, reduction):
        ctx.dim, ctx.ignore_index, ctx.reduction = dim, ignore_index, reduction
        xp = x._xp()
        a, t = x._data, target._data
        valid = t != ignore_index
        picked_index = xp.expand_dims(xp.where(valid, t, 0), dim)
        shifted = a - a.max(axis=dim, keepdims=True)  # max-subtraction keeps exp from overflowing
        log_z = xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))
        picked = xp.take_along_axis(shifted - log_z, picked_index, axis=dim).squeeze(dim)
        loss = xp.where(valid, -picked, 0).astype(a.dtype)
        ctx.save_for_backward(x, target)
        if reduction == "none":
            return loss
        if reduction == "sum":
            return xp.asarray(loss.sum(), dtype=a.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):  # all targets ignored: nan, as in PyTorch
            return xp.asarray(loss.sum() / valid.sum(), dtype=a.dtype)

    @staticmethod
    def backward(ctx, gy):
        x, target = ctx.saved_tensors
        xp, dim = x._xp(), ctx.dim
        t = target._data
        dtype = x._data.dtype
        valid = t != ctx.ignore_index
        classes = xp.arange(x.shape[dim]).reshape((-1,) + (1,) * (x.ndim - dim - 1))
        onehot = (classes == xp.expand_dims(t, dim)).astype(dtype)
        scale = valid.astype(dtype)
        if ctx.reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                scale = (scale / valid.sum()).astype(dtype)
        g = gy * Tensor._make(xp.asarray(scale))  # zero for ignored samples
        return (softmax(x, dim) - Tensor._make(onehot)) * g.unsqueeze(dim), None


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood ``-weight[t] * input[n, t]`` of log-probabilities ``input`` at class ``t``.

    ``input`` is ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``; ``target`` holds class indices of shape ``(N)``,
    ``(N, d1, ...)`` or ``()``. Samples whose target is ``ignore_index`` contribute nothing; ``'mean'`` divides
    by the total weight of the other samples.

    >>> nll_loss(saessak.tensor([[-0.5, -1.0]]), saessak.tensor([1]))   # tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    dim = _class_dim(input, target, "nll_loss")
    n_classes = input.shape[dim]
    _check_weight(weight, n_classes, "nll_loss")
    _check_targets(target, n_classes, ignore_index)
    valid = target != ignore_index
    safe = target.masked_fill(~valid, 0)
    picked = -input.gather(dim, safe.unsqueeze(dim)).squeeze(dim)
    sample_weight = valid.to(input.dtype) if weight is None else weight[safe] * valid
    loss = picked * sample_weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / sample_weight.sum()


def _smoothed_class_loss(logp: Tensor, target: Tensor, weight, ignore_index: int, reduction: str, dim: int):
    """The uniform-target part of label smoothing: ``-sum_c weight[c] * logp[c]``, reduced like nll_loss."""
    if weight is not None:
        shape = [1] * logp.ndim
        shape[dim] = -1
        logp = logp * weight.reshape(shape)
    ignored = target == ignore_index
    loss = (-logp.sum(dim)).masked_fill(ignored, 0.0)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if weight is None:
        return loss.sum() / (~ignored).sum()
    return loss.sum() / weight[target.masked_fill(ignored, 0)].masked_fill(ignored, 0.0).sum()


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between logits ``input`` (``(N, C, ...)`` or ``(C,)``) and a target.

    The target is either class indices (shape ``(N, ...)``; ``loss = logsumexp(x) - x[t]``, with ``weight``
    and ``ignore_index`` as in ``nll_loss``) or class probabilities of ``input``'s shape
    (``loss = -sum_c weight[c] p[c] log_softmax(x)[c]``). ``label_smoothing`` mixes the target with the
    uniform distribution over the ``C`` classes.

    >>> cross_entropy(saessak.tensor([[2.0, 0.0]]), saessak.tensor([0]))   # tensor(0.1269)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.ndim == 0:
        raise ValueError("cross_entropy: expected an input of shape (C,) or (N, C, ...), got a 0-dimensional tensor")
    dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[dim]
    _check_weight(weight, n_classes, "cross_entropy")
    if tuple(target.shape) == tuple(input.shape):
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing, dim)
    _class_dim(input, target, "cross_entropy")
    _check_targets(target, n_classes, ignore_index)
    if weight is None and label_smoothing == 0.0:
        return CrossEntropy.apply(input, target, dim=dim, ignore_index=ignore_index, reduction=reduction)
    logp = log_softmax(input, dim)
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return loss
    smooth = _smoothed_class_loss(logp, target, weight, ignore_index, reduction, dim)
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / n_classes)


def _cross_entropy_probabilities(input, target, weight, reduction: str, label_smoothing: float, dim: int):
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got {target.dtype}")
    n_classes = input.shape[dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = log_softmax(input, dim) * target
    if weight is not None:
        shape = [1] * input.ndim
        shape[dim] = -1
        terms = terms * weight.reshape(shape)
    if reduction == "none":
        return -terms.sum(dim)
    if reduction == "sum":
        return -terms.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return -terms.sum() / (input.numel() // n_classes if input.ndim > 1 else 1)


# ---------------------------------------------------------------- binary classification
def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """``-weight * (y log x + (1 - y) log(1 - x))`` for probabilities ``x``; each log is clamped to >= -100.

    >>> binary_cross_entropy(saessak.tensor([0.8]), saessak.tensor([1.0]))   # tensor(0.2231)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    data = input._data
    if data.size and not bool(((data >= 0) & (data <= 1)).all()):
        raise RuntimeError(f"all elements of input should be between 0 and 1 (got values in "
                           f"[{float(data.min())}, {float(data.max())}]); apply sigmoid first, or use "
                           "binary_cross_entropy_with_logits on the raw scores")
    # clamping the logs keeps the loss finite (and its gradient usable) at x = 0 or 1
    loss = -(target * input.log().clamp_min(-100) + (1 - target) * (-input).log1p().clamp_min(-100))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross-entropy of ``sigmoid(input)``, computed stably from the logits.

    ``loss = (1 - y) x + (1 + (pos_weight - 1) y) softplus(-x)``, with
    ``softplus(-x) = max(-x, 0) + log1p(exp(-|x|))`` so that no ``exp`` overflows.

    >>> binary_cross_entropy_with_logits(saessak.tensor([0.0]), saessak.tensor([1.0]))   # tensor(0.6931)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    softplus_neg = (-input).clamp_min(0) + (-input.abs()).exp().log1p()
    if pos_weight is not None:
        softplus_neg = softplus_neg * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- distributions
def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence ``target * (log(target) - input)`` with ``input`` given as log-probabilities.

    ``log_target=True`` takes ``target`` as log-probabilities too. ``'batchmean'`` divides the sum by the batch
    size, which is the mathematical KL divergence; ``'mean'`` divides by the number of elements.

    >>> kl_div(saessak.tensor([-0.5, -1.0]).log_softmax(0), saessak.tensor([0.5, 0.5]), reduction="batchmean")
    """
    reduction = _reduction(size_average, reduce, reduction, extra=("batchmean",))
    if reduction == "mean" and size_average is None and reduce is None:
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            UserWarning,
            stacklevel=2,
        )
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood: ``exp(input) - target * input`` (``log_input``) or
    ``input - target * log(input + eps)``; ``full`` adds Stirling's term for ``target > 1``.

    >>> poisson_nll_loss(saessak.tensor([0.0]), saessak.tensor([1.0]))   # tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        safe = target.masked_fill(target <= 1, 1.0)
        stirling = safe * safe.log() - safe + 0.5 * (2 * math.pi * safe).log()
        loss = loss + stirling.masked_fill(target <= 1, 0.0)
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- margins and embeddings
def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)``: ``target = 1`` asks for ``input1`` to rank higher.

    >>> margin_ranking_loss(saessak.tensor([1.0]), saessak.tensor([2.0]), saessak.tensor([1.0]))   # tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """``input`` where ``target = 1``, ``max(0, margin - input)`` where ``target = -1``.

    >>> hinge_embedding_loss(saessak.tensor([0.3, 0.3]), saessak.tensor([1.0, -1.0]))   # tensor(0.5000)
    """
    reduction = _reduction(size_average, reduce, reduction)
    zeros = input * 0
    loss = where(target != 1, (margin - input).clamp_min(0), zeros) + where(target != -1, input, zeros)
    return _reduce(loss, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """Two-class logistic loss ``log(1 + exp(-target * input))`` for targets in {1, -1}.

    >>> soft_margin_loss(saessak.tensor([0.0]), saessak.tensor([1.0]))   # tensor(0.6931)
    """
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce((-target * input).exp().log1p(), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, size_average=None,
                          reduce=None, reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where ``target = 1``, ``max(0, cos(x1, x2) - margin)`` where ``target = -1``.

    ``input1``, ``input2``: ``(N, D)`` or ``(D,)``; ``target``: ``(N)`` or ``()``.

    >>> cosine_embedding_loss(saessak.ones(1, 2), saessak.ones(1, 2), saessak.tensor([-1.0]))   # tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim not in (1, 2) or target.ndim != input1.ndim - 1:
        raise RuntimeError(f"cosine_embedding_loss expects 1D or 2D inputs of the same dimension and a target "
                           f"with one dimension fewer, got input1 {tuple(input1.shape)}, input2 "
                           f"{tuple(input2.shape)}, target {tuple(target.shape)}")
    dim = input1.ndim - 1
    eps = 1e-12  # keeps the denominator nonzero for zero vectors, as in PyTorch
    dot = (input1 * input2).sum(dim)
    cos = dot / (((input1 * input1).sum(dim) + eps) * ((input2 * input2).sum(dim) + eps)).sqrt()
    zeros = cos * 0
    loss = where(target == 1, 1 - cos, zeros) + where(target == -1, (cos - margin).clamp_min(0), zeros)
    return _reduce(loss, reduction)


def _pairwise_distance(x1: Tensor, x2: Tensor, p: float, eps: float) -> Tensor:
    return (x1 - x2 + eps).norm(p, dim=-1)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, d(a, p) - d(a, n) + margin)`` with ``d`` the p-norm distance along the last dimension.

    ``swap`` uses ``min(d(a, n), d(p, n))`` as the negative distance (the harder negative).

    >>> a = saessak.zeros(1, 2); triplet_margin_loss(a, a, a + 3.0)   # tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")
    distance_positive = _pairwise_distance(anchor, positive, p, eps)
    distance_negative = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        distance_negative = minimum(distance_negative, _pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + distance_positive - distance_negative).clamp_min(0), reduction)
