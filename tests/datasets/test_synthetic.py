"""Synthetic generators: shapes, dtypes, reproducibility and that they encode what they claim."""

import numpy as np
import pytest

import saessak
from saessak.datasets import logic_gate, make_logistic, make_regression, make_spiral, make_xor


def test_spiral_shapes_labels_and_seed():
    X, y = make_spiral(50, 4, seed=3)
    assert tuple(X.shape) == (200, 2) and X.dtype is saessak.float32
    assert y.dtype is saessak.int64 and np.bincount(y.numpy()).tolist() == [50] * 4
    np.testing.assert_array_equal(make_spiral(50, 4, seed=3)[0].numpy(), X.numpy())
    assert not np.array_equal(make_spiral(50, 4, seed=4)[0].numpy(), X.numpy())
    assert np.abs(X.numpy()).max() <= 1.0 + 1e-6  # radius grows from 0 to 1


def test_spiral_without_noise_lies_on_the_arm():
    X, y = make_spiral(10, 2, noise=0.0, seed=0)
    radius = np.linspace(0, 1, 10)
    np.testing.assert_allclose(np.hypot(*X.numpy()[:10].T), radius, atol=1e-6)
    np.testing.assert_allclose(X.numpy()[-1], [np.sin(8.0), np.cos(8.0)], atol=1e-6)


def test_default_generator_and_explicit_generator_are_reproducible():
    saessak.manual_seed(7)
    first = make_spiral(20)[0].numpy()
    saessak.manual_seed(7)
    np.testing.assert_array_equal(make_spiral(20)[0].numpy(), first)
    g = saessak.Generator().manual_seed(1)
    np.testing.assert_array_equal(make_regression(5, generator=g)[0].numpy(), make_regression(5, seed=1)[0].numpy())
    with pytest.raises(ValueError, match="not both"):
        make_spiral(seed=1, generator=g)


@pytest.mark.parametrize("name, outputs", [("and", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("nand", [1, 1, 1, 0]),
                                            ("xor", [0, 1, 1, 0]), ("nor", [1, 0, 0, 0]), ("xnor", [1, 0, 0, 1])])
def test_logic_gates_truth_tables(name, outputs):
    X, y = logic_gate(name)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and X.dtype is saessak.float32
    assert tuple(y.shape) == (4, 1) and y.squeeze(1).tolist() == outputs


def test_make_xor_and_unknown_gate():
    assert make_xor()[1].squeeze(1).tolist() == [0, 1, 1, 0]
    with pytest.raises(ValueError, match="unknown logic gate 'xand'; choose one of and, or"):
        logic_gate("xand")


def test_regression_recovers_the_generating_weights():
    X, y = make_regression(2000, w=[2.0, -3.4], b=4.2, noise=0.01, seed=0)
    assert tuple(X.shape) == (2000, 2) and tuple(y.shape) == (2000, 1)
    design = np.c_[X.numpy(), np.ones(2000)]
    fitted = np.linalg.lstsq(design, y.numpy()[:, 0], rcond=None)[0]
    np.testing.assert_allclose(fitted, [2.0, -3.4, 4.2], atol=0.01)
    assert tuple(make_regression(10)[0].shape) == (10, 1)
    with pytest.raises(ValueError, match="noise"):
        make_regression(noise=-1)


def test_logistic_labels_follow_the_sigmoid():
    x, y = make_logistic(20000, w0=-1.0, w1=5.0, seed=0)
    x, y = x.numpy()[:, 0], y.numpy()[:, 0]
    assert x.min() >= -1 and x.max() < 1 and set(np.unique(y)) == {0.0, 1.0}
    for low, high in [(-1, -0.5), (0.0, 0.4), (0.6, 1)]:
        inside = (x >= low) & (x < high)
        expected = np.mean(1 / (1 + np.exp(-(-1 + 5 * x[inside]))))
        assert abs(y[inside].mean() - expected) < 0.03
    with pytest.raises(ValueError, match="low < high"):
        make_logistic(low=1, high=0)


def test_counts_must_be_positive_integers():
    with pytest.raises(ValueError, match="n_per_class must be an integer >= 1"):
        make_spiral(0)
    with pytest.raises(ValueError, match="n must be"):
        make_logistic(2.5)
