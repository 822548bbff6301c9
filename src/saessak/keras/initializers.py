"""Weight initializers by Keras name: ``initializer(shape, dtype) -> saessak tensor``.

Fans follow Keras' layout: a Dense kernel ``(in, out)`` has fan_in ``in``; a Conv2D kernel
``(kh, kw, in, out)`` has fan_in ``kh * kw * in``. Draws use saessak's generator, so
``saessak.manual_seed`` (or ``keras.utils.set_random_seed``) makes them reproducible.

>>> from saessak import keras
>>> keras.initializers.get("glorot_uniform")((64, 128)).shape
torch.Size([64, 128])
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .. import creation
from .._tensor import Tensor
from ..autograd import no_grad
from ..nn import init
from ..random import Generator

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "Initializer", "LecunNormal",
    "LecunUniform", "Ones", "Orthogonal", "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling",
    "Zeros", "get",
]

_DTYPES = {None: None, "float32": "float32", "float64": "float64"}


def _dtype(dtype):
    from .. import dtypes

    if dtype is None or not isinstance(dtype, str):
        return dtype
    return getattr(dtypes, dtype)


def compute_fans(shape: tuple) -> tuple[float, float]:
    """``(fan_in, fan_out)`` of a kernel in Keras' layout (the last two axes are in and out)."""
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive_field = math.prod(shape[:-2])
    return float(shape[-2] * receptive_field), float(shape[-1] * receptive_field)


class Initializer:
    """Base class: subclasses define ``__call__(shape, dtype=None)`` and ``get_config()``."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def _generator(self) -> Generator | None:
        return None if self.seed is None else Generator().manual_seed(self.seed)

    def _empty(self, shape, dtype) -> Tensor:
        return creation.empty(*tuple(shape), dtype=_dtype(dtype))

    def __call__(self, shape, dtype=None) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define __call__(shape, dtype=None)")

    def get_config(self) -> dict:
        return {"seed": self.seed} if hasattr(self, "seed") else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


class Zeros(Initializer):
    """All zeros."""

    def __init__(self) -> None:
        pass

    def __call__(self, shape, dtype=None) -> Tensor:
        return creation.zeros(*tuple(shape), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        return {}


class Ones(Zeros):
    """All ones."""

    def __call__(self, shape, dtype=None) -> Tensor:
        return creation.ones(*tuple(shape), dtype=_dtype(dtype))


class Constant(Zeros):
    """Every entry equal to ``value``."""

    def __init__(self, value: float = 0.0) -> None:
        self.value = value

    def __call__(self, shape, dtype=None) -> Tensor:
        return creation.full(tuple(shape), float(self.value), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        return {"value": self.value}


class RandomNormal(Initializer):
    """Normal draws with ``mean`` and ``stddev`` (Keras default 0.05)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None) -> Tensor:
        with no_grad():
            return init.normal_(self._empty(shape, dtype), self.mean, self.stddev, generator=self._generator())

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    """Normal draws redrawn beyond two standard deviations."""

    def __call__(self, shape, dtype=None) -> Tensor:
        low, high = self.mean - 2 * self.stddev, self.mean + 2 * self.stddev
        with no_grad():
            return init.trunc_normal_(self._empty(shape, dtype), self.mean, self.stddev, low, high,
                                      generator=self._generator())


class RandomUniform(Initializer):
    """Uniform draws on ``[minval, maxval)`` (Keras default +-0.05)."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None) -> Tensor:
        with no_grad():
            return init.uniform_(self._empty(shape, dtype), self.minval, self.maxval, generator=self._generator())

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(Initializer):
    """Draws with variance ``scale / n``, ``n`` the fan_in, fan_out or their average (``mode``).

    ``distribution``: ``'truncated_normal'``, ``'untruncated_normal'`` or ``'uniform'``.
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: int | None = None) -> None:
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"mode must be 'fan_in', 'fan_out' or 'fan_avg', got {mode!r}")
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError("distribution must be 'truncated_normal', 'untruncated_normal' or 'uniform', "
                             f"got {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None) -> Tensor:
        fan_in, fan_out = compute_fans(tuple(shape))
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        x, generator = self._empty(shape, dtype), self._generator()
        with no_grad():
            if self.distribution == "uniform":
                limit = math.sqrt(3.0 * variance)
                return init.uniform_(x, -limit, limit, generator=generator)
            if self.distribution == "untruncated_normal":
                return init.normal_(x, 0.0, math.sqrt(variance), generator=generator)
            std = math.sqrt(variance) / 0.87962566103423978  # the std of a unit normal truncated at +-2
            return init.trunc_normal_(x, 0.0, std, -2 * std, 2 * std, generator=generator)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


def _preset(name: str, scale: float, mode: str, distribution: str, doc: str) -> type:
    def __init__(self, seed: int | None = None) -> None:
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc,
                                           "__module__": __name__})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform",
                        "Uniform on +-sqrt(6 / (fan_in + fan_out)) (Xavier); Keras' default kernel initializer.")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                       "Truncated normal with std sqrt(2 / (fan_in + fan_out)).")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform", "Uniform on +-sqrt(6 / fan_in), for ReLU networks.")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal", "Truncated normal with std sqrt(2 / fan_in).")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform", "Uniform on +-sqrt(3 / fan_in).")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal",
                      "Truncated normal with std sqrt(1 / fan_in), for SELU networks.")


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``gain``; Keras' default for recurrent kernels."""

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None) -> Tensor:
        shape = tuple(shape)
        rows = math.prod(shape[:-1])
        flat = self._empty((shape[-1], rows), dtype)  # nn.init works on (out, in); transpose into Keras' layout
        with no_grad():
            init.orthogonal_(flat, self.gain, generator=self._generator())
            return flat.t().reshape(shape).contiguous()

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """The identity matrix times ``gain`` (2-D shapes only)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape, dtype=None) -> Tensor:
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2-D shape, got {tuple(shape)}")
        return creation.eye(shape[0], shape[1], dtype=_dtype(dtype)) * self.gain

    def get_config(self) -> dict:
        return {"gain": self.gain}


_BY_NAME: dict[str, type] = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal, "normal": RandomNormal,
    "random_uniform": RandomUniform, "uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal, "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "orthogonal": Orthogonal, "identity": Identity,
}


def get(identifier: str | Initializer | Callable | None) -> Callable:
    """An initializer from a Keras name (``'he_normal'``), a class name, an instance or a callable."""
    if identifier is None:
        return Zeros()
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake(identifier)
        if key not in _BY_NAME:
            raise ValueError(f"Unknown initializer: '{identifier}'. Valid names are: {', '.join(sorted(_BY_NAME))}")
        return _BY_NAME[key]()
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret initializer identifier: {identifier!r}")


def serialize(initializer: Callable) -> dict | str:
    """``{'class_name': ..., 'config': ...}`` for an Initializer, the function name otherwise."""
    if isinstance(initializer, Initializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    return getattr(initializer, "__name__", repr(initializer))


def deserialize(config: dict | str) -> Callable:
    """The inverse of :func:`serialize` for built-in initializers."""
    if isinstance(config, str):
        return get(config)
    cls = globals()[config["class_name"]]
    return cls(**config["config"])


def _snake(name: str) -> str:
    from .backend import snake_case

    return snake_case(name)
