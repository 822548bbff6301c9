"""Sequential, functional and subclassed models: building, structure, weights, summary, saving."""

import numpy as np
import pytest

import saessak
from saessak import keras
from saessak.keras import layers


def _mlp():
    return keras.Sequential([
        layers.Flatten(input_shape=(8, 8)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def test_digits_seed_flow_reaches_93_percent(digits, capsys):
    (x_train, y_train), (x_test, y_test) = digits
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=5, batch_size=32)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.93
    assert len(history.history["loss"]) == 5 and history.history["loss"][-1] < history.history["loss"][0]
    assert history.epoch == [0, 1, 2, 3, 4]
    assert history.params["epochs"] == 5 and history.params["steps"] == 45
    predictions = model.predict(x_test)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (len(x_test), 10)
    np.testing.assert_allclose(predictions.sum(1), 1.0, rtol=1e-5)
    assert np.mean(predictions.argmax(1) == y_test) == pytest.approx(accuracy)
    out = capsys.readouterr().out
    assert out.count("Epoch ") == 5 and "\r" not in out


def test_summary_counts_and_table(capsys):
    model = _mlp()
    model.summary()
    out = capsys.readouterr().out
    assert out.startswith('Model: "sequential"\n')
    assert "Layer (type)" in out and "Output Shape" in out and "Param #" in out
    assert " dense (Dense)" in out and "(None, 128)" in out and "8320" in out
    assert "(None, 10)" in out and "1290" in out
    assert "Total params: 9,610" in out and "Trainable params: 9,610" in out and "Non-trainable params: 0" in out
    assert model.count_params() == 64 * 128 + 128 + 128 * 10 + 10


def test_summary_counts_non_trainable_batchnorm(capsys):
    model = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.BatchNormalization()])
    model.summary()
    out = capsys.readouterr().out
    assert "Total params: 32" in out and "Trainable params: 24" in out and "Non-trainable params: 8" in out


def test_unbuilt_model_cannot_summarize():
    model = keras.Sequential([layers.Dense(3)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()
    model(np.ones((2, 5)))
    assert model.count_params() == 18
    assert model.output_shape == (None, 3)


def test_add_pop_layers_and_get_layer():
    model = keras.Sequential()
    model.add(layers.Dense(2, activation="relu", name="layer1"))
    model.add(layers.Dense(3, activation="relu", name="layer2"))
    model.add(layers.Dense(4, name="layer3"))
    y = model(saessak.ones(3, 3))
    assert tuple(y.shape) == (3, 4)
    assert model.get_layer("layer2") is model.layers[1] and model.get_layer(index=-1).name == "layer3"
    model.pop()
    assert len(model.layers) == 2 and tuple(model(np.ones((3, 3))).shape) == (3, 3)
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(1, name="layer1"))


def test_get_set_weights_keras_layout_and_round_trip():
    model = keras.Sequential([layers.Dense(5, input_shape=(3,)), layers.Dense(2)])
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(3, 5), (5,), (5, 2), (2,)]
    new = [np.full(s, i, dtype=np.float32) for i, s in enumerate(shapes)]
    model.set_weights(new)
    for got, want in zip(model.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    x = np.ones((1, 3), dtype=np.float32)
    np.testing.assert_allclose(model.predict(x), (x @ new[0] + new[1]) @ new[2] + new[3])
    with pytest.raises(ValueError, match="shape"):
        model.set_weights([np.zeros((4, 5))] + new[1:])


def test_save_and_load_weights(tmp_path):
    model = _mlp()
    path = tmp_path / "mlp.weights.safetensors"
    model.save_weights(path)
    other = _mlp()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = np.random.rand(4, 8, 8).astype(np.float32)
    np.testing.assert_allclose(model.predict(x), other.predict(x))


def test_save_and_load_model(tmp_path):
    model = _mlp()
    model.save(tmp_path / "mlp.keras")
    loaded = keras.models.load_model(tmp_path / "mlp.keras")
    x = np.random.rand(4, 8, 8).astype(np.float32)
    np.testing.assert_allclose(model.predict(x), loaded.predict(x), rtol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers] == ["Flatten", "Dense", "Dense"]


def test_functional_api_trains():
    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    assert model.output_shape == (None, 3) and model.count_params() == 4 * 16 + 16 + 16 * 3 + 3
    assert isinstance(model.layers[0], keras.layers.InputLayer)
    x = np.random.rand(60, 4).astype(np.float32)
    y = (x[:, 0] * 3).astype(int).clip(0, 2)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["accuracy"][-1] > 0.8


def test_functional_branches_and_save(tmp_path, capsys):
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(2,), name="b")
    merged = layers.Concatenate()([layers.Dense(3)(a), b])
    model = keras.Model([a, b], layers.Dense(1)(merged))
    x = [np.ones((5, 4)), np.ones((5, 2))]
    assert model.predict(x).shape == (5, 1)
    model.summary()
    assert "Connected to" in capsys.readouterr().out
    model.save(tmp_path / "branches.keras")
    loaded = keras.models.load_model(tmp_path / "branches.keras")
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


def test_subclassed_model():
    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.dropout = layers.Dropout(0.5)
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.dropout(self.hidden(inputs), training=training))

    model = TwoLayers()
    assert model.name == "two_layers"
    x = np.random.rand(32, 3).astype(np.float32)
    y = x.sum(1, keepdims=True)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=30, verbose=0)
    assert model.evaluate(x, y, verbose=0)[0] < first[0]
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    assert len(model.trainable_weights) == 4
    # inference is deterministic: Dropout is off outside training
    np.testing.assert_array_equal(model.predict(x), model.predict(x))


def test_frozen_layer_is_not_updated():
    model = keras.Sequential([layers.Dense(4, input_shape=(3,), name="frozen"), layers.Dense(1)])
    model.get_layer("frozen").trainable = False
    before = model.get_layer("frozen").get_weights()
    model.compile("sgd", "mse")
    model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=2, verbose=0)
    for a, b in zip(before, model.get_layer("frozen").get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2


def test_regularizer_adds_to_loss():
    model = keras.Sequential([layers.Dense(2, input_shape=(3,), kernel_regularizer=keras.regularizers.l2(0.5))])
    kernel = model.layers[0].kernel
    model.compile("sgd", "mse")
    x, y = np.zeros((4, 3)), np.zeros((4, 2))
    expected = 0.5 * float((kernel.detach() ** 2).sum())
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_train_test_predict_on_batch():
    model = keras.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(keras.optimizers.SGD(learning_rate=0.1), "mse", metrics=["mae"])
    x, y = np.ones((4, 2)), np.full((4, 1), 2.0)
    loss, mae = model.train_on_batch(x, y)
    assert loss >= 0 and mae >= 0
    assert model.test_on_batch(x, y, return_dict=True).keys() == {"loss", "mae"}
    assert model.predict_on_batch(x).shape == (4, 1)


def test_reproducible_with_set_random_seed():
    def run():
        keras.utils.set_random_seed(7)
        model = keras.Sequential([layers.Dense(8, activation="relu", input_shape=(3,)), layers.Dropout(0.3),
                                  layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.arange(30.0).reshape(10, 3) / 30, np.ones((10, 1)), epochs=2, batch_size=4, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_fit_accepts_tensors_and_batch_iterables():
    model = keras.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x, y = saessak.rand(12, 2), saessak.rand(12, 1)
    assert len(model.fit(x, y, batch_size=4, verbose=0).history["loss"]) == 1
    batches = [(x[:6], y[:6]), (x[6:], y[6:])]
    history = model.fit(batches, epochs=2, verbose=0)
    assert history.params["steps"] == 2 and len(history.history["loss"]) == 2
