"""Matrix products: matmul and its special cases, the fused multiply-adds (addmm for Linear layers), kron.

One primitive does the products: ``MatMul`` computes ``op(a) @ op(b)`` where ``op`` optionally swaps the last
two axes (a view, never a copy), so NumPy hands the transposed layout straight to BLAS. Its gradients are
products of the same kind, so every order of derivative reuses it:  for ``C = A @ B``,  ``dA = dC @ B^T`` and
``dB = A^T @ dC``. ``matmul`` dispatches like PyTorch: dot, mv, mm, a folded mm for a batch times a matrix,
and a broadcasting batched product otherwise. einsum and tensordot live in ``ops/einsum.py``; inverses and
decompositions in ``ops/decomp.py``.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import get_array_module
from ._broadcast import sum_to
from .decomp import cholesky_compat, pinv, qr_compat, slogdet_compat, svd_compat  # noqa: F401  (Tensor methods)
from .einsum import einsum, tensordot  # noqa: F401  (part of this family's public surface)
from .solve import det, inv, logdet, matrix_exp, matrix_power  # noqa: F401  (Tensor methods call these)

# PyTorch's C++ spelling of dtypes in the "expected m1 and m2 to have the same dtype" message
_CPP_WORDS = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
              "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


# ---------------------------------------------------------------- checks shared by the products
def _word(x: Tensor) -> str:
    """PyTorch's capitalised dtype word (Float, Double, Long...)."""
    return x.type()[6:-6]


def _check_same_dtype(a: Tensor, b: Tensor) -> None:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_CPP_WORDS[a._data.dtype.name]} != "
            f"{_CPP_WORDS[b._data.dtype.name]}"
        )


def _check_batched_dtype(a: Tensor, b: Tensor) -> None:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_word(a)} but found {_word(b)}")


def _check_product_dtype(a) -> None:
    if a._data.dtype == np.bool_:
        raise NotImplementedError('"addmm_impl_cpu_" not implemented for \'Bool\'; convert to a number type first, '
                                  "e.g. x.float()")


def _shapes_error(rows: int, inner: int, inner2: int, cols: int) -> RuntimeError:
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner} and {inner2}x{cols})")


def _check_matrix(x: Tensor, name: str) -> None:
    if x._data.ndim != 2:
        raise RuntimeError(f"{name} must be a matrix, got {x._data.ndim}-D tensor")


# ---------------------------------------------------------------- the product primitive
def _blas_ready(array):
    """``array`` itself when BLAS can read its matrices (row- or column-major, transposed views included); else a
    contiguous copy. Broadcast gradients (zero strides, e.g. from ``sum().backward()``) would otherwise send
    NumPy down its slow non-BLAS loop."""
    if array.ndim < 2 or array.size == 0:
        return array
    rows, cols = array.strides[-2:]
    item = array.itemsize
    if (cols == item and rows >= item * array.shape[-1]) or (rows == item and cols >= item * array.shape[-2]):
        return array
    return get_array_module(array).ascontiguousarray(array)


class MatMul(Function):
    """``op(a) @ op(b)`` for arrays of >= 2 dims with broadcast batch dims; ``op`` swaps the last two axes."""

    _backward_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b, *, ta=False, tb=False):
        x, y = _blas_ready(a._data), _blas_ready(b._data)
        ctx.ta, ctx.tb = ta, tb
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.shapes = (x.shape, y.shape)
            ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        return (x.swapaxes(-1, -2) if ta else x) @ (y.swapaxes(-1, -2) if tb else y)

    @staticmethod
    def backward(ctx, gy):
        a, b = ctx.saved_tensors
        ta, tb = ctx.ta, ctx.tb
        product = type(ctx).__mro__[1].apply  # the Function class itself: Mm's gradients are Mm nodes
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = product(b, gy, ta=tb, tb=True) if ta else product(gy, b, ta=False, tb=not tb)
            ga = sum_to(ga, ctx.shapes[0])
        if ctx.needs_input_grad[1]:
            gb = product(gy, a, ta=True, tb=ta) if tb else product(a, gy, ta=not ta, tb=False)
            gb = sum_to(gb, ctx.shapes[1])
        return ga, gb


class Mm(MatMul):
    """2-D by 2-D product."""

    _backward_name = "MmBackward0"


class _UnsafeView(Function):
    """Reshape of a fresh product result (always contiguous, so never a copy); torch's ``_unsafe_view``."""

    _backward_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, gy):
        return gy.reshape(ctx.input_shape)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix product of two 2-D tensors: ``(n, m) @ (m, p) -> (n, p)``.

    >>> saessak.mm(saessak.ones(2, 3), saessak.ones(3, 4)).shape
    saessak.Size([2, 4])
    """
    if input._data.ndim != 2:
        raise RuntimeError(f"self must be a matrix, got a {input._data.ndim}-D tensor of shape {tuple(input.shape)}")
    if mat2._data.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got a {mat2._data.ndim}-D tensor of shape {tuple(mat2.shape)}")
    _check_same_dtype(input, mat2)
    (n, m), (m2, p) = input._data.shape, mat2._data.shape
    if m != m2:
        raise _shapes_error(n, m, m2, p)
    _check_product_dtype(input)
    return Mm.apply(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product: ``(b, n, m) @ (b, m, p) -> (b, n, p)`` (no broadcasting; see ``matmul``)."""
    if input._data.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got shape {tuple(input.shape)}")
    if mat2._data.ndim != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor, got shape {tuple(mat2.shape)}")
    _check_batched_dtype(input, mat2)
    b, _, m = input._data.shape
    if mat2._data.shape[:2] != (b, m):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but got: "
            f"[{mat2._data.shape[0]}, {mat2._data.shape[1]}]."
        )
    _check_product_dtype(input)
    return MatMul.apply(input, mat2)


def _batch_shape(a_batch: tuple, b_batch: tuple) -> tuple:
    """The broadcast of two batch shapes, with PyTorch's error naming the first clashing dim."""
    n = max(len(a_batch), len(b_batch))
    a_full, b_full = (1,) * (n - len(a_batch)) + a_batch, (1,) * (n - len(b_batch)) + b_batch
    for i, (x, y) in enumerate(zip(a_full, b_full)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {i}"
            )
    return tuple(max(x, y) for x, y in zip(a_full, b_full))


def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with PyTorch's rules: a 1-D operand is a vector, dims before the last two broadcast.
    ``out=`` receives the result (no gradient flows into it).

    >>> (saessak.ones(2, 3) @ saessak.ones(3)).shape
    saessak.Size([2])
    >>> (saessak.ones(5, 1, 2, 3) @ saessak.ones(4, 3, 2)).shape
    saessak.Size([5, 4, 2, 2])
    """
    if out is not None:
        from ..creation import _write_out

        return _write_out(out, matmul(input, other))
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        bad = other if isinstance(input, Tensor) else input
        raise TypeError(f"matmul(): argument 'other' must be Tensor, not {type(bad).__name__}")
    a, b = input._data, other._data
    a_shape, b_shape = a.shape, b.shape
    da, db = len(a_shape), len(b_shape)
    if da == 2 and db == 2:
        if a.dtype == b.dtype and a.dtype.kind == "f" and a_shape[1] == b_shape[0]:
            return Mm.apply(input, other)  # the common case, already checked
        return mm(input, other)
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if db == 1:
        if da == 1:
            return dot(input, other)
        if da == 2:
            return mv(input, other)
        # fold the batch into the rows: one matrix-vector product
        rows = input.reshape(-1, a_shape[-1])
        return _UnsafeView.apply(mv(rows, other), shape=a_shape[:-1])
    if da == 1 and db == 2:
        return mm(input.unsqueeze(0), other).squeeze(0)
    if db == 2:
        # a batch of matrices times one matrix is one big matrix product (one GEMM, also in backward)
        _check_same_dtype(input, other)
        if a_shape[-1] != b_shape[0]:
            raise _shapes_error(math.prod(a_shape[:-1]), a_shape[-1], *b_shape)
        product = mm(input.reshape(-1, a_shape[-1]), other)
        return _UnsafeView.apply(product, shape=(*a_shape[:-1], b_shape[1]))
    # batched: NumPy's matmul broadcasts the batch dims itself, without materialising the expansion
    _check_batched_dtype(input, other)
    a = input.unsqueeze(0) if da == 1 else input
    a_shape = a._data.shape
    batch = _batch_shape(a_shape[:-2], b_shape[:-2])
    if a_shape[-1] != b_shape[-2]:
        size = math.prod(batch)
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{size}, {a_shape[-1]}] but got: "
            f"[{size}, {b_shape[-2]}]."
        )
    _check_product_dtype(a)
    out = MatMul.apply(a, other)
    return out.squeeze(-2) if da == 1 else out


# ---------------------------------------------------------------- vector products
class Mv(Function):
    """Matrix-vector product ``(n, m) @ (m,) -> (n,)``."""

    _backward_name = "MvBackward0"

    @staticmethod
    def forward(ctx, a, v):
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.save_for_backward(a if needs[1] else None, v if needs[0] else None)
        return a._data @ v._data

    @staticmethod
    def backward(ctx, gy):
        a, v = ctx.saved_tensors
        ga = outer(gy, v) if ctx.needs_input_grad[0] else None
        gv = Mv.apply(a.t(), gy) if ctx.needs_input_grad[1] else None
        return ga, gv


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product: ``(n, m) @ (m,) -> (n,)``."""
    if input._data.ndim != 2 or vec._data.ndim != 1 or input._data.shape[1] != vec._data.shape[0]:
        rows = input._data.shape[0] if input._data.ndim else 0
        raise RuntimeError(
            f"size mismatch, got input ({rows}), mat ({'x'.join(map(str, input._data.shape))}), "
            f"vec ({'x'.join(map(str, vec._data.shape))})"
        )
    if input._data.dtype != vec._data.dtype:
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_word(vec)}, {_word(input)}, and {_word(vec)}"
        )
    _check_product_dtype(input)
    return Mv.apply(input, vec)


class Dot(Function):
    """Inner product of two 1-D tensors."""

    _backward_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        return a._xp().asarray(a._data @ b._data)  # 1-D @ 1-D gives a NumPy scalar

    @staticmethod
    def backward(ctx, gy):
        a, b = ctx.saved_tensors
        return (gy * b if ctx.needs_input_grad[0] else None), (gy * a if ctx.needs_input_grad[1] else None)


def dot(input: Tensor, other: Tensor) -> Tensor:
    """Inner product of two 1-D tensors with the same number of elements.

    >>> saessak.dot(saessak.tensor([1.0, 2.0]), saessak.tensor([3.0, 4.0]))
    tensor(11.)
    """
    if input._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and {other._data.ndim}D tensors")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_word(input)} and {_word(other)}"
        )
    n, m = input._data.shape[0], other._data.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of "
            f"elements, but got {n} and {m} elements respectively"
        )
    _check_product_dtype(input)
    return Dot.apply(input, other)


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """Inner product of two 1-D tensors (the first conjugated; real tensors make it ``dot``)."""
    return dot(input, other)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors: ``(n,), (m,) -> (n, m)``."""
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return input.unsqueeze(1) * vec2


ger = outer


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Dot products over the last dimension of each: ``(..., k), (..., k) -> (a_batch..., b_batch...)``."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes {list(input.shape)} "
            f"and {list(other.shape)}"
        )
    return tensordot(input, other, dims=([-1], [-1]))


# ---------------------------------------------------------------- fused multiply-adds (Linear layers)
class Addmm(Function):
    """``beta * bias + alpha * (x @ w)`` in one op: the forward of every Linear layer.

    ``w`` is usually ``weight.t()``, a transposed view that BLAS reads as is. Backward computes only what is
    needed: ``gx = gy @ w^T``, ``gw = x^T @ gy``, ``gbias = gy`` summed over the broadcast rows.
    """

    _backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, w, *, beta=1, alpha=1):
        needs = ctx.needs_input_grad
        if needs[0] or needs[1] or needs[2]:
            ctx.beta, ctx.alpha, ctx.bias_shape = beta, alpha, bias._data.shape
            ctx.save_for_backward(x if needs[2] else None, w if needs[1] else None)
        out = _blas_ready(x._data) @ _blas_ready(w._data)
        if alpha != 1:
            out *= alpha
        if beta == 0:  # as in PyTorch, the bias is ignored entirely (NaN in it does not leak)
            return out
        out += bias._data if beta == 1 else beta * bias._data
        return out

    @staticmethod
    def backward(ctx, gy):
        x, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g = gy if ctx.alpha == 1 else gy * ctx.alpha
        gbias = gx = gw = None
        if needs[0] and ctx.beta != 0:
            gbias = sum_to(gy if ctx.beta == 1 else gy * ctx.beta, ctx.bias_shape)
        if needs[1]:
            gx = Mm.apply(g, w, tb=True)
        if needs[2]:
            gw = Mm.apply(x, g, ta=True)
        return gbias, gx, gw


def _linear_forward(ctx, x, weight, bias, needs: tuple):
    if needs[0] or needs[1]:
        ctx.save_for_backward(x if needs[1] else None, weight if needs[0] else None)
    out = _blas_ready(x._data) @ _blas_ready(weight._data).T
    if bias is not None:
        out += bias._data
    return out


def _linear_backward(ctx, gy, needs: tuple) -> tuple:
    x, weight = ctx.saved_tensors
    gx = Mm.apply(gy, weight) if needs[0] else None
    gw = Mm.apply(gy, x, ta=True) if needs[1] else None
    return gx, gw


class LinearMap(Function):
    """``bias + x @ weight^T`` for a 2-D ``x``: ``F.linear`` in one op, the weight used in its own layout.

    Backward gives each gradient in its parameter's layout: ``gx = gy @ weight``, ``gweight = gy^T @ x`` (a
    fresh (out, in) array, stored as ``.grad`` without a copy), ``gbias = gy`` summed over the rows. Inputs
    come in PyTorch's addmm order (bias, input, weight), so ``next_functions`` reads as it does there.
    """

    _backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, weight):
        needs = ctx.needs_input_grad
        ctx.bias_shape = bias._data.shape
        return _linear_forward(ctx, x, weight, bias, needs[1:])

    @staticmethod
    def backward(ctx, gy):
        needs = ctx.needs_input_grad
        return (sum_to(gy, ctx.bias_shape) if needs[0] else None,) + _linear_backward(ctx, gy, needs[1:])


class LinearMapNoBias(Function):
    """``x @ weight^T`` (``F.linear`` without a bias), as ``LinearMap``."""

    _backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, x, weight):
        return _linear_forward(ctx, x, weight, None, ctx.needs_input_grad)

    @staticmethod
    def backward(ctx, gy):
        return _linear_backward(ctx, gy, ctx.needs_input_grad)


def _check_bias(input: Tensor, shape: tuple, mat: Tensor) -> None:
    if input._data.dtype != mat._data.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_word(input)} and {_word(mat)}")
    try:
        if np.broadcast_shapes(input._data.shape, shape) == shape:
            return
    except ValueError:
        pass
    raise RuntimeError(
        f"The expanded size of the tensor {list(input.shape)} does not broadcast to the product's shape "
        f"{list(shape)}; pass an input of shape {list(shape)} or one that broadcasts to it"
    )


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape.

    >>> saessak.addmm(saessak.zeros(4), saessak.ones(2, 3), saessak.ones(3, 4)).shape
    saessak.Size([2, 4])
    """
    _check_matrix(mat1, "mat1")
    _check_matrix(mat2, "mat2")
    if mat1._data.dtype != mat2._data.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_word(mat1)} and {_word(mat2)}")
    (n, m), (m2, p) = mat1._data.shape, mat2._data.shape
    if m != m2:
        raise _shapes_error(n, m, m2, p)
    _check_bias(input, (n, p), mat2)
    _check_product_dtype(mat1)
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def _scaled_sum(input: Tensor, product: Tensor, beta, alpha) -> Tensor:
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product
    return product + (input if beta == 1 else input * beta)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices (``input`` broadcasts)."""
    product = bmm(batch1, batch2)
    _check_bias(input, tuple(product.shape), batch2)
    return _scaled_sum(input, product, beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * sum_b (batch1[b] @ batch2[b])``: the batch products summed into one matrix."""
    product = bmm(batch1, batch2).sum(0)
    _check_bias(input, tuple(product.shape), batch2)
    return _scaled_sum(input, product, beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``."""
    return _scaled_sum(input, mv(mat, vec), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)``."""
    return _scaled_sum(input, outer(vec1, vec2), beta, alpha)


# ---------------------------------------------------------------- products of several matrices
def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of a chain of matrices (``linalg.multi_dot`` with the matrices as arguments)."""
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    out = matrices[0]
    for m in matrices[1:]:
        out = mm(out, m)
    return out


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: block ``(i, j)`` of the result is ``input[i, j] * other``.

    >>> saessak.kron(saessak.eye(2), saessak.ones(2, 2)).shape
    saessak.Size([4, 4])
    """
    n = max(input.ndim, other.ndim)
    a = input.reshape((1,) * (n - input.ndim) + tuple(input.shape))
    b = other.reshape((1,) * (n - other.ndim) + tuple(other.shape))
    # interleave: a's dims at even positions, b's at odd ones, then merge each pair
    a_wide = a.reshape(tuple(s for d in a.shape for s in (d, 1)))
    b_wide = b.reshape(tuple(s for d in b.shape for s in (1, d)))
    return (a_wide * b_wide).reshape(tuple(x * y for x, y in zip(a.shape, b.shape)))
