"""How Python data becomes an array for ``tensor()``: PyTorch's dtype inference and its errors.

Elements promote together: Python floats give the default dtype, ints int64, bools bool; NumPy scalars,
arrays and 0-d tensors inside the data bring their own dtype (``[np.float64(1), 2.0]`` is float64).
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tensor import Tensor


def quiet_casts():
    """Casts overflow to inf (or wrap) silently, as PyTorch's do: no NumPy RuntimeWarning."""
    return np.errstate(over="ignore", invalid="ignore")


def scalar_dtype(value) -> dtypes.dtype:
    """The dtype PyTorch gives one element of ``tensor()`` data (Python floats: the default dtype)."""
    kind = type(value)
    if kind is float:
        return dtypes.get_default_dtype()
    if kind is int:
        return dtypes.int64
    if kind is bool:
        return dtypes.bool
    if isinstance(value, Tensor):
        return value.dtype
    if isinstance(value, np.ndarray | np.generic):
        return dtypes.from_numpy_dtype(value.dtype)
    if isinstance(value, bool):
        return dtypes.bool
    if isinstance(value, int):
        return dtypes.int64
    if isinstance(value, float):
        return dtypes.get_default_dtype()
    if isinstance(value, str):
        raise TypeError(f"new(): invalid data type 'str' (in {value!r}); tensors hold numbers")
    raise RuntimeError(f"Could not infer dtype of {kind.__name__}: tensor() takes numbers, sequences of "
                       "numbers, NumPy arrays or tensors")


def _collect_leaves(seq, kinds: set, special: list) -> None:
    """Every element type below ``seq``; NumPy arrays, NumPy scalars and tensors also by value."""
    types = set(map(type, seq))
    for kind in types:
        if issubclass(kind, list | tuple | range):
            for v in seq:
                if isinstance(v, list | tuple | range):
                    _collect_leaves(v, kinds, special)
        elif kind in (float, int, bool):
            kinds.add(kind)
        else:
            special.extend(v for v in seq if type(v) is kind)


def _infer_dtype(data) -> tuple[dtypes.dtype, bool]:
    """Promote the dtypes of all elements, as ``torch.tensor`` does ([1, 2.5] -> float32); and whether
    tensors are among them."""
    if not isinstance(data, list | tuple | range):
        return scalar_dtype(data), False
    kinds: set = set()
    special: list = []
    _collect_leaves(data, kinds, special)
    if not kinds and not special:
        return dtypes.get_default_dtype(), False  # [] and [[]] are float tensors
    text = next((v for v in special if isinstance(v, str)), None)
    if text is not None:
        raise ValueError(f"too many dimensions 'str': tensor() data holds the text {text!r}; tensors hold numbers")
    found = None
    for value in [kind() for kind in kinds] + special:
        d = scalar_dtype(value)
        found = d if found is None else dtypes.promote_types(found, d)
    return found, any(isinstance(v, Tensor) for v in special)


def _unwrap_tensors(data):
    """Nested data with tensors replaced by their numbers (each must hold one element, as in PyTorch)."""
    if isinstance(data, Tensor):
        if data.numel() != 1:
            raise ValueError(
                f"only one element tensors can be converted to Python scalars: tensor() got an element of shape "
                f"{tuple(data.shape)}; use torch.stack to join tensors"
            )
        return data.item()
    if isinstance(data, list | tuple):
        return [_unwrap_tensors(v) for v in data]
    return data


def _check_regular(data, dim: int = 0) -> None:
    """Raise PyTorch's error for nested lists of unequal lengths, or that mix numbers and lists."""
    first = data[0] if data else None
    length = len(first) if isinstance(first, list | tuple) else None
    for v in data:
        got = len(v) if isinstance(v, list | tuple) else None
        if (got is None) != (length is None):
            raise TypeError(f"not a sequence: tensor() data mixes numbers and sequences at dim {dim + 1}")
        if got != length:
            raise ValueError(f"expected sequence of length {length} at dim {dim + 1} (got {got})")
    if length is not None:
        for v in data:
            _check_regular(v, dim + 1)


def python_to_array(data, dtype: dtypes.dtype | None) -> np.ndarray:
    """A new NumPy array for Python data (numbers, nested sequences, NumPy scalars, 0-d tensors)."""
    inferred, has_tensors = _infer_dtype(data)
    target = dtype or inferred
    if has_tensors:
        data = _unwrap_tensors(data)
    try:
        with quiet_casts():
            return np.array(data, dtype=target.np)
    except ValueError:
        if isinstance(data, list | tuple):
            _check_regular(data)
        raise
    except OverflowError:
        raise ValueError(f"Overflow when unpacking long long: a value does not fit in {target}") from None
