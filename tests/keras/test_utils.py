"""keras.utils (to_categorical, plot_model) and keras.datasets."""

import gzip
import shutil
import struct

import numpy as np
import pytest

from saessak import keras
from saessak.keras import layers


def test_to_categorical():
    np.testing.assert_array_equal(keras.utils.to_categorical([0, 2, 1]), np.eye(3, dtype=np.float32)[[0, 2, 1]])
    assert keras.utils.to_categorical(np.array([[1], [3]]), num_classes=5).shape == (2, 5)


def _model():
    inputs = keras.Input(shape=(4,), name="features")
    x = layers.Dense(8, activation="relu", name="hidden")(inputs)
    return keras.Model(inputs, layers.Dense(2, name="scores")(x))


def test_model_to_dot_text():
    dot = keras.utils.model_to_dot(_model(), show_shapes=True)
    assert dot.startswith("digraph") and dot.count("->") == 2
    assert "hidden: Dense" in dot and "(None, 8)" in dot and "features: InputLayer" in dot
    sequential = keras.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)])
    assert keras.utils.model_to_dot(sequential).count("->") == 2


def _graphviz_available():
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


@pytest.mark.skipif(not _graphviz_available(), reason="needs the graphviz package and the dot program")
@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<")])
def test_plot_model_files(tmp_path, suffix, magic):
    path = tmp_path / f"model.{suffix}"
    keras.utils.plot_model(_model(), to_file=str(path), show_shapes=True)
    assert path.read_bytes().lstrip()[:4].startswith(magic)


@pytest.mark.skipif(_graphviz_available(), reason="graphviz is installed")
def test_plot_model_explains_how_to_install(tmp_path):
    with pytest.raises((ImportError, RuntimeError), match="apt install graphviz"):
        keras.utils.plot_model(_model(), to_file=str(tmp_path / "model.png"))


def _write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as file:
        file.write(header + array.astype(np.uint8).tobytes())


@pytest.mark.parametrize("module, folder", [("mnist", "MNIST"), ("fashion_mnist", "FashionMNIST")])
def test_load_data_from_cached_files(tmp_path, module, folder):
    raw = tmp_path / folder / "raw"
    raw.mkdir(parents=True)
    images = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    for prefix, count in (("train", 3), ("t10k", 2)):
        _write_idx(raw / f"{prefix}-images-idx3-ubyte.gz", images[:count])
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte.gz", np.arange(count))
    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, module).load_data(path=str(tmp_path))
    assert x_train.dtype == np.uint8 and x_train.shape == (3, 28, 28) and x_test.shape == (2, 28, 28)
    np.testing.assert_array_equal(y_train, [0, 1, 2])
    assert y_test.dtype == np.uint8
