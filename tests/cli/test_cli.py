"""The ``saessak`` command end to end, in subprocesses as a user runs it."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import saessak


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "saessak", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "digits"
    result = _run("train", "--epochs", "3", "--out", str(out), "--seed", "1")
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_train_writes_a_complete_run_folder(digits_run):
    out, stdout = digits_run
    assert sorted(os.listdir(out)) == ["config.json", "curves.png", "history.json", "metrics.json",
                                       "model.safetensors"]
    assert "epoch 3/3" in stdout and "test accuracy:" in stdout
    history = json.loads((out / "history.json").read_text())
    assert len(history["loss"]) == 3 and history["loss"][-1] < history["loss"][0]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["test_accuracy"] > 0.8
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    weights = saessak.load(str(out / "model.safetensors"))
    assert weights["0.weight"].shape == (128, 64)


def test_evaluate_reproduces_the_test_accuracy(digits_run):
    out, _ = digits_run
    result = _run("evaluate", str(out))
    assert result.returncode == 0, result.stderr
    expected = json.loads((out / "metrics.json").read_text())["test_accuracy"]
    assert f"test accuracy: {expected:.4f}" in result.stdout


def test_csv_training_and_prediction(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((120, 2))
    label = np.where(x[:, 0] + x[:, 1] > 0, "yes", "no")
    lines = ["a,b,label"] + [f"{p:.4f},{q:.4f},{y}" for (p, q), y in zip(x, label)]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "new.csv").write_text("a,b\n2.0,2.0\n-2.0,-2.0\n")
    run = tmp_path / "run"
    result = _run("train", "--dataset", str(tmp_path / "data.csv"), "--target", "label", "--model", "logistic",
                  "--epochs", "30", "--lr", "0.05", "--out", str(run))
    assert result.returncode == 0, result.stderr
    result = _run("predict", str(run), str(tmp_path / "new.csv"))
    assert result.returncode == 0, result.stderr
    rows = result.stdout.strip().splitlines()
    assert rows[0] == "row,prediction,probability"
    assert rows[1].startswith("0,yes,") and rows[2].startswith("1,no,")


@pytest.mark.parametrize("args, message", [
    (["train", "--epochs", "0"], "--epochs: must be positive"),
    (["train", "--model", "transformer"], "invalid choice: 'transformer'"),
    (["train", "--dataset", "nope"], "unknown dataset 'nope'"),
    (["train", "--dataset", "iris", "--model", "cnn"], "--model cnn needs an image dataset"),
    (["evaluate", "/no/such/run"], "is not a run folder"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_bad_options_give_one_line_and_status_2(args, message):
    result = _run(*args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_help_on_every_subcommand_and_info():
    for command in ("train", "evaluate", "predict", "info"):
        result = _run(command, "--help")
        assert result.returncode == 0 and "usage: saessak " + command in result.stdout
    result = _run("info")
    assert result.returncode == 0 and "saessak " in result.stdout and "NumPy" in result.stdout
