"""Comparisons, logical and bitwise ops: elementwise, broadcasting, never differentiable."""

from __future__ import annotations

from .._tensor import Tensor
from .arithmetic import _broadcast_error, _ndarray, _operands, _scalar_types, as_operand


# ---------------------------------------------------------------- comparisons (no gradient)
def _compare(x, y, ufunc_name: str, op: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    if y is None:
        return Tensor._make(x._xp().zeros(x._data.shape, dtype=bool) if op != "ne" else
                            x._xp().ones(x._data.shape, dtype=bool))
    if not isinstance(y, (Tensor, *_scalar_types)):
        if isinstance(y, _ndarray | list | tuple):
            y = as_operand(y, x)
        elif op in ("eq", "ne"):
            return False if op == "eq" else True
    a, b = _operands(x, y)
    try:
        return Tensor._make(getattr(x._xp(), ufunc_name)(a, b))
    except ValueError:
        raise _broadcast_error(x, y, op) from None


def eq(x, y):
    """Elementwise ``x == y`` as a bool tensor."""
    return _compare(x, y, "equal", "eq")


def ne(x, y):
    """Elementwise ``x != y`` as a bool tensor."""
    return _compare(x, y, "not_equal", "ne")


def lt(x, y):
    """Elementwise ``x < y`` as a bool tensor."""
    return _compare(x, y, "less", "lt")


def le(x, y):
    """Elementwise ``x <= y`` as a bool tensor."""
    return _compare(x, y, "less_equal", "le")


def gt(x, y):
    """Elementwise ``x > y`` as a bool tensor."""
    return _compare(x, y, "greater", "gt")


def ge(x, y):
    """Elementwise ``x >= y`` as a bool tensor."""
    return _compare(x, y, "greater_equal", "ge")


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def equal(x, y) -> bool:
    """True when both tensors have the same shape and elements."""
    return tuple(x.shape) == tuple(y.shape) and bool((x._data == y._data).all())


def isclose(x, y, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """Elementwise ``|x - y| <= atol + rtol * |y|`` as a bool tensor."""
    a, b = _operands(x, y)
    return Tensor._make(x._xp().isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(x, y, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True when every element of ``x`` is close to ``y``."""
    return bool(isclose(x, y, rtol, atol, equal_nan)._data.all())


# ---------------------------------------------------------------- logical and bitwise (no gradient)
def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each element of ``elements`` occurs in ``test_elements``, as a bool tensor of ``elements``' shape.

    >>> saessak.isin(saessak.tensor([1, 2, 3]), saessak.tensor([2]))   # [False, True, False]
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(f"isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but expected a Tensor for "
                        "elements or test_elements")
    like = elements if isinstance(elements, Tensor) else test_elements
    elements, test_elements = as_operand(elements, like), as_operand(test_elements, like)
    xp = like._xp()
    found = xp.isin(elements._data, test_elements._data, assume_unique=assume_unique, invert=invert)
    return Tensor._make(xp.asarray(found))


def _bitwise(x, y, ufunc_name: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    a, b = _operands(x, y) if y is not None else (x._data, None)
    if a.dtype.kind == "f" or isinstance(b, _ndarray) and b.dtype.kind == "f":
        raise TypeError(f'"{ufunc_name}_cpu" not implemented for \'Float\'')
    fn = getattr(x._xp(), ufunc_name)
    return Tensor._make(fn(a) if y is None else fn(a, b))


def bitwise_and(x, y):
    """Elementwise AND of bool or integer tensors (``&``)."""
    return _bitwise(x, y, "bitwise_and")


def bitwise_or(x, y):
    """Elementwise OR of bool or integer tensors (``|``)."""
    return _bitwise(x, y, "bitwise_or")


def bitwise_xor(x, y):
    """Elementwise XOR of bool or integer tensors (``^``)."""
    return _bitwise(x, y, "bitwise_xor")


def bitwise_not(x):
    """Elementwise NOT of a bool or integer tensor (``~``)."""
    return _bitwise(x, None, "invert")


def bitwise_left_shift(x, y):
    """``x << y``."""
    return _bitwise(x, y, "left_shift")


def bitwise_right_shift(x, y):
    """``x >> y``."""
    return _bitwise(x, y, "right_shift")


def _logical(x, y, ufunc_name: str):
    if not isinstance(x, Tensor):
        x = as_operand(x, y)
    fn = getattr(x._xp(), ufunc_name)
    if y is None:
        return Tensor._make(fn(x._data))
    b = y._data if isinstance(y, Tensor) else y
    return Tensor._make(fn(x._data, b))


def logical_and(x, y):
    """Elementwise ``x and y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_and")


def logical_or(x, y):
    """Elementwise ``x or y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_or")


def logical_xor(x, y):
    """Elementwise ``x xor y`` (nonzero is true) as a bool tensor."""
    return _logical(x, y, "logical_xor")


def logical_not(x):
    """Elementwise ``not x`` as a bool tensor."""
    return _logical(x, None, "logical_not")
