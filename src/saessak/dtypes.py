"""saessak's dtypes, their NumPy counterparts, and PyTorch's type-promotion rules."""

from __future__ import annotations

import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8",
    "bool", "half", "float", "double", "short", "int", "long", "to_dtype", "from_numpy_dtype",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "can_cast", "finfo", "iinfo",
]

_builtin_bool = builtins.bool
_py_float = builtins.float
_py_int = builtins.int


class dtype:
    """A tensor element type, printed as PyTorch prints it (``torch.float32``) so outputs match."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype, category: int) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self._category = category  # 0 bool, 1 integer, 2 floating
        self.is_floating_point = category == 2
        self.is_signed = category == 2 or self.np.kind == "i"
        self.itemsize = self.np.itemsize

    @property
    def is_complex(self) -> _builtin_bool:
        return False

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (to_dtype, (self.name,))


float16 = half = dtype("float16", np.float16, 2)
float32 = float = dtype("float32", np.float32, 2)
float64 = double = dtype("float64", np.float64, 2)
int8 = dtype("int8", np.int8, 1)
int16 = short = dtype("int16", np.int16, 1)
int32 = int = dtype("int32", np.int32, 1)
int64 = long = dtype("int64", np.int64, 1)
uint8 = dtype("uint8", np.uint8, 1)
bool = dtype("bool", np.bool_, 0)
# NumPy has no bfloat16; it is stored as float32 so code naming it still runs.
bfloat16 = dtype("bfloat16", np.float32, 2)

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool)
_BY_NUMPY = {d.np: d for d in _ALL}
_BY_NAME = {d.name: d for d in (*_ALL, bfloat16)}
_BY_NAME.update(half=float16, float=float32, double=float64, short=int16, int=int32, long=int64)

_default = [float32]


def get_default_dtype() -> dtype:
    """The dtype Python floats become (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d: dtype) -> None:
    """Set the dtype Python floats become; must be a floating dtype."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default[0] = d


# ---------------------------------------------------------------- machine limits
class finfo:  # noqa: N801  (PyTorch's name)
    """Machine limits of a floating dtype (the default dtype when none is given).

    >>> saessak.finfo(saessak.float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type: dtype | None = None) -> None:  # noqa: A002  (PyTorch's argument name)
        d = get_default_dtype() if type is None else to_dtype(type)
        if not d.is_floating_point:
            raise TypeError(
                "torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'"
            )
        self.dtype = d.name
        if d.name == "bfloat16":  # stored as float32 here, but its limits are bfloat16's
            self.bits, self.eps, self.max, self.resolution = 16, 0.0078125, 3.3895313892515355e38, 0.01
            self.tiny = self.smallest_normal = 1.1754943508222875e-38
        else:
            info = np.finfo(d.np)
            self.bits, self.eps, self.max = info.bits, _py_float(info.eps), _py_float(info.max)
            self.resolution = 10.0 ** -info.precision
            self.tiny = self.smallest_normal = _py_float(info.tiny)
        self.min = -self.max

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801  (PyTorch's name)
    """Machine limits of an integer dtype: ``bits``, ``min``, ``max``.

    >>> saessak.iinfo(saessak.int8).max
    127
    """

    def __init__(self, type: dtype) -> None:  # noqa: A002  (PyTorch's argument name)
        d = to_dtype(type)
        if d._category != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(d.np)
        self.dtype, self.bits, self.min, self.max = d.name, info.bits, _py_int(info.min), _py_int(info.max)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"  # PyTorch prints 6 digits


def from_numpy_dtype(np_dtype) -> dtype:
    """The saessak dtype of a NumPy dtype (float64 arrays stay float64, as torch.from_numpy does)."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        pass
    np_dtype = np.dtype(np_dtype)
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{np_dtype}. The only supported types are: "
        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
    )


def to_dtype(value) -> dtype:
    """Accept a saessak dtype, a name ('float32'), a NumPy dtype, or Python's float/int/bool."""
    if isinstance(value, dtype):
        return value
    if value is _py_float:  # PyTorch maps Python's float to float64 whatever the default dtype
        return float64
    if value is _py_int:
        return int64
    if value is _builtin_bool:
        return bool
    if isinstance(value, str):
        key = value.removeprefix("torch.").removeprefix("saessak.")
        if key in _BY_NAME:
            return _BY_NAME[key]
        raise TypeError(f"unknown dtype name '{value}'")
    return from_numpy_dtype(np.dtype(value))


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to safely (PyTorch's lattice)."""
    if a is b:
        return a
    key = (a, b)
    found = _PROMOTE_CACHE.get(key)
    if found is None:
        if a is bool:
            found = b
        elif b is bool:
            found = a
        elif a._category != b._category:  # integer with floating: the floating type wins, whatever its size
            found = a if a._category > b._category else b
        else:
            found = _BY_NUMPY[np.promote_types(a.np, b.np)]
        _PROMOTE_CACHE[key] = found
    return found


_PROMOTE_CACHE: dict = {}


def _scalar_category(value) -> _builtin_bool:
    if isinstance(value, _builtin_bool | np.bool_):
        return 0
    if isinstance(value, _py_int | np.integer):
        return 1
    return 2


def result_type(*operands) -> dtype:
    """The dtype of an op over ``operands`` (tensors and Python numbers), as torch.result_type.

    Tensors with dimensions decide first; zero-dimensional tensors and then Python numbers only
    raise the result when they are of a higher category (bool < integer < floating).
    """
    dims = zero_dims = scalars = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if isinstance(d, dtype):
            if x.ndim:
                dims = d if dims is None else promote_types(dims, d)
            else:
                zero_dims = d if zero_dims is None else promote_types(zero_dims, d)
        else:
            cat = _scalar_category(x)
            scalars = cat if scalars is None else max(scalars, cat)
    result = dims
    if zero_dims is not None and (result is None or zero_dims._category > result._category):
        result = zero_dims
    if scalars is not None and (result is None or scalars > result._category):
        result = (bool, int64, _default[0])[scalars]
    return result


def can_cast(from_: dtype, to: dtype) -> _builtin_bool:
    """Whether PyTorch's casting rules allow an in-place op to write ``from_`` results into ``to``."""
    return from_._category <= to._category
