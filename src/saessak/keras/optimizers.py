"""Keras optimizers as thin configurations of ``saessak.optim``, with Keras' names and defaults.

A Keras optimizer is created before the model has weights (layers build lazily), so it records its
settings and builds the saessak optimizer on the model's first training step. After that,
``learning_rate`` reads and writes ``param_groups[i]['lr']`` of the saessak optimizer.

===========  ==================  ======================================================
Keras name   saessak.optim       Keras defaults
===========  ==================  ======================================================
'sgd'        SGD                 learning_rate=0.01, momentum=0.0
'adam'       Adam                learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7
'adamw'      AdamW               learning_rate=0.001, weight_decay=0.004
'rmsprop'    RMSprop             learning_rate=0.001, rho=0.9, epsilon=1e-7
'adagrad'    Adagrad             learning_rate=0.001, initial_accumulator_value=0.1
'adadelta'   Adadelta            learning_rate=0.001, rho=0.95
'adamax'     Adamax              learning_rate=0.001
'nadam'      NAdam               learning_rate=0.001
===========  ==================  ======================================================

>>> from saessak import keras
>>> keras.optimizers.get("adam").learning_rate
0.001
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from .. import optim
from ..nn.utils import clip_grad_norm_, clip_grad_value_

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Nadam", "Optimizer", "RMSprop", "get"]


class Optimizer:
    """Base class: subclasses say which ``saessak.optim`` class to build and with which arguments.

    ``clipnorm`` clips each gradient's norm, ``global_clipnorm`` the norm of all of them together,
    ``clipvalue`` each gradient entry.
    """

    torch_class: type = optim.SGD

    def __init__(self, learning_rate: float = 0.001, clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, name: str | None = None, **kwargs: Any) -> None:
        if "lr" in kwargs:  # the Keras 1 spelling
            learning_rate = kwargs.pop("lr")
        weight_decay = kwargs.pop("weight_decay", None)
        ignored = set(kwargs) - {"use_ema", "ema_momentum", "ema_overwrite_frequency", "jit_compile"}
        if ignored:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(ignored)}")
        self._learning_rate = float(learning_rate)
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.weight_decay = weight_decay
        self.name = name or type(self).__name__
        self.torch_optimizer: optim.Optimizer | None = None
        self.iterations = 0

    def _torch_arguments(self) -> dict:
        return {}

    def build(self, parameters: Iterable) -> optim.Optimizer:
        """Create the saessak optimizer over ``parameters`` (done once, by the first training step)."""
        arguments = {"lr": self._learning_rate, **self._torch_arguments()}
        if self.weight_decay and "weight_decay" not in arguments:
            arguments["weight_decay"] = self.weight_decay
        self.torch_optimizer = self.torch_class(list(parameters), **arguments)
        return self.torch_optimizer

    @property
    def built(self) -> bool:
        return self.torch_optimizer is not None

    @property
    def learning_rate(self) -> float:
        """The current learning rate (the saessak optimizer's ``param_groups[0]['lr']`` once built)."""
        if self.torch_optimizer is not None:
            return float(self.torch_optimizer.param_groups[0]["lr"])
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = float(value)
        if self.torch_optimizer is not None:
            for group in self.torch_optimizer.param_groups:
                group["lr"] = float(value)

    lr = learning_rate

    @property
    def param_groups(self) -> list[dict]:
        """The saessak optimizer's parameter groups (empty before the first training step)."""
        return self.torch_optimizer.param_groups if self.torch_optimizer is not None else []

    def zero_grad(self) -> None:
        if self.torch_optimizer is not None:
            self.torch_optimizer.zero_grad()

    def step(self) -> None:
        """Clip gradients as configured, then update the weights once."""
        if self.torch_optimizer is None:
            raise RuntimeError(f"{self.name} has not been built; call build(parameters) or train a model first")
        parameters = [p for group in self.torch_optimizer.param_groups for p in group["params"] if p.grad is not None]
        if self.clipvalue is not None:
            clip_grad_value_(parameters, self.clipvalue)
        if self.clipnorm is not None:
            for parameter in parameters:
                clip_grad_norm_([parameter], self.clipnorm)
        if self.global_clipnorm is not None:
            clip_grad_norm_(parameters, self.global_clipnorm)
        self.torch_optimizer.step()
        self.iterations += 1

    def apply_gradients(self, grads_and_vars: Iterable) -> None:
        """Set each variable's gradient and take one step, for custom training loops."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if self.torch_optimizer is None:
            self.build([v for _, v in pairs])
        for grad, variable in pairs:
            variable.grad = grad.detach() if hasattr(grad, "detach") else grad
        self.step()
        for _, variable in pairs:
            variable.grad = None

    def get_config(self) -> dict:
        """The constructor arguments, under Keras' names (``beta_1``, ``epsilon``...), for ``from_config``.

        >>> from saessak import keras
        >>> keras.optimizers.Adam.from_config(keras.optimizers.Adam(0.01).get_config()).learning_rate
        0.01
        """
        config = {"name": self.name, "learning_rate": self.learning_rate, "clipnorm": self.clipnorm,
                  "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}
        if self.weight_decay is not None:
            config["weight_decay"] = self.weight_decay
        for name in inspect.signature(type(self).__init__).parameters:
            if name not in config and name not in ("self", "kwargs") and hasattr(self, name):
                config[name] = getattr(self, name)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Optimizer:
        """A new optimizer (with fresh state) from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<keras.optimizers.{type(self).__name__} learning_rate={self.learning_rate}>"


class _Wrapped(Optimizer):
    """A saessak optimizer passed to ``compile`` directly: already built over the model's parameters."""

    def __init__(self, torch_optimizer: optim.Optimizer) -> None:
        super().__init__(learning_rate=torch_optimizer.param_groups[0]["lr"], name=type(torch_optimizer).__name__)
        self.torch_optimizer = torch_optimizer

    def build(self, parameters: Iterable) -> optim.Optimizer:
        return self.torch_optimizer


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum; Keras default learning rate 0.01."""

    torch_class = optim.SGD

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def _torch_arguments(self) -> dict:
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: ``m = beta_1 m + (1 - beta_1) g``, ``v = beta_2 v + (1 - beta_2) g^2``,
    ``w -= lr * m_hat / (sqrt(v_hat) + epsilon)``."""

    torch_class = optim.Adam

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, bool(amsgrad)

    def _torch_arguments(self) -> dict:
        return {"betas": (self.beta_1, self.beta_2), "eps": self.epsilon, "amsgrad": self.amsgrad}


class AdamW(Adam):
    """Adam with decoupled weight decay (Keras default ``weight_decay=0.004``)."""

    torch_class = optim.AdamW

    def __init__(self, learning_rate: float = 0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay=weight_decay, **kwargs)


class RMSprop(Optimizer):
    """RMSprop: divides the gradient by a running root mean square (``rho`` is PyTorch's ``alpha``)."""

    torch_class = optim.RMSprop

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, bool(centered)

    def _torch_arguments(self) -> dict:
        return {"alpha": self.rho, "momentum": self.momentum, "eps": self.epsilon, "centered": self.centered}


class Adagrad(Optimizer):
    """Adagrad: per-weight learning rates shrinking with the sum of squared gradients."""

    torch_class = optim.Adagrad

    def __init__(self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def _torch_arguments(self) -> dict:
        return {"initial_accumulator_value": self.initial_accumulator_value, "eps": self.epsilon}


class Adadelta(Optimizer):
    """Adadelta: step sizes from running averages of squared gradients and squared updates."""

    torch_class = optim.Adadelta

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.95, epsilon: float = 1e-7,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def _torch_arguments(self) -> dict:
        return {"rho": self.rho, "eps": self.epsilon}


class Adamax(Adam):
    """Adamax: Adam with the infinity norm in place of the second moment."""

    torch_class = optim.Adamax

    def _torch_arguments(self) -> dict:
        return {"betas": (self.beta_1, self.beta_2), "eps": self.epsilon}


class Nadam(Adam):
    """Nadam: Adam with Nesterov momentum."""

    torch_class = optim.NAdam

    def _torch_arguments(self) -> dict:
        return {"betas": (self.beta_1, self.beta_2), "eps": self.epsilon}


_BY_NAME: dict[str, type] = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
                             "adadelta": Adadelta, "adamax": Adamax, "nadam": Nadam}


def get(identifier: str | Optimizer | optim.Optimizer) -> Optimizer:
    """A Keras optimizer from a name (``'adam'``), a Keras optimizer, or a ``saessak.optim`` optimizer."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, optim.Optimizer):
        return _Wrapped(identifier)
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _BY_NAME:
            raise ValueError(f"Unknown optimizer: '{identifier}'. Valid names are: {', '.join(sorted(_BY_NAME))}; "
                             "or pass a keras.optimizers.Optimizer or a saessak.optim optimizer.")
        return _BY_NAME[key]()
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise TypeError(f"Could not interpret optimizer identifier: {identifier!r}")
