"""Making tensors: from data, filled, ranges; and converting their dtype and device."""

from __future__ import annotations

import builtins
import copy as _copy
import math
from typing import Any

import numpy as np

from . import dtypes
from ._from_data import python_to_array, quiet_casts, scalar_dtype
from ._tensor import Size, Tensor
from .autograd.function import Function
from .backend import CPU, Device, array_module, to_device

__all__ = [
    "tensor", "as_tensor", "asarray", "from_numpy", "scalar_tensor", "zeros", "ones", "full", "empty",
    "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace", "logspace", "eye",
    "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
    "ByteTensor", "BoolTensor", "is_tensor", "is_floating_point", "is_complex", "numel",
]

_py_range = builtins.range


def _device(device) -> Device:
    if device is None:
        return CPU
    return device if isinstance(device, Device) else Device(device)


def _requires_grad(t: Tensor) -> Tensor:
    """Turn on ``requires_grad`` of a freshly made tensor, with the factories' error for other dtypes."""
    if not t.dtype.is_floating_point:
        raise RuntimeError(
            f"Only Tensors of floating point and complex dtype can require gradients (got {t.dtype}); "
            "pass a floating dtype such as dtype=torch.float32"
        )
    t._requires_grad = True
    return t


def _finish(data, dtype, device, requires_grad: bool) -> Tensor:
    if device is not None:
        data = to_device(data, _device(device))
    t = Tensor._make(data, False)
    return _requires_grad(t) if requires_grad else t


def _source_array(data):
    """The NumPy/CuPy array behind a tensor or array-like, or None for Python data."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    if hasattr(data, "__array__") and not isinstance(data, np.generic):
        return np.asarray(data)
    return None


def tensor(data: Any, *, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor that copies ``data`` (nested lists, numbers, NumPy arrays or tensors).

    Python floats become float32 and ints int64, as in PyTorch; NumPy arrays keep their dtype:
    >>> saessak.tensor([[1., 2.], [3., 4.]])
    tensor([[1., 2.],
            [3., 4.]])
    """
    target = dtypes.to_dtype(dtype) if dtype is not None else None
    source = _source_array(data)
    if source is None:
        array = python_to_array(data, target)
    else:
        target = target or dtypes.from_numpy_dtype(source.dtype)
        with quiet_casts():
            array = source.astype(target.np, order="C", copy=True)
        if device is None and isinstance(data, Tensor):
            device = data.device
    return _finish(array, target, device, requires_grad)


def as_tensor(data: Any, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when dtype and device allow."""
    if isinstance(data, Tensor):
        if dtype is None and device is None:
            return data
        return data.to(device=device, dtype=dtype)
    target = dtypes.to_dtype(dtype) if dtype is not None else None
    source = _source_array(data)
    if source is None:
        array = python_to_array(data, target)
    else:
        target = target or dtypes.from_numpy_dtype(source.dtype)
        with quiet_casts():
            array = source.astype(target.np, copy=False)
    return _finish(array, target, device, False)


asarray = as_tensor


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array``: changes to one show in the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy_dtype(array.dtype)  # raises for unsupported dtypes
    return Tensor._make(array, False)


def scalar_tensor(value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A zero-dimensional tensor (float32 by default)."""
    return tensor(value, dtype=dtype or dtypes.get_default_dtype(), device=device, requires_grad=requires_grad)


def _size(size, name: str = "zeros") -> tuple:
    """Sizes given as ``2, 3``, ``(2, 3)``, ``[2, 3]`` or a ``Size``, checked like PyTorch checks them."""
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, int | np.integer) and not (isinstance(s, Tensor) and s.numel() == 1
                                                          and not s.dtype.is_floating_point):
            raise TypeError(
                f"{name}(): argument 'size' must be tuple of ints, but found element of type "
                f"{type(s).__name__} in {tuple(size)}"
            )
    size = tuple(int(s) for s in size)
    if any(s < 0 for s in size):
        raise RuntimeError(f"{name}: Dimension size must be non-negative (got size {list(size)})")
    return size


def _write_out(out: Tensor | None, result: Tensor) -> Tensor:
    """Honour ``out=``: the result goes into ``out`` (resized when its shape differs, as in PyTorch)."""
    if out is None:
        return result
    if out._data.shape == result._data.shape:
        out._data[...] = result._data
    else:
        out._data = result._data.astype(out._data.dtype)
    out._vc[0] += 1
    return out


def _filled(kind: str, size, fill, dtype, device, requires_grad, out=None) -> Tensor:
    d = dtypes.to_dtype(dtype) if dtype is not None else (out.dtype if out is not None else None)
    if d is None:
        d = dtypes.get_default_dtype()
    xp = array_module(_device(device))
    shape = _size(size, kind)
    if kind == "zeros":
        data = xp.zeros(shape, dtype=d.np)
    elif kind == "ones":
        data = xp.ones(shape, dtype=d.np)
    elif kind == "empty":
        data = xp.empty(shape, dtype=d.np)
    else:
        data = xp.full(shape, fill, dtype=d.np)
    t = Tensor._make(data, False)
    if requires_grad:
        _requires_grad(t)
    return _write_out(out, t)


def zeros(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``."""
    return _filled("zeros", args if size is None else (size,), 0, dtype, device, requires_grad, out)


def ones(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return _filled("ones", args if size is None else (size,), 1, dtype, device, requires_grad, out)


def empty(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False,
          pin_memory: bool = False, memory_format=None) -> Tensor:
    """An uninitialised tensor (its values are whatever the memory held): ``empty(2, 3)``."""
    return _filled("empty", args if size is None else (size,), 0, dtype, device, requires_grad, out)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``; its dtype follows the value (``full((2,), 7)`` is int64).

    >>> saessak.full((2, 2), 0.5)
    tensor([[0.5000, 0.5000],
            [0.5000, 0.5000]])
    """
    if isinstance(fill_value, Tensor):
        if dtype is None:
            dtype = fill_value.dtype
        fill_value = fill_value.item()
    if dtype is None:
        dtype = scalar_dtype(fill_value)
    return _filled("full", (size,) if isinstance(size, int) else (tuple(size),), fill_value, dtype, device,
                   requires_grad, out)


def _like(kind, x, fill, dtype, device, requires_grad) -> Tensor:
    return _filled(kind, (tuple(x.shape),), fill, dtype or x.dtype, device or x.device, requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    """Zeros with the shape (and by default dtype and device) of ``input``."""
    return _like("zeros", input, 0, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    """Ones with the shape (and by default dtype and device) of ``input``."""
    return _like("ones", input, 1, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    """An uninitialised tensor shaped like ``input``."""
    return _like("empty", input, 0, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None) -> Tensor:
    """A tensor shaped like ``input`` filled with ``fill_value`` (in ``input``'s dtype unless ``dtype``)."""
    return _like("full", input, _number(fill_value), dtype, device, requires_grad)


def _number(v):
    return v.item() if isinstance(v, Tensor) else v


# ---------------------------------------------------------------- ranges
def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """Values ``start, start + step, ...`` below ``end``; int64 when all arguments are ints, else float32.

    The length is ``ceil((end - start) / step)`` in double precision, so ``arange(0, 1, 0.1)`` has 10 values.
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and lower bound inconsistent with step sign (start={start}, end={end}, "
            f"step={step}); use a {'negative' if end < start else 'positive'} step"
        )
    if dtype is None:
        is_int = all(isinstance(v, int | np.integer) for v in (start, end, step))
        dtype = dtypes.int64 if is_int else dtypes.get_default_dtype()
    d = dtypes.to_dtype(dtype)
    if d is dtypes.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    xp = array_module(_device(device))
    count = math.ceil((end - start) / step)
    if d.is_floating_point:
        data = (xp.arange(count, dtype=np.float64) * step + start).astype(d.np)
    else:  # PyTorch casts start and step to the integer type first
        data = (xp.arange(count, dtype=np.int64) * int(step) + int(start)).astype(d.np)
    t = Tensor._make(data, False)
    return _write_out(out, _requires_grad(t) if requires_grad else t)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad: bool = False) -> Tensor:
    """Deprecated in PyTorch: like ``arange`` but including ``end`` (float by default)."""
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("range: step must be nonzero")
    count = math.floor((end - start) / step) + 1
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    data = (np.arange(builtins.max(count, 0)) * step + start).astype(d.np)
    return _write_out(out, _finish(data, d, device, requires_grad))


def _steps(steps) -> int:
    steps = int(_number(steps))
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative (got steps={steps})")
    return steps


def linspace(start, end, steps: int, *, out=None, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    >>> saessak.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    xp = array_module(_device(device))
    data = xp.linspace(_number(start), _number(end), _steps(steps))
    t = Tensor._make(data.astype(d.np), False)
    return _write_out(out, _requires_grad(t) if requires_grad else t)


def logspace(start, end, steps: int, base: float = 10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values ``base ** linspace(start, end)``."""
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    data = np.logspace(_number(start), _number(end), _steps(steps), base=base).astype(d.np)
    return _write_out(out, _finish(data, d, device, requires_grad))


def eye(n: int, m: int | None = None, *, out=None, dtype=None, layout=None, device=None,
        requires_grad: bool = False) -> Tensor:
    """The ``n x m`` identity matrix (``m`` defaults to ``n``)."""
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"eye: n and m must be greater or equal to 0, got n={n}, m={m}")
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    xp = array_module(_device(device))
    t = Tensor._make(xp.eye(n, m, dtype=d.np), False)
    return _write_out(out, _requires_grad(t) if requires_grad else t)


def is_tensor(obj: Any) -> bool:
    """True for saessak tensors (and Parameters)."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """True when ``input``'s dtype is a floating type (float16/32/64, bfloat16)."""
    return input.is_floating_point()


def is_complex(input: Tensor) -> bool:
    """True when ``input``'s dtype is complex (never, in saessak)."""
    return input.is_complex()


def numel(input: Tensor) -> int:
    """Number of elements of ``input``."""
    return input.numel()


# ---------------------------------------------------------------- dtype and device conversion
class ToCopy(Function):
    """A copy with another dtype and/or device; the gradient converts back."""

    _backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, *, dtype, device):
        ctx.source = (x._data.dtype, x.device)
        data = x._data
        if device is not None and device != x.device:
            data = to_device(data, device)
        if dtype is not None and data.dtype != dtype.np:
            with quiet_casts():
                data = data.astype(dtype.np)
        elif data is x._data:
            data = data.copy()
        return data

    @staticmethod
    def backward(ctx, gy):
        dtype, device = ctx.source
        return ToCopy.apply(gy, dtype=dtypes.from_numpy_dtype(dtype), device=device)


def _parse_to(args, kwargs):
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, dtypes.dtype) or a in (float, int, bool):
            dtype = dtypes.to_dtype(a)
        elif isinstance(a, str | Device | int):
            device = a
        elif isinstance(a, bool):
            pass
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    if dtype is not None:
        dtype = dtypes.to_dtype(dtype)
    if device is not None:
        device = Device(device) if not isinstance(device, Device) else device
    return dtype, device, copy


def to(x: Tensor, *args, **kwargs) -> Tensor:
    """``x`` converted to a dtype and/or device; ``x`` itself when nothing changes (unless copy=True)."""
    dtype, device, copy = _parse_to(args, kwargs)
    same_dtype = dtype is None or x._data.dtype == dtype.np
    same_device = device is None or device == x.device
    if same_dtype and same_device and not copy:
        return x
    return ToCopy.apply(x, dtype=dtype, device=device)


def cast(x: Tensor, dtype: dtypes.dtype) -> Tensor:
    """``x`` as ``dtype`` (itself when it already is)."""
    if x._data.dtype == dtype.np:
        return x
    return ToCopy.apply(x, dtype=dtype, device=None)


_TYPE_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor", "int64": "LongTensor",
    "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


def type_name(x: Tensor) -> str:
    """``'torch.FloatTensor'`` style name of ``x``'s dtype and device."""
    prefix = "torch.cuda." if x.device.type == "cuda" else "torch."
    return prefix + _TYPE_NAMES[x.dtype.name]


def to_type(x: Tensor, kind) -> Tensor:
    """``x.type(saessak.float64)`` or ``x.type('torch.DoubleTensor')``."""
    if isinstance(kind, str):
        short = kind.rsplit(".", 1)[-1]
        for name, tname in _TYPE_NAMES.items():
            if tname == short:
                return to(x, dtypes.to_dtype(name), "cuda" if ".cuda." in kind else x.device)
        raise ValueError(f"invalid type: '{kind}'")
    if isinstance(kind, type) and issubclass(kind, _LegacyTensor):
        return cast(x, kind._dtype)
    return cast(x, dtypes.to_dtype(kind))


def view_as_dtype(x: Tensor, dtype) -> Tensor:
    """Reinterpret the bytes of ``x`` as ``dtype`` (``x.view(saessak.int32)``)."""
    d = dtypes.to_dtype(dtype)
    t = Tensor._make(x._data.view(d.np), False)
    t._vc = x._vc
    t._base = x if x._base is None else x._base
    return t


def deepcopy(x: Tensor) -> Tensor:
    """A deep copy of a leaf tensor: new memory, same ``requires_grad``, its ``.grad`` copied too."""
    if x._grad_fn is not None:
        raise RuntimeError(
            "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the "
            "moment. If you were attempting to deepcopy a module, this may be because of a torch.nn.utils."
            "weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001"
        )
    out = Tensor._make(x._data.copy(), False)
    if type(x) is not Tensor:
        out = type(x).__new__(type(x), out, x._requires_grad) if _takes_data(type(x)) else out
        if isinstance(out, type(x)) and hasattr(x, "__dict__"):
            for key, value in x.__dict__.items():
                if key not in ("_data", "_vc", "_grad", "_requires_grad"):
                    out.__dict__[key] = _copy.deepcopy(value)
    out._requires_grad = x._requires_grad
    if x._grad is not None:
        out._grad = deepcopy(x._grad)
    return out


def _takes_data(cls) -> bool:
    return "__new__" in cls.__dict__ or any("__new__" in b.__dict__ for b in cls.__mro__[1:-2])


# ---------------------------------------------------------------- legacy constructors
def _legacy_new(cls, args, kwargs, dtype: dtypes.dtype | None = None) -> Tensor:
    """``Tensor(2, 3)`` (uninitialised, of that shape), ``Tensor([1, 2])`` (data), ``Tensor(t)`` (``t`` itself)."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments: unexpected keyword arguments "
                        f"{sorted(kwargs)} (only device= is accepted; use torch.tensor(data, dtype=...))")
    fixed = dtype is not None
    dtype = dtype or dtypes.get_default_dtype()
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if fixed and other.dtype is not dtype:
            raise TypeError(f"expected {dtype} tensor (got {other.dtype}): convert it with .to({dtype})")
        return other
    if not args:
        data = np.empty((0,), dtype=dtype.np)
    elif all(isinstance(a, int | np.integer) for a in args) or (
        len(args) == 1 and isinstance(args[0], Size)
    ):
        data = np.zeros(_size(args, "new"), dtype=dtype.np)
    elif len(args) == 1 and isinstance(args[0], list | tuple | np.ndarray | _py_range):
        source = args[0]
        data = np.array(source, dtype=dtype.np) if isinstance(source, np.ndarray) else python_to_array(source, dtype)
    else:
        kinds = ", ".join(type(a).__name__ for a in args)
        raise TypeError(f"new(): data must be a sequence or sizes must be ints (got {kinds}); "
                        "use torch.tensor(value) for a number")
    t = Tensor._make(data, False)
    if cls is not Tensor and not issubclass(cls, _LegacyTensor):
        t.__class__ = cls
    if device is not None:
        t = t.to(device)
    return t


class _LegacyTensorType(type):
    """``isinstance(t, saessak.FloatTensor)`` is true for float32 CPU tensors, as in PyTorch."""

    def __instancecheck__(cls, obj) -> bool:
        dtype = cls.__dict__.get("_dtype")
        if dtype is None:
            return False
        return isinstance(obj, Tensor) and obj.dtype is dtype and obj.device.type == "cpu"


class _LegacyTensor(metaclass=_LegacyTensorType):
    """``FloatTensor([1, 2])``, ``LongTensor(3)``: constructors fixed to one dtype, as in old PyTorch."""

    _dtype: dtypes.dtype

    def __new__(cls, *args, **kwargs):
        return _legacy_new(cls, args, kwargs, cls._dtype)


def _legacy(name: str, dtype: dtypes.dtype) -> type:
    return type(name, (_LegacyTensor,), {"_dtype": dtype, "__module__": __name__,
                                          "__doc__": f"Legacy constructor of {dtype} tensors."})


FloatTensor = _legacy("FloatTensor", dtypes.float32)
DoubleTensor = _legacy("DoubleTensor", dtypes.float64)
HalfTensor = _legacy("HalfTensor", dtypes.float16)
LongTensor = _legacy("LongTensor", dtypes.int64)
IntTensor = _legacy("IntTensor", dtypes.int32)
ShortTensor = _legacy("ShortTensor", dtypes.int16)
CharTensor = _legacy("CharTensor", dtypes.int8)
ByteTensor = _legacy("ByteTensor", dtypes.uint8)
BoolTensor = _legacy("BoolTensor", dtypes.bool)
