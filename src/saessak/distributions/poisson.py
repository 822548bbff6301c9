"""The Poisson distribution."""

from __future__ import annotations

import numpy as np

from .._tensor import Size, Tensor
from ..creation import tensor
from ..ops.special import lgamma, xlogy
from ..random import _rng
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all


class Poisson(Distribution):
    """Poisson distribution with mean ``rate``: ``P(k) = rate**k exp(-rate) / k!``.

    >>> Poisson(2.0).log_prob(saessak.tensor(1.0))   # tensor(-1.3069)
    """

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None) -> Poisson:
        new = self._get_checked_instance(Poisson, _instance)
        batch_shape = Size(tuple(batch_shape))
        new.rate = self.rate.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape=()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        rates = np.broadcast_to(self.rate.detach().cpu().numpy(), shape)
        # drawn here rather than with saessak.poisson, which cannot take a 0-d rate
        draws = np.asarray(_rng(None).poisson(rates), dtype=rates.dtype)
        return tensor(draws, device=self.rate.device)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return xlogy(value, rate) - rate - lgamma(value + 1)
