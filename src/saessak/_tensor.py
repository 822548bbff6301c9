"""``Tensor``: an array on a device, plus the bookkeeping autograd needs.

A Tensor holds:
- ``_data``: the backend array (NumPy or CuPy); views share it with their base, as in PyTorch;
- ``_requires_grad``, ``_grad``, ``_grad_fn`` (the node that made it) and ``_out_idx`` (which output);
- ``_vc``: the version counter, a one-element list shared by a tensor and all its views, bumped by
  every in-place change so backward can detect a saved tensor that was modified.

Every method and dunder below is one line that calls into ``saessak.ops``; the math lives there.
"""

from __future__ import annotations

import numpy as np

from . import dtypes as _dtypes
from .autograd.grad_mode import state as _grad_state
from .backend import CPU, Device, array_device, get_array_module

_ndarray = np.ndarray
_new = object.__new__


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        """Product of the dimensions."""
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, key):
        out = tuple.__getitem__(self, key)
        return Size(out) if isinstance(key, slice) else out


class Tensor:
    """A multi-dimensional array that records the operations made on it, for backward.

    >>> x = saessak.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """

    # Rarely-set attributes live on the class so creating a tensor sets only what it must.
    _requires_grad = False
    _grad = None
    _grad_fn = None
    _out_idx = 0
    _base = None
    _hooks = None
    _post_acc_hooks = None
    _retains_grad = False
    _is_tensor = True
    _n_outputs = 1
    _edges = ()  # a leaf is a graph node with no inputs
    __array_priority__ = 1000  # NumPy defers to Tensor's reflected dunders
    __hash__ = object.__hash__

    # ------------------------------------------------------------------ construction
    def __new__(cls, *args, **kwargs):
        from .creation import _legacy_new

        return _legacy_new(cls, args, kwargs)

    def __init__(self, *args, **kwargs) -> None:
        pass

    @classmethod
    def _make(cls, data, requires_grad: bool = False):
        """Wrap a backend array (no copy). The fast internal constructor every op uses."""
        if type(data) is not _ndarray:
            data = _as_array(data)
        t = _new(cls)
        t._data = data
        t._vc = [0]
        if requires_grad:
            t._requires_grad = True
        return t

    def _new(self, data):
        """A fresh tensor for ``data`` that requires no grad."""
        return Tensor._make(data, False)

    def _alias(self):
        """Another tensor object over the same data and version counter, with no history."""
        t = Tensor._make(self._data, False)
        t._vc = self._vc
        t._base = self if self._base is None else self._base
        return t

    def _xp(self):
        return np if type(self._data) is _ndarray else get_array_module(self._data)

    # ------------------------------------------------------------------ properties
    @property
    def data(self) -> Tensor:
        """The same storage without history (``x.data`` in PyTorch); changes to it are not tracked."""
        t = Tensor._make(self._data, False)
        t._vc = [0]
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data if isinstance(value, Tensor) else _as_array(value)

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if value and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(value)

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if tuple(value.shape) != tuple(self.shape):
                raise RuntimeError(f"assigned grad has data of a different size: grad shape "
                                   f"{tuple(value.shape)} does not match tensor shape {tuple(self.shape)}")
            if value.dtype is not self.dtype:
                raise RuntimeError(f"assigned grad has data of a different type: {value.dtype} for a "
                                   f"tensor of {self.dtype}")
        self._grad = value

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._out_idx

    @property
    def _version(self) -> int:
        return self._vc[0]

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> _dtypes.dtype:
        return _dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> Device:
        return CPU if type(self._data) is _ndarray else array_device(self._data)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        """Number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        """Number of elements."""
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def stride(self, dim: int | None = None):
        """Strides in elements (not bytes), as PyTorch reports them."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def storage_offset(self) -> int:
        """Offset in elements of this view's first element within its base's memory."""
        base = self._data
        while base.base is not None and isinstance(base.base, type(self._data)):
            base = base.base
        start = self._data.__array_interface__["data"][0] if self.is_cpu else self._data.data.ptr
        origin = base.__array_interface__["data"][0] if self.is_cpu else base.data.ptr
        return (start - origin) // self._data.itemsize

    def data_ptr(self) -> int:
        """Address of the first element."""
        return self._data.__array_interface__["data"][0] if self.is_cpu else self._data.data.ptr

    def is_contiguous(self, memory_format=None) -> bool:
        """True when elements are laid out in row-major order without gaps."""
        return bool(self._data.flags.c_contiguous)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return False

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def layout(self) -> str:
        return "torch.strided"

    @property
    def T(self) -> Tensor:
        return _shape.permute(self, tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        if self._data.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. Got {self._data.ndim}-D tensor."
            )
        return _shape.transpose(self, -2, -1)

    @property
    def H(self) -> Tensor:
        return self.T

    @property
    def mH(self) -> Tensor:
        return self.mT

    # ------------------------------------------------------------------ conversions
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def tolist(self):
        """Nested Python lists of Python numbers."""
        return _to_host(self._data).tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The NumPy array sharing this tensor's memory (CPU tensors without grad only)."""
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        if not self.is_cpu:
            if force:
                return _to_host(self._data)
            raise TypeError(
                f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to copy the "
                "tensor to host memory first."
            )
        return self._data

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad:
            array = self._data
        else:
            array = self.numpy()
        array = _to_host(array)
        return array if dtype is None else array.astype(dtype, copy=False)

    def detach(self) -> Tensor:
        """The same data and version counter, cut from the graph (requires_grad=False)."""
        t = Tensor._make(self._data, False)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf."""
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        self._out_idx = 0
        return self

    def clone(self, *, memory_format=None) -> Tensor:
        """A copy with its own memory that stays in the graph (CloneBackward0)."""
        return _shape.clone(self)

    def contiguous(self, memory_format=None) -> Tensor:
        """Itself when already contiguous, else a contiguous copy."""
        return _shape.contiguous(self)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self."""
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        import weakref

        node = self._grad_fn
        node._special_grads = True
        if node._retained is None:
            node._retained = {}
        node._retained[self._out_idx] = weakref.ref(self)
        self._retains_grad = True

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a new gradient."""
        from .utils.hooks import RemovableHandle

        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            hooks = self._grad_fn._tensor_pre_hooks(self._out_idx)
        else:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs on a leaf after its ``.grad`` was accumulated."""
        from .utils.hooks import RemovableHandle

        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = []
        self._post_acc_hooks.append(hook)
        return RemovableHandle(self._post_acc_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``gradient``: d(out)/d(self) for non-scalars)."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # ------------------------------------------------------------------ dtype and device
    def to(self, *args, **kwargs) -> Tensor:
        """Convert dtype and/or device: ``x.to(saessak.float64)``, ``x.to('cuda')``, ``x.to(other)``."""
        return _creation.to(self, *args, **kwargs)

    def type(self, dtype=None, non_blocking: bool = False, **kwargs):
        """With no argument the type name (``'torch.FloatTensor'``); else a converted tensor."""
        if dtype is None:
            return _creation.type_name(self)
        return _creation.to_type(self, dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def float(self) -> Tensor:
        return _creation.cast(self, _dtypes.float32)

    def double(self) -> Tensor:
        return _creation.cast(self, _dtypes.float64)

    def half(self) -> Tensor:
        return _creation.cast(self, _dtypes.float16)

    def bfloat16(self) -> Tensor:
        return _creation.cast(self, _dtypes.bfloat16)

    def long(self) -> Tensor:
        return _creation.cast(self, _dtypes.int64)

    def int(self) -> Tensor:
        return _creation.cast(self, _dtypes.int32)

    def short(self) -> Tensor:
        return _creation.cast(self, _dtypes.int16)

    def char(self) -> Tensor:
        return _creation.cast(self, _dtypes.int8)

    def byte(self) -> Tensor:
        return _creation.cast(self, _dtypes.uint8)

    def bool(self) -> Tensor:
        return _creation.cast(self, _dtypes.bool)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device=None, non_blocking: bool = False) -> Tensor:
        return self.to(Device("cuda", device if isinstance(device, int) else 0) if device is None or
                       isinstance(device, int) else device)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _creation.tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                                requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _creation.zeros(*size, dtype=dtype or self.dtype, device=device or self.device,
                               requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _creation.ones(*size, dtype=dtype or self.dtype, device=device or self.device,
                              requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _creation.full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                              requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _creation.empty(*size, dtype=dtype or self.dtype, device=device or self.device,
                               requires_grad=requires_grad)

    # ------------------------------------------------------------------ printing
    def __repr__(self, *, tensor_contents=None) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self, tensor_contents)

    def __str__(self) -> str:
        return self.__repr__()

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return self.item().__format__(spec)
        return self.__repr__().__format__(spec)

    def _repr_svg_(self):  # pragma: no cover - filled in by saessak.viz when present
        return None

    # ------------------------------------------------------------------ Python protocols
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_shape.unbind(self, 0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
                if self._data.size > 1 else "Boolean value of Tensor with no values is ambiguous"
            )
        return bool(self._data.reshape(()).item())

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self) -> complex:
        return complex(self.item())

    def __contains__(self, element) -> bool:
        return bool((self == element).any())

    def __reduce_ex__(self, protocol):
        return (_rebuild, (_to_host(self._data), self._requires_grad, str(self.device)))

    def __deepcopy__(self, memo):
        out = _creation.deepcopy(self)
        memo[id(self)] = out
        return out

    # ------------------------------------------------------------------ arithmetic dunders
    def __add__(self, other): return _Add(self, other)
    def __radd__(self, other): return _Add(self, other)
    def __iadd__(self, other): return _inplace.add_(self, other)
    def __sub__(self, other): return _Sub(self, other)
    def __rsub__(self, other): return _arith.rsub(self, other)
    def __isub__(self, other): return _inplace.sub_(self, other)
    def __mul__(self, other): return _Mul(self, other)
    def __rmul__(self, other): return _Mul(self, other)
    def __imul__(self, other): return _inplace.mul_(self, other)
    def __truediv__(self, other): return _Div(self, other)
    def __rtruediv__(self, other): return _arith.rdiv(self, other)
    def __itruediv__(self, other): return _inplace.div_(self, other)
    def __floordiv__(self, other): return _arith.floor_divide(self, other)
    def __rfloordiv__(self, other): return _arith.floor_divide(_arith.as_operand(other, self), self)
    def __ifloordiv__(self, other): return _inplace.floor_divide_(self, other)
    def __mod__(self, other): return _arith.remainder(self, other)
    def __rmod__(self, other): return _arith.remainder(_arith.as_operand(other, self), self)
    def __imod__(self, other): return _inplace.remainder_(self, other)
    def __pow__(self, other): return _arith.pow(self, other)
    def __rpow__(self, other): return _arith.pow(_arith.as_operand(other, self), self)
    def __ipow__(self, other): return _inplace.pow_(self, other)
    def __matmul__(self, other): return _linalg.matmul(self, other)
    def __rmatmul__(self, other): return _linalg.matmul(_arith.as_operand(other, self), self)
    def __neg__(self): return _arith.neg(self)
    def __pos__(self): return self
    def __abs__(self): return _unary.abs(self)
    def __invert__(self): return _compare.bitwise_not(self)
    def __and__(self, other): return _compare.bitwise_and(self, other)
    def __rand__(self, other): return _compare.bitwise_and(self, other)
    def __iand__(self, other): return _inplace.bitwise_and_(self, other)
    def __or__(self, other): return _compare.bitwise_or(self, other)
    def __ror__(self, other): return _compare.bitwise_or(self, other)
    def __ior__(self, other): return _inplace.bitwise_or_(self, other)
    def __xor__(self, other): return _compare.bitwise_xor(self, other)
    def __rxor__(self, other): return _compare.bitwise_xor(self, other)
    def __ixor__(self, other): return _inplace.bitwise_xor_(self, other)
    def __lshift__(self, other): return _compare.bitwise_left_shift(self, other)
    def __rshift__(self, other): return _compare.bitwise_right_shift(self, other)
    def __eq__(self, other): return _compare.eq(self, other)
    def __ne__(self, other): return _compare.ne(self, other)
    def __lt__(self, other): return _compare.lt(self, other)
    def __le__(self, other): return _compare.le(self, other)
    def __gt__(self, other): return _compare.gt(self, other)
    def __ge__(self, other): return _compare.ge(self, other)
    def __getitem__(self, index): return _index.getitem(self, index)
    def __setitem__(self, index, value): _index.setitem(self, index, value)

    # ------------------------------------------------------------------ arithmetic methods
    def add(self, other, *, alpha=1): return _arith.add(self, other, alpha=alpha)
    def add_(self, other, *, alpha=1): return _inplace.add_(self, other, alpha=alpha)
    def sub(self, other, *, alpha=1): return _arith.sub(self, other, alpha=alpha)
    def sub_(self, other, *, alpha=1): return _inplace.sub_(self, other, alpha=alpha)
    subtract = sub
    def mul(self, other): return _arith.mul(self, other)
    def mul_(self, other): return _inplace.mul_(self, other)
    multiply = mul
    def div(self, other, *, rounding_mode=None): return _arith.div(self, other, rounding_mode=rounding_mode)
    def div_(self, other, *, rounding_mode=None): return _inplace.div_(self, other, rounding_mode=rounding_mode)
    divide = true_divide = div
    def floor_divide(self, other): return _arith.floor_divide(self, other)
    def floor_divide_(self, other): return _inplace.floor_divide_(self, other)
    def remainder(self, other): return _arith.remainder(self, other)
    def fmod(self, other): return _arith.fmod(self, other)
    def pow(self, exponent): return _arith.pow(self, exponent)
    def pow_(self, exponent): return _inplace.pow_(self, exponent)
    def neg(self): return _arith.neg(self)
    def neg_(self): return _inplace.neg_(self)
    negative = neg
    def addcmul(self, t1, t2, *, value=1): return _arith.addcmul(self, t1, t2, value=value)
    def addcmul_(self, t1, t2, *, value=1): return _inplace.addcmul_(self, t1, t2, value=value)
    def addcdiv(self, t1, t2, *, value=1): return _arith.addcdiv(self, t1, t2, value=value)
    def addcdiv_(self, t1, t2, *, value=1): return _inplace.addcdiv_(self, t1, t2, value=value)
    def eq(self, other): return _compare.eq(self, other)
    def ne(self, other): return _compare.ne(self, other)
    def lt(self, other): return _compare.lt(self, other)
    def le(self, other): return _compare.le(self, other)
    def gt(self, other): return _compare.gt(self, other)
    def ge(self, other): return _compare.ge(self, other)
    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
    def equal(self, other) -> bool: return _compare.equal(self, other)
    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
        return _compare.allclose(self, other, rtol=rtol, atol=atol, equal_nan=equal_nan)
    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _compare.isclose(self, other, rtol=rtol, atol=atol, equal_nan=equal_nan)
    def logical_and(self, other): return _compare.logical_and(self, other)
    def logical_or(self, other): return _compare.logical_or(self, other)
    def logical_xor(self, other): return _compare.logical_xor(self, other)
    def logical_not(self): return _compare.logical_not(self)
    def bitwise_and(self, other): return _compare.bitwise_and(self, other)
    def bitwise_or(self, other): return _compare.bitwise_or(self, other)
    def bitwise_xor(self, other): return _compare.bitwise_xor(self, other)
    def bitwise_not(self): return _compare.bitwise_not(self)

    # ------------------------------------------------------------------ elementwise math
    def abs(self): return _unary.abs(self)
    def abs_(self): return _unary.abs_(self)
    absolute = abs
    def exp(self): return _Exp(self)
    def exp_(self): return _unary.exp_(self)
    def exp2(self): return _unary.exp2(self)
    def expm1(self): return _unary.expm1(self)
    def log(self): return _unary.log(self)
    def log_(self): return _unary.log_(self)
    def log2(self): return _unary.log2(self)
    def log10(self): return _unary.log10(self)
    def log1p(self): return _unary.log1p(self)
    def sqrt(self): return _unary.sqrt(self)
    def sqrt_(self): return _unary.sqrt_(self)
    def rsqrt(self): return _unary.rsqrt(self)
    def sin(self): return _unary.sin(self)
    def sin_(self): return _unary.sin_(self)
    def cos(self): return _unary.cos(self)
    def cos_(self): return _unary.cos_(self)
    def tan(self): return _unary.tan(self)
    def tanh(self): return _Tanh(self)
    def tanh_(self): return _unary.tanh_(self)
    def sinh(self): return _unary.sinh(self)
    def cosh(self): return _unary.cosh(self)
    def asin(self): return _unary.asin(self)
    def acos(self): return _unary.acos(self)
    def atan(self): return _unary.atan(self)
    arcsin, arccos, arctan = asin, acos, atan
    def atan2(self, other): return _unary.atan2(self, other)
    arctan2 = atan2
    def sigmoid(self): return _Sigmoid(self)
    def sigmoid_(self): return _unary.sigmoid_(self)
    def relu(self): return _unary.relu(self)
    def relu_(self): return _unary.relu_(self)
    def erf(self): return _unary.erf(self)
    def erfinv(self): return _unary.erfinv(self)
    def floor(self): return _unary.floor(self)
    def floor_(self): return _unary.floor_(self)
    def ceil(self): return _unary.ceil(self)
    def ceil_(self): return _unary.ceil_(self)
    def round(self, *, decimals=0): return _unary.round(self, decimals=decimals)
    def round_(self, *, decimals=0): return _unary.round_(self, decimals=decimals)
    def trunc(self): return _unary.trunc(self)
    def trunc_(self): return _unary.trunc_(self)
    fix = trunc
    def frac(self): return _unary.frac(self)
    def sign(self): return _unary.sign(self)
    def sgn(self): return _unary.sign(self)
    def reciprocal(self): return _unary.reciprocal(self)
    def reciprocal_(self): return _unary.reciprocal_(self)
    def square(self): return _unary.square(self)
    def square_(self): return _unary.square_(self)
    def clamp(self, min=None, max=None): return _unary.clamp(self, min, max)
    def clamp_(self, min=None, max=None): return _unary.clamp_(self, min, max)
    clip, clip_ = clamp, clamp_
    def clamp_min(self, min): return _unary.clamp_min(self, min)
    def clamp_max(self, max): return _unary.clamp_max(self, max)
    def lerp(self, end, weight): return _unary.lerp(self, end, weight)
    def lerp_(self, end, weight): return _unary.lerp_(self, end, weight)
    def where(self, condition, other): return _unary.where(condition, self, other)
    def maximum(self, other): return _unary.maximum(self, other)
    def minimum(self, other): return _unary.minimum(self, other)
    def fmax(self, other): return _unary.fmax(self, other)
    def fmin(self, other): return _unary.fmin(self, other)
    def isnan(self): return _unary.isnan(self)
    def isinf(self): return _unary.isinf(self)
    def isfinite(self): return _unary.isfinite(self)
    def isposinf(self): return _unary.isposinf(self)
    def isneginf(self): return _unary.isneginf(self)
    def signbit(self): return _unary.signbit(self)
    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return _unary.nan_to_num(self, nan=nan, posinf=posinf, neginf=neginf)
    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        return _unary.nan_to_num_(self, nan=nan, posinf=posinf, neginf=neginf)
    def softmax(self, dim, dtype=None): return _softmax.softmax(self, dim, dtype=dtype)
    def log_softmax(self, dim, dtype=None): return _softmax.log_softmax(self, dim, dtype=dtype)

    # ------------------------------------------------------------------ in-place fills
    def zero_(self): return _inplace.fill_(self, 0)
    def fill_(self, value): return _inplace.fill_(self, value)
    def copy_(self, src, non_blocking: bool = False): return _inplace.copy_(self, src)
    def uniform_(self, a=0.0, b=1.0, *, generator=None): return _random.uniform_(self, a, b, generator=generator)
    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return _random.normal_(self, mean, std, generator=generator)
    def bernoulli_(self, p=0.5, *, generator=None): return _random.bernoulli_(self, p, generator=generator)
    def random_(self, from_=None, to=None, *, generator=None):
        return _random.random_(self, from_, to, generator=generator)
    def exponential_(self, lambd=1.0, *, generator=None):
        return _random.exponential_(self, lambd, generator=generator)
    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        return _random.log_normal_(self, mean, std, generator=generator)
    def geometric_(self, p, *, generator=None): return _random.geometric_(self, p, generator=generator)
    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        return _random.cauchy_(self, median, sigma, generator=generator)
    def bernoulli(self, p=None, *, generator=None): return _random.bernoulli(self, p, generator=generator)
    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return _random.multinomial(self, num_samples, replacement, generator=generator)

    # ------------------------------------------------------------------ reductions
    def sum(self, dim=None, keepdim=False, *, dtype=None): return _reduce.sum(self, dim, keepdim, dtype=dtype)
    def nansum(self, dim=None, keepdim=False, *, dtype=None):
        return _reduce.nansum(self, dim, keepdim, dtype=dtype)
    def mean(self, dim=None, keepdim=False, *, dtype=None): return _reduce.mean(self, dim, keepdim, dtype=dtype)
    def nanmean(self, dim=None, keepdim=False, *, dtype=None):
        return _reduce.nanmean(self, dim, keepdim, dtype=dtype)
    def prod(self, dim=None, keepdim=False, *, dtype=None): return _reduce.prod(self, dim, keepdim, dtype=dtype)
    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _reduce.var(self, dim, unbiased, keepdim, correction=correction)
    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _reduce.std(self, dim, unbiased, keepdim, correction=correction)
    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return _reduce.norm(self, p, dim, keepdim, dtype=dtype)
    def logsumexp(self, dim, keepdim=False): return _reduce.logsumexp(self, dim, keepdim)
    def amax(self, dim=(), keepdim=False): return _extrema.amax(self, dim, keepdim)
    def amin(self, dim=(), keepdim=False): return _extrema.amin(self, dim, keepdim)
    def aminmax(self, *, dim=None, keepdim=False): return _extrema.aminmax(self, dim=dim, keepdim=keepdim)
    def max(self, dim=None, keepdim=False): return _extrema.max(self, dim, keepdim)
    def min(self, dim=None, keepdim=False): return _extrema.min(self, dim, keepdim)
    def argmax(self, dim=None, keepdim=False): return _extrema.argmax(self, dim, keepdim)
    def argmin(self, dim=None, keepdim=False): return _extrema.argmin(self, dim, keepdim)
    def all(self, dim=None, keepdim=False): return _reduce.all(self, dim, keepdim)
    def any(self, dim=None, keepdim=False): return _reduce.any(self, dim, keepdim)
    def count_nonzero(self, dim=None): return _reduce.count_nonzero(self, dim)
    def cumsum(self, dim, *, dtype=None): return _cumulative.cumsum(self, dim, dtype=dtype)
    def cumprod(self, dim, *, dtype=None): return _cumulative.cumprod(self, dim, dtype=dtype)
    def cummax(self, dim): return _cumulative.cummax(self, dim)
    def cummin(self, dim): return _cumulative.cummin(self, dim)
    def logcumsumexp(self, dim): return _cumulative.logcumsumexp(self, dim)
    def sum_to_size(self, *size): return _reduce.sum_to_size(self, *size)
    def sort(self, dim=-1, descending=False, stable=False): return _sort.sort(self, dim, descending, stable=stable)
    def argsort(self, dim=-1, descending=False, stable=False):
        return _sort.argsort(self, dim, descending, stable=stable)
    def topk(self, k, dim=-1, largest=True, sorted=True): return _sort.topk(self, k, dim, largest, sorted)
    def kthvalue(self, k, dim=-1, keepdim=False): return _sort.kthvalue(self, k, dim, keepdim)
    def median(self, dim=None, keepdim=False): return _sort.median(self, dim, keepdim)
    def mode(self, dim=-1, keepdim=False): return _sort.mode(self, dim, keepdim)
    def nanmedian(self, dim=None, keepdim=False): return _sort.nanmedian(self, dim, keepdim)
    def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        return _sort.quantile(self, q, dim, keepdim, interpolation=interpolation)
    def nanquantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        return _sort.nanquantile(self, q, dim, keepdim, interpolation=interpolation)
    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return _sort.unique(self, sorted, return_inverse, return_counts, dim)

    # ------------------------------------------------------------------ linear algebra
    def matmul(self, other): return _linalg.matmul(self, other)
    def mm(self, other): return _linalg.mm(self, other)
    def bmm(self, other): return _linalg.bmm(self, other)
    def mv(self, vec): return _linalg.mv(self, vec)
    def dot(self, other): return _linalg.dot(self, other)
    def outer(self, other): return _linalg.outer(self, other)
    ger = outer
    def addmm(self, mat1, mat2, *, beta=1, alpha=1): return _linalg.addmm(self, mat1, mat2, beta=beta, alpha=alpha)
    def baddbmm(self, b1, b2, *, beta=1, alpha=1): return _linalg.baddbmm(self, b1, b2, beta=beta, alpha=alpha)
    def inverse(self): return _linalg.inv(self)
    def det(self): return _linalg.det(self)
    def logdet(self): return _linalg.logdet(self)
    def slogdet(self): return _linalg.slogdet_compat(self)
    def cholesky(self, upper=False): return _linalg.cholesky_compat(self, upper)
    def qr(self, some=True): return _linalg.qr_compat(self, some)
    def svd(self, some=True, compute_uv=True): return _linalg.svd_compat(self, some, compute_uv)
    def pinverse(self, rcond=1e-15): return _linalg.pinv(self, rtol=rcond)
    def matrix_power(self, n): return _linalg.matrix_power(self, n)
    def matrix_exp(self): return _linalg.matrix_exp(self)
    def vdot(self, other): return _linalg.vdot(self, other)
    def inner(self, other): return _linalg.inner(self, other)
    def kron(self, other): return _linalg.kron(self, other)
    def addmv(self, mat, vec, *, beta=1, alpha=1): return _linalg.addmv(self, mat, vec, beta=beta, alpha=alpha)
    def addr(self, vec1, vec2, *, beta=1, alpha=1): return _linalg.addr(self, vec1, vec2, beta=beta, alpha=alpha)
    def addbmm(self, b1, b2, *, beta=1, alpha=1): return _linalg.addbmm(self, b1, b2, beta=beta, alpha=alpha)

    # ------------------------------------------------------------------ shape
    def view(self, *shape):
        if len(shape) == 1 and not isinstance(shape[0], int | tuple | list | Size) and shape[0] is not None:
            return _creation.view_as_dtype(self, shape[0])
        return _shape.view(self, *shape)
    def view_as(self, other): return _shape.view(self, *other.shape)
    def reshape(self, *shape): return _shape.reshape(self, *shape)
    def reshape_as(self, other): return _shape.reshape(self, *other.shape)
    def flatten(self, start_dim=0, end_dim=-1): return _shape.flatten(self, start_dim, end_dim)
    def unflatten(self, dim, sizes): return _shape.unflatten(self, dim, sizes)
    def ravel(self): return _shape.reshape(self, -1)
    def squeeze(self, dim=None): return _shape.squeeze(self, dim)
    def squeeze_(self, dim=None): return _shape.squeeze_(self, dim)
    def unsqueeze(self, dim): return _shape.unsqueeze(self, dim)
    def unsqueeze_(self, dim): return _shape.unsqueeze_(self, dim)
    def transpose(self, dim0, dim1): return _shape.transpose(self, dim0, dim1)
    def transpose_(self, dim0, dim1): return _shape.transpose_(self, dim0, dim1)
    swapaxes = swapdims = transpose
    def t(self): return _shape.t(self)
    def t_(self): return _shape.t_(self)
    def permute(self, *dims, **kwargs): return _shape.permute(self, *dims, **kwargs)
    def movedim(self, source, destination): return _shape.movedim(self, source, destination)
    moveaxis = movedim
    def expand(self, *sizes): return _shape.expand(self, *sizes)
    def expand_as(self, other): return _shape.expand(self, *other.shape)
    def broadcast_to(self, shape): return _shape.broadcast_to(self, shape)
    def repeat(self, *sizes): return _shape.repeat(self, *sizes)
    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        return _shape.repeat_interleave(self, repeats, dim, output_size=output_size)
    def tile(self, dims): return _shape.tile(self, dims)
    def split(self, split_size, dim=0): return _shape.split(self, split_size, dim)
    def tensor_split(self, indices_or_sections, dim=0): return _shape.tensor_split(self, indices_or_sections, dim)
    def chunk(self, chunks, dim=0): return _shape.chunk(self, chunks, dim)
    def unbind(self, dim=0): return _shape.unbind(self, dim)
    def narrow(self, dim, start, length): return _shape.narrow(self, dim, start, length)
    def flip(self, *dims, **kwargs): return _shape.flip(self, *dims, **kwargs)
    def fliplr(self): return _shape.fliplr(self)
    def flipud(self): return _shape.flipud(self)
    def rot90(self, k=1, dims=(0, 1)): return _shape.rot90(self, k, dims)
    def roll(self, shifts, dims=None): return _shape.roll(self, shifts, dims)
    def tril(self, diagonal=0): return _shape.tril(self, diagonal)
    def tril_(self, diagonal=0): return _shape.tril_(self, diagonal)
    def triu(self, diagonal=0): return _shape.triu(self, diagonal)
    def triu_(self, diagonal=0): return _shape.triu_(self, diagonal)
    def diagonal(self, offset=0, dim1=0, dim2=1): return _shape.diagonal(self, offset, dim1, dim2)
    def diag(self, diagonal=0): return _shape.diag(self, diagonal)
    def diag_embed(self, offset=0, dim1=-2, dim2=-1): return _shape.diag_embed(self, offset, dim1, dim2)
    def trace(self): return _shape.trace(self)
    def unfold(self, dimension, size, step): return _shape.unfold(self, dimension, size, step)
    def as_strided(self, size, stride, storage_offset=None):
        return _shape.as_strided(self, size, stride, storage_offset)

    # ------------------------------------------------------------------ indexing
    def gather(self, dim, index): return _index.gather(self, dim, index)
    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return _index.scatter(self, dim, index, src, value=value, reduce=reduce)
    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        return _index.scatter_(self, dim, index, src, value=value, reduce=reduce)
    def scatter_add(self, dim, index, src): return _index.scatter_add(self, dim, index, src)
    def scatter_add_(self, dim, index, src): return _index.scatter_add_(self, dim, index, src)
    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        return _index.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)
    def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
        return _index.scatter_reduce_(self, dim, index, src, reduce, include_self=include_self)
    def index_select(self, dim, index): return _index.index_select(self, dim, index)
    def index_add(self, dim, index, source, *, alpha=1): return _index.index_add(self, dim, index, source, alpha=alpha)
    def index_add_(self, dim, index, source, *, alpha=1):
        return _index.index_add_(self, dim, index, source, alpha=alpha)
    def index_fill(self, dim, index, value): return _index.index_fill(self, dim, index, value)
    def index_fill_(self, dim, index, value): return _index.index_fill_(self, dim, index, value)
    def index_copy(self, dim, index, source): return _index.index_copy(self, dim, index, source)
    def index_put(self, indices, values, accumulate=False): return _index.index_put(self, indices, values, accumulate)
    def index_put_(self, indices, values, accumulate=False):
        return _index.index_put_(self, indices, values, accumulate)
    def masked_fill(self, mask, value): return _index.masked_fill(self, mask, value)
    def masked_fill_(self, mask, value): return _index.masked_fill_(self, mask, value)
    def fill_diagonal_(self, fill_value, wrap=False): return _index.fill_diagonal_(self, fill_value, wrap)
    def masked_select(self, mask): return _index.masked_select(self, mask)
    def masked_scatter(self, mask, source): return _index.masked_scatter(self, mask, source)
    def take(self, index): return _index.take(self, index)
    def take_along_dim(self, indices, dim=None): return _index.take_along_dim(self, indices, dim)
    def nonzero(self, *, as_tuple=False): return _index.nonzero(self, as_tuple=as_tuple)
    def argwhere(self): return _index.nonzero(self)
    def put_(self, index, source, accumulate=False): return _index.put_(self, index, source, accumulate)

    # ---- special functions (ops/special.py)
    def lgamma(self): return _special_fns.lgamma(self)
    def digamma(self): return _special_fns.digamma(self)
    def polygamma(self, n): return _special_fns.polygamma(n, self)
    def xlogy(self, other): return _special_fns.xlogy(self, other)


def _wrap_dim(dim: int, ndim: int) -> int:
    """Turn a possibly negative ``dim`` into an index in ``[0, ndim)``, with PyTorch's error."""
    n = ndim if ndim > 0 else 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def _as_array(data):
    if isinstance(data, np.generic):
        return np.asarray(data)
    if hasattr(data, "__cuda_array_interface__"):
        return data
    return np.asarray(data)


def _to_host(array) -> np.ndarray:
    return array if type(array) is _ndarray else array.get()


def _rebuild(array, requires_grad, device):
    t = Tensor._make(np.array(array), False)
    if device != "cpu":
        t = t.to(device)
    t._requires_grad = requires_grad
    return t


from .autograd import function as _function  # noqa: E402

_function._Tensor = Tensor
from . import creation as _creation  # noqa: E402
from . import random as _random  # noqa: E402
from .ops import arithmetic as _arith  # noqa: E402
from .ops import compare as _compare  # noqa: E402
from .ops import cumulative as _cumulative  # noqa: E402
from .ops import extrema as _extrema  # noqa: E402
from .ops import index as _index  # noqa: E402
from .ops import inplace as _inplace  # noqa: E402
from .ops import linalg as _linalg  # noqa: E402
from .ops import reduce as _reduce  # noqa: E402
from .ops import shape as _shape  # noqa: E402
from .ops import softmax as _softmax  # noqa: E402
from .ops import sort as _sort  # noqa: E402
from .ops import special as _special_fns  # noqa: E402
from .ops import unary as _unary  # noqa: E402

# the hottest dunders call their op's apply directly (one Python frame less per op)
_Add, _Sub, _Mul, _Div = _arith.Add.apply, _arith.Sub.apply, _arith.Mul.apply, _arith.Div.apply
_Exp, _Tanh, _Sigmoid = _unary.Exp.apply, _unary.Tanh.apply, _unary.Sigmoid.apply

_ = _grad_state
