"""Argument validation: bad parameters and values outside the support raise ValueError, like PyTorch."""

import pytest

import saessak
import saessak.distributions as sd
from saessak.distributions import constraints


@pytest.mark.parametrize("make, name, constraint", [
    (lambda: sd.Normal(0.0, -1.0), "scale", r"GreaterThan\(lower_bound=0.0\)"),
    (lambda: sd.Normal(saessak.tensor([float("nan")]), 1.0), "loc", r"Real\(\)"),
    (lambda: sd.Bernoulli(probs=saessak.tensor([1.5])), "probs", r"Interval\(lower_bound=0.0, upper_bound=1.0\)"),
    (lambda: sd.Categorical(probs=saessak.tensor([-0.5, 1.5])), "probs", r"Simplex\(\)"),
    (lambda: sd.Gamma(0.0, 1.0), "concentration", "GreaterThan"),
    (lambda: sd.Beta(1.0, -2.0), "concentration0", "GreaterThan"),
    (lambda: sd.Exponential(saessak.tensor([1.0, -1.0])), "rate", "GreaterThan"),
    (lambda: sd.Poisson(-1.0), "rate", "GreaterThanEq"),
    (lambda: sd.Binomial(2.5, probs=saessak.tensor(0.5)), "total_count", "IntegerGreaterThan"),
    (lambda: sd.MultivariateNormal(saessak.zeros(2), saessak.tensor([[1.0, 2.0], [2.0, 1.0]])),
     "covariance_matrix", "PositiveDefinite"),
    (lambda: sd.MultivariateNormal(saessak.zeros(2), scale_tril=saessak.tensor([[1.0, 1.0], [0.0, 1.0]])),
     "scale_tril", "LowerCholesky"),
])
def test_invalid_parameters_name_the_parameter_and_the_constraint(make, name, constraint):
    with pytest.raises(ValueError, match=f"Expected parameter {name} .*{constraint}"):
        make()


def test_invalid_parameter_combinations():
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        sd.Bernoulli(probs=saessak.tensor(0.3), logits=saessak.tensor(0.1))
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        sd.Categorical()
    with pytest.raises(ValueError, match="low >= high"):
        sd.Uniform(1.0, 0.0)
    with pytest.raises(ValueError, match="Exactly one of"):
        sd.MultivariateNormal(saessak.zeros(2))
    with pytest.raises(ValueError, match="reinterpreted_batch_ndims"):
        sd.Independent(sd.Normal(saessak.zeros(2), 1.0), 2)


@pytest.mark.parametrize("dist, value", [
    (lambda: sd.Exponential(saessak.tensor([1.0, 2.0])), [-1.0, 1.0]),
    (lambda: sd.Bernoulli(probs=saessak.tensor(0.3)), 0.5),
    (lambda: sd.Poisson(2.0), 1.5),
    (lambda: sd.Beta(2.0, 2.0), 1.5),
    (lambda: sd.Uniform(0.0, 1.0), 2.0),
    (lambda: sd.Categorical(probs=saessak.tensor([0.5, 0.5])), 2),
    (lambda: sd.Binomial(3, probs=saessak.tensor(0.5)), 4.0),
])
def test_log_prob_outside_the_support_raises(dist, value):
    with pytest.raises(ValueError, match="to be within the support"):
        dist().log_prob(saessak.tensor(value))


def test_log_prob_rejects_values_of_the_wrong_event_shape():
    d = sd.MultivariateNormal(saessak.zeros(3), saessak.eye(3))
    with pytest.raises(ValueError, match="event_shape"):
        d.log_prob(saessak.zeros(2))


def test_validation_can_be_turned_off():
    assert sd.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
    assert sd.Exponential(1.0, validate_args=False).log_prob(saessak.tensor(-1.0)).item() == 1.0
    sd.Distribution.set_default_validate_args(False)
    try:
        sd.Normal(0.0, -1.0)
    finally:
        sd.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        sd.Normal(0.0, -1.0)
    with pytest.raises(ValueError, match="True or False"):
        sd.Distribution.set_default_validate_args("yes")


def test_constraints_check_elementwise_and_print_like_torch():
    assert constraints.positive.check(saessak.tensor([1.0, 0.0])).tolist() == [True, False]
    assert constraints.nonnegative_integer.check(saessak.tensor([0.0, 1.5, -1.0])).tolist() == [True, False, False]
    assert constraints.simplex.check(saessak.tensor([[0.3, 0.7], [0.3, 0.8]])).tolist() == [True, False]
    assert constraints.integer_interval(0, 3).check(saessak.tensor([0.0, 3.0, 4.0])).tolist() == [True, True, False]
    assert constraints.independent(constraints.real, 1).check(saessak.zeros(2, 3)).tolist() == [True, True]
    assert repr(constraints.unit_interval) == "Interval(lower_bound=0.0, upper_bound=1.0)"
    assert repr(constraints.nonnegative_integer) == "IntegerGreaterThan(lower_bound=0)"
    assert constraints.is_dependent(sd.Uniform.arg_constraints["low"])
    with pytest.raises(ValueError, match="dependent"):
        constraints.dependent.check(saessak.zeros(1))


def test_unimplemented_methods_raise_not_implemented_error():
    with pytest.raises(NotImplementedError):
        sd.Poisson(1.0).entropy()
    with pytest.raises(NotImplementedError):
        sd.Bernoulli(probs=saessak.tensor(0.5)).rsample()
