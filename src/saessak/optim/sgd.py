"""``SGD``: stochastic gradient descent with optional (Nesterov) momentum and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer, ParamsT, _check_range, _new_state, _scalar, _scratch_like

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``)::

        g = g + weight_decay * p
        b = g                                   (first step)
        b = momentum * b + (1 - dampening) * g  (later steps)
        g = g + momentum * b  if nesterov else  b
        p = p - lr * g

    >>> opt = saessak.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("SGD", "lr", group["lr"], label="learning rate")
        _check_range("SGD", "momentum", group["momentum"])
        _check_range("SGD", "weight_decay", group["weight_decay"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"Nesterov momentum requires a momentum and zero dampening (SGD got "
                             f"momentum={group['momentum']}, dampening={group['dampening']})")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One SGD update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            weight_decay = group["weight_decay"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            for p in group["params"]:
                grad_tensor = p._grad
                if grad_tensor is None:
                    continue
                param = p._data
                grad = grad_tensor._data
                xp = p._xp()
                if maximize:
                    grad = xp.negative(grad)
                if weight_decay != 0:
                    grad = xp.add(grad, xp.multiply(param, weight_decay))
                if momentum != 0:
                    state = self.state[p]
                    buffer_tensor = state.get("momentum_buffer")
                    if buffer_tensor is None:
                        buffer = grad.copy()
                        state["momentum_buffer"] = _new_state(buffer)
                    else:
                        buffer = buffer_tensor._data
                        xp.multiply(buffer, momentum, out=buffer)
                        if dampening == 0:
                            xp.add(buffer, grad, out=buffer)
                        else:
                            xp.add(buffer, xp.multiply(grad, 1 - dampening), out=buffer)
                    grad = xp.add(grad, xp.multiply(buffer, momentum)) if nesterov else buffer
                step = xp.multiply(grad, lr, out=_scratch_like(self, param))  # reused: no allocation per step
                xp.subtract(param, step, out=param)
                p._vc[0] += 1
        return loss
