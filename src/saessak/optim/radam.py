"""``RAdam``: Adam whose adaptive step is switched on once its variance estimate is trustworthy."""

from __future__ import annotations

import math
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

__all__ = ["RAdam"]


class RAdam(Optimizer):
    r"""RAdam (Liu et al., 2019): rectified Adam.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``::

        g = g + weight_decay * p          (or p = p * (1 - lr * weight_decay) when decoupled_weight_decay)
        m = beta1 * m + (1 - beta1) * g ;  v = beta2 * v + (1 - beta2) * g**2
        rho_inf = 2 / (1 - beta2) - 1 ;  rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
        m_hat = m / (1 - beta1**t)
        if rho_t > 5:
            r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            p = p - lr * m_hat * sqrt(1 - beta2**t) / (sqrt(v) + eps) * r
        else:
            p = p - lr * m_hat

    >>> opt = saessak.optim.RAdam(model.parameters(), lr=1e-3)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        if isinstance(betas, list):
            betas = tuple(betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_options("RAdam", group)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One RAdam update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps = _scalar(group["lr"]), group["eps"]
            beta1, beta2 = (_scalar(beta) for beta in group["betas"])
            weight_decay = group["weight_decay"]
            rho_inf = 2 / (1 - beta2) - 1
            for p, state in self._stepped(group, lambda p: _zero_buffers(p, "exp_avg", "exp_avg_sq")):
                xp = p._xp()
                param = p._data
                step_array = state["step"]._data
                step = float(step_array)
                grad = _effective_grad(xp, param, p._grad._data, weight_decay, group["maximize"],
                                       lr if group["decoupled_weight_decay"] else None)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                scratch = _scratch_like(self, param)
                _lerp_(xp, exp_avg, grad, 1 - beta1, scratch)
                xp.multiply(exp_avg_sq, beta2, out=exp_avg_sq)
                xp.multiply(grad, grad, out=scratch)
                xp.multiply(scratch, 1 - beta2, out=scratch)
                xp.add(exp_avg_sq, scratch, out=exp_avg_sq)
                bias_correction2 = 1 - beta2**step
                update = xp.divide(exp_avg, 1 - beta1**step)
                xp.multiply(update, lr, out=update)
                rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
                if rho_t > 5.0:
                    rectification = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                                              / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                    adaptive = xp.sqrt(exp_avg_sq, out=scratch)
                    xp.add(adaptive, eps, out=adaptive)
                    xp.divide(bias_correction2**0.5, adaptive, out=adaptive)
                    xp.multiply(update, adaptive, out=update)
                    xp.multiply(update, rectification, out=update)
                xp.subtract(param, update, out=param)
                p._vc[0] += 1
        return loss
