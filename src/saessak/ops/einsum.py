"""Einstein summation (einsum) and tensordot.

The forward contracts the operands left to right, two at a time, as PyTorch does: each pair becomes one
batched matrix product (BLAS) after a transpose and reshape, so ``einsum('bij,bjk->bik', a, b)`` costs what
``a @ b`` costs. Before that, repeated subscripts take a diagonal and subscripts no one else needs are summed
away. Size-1 dims broadcast against any size, as in PyTorch.

The gradient for operand ``k`` is an einsum too: the output gradient contracted with every other operand,
written back with operand ``k``'s subscripts (dims no one else has are broadcast back, repeated subscripts
scatter onto their diagonal). Being built from ``einsum`` itself, it is differentiable again.
"""

from __future__ import annotations

import math
import string

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import get_array_module

_LETTERS = string.ascii_uppercase + string.ascii_lowercase


# ---------------------------------------------------------------- parsing the equation
def _from_sublists(args) -> tuple[str, tuple]:
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` -> ``('ab,bc->ac', (a, b))``."""
    def letters(sublist) -> str:
        return "".join("..." if s is Ellipsis else _LETTERS[s] for s in sublist)

    operands, terms = args[0::2], args[1::2]
    out = None
    if len(args) % 2 == 1:
        operands, out = args[:-1][0::2], args[-1]
        terms = args[:-1][1::2]
    equation = ",".join(letters(t) for t in terms) + ("" if out is None else "->" + letters(out))
    return equation, tuple(operands)


def _parse(equation: str, shapes: list[tuple]) -> tuple[list[str], str, dict]:
    """Terms with '...' spelled out as fresh letters, the output term, and each letter's (broadcast) size."""
    equation = equation.replace(" ", "")
    lhs, arrow, out = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    for i, c in enumerate(equation):
        if c not in _LETTERS and c not in ".,->":
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {i} in the equation string, subscripts must be in "
                "[a-zA-Z]"
            )
    spare = [c for c in _LETTERS if c not in equation]
    ell_rank = max((len(s) - (len(t) - 3) for t, s in zip(terms, shapes) if "..." in t), default=0)
    ellipsis = "".join(spare[:ell_rank])
    expanded = []
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        if "..." in term:
            named = len(term) - 3
            if named > len(shape):
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({named}) is more than the number of "
                    f"dimensions ({len(shape)}) for operand {k}"
                )
            term = term.replace("...", ellipsis[ell_rank - (len(shape) - named):])
        elif len(term) != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match the number of "
                f"dimensions ({len(shape)}) for operand {k} and no ellipsis was given"
            )
        expanded.append(term)
    sizes = _letter_sizes(expanded, shapes, ellipsis)
    if arrow:
        out = out.replace("...", ellipsis)
        for c in out:
            if c not in sizes:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   "operand")
            if out.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
    else:
        once = [c for c in sizes if c not in ellipsis and lhs.count(c) == 1]
        out = ellipsis + "".join(sorted(once))
    return expanded, out, sizes


def _letter_sizes(terms: list[str], shapes: list[tuple], ellipsis: str) -> dict:
    sizes: dict = {}
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        for c, n in zip(term, shape):
            seen = sizes.get(c, 1)
            if n != seen and n != 1 and seen != 1:
                if c in ellipsis:
                    raise RuntimeError(
                        f"einsum(): dimension {ellipsis.index(c)} covered by ellipsis in operand {k} has size {n} "
                        f"which does not broadcast with previously seen ellipsis with size {seen} for the "
                        "respective dimension"
                    )
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} which does not broadcast "
                                   f"with previously seen size {seen}")
            sizes[c] = max(seen, n) if c in sizes else n
    return sizes


# ---------------------------------------------------------------- contracting arrays
def _squeeze(array, term: str, sizes: dict):
    """Take diagonals of repeated subscripts and drop size-1 dims that broadcast against a larger size."""
    unique = "".join(dict.fromkeys(term))
    if unique != term:
        array = get_array_module(array).einsum(f"{term}->{unique}", array)  # a diagonal view
        term = unique
    keep = [i for i, c in enumerate(term) if not (array.shape[i] == 1 and sizes[c] > 1)]
    if len(keep) != len(term):
        array = array.reshape([array.shape[i] for i in keep])
        term = "".join(term[i] for i in keep)
    return array, term


def _sum_unneeded(array, term: str, needed: set):
    """Sum the dims no other operand and not the output has: they only ever add up."""
    summed = tuple(i for i, c in enumerate(term) if c not in needed)
    if not summed:
        return array, term
    return get_array_module(array).asarray(array.sum(axis=summed)), "".join(c for c in term if c in needed)


def _pair(a, ta: str, b, tb: str, keep: set):
    """Contract two prepared operands; returns the result and its subscripts (batch, left, right)."""
    batch = [c for c in ta if c in tb and c in keep]
    contracted = [c for c in ta if c in tb and c not in keep]
    left = [c for c in ta if c not in tb]
    right = [c for c in tb if c not in ta]
    size = dict(zip(ta, a.shape)) | dict(zip(tb, b.shape))
    a = a.transpose([ta.index(c) for c in batch + left + contracted])
    b = b.transpose([tb.index(c) for c in batch + contracted + right])
    batch_shape = [size[c] for c in batch]
    left_n, right_n = math.prod(size[c] for c in left), math.prod(size[c] for c in right)
    if contracted:
        inner = math.prod(size[c] for c in contracted)
        out = a.reshape(*batch_shape, left_n, inner) @ b.reshape(*batch_shape, inner, right_n)
    else:  # an outer or elementwise product: broadcasting, no BLAS call needed
        out = a.reshape(*batch_shape, left_n, 1) * b.reshape(*batch_shape, 1, right_n)
    return out.reshape([size[c] for c in batch + left + right]), "".join(batch + left + right)


def _contract(arrays: list, terms: list[str], out: str, sizes: dict):
    """Evaluate the einsum on backend arrays."""
    arrays, terms = map(list, zip(*(_squeeze(a, t, sizes) for a, t in zip(arrays, terms))))
    for k in range(len(arrays)):
        needed = set(out).union(*(t for j, t in enumerate(terms) if j != k))
        arrays[k], terms[k] = _sum_unneeded(arrays[k], terms[k], needed)
    result, term = arrays[0], terms[0]
    for k in range(1, len(arrays)):
        keep = set(out).union(*terms[k + 1:])
        result, term = _pair(result, term, arrays[k], terms[k], keep)
    return result.transpose([term.index(c) for c in out])


# ---------------------------------------------------------------- the differentiable op
class Einsum(Function):
    """Sum of products over the subscripts an einsum equation contracts."""

    _backward_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx, *operands, terms, out, sizes):
        if any(ctx.needs_input_grad):
            ctx.terms, ctx.out = terms, out
            ctx.save_for_backward(*operands)
        data = [op._data for op in operands]
        result = _contract(data, terms, out, sizes)
        xp = operands[0]._xp()
        if any(xp.may_share_memory(result, d) for d in data):  # a pure transpose or diagonal: own the memory
            result = result.copy()
        return result

    @staticmethod
    def backward(ctx, gy):
        operands = ctx.saved_tensors
        grads = []
        for k, operand in enumerate(operands):
            if not ctx.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [op for j, op in enumerate(operands) if j != k]
            other_terms = [t for j, t in enumerate(ctx.terms) if j != k]
            grads.append(_operand_grad(gy, ctx.out, others, other_terms, ctx.terms[k], tuple(operand.shape)))
        return tuple(grads)


def _operand_grad(gy: Tensor, out: str, others: list, other_terms: list[str], term: str, shape: tuple) -> Tensor:
    unique = "".join(dict.fromkeys(term))
    present = set(out).union(*other_terms)
    found = "".join(c for c in unique if c in present)
    g = einsum(",".join([out, *other_terms]) + "->" + found, gy, *others)
    # dims only this operand had were summed away (broadcast them back); broadcast ones are summed back
    size = {c: shape[term.index(c)] for c in unique}
    g = g.reshape([g.shape[found.index(c)] if c in found else 1 for c in unique])
    target = [size[c] for c in unique]
    summed = tuple(i for i, (n, want) in enumerate(zip(g.shape, target)) if n != want and want == 1)
    if summed:
        g = g.sum(summed, keepdim=True)
    if tuple(g.shape) != tuple(target):
        g = g.expand(*target)
    if unique == term:
        return g
    return _scatter_diagonal(g, unique, term, shape)


def _scatter_diagonal(g: Tensor, unique: str, term: str, shape: tuple) -> Tensor:
    """The gradient of a diagonal: ``g`` written onto the positions where repeated subscripts agree."""
    import numpy as np

    from ..creation import zeros

    index = tuple(
        Tensor._make(np.arange(shape[term.index(c)]).reshape([-1 if u == c else 1 for u in unique]))
        for c in term
    )
    return zeros(*shape, dtype=g.dtype, device=g.device).index_put(index, g)


def einsum(*args) -> Tensor:
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``; ``...`` stands for broadcast batch dims.

    Also accepts the sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.

    >>> saessak.einsum('bij,bjk->bik', saessak.ones(2, 3, 4), saessak.ones(2, 4, 5)).shape
    saessak.Size([2, 3, 5])
    """
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand")
    if isinstance(args[0], str):
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], list | tuple):
            operands = tuple(operands[0])
    else:
        equation, operands = _from_sublists(args)
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    for op in operands[1:]:
        if op._data.dtype != operands[0]._data.dtype:
            raise RuntimeError(f"expected scalar type {operands[0].type()[6:-6]} but found {op.type()[6:-6]}")
    terms, out, sizes = _parse(equation, [tuple(op._data.shape) for op in operands])
    return Einsum.apply(*operands, terms=terms, out=out, sizes=sizes)


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Contract the last ``dims`` dims of ``a`` with the first ``dims`` of ``b`` (or explicit lists of dims).

    >>> saessak.tensordot(saessak.ones(2, 3, 4), saessak.ones(3, 4, 5)).shape
    saessak.Size([2, 5])
    """
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError(f"both dimension lists should have same length, got {len(dims_a)} and {len(dims_b)}")
    dims_a = [d % a.ndim for d in dims_a]
    dims_b = [d % b.ndim for d in dims_b]
    ta, tb = list(_LETTERS[: a.ndim]), list(_LETTERS[a.ndim: a.ndim + b.ndim])
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[da]} in dim {da} and second has "
                f"size {b.shape[db]} in dim {db}"
            )
        tb[db] = ta[da]
    out = [c for i, c in enumerate(ta) if i not in dims_a] + [c for i, c in enumerate(tb) if i not in dims_b]
    return einsum("".join(ta) + "," + "".join(tb) + "->" + "".join(out), a, b)
