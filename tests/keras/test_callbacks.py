"""Callbacks: hook order, EarlyStopping, ReduceLROnPlateau, CSVLogger, ModelCheckpoint, LambdaCallback."""

import csv

import numpy as np

from saessak import keras
from saessak.keras import callbacks, layers


def _model():
    model = keras.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(keras.optimizers.SGD(learning_rate=0.1), "mse")
    return model


def _data(n=16):
    x = np.random.rand(n, 2).astype(np.float32)
    return x, x.sum(1, keepdims=True)


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(f"epoch_begin {epoch}")

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(f"batch_begin {batch}")

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(f"batch_end {batch} {sorted(logs)}")

    def on_test_begin(self, logs=None):
        self.events.append("test_begin")

    def on_test_end(self, logs=None):
        self.events.append("test_end")

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs=None):
        self.events.append("train_end")


def test_hooks_fire_in_order():
    recorder = Recorder()
    x, y = _data(8)
    _model().fit(x, y, batch_size=4, epochs=2, validation_data=(x, y), callbacks=[recorder], verbose=0)
    assert recorder.events[:7] == [
        "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0 ['loss']", "batch_begin 1",
        "batch_end 1 ['loss']", "test_begin"]
    assert recorder.events[7:9] == ["test_end", "epoch_end 0 ['loss', 'val_loss']"]
    assert recorder.events[-1] == "train_end" and len(recorder.events) == 18
    assert recorder.params["epochs"] == 2 and recorder.model is not None


def test_early_stopping_stops_and_restores_best_weights():
    model = _model()
    losses = iter([1.0, 0.5, 0.6, 0.7, 0.8, 0.9])
    snapshots = []

    class FakeValidation(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(losses)
            snapshots.append(self.model.get_weights())

    stop = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    x, y = _data()
    history = model.fit(x, y, epochs=6, callbacks=[FakeValidation(), stop], verbose=0)
    assert len(history.epoch) == 4 and stop.stopped_epoch == 3 and stop.best_epoch == 1
    for restored, best in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(restored, best)


def test_reduce_lr_on_plateau_lowers_the_saessak_lr():
    model = _model()
    x, y = _data()
    reduce = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10.0, min_lr=0.03)
    history = model.fit(x, y, epochs=4, callbacks=[reduce], verbose=0)
    assert model.optimizer.torch_optimizer.param_groups[0]["lr"] == 0.03
    assert history.history["lr"][0] == 0.1 and history.history["lr"][-1] == 0.03


def _rows(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def test_csv_logger_writes_rows(tmp_path):
    path = tmp_path / "log.csv"
    x, y = _data()
    _model().fit(x, y, epochs=3, validation_split=0.25, callbacks=[callbacks.CSVLogger(path)], verbose=0)
    rows = _rows(path)
    assert [row["epoch"] for row in rows] == ["0", "1", "2"] and set(rows[0]) == {"epoch", "loss", "val_loss"}
    _model().fit(x, y, epochs=1, callbacks=[callbacks.CSVLogger(path, append=True)], verbose=0)
    assert len(_rows(path)) == 4


def test_model_checkpoint_writes_files(tmp_path):
    x, y = _data()
    pattern = str(tmp_path / "ckpt-{epoch:02d}-{loss:.2f}.weights")
    model = _model()
    model.fit(x, y, epochs=2, callbacks=[callbacks.ModelCheckpoint(pattern, monitor="loss",
                                                                   save_weights_only=True)], verbose=0)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and names[0].startswith("ckpt-01-") and names[1].startswith("ckpt-02-")
    best = tmp_path / "best.keras"
    model.fit(x, y, epochs=2, callbacks=[callbacks.ModelCheckpoint(best, monitor="loss", save_best_only=True)],
              verbose=0)
    restored = keras.models.load_model(best)
    assert restored.predict(x).shape == (16, 1)


def test_lambda_callback_and_stop_training():
    seen = []

    def on_epoch_end(epoch, logs):
        seen.append(epoch)
        if epoch == 1:
            model.stop_training = True

    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=5, callbacks=[callbacks.LambdaCallback(on_epoch_end=on_epoch_end)], verbose=0)
    assert seen == [0, 1]
