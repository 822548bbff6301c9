"""``Distribution``: the base class every distribution extends (shapes, validation, sampling, repr).

Shapes follow PyTorch: ``sample(sample_shape)`` has shape ``sample_shape + batch_shape + event_shape``;
``log_prob(value)`` returns one number per event, of shape ``sample_shape + batch_shape``.
"""

from __future__ import annotations

from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad
from . import constraints
from .utils import _extended, lazy_property

__all__ = ["Distribution"]


class Distribution:
    """A parameterised probability distribution.

    >>> d = saessak.distributions.Normal(saessak.zeros(3), 1.0)
    >>> d.batch_shape, d.event_shape, d.sample((2,)).shape   # (3,), (), (2, 3)
    """

    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__
    arg_constraints: dict[str, constraints.Constraint] = {}

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument validation on or off for distributions made from now on (on by default)."""
        if value not in (True, False):
            raise ValueError(f"set_default_validate_args expects True or False, got {value!r}")
        Distribution._validate_args = value

    def __init__(self, batch_shape=(), event_shape=(), validate_args: bool | None = None) -> None:
        self._batch_shape = Size(tuple(batch_shape))
        self._event_shape = Size(tuple(event_shape))
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if constraints.is_dependent(constraint):
                    continue
                if name not in self.__dict__ and isinstance(getattr(type(self), name, None), lazy_property | property):
                    continue  # the parameter was not given (probs when built from logits)
                value = getattr(self, name)
                if not bool(constraint.check(value).all()):
                    raise ValueError(
                        f"Expected parameter {name} ({type(value).__name__} of shape {tuple(value.shape)}) of "
                        f"distribution {self!r} to satisfy the constraint {constraint!r}, but found invalid "
                        f"values:\n{value}"
                    )

    # ------------------------------------------------------------------ shapes
    @property
    def batch_shape(self) -> Size:
        """The shape over which parameters are batched (independent, not identically distributed draws)."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of one sample (``()`` for scalar distributions, ``(k,)`` for a k-dim multivariate one)."""
        return self._event_shape

    def _extended_shape(self, sample_shape=()) -> Size:
        if not isinstance(sample_shape, tuple | list | Size):
            sample_shape = (int(sample_shape),)
        return _extended(sample_shape, self._batch_shape, self._event_shape)

    def expand(self, batch_shape, _instance=None) -> Distribution:
        """A distribution with its parameters broadcast to ``batch_shape`` (no copies)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement expand")

    def _get_checked_instance(self, cls, _instance=None):
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError(f"Subclass {type(self).__name__} of {cls.__name__} that defines a custom "
                                      "__init__ method must also define a custom .expand() method.")
        return type(self).__new__(type(self)) if _instance is None else _instance

    # ------------------------------------------------------------------ statistics
    @property
    def support(self) -> constraints.Constraint:
        """The constraint values of the distribution satisfy."""
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement mean")

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self)} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement variance")

    @property
    def stddev(self) -> Tensor:
        """The standard deviation, ``variance.sqrt()``."""
        return self.variance.sqrt()

    def entropy(self) -> Tensor:
        """The entropy, one value per batch element."""
        raise NotImplementedError(f"{type(self).__name__} does not implement entropy")

    def perplexity(self) -> Tensor:
        """``exp(entropy)``."""
        return self.entropy().exp()

    # ------------------------------------------------------------------ sampling and densities
    def sample(self, sample_shape=()) -> Tensor:
        """Samples of shape ``sample_shape + batch_shape + event_shape``, without gradient."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=()) -> Tensor:
        """Reparameterised samples: differentiable with respect to the parameters."""
        raise NotImplementedError(f"{type(self).__name__} does not implement rsample")

    def sample_n(self, n: int) -> Tensor:
        """``sample((n,))`` (kept for old code)."""
        return self.sample((n,))

    def log_prob(self, value: Tensor) -> Tensor:
        """The log density (or log mass) of ``value``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement log_prob")

    def cdf(self, value: Tensor) -> Tensor:
        """The cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement cdf")

    def icdf(self, value: Tensor) -> Tensor:
        """The inverse of the cumulative distribution function."""
        raise NotImplementedError(f"{type(self).__name__} does not implement icdf")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """All values of a discrete distribution's support along a new leading dimension."""
        raise NotImplementedError(f"{type(self).__name__} does not implement enumerate_support")

    # ------------------------------------------------------------------ validation
    def _validate_sample(self, value) -> None:
        if not isinstance(value, Tensor):
            raise ValueError(f"The value argument to log_prob must be a Tensor, got {type(value).__name__}")
        event_dim_start = value.dim() - len(self._event_shape)
        if tuple(value.shape[event_dim_start:]) != tuple(self._event_shape):
            raise ValueError(f"The right-most size of value must match event_shape: {tuple(value.shape)} vs "
                             f"{tuple(self._event_shape)}.")
        actual, expected = tuple(value.shape), tuple(self.batch_shape) + tuple(self.event_shape)
        for i, j in zip(reversed(actual), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: {actual} vs {expected}.")
        support = self.support
        if not bool(support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape {actual}) to be within the support "
                f"({support!r}) of the distribution {self!r}, but found invalid values:\n{value}"
            )

    def __repr__(self) -> str:
        names = [name for name in self.arg_constraints if name in self.__dict__]
        parts = []
        for name in names:
            value = self.__dict__[name]
            parts.append(f"{name}: {value.item() if value.numel() == 1 else value.shape}")
        return f"{type(self).__name__}({', '.join(parts)})"
