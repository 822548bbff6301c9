"""``RMSprop``: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import (
    Optimizer,
    ParamsT,
    _check_range,
    _effective_grad,
    _lerp_,
    _scalar,
    _zero_buffers,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture 6e), optionally centered and with momentum.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``)::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2
        m_g = alpha * m_g + (1 - alpha) * g          (centered)
        a = sqrt(v - m_g**2) + eps  if centered else  sqrt(v) + eps
        b = momentum * b + g / a ;  p = p - lr * b   (momentum > 0)
        p = p - lr * g / a                           (otherwise)

    >>> opt = saessak.optim.RMSprop(model.parameters(), lr=1e-2)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered, weight_decay=weight_decay,
                        capturable=capturable, foreach=foreach, maximize=maximize, differentiable=differentiable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("RMSprop", "lr", group["lr"], label="learning rate")
        _check_range("RMSprop", "eps", group["eps"], label="epsilon value")
        _check_range("RMSprop", "momentum", group["momentum"])
        _check_range("RMSprop", "weight_decay", group["weight_decay"])
        _check_range("RMSprop", "alpha", group["alpha"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One RMSprop update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            alpha, eps, momentum, centered = group["alpha"], group["eps"], group["momentum"], group["centered"]
            buffers = ("square_avg",) + (("momentum_buffer",) if momentum > 0 else ())
            buffers += ("grad_avg",) if centered else ()
            for p, state in self._stepped(group, lambda p, names=buffers: _zero_buffers(p, *names)):
                xp = p._xp()
                param = p._data
                grad = _effective_grad(xp, param, p._grad._data, group["weight_decay"], group["maximize"])
                square_avg = state["square_avg"]._data
                scratch = xp.multiply(grad, grad)
                xp.multiply(scratch, 1 - alpha, out=scratch)
                xp.multiply(square_avg, alpha, out=square_avg)
                xp.add(square_avg, scratch, out=square_avg)
                if centered:
                    grad_avg = state["grad_avg"]._data
                    _lerp_(xp, grad_avg, grad, 1 - alpha, scratch)
                    avg = xp.subtract(square_avg, xp.multiply(grad_avg, grad_avg, out=scratch))
                    xp.sqrt(avg, out=avg)
                else:
                    avg = xp.sqrt(square_avg)
                xp.add(avg, eps, out=avg)
                if momentum > 0:
                    buffer = state["momentum_buffer"]._data
                    xp.multiply(buffer, momentum, out=buffer)
                    xp.add(buffer, xp.divide(grad, avg, out=avg), out=buffer)
                    xp.subtract(param, xp.multiply(buffer, lr, out=avg), out=param)
                else:
                    xp.divide(grad, avg, out=avg)
                    xp.subtract(param, xp.multiply(avg, lr, out=avg), out=param)
                p._vc[0] += 1
        return loss
