"""Linear algebra: matmul and its special cases, addmm (the Linear layer's fused op), einsum, and linalg.*.

One primitive does the products: ``MatMul`` computes ``op(a) @ op(b)`` where ``op`` optionally swaps the last
two axes (a view, never a copy). Its gradients are products of the same kind, so every order of derivative
reuses it:  for ``C = A @ B``,  ``dA = dC @ B^T`` and ``dB = A^T @ dC``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._broadcast import sum_to

_DTYPE_WORDS = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
                "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _check_dtypes(a, b) -> None:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_DTYPE_WORDS[a._data.dtype.name]} != "
            f"{_DTYPE_WORDS[b._data.dtype.name]}"
        )


def _swap(array, flag: bool):
    return array.swapaxes(-1, -2) if flag else array


def _product(a, b):
    """``a @ b`` on backend arrays; integer products go through NumPy's (slower) generic loop."""
    return a @ b


# ---------------------------------------------------------------- the product primitive
class MatMul(Function):
    """``op(a) @ op(b)`` for arrays of >= 2 dims with broadcast batch dims; ``op`` swaps the last two axes."""

    _backward_name = "MatmulBackward0"

    @staticmethod
    def forward(ctx, a, b, *, ta=False, tb=False):
        x, y = _swap(a._data, ta), _swap(b._data, tb)
        ctx.ta, ctx.tb = ta, tb
        ctx.shapes = (a._data.shape, b._data.shape)
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        return _product(x, y)

    @staticmethod
    def backward(ctx, gy):
        a, b = ctx.saved_tensors
        ta, tb = ctx.ta, ctx.tb
        cls = type(ctx).__mro__[1]
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = cls.apply(b, gy, ta=tb, tb=True) if ta else cls.apply(gy, b, ta=False, tb=not tb)
            ga = sum_to(ga, ctx.shapes[0])
        if ctx.needs_input_grad[1]:
            gb = cls.apply(gy, a, ta=True, tb=ta) if tb else cls.apply(a, gy, ta=not ta, tb=False)
            gb = sum_to(gb, ctx.shapes[1])
        return ga, gb


class Mm(MatMul):
    """2-D by 2-D product."""

    _backward_name = "MmBackward0"


class Bmm(MatMul):
    """Batched 3-D by 3-D product with equal batch sizes."""

    _backward_name = "BmmBackward0"


def _mm_shapes_error(a_shape, b_shape) -> RuntimeError:
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({a_shape[-2]}x{a_shape[-1]} and {b_shape[-2]}x{b_shape[-1]})"
    )


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix product of two 2-D tensors: ``(n, m) @ (m, p) -> (n, p)``."""
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mm: expected 2-D tensors, got {input.ndim}-D and {mat2.ndim}-D")
    _check_dtypes(input, mat2)
    if input._data.shape[1] != mat2._data.shape[0]:
        raise _mm_shapes_error(input._data.shape, mat2._data.shape)
    return Mm.apply(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product: ``(b, n, m) @ (b, m, p) -> (b, n, p)``."""
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got {input.ndim}-D and {mat2.ndim}-D")
    _check_dtypes(input, mat2)
    b, n, m = input._data.shape
    if mat2._data.shape[:2] != (b, m):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but got: "
            f"[{mat2._data.shape[0]}, {mat2._data.shape[1]}]."
        )
    return Bmm.apply(input, mat2)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with PyTorch's rules: 1-D is a vector, >2-D broadcasts the batch dimensions.

    >>> saessak.ones(2, 3) @ saessak.ones(3)     # (2,)
    """
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("matmul(): argument 'other' must be Tensor")
    _check_dtypes(input, other)
    da, db = input._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    if da == 2 and db == 2:
        if input._data.shape[1] != other._data.shape[0]:
            raise _mm_shapes_error(input._data.shape, other._data.shape)
        return Mm.apply(input, other)
    if da == 1 and db == 1:
        return dot(input, other)
    if da >= 2 and db == 1:
        if da == 2:
            return mv(input, other)
        out = matmul(input, other.reshape(-1, 1))
        return out.reshape(out.shape[:-1])
    if da == 1:
        out = matmul(input.reshape(1, -1), other)
        return out.reshape(*out.shape[:-2], out.shape[-1])
    a_shape, b_shape = input._data.shape, other._data.shape
    if a_shape[-1] != b_shape[-2]:
        raise _mm_shapes_error(a_shape, b_shape)
    try:
        np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"The batch dimensions of the two tensors can't be broadcast together: {list(a_shape)} and "
            f"{list(b_shape)}"
        ) from None
    if da == 3 and db == 3 and a_shape[0] == b_shape[0]:
        return Bmm.apply(input, other)
    return MatMul.apply(input, other)


class Mv(Function):
    """Matrix-vector product ``(n, m) @ (m,) -> (n,)``."""

    _backward_name = "MvBackward0"

    @staticmethod
    def forward(ctx, a, v):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, v if ctx.needs_input_grad[0] else None)
        return a._data @ v._data

    @staticmethod
    def backward(ctx, gy):
        a, v = ctx.saved_tensors
        ga = outer(gy, v) if ctx.needs_input_grad[0] else None
        gv = Mm.apply(gy.reshape(1, -1), a).reshape(-1) if ctx.needs_input_grad[1] else None
        return ga, gv


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product."""
    _check_dtypes(input, vec)
    if input.ndim != 2 or vec.ndim != 1 or input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input._data.shape[0] if input.ndim else 0}), mat "
            f"({'x'.join(map(str, input._data.shape))}), vec ({'x'.join(map(str, vec._data.shape))})"
        )
    return Mv.apply(input, vec)


class Dot(Function):
    """Inner product of two 1-D tensors."""

    _backward_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(a._data @ b._data) if isinstance(a._data, np.ndarray) else a._data @ b._data

    @staticmethod
    def backward(ctx, gy):
        a, b = ctx.saved_tensors
        return (gy * b if ctx.needs_input_grad[0] else None), (gy * a if ctx.needs_input_grad[1] else None)


def dot(input: Tensor, other: Tensor) -> Tensor:
    """Inner product of two 1-D tensors with the same number of elements."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {input.dtype} and {other.dtype}"
        )
    if input._data.shape[0] != other._data.shape[0]:
        n, m = input._data.shape[0], other._data.shape[0]
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of "
            f"elements, but got {n} and {m} elements respectively"
        )
    return Dot.apply(input, other)


inner_1d = dot


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors: ``(n,), (m,) -> (n, m)``."""
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


# ---------------------------------------------------------------- fused multiply-add (Linear layers)
class Addmm(Function):
    """``beta * bias + alpha * (x @ w)`` in one op: the forward of every Linear layer.

    Backward computes only what is needed: ``gx = gy @ w^T``, ``gw = x^T @ gy``, ``gbias = sum of gy``
    over the broadcast rows.
    """

    _backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, w, *, beta=1, alpha=1):
        ctx.beta, ctx.alpha = beta, alpha
        ctx.bias_shape = bias._data.shape
        needs = ctx.needs_input_grad
        ctx.save_for_backward(x if needs[2] else None, w if needs[1] else None)
        out = x._data @ w._data
        if alpha != 1:
            out *= alpha
        if beta == 0:
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


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape."""
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor" if mat1.ndim != 2
                           else f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
    _check_dtypes(mat1, mat2)
    if input._data.dtype != mat1._data.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {input.type()[6:-6]} and {mat2.type()[6:-6]}"
        )
    if mat1._data.shape[1] != mat2._data.shape[0]:
        raise _mm_shapes_error(mat1._data.shape, mat2._data.shape)
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices."""
    product = bmm(batch1, batch2)
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product
    return product + (input if beta == 1 else input * beta)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``."""
    product = mv(mat, vec)
    return (product * alpha if alpha != 1 else product) + (input * beta if beta != 1 else input)


# ---------------------------------------------------------------- einsum and tensordot
def _parse_einsum(equation: str, operands) -> tuple[list[str], str]:
    equation = equation.replace(" ", "")
    if "->" in equation:
        lhs, out = equation.split("->")
    else:
        lhs, out = equation, None
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError(
            "einsum(): more operands were provided than specified in the equation" if len(operands) > len(terms)
            else "einsum(): fewer operands were provided than specified in the equation"
        )
    expanded = []
    letters = sorted(set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(equation))
    ell_rank = max((op.ndim - (len(t) - 3) for t, op in zip(terms, operands) if "..." in t), default=0)
    ellipsis = "".join(letters[:ell_rank])
    for t, op in zip(terms, operands):
        if "..." in t:
            n = op.ndim - (len(t) - 3)
            t = t.replace("...", ellipsis[ell_rank - n:])
        if len(t) != op.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(t)}) does not match the number of "
                f"dimensions ({op.ndim}) for operand {len(expanded)}"
            )
        expanded.append(t)
    if out is None:
        counts = {}
        for t in expanded:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ellipsis + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ellipsis))
    else:
        out = out.replace("...", ellipsis)
    return expanded, out


class Einsum(Function):
    """Sum of products over the indices an einsum equation contracts.

    The gradient for operand ``k`` is an einsum too: the output gradient contracted with every other
    operand, written back with operand ``k``'s subscripts (repeated subscripts become a diagonal).
    """

    _backward_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx, *operands, terms, out):
        ctx.terms, ctx.out = terms, out
        ctx.shapes = [op._data.shape for op in operands]
        ctx.save_for_backward(*operands)
        xp = operands[0]._xp()
        spec = ",".join(terms) + "->" + out
        return xp.asarray(xp.einsum(spec, *[op._data for op in operands], optimize=len(operands) > 2))

    @staticmethod
    def backward(ctx, gy):
        operands = ctx.saved_tensors
        grads = []
        for k, (term, shape) in enumerate(zip(ctx.terms, ctx.shapes)):
            if not ctx.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [op for j, op in enumerate(operands) if j != k]
            other_terms = [t for j, t in enumerate(ctx.terms) if j != k]
            grads.append(_einsum_grad(gy, ctx.out, others, other_terms, term, shape))
        return tuple(grads)


def _einsum_grad(gy, out_term: str, others, other_terms, term: str, shape):
    from ..creation import ones

    # Indices of the operand that appear nowhere else were summed away: bring them back with ones.
    present = set(out_term).union(*other_terms) if other_terms else set(out_term)
    extra_terms, extra_ops = [], []
    for c in dict.fromkeys(term):
        if c not in present:
            size = shape[term.index(c)]
            extra_terms.append(c)
            extra_ops.append(ones(size, dtype=gy.dtype, device=gy.device))
    unique = "".join(dict.fromkeys(term))
    g = einsum(",".join([out_term, *other_terms, *extra_terms]) + "->" + unique, gy, *others, *extra_ops)
    if unique == term:
        return g
    # repeated subscripts (a diagonal): scatter the gradient onto that diagonal
    from ..creation import zeros

    full = zeros(*shape, dtype=gy.dtype, device=gy.device)
    index = tuple(
        np.arange(shape[term.index(c)]).reshape([-1 if i == unique.index(c) else 1 for i in range(len(unique))])
        for c in term
    )
    return full.index_put(tuple(_as_index_tensor(i) for i in index), g)


def _as_index_tensor(array):
    return Tensor._make(np.asarray(array, dtype=np.int64))


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``; ``...`` stands for batch dims."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    terms, out = _parse_einsum(equation, operands)
    return Einsum.apply(*operands, terms=terms, out=out)


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Contract the last ``dims`` dims of ``a`` with the first of ``b`` (or explicit lists of dims)."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if isinstance(dims, int):
        dims_a = list(range(a.ndim - dims, a.ndim))
        dims_b = list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a = [d % a.ndim for d in dims_a]
    dims_b = [d % b.ndim for d in dims_b]
    ta = list(letters[: a.ndim])
    tb = list(letters[a.ndim: a.ndim + b.ndim])
    for da, db in zip(dims_a, dims_b):
        tb[db] = ta[da]
    out = [c for i, c in enumerate(ta) if i not in dims_a] + [c for i, c in enumerate(tb) if i not in dims_b]
    return einsum("".join(ta) + "," + "".join(tb) + "->" + "".join(out), a, b)


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Inner product over the last dimension."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    return tensordot(input, other, dims=([-1], [-1]))
