"""compile/fit/evaluate: losses, metrics, optimizers, bad inputs and the progress output."""

import re

import numpy as np
import pytest

import saessak
from saessak import keras
from saessak.keras import layers


def _model(activation=None, units=3):
    return keras.Sequential([layers.Dense(units, activation=activation, input_shape=(4,))])


def test_fit_before_compile():
    model = _model()
    with pytest.raises(RuntimeError, match=r"You must call compile\(\) before.*fit"):
        model.fit(np.zeros((4, 4)), np.zeros(4))
    with pytest.raises(RuntimeError, match=r"compile\(\).*evaluate"):
        model.evaluate(np.zeros((4, 4)), np.zeros(4))


def test_cardinality_mismatch():
    model = _model()
    model.compile("adam", "mse")
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous:\s+x sizes: 100\s+y sizes: 90"):
        model.fit(np.zeros((100, 4)), np.zeros((90, 3)))


def test_unknown_loss_lists_names():
    with pytest.raises(ValueError, match="Unknown loss function: 'sparse_crossentropy'.*sparse_categorical"):
        _model().compile("adam", loss="sparse_crossentropy")
    with pytest.raises(ValueError, match="Unknown optimizer"):
        _model().compile("adamm", loss="mse")


def test_softmax_output_loss_is_exact_for_confident_predictions():
    model = _model("softmax", units=2)
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.set_weights([np.zeros((4, 2), np.float32), np.array([0.0, 40.0], np.float32)])
    # softmax rounds p(class 0) to 0 in float32; the loss still comes from the logits: 40
    assert model.evaluate(np.zeros((2, 4)), np.array([0, 0]), verbose=0) == pytest.approx(40.0, rel=1e-4)


def test_losses_match_formulas():
    y_true = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    y_pred = saessak.tensor([[0.2, 0.8], [0.6, 0.4]])
    expected = -(np.log(0.8) + np.log(0.6)) / 2
    assert float(keras.losses.CategoricalCrossentropy()(y_true, y_pred)) == pytest.approx(expected, rel=1e-5)
    assert float(keras.losses.get("sparse_categorical_crossentropy")(np.array([1, 0]), y_pred)) == pytest.approx(
        expected, rel=1e-5)
    assert float(keras.losses.get("mse")(y_true, y_pred)) == pytest.approx(np.mean((y_true - y_pred.numpy()) ** 2))
    assert float(keras.losses.get("mae")(y_true, y_pred)) == pytest.approx(np.mean(np.abs(y_true - y_pred.numpy())))
    logits = saessak.tensor([[2.0], [-1.0]])
    probabilities = 1 / (1 + np.exp(-logits.numpy()))
    bce = -np.mean(np.array([[1.0], [0.0]]) * np.log(probabilities)
                   + np.array([[0.0], [1.0]]) * np.log(1 - probabilities))
    assert float(keras.losses.BinaryCrossentropy(from_logits=True)(np.array([1.0, 0.0]), logits)) == pytest.approx(
        bce, rel=1e-5)
    assert float(keras.losses.get("huber")(np.array([[0.0]]), saessak.tensor([[3.0]]))) == pytest.approx(2.5)


def test_accuracy_resolves_by_loss_and_shapes():
    x = np.random.rand(20, 4).astype(np.float32)
    for loss, y, expected in [("sparse_categorical_crossentropy", np.random.randint(0, 3, 20),
                               "SparseCategoricalAccuracy"),
                              ("categorical_crossentropy", keras.utils.to_categorical(np.random.randint(0, 3, 20), 3),
                               "CategoricalAccuracy")]:
        model = _model("softmax")
        model.compile("adam", loss, metrics=["accuracy"])
        model.fit(x, y, verbose=0)
        assert type(model.metrics[1]).__name__ == expected
    binary = _model("sigmoid", units=1)
    binary.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    logs = binary.evaluate(x, np.random.randint(0, 2, 20), verbose=0, return_dict=True)
    assert type(binary.metrics[1]).__name__ == "BinaryAccuracy" and set(logs) == {"loss", "accuracy"}


def test_optimizer_names_and_defaults():
    assert keras.optimizers.get("adam").learning_rate == 0.001
    assert keras.optimizers.get("sgd").learning_rate == 0.01
    assert keras.optimizers.get("rmsprop").learning_rate == 0.001
    model = _model()
    model.compile(keras.optimizers.Adam(learning_rate=0.01), "mse")
    model.fit(np.zeros((4, 4)), np.zeros((4, 3)), verbose=0)
    torch_optimizer = model.optimizer.torch_optimizer
    assert isinstance(torch_optimizer, saessak.optim.Adam) and torch_optimizer.param_groups[0]["lr"] == 0.01
    model.optimizer.learning_rate = 0.5
    assert torch_optimizer.param_groups[0]["lr"] == 0.5


def test_compile_accepts_saessak_optimizer():
    model = _model()
    optimizer = saessak.optim.SGD(model.parameters(), lr=0.1)
    model.compile(optimizer, "mse")
    before = model.get_weights()[0].copy()
    model.fit(np.ones((4, 4)), np.ones((4, 3)), verbose=0)
    assert not np.array_equal(before, model.get_weights()[0])


def test_progress_line_format(capsys):
    model = _model("softmax")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = np.random.rand(64, 4), np.random.randint(0, 3, 64)
    model.fit(x, y, epochs=2, batch_size=32, validation_data=(x, y))
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4 and "\r" not in out
    pattern = (r"^2/2 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: \d+\.\d{4} - accuracy: \d\.\d{4} - "
               r"val_loss: \d+\.\d{4} - val_accuracy: \d\.\d{4}$")
    assert re.match(pattern, lines[1]), lines[1]


def test_verbose_2_and_0(capsys):
    model = _model()
    model.compile("sgd", "mse")
    model.fit(np.zeros((8, 4)), np.zeros((8, 3)), epochs=1, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/1" and re.match(r"^1/1 - \d+s - loss: \d\.\d{4}.* - \d+(us|ms|s)/epoch - "
                                              r"\d+(us|ms|s)/step$", out[1])
    model.fit(np.zeros((8, 4)), np.zeros((8, 3)), verbose=0)
    model.evaluate(np.zeros((8, 4)), np.zeros((8, 3)), verbose=0)
    assert capsys.readouterr().out == ""
    model.evaluate(np.zeros((8, 4)), np.zeros((8, 3)), verbose=1)
    assert re.match(r"^1/1 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: ", capsys.readouterr().out)


def test_progress_bar_in_place_on_a_terminal():
    import io

    from saessak.keras.progress import Progbar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progbar(3, file=stream)
    for step in (1, 2, 3):
        bar.update(step, {"loss": 1.0 / step}, finalize=False)
    bar.update(3, {"val_loss": 0.5}, finalize=True)
    text = stream.getvalue()
    assert "\r" in text and text.endswith("\n")
    assert "3/3 [==============================]" in text and "val_loss: 0.5000" in text.split("\r")[-1]


def test_validation_split_and_history_plot():
    import matplotlib

    matplotlib.use("Agg")
    model = _model()
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(np.random.rand(50, 4), np.random.rand(50, 3), epochs=3, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert history.params["steps"] == 2  # 40 training samples in batches of 32
    axes = history.plot()
    assert len(axes) == 2 and len(axes[0].lines) == 2
    import matplotlib.pyplot as plt

    plt.close("all")


def test_eager_calls_give_plain_values_and_tapes_record_them():
    import saessak
    from saessak import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)), keras.layers.Dense(3)])
    x = np.random.default_rng(0).standard_normal((32, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0).astype("int64")
    assert model(x[:2]).numpy().shape == (2, 3)  # TensorFlow's beginner tutorial does this
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(learning_rate=0.05)
    first = None
    for _ in range(60):
        with keras.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        assert all(g is not None for g in grads)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        first = loss.item() if first is None else first
    assert loss.item() < 0.5 * first
    assert not model(x).requires_grad and saessak.is_grad_enabled()
