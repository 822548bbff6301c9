"""The examples that reproduce the seed notes run, learn what they say they learn, and write what they promise.

Each example is imported from ``examples/`` and its ``main(...)`` called, with fewer steps where the full
run would be slow; one runs as a script, the way a newcomer starts it.
"""

import dataclasses
import gzip
import importlib.util
import math
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _example(name: str):
    """Import ``examples/<name>.py`` as a module (the examples folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_seed_example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_perceptrons_learn_and_or_nand_but_need_a_hidden_layer_for_xor(capsys):
    results = _example("perceptron_logic_gates").main(epochs=1000)
    for name in ("and", "or", "nand"):
        assert results["gates"][name]["correct"] == 4, name
    assert results["xor_perceptron_best"] < 4
    assert results["xor_grid_best"] == 3  # three of four is the best any line does on XOR
    assert results["xor_mlp_correct"] == 4
    assert results["xor_mlp_losses"][-1] < 0.05
    assert "(4/4 correct)" in capsys.readouterr().out


def test_linear_regression_by_hand_and_with_nn_linear_recover_the_line():
    results = _example("linear_regression").main()
    for name in ("by_hand", "nn_linear"):
        w0, w1 = results[name]
        assert abs(w0 - 2.5) < 0.1 and abs(w1 - 4.0) < 0.1, (name, w0, w1)
        losses = results[name + "_losses"]
        assert losses[-1] < losses[0] / 100
    # the hand-written update and optim.SGD are the same algorithm from the same start
    assert results["by_hand"] == pytest.approx(results["nn_linear"], abs=1e-4)


def test_logistic_regression_recovers_w0_and_w1():
    results = _example("logistic_regression").main(n=4000, epochs=300)
    for name in ("sigmoid_bce", "bce_with_logits"):
        w0, w1 = results[name]
        assert abs(w0 - -1.0) < 0.5 and abs(w1 - 5.0) < 0.5, (name, w0, w1)
        assert results[name + "_losses"][-1] < results[name + "_losses"][0]
    assert results["sigmoid_bce"] == pytest.approx(results["bce_with_logits"], abs=1e-2)


def test_iris_mlp_reaches_ninety_percent_and_draws_its_curves(tmp_path):
    out = tmp_path / "iris.png"
    results = _example("iris_mlp").main(epochs=30, out=str(out))
    assert results["test_accuracy"] >= 0.9
    history = results["history"]
    assert all(len(history[key]) == 30 for key in ("loss", "accuracy", "val_loss", "val_accuracy"))
    assert history["loss"][-1] < history["loss"][0]
    assert out.read_bytes().startswith(b"\x89PNG")


def test_iris_mlp_runs_as_a_script(tmp_path):
    out = tmp_path / "curves.png"
    done = subprocess.run([sys.executable, str(EXAMPLES / "iris_mlp.py"), "--epochs", "10", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "test accuracy" in done.stdout and str(out) in done.stdout
    assert out.stat().st_size > 1000


def test_digits_mlp_reaches_ninety_five_percent():
    results = _example("digits_mlp").main()
    assert results["test_accuracy"] >= 0.95
    assert results["losses"][-1] < results["losses"][0] / 5


def _write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file as MNIST ships it: magic (0, 0, 8 for uint8, ndim), big-endian sizes, then the bytes."""
    header = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


def test_digits_mlp_trains_on_fashion_mnist_files_placed_by_hand(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 64), ("t10k", 32)):
        labels = np.arange(n) % 10
        images = (labels[:, None, None] * 25 + rng.integers(0, 10, (n, 28, 28))).astype(np.uint8)
        _write_idx(raw / f"{prefix}-images-idx3-ubyte.gz", images)
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte.gz", labels)
    results = _example("digits_mlp").main(dataset="fashion-mnist", root=str(tmp_path), epochs=3)
    assert len(results["losses"]) == 3
    assert 0.0 <= results["test_accuracy"] <= 1.0


def test_digits_mlp_without_fashion_mnist_stops_with_the_datasets_message(tmp_path, monkeypatch):
    module = _example("digits_mlp")
    # a closed local port: the download fails at once, with or without a network
    unreachable = tuple(dataclasses.replace(r, urls=(f"http://127.0.0.1:9/{r.filename}",))
                        for r in module.FashionMNIST.resources)
    monkeypatch.setattr(module.FashionMNIST, "resources", unreachable)
    with pytest.raises(SystemExit) as exit_info:
        module.main(dataset="fashion-mnist", root=str(tmp_path))
    message = str(exit_info.value.code)
    assert "Fashion-MNIST is not available" in message
    assert str(tmp_path / "FashionMNIST" / "raw" / "train-images-idx3-ubyte.gz") in message


def test_digits_cnn_reaches_ninety_five_percent():
    results = _example("digits_cnn").main(epochs=10)
    assert results["test_accuracy"] >= 0.95
    assert results["losses"][-1] < results["losses"][0] / 5


def test_char_lstm_learns_the_text_and_samples_from_its_vocabulary():
    results = _example("char_lstm").main(steps=150, sample_length=200)
    uniform = results["uniform_loss"]
    assert results["uniform_loss"] == pytest.approx(math.log(len(results["vocabulary"])))
    assert results["losses"][0] == pytest.approx(uniform, abs=0.3)  # an untrained model guesses uniformly
    assert results["final_loss"] < 0.5 * uniform
    sample = results["sample"]
    assert sample.startswith("Alice ") and len(sample) == len("Alice ") + 200
    assert set(sample) <= set(results["vocabulary"])


def test_char_lstm_data_file_names_its_public_domain_source():
    header = (EXAMPLES / "data" / "alice.txt").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("#") and "Lewis Carroll" in header
    assert "#" not in _example("char_lstm").load_text()[:1]


def test_monte_carlo_estimates_and_maximum_likelihood_fits():
    results = _example("monte_carlo_mle").main(samples=100_000, steps=500)
    for estimate, standard_error, exact in results["monte_carlo"].values():
        assert abs(estimate - exact) < 4 * standard_error + 1e-3
    normal = results["normal"]
    assert normal["loc"] == pytest.approx(normal["sample_mean"], abs=1e-3)
    assert normal["scale"] == pytest.approx(normal["sample_std"], abs=1e-3)
    assert normal["loc"] == pytest.approx(3.0, abs=0.1) and normal["scale"] == pytest.approx(0.5, abs=0.05)
    bernoulli = results["bernoulli"]
    assert bernoulli["p"] == pytest.approx(bernoulli["sample_mean"], abs=1e-3)
