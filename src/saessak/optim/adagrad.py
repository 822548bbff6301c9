"""``Adagrad``: per-coordinate learning rates scaled by the root of all past squared gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer, ParamsT, _check_range, _effective_grad, _new_state, _scalar, _step_counter

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011).

    For each parameter ``p`` with gradient ``g`` (``g = -g`` when ``maximize``), at step ``t``::

        g = g + weight_decay * p
        lr_t = lr / (1 + (t - 1) * lr_decay)
        s = s + g**2                          (s starts at initial_accumulator_value)
        p = p - lr_t * g / (sqrt(s) + eps)

    >>> opt = saessak.optim.Adagrad(model.parameters(), lr=1e-2)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        self._check_group(defaults)
        super().__init__(params, defaults)
        for group in self.param_groups:  # Adagrad's state exists from the start, as in PyTorch
            self._init_state(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        super().add_param_group(param_group)
        if hasattr(self, "_initialised"):
            self._init_state(self.param_groups[-1])

    def _init_state(self, group: dict[str, Any]) -> None:
        self._initialised = True
        for p in group["params"]:
            state = self.state[p]
            if not state:
                state["step"] = _step_counter()
                initial = group["initial_accumulator_value"]
                state["sum"] = _new_state(p._xp().full_like(p._data, initial))

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("Adagrad", "lr", group["lr"], label="learning rate")
        _check_range("Adagrad", "lr_decay", group["lr_decay"])
        _check_range("Adagrad", "weight_decay", group["weight_decay"])
        _check_range("Adagrad", "initial_accumulator_value", group["initial_accumulator_value"])
        _check_range("Adagrad", "eps", group["eps"], label="epsilon value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adagrad update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lr_decay, eps = _scalar(group["lr"]), group["lr_decay"], group["eps"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                xp = p._xp()
                param = p._data
                state = self.state[p]
                if not state:
                    self._init_state({"params": [p], "initial_accumulator_value": group["initial_accumulator_value"]})
                step_array = state["step"]._data
                step_array += 1
                current_lr = lr / (1 + (float(step_array) - 1) * lr_decay)
                grad = _effective_grad(xp, param, p._grad._data, group["weight_decay"], group["maximize"])
                total = state["sum"]._data
                scratch = xp.multiply(grad, grad)
                xp.add(total, scratch, out=total)
                std = xp.sqrt(total, out=scratch)
                xp.add(std, eps, out=std)
                xp.divide(grad, std, out=std)
                xp.subtract(param, xp.multiply(std, current_lr, out=std), out=param)
                p._vc[0] += 1
        return loss
