"""GradientTape and Variable (gradient_tape.py): the seed's TensorFlow examples and TensorFlow's conventions."""

import numpy as np
import pytest

import saessak


def test_seed_example_sum_squared():
    x = saessak.ones(2, 2)
    with saessak.GradientTape() as tape:
        tape.watch(x)
        y = saessak.sum(x)
        z = saessak.multiply(y, y)
    assert tape.gradient(z, x).tolist() == [[8.0, 8.0], [8.0, 8.0]]


def test_seed_example_persistent_tape():
    x = saessak.tensor(3.0)
    with saessak.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert tape.gradient(z, x).item() == 108.0
    assert tape.gradient(y, x).item() == 6.0


def test_seed_example_nested_tapes_give_second_derivative():
    x = saessak.Variable(1.0)
    with saessak.GradientTape() as outer:
        with saessak.GradientTape() as inner:
            y = x * x * x
        dy_dx = inner.gradient(y, x)
    d2y_dx2 = outer.gradient(dy_dx, x)
    assert dy_dx.item() == 3.0 and d2y_dx2.item() == 6.0


def test_non_persistent_tape_used_twice_raises():
    x = saessak.Variable(2.0)
    with saessak.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used to compute one set"):
        tape.gradient(y, x)
    tape.reset()
    with saessak.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x).item() == 4.0


def test_structures_output_gradients_and_unconnected():
    w = saessak.Variable(saessak.ones(3, 2))
    b = saessak.Variable(saessak.zeros(2))
    unused = saessak.Variable(saessak.ones(4))
    x = saessak.tensor([[1.0, 2.0, 3.0]])
    with saessak.GradientTape(persistent=True) as tape:
        y = x @ w + b
    grads = tape.gradient(y, {"w": w, "b": b, "unused": unused})
    assert set(grads) == {"w", "b", "unused"} and grads["unused"] is None
    np.testing.assert_allclose(grads["w"].numpy(), [[1, 1], [2, 2], [3, 3]])
    gw, gb = tape.gradient(y, [w, b], output_gradients=saessak.tensor([[1.0, 2.0]]))
    np.testing.assert_allclose(gb.numpy(), [1.0, 2.0])
    np.testing.assert_allclose(gw.numpy(), [[1, 2], [2, 4], [3, 6]])
    (zero,) = tape.gradient(y, [unused], unconnected_gradients="zero")
    assert zero.tolist() == [0.0] * 4


def test_jacobian_matches_autograd_functional():
    x = saessak.Variable(saessak.tensor([1.0, 2.0, 3.0]))
    with saessak.GradientTape() as tape:
        y = x ** 2 * x.sum()
    jac = tape.jacobian(y, x)
    expected = saessak.autograd.functional.jacobian(lambda t: t ** 2 * t.sum(), x.detach())
    np.testing.assert_allclose(jac.numpy(), expected.numpy(), rtol=1e-6)


def test_watch_accessed_variables_false_and_stop_recording():
    a, b = saessak.Variable(2.0), saessak.Variable(3.0)
    with saessak.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert ga.item() == 3.0 and gb is None
    with saessak.GradientTape() as tape:
        y = a * a
        with tape.stop_recording():
            z = a * 10
    assert z.grad_fn is None
    assert tape.gradient(y, a).item() == 4.0


def test_variable_assign_and_errors():
    v = saessak.Variable([1.0, 2.0], name="v")
    v.assign([3.0, 4.0]).assign_add(saessak.ones(2)).assign_sub([0.5, 0.5])
    assert v.tolist() == [3.5, 4.5] and v.requires_grad and "Variable 'v'" in repr(v)
    with pytest.raises(ValueError, match=r"shape \(3,\) to a Variable of shape \(2,\)"):
        v.assign([1.0, 2.0, 3.0])
    assert not saessak.Variable([1, 2], trainable=False).requires_grad
    with pytest.raises(ValueError, match="floating dtype"):
        saessak.Variable([1, 2])
    with pytest.raises(ValueError, match="only floating tensors"):
        with saessak.GradientTape() as tape:
            tape.watch(saessak.tensor([1, 2]))


def test_keras_names_and_a_custom_training_loop():
    from saessak import keras

    assert keras.Variable is saessak.Variable and keras.GradientTape is saessak.GradientTape
    x = saessak.linspace(-1, 1, 32).reshape(-1, 1)
    y = 3 * x + 0.5
    w, b = keras.Variable(saessak.zeros(1, 1)), keras.Variable(saessak.zeros(1))
    for _ in range(300):
        with keras.GradientTape() as tape:
            loss = ((x @ w + b - y) ** 2).mean()
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
    assert abs(w.item() - 3) < 1e-3 and abs(b.item() - 0.5) < 1e-3
