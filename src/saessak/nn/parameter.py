"""``nn.Parameter``: a tensor that a Module registers as one of its learnable weights."""

from __future__ import annotations

import copy

from .._tensor import Tensor


class Parameter(Tensor):
    """A Tensor that requires grad by default and is registered when assigned to a Module attribute.

    >>> self.weight = nn.Parameter(saessak.randn(3, 4))   # now in model.parameters()
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        from ..creation import empty

        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter expects a Tensor as data, got {type(data).__name__}")
        p = object.__new__(cls)
        p._data = data._data  # shares memory with ``data``, as PyTorch's Parameter does
        p._vc = data._vc
        if requires_grad:
            if not p.dtype.is_floating_point:
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            p._requires_grad = True
        return p

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        result = Parameter(Tensor._make(self._data.copy()), self._requires_grad)
        if self._grad is not None:
            result._grad = copy.deepcopy(self._grad, memo)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (Tensor._make(self._data), self._requires_grad))


def _rebuild_parameter(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a Module attribute (``nn.Buffer``)."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        from ..creation import empty

        data = empty(0) if data is None else data
        b = object.__new__(cls)
        b._data, b._vc = data._data, data._vc
        b.persistent = persistent
        return b

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True) -> None:
        pass
