"""``Variable``: the pre-0.4 PyTorch wrapper, kept so old tutorials run; it now simply makes a Tensor."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)  # every Tensor is a Variable, as in PyTorch


class Variable(metaclass=_VariableMeta):
    """``Variable(tensor, requires_grad=True)``: a leaf Tensor sharing ``tensor``'s data (no wrapper object).

    >>> x = Variable(saessak.ones(2), requires_grad=True)   # the same as saessak.ones(2, requires_grad=True)
    """

    def __new__(cls, data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # type: ignore[misc]
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
