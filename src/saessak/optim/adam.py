"""``Adam`` and ``AdamW``: adaptive moment estimation, with L2 or decoupled weight decay."""

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

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014), optionally AMSGrad.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``::

        g = g + weight_decay * p          (or p = p * (1 - lr * weight_decay) when decoupled_weight_decay)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        v_max = max(v_max, v)             (amsgrad; then v_max replaces v below)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    >>> opt = saessak.optim.Adam(model.parameters(), lr=1e-3)
    """

    _owner = "Adam"

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(betas, list):
            betas = tuple(betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_options(self._owner, group)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            buffers = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if group["amsgrad"] else ("exp_avg", "exp_avg_sq")
            options = (_scalar(group["lr"]), *(_scalar(beta) for beta in group["betas"]), group["eps"],
                       group["weight_decay"], group["decoupled_weight_decay"], group["amsgrad"], group["maximize"])
            for p, state in self._stepped(group, lambda p, names=buffers: _zero_buffers(p, *names)):
                self._update(p, state, *options)
        return loss

    def _update(self, p, state, lr, beta1, beta2, eps, weight_decay, decoupled, amsgrad, maximize) -> None:
        param, grad = p._data, p._grad._data
        xp = p._xp()
        step = float(state["step"]._data)
        step_size = lr / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        grad = _effective_grad(xp, param, grad, weight_decay, maximize, lr if decoupled else None)
        exp_avg = state["exp_avg"]._data
        exp_avg_sq = state["exp_avg_sq"]._data
        scratch = _scratch_like(self, param)
        _lerp_(xp, exp_avg, grad, 1 - beta1, scratch)
        xp.multiply(exp_avg_sq, beta2, out=exp_avg_sq)
        xp.multiply(grad, grad, out=scratch)
        xp.multiply(scratch, 1 - beta2, out=scratch)
        xp.add(exp_avg_sq, scratch, out=exp_avg_sq)
        if amsgrad:
            second_moment = state["max_exp_avg_sq"]._data
            xp.maximum(second_moment, exp_avg_sq, out=second_moment)
        else:
            second_moment = exp_avg_sq
        # step_size * m / (sqrt(v) / c + eps) computed as (step_size * c) * m / (sqrt(v) + eps * c): one
        # pass fewer over the arrays (c = sqrt(1 - beta2**t))
        denom = xp.sqrt(second_moment, out=scratch)
        xp.add(denom, eps * bias_correction2_sqrt, out=denom)
        xp.divide(exp_avg, denom, out=denom)
        xp.multiply(denom, -step_size * bias_correction2_sqrt, out=denom)
        xp.add(param, denom, out=param)
        p._vc[0] += 1


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2017).

    As :class:`Adam`, except that weight decay shrinks the parameter directly instead of entering the
    gradient::

        p = p * (1 - lr * weight_decay)
        m = beta1 * m + (1 - beta1) * g ;  v = beta2 * v + (1 - beta2) * g**2
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    >>> opt = saessak.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    """

    _owner = "AdamW"

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
