"""The beta distribution on ``[0, 1]``."""

from __future__ import annotations

from .._tensor import Size, Tensor
from ..ops.pointwise import where
from ..ops.special import _standard_gamma, digamma, lgamma, xlogy
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, finfo


class Beta(Distribution):
    """Beta distribution with ``concentration1`` (alpha) and ``concentration0`` (beta).

    >>> Beta(2.0, 2.0).log_prob(saessak.tensor(0.5))   # tensor(0.4055)
    """

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args: bool | None = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        super().__init__(self.concentration1.shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None) -> Beta:
        new = self._get_checked_instance(Beta, _instance)
        batch_shape = Size(tuple(batch_shape))
        new.concentration1 = self.concentration1.expand(batch_shape)
        new.concentration0 = self.concentration0.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        # the Dirichlet convention: clamp at the boundary; with both concentrations below 1, the larger one's end
        a, b = self.concentration1, self.concentration0
        heads, tails = (a - 1).clamp(min=0), (b - 1).clamp(min=0)
        mode = heads / (heads + tails)
        return where((a < 1) & (b < 1), (a >= b).to(a.dtype), mode)

    @property
    def variance(self) -> Tensor:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()) -> Tensor:
        # a ratio of gamma draws; their implicit gradients make the ratio reparameterised too
        shape = tuple(self._extended_shape(sample_shape))
        heads = _standard_gamma(self.concentration1.expand(shape))
        tails = _standard_gamma(self.concentration0.expand(shape))
        info = finfo(self.concentration1.dtype)
        return (heads / (heads + tails)).clamp(min=info.tiny, max=1 - info.eps)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration1, self.concentration0
        return xlogy(a - 1, value) + xlogy(b - 1, 1 - value) + lgamma(a + b) - lgamma(a) - lgamma(b)

    def entropy(self) -> Tensor:
        a, b = self.concentration1, self.concentration0
        total = a + b
        log_beta = lgamma(a) + lgamma(b) - lgamma(total)
        return log_beta - (a - 1) * digamma(a) - (b - 1) * digamma(b) + (total - 2) * digamma(total)
