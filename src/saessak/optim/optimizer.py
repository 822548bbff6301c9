"""``Optimizer``: the base every optimiser extends: parameter groups, per-parameter state, state_dict.

An optimiser updates parameters in place, on their backend arrays, with no graph recorded. Its state
(``momentum_buffer``, ``exp_avg``, ``step``...) is kept as saessak Tensors in ``self.state[param]`` so that
``state_dict()`` has PyTorch's layout::

    {'state': {0: {'step': tensor(3.), 'exp_avg': tensor([...])}, ...},
     'param_groups': [{'lr': 0.001, ..., 'params': [0, 1]}]}
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from ..backend import get_array_module
from ..utils.hooks import RemovableHandle

__all__ = ["Optimizer", "ParamsT"]

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


class _RequiredParameter:
    """Marks a hyper-parameter every group must give (there is no default)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()
_hook_ids = itertools.count()


# ---------------------------------------------------------------- helpers shared by the optimisers
def _scalar(value: Any) -> float:
    """A hyper-parameter as a Python number (a one-element Tensor lr is allowed, as in PyTorch)."""
    return value.item() if isinstance(value, Tensor) else value


def _check_range(owner: str, name: str, value: Any, low: float = 0.0, high: float | None = None,
                 high_inclusive: bool = False, label: str | None = None) -> None:
    """Raise ``ValueError('Invalid <label>: <value> ...')`` unless ``low <= value`` (and below ``high``)."""
    number = _scalar(value)
    ok = low <= number and (high is None or (number <= high if high_inclusive else number < high))
    if not ok:
        bound = f"{low} <= {name}" + ("" if high is None else (" <= " if high_inclusive else " < ") + str(high))
        raise ValueError(f"Invalid {label or name + ' value'}: {value} ({owner} expects {bound})")


def _check_betas(owner: str, betas: Any) -> None:
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise ValueError(f"Invalid betas: {betas!r} ({owner} expects a pair (beta1, beta2))")
    for index, beta in enumerate(betas):
        _check_range(owner, f"betas[{index}]", beta, 0.0, 1.0, label=f"beta parameter at index {index}")


def _new_state(array) -> Tensor:
    """Wrap a freshly made state array (no copy)."""
    return Tensor._make(array)


def _step_counter(value: float = 0.0) -> Tensor:
    """The per-parameter ``step`` PyTorch keeps for the Adam family: a float32 scalar on the CPU."""
    return Tensor._make(np.array(value, dtype=np.float32))


def _scratch_like(optimizer, array):
    """A reusable work array with ``array``'s shape and dtype: no allocation (and page faults) per step."""
    pool = optimizer.__dict__.setdefault("_scratch_pool", {})
    key = (array.shape, array.dtype, type(array))
    buffer = pool.get(key)
    if buffer is None:
        buffer = pool[key] = get_array_module(array).empty_like(array)
    return buffer


def _lerp_(xp, start, end, weight: float, scratch) -> None:
    """``start += weight * (end - start)`` in place, rounded as PyTorch's lerp is."""
    if weight < 0.5:
        xp.subtract(end, start, out=scratch)
        xp.multiply(scratch, weight, out=scratch)
        xp.add(start, scratch, out=start)
    else:
        xp.subtract(start, end, out=scratch)
        xp.multiply(scratch, 1.0 - weight, out=scratch)
        xp.add(end, scratch, out=start)


def _effective_grad(xp, param, grad, weight_decay: float, maximize: bool, decoupled_lr: float | None = None):
    """The gradient an update sees: negated when maximising, plus ``weight_decay * param`` (L2 penalty).

    With ``decoupled_lr`` the decay is decoupled instead (AdamW's rule): the parameter shrinks in place by
    ``1 - lr * weight_decay`` and the gradient is left alone.
    """
    if maximize:
        grad = xp.negative(grad)
    if weight_decay != 0:
        if decoupled_lr is not None:
            xp.multiply(param, 1 - decoupled_lr * weight_decay, out=param)
        else:
            grad = xp.add(grad, xp.multiply(param, weight_decay))
    return grad


def _check_adam_options(owner: str, group: dict[str, Any]) -> None:
    """The options every Adam-family optimiser validates: lr, eps, betas and weight_decay."""
    _check_range(owner, "lr", group["lr"], label="learning rate")
    _check_range(owner, "eps", group["eps"], label="epsilon value")
    _check_betas(owner, group["betas"])
    _check_range(owner, "weight_decay", group["weight_decay"])


def _zero_buffers(param: Tensor, *names: str) -> dict:
    """State buffers of zeros shaped like ``param``, by name."""
    zeros = param._xp().zeros_like
    return {name: _new_state(zeros(param._data)) for name in names}


def _wrap_step(step: Callable) -> Callable:
    """Run the optimiser's step hooks around ``step`` (installed once per subclass that defines ``step``)."""

    @functools.wraps(step)
    def step_with_hooks(self, *args, **kwargs):
        if not (self._step_pre_hooks or self._step_post_hooks):
            return step(self, *args, **kwargs)
        for hook in list(self._step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                args, kwargs = result
        out = step(self, *args, **kwargs)
        for hook in list(self._step_post_hooks.values()):
            hook(self, args, kwargs)
        return out

    step_with_hooks._hooked = True  # type: ignore[attr-defined]
    return step_with_hooks


class Optimizer:
    """Base class of every optimiser: holds parameter groups, per-parameter state and the defaults.

    ``params`` is an iterable of Tensors (a ``model.parameters()`` generator is fine), of ``(name, tensor)``
    pairs, or of dicts, each a parameter group with its own options (``{'params': [...], 'lr': 0.1}``);
    options a group does not give are taken from ``defaults``.

    A subclass defines ``step(closure=None)``; it updates every parameter whose ``.grad`` is not None.

    >>> opt = saessak.optim.SGD(model.parameters(), lr=0.1)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _wrap_step(step)  # type: ignore[method-assign]

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                f"a single {type(params).__name__}; wrap it in a list: [tensor]"
            )
        if isinstance(params, dict):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got a dict; pass a list of parameter groups: [{'params': ...}]")
        self.defaults: dict[str, Any] = defaults
        self.state: defaultdict[Tensor, Any] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._step_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._step_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def _check_group(self, group: dict[str, Any]) -> None:
        """Validate a group's hyper-parameters (a subclass raises ValueError naming the bad one)."""

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (e.g. to unfreeze layers while training)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        group = dict(param_group)
        if "params" not in group:
            raise ValueError("param_group must have a 'params' entry holding its tensors")
        params = group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        tensors = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            group["param_names"] = names
        for index, param in enumerate(tensors):
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but parameter {index} of group "
                                f"{len(self.param_groups)} is a {type(param).__name__}")
            if not (param.is_leaf or param.retains_grad):
                raise ValueError(f"can't optimize a non-leaf Tensor (parameter {index} of group "
                                 f"{len(self.param_groups)}); pass tensor.detach().requires_grad_() instead")
        group["params"] = tensors
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            group.setdefault(name, default)
        if len({id(p) for p in tensors}) != len(tensors):
            raise ValueError(f"optimizer parameter group {len(self.param_groups)} contains the same tensor twice")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        if any(("param_names" in g) != ("param_names" in group) for g in self.param_groups):
            raise ValueError("all optimizer param groups should be with/without names")
        if group.get("differentiable"):
            raise NotImplementedError(f"{type(self).__name__}(differentiable=True) is not supported: saessak's "
                                      "optimisers update parameters in place without recording a graph")
        self._check_group(group)
        # the caller's dict is the group, as in PyTorch, so it sees the defaults filled in
        param_group.clear()
        param_group.update(group)
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ gradients and stepping
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad``: to None (the default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                if grad._grad_fn is not None:
                    grad = p._grad = grad.detach()
                grad._requires_grad = False
                grad._data.fill(0)
                grad._vc[0] += 1

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters once; ``closure`` re-evaluates the model and returns the loss."""
        raise NotImplementedError(f"{type(self).__name__} must define step(closure=None)")

    def _stepped(self, group: dict[str, Any], initial_state: Callable[[Tensor], dict]):
        """``(param, state)`` for each parameter of ``group`` that has a gradient, its step counter advanced.

        On first use the state is a ``step`` counter followed by ``initial_state(param)``.
        """
        for p in group["params"]:
            if p._grad is None:
                continue
            state = self.state[p]
            if not state:
                state["step"] = _step_counter()
                state.update(initial_state(p))
            state["step"]._data += 1
            yield p, state

    @staticmethod
    def _evaluate(closure: Callable[[], Any] | None) -> Any:
        """The loss from ``closure`` computed with grad enabled (steps themselves record nothing)."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs before each ``step``; it may return new ``(args, kwargs)``."""
        key = next(_hook_ids)
        self._step_pre_hooks[key] = hook
        return RemovableHandle(self._step_pre_hooks, hook, key)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs after each ``step``."""
        key = next(_hook_ids)
        self._step_post_hooks[key] = hook
        return RemovableHandle(self._step_post_hooks, hook, key)

    # ------------------------------------------------------------------ state_dict
    def state_dict(self) -> dict[str, Any]:
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``, as PyTorch lays it out.

        Parameters are numbered in group order; the tensors in ``state`` are the optimiser's own (not copies).
        """
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index_of[id(key)] if isinstance(key, Tensor) else key): value for key, value in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` returned, for an optimiser built over the same parameter layout.

        State tensors are copied and cast to their parameter's dtype and device (``step`` keeps its own).
        """
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        groups = self.param_groups
        if len(groups) != len(saved_groups):
            raise ValueError(f"loaded state dict has a different number of parameter groups: {len(saved_groups)} "
                             f"saved, {len(groups)} in this optimizer")
        for index, (group, saved) in enumerate(zip(groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(f"loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group: group {index} has {len(saved['params'])} saved parameters, "
                                 f"{len(group['params'])} here")
        param_of = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                            chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict[Any, Any] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                param = param_of[key]
                state[param] = _cast_state(param, value, None)
            else:
                state[key] = copy.deepcopy(value)
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.state = state
        self.param_groups = new_groups

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_step_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_step_post_hooks", OrderedDict())

    def __repr__(self) -> str:
        text = f"{type(self).__name__} ("
        for index, group in enumerate(self.param_groups):  # groups are separated by a blank line
            text += f"\nParameter Group {index}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"


def _cast_state(param: Tensor, value: Any, key: Any) -> Any:
    """A copy of a saved state value: tensors follow ``param``'s dtype and device, except ``step``."""
    if isinstance(value, Tensor):
        if key == "step" or not param.dtype.is_floating_point:
            out = value.to(device=param.device)
        else:
            out = value.to(dtype=param.dtype, device=param.device)
        return out.clone() if out is value else out
    if isinstance(value, dict):
        return {k: _cast_state(param, v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cast_state(param, v, None) for v in value)
    return copy.deepcopy(value)
