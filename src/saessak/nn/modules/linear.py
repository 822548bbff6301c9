"""Linear layers and shape helpers: Identity, Linear, Bilinear, LazyLinear, Flatten, Unflatten."""

from __future__ import annotations

import math
from typing import Any

from ... import creation
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...ops.linalg import LinearMap, LinearMapNoBias, _check_bias, _word, matmul
from ..parameter import Parameter
from .module import Module

__all__ = ["Identity", "Linear", "Bilinear", "LazyLinear", "Flatten", "Unflatten"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``; one fused op (AddmmBackward0, or MmBackward0 without a bias) for 2-D inputs."""
    ndim = input._data.ndim
    if ndim < 2 or weight._data.ndim != 2:
        out = matmul(input, weight.t())
        return out if bias is None else out + bias
    x = input if ndim == 2 else input.reshape(-1, input._data.shape[-1])
    _check_linear(x, weight, bias)
    out = LinearMapNoBias.apply(x, weight) if bias is None else LinearMap.apply(bias, x, weight)
    return out if ndim == 2 else out.reshape(*input._data.shape[:-1], weight._data.shape[0])


def _check_linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """PyTorch's errors for mismatched shapes, dtypes and devices, before anything is computed."""
    xd, wd = x._data, weight._data
    if xd.shape[1] != wd.shape[1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xd.shape[0]}x{xd.shape[1]} and "
                           f"{wd.shape[1]}x{wd.shape[0]})")
    if xd.dtype != wd.dtype or (bias is not None and bias._data.dtype != xd.dtype):
        other = weight if xd.dtype != wd.dtype else bias
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_word(x)} and {_word(other)}")
    if type(xd) is not type(wd) or (bias is not None and type(bias._data) is not type(xd)):
        other = weight if type(xd) is not type(wd) else bias
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices, "
                           f"{x.device} and {other.device}!")
    if xd.dtype.kind not in "fc":
        raise RuntimeError(f"\"addmm_impl_cpu_\" not implemented for '{_word(x)}'")
    if bias is not None and bias._data.shape != (wd.shape[0],):
        _check_bias(bias, (xd.shape[0], wd.shape[0]), weight)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``y_k = x1^T W_k x2 + b_k``."""
    from ...ops.linalg import einsum

    out = einsum("...i,kij,...j->...k", input1, weight, input2)
    return out if bias is None else out + bias


def _uniform_(tensor: Tensor, bound: float) -> None:
    with no_grad():
        tensor.uniform_(-bound, bound)


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """``y = x W^T + b`` with ``W`` of shape (out_features, in_features), initialised as PyTorch does.

    >>> layer = nn.Linear(4, 3)
    >>> layer(saessak.randn(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(creation.empty(out_features, in_features, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """U(-1/sqrt(in_features), 1/sqrt(in_features)) for weight and bias (kaiming_uniform with a=sqrt(5))."""
        bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
        _uniform_(self.weight, bound)
        if self.bias is not None:
            _uniform_(self.bias, bound)

    def forward(self, input: Tensor) -> Tensor:
        shape = input._data.shape if isinstance(input, Tensor) else ()
        if not shape or shape[-1] != self.in_features:
            if not isinstance(input, Tensor):
                raise TypeError(f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
            raise RuntimeError(
                f"{self!r} expected input with last dimension {self.in_features}, got input of shape "
                f"{tuple(input.shape)}"
            )
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class LazyLinear(Linear):
    """A Linear layer whose ``in_features`` is taken from the first input it sees."""

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self._options = (bias, device, dtype)
        self.weight = Parameter(creation.empty(0, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(0, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        if self.in_features == 0:
            bias, device, dtype = self._options
            self.in_features = input.shape[-1]
            with no_grad():
                self.weight._data = creation.empty(self.out_features, self.in_features, device=device,
                                                   dtype=dtype)._data
                if bias:
                    self.bias._data = creation.empty(self.out_features, device=device, dtype=dtype)._data
            self.reset_parameters()
            self.__class__ = Linear  # initialised: from now on a plain Linear, as PyTorch does
        return Linear.forward(self, input)


class Bilinear(Module):
    """``y = x1^T A x2 + b`` with ``A`` of shape (out_features, in1_features, in2_features)."""

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        self.weight = Parameter(creation.empty(out_features, in1_features, in2_features, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.in1_features)
        _uniform_(self.weight, bound)
        if self.bias is not None:
            _uniform_(self.bias, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class Flatten(Module):
    """Flatten dims ``start_dim..end_dim`` (by default everything but the batch dim)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``."""

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
