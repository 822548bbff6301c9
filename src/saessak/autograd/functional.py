"""Higher-level derivatives of a function: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.

All are built on reverse mode (``autograd.grad``): a Jacobian row per output element, a Hessian as the
Jacobian of the gradient, and ``jvp`` with the double-vjp trick (``J v = d/du (u^T J)^T v``).
Inputs and outputs keep PyTorch's conventions: a tuple in gives tuples out, a tensor in gives a tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]


def _as_tuple(value) -> tuple[bool, tuple]:
    if isinstance(value, tuple | list):
        return True, tuple(value)
    return False, (value,)


def _prepare(inputs, create_graph: bool) -> tuple:
    """Fresh leaves requiring grad that share the inputs' values (the caller's tensors stay untouched)."""
    out = []
    for t in inputs:
        x = t if create_graph and t._requires_grad else t.detach()
        if not x._requires_grad:
            x = x.detach().requires_grad_(True) if x.dtype.is_floating_point else x
        out.append(x)
    return tuple(out)


def _grad(outputs, inputs, grad_outputs, create_graph: bool, strict: bool, what: str) -> tuple:
    from ..creation import zeros_like
    from . import grad

    differentiable = [(o, g) for o, g in zip(outputs, grad_outputs) if o._requires_grad]
    if not differentiable:
        if strict:
            raise RuntimeError(f"The output of the user-provided function is independent of the inputs ({what}).")
        return tuple(zeros_like(x) for x in inputs)
    grads = grad([o for o, _ in differentiable], list(inputs), [g for _, g in differentiable],
                 retain_graph=True, create_graph=create_graph, allow_unused=True)
    result = []
    for i, (x, g) in enumerate(zip(inputs, grads)):
        if g is None:
            if strict:
                raise RuntimeError(
                    f"The output of the user-provided function is independent of input {i}. This is not allowed in "
                    "strict mode."
                )
            g = zeros_like(x)
        result.append(g if create_graph else g.detach())
    return tuple(result)


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    from ..creation import ones_like

    is_tuple, ins = _as_tuple(inputs)
    ins = _prepare(ins, create_graph)
    out_is_tuple, outs = _as_tuple(func(*ins))
    if v is None:
        if any(o.numel() != 1 for o in outs):
            raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                               "Tensor with a single element.")
        vs = tuple(ones_like(o) for o in outs)
    else:
        vs = _as_tuple(v)[1]
    grads = _grad(outs, ins, vs, create_graph, strict, "vjp")
    outs = tuple(o if create_graph else o.detach() for o in outs)
    return (outs if out_is_tuple else outs[0]), (grads if is_tuple else grads[0])


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), J v)``: the Jacobian-vector product, by differentiating a vjp a second time."""
    from ..creation import ones_like, zeros_like
    from . import grad

    is_tuple, ins = _as_tuple(inputs)
    ins = _prepare(ins, True)
    if v is None:
        if any(x.numel() != 1 for x in ins):
            raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                               "single Tensor with a single element.")
        vs = tuple(ones_like(x) for x in ins)
    else:
        vs = _as_tuple(v)[1]
    out_is_tuple, outs = _as_tuple(func(*ins))
    dummies = tuple(zeros_like(o).requires_grad_(True) for o in outs)
    # u -> u^T J is linear in u; its gradient with respect to u, contracted with v, is J v
    vjps = _grad(outs, ins, dummies, True, strict, "jvp")
    used = [(g, w) for g, w in zip(vjps, vs) if g._requires_grad]
    if not used:
        jvps = tuple(zeros_like(o) for o in outs)
    else:
        found = grad([g for g, _ in used], list(dummies), [w for _, w in used], create_graph=create_graph,
                     retain_graph=True, allow_unused=True)
        jvps = tuple(zeros_like(o) if g is None else g for o, g in zip(outs, found))
    outs = tuple(o if create_graph else o.detach() for o in outs)
    jvps = tuple(j if create_graph else j.detach() for j in jvps)
    return (outs if out_is_tuple else outs[0]), (jvps if out_is_tuple else jvps[0])


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape`` for each pair.

    A tensor in and a tensor out give one tensor; tuples give (nested) tuples, as in PyTorch.
    """
    from ..creation import zeros, zeros_like
    from ..ops.join import stack
    from . import grad

    is_tuple, ins = _as_tuple(inputs)
    ins = _prepare(ins, create_graph)
    out_is_tuple, outs = _as_tuple(func(*ins))
    rows_per_output = []
    for i, o in enumerate(outs):
        per_input = [[] for _ in ins]
        flat = o.reshape(-1)
        for j in range(flat.shape[0]):
            if o._requires_grad:
                found = grad([flat[j]], list(ins), retain_graph=True, create_graph=create_graph, allow_unused=True)
            else:
                found = (None,) * len(ins)
            for k, (x, g) in enumerate(zip(ins, found)):
                if g is None:
                    if strict:
                        raise RuntimeError(f"Output {i} of the user-provided function is independent of input {k}. "
                                           "This is not allowed in strict mode.")
                    g = zeros_like(x)
                per_input[k].append(g)
        blocks = []
        for k, x in enumerate(ins):
            if per_input[k]:
                block = stack(per_input[k]).reshape(*o.shape, *x.shape)
            else:
                block = zeros(*o.shape, *x.shape, dtype=x.dtype)
            blocks.append(block if create_graph else block.detach())
        rows_per_output.append(tuple(blocks))
    if out_is_tuple:
        return tuple(r if is_tuple else r[0] for r in rows_per_output)
    return rows_per_output[0] if is_tuple else rows_per_output[0][0]


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode"):
    """The Hessian of a scalar function: the Jacobian of its gradient."""
    from . import grad

    is_tuple, ins = _as_tuple(inputs)

    def gradient(*xs):
        out = func(*xs)
        if out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single element Tensor")
        found = grad([out.reshape(())], list(xs), create_graph=True, allow_unused=True)
        from ..creation import zeros_like

        return tuple(zeros_like(x) if g is None else g for x, g in zip(xs, found))

    result = jacobian(gradient, ins, create_graph=create_graph, strict=strict)
    if is_tuple:
        return result
    return result[0][0]


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T H)`` for a scalar function."""
    from . import grad

    is_tuple, ins = _as_tuple(inputs)
    ins = _prepare(ins, True)
    vs = _as_tuple(v)[1] if v is not None else None
    out = func(*ins)
    grads = grad([out.reshape(())], list(ins), create_graph=True, allow_unused=True)
    from ..creation import ones_like, zeros_like

    grads = tuple(zeros_like(x) if g is None else g for x, g in zip(ins, grads))
    vs = vs if vs is not None else tuple(ones_like(x) for x in ins)
    result = _grad(grads, ins, vs, create_graph, strict, "vhp")
    out = out if create_graph else out.detach()
    return out, (result if is_tuple else result[0])


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), H v)`` for a scalar function (equal to ``vhp`` since H is symmetric)."""
    return vhp(func, inputs, v, create_graph, strict)
