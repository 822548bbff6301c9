"""Constraints: the set a parameter or a sample must lie in, checked elementwise with ``check(value)``.

``check`` returns a bool tensor of the value's batch shape (an event constraint such as ``simplex`` reduces
its ``event_dim`` rightmost dimensions). Distributions use them to validate their parameters
(``arg_constraints``) and the values given to ``log_prob`` (``support``).

>>> constraints.positive.check(saessak.tensor([1.0, -1.0]))   # tensor([ True, False])
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor

__all__ = [
    "Constraint", "boolean", "cat", "corr_cholesky", "dependent", "dependent_property", "greater_than",
    "greater_than_eq", "half_open_interval", "independent", "integer_interval", "interval", "is_dependent",
    "less_than", "lower_cholesky", "lower_triangular", "nonnegative", "nonnegative_integer", "one_hot", "positive",
    "positive_definite", "positive_integer", "positive_semidefinite", "real", "real_vector", "simplex", "square",
    "symmetric", "unit_interval",
]


class Constraint:
    """A region of valid values. ``is_discrete``: integer-valued; ``event_dim``: dimensions of one event."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Tensor) -> Tensor:
        """A bool tensor, True where ``value`` satisfies the constraint."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__.lstrip("_") + "()"


class _Dependent(Constraint):
    """The constraint depends on other parameters (``Uniform``'s ``low``/``high``); it cannot be checked alone."""

    def __init__(self, *, is_discrete: bool = False, event_dim: int = 0) -> None:
        self.is_discrete, self.event_dim = is_discrete, event_dim

    def __call__(self, *, is_discrete: bool = False, event_dim: int = 0) -> _Dependent:
        return _Dependent(is_discrete=is_discrete, event_dim=event_dim)

    def check(self, value):
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(constraint) -> bool:
    """Whether ``constraint`` is ``dependent`` (skipped by parameter validation)."""
    return isinstance(constraint, _Dependent)


class dependent_property(property):  # noqa: N801  (PyTorch's name)
    """A ``property`` whose value is a constraint that depends on the instance (e.g. ``Uniform.support``)."""

    def __init__(self, fn=None, *, is_discrete: bool = False, event_dim: int = 0) -> None:
        super().__init__(fn)
        self.is_discrete, self.event_dim = is_discrete, event_dim

    def __call__(self, fn):
        return dependent_property(fn, is_discrete=self.is_discrete, event_dim=self.event_dim)


class _IndependentConstraint(Constraint):
    """``base`` on every element, reduced with ``all`` over the ``reinterpreted_batch_ndims`` rightmost dims."""

    def __init__(self, base_constraint: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint, self.reinterpreted_batch_ndims = base_constraint, reinterpreted_batch_ndims

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        return self.base_constraint.is_discrete

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return self.base_constraint.event_dim + self.reinterpreted_batch_ndims

    def check(self, value):
        result = self.base_constraint.check(value)
        if result.dim() < self.reinterpreted_batch_ndims:
            expected = self.base_constraint.event_dim + self.reinterpreted_batch_ndims
            raise ValueError(f"Expected value.dim() >= {expected} but got {value.dim()}")
        for _ in range(self.reinterpreted_batch_ndims):
            result = result.all(-1)
        return result

    def __repr__(self) -> str:
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value):
        return (value == 0) | (value == 1)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value):
        return ((value == 0) | (value == 1)).all(-1) & (value.sum(-1) == 1)


class _IntegerInterval(Constraint):
    is_discrete = True

    def __init__(self, lower_bound, upper_bound) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (value % 1 == 0) & (self.lower_bound <= value) & (value <= self.upper_bound)

    def __repr__(self) -> str:
        return f"IntegerInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerGreaterThan(Constraint):
    is_discrete = True

    def __init__(self, lower_bound) -> None:
        self.lower_bound = lower_bound

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound)

    def __repr__(self) -> str:
        return f"IntegerGreaterThan(lower_bound={self.lower_bound})"


class _Real(Constraint):
    def check(self, value):
        return value == value  # False only for nan


class _GreaterThan(Constraint):
    def __init__(self, lower_bound) -> None:
        self.lower_bound = lower_bound

    def check(self, value):
        return self.lower_bound < value

    def __repr__(self) -> str:
        return f"GreaterThan(lower_bound={self.lower_bound})"


class _GreaterThanEq(_GreaterThan):
    def check(self, value):
        return self.lower_bound <= value

    def __repr__(self) -> str:
        return f"GreaterThanEq(lower_bound={self.lower_bound})"


class _LessThan(Constraint):
    def __init__(self, upper_bound) -> None:
        self.upper_bound = upper_bound

    def check(self, value):
        return value < self.upper_bound

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={self.upper_bound})"


class _Interval(Constraint):
    def __init__(self, lower_bound, upper_bound) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (self.lower_bound <= value) & (value <= self.upper_bound)

    def __repr__(self) -> str:
        return f"{type(self).__name__.lstrip('_')}(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _HalfOpenInterval(_Interval):
    def check(self, value):
        return (self.lower_bound <= value) & (value < self.upper_bound)


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value):
        return (value >= 0).all(-1) & ((value.sum(-1) - 1).abs() < 1e-6)


def _matrices(value: Tensor) -> np.ndarray:
    return value.detach().cpu().numpy()


def _batch_bool(result: np.ndarray, like: Tensor) -> Tensor:
    return Tensor._make(np.asarray(result, dtype=bool))


class _Square(Constraint):
    event_dim = 2

    def check(self, value):
        n, m = value.shape[-2:]
        return Tensor._make(np.full(tuple(value.shape[:-2]), n == m, dtype=bool))


class _Symmetric(_Square):
    def check(self, value):
        a = _matrices(value)
        if a.shape[-1] != a.shape[-2]:
            return super().check(value)
        return _batch_bool(np.isclose(a, np.swapaxes(a, -1, -2), atol=1e-6).all(axis=(-2, -1)), value)


class _PositiveDefinite(_Symmetric):
    def check(self, value):
        symmetric = super().check(value)
        a = _matrices(value)
        with np.errstate(all="ignore"):
            finite = np.isfinite(a).all(axis=(-2, -1))
            safe = np.where(finite[..., None, None], a, np.eye(a.shape[-1]))
            positive = np.linalg.eigvalsh(safe).min(axis=-1) > 0
        return symmetric & _batch_bool(positive & finite, value)


class _PositiveSemidefinite(_Symmetric):
    def check(self, value):
        symmetric = super().check(value)
        a = _matrices(value)
        return symmetric & _batch_bool(np.linalg.eigvalsh(a).min(axis=-1) >= 0, value)


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value):
        a = _matrices(value)
        return _batch_bool((np.triu(a, 1) == 0).all(axis=(-2, -1)), value)


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value):
        a = _matrices(value)
        diagonal = np.diagonal(a, axis1=-2, axis2=-1)
        return _batch_bool((np.triu(a, 1) == 0).all(axis=(-2, -1)) & (diagonal > 0).all(-1), value)


class _CorrCholesky(_LowerCholesky):
    def check(self, value):
        a = _matrices(value)
        unit_rows = np.abs(np.linalg.norm(a, axis=-1) - 1) <= 1e-6 * a.shape[-1]
        return super().check(value) & _batch_bool(unit_rows.all(-1), value)


class _Cat(Constraint):
    """Constraints applied to consecutive slices of ``dim`` (``lengths`` elements each)."""

    def __init__(self, cseq, dim: int = 0, lengths=None) -> None:
        self.cseq, self.dim = list(cseq), dim
        self.lengths = list(lengths) if lengths is not None else [1] * len(self.cseq)

    def check(self, value):
        from ..ops.join import cat as concatenate

        checks, start = [], 0
        for constraint, length in zip(self.cseq, self.lengths):
            checks.append(constraint.check(value.narrow(self.dim, start, length)))
            start += length
        return concatenate(checks, self.dim)


# ---------------------------------------------------------------- the public names (PyTorch's)
dependent = _Dependent()
boolean = _Boolean()
one_hot = _OneHot()
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
integer_interval = _IntegerInterval
real = _Real()
real_vector = _IndependentConstraint(real, 1)
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
unit_interval = _Interval(0.0, 1.0)
interval = _Interval
half_open_interval = _HalfOpenInterval
simplex = _Simplex()
square = _Square()
symmetric = _Symmetric()
positive_definite = _PositiveDefinite()
positive_semidefinite = _PositiveSemidefinite()
lower_triangular = _LowerTriangular()
lower_cholesky = _LowerCholesky()
corr_cholesky = _CorrCholesky()
independent = _IndependentConstraint
cat = _Cat

# PyTorch spells the class names without the underscore in reprs and isinstance checks
Boolean, Real, GreaterThan, Interval, IntegerInterval = _Boolean, _Real, _GreaterThan, _Interval, _IntegerInterval
