"""The multivariate normal distribution, parameterised through a Cholesky factor of its covariance."""

from __future__ import annotations

import math

from .._tensor import Size, Tensor
from ..creation import eye
from ..ops.decomp import cholesky
from ..ops.solve import inv, solve_triangular
from ..random import randn
from . import constraints
from .distribution import Distribution


def _batch_mahalanobis(scale_tril: Tensor, x: Tensor) -> Tensor:
    """``x^T (L L^T)^{-1} x`` over the last dimension of ``x``, for a lower-triangular ``L``."""
    shape = tuple(x.shape[:-1])
    n = x.shape[-1]
    batch = tuple(_broadcast(shape, tuple(scale_tril.shape[:-2])))
    z = solve_triangular(scale_tril.expand(batch + (n, n)), x.expand(batch + (n,)).unsqueeze(-1), upper=False)
    return z.squeeze(-1).pow(2).sum(-1)


def _broadcast(*shapes) -> Size:
    import numpy as np

    return Size(np.broadcast_shapes(*shapes))


class MultivariateNormal(Distribution):
    """Normal distribution over vectors of the last dimension of ``loc``, with exactly one of
    ``covariance_matrix``, ``precision_matrix`` or ``scale_tril`` (a lower Cholesky factor of the covariance).

    >>> d = MultivariateNormal(saessak.zeros(2), covariance_matrix=saessak.eye(2))
    >>> d.log_prob(saessak.zeros(2))   # tensor(-1.8379)
    """

    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, covariance_matrix: Tensor | None = None, precision_matrix: Tensor | None = None,
                 scale_tril: Tensor | None = None, validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        if (covariance_matrix is not None) + (scale_tril is not None) + (precision_matrix is not None) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        matrix = next(m for m in (scale_tril, covariance_matrix, precision_matrix) if m is not None)
        name = "scale_tril" if scale_tril is not None else (
            "covariance_matrix" if covariance_matrix is not None else "precision_matrix")
        if matrix.dim() < 2:
            raise ValueError(f"{name} matrix must be at least two-dimensional, with optional leading batch dimensions")
        batch_shape = _broadcast(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        event = tuple(loc.shape[-1:])
        setattr(self, name, matrix.expand(tuple(batch_shape) + (-1, -1)))
        self.loc = loc.expand(tuple(batch_shape) + (-1,))
        super().__init__(batch_shape, event, validate_args=validate_args)
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = cholesky(covariance_matrix)
        else:
            self._unbroadcasted_scale_tril = cholesky(inv(precision_matrix))

    def expand(self, batch_shape, _instance=None) -> MultivariateNormal:
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(tuple(batch_shape))
        loc_shape = tuple(batch_shape) + tuple(self.event_shape)
        cov_shape = loc_shape + tuple(self.event_shape)
        new.loc = self.loc.expand(loc_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(cov_shape))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape) + tuple(self._event_shape) + tuple(self._event_shape)

    @property
    def scale_tril(self) -> Tensor:  # type: ignore[no-redef]
        if "scale_tril" in self.__dict__:
            return self.__dict__["scale_tril"]
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @scale_tril.setter
    def scale_tril(self, value: Tensor) -> None:
        self.__dict__["scale_tril"] = value

    @property
    def covariance_matrix(self) -> Tensor:
        if "covariance_matrix" in self.__dict__:
            return self.__dict__["covariance_matrix"]
        low = self._unbroadcasted_scale_tril
        return (low @ low.mT).expand(self._matrix_shape())

    @covariance_matrix.setter
    def covariance_matrix(self, value: Tensor) -> None:
        self.__dict__["covariance_matrix"] = value

    @property
    def precision_matrix(self) -> Tensor:
        if "precision_matrix" in self.__dict__:
            return self.__dict__["precision_matrix"]
        low = self._unbroadcasted_scale_tril
        n = low.shape[-1]
        low_inverse = solve_triangular(low, eye(n, dtype=low.dtype, device=low.device), upper=False)
        return (low_inverse.mT @ low_inverse).expand(self._matrix_shape())

    @precision_matrix.setter
    def precision_matrix(self, value: Tensor) -> None:
        self.__dict__["precision_matrix"] = value

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        shape = tuple(self._batch_shape) + tuple(self._event_shape)
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(shape)

    def rsample(self, sample_shape=()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        eps = randn(shape, dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self) -> Tensor:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        mahalanobis = _batch_mahalanobis(self._unbroadcasted_scale_tril, diff)
        n = self._event_shape[0]
        return -0.5 * (n * math.log(2 * math.pi) + mahalanobis) - self._half_log_det()

    def entropy(self) -> Tensor:
        n = self._event_shape[0]
        value = 0.5 * n * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return value.expand(tuple(self._batch_shape)) if len(self._batch_shape) else value
