"""Probability distributions with PyTorch's ``torch.distributions`` API: sampling (reparameterised where
possible), log densities, moments, entropies and KL divergences, all differentiable in the parameters.

>>> from saessak.distributions import Normal
>>> d = Normal(saessak.tensor(0.0), saessak.tensor(1.0))
>>> x = d.rsample((100,))        # differentiable in loc and scale
>>> d.log_prob(x).mean()
"""

from __future__ import annotations

from . import constraints
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .exponential import Exponential
from .gamma import Gamma
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .poisson import Poisson
from .uniform import Uniform

__all__ = [
    "Bernoulli", "Beta", "Binomial", "Categorical", "Distribution", "Exponential", "Gamma", "Independent",
    "Laplace", "MultivariateNormal", "Normal", "OneHotCategorical", "Poisson", "Uniform", "constraints",
    "kl_divergence", "register_kl",
]
