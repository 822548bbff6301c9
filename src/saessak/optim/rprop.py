"""``Rprop``: resilient backpropagation, per-coordinate step sizes driven only by the sign of the gradient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer, ParamsT, _check_range, _new_state, _scalar

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Rprop (Riedmiller and Braun, 1993), in PyTorch's variant (Rprop- without weight backtracking).

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``); ``s`` starts at ``lr``::

        f = etaplus  if g * g_prev > 0 ;  etaminus  if g * g_prev < 0 ;  1 otherwise
        s = clamp(s * f, step_size_min, step_size_max)
        g = 0  where g * g_prev < 0           (a sign change skips this coordinate once)
        p = p - sign(g) * s ;  g_prev = g

    >>> opt = saessak.optim.Rprop(model.parameters(), lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50))
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("Rprop", "lr", group["lr"], label="learning rate")
        etaminus, etaplus = group["etas"]
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(f"Invalid eta values: {etaminus}, {etaplus} (Rprop expects 0 < etaminus < 1 < etaplus, "
                             "e.g. etas=(0.5, 1.2))")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Rprop update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            lr = _scalar(group["lr"])

            def initial_state(p, lr=lr):
                return {"prev": _new_state(p._xp().zeros_like(p._data)),
                        "step_size": _new_state(p._xp().full_like(p._data, lr))}

            for p, state in self._stepped(group, initial_state):
                xp = p._xp()
                param, grad = p._data, p._grad._data
                if group["maximize"]:
                    grad = xp.negative(grad)
                prev, step_size = state["prev"]._data, state["step_size"]._data
                product = xp.multiply(grad, prev)
                flipped = product < 0
                factor = xp.where(product > 0, etaplus, xp.where(flipped, etaminus, 1.0)).astype(param.dtype)
                xp.multiply(step_size, factor, out=step_size)
                xp.clip(step_size, step_size_min, step_size_max, out=step_size)
                grad = xp.where(flipped, xp.zeros((), dtype=param.dtype), grad)
                xp.subtract(param, xp.multiply(xp.sign(grad), step_size, out=product), out=param)
                prev[...] = grad
                p._vc[0] += 1
        return loss
