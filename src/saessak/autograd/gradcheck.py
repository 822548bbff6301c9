"""Gradient checking: analytical gradients against central differences, in float64.

``gradcheck(fn, inputs)`` builds, for every input that requires grad, the Jacobian two ways:
numerically, ``(f(x + eps) - f(x - eps)) / (2 eps)`` one element at a time, and analytically, one
backward pass per output element. ``gradgradcheck`` does the same for the gradient itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytical and numerical gradients disagree."""


def _tensors(value) -> tuple:
    from .._tensor import Tensor

    if isinstance(value, Tensor):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(v for v in value if isinstance(v, Tensor))
    return ()


def _host(array) -> np.ndarray:
    return array if isinstance(array, np.ndarray) else array.get()


def _outputs(fn, inputs) -> tuple:
    return _tensors(fn(*inputs))


def _numerical_jacobians(fn, inputs, targets, eps: float) -> list:
    """For each target input, a (numel_in, numel_out_total) matrix of central differences."""
    jacobians = []
    if True:  # recording stays on: gradgradcheck's function differentiates inside
        for t in targets:
            data = t._data  # written in place, one element at a time, and restored
            rows = []
            for i in range(data.size):
                index = np.unravel_index(i, data.shape)
                original = data[index].item()
                data[index] = original + eps
                plus = [_host(o._data).astype(np.float64).ravel() for o in _outputs(fn, inputs)]
                data[index] = original - eps
                minus = [_host(o._data).astype(np.float64).ravel() for o in _outputs(fn, inputs)]
                data[index] = original
                rows.append(np.concatenate([(p - m) / (2 * eps) for p, m in zip(plus, minus)] or [np.zeros(0)]))
            if not rows:  # an empty input: no columns to compute
                total = sum(o.numel() for o in _outputs(fn, inputs))
                jacobians.append(np.zeros((0, total)))
                continue
            jacobians.append(np.array(rows).reshape(data.size, -1))
    return jacobians


def _analytical_jacobians(fn, inputs, targets) -> list:
    from .._tensor import Tensor
    from . import grad as autograd_grad

    outputs = [o for o in _outputs(fn, inputs)]
    total = sum(o.numel() for o in outputs)
    jacobians = [np.zeros((t.numel(), total)) for t in targets]
    column = 0
    for o in outputs:
        if not o._requires_grad:
            column += o.numel()
            continue
        for j in range(o.numel()):
            seed = np.zeros(o._data.size, dtype=o._data.dtype)
            seed[j] = 1.0
            grads = autograd_grad(
                [o], list(targets), [Tensor._make(seed.reshape(o._data.shape))], retain_graph=True,
                allow_unused=True,
            )
            for k, g in enumerate(grads):
                if g is not None:
                    jacobians[k][:, column + j] = _host(g._data).astype(np.float64).ravel()
        column += o.numel()
    return jacobians


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """True when ``func``'s analytical gradients match central differences for every input requiring grad.

    Use float64 inputs: float32 differences are too coarse for the default tolerances.
    >>> x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    >>> saessak.autograd.gradcheck(saessak.sin, (x,))
    True
    """
    inputs = (inputs,) if not isinstance(inputs, tuple | list) else tuple(inputs)
    targets = [t for t in _tensors(inputs) if t._requires_grad]
    if not targets:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have "
            "requires_grad=True."
        )
    for t in targets:
        if t._data.dtype != np.float64:
            import warnings

            warnings.warn(
                f"Input #{_tensors(inputs).index(t)} requires gradient and is not a double precision floating "
                "point. This check will likely fail if all the inputs are not of double precision floating point.",
                UserWarning,
                stacklevel=2,
            )
    numerical = _numerical_jacobians(func, inputs, targets, eps)
    analytical = _analytical_jacobians(func, inputs, targets)
    for index, (n, a) in enumerate(zip(numerical, analytical)):
        if n.shape != a.shape or not np.allclose(a, n, rtol=rtol, atol=atol):
            message = (
                f"Jacobian mismatch for output 0 with respect to input {index},\n"
                f"numerical:{n}\nanalytical:{a}\n"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Check second derivatives: ``gradcheck`` applied to the (differentiable) gradient of ``func``."""
    from .._tensor import Tensor
    from . import grad as autograd_grad

    inputs = (inputs,) if not isinstance(inputs, tuple | list) else tuple(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(o._data.shape).astype(o._data.dtype), True)
            for o in outputs if o._requires_grad
        )
    else:
        grad_outputs = _tensors(grad_outputs)
    n_inputs = len(inputs)
    targets_mask = [isinstance(t, Tensor) and t._requires_grad for t in inputs]

    def first_derivative(*args):
        ins, gos = args[:n_inputs], args[n_inputs:]
        outs = [o for o in _outputs(func, ins) if o._requires_grad]
        wrt = [t for t, m in zip(ins, targets_mask) if m]
        grads = autograd_grad(outs, wrt, list(gos), create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
