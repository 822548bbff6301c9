"""keras/ops.py and the Keras 3 conveniences around it: layer/model input and output, optimizer configs,
losses called on NumPy arrays."""

import numpy as np
import pytest

from saessak import keras
from saessak.keras import ops

X = np.arange(6, dtype=np.float32).reshape(2, 3)


def test_reductions_follow_numpy():
    np.testing.assert_allclose(ops.mean(X, axis=1).numpy(), X.mean(axis=1))
    np.testing.assert_allclose(ops.sum(X, axis=0, keepdims=True).numpy(), X.sum(axis=0, keepdims=True))
    np.testing.assert_allclose(ops.max(X).numpy(), X.max())
    np.testing.assert_allclose(ops.min(X, axis=(0, 1)).numpy(), X.min())
    assert ops.argmax(X, axis=1).tolist() == [2, 2]
    assert ops.sum(X, keepdims=True).shape == (1, 1)


def test_elementwise_shape_and_join_functions():
    np.testing.assert_allclose(ops.square(X).numpy(), X ** 2)
    np.testing.assert_allclose(ops.clip(X, 1, 4).numpy(), np.clip(X, 1, 4))
    np.testing.assert_allclose(ops.maximum(X, 2.0).numpy(), np.maximum(X, 2.0))
    np.testing.assert_allclose(ops.where(X > 2, X, 0.0).numpy(), np.where(X > 2, X, 0.0))
    np.testing.assert_allclose(ops.softmax(X).numpy().sum(axis=-1), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(ops.matmul(X, X.T).numpy(), X @ X.T)
    assert ops.transpose(X).shape == (3, 2)
    assert ops.expand_dims(X, 0).shape == (1, 2, 3)
    assert ops.concatenate([X, X], axis=1).shape == (2, 6)
    assert ops.stack([X, X]).shape == (2, 2, 3)
    assert ops.shape(ops.zeros((2, 4))) == (2, 4)
    assert ops.one_hot(np.array([0, 2]), 3).numpy().tolist() == [[1, 0, 0], [0, 0, 1]]
    assert isinstance(ops.convert_to_numpy(ops.ones((2,))), np.ndarray)


def test_ops_are_differentiable_under_gradient_tape():
    w = keras.Variable(np.ones((3, 1), dtype=np.float32))
    with keras.GradientTape() as tape:
        loss = ops.mean(ops.square(ops.matmul(X, w)))
    grad = tape.gradient(loss, w)
    expected = 2 * X.T @ (X @ np.ones((3, 1))) / 2
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-5)


def test_functional_feature_extraction_through_layer_outputs():
    inputs = keras.Input(shape=(4,))
    hidden = keras.layers.Dense(3, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(hidden))
    extractor = keras.Model(inputs=model.input, outputs=model.get_layer("hidden").output)
    assert extractor.predict(np.ones((5, 4), dtype=np.float32), verbose=0).shape == (5, 3)
    assert model.output.shape == (None, 2)
    assert model.layers[1].trainable_variables == model.layers[1].trainable_weights


def test_layer_never_called_has_no_output():
    with pytest.raises(AttributeError, match="output"):
        keras.layers.Dense(2).output


def test_optimizer_config_round_trip():
    adam = keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8)
    copy = keras.optimizers.Adam.from_config(adam.get_config())
    assert copy.learning_rate == 0.01 and copy.get_config()["beta_1"] == 0.8


def test_loss_functions_accept_numpy_predictions():
    loss = keras.losses.mean_squared_error(np.zeros((2, 3)), X)
    np.testing.assert_allclose(loss.numpy(), (X ** 2).mean(axis=-1))


def test_binary_functions_take_two_numbers():
    assert ops.maximum(1.0, 2.0).item() == 2.0
    assert ops.minimum(3.0, [1.0, 5.0]).tolist() == [1.0, 3.0]
