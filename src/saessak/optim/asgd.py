"""``ASGD``: stochastic gradient descent with a decaying step and a running (Polyak) average of the iterates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, _check_range, _effective_grad, _new_state, _scalar, _step_counter

__all__ = ["ASGD"]


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak and Juditsky, 1992), as PyTorch implements it.

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``; ``eta``
    starts at ``lr`` and ``mu`` at 1; the average ``ax`` is in ``optimizer.state[p]['ax']``::

        g = g + weight_decay * p
        p = p * (1 - lambd * eta) - eta * g
        ax = p  if mu == 1  else  ax + mu * (p - ax)
        eta = lr / (1 + lambd * lr * t) ** alpha
        mu = 1 / max(1, t - t0)               (averaging starts after t0 steps)

    >>> opt = saessak.optim.ASGD(model.parameters(), lr=1e-2, t0=100)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("ASGD", "lr", group["lr"], label="learning rate")
        _check_range("ASGD", "weight_decay", group["weight_decay"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One ASGD update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0 = _scalar(group["lr"]), group["lambd"], group["alpha"], group["t0"]

            def initial_state(p, lr=lr):  # eta and mu are float32 scalars, as PyTorch keeps them
                return {"eta": _step_counter(lr), "mu": _step_counter(1.0),
                        "ax": _new_state(p._xp().zeros_like(p._data))}

            for p, state in self._stepped(group, initial_state):
                xp = p._xp()
                param = p._data
                grad = _effective_grad(xp, param, p._grad._data, group["weight_decay"], group["maximize"])
                eta_array, mu_array, ax = state["eta"]._data, state["mu"]._data, state["ax"]._data
                eta = float(eta_array)
                xp.multiply(param, 1 - lambd * eta, out=param)
                xp.subtract(param, xp.multiply(grad, eta), out=param)
                mu = float(mu_array)
                if mu != 1:
                    xp.add(ax, xp.multiply(xp.subtract(param, ax), mu_array.astype(param.dtype)), out=ax)
                else:
                    ax[...] = param
                step = float(state["step"]._data)
                eta_array[...] = np.float32(lr / (1 + lambd * lr * step) ** alpha)
                mu_array[...] = np.float32(1 / max(1, step - t0))
                p._vc[0] += 1
        return loss
