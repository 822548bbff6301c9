"""``NAdam``: Adam with Nesterov momentum and a momentum-decay schedule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import (
    Optimizer,
    ParamsT,
    _check_adam_options,
    _check_range,
    _effective_grad,
    _lerp_,
    _scalar,
    _scratch_like,
    _step_counter,
    _zero_buffers,
)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    r"""NAdam (Dozat, 2016), with the momentum-decay schedule ``mu_t = beta1 * (1 - 0.5 * 0.96**(t * psi))``.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``::

        g = g + weight_decay * p          (or p = p * (1 - lr * weight_decay) when decoupled_weight_decay)
        prod = prod * mu_t
        m = beta1 * m + (1 - beta1) * g ;  v = beta2 * v + (1 - beta2) * g**2
        d = sqrt(v / (1 - beta2**t)) + eps
        p = p - lr * (1 - mu_t) / (1 - prod) * g / d - lr * mu_{t+1} / (1 - prod * mu_{t+1}) * m / d

    ``psi`` is ``momentum_decay``.

    >>> opt = saessak.optim.NAdam(model.parameters(), lr=2e-3)
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        if isinstance(betas, list):
            betas = tuple(betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_options("NAdam", group)
        _check_range("NAdam", "momentum_decay", group["momentum_decay"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One NAdam update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps = _scalar(group["lr"]), group["eps"]
            beta1, beta2 = (_scalar(beta) for beta in group["betas"])
            weight_decay, momentum_decay = group["weight_decay"], group["momentum_decay"]
            def initial_state(p):
                return {"mu_product": _step_counter(1.0), **_zero_buffers(p, "exp_avg", "exp_avg_sq")}

            for p, state in self._stepped(group, initial_state):
                xp = p._xp()
                param = p._data
                step_array = state["step"]._data
                step = float(step_array)
                grad = _effective_grad(xp, param, p._grad._data, weight_decay, group["maximize"],
                                       lr if group["decoupled_weight_decay"] else None)
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
                mu_product_array = state["mu_product"]._data
                np.multiply(mu_product_array, mu, out=mu_product_array)  # float32, as PyTorch keeps it
                mu_product = float(mu_product_array)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                scratch = _scratch_like(self, param)
                _lerp_(xp, exp_avg, grad, 1 - beta1, scratch)
                xp.multiply(exp_avg_sq, beta2, out=exp_avg_sq)
                xp.multiply(grad, grad, out=scratch)
                xp.multiply(scratch, 1 - beta2, out=scratch)
                xp.add(exp_avg_sq, scratch, out=exp_avg_sq)
                denom = xp.divide(exp_avg_sq, 1 - beta2**step)
                xp.sqrt(denom, out=denom)
                xp.add(denom, eps, out=denom)
                grad_weight = -lr * (1.0 - mu) / (1.0 - mu_product)
                avg_weight = (-lr * mu_next) / (1.0 - mu_product * mu_next)
                xp.add(param, xp.multiply(xp.divide(grad, denom, out=scratch), grad_weight, out=scratch), out=param)
                xp.add(param, xp.multiply(xp.divide(exp_avg, denom, out=scratch), avg_weight, out=scratch), out=param)
                p._vc[0] += 1
        return loss
