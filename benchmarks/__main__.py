"""Run the benchmarks: ``python -m benchmarks [--quick] [--only NAME] [--json PATH]``.

Every workload runs with saessak and, when it is installed, PyTorch, in this one process, interleaved,
with the same thread count (2); the table reports medians (min-max in brackets) and saessak's ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402

import saessak  # noqa: E402

from . import workloads  # noqa: E402
from .harness import Result, measure  # noqa: E402

try:
    import torch

    torch.set_num_threads(2)
except ImportError:  # the table then shows saessak alone
    torch = None


def _libs() -> dict:
    libs = {"saessak": saessak}
    if torch is not None:
        libs["torch"] = torch
    return libs


def bench_per_op(repeats: int) -> Result:
    n = workloads.CHAIN_LENGTH
    result = Result("per-op forward+backward (200 ops on (16,))", "us/op", lambda s: s / n * 1e6, False)
    return measure(result, {name: workloads.make_op_chain(lib) for name, lib in _libs().items()}, repeats)


def bench_mlp(repeats: int) -> Result:
    batch = workloads.BATCH
    result = Result("MLP 784-512-512-10 SGD step, batch 128", "samples/s", lambda s: batch / s, True)
    runners = {name: workloads.make_mlp(lib) for name, lib in _libs().items()}
    runners["numpy"] = workloads.make_numpy_mlp()
    measure(result, runners, repeats)
    # a fast wrong answer must not win: every version's loss curve from the same start must agree
    ours = workloads.losses_after(saessak)
    references = {"numpy": workloads.numpy_losses_after(len(ours))}
    if torch is not None:
        references["torch"] = workloads.losses_after(torch, len(ours))
    for name, theirs in references.items():
        same = np.allclose(ours, theirs, rtol=1e-3, atol=1e-4)
        result.checks[name] = same
        result.notes.append(f"loss check vs {name} after {len(ours)} steps: {'PASS' if same else 'FAIL'} "
                            f"(saessak {ours[-1]:.5f}, {name} {theirs[-1]:.5f})")
    result.notes.append(f"loss falls {ours[0]:.4f} -> {ours[-1]:.4f}")
    return result


def bench_mlp_modules(repeats: int) -> Result:
    batch = workloads.BATCH
    result = Result("MLP 784-512-512-10 with nn.Linear, CrossEntropyLoss, SGD momentum, batch 128", "samples/s",
                    lambda s: batch / s, True)
    measure(result, {name: workloads.make_module_mlp(lib) for name, lib in _libs().items()}, repeats)
    if torch is not None:
        ours, theirs = workloads.module_losses_after(saessak), workloads.module_losses_after(torch)
        same = np.allclose(ours, theirs, rtol=1e-3, atol=1e-4)
        result.checks["torch"] = same
        result.notes.append(f"loss check vs torch after {len(ours)} steps: {'PASS' if same else 'FAIL'} "
                            f"(saessak {ours[-1]:.5f}, torch {theirs[-1]:.5f})")
    return result


def bench_inference(repeats: int, batch: int) -> Result:
    if batch == 1:
        result = Result("MLP inference, batch 1, no_grad", "us", lambda s: s * 1e6, False)
    else:
        result = Result(f"MLP inference, batch {batch}, no_grad", "samples/s", lambda s: batch / s, True)
    runners = {name: workloads.make_inference(lib, batch) for name, lib in _libs().items()}
    return measure(result, runners, repeats)


def bench_lenet(repeats: int) -> Result:
    result = Result("LeNet CNN training step, 1x28x28, batch 64", "samples/s", lambda s: 64 / s, True)
    return measure(result, {name: workloads.make_lenet(lib) for name, lib in _libs().items()}, repeats)


def bench_lstm(repeats: int) -> Result:
    result = Result("LSTM 64->128, seq 32, batch 32, forward+backward", "sequences/s", lambda s: 32 / s, True)
    return measure(result, {name: workloads.make_lstm(lib) for name, lib in _libs().items()}, repeats)


def bench_adam(repeats: int) -> Result:
    result = Result("Adam step over 100 parameter tensors", "ms", lambda s: s * 1e3, False)
    measure(result, {name: workloads.make_adam(lib) for name, lib in _libs().items()}, repeats * 2)
    if torch is not None:
        same = np.allclose(workloads.adam_trajectory(saessak), workloads.adam_trajectory(torch), rtol=1e-5,
                           atol=1e-6)
        result.checks["torch"] = same
        result.notes.append(f"parameters after 10 AMSGrad steps agree with torch: {'PASS' if same else 'FAIL'}")
    return result


def bench_loader(repeats: int) -> Result:
    result = Result("DataLoader epoch, 60,000 x 784 floats, batch 128, shuffle", "samples/s",
                    lambda s: workloads.LOADER_SAMPLES / s, True)
    runs = max(3, repeats // 3)
    return measure(result, {name: workloads.make_loader_epoch(lib) for name, lib in _libs().items()}, runs,
                   rounds=min(3, runs))


BENCHMARKS = {
    "per_op": bench_per_op,
    "mlp": bench_mlp,
    "mlp_modules": bench_mlp_modules,
    "inference_1": lambda r: bench_inference(r * 10, 1),
    "inference_1024": lambda r: bench_inference(r, 1024),
    "lenet": bench_lenet,
    "lstm": bench_lstm,
    "adam": bench_adam,
    "loader": bench_loader,
}


def _format(result: Result) -> list[str]:
    lines = [f"{result.name} [{result.unit}]"]
    for name in result.times:
        low, high = result.spread(name)
        lines.append(f"  {name:8s} {result.value(name):12.2f}   ({min(low, high):.2f} - {max(low, high):.2f})")
    if "torch" in result.times:
        ratio = result.value("saessak") / result.value("torch")
        word = "throughput" if result.higher_is_better else "time"
        lines.append(f"  saessak/torch {word} ratio: {ratio:.3f}")
    if "numpy" in result.times:
        lines.append(f"  saessak/numpy throughput fraction: {result.value('saessak') / result.value('numpy'):.3f}")
    lines += [f"  {note}" for note in result.notes]
    return lines


def _summary(results: dict[str, Result]) -> list[str]:
    """One row per workload: medians side by side and saessak's ratio (>1 is better for saessak)."""
    rows = [f"{'workload':16s} {'unit':>12s} {'saessak':>12s} {'torch':>12s} {'numpy':>12s} {'speedup':>8s}"]
    for key, result in results.items():
        cells = [f"{result.value(fw):12.4g}" if fw in result.times else f"{'-':>12s}"
                 for fw in ("saessak", "torch", "numpy")]
        speedup = f"{result.speedup('torch'):7.2f}x" if "torch" in result.times else f"{'-':>8s}"
        rows.append(f"{key:16s} {result.unit:>12s} {' '.join(cells)} {speedup}")
    rows.append("speedup: saessak vs torch in this run (throughput ratio, or inverse time ratio); >1 = faster")
    return rows


def _to_json(result: Result) -> dict:
    entry = {
        "name": result.name,
        "unit": result.unit,
        "higher_is_better": result.higher_is_better,
        "median": {fw: result.value(fw) for fw in result.times},
        "min_max": {fw: result.spread(fw) for fw in result.times},
        "seconds_per_repeat": result.times,
        "checks": result.checks,
        "notes": result.notes,
    }
    if "torch" in result.times:
        entry["speedup_vs_torch"] = result.speedup("torch")
    return entry


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats (a smoke run)")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="run only these")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/latest.json"), help="where to write JSON")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 15
    meta = {"saessak": saessak.__version__, "torch": torch.__version__ if torch else None,
            "numpy": np.__version__, "python": platform.python_version(), "threads": 2, "repeats": repeats,
            "machine": platform.machine(), "cpus": os.cpu_count()}
    print(", ".join(f"{key} {value}" for key, value in meta.items()))
    results = {}
    for name in args.only or BENCHMARKS:
        results[name] = BENCHMARKS[name](repeats)
        print("\n".join(_format(results[name])), flush=True)
    print()
    print("\n".join(_summary(results)))
    failed = [f"{name} vs {ref}" for name, r in results.items() for ref, ok in r.checks.items() if not ok]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {"meta": meta, "results": {name: _to_json(result) for name, result in results.items()}}
    args.json.write_text(json.dumps(report, indent=2))
    print(f"JSON written to {args.json}")
    if failed:
        print(f"FAIL: results disagree ({', '.join(failed)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
