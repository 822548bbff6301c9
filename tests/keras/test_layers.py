"""Layers: lazy building, shapes (channels-last convolutions, recurrent layers), activations, errors."""

import numpy as np
import pytest

from saessak import keras
from saessak.keras import layers


def test_dense_builds_lazily_with_keras_kernel_layout():
    layer = layers.Dense(128, activation="relu")
    assert not layer.built and layer.weights == []
    y = layer(np.zeros((32, 64)))
    assert layer.built and tuple(y.shape) == (32, 128)
    assert tuple(layer.kernel.shape) == (64, 128) and tuple(layer.bias.shape) == (128,)
    assert layer.count_params() == 8320


def test_dense_rejects_other_shape_after_build():
    layer = layers.Dense(4, name="hidden")
    layer(np.zeros((2, 8)))
    with pytest.raises(ValueError, match=r'"hidden".*expected axis -1 of input shape to have value 8.*\(2, 5\)'):
        layer(np.zeros((2, 5)))


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown activation function: 'rleu'.*relu"):
        layers.Dense(3, activation="rleu")


@pytest.mark.parametrize("name", ["relu", "softmax", "sigmoid", "tanh", "linear", "elu", "selu", "gelu", "swish",
                                  "softplus", "leaky_relu"])
def test_activations_by_name(name):
    x = np.linspace(-2, 2, 12).reshape(3, 4).astype(np.float32)
    y = layers.Activation(name)(x).detach().numpy()
    assert y.shape == (3, 4) and np.all(np.isfinite(y))
    if name == "softmax":
        np.testing.assert_allclose(y.sum(-1), 1.0, rtol=1e-6)
    if name == "relu":
        np.testing.assert_array_equal(y, np.maximum(x, 0))


def test_conv2d_and_pooling_are_channels_last():
    x = np.random.rand(2, 28, 28, 1).astype(np.float32)
    model = keras.Sequential([
        layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
        layers.MaxPooling2D(),
        layers.Conv2D(16, (3, 3), strides=2, padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
    ])
    assert [layer.output_shape for layer in model.layers] == [
        (None, 26, 26, 8), (None, 13, 13, 8), (None, 7, 7, 16), (None, 16), (None, 10)]
    assert tuple(model.layers[0].kernel.shape) == (3, 3, 1, 8)
    assert model.layers[0].count_params() == 3 * 3 * 8 + 8
    assert model.predict(x).shape == (2, 10)


def test_conv2d_matches_a_direct_computation():
    layer = layers.Conv2D(2, 2, use_bias=False)
    x = np.random.rand(1, 3, 3, 2).astype(np.float32)
    y = layer(x).detach().numpy()
    kernel = layer.get_weights()[0]
    expected = np.einsum("ijc,ijcf->f", x[0, 1:3, 0:2], kernel)
    np.testing.assert_allclose(y[0, 1, 0], expected, rtol=1e-5)


def test_same_pooling_keeps_ceil_size():
    assert tuple(layers.MaxPooling2D(padding="same")(np.zeros((1, 5, 5, 3))).shape) == (1, 3, 3, 3)
    averaged = layers.AveragePooling2D(3, 2, padding="same")(np.ones((1, 5, 5, 1)))
    np.testing.assert_allclose(averaged.detach().numpy(), 1.0)


def test_lstm_and_gru_shapes():
    x = np.random.rand(4, 7, 3).astype(np.float32)
    assert tuple(layers.LSTM(5)(x).shape) == (4, 5)
    sequence, h, c = layers.LSTM(5, return_sequences=True, return_state=True)(x)
    assert tuple(sequence.shape) == (4, 7, 5) and tuple(h.shape) == (4, 5) and tuple(c.shape) == (4, 5)
    np.testing.assert_allclose(sequence.detach().numpy()[:, -1], h.detach().numpy(), rtol=1e-6)
    output, state = layers.GRU(6, return_state=True)(x)
    assert tuple(output.shape) == (4, 6) and tuple(state.shape) == (4, 6)
    lstm, gru = layers.LSTM(5), layers.GRU(6)
    lstm(x), gru(x)
    assert lstm.count_params() == 4 * 5 * (3 + 5 + 1) and gru.count_params() == 3 * 6 * (3 + 6 + 2)
    assert tuple(layers.SimpleRNN(2, return_sequences=True)(x).shape) == (4, 7, 2)


def test_embedding_lstm_model_on_integer_ids():
    model = keras.Sequential([layers.Embedding(50, 8, input_shape=(6,)), layers.LSTM(4), layers.Dense(1)])
    assert model.output_shape == (None, 1) and model.layers[0].output_shape == (None, 6, 8)
    ids = np.random.randint(0, 50, size=(5, 6))
    assert model.predict(ids).shape == (5, 1)


def test_batchnormalization_modes():
    layer = layers.BatchNormalization()
    x = np.random.rand(64, 3).astype(np.float32) * 4 + 10
    out = layer(x, training=True).detach().numpy()
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-4)
    moving_mean = layer.get_weights()[2]
    np.testing.assert_allclose(moving_mean, 0.01 * x.mean(0), rtol=1e-4)  # momentum 0.99
    assert layer.momentum == 0.99 and layer.epsilon == 0.001
    np.testing.assert_allclose(layer(x).detach().numpy(), (x - moving_mean) / np.sqrt(layer.get_weights()[3] + 1e-3),
                               rtol=1e-4)


def test_dropout_only_in_training():
    layer = layers.Dropout(0.5)
    x = np.ones((100, 10), dtype=np.float32)
    np.testing.assert_array_equal(layer(x).detach().numpy(), x)
    dropped = layer(x, training=True).detach().numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0} and 0.3 < (dropped == 0).mean() < 0.7


def test_reshape_and_merging_layers():
    a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
    assert layers.Add()([a, b]).shape == (None, 4)
    assert layers.Concatenate()([a, b]).shape == (None, 8)
    assert layers.Reshape((2, 2))(a).shape == (None, 2, 2)


def test_custom_layer_with_add_weight():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.w

    layer = Scale()
    np.testing.assert_array_equal(layer(np.full((2, 3), 2.0)).detach().numpy(), np.full((2, 3), 2.0))
    assert [w.shape for w in layer.get_weights()] == [(3,)] and layer.name == "scale"


def test_unknown_layer_keyword():
    with pytest.raises(TypeError, match="units_count"):
        layers.Dense(3, units_count=4)
