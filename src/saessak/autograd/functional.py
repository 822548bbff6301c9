"""Higher-level derivatives of a function: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.

All are built on reverse mode (``autograd.grad``): a Jacobian row per output element, a Hessian as the
Jacobian of the gradient, and ``jvp`` with the double-vjp trick (``J v = d/du (u^T J)^T v``).
Inputs and outputs keep PyTorch's conventions: a tuple in gives tuples out, a tensor in gives a tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]


# ---- argument checks: PyTorch accepts a Tensor or a tuple of Tensors, and says which one was wrong
def _as_tuple(value: Any, what: str, fn_name: str) -> tuple[bool, tuple]:
    from .._tensor import Tensor

    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, item in enumerate(values):
        if not isinstance(item, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {what}"
            found = f"{where} has type {type(item)}"
            raise TypeError(f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but {found}.")
    return is_tuple, values


def _outputs_of(func: Callable, inputs: tuple, fn_name: str) -> tuple[bool, tuple]:
    return _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)


def _check_v(vs: tuple, others: tuple) -> None:
    if len(vs) != len(others):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(others)} but got {len(vs)}.")
    for v, other in zip(vs, others):
        if v.shape != other.shape:
            raise RuntimeError(f"v has invalid size: should be {other.shape} but got {v.shape}.")


def _single_element(out, fn_name: str) -> None:
    if out.numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single element")


def _prepare(inputs: tuple, create_graph: bool) -> tuple:
    """Leaves requiring grad with the inputs' values; the caller's tensors stay untouched.

    With ``create_graph`` an input that already requires grad is used as is (a view of it, as in PyTorch),
    so the result stays differentiable with respect to the caller's tensors.
    """
    if create_graph:
        return tuple(x.view_as(x) if x._requires_grad else x.detach().requires_grad_(True) for x in inputs)
    return tuple(x.detach().requires_grad_(True) for x in inputs)


def _finish(values: tuple, create_graph: bool) -> tuple:
    return values if create_graph else tuple(v.detach() for v in values)


# ---- the one gradient step everything is built on
def _grad(outputs, inputs, grad_outputs, create_graph: bool, strict: bool) -> tuple:
    from ..creation import zeros_like
    from . import grad

    differentiable = [(o, g) for o, g in zip(outputs, grad_outputs) if o._requires_grad]
    found = (None,) * len(inputs)
    if differentiable:
        found = grad(
            [o for o, _ in differentiable],
            list(inputs),
            [g for _, g in differentiable],
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
    result = []
    for i, (x, g) in enumerate(zip(inputs, found)):
        if g is None:
            if strict:
                raise RuntimeError(
                    f"The output of the user-provided function is independent of input {i}. "
                    "This is not allowed in strict mode."
                )
            g = zeros_like(x)
        result.append(g)
    return tuple(result)


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``.

    >>> vjp(lambda x: x ** 2, saessak.tensor([1.0, 2.0]), saessak.ones(2))[1]   # tensor([2., 4.])
    """
    from ..creation import ones_like

    is_tuple, ins = _as_tuple(inputs, "inputs", "vjp")
    ins = _prepare(ins, create_graph)
    out_is_tuple, outs = _outputs_of(func, ins, "vjp")
    if v is None:
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single "
                "Tensor with a single element."
            )
        vs = (ones_like(outs[0]),)
    else:
        vs = _as_tuple(v, "v", "vjp")[1]
        _check_v(vs, outs)
    grads = _finish(_grad(outs, ins, vs, create_graph, strict), create_graph)
    outs = _finish(outs, create_graph)
    return (outs if out_is_tuple else outs[0]), (grads if is_tuple else grads[0])


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), J v)``: the Jacobian-vector product, by differentiating a vjp a second time.

    >>> jvp(lambda x: x ** 2, saessak.tensor([1.0, 2.0]), saessak.ones(2))[1]   # tensor([2., 4.])
    """
    from ..creation import ones_like, zeros_like
    from . import grad

    is_tuple, ins = _as_tuple(inputs, "inputs", "jvp")
    ins = _prepare(ins, create_graph)
    if v is None:
        if len(ins) != 1 or ins[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a "
                "single Tensor with a single element."
            )
        vs = (ones_like(ins[0]),)
    else:
        vs = _as_tuple(v, "v", "jvp")[1]
        _check_v(vs, ins)
    out_is_tuple, outs = _outputs_of(func, ins, "jvp")
    dummies = tuple(zeros_like(o).requires_grad_(True) for o in outs)
    # u -> u^T J is linear in u; its gradient with respect to u, contracted with v, is J v
    vjps = _grad(outs, ins, dummies, True, strict)
    used = [(g, w) for g, w in zip(vjps, vs) if g._requires_grad]
    found = (None,) * len(outs)
    if used:
        found = grad(
            [g for g, _ in used],
            list(dummies),
            [w for _, w in used],
            create_graph=create_graph,
            retain_graph=True,
            allow_unused=True,
        )
    jvps = tuple(zeros_like(o) if g is None else g for o, g in zip(outs, found))
    outs, jvps = _finish(outs, create_graph), _finish(jvps, create_graph)
    return (outs if out_is_tuple else outs[0]), (jvps if out_is_tuple else jvps[0])


def jacobian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
):
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape`` for each pair.

    A tensor in and a tensor out give one tensor; tuples give (nested) tuples ``[output][input]``, as in
    PyTorch. One backward pass per output element (``vectorize`` is accepted and changes nothing).

    >>> jacobian(lambda x: x ** 2, saessak.tensor([1.0, 2.0]))   # tensor([[2., 0.], [0., 4.]])
    """
    from ..creation import zeros, zeros_like
    from ..ops.join import stack
    from . import grad

    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(
            f'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            f'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            f'Otherwise, prefer to use "reverse-mode". Got {strategy!r}.'
        )
    is_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    ins = _prepare(ins, create_graph)
    out_is_tuple, outs = _outputs_of(func, ins, "jacobian")
    per_output = []
    for i, out in enumerate(outs):
        rows: list[list] = [[] for _ in ins]
        flat = out.reshape(-1)
        for j in range(flat.shape[0]):
            found = (None,) * len(ins)
            if out._requires_grad:
                found = grad([flat[j]], list(ins), retain_graph=True, create_graph=create_graph, allow_unused=True)
            for k, (x, g) in enumerate(zip(ins, found)):
                if g is None:
                    if strict:
                        raise RuntimeError(
                            f"Output {i} of the user-provided function is independent of input {k}. "
                            "This is not allowed in strict mode."
                        )
                    g = zeros_like(x)
                rows[k].append(g)
        blocks = tuple(
            stack(rows[k]).reshape(*out.shape, *x.shape) if rows[k] else zeros(*out.shape, *x.shape, dtype=x.dtype)
            for k, x in enumerate(ins)
        )
        per_output.append(_finish(blocks, create_graph))
    if out_is_tuple:
        return tuple(blocks if is_tuple else blocks[0] for blocks in per_output)
    return per_output[0] if is_tuple else per_output[0][0]


def hessian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
):
    """The Hessian of a scalar function: the Jacobian of its gradient, shape ``input.shape * 2``.

    Tuple inputs give a tuple of tuples: ``result[i][j]`` is d^2 f / (d input_i d input_j).

    >>> hessian(lambda x: (x ** 3).sum(), saessak.tensor([1.0, 2.0]))   # tensor([[6., 0.], [0., 12.]])
    """
    from ..creation import zeros_like
    from . import grad

    is_tuple, ins = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*xs):
        _, outs = _outputs_of(func, xs, "hessian")
        if len(outs) != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        _single_element(outs[0], "hessian")
        out = outs[0].reshape(())
        if not out._requires_grad:
            return tuple(zeros_like(x) for x in xs)
        found = grad([out], list(xs), create_graph=True, allow_unused=True)
        return tuple(zeros_like(x) if g is None else g for x, g in zip(xs, found))

    result = jacobian(gradient, ins, create_graph=create_graph, strict=strict)
    return result if is_tuple else result[0][0]


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T H)`` for a scalar function, without building the Hessian.

    >>> vhp(lambda x: (x ** 3).sum(), saessak.tensor([1.0, 2.0]), saessak.ones(2))[1]   # tensor([6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), H v)`` for a scalar function (equal to ``vhp``: a Hessian is symmetric).

    >>> hvp(lambda x: (x ** 3).sum(), saessak.tensor([1.0, 2.0]), saessak.ones(2))[1]   # tensor([6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool, fn_name: str):
    from ..creation import ones_like

    is_tuple, ins = _as_tuple(inputs, "inputs", fn_name)
    ins = _prepare(ins, create_graph)
    if v is None:
        if len(ins) != 1 or ins[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a "
                "single Tensor with a single element."
            )
        vs = (ones_like(ins[0]),)
    else:
        vs = _as_tuple(v, "v", fn_name)[1]
        _check_v(vs, ins)
    out_is_tuple, outs = _outputs_of(func, ins, fn_name)
    if len(outs) != 1:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    _single_element(outs[0], fn_name)
    grads = _grad(outs, ins, (ones_like(outs[0]),), True, strict)
    result = _finish(_grad(grads, ins, vs, create_graph, strict), create_graph)
    outs = _finish(outs, create_graph)
    return (outs if out_is_tuple else outs[0]), (result if is_tuple else result[0])
