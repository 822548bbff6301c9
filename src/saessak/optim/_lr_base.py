"""``LRScheduler``, the base of every learning-rate scheduler, and the helpers they share."""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor
from .optimizer import Optimizer

_EPOCH_DEPRECATION = (
    "Passing an epoch to scheduler.step() is deprecated: call scheduler.step() with no argument. "
    "With an epoch the closed-form lr is used (where the scheduler has one) instead of the chainable form."
)


def _group_lrs(optimizer: Optimizer, key: str = "lr") -> list:
    return [group[key].clone() if isinstance(group[key], Tensor) else group[key] for group in optimizer.param_groups]


def _set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    if isinstance(group[key], Tensor):
        group[key].fill_(float(value))
    else:
        group[key] = value


def _per_group(name: str, optimizer: Optimizer, value: Any) -> list:
    """``value`` repeated for every group, or a list/tuple that must have one entry per group."""
    if isinstance(value, list | tuple):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has {len(value)} "
                             f"values, param_groups has {len(optimizer.param_groups)}.")
        return list(value)
    return [value] * len(optimizer.param_groups)


def _check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


class LRScheduler:
    """Base class of the schedulers: ``step()`` advances ``last_epoch`` and writes ``get_lr()`` into the groups.

    On construction (``last_epoch=-1``) each group gets ``initial_lr`` (its current lr, unless already set)
    and the scheduler takes its first step, to epoch 0. A subclass defines ``get_lr()``: the new lrs, computed
    from the groups' current ``lr`` and ``self.last_epoch``.
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                lr = group["lr"]
                group.setdefault("initial_lr", lr.clone() if isinstance(lr, Tensor) else lr)
        else:
            for index, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{index}] when resuming a "
                                   f"scheduler with last_epoch={last_epoch}; load the optimizer's state_dict first, "
                                   "or start with last_epoch=-1")
        self.base_lrs: list = _group_lrs(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimiser."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` returned."""
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list:
        """The lrs the last ``step()`` wrote, one per parameter group."""
        return self._last_lr

    def get_lr(self) -> list:
        """The lrs for the current ``last_epoch`` (called by ``step``; use ``get_last_lr()`` to read them)."""
        raise NotImplementedError(f"{type(self).__name__} must define get_lr()")

    def _warn_if_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                          UserWarning, stacklevel=3)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, deprecated) and write the new lrs into the optimiser."""
        self._step_count += 1
        if epoch is not None:
            warnings.warn(_EPOCH_DEPRECATION, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            _set_group_value(group, "lr", lr)
        self._last_lr: list = _group_lrs(self.optimizer)


_LRScheduler = LRScheduler  # the old name, kept as PyTorch keeps it

