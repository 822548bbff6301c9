import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from tests.helpers import requires_torch, torch


def _draw_everything():
    return [saessak.rand(3), saessak.randn(2, 2), saessak.randint(0, 10, (4,)), saessak.randperm(6),
            saessak.normal(saessak.zeros(3), saessak.ones(3)), saessak.bernoulli(saessak.full((5,), 0.5)),
            saessak.multinomial(saessak.ones(5), 3), saessak.empty(3).uniform_(), saessak.empty(2).exponential_()]


# ---------------------------------------------------------------- seeds, generators, state
def test_manual_seed_makes_every_sampler_reproducible():
    assert saessak.manual_seed(42) is saessak.default_generator
    first = [t.tolist() for t in _draw_everything()]
    saessak.manual_seed(42)
    assert [t.tolist() for t in _draw_everything()] == first
    assert saessak.initial_seed() == 42
    saessak.manual_seed(43)
    assert saessak.rand(3).tolist() != first[0]


def test_generators_are_independent_and_restorable():
    g = saessak.Generator().manual_seed(1)
    first = saessak.rand(3, generator=g)
    saessak.rand(5)  # the default generator does not disturb g
    g.manual_seed(1)
    assert saessak.rand(3, generator=g).tolist() == first.tolist()
    assert g.initial_seed() == 1 and str(g.device) == "cpu"
    clone = g.clone_state()
    assert saessak.randn(4, generator=clone).tolist() == saessak.randn(4, generator=g).tolist()


def test_state_round_trips_as_tensor_or_bytes():
    state = saessak.get_rng_state()
    assert state.dtype == saessak.uint8 and state.ndim == 1
    x = saessak.randn(4)
    saessak.set_rng_state(state)
    assert saessak.randn(4).tolist() == x.tolist()
    g = saessak.Generator().manual_seed(7)
    raw = bytes(g.get_state().numpy())
    y = saessak.rand(3, generator=g)
    g.set_state(raw)
    assert saessak.rand(3, generator=g).tolist() == y.tolist() and g.initial_seed() == 7
    with pytest.raises(TypeError, match="ByteTensor"):
        g.set_state(saessak.ones(3))
    with pytest.raises(TypeError, match="ByteTensor"):
        g.set_state([1, 2])
    with pytest.raises(RuntimeError, match="RNG state size to be 3"):
        saessak.set_rng_state(saessak.ones(3, dtype=saessak.uint8))


def test_seed_values_and_fork_rng():
    assert saessak.manual_seed(-1).initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow"):
        saessak.manual_seed(2**64)
    s = saessak.seed()
    assert isinstance(s, int) and saessak.initial_seed() == s
    saessak.manual_seed(3)
    with saessak.random.fork_rng():
        saessak.rand(10)
    after = saessak.rand(2)
    saessak.manual_seed(3)
    assert saessak.rand(2).tolist() == after.tolist()
    assert repr(saessak.Generator()).startswith("<torch._C.Generator object at 0x")


# ---------------------------------------------------------------- distributions
def test_distributions_have_the_right_moments_and_ranges():
    saessak.manual_seed(0)
    u = saessak.rand(10_000)
    assert u.dtype == saessak.float32 and 0 <= u.min().item() and u.max().item() < 1
    assert abs(u.mean().item() - 0.5) < 0.02
    h = saessak.rand(10_000, dtype=saessak.float16)
    assert h.dtype == saessak.float16 and h.max().item() < 1
    n = saessak.randn(10_000, dtype=saessak.float64)
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1) < 0.05
    m = saessak.normal(3.0, 2.0, (10_000,))
    assert abs(m.mean().item() - 3) < 0.1 and abs(m.std().item() - 2) < 0.1
    e = saessak.empty(10_000).exponential_(4.0)
    assert e.min().item() > 0 and abs(e.mean().item() - 0.25) < 0.02
    b = saessak.bernoulli(saessak.full((10_000,), 0.3))
    assert set(b.unique().tolist()) == {0.0, 1.0} and abs(b.mean().item() - 0.3) < 0.03
    p = saessak.poisson(saessak.full((10_000,), 4.0))
    assert abs(p.mean().item() - 4) < 0.1
    r = saessak.randint(-3, 4, (10_000,))
    assert r.dtype == saessak.int64 and sorted(r.unique().tolist()) == list(range(-3, 4))
    assert sorted(saessak.randperm(50).tolist()) == list(range(50))
    w = saessak.empty(1000).uniform_(-2, 2)
    assert -2 <= w.min().item() and w.max().item() < 2
    assert saessak.empty(5).normal_(3.0, 0.0).tolist() == [3.0] * 5
    assert saessak.empty(100).log_normal_().min().item() > 0
    assert saessak.empty(100).geometric_(0.5).min().item() >= 1
    assert saessak.empty(7).cauchy_().shape == (7,)


def test_normal_broadcasts_tensor_parameters():
    saessak.manual_seed(0)
    samples = saessak.normal(saessak.tensor([[0.0], [100.0]]), saessak.tensor([1.0, 0.0, 2.0]))
    assert samples.shape == (2, 3)
    assert samples[1, 1].item() == 100.0 and abs(samples[1, 0].item() - 100) < 6
    assert saessak.normal(saessak.zeros(3, dtype=saessak.float64), 1.0).dtype == saessak.float64
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        saessak.normal(saessak.zeros(3), -saessak.ones(3))
    with pytest.raises(TypeError, match="needs a size"):
        saessak.normal(0.0, 1.0)


def test_multinomial_frequencies_and_rows():
    saessak.manual_seed(0)
    draws = saessak.multinomial(saessak.tensor([0.0, 1.0, 3.0]), 4000, replacement=True)
    counts = np.bincount(draws.numpy(), minlength=3)
    assert counts[0] == 0 and 0.72 < counts[2] / 4000 < 0.78
    assert sorted(saessak.multinomial(saessak.tensor([1.0, 1.0, 1.0]), 3).tolist()) == [0, 1, 2]
    firsts = np.bincount([saessak.multinomial(saessak.tensor([1.0, 3.0]), 2)[0].item() for _ in range(2000)])
    assert 0.72 < firsts[1] / 2000 < 0.78  # without replacement, the first draw follows the weights
    rows = saessak.multinomial(saessak.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), 5, replacement=True)
    assert rows.shape == (2, 5) and rows.tolist() == [[0] * 5, [2] * 5]
    assert saessak.tensor([0.0, 1.0]).multinomial(2).tolist() == [1, 0]  # zero weights come last
    with pytest.raises(RuntimeError, match="inf.*nan.*< 0"):
        saessak.multinomial(saessak.tensor([-1.0, 1.0]), 1)
    with pytest.raises(RuntimeError, match="without replacement"):
        saessak.multinomial(saessak.tensor([1.0, 1.0]), 3)


# ---------------------------------------------------------------- dtypes, shapes, flags and errors as torch
_CALLS = [
    "T.rand(2, 3)", "T.rand((2, 3))", "T.rand([2])", "T.rand(size=(2,))", "T.rand(())", "T.rand(0)",
    "T.rand(2, dtype=T.float64)", "T.rand(2, dtype=T.float16)", "T.rand(2, dtype=T.int64)",
    "T.rand(2, requires_grad=True)",
    "T.rand(-1)", "T.rand(2.5)", "T.randn(2, 3)", "T.randn((2,), dtype=T.float64)", "T.randn(2, dtype=T.int32)",
    "T.randn(size=[3])", "T.randn(2, requires_grad=True)", "T.randint(10, (3,))", "T.randint(2, 10, (3,))",
    "T.randint(0, 10, size=(2, 2))", "T.randint(10, (3,), dtype=T.int32)", "T.randint(10, (3,), dtype=T.float32)",
    "T.randint(5, 5, (2,))", "T.randint(low=1, high=4, size=(3,))", "T.randint(high=4, size=(3,))", "T.randint(10)",
    "T.randint(10, (2,), requires_grad=True)", "T.randint(10, (2,), dtype=T.float32, requires_grad=True)",
    "T.randint(2.5, (2,))", "T.randint(0, 300, (2,), dtype=T.uint8)", "T.randperm(0)", "T.randperm(-1)",
    "T.randperm(4, dtype=T.float32)", "T.randperm(3, requires_grad=True)",
    "T.normal(T.zeros(3), 1.0)", "T.normal(0.0, T.ones(3))", "T.normal(0.0, 1.0, (2, 2))", "T.normal(2, 3, (2,))",
    "T.normal(T.zeros(3), T.ones(2))", "T.normal(0.0, -1.0, (2,))", "T.normal(T.zeros(3, dtype=T.int64), 1.0)",
    "T.normal(0.0, 1.0, (2,), dtype=T.float64)", "T.normal(T.zeros(3, requires_grad=True), 1.0)",
    "T.normal(0.0, T.ones(2, requires_grad=True))", "T.normal(T.zeros(2, 1, requires_grad=True), T.ones(3))",
    "T.bernoulli(T.full((3,), 0.5))", "T.bernoulli(T.ones(3, dtype=T.int64))", "T.bernoulli(T.full((3,), 2.0))",
    "T.bernoulli(T.full((3,), float('nan')))", "T.bernoulli(T.full((3,), 0.5, dtype=T.float64))",
    "T.bernoulli(T.full((3,), 0.5, requires_grad=True))", "T.full((3,), 0.5).bernoulli()",
    "T.multinomial(T.tensor([1, 2]), 1)", "T.multinomial(T.tensor(1.), 1)", "T.multinomial(T.ones(2, 2, 2), 1)",
    "T.multinomial(T.tensor([1., 1.]), 0)", "T.multinomial(T.tensor([0., 0.]), 1)",
    "T.multinomial(T.tensor([float('inf'), 2.]), 1)", "T.multinomial(T.tensor([1.], requires_grad=True), 1)",
    "T.multinomial(T.ones(3, 4, dtype=T.float64), 2)",
    "T.rand_like(T.ones(2, 3))", "T.rand_like(T.ones(2, dtype=T.float64))", "T.rand_like(T.ones(2, dtype=T.int64))",
    "T.randn_like(T.ones(2), dtype=T.float64)", "T.rand_like(T.ones(2), requires_grad=True)",
    "T.randint_like(T.ones(2, dtype=T.int32), 5)", "T.randint_like(T.ones(2), high=5)",
    "T.empty(3, dtype=T.int64).uniform_()", "T.empty(3).uniform_(3, 2)", "T.empty(3).normal_(0, -1)",
    "T.empty(3, dtype=T.int64).normal_()", "T.empty(3, dtype=T.int64).bernoulli_(1.0)", "T.empty(3).bernoulli_(2.0)",
    "T.empty(3, dtype=T.bool).bernoulli_(1.0)", "T.empty(3).random_(3, 2)", "T.empty(3, dtype=T.bool).random_()",
    "T.empty(3).random_(to=1)", "T.empty(3).exponential_(-1.0)", "T.empty(3).exponential_(0.0)",
    "T.empty(3, dtype=T.int64).exponential_()", "T.poisson(-T.ones(3))", "T.poisson(T.ones(3, dtype=T.int64))",
    "T.ones(3, requires_grad=True).uniform_()", "T.ones(3, requires_grad=True).normal_()",
    "(T.ones(3, requires_grad=True) * 2).uniform_()", "(T.ones(3, requires_grad=True) * 2).normal_()",
    "(T.ones(3, requires_grad=True) * 2).bernoulli_(0.5)", "(T.ones(3, requires_grad=True) * 2).bernoulli_(T.ones(3))",
    "(T.ones(3, requires_grad=True) * 2).random_()", "(T.ones(3, requires_grad=True) * 2).random_(3)",
    "(T.ones(3, requires_grad=True) * 2).random_(1, 3)", "(T.ones(3, requires_grad=True) * 2).exponential_()",
    "(T.ones(3, requires_grad=True) * 2).log_normal_()", "(T.ones(3, requires_grad=True) * 2).geometric_(0.5)",
    "(T.ones(3, requires_grad=True) * 2).cauchy_()", "T.poisson(T.ones(3, requires_grad=True))",
]


def _describe(lib, expression: str):
    """Everything but the random values: dtype, shape, requires_grad, grad_fn name; or the exception type."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = eval(expression, {"T": lib})
    except Exception as error:  # noqa: BLE001 - the exception type is what is compared
        return type(error).__name__
    name = None if t.grad_fn is None else (t.grad_fn.name() if lib is saessak else type(t.grad_fn).__name__)
    return str(t.dtype), tuple(t.shape), t.requires_grad, name


@requires_torch
@pytest.mark.parametrize("expression", _CALLS)
def test_samplers_match_torch_except_for_the_numbers(expression):
    assert _describe(saessak, expression) == _describe(torch, expression)


def test_sampling_gradients_are_zero_as_in_torch():
    mean = saessak.zeros(2, 1, requires_grad=True)
    std = saessak.ones(3, requires_grad=True)
    saessak.normal(mean, std).sum().backward()
    assert mean.grad.tolist() == [[0.0], [0.0]] and std.grad.tolist() == [0.0, 0.0, 0.0]
    x = saessak.ones(3, requires_grad=True)
    y = x * 2
    y.uniform_()
    assert y.grad_fn.name() == "UniformBackward0"
    (y * 3).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_in_place_fillers_respect_autograd_and_views():
    leaf = saessak.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.normal_()
    with saessak.no_grad():
        assert leaf.uniform_(5, 6) is leaf  # initialisers run under no_grad
    assert leaf.requires_grad and 5 <= leaf.min().item() < 6
    base = saessak.zeros(2, 3)
    version = base._version
    base[0].fill_(0)
    base[1].bernoulli_(1.0)
    assert base.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]] and base._version > version
    assert saessak.empty(4, dtype=saessak.int8).random_().dtype == saessak.int8
    assert saessak.empty(100).random_(3).max().item() <= 2


@settings(max_examples=25, deadline=None)
@given(mean_shape=st.lists(st.integers(1, 3), max_size=3), std_shape=st.lists(st.integers(1, 3), max_size=3))
def test_normal_shape_is_the_broadcast_shape(mean_shape, std_shape):
    mean, std = saessak.zeros(*mean_shape), saessak.ones(*std_shape)
    try:
        expected = np.broadcast_shapes(tuple(mean_shape), tuple(std_shape))
    except ValueError:
        with pytest.raises(RuntimeError, match="broadcast"):
            saessak.normal(mean, std)
        return
    assert saessak.normal(mean, std).shape == expected
    assert saessak.bernoulli(saessak.full(expected, 0.5)).shape == expected


def test_poisson_of_a_0_dim_rate():
    saessak.manual_seed(0)
    sample = saessak.poisson(saessak.tensor(3.0))
    assert sample.shape == () and sample.dtype == saessak.float32 and sample.item() >= 0
