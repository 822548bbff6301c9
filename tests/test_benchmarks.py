"""The benchmarks measure the right thing: every version computes the same training run, and the CLI reports it."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from benchmarks import workloads
from benchmarks.harness import Result, measure

import saessak
from tests.helpers import requires_torch, torch

ROOT = Path(__file__).resolve().parents[1]


def test_numpy_mlp_is_the_same_training_run_as_saessak():
    ours = workloads.losses_after(saessak, steps=4)
    reference = workloads.numpy_losses_after(steps=4)
    np.testing.assert_allclose(ours, reference, rtol=1e-4)
    assert ours[-1] < ours[0]


@requires_torch
def test_mlp_matches_torch_step_for_step():
    np.testing.assert_allclose(workloads.losses_after(saessak, steps=4), workloads.losses_after(torch, steps=4),
                               rtol=1e-4)


def test_op_chain_leaves_a_gradient():
    x0 = saessak.ones(16, requires_grad=True)
    workloads.op_chain(saessak, x0)
    assert x0.grad.shape == (16,) and bool((x0.grad > 0).all())


def test_harness_medians_spread_and_speedup():
    result = Result("fake", "calls/s", lambda s: 1 / s, True)
    measure(result, {"saessak": lambda: None, "torch": lambda: sum(range(20000))}, repeats=6, settle=0)
    assert len(result.times["saessak"]) == len(result.times["torch"]) == 6
    low, high = result.spread("torch")
    assert low <= result.value("torch") <= high
    assert result.speedup("torch") > 1  # doing nothing beats summing 20000 numbers


def test_cli_prints_a_table_and_writes_json(tmp_path):
    path = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "per_op", "--json", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert "us/op" in done.stdout and f"JSON written to {path}" in done.stdout
    report = json.loads(path.read_text())
    entry = report["results"]["per_op"]
    assert entry["unit"] == "us/op" and entry["median"]["saessak"] > 0
    assert len(entry["seconds_per_repeat"]["saessak"]) == 3
    assert report["meta"]["threads"] == 2


@requires_torch
def test_adam_workload_agrees_with_torch():
    np.testing.assert_allclose(workloads.adam_trajectory(saessak), workloads.adam_trajectory(torch), rtol=1e-5,
                               atol=1e-6)
    workloads.make_adam(saessak, n=4)()


def test_loader_workload_covers_an_epoch(monkeypatch):
    monkeypatch.setattr(workloads, "LOADER_SAMPLES", 1000)
    workloads.make_loader_epoch(saessak)()  # asserts every sample is seen once


def test_memory_script_measures_saessak():
    from benchmarks import memory

    result = memory.measure("saessak")
    assert 0 < result["after_import"] <= result["peak"]
