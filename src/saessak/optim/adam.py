"""``Adam`` and ``AdamW``: adaptive moment estimation, with L2 or decoupled weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer, ParamsT, _check_betas, _check_range, _lerp_, _new_state, _scalar, _step_counter

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
        _check_range(self._owner, "lr", group["lr"], label="learning rate")
        _check_range(self._owner, "eps", group["eps"], label="epsilon value")
        _check_betas(self._owner, group["betas"])
        _check_range(self._owner, "weight_decay", group["weight_decay"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            beta1, beta2 = (_scalar(beta) for beta in group["betas"])
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            decoupled = group["decoupled_weight_decay"]
            amsgrad = group["amsgrad"]
            maximize = group["maximize"]
            state_of = self.state
            last_step = None
            for p in group["params"]:
                grad_tensor = p._grad
                if grad_tensor is None:
                    continue
                param = p._data
                grad = grad_tensor._data
                xp = p._xp()
                state = state_of[p]
                if not state:
                    state["step"] = _step_counter()
                    state["exp_avg"] = _new_state(xp.zeros_like(param))
                    state["exp_avg_sq"] = _new_state(xp.zeros_like(param))
                    if amsgrad:
                        state["max_exp_avg_sq"] = _new_state(xp.zeros_like(param))
                step_array = state["step"]._data
                step_array += 1
                step = float(step_array)
                if step != last_step:  # every parameter usually shares the step: compute its factors once
                    last_step = step
                    step_size = lr / (1 - beta1**step)
                    bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                if maximize:
                    grad = xp.negative(grad)
                if weight_decay != 0:
                    if decoupled:
                        xp.multiply(param, 1 - lr * weight_decay, out=param)
                    else:
                        grad = xp.add(grad, xp.multiply(param, weight_decay))
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                scratch = xp.empty_like(param)
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
                denom = xp.sqrt(second_moment, out=scratch)
                xp.divide(denom, bias_correction2_sqrt, out=denom)
                xp.add(denom, eps, out=denom)
                xp.divide(exp_avg, denom, out=denom)
                xp.multiply(denom, -step_size, out=denom)
                xp.add(param, denom, out=param)
                p._vc[0] += 1
        return loss


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
