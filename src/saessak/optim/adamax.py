"""``Adamax``: Adam with the second moment replaced by an exponentially weighted infinity norm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import (
    Optimizer,
    ParamsT,
    _check_adam_options,
    _effective_grad,
    _lerp_,
    _scalar,
    _scratch_like,
    _zero_buffers,
)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    r"""Adamax (Kingma & Ba, 2014, section 7).

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)
        p = p - lr / (1 - beta1**t) * m / u

    >>> opt = saessak.optim.Adamax(model.parameters(), lr=2e-3)
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        if isinstance(betas, list):
            betas = tuple(betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_options("Adamax", group)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adamax update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps = _scalar(group["lr"]), group["eps"]
            beta1, beta2 = (_scalar(beta) for beta in group["betas"])
            for p, state in self._stepped(group, lambda p: _zero_buffers(p, "exp_avg", "exp_inf")):
                xp = p._xp()
                param = p._data
                step_array = state["step"]._data
                grad = _effective_grad(xp, param, p._grad._data, group["weight_decay"], group["maximize"])
                exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
                scratch = _scratch_like(self, param)
                _lerp_(xp, exp_avg, grad, 1 - beta1, scratch)
                xp.multiply(exp_inf, beta2, out=exp_inf)
                xp.add(xp.abs(grad, out=scratch), eps, out=scratch)
                xp.maximum(exp_inf, scratch, out=exp_inf)
                current_lr = lr / (1 - beta1 ** float(step_array))
                xp.divide(exp_avg, exp_inf, out=scratch)
                xp.multiply(scratch, -current_lr, out=scratch)
                xp.add(param, scratch, out=param)
                p._vc[0] += 1
        return loss
