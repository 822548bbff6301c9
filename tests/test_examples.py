"""The examples run as a newcomer would run them, and print what they promise."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], capture_output=True, text=True,
                          timeout=300, check=True)
    return done.stdout


def test_train_tiny_learns_the_spirals():
    out = _run("train_tiny.py", "--epochs", "200")
    losses = [float(v) for v in re.findall(r"loss (\d+\.\d+)", out)]
    assert losses[-1] < losses[0] / 5
    test_accuracy = float(re.search(r"test accuracy (\d\.\d+)", out).group(1))
    assert test_accuracy > 0.9


def test_autograd_basics_prints_the_seed_values():
    out = _run("autograd_basics.py")
    assert "tensor(20.)" in out
    assert "tensor(3., grad_fn=<MulBackward0>) tensor(6.)" in out
    assert "[6.7500, 6.7500]" in out and "[13.5000, 13.5000]" in out
    assert "tensor([2.0000e-01, 2.0000e+00, 2.0000e-04])" in out
