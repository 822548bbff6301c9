import numpy as np
import pytest

import saessak


def test_manual_seed_makes_results_reproducible():
    saessak.manual_seed(42)
    a = (saessak.rand(3), saessak.randn(2, 2), saessak.randint(0, 10, (4,)), saessak.randperm(6))
    saessak.manual_seed(42)
    b = (saessak.rand(3), saessak.randn(2, 2), saessak.randint(0, 10, (4,)), saessak.randperm(6))
    for x, y in zip(a, b):
        assert x.tolist() == y.tolist()


def test_generators_are_independent_and_restorable():
    g = saessak.Generator().manual_seed(1)
    first = saessak.rand(3, generator=g)
    g.manual_seed(1)
    assert saessak.rand(3, generator=g).tolist() == first.tolist()
    state = saessak.get_rng_state()
    x = saessak.randn(4)
    saessak.set_rng_state(state)
    assert saessak.randn(4).tolist() == x.tolist()


def test_distributions_have_the_right_shape_dtype_and_range():
    saessak.manual_seed(0)
    u = saessak.rand(10_000)
    assert u.dtype == saessak.float32 and 0 <= u.min().item() and u.max().item() < 1
    n = saessak.randn(10_000, dtype=saessak.float64)
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1) < 0.05
    assert sorted(saessak.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    b = saessak.bernoulli(saessak.full((10_000,), 0.3))
    assert abs(b.mean().item() - 0.3) < 0.03
    m = saessak.multinomial(saessak.tensor([0.0, 1.0, 3.0]), 1000, replacement=True)
    counts = np.bincount(m.numpy(), minlength=3)
    assert counts[0] == 0 and 0.65 < counts[2] / 1000 < 0.85
    assert sorted(saessak.multinomial(saessak.tensor([1.0, 1.0, 1.0]), 3).tolist()) == [0, 1, 2]
    assert saessak.normal(saessak.zeros(3), saessak.ones(3)).shape == (3,)


def test_in_place_fillers():
    saessak.manual_seed(0)
    w = saessak.empty(100).uniform_(-2, 2)
    assert -2 <= w.min().item() and w.max().item() < 2
    assert saessak.empty(5).normal_(3.0, 0.0).tolist() == [3.0] * 5
    with pytest.raises(RuntimeError, match="multinomial|probability"):
        saessak.multinomial(saessak.tensor([-1.0, 1.0]), 1)
