"""``Adadelta``: step sizes from running averages of squared gradients and squared updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import (
    Optimizer,
    ParamsT,
    _check_range,
    _effective_grad,
    _scalar,
    _zero_buffers,
)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012).

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``)::

        g = g + weight_decay * p
        v = rho * v + (1 - rho) * g**2
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta**2
        p = p - lr * delta

    >>> opt = saessak.optim.Adadelta(model.parameters())
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
                        foreach=foreach, differentiable=differentiable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("Adadelta", "lr", group["lr"], label="learning rate")
        _check_range("Adadelta", "rho", group["rho"], 0.0, 1.0, high_inclusive=True)
        _check_range("Adadelta", "eps", group["eps"], label="epsilon value")
        _check_range("Adadelta", "weight_decay", group["weight_decay"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adadelta update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, rho, eps = _scalar(group["lr"]), group["rho"], group["eps"]
            for p, state in self._stepped(group, lambda p: _zero_buffers(p, "square_avg", "acc_delta")):
                xp = p._xp()
                param = p._data
                grad = _effective_grad(xp, param, p._grad._data, group["weight_decay"], group["maximize"])
                square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
                scratch = xp.multiply(grad, grad)
                xp.multiply(scratch, 1 - rho, out=scratch)
                xp.multiply(square_avg, rho, out=square_avg)
                xp.add(square_avg, scratch, out=square_avg)
                std = xp.sqrt(xp.add(square_avg, eps, out=scratch), out=scratch)
                delta = xp.add(acc_delta, eps)
                xp.sqrt(delta, out=delta)
                xp.divide(delta, std, out=delta)
                xp.multiply(delta, grad, out=delta)
                xp.multiply(acc_delta, rho, out=acc_delta)
                xp.multiply(delta, delta, out=scratch)
                xp.multiply(scratch, 1 - rho, out=scratch)
                xp.add(acc_delta, scratch, out=acc_delta)
                xp.subtract(param, xp.multiply(delta, lr, out=delta), out=param)
                p._vc[0] += 1
        return loss
