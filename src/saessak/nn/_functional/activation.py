"""Activation functions and dropout (``saessak.nn.functional.relu``, ``gelu``, ``dropout``...), PyTorch's signatures.

Every activation is a composition of saessak ops, so its gradient (and its double backward) comes for free.
Piecewise functions are built with ``where`` so the gradient at a kink is PyTorch's; branches that could
overflow (``exp`` of a large input) are clamped first, because ``where`` still differentiates the branch it
discards and ``0 * inf`` would poison the gradient with nan.
``inplace=True`` writes the result into the input, as in PyTorch.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

from ... import creation
from ..._tensor import Tensor
from ...ops.inplace import _needs_graph, apply_inplace
from ...ops.pointwise import clamp_max, where
from ...ops.softmax import log_softmax as _log_softmax
from ...ops.softmax import one_hot
from ...ops.softmax import softmax as _softmax
from ...ops.unary import erf, exp, expm1, log1p, relu_, sigmoid, tanh
from ...ops.unary import relu as _relu

__all__ = [
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "elu", "elu_", "selu", "selu_", "celu", "celu_",
    "gelu", "silu", "mish", "sigmoid", "tanh", "hardtanh", "hardtanh_", "hardsigmoid", "hardswish", "softplus",
    "softsign", "softmax", "log_softmax", "softmin", "threshold", "threshold_", "glu", "logsigmoid", "tanhshrink",
    "hardshrink", "softshrink", "rrelu", "rrelu_", "gumbel_softmax", "normalize", "one_hot", "dropout", "dropout1d",
    "dropout2d", "dropout3d", "alpha_dropout",
    "feature_alpha_dropout",
]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_OVER_PI = math.sqrt(2.0 / math.pi)


def _maybe_inplace(input: Tensor, fn: Callable[[Tensor], Tensor], inplace: bool) -> Tensor:
    """``fn(input)``, or with ``inplace`` the same values written into ``input``.

    While recording a graph ``fn`` runs on a clone: the ops save the clone, so overwriting ``input`` doesn't
    invalidate what backward needs.
    """
    if not inplace:
        return fn(input)
    return apply_inplace(input, fn(input.clone() if _needs_graph(input) else input))


def _check_float(input: Tensor, name: str) -> None:
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"{name}" not implemented for {input.dtype}: convert the input with .float() first')


# ---------------------------------------------------------------- rectifiers and their relatives
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` elementwise.

    >>> relu(saessak.tensor([-1.0, 2.0]))   # tensor([0., 2.])
    """
    return relu_(input) if inplace else _relu(input)


def _hardtanh(x: Tensor, min_val: float, max_val: float) -> Tensor:
    # the gradient is 0 on the boundaries themselves, as in PyTorch (clamp would pass it through)
    return where(x <= min_val, min_val, where(x >= max_val, max_val, x))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` clamped to ``[min_val, max_val]``.

    >>> hardtanh(saessak.tensor([-3.0, 0.5, 3.0]))   # tensor([-1.0000, 0.5000, 1.0000])
    """
    if min_val > max_val:
        raise ValueError(f"min_val cannot be greater than max_val, got min_val={min_val}, max_val={max_val}")
    return _maybe_inplace(input, lambda x: _hardtanh(x, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place ``hardtanh``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(input, 0), 6)`` elementwise."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, else ``negative_slope * input``.

    >>> leaky_relu(saessak.tensor([-1.0, 2.0]), 0.1)   # tensor([-0.1000, 2.0000])
    """
    return _maybe_inplace(input, lambda x: where(x > 0, x, x * negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place ``leaky_relu``."""
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``leaky_relu`` with a learned slope: one per channel (dimension 1), or one shared by all.

    ``weight`` has 1 or ``input.shape[1]`` elements.

    >>> prelu(saessak.tensor([[-1.0, 2.0]]), saessak.tensor([0.25]))   # tensor([[-0.2500, 2.0000]])
    """
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.numel()} "
            f"and channel size = {channels} (input of shape {tuple(input.shape)})."
        )
    if weight.numel() != 1 and input.ndim >= 2:  # one slope per channel: broadcast along dimension 1
        weight = weight.reshape(channels, *([1] * (input.ndim - 2)))
    elif weight.ndim > 0:
        weight = weight.reshape(())
    return where(input > 0, input, weight * input)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: negative inputs scaled by a slope drawn from U(lower, upper) per element in training,
    by the mean slope ``(lower + upper) / 2`` otherwise."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    slopes = creation.empty(*input.shape, dtype=input.dtype, device=input.device).uniform_(lower, upper)
    return _maybe_inplace(input, lambda x: where(x >= 0, x, x * slopes), inplace)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, else ``alpha * (exp(input) - 1)``."""
    return _maybe_inplace(input, lambda x: where(x > 0, x, expm1(clamp_max(x, 0.0)) * alpha), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``elu``."""
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(input, alpha)`` with the self-normalising constants of Klambauer et al. (2017)."""
    return _maybe_inplace(input, lambda x: elu(x, _SELU_ALPHA) * _SELU_SCALE, inplace)


def selu_(input: Tensor) -> Tensor:
    """In-place ``selu``."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, input) + min(0, alpha * (exp(input / alpha) - 1))``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: celu's alpha must not be 0")
    return _maybe_inplace(input, lambda x: where(x > 0, x, expm1(clamp_max(x, 0.0) / alpha) * alpha), inplace)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``celu``."""
    return celu(input, alpha, inplace=True)


def _threshold(input: Tensor, bound: float, value: float, inplace: bool) -> Tensor:
    return _maybe_inplace(input, lambda x: where(x > bound, x, value), inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``input`` where it is greater than ``threshold``, else ``value``."""
    return _threshold(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place ``threshold``."""
    return _threshold(input, threshold, value, inplace=True)


# ---------------------------------------------------------------- smooth gates
def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``input * Phi(input)`` with ``Phi`` the standard normal CDF; ``approximate='tanh'`` uses the tanh fit.

    >>> gelu(saessak.tensor([0.0, 1.0]))   # tensor([0.0000, 0.8413])
    """
    if approximate == "none":
        return input * 0.5 * (1.0 + erf(input * _SQRT_HALF))
    if approximate == "tanh":
        return input * 0.5 * (1.0 + tanh((input + input * input * input * 0.044715) * _SQRT_TWO_OVER_PI))
    raise RuntimeError(f"approximate argument must be either none or tanh, got approximate='{approximate}'")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)`` (also called swish)."""
    return _maybe_inplace(input, lambda x: x * sigmoid(x), inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * input)) / beta``, reverting to ``input`` where ``beta * input > threshold``.

    >>> softplus(saessak.tensor([0.0]))   # tensor([0.6931])
    """
    scaled = input * beta
    smooth = log1p(exp(clamp_max(scaled, threshold))) / beta  # clamped: exp of the unused branch can't overflow
    return where(scaled > threshold, input, smooth)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * tanh(softplus(input))``."""
    return _maybe_inplace(input, lambda x: x * tanh(softplus(x)), inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """The piecewise-linear sigmoid ``relu6(input + 3) / 6``."""
    return _maybe_inplace(input, lambda x: _hardtanh(x + 3.0, 0.0, 6.0) / 6.0, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * relu6(input + 3) / 6`` (MobileNetV3)."""
    # written by pieces so the gradient at -3 and 3 is PyTorch's (0 and 1: the outer pieces are closed)
    return _maybe_inplace(input, lambda x: where(x <= -3.0, 0.0, where(x >= 3.0, x, x * (x + 3.0) / 6.0)), inplace)


def softsign(input: Tensor) -> Tensor:
    """``input / (1 + |input|)``."""
    return input / (input.abs() + 1.0)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(input))``, computed as ``-softplus(-input)`` so it stays finite for large ``|input|``."""
    return -softplus(-input)


def tanhshrink(input: Tensor) -> Tensor:
    """``input - tanh(input)``."""
    return input - tanh(input)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``input`` where ``|input| > lambd``, else 0.

    >>> hardshrink(saessak.tensor([-1.0, 0.2, 0.7]))   # tensor([-1.0000, 0.0000, 0.7000])
    """
    return where(input.abs() > lambd, input, input * 0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``input`` moved toward 0 by ``lambd``, and 0 within ``[-lambd, lambd]``.

    >>> softshrink(saessak.tensor([-1.0, 0.2, 0.7]))   # tensor([-0.5000, 0.0000, 0.2000])
    """
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return where(input > lambd, input - lambd, where(input < -lambd, input + lambd, input * 0))


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split ``input`` in halves ``a, b`` along ``dim`` and return ``a * sigmoid(b)``.

    >>> glu(saessak.randn(4, 6)).shape   # (4, 3)
    """
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {size} "
                           f"(input of shape {tuple(input.shape)})")
    a, b = input.chunk(2, dim)
    return a * sigmoid(b)


# ---------------------------------------------------------------- softmax family and normalisation
def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """``exp(input) / exp(input).sum(dim)``: each slice along ``dim`` becomes a probability vector.

    >>> softmax(saessak.tensor([1.0, 2.0, 3.0]), dim=0)   # tensor([0.0900, 0.2447, 0.6652])
    """
    if dim is None:
        dim = _softmax_dim("softmax", input.ndim)
    return _softmax(input, dim, dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """``softmax(-input, dim)``: the smallest entries get the largest weights."""
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim)
    return _softmax(-input if dtype is None else -input.to(dtype), dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """``log(softmax(input, dim))``, computed stably (no softmax is formed)."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.ndim)
    return _log_softmax(input, dim, dtype)


def gumbel_softmax(logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """A sample from the Gumbel-softmax (concrete) distribution over ``dim``: ``softmax((logits + g) / tau)`` with
    Gumbel noise ``g``; with ``hard`` a one-hot vector whose gradient is the soft sample's (straight-through).

    >>> gumbel_softmax(saessak.zeros(2, 5), hard=True).sum(-1)   # tensor([1., 1.])
    """
    uniform = creation.empty(*logits.shape, dtype=logits.dtype, device=logits.device).uniform_(0.0, 1.0)
    gumbels = -(-(1.0 - uniform).log()).log()  # 1 - U lies in (0, 1], so -log of it is a finite Exp(1) sample
    soft = _softmax((logits + gumbels) / tau, dim)
    if not hard:
        return soft
    index = soft.argmax(dim, keepdim=True)
    one_hot_sample = creation.zeros(*logits.shape, dtype=logits.dtype, device=logits.device).scatter(dim, index, 1.0)
    return one_hot_sample - soft.detach() + soft


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    """``input / max(||input||_p, eps)`` along ``dim``: every slice becomes a unit vector.

    >>> normalize(saessak.tensor([[3.0, 4.0]]))   # tensor([[0.6000, 0.8000]])
    """
    norm = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    result = input / norm
    return result if out is None else out.copy_(result)


# ---------------------------------------------------------------- dropout
def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple, p: float, like: Tensor) -> Tensor:
    """1 with probability ``1 - p``, else 0, drawn from saessak's default generator (``manual_seed`` repeats it)."""
    from ...random import bernoulli

    return bernoulli(creation.full(shape, 1.0 - p, dtype=like.dtype, device=like.device))


def _scaled_mask(shape: tuple, p: float, like: Tensor) -> Tensor:
    if p == 1.0:
        return creation.zeros(*shape, dtype=like.dtype, device=like.device)
    return _keep_mask(shape, p, like) * (1.0 / (1.0 - p))


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``; the identity unless training.

    >>> saessak.manual_seed(0); dropout(saessak.ones(4), 0.5)   # e.g. tensor([2., 0., 2., 2.])
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    _check_float(input, "dropout")
    mask = _scaled_mask(tuple(input.shape), p, input)
    return _maybe_inplace(input, lambda x: x * mask, inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    """Zero whole channels: one draw per (batch, channel), shared by every later dimension."""
    if not training or p == 0.0:
        return input
    _check_float(input, "feature_dropout")
    leading = 2 if batched else 1
    shape = tuple(input.shape[:leading]) + (1,) * (input.ndim - leading)
    mask = _scaled_mask(shape, p, input)
    return _maybe_inplace(input, lambda x: x * mask, inplace)


def _warn_feature_dims(name: str, ndim: int, expected: tuple, spatial: int) -> None:
    if ndim not in expected:
        warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an "
                      f"error in a future release. To retain the behavior and silence this warning, please use "
                      f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with "
                      f"{spatial} spatial dimensions, a channel dimension, and an optional batch dimension "
                      f"(i.e. {expected[0]}D or {expected[1]}D inputs).", UserWarning, stacklevel=3)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) inputs with probability ``p``."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input of shape "
                           f"{tuple(input.shape)}. Note that dropout1d exists to provide channel-wise dropout on "
                           "inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension "
                           "(i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels (feature maps) of (N, C, H, W) inputs with probability ``p``.

    As in PyTorch, a 3-D input is read as (N, C, L) (with a warning): use ``dropout1d`` for that.
    """
    _check_p(p)
    _warn_feature_dims("dropout2d", input.ndim, (3, 4), 2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", UserWarning, stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs with probability ``p``."""
    _check_p(p)
    _warn_feature_dims("dropout3d", input.ndim, (4, 5), 3)
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 5)


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool, mask_shape: tuple) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return _maybe_inplace(input, lambda x: x * 0.0, inplace)
    _check_float(input, "alpha_dropout")
    saturation = _SELU_ALPHA * _SELU_SCALE  # SELU tends to -saturation for very negative inputs
    keep = _keep_mask(mask_shape, p, input)
    a = ((1.0 - p) * (1.0 + p * saturation**2)) ** -0.5
    b = (keep - 1.0) * (saturation * a) + saturation * a * p  # dropped entries land on a * -saturation, shifted
    return _maybe_inplace(input, lambda x: x * (keep * a) + b, inplace)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped values go to SELU's negative saturation, then an affine map
    restores the input's mean and variance (Klambauer et al., 2017). The identity unless training."""
    return _alpha_dropout(input, p, training, inplace, tuple(input.shape))


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """``alpha_dropout`` of whole channels of (N, C, ...) inputs: one draw per (batch, channel)."""
    if input.ndim < 2:
        raise RuntimeError(f"Feature dropout requires at least 2 dimensions in the input, got input of shape "
                           f"{tuple(input.shape)}")
    return _alpha_dropout(input, p, training, inplace, tuple(input.shape[:2]) + (1,) * (input.ndim - 2))
