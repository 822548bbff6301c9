"""Peak resident memory of the MLP training run, each framework in its own fresh process.

``python -m benchmarks.memory`` prints, per framework, the peak RSS after importing it and the peak over
100 training steps of the benchmark MLP; the difference is what training itself needed.
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = r"""
import json, os, resource, sys
os.environ.setdefault("OMP_NUM_THREADS", "2")
lib = __import__(sys.argv[1])
if sys.argv[1] == "torch":
    lib.set_num_threads(2)
from benchmarks import workloads
def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
after_import = peak_mib()
run = workloads.make_mlp(lib)
for _ in range(100):
    run()
print(json.dumps({"after_import": after_import, "peak": peak_mib()}))
"""


def measure(framework: str) -> dict:
    """{'after_import': MiB, 'peak': MiB} of a fresh process training the MLP with ``framework``."""
    out = subprocess.run([sys.executable, "-c", _CHILD, framework], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict:
    results = {}
    for framework in ("saessak", "torch"):
        try:
            results[framework] = measure(framework)
        except subprocess.CalledProcessError as error:
            print(f"{framework}: not measured ({error.stderr.strip().splitlines()[-1]})")
            continue
        r = results[framework]
        print(f"{framework:8s} peak RSS {r['peak']:8.1f} MiB  (after import {r['after_import']:.1f} MiB, "
              f"training added {r['peak'] - r['after_import']:.1f} MiB)")
    if len(results) == 2:
        ours, theirs = results["saessak"], results["torch"]
        print(f"saessak/torch peak RSS: {ours['peak'] / theirs['peak']:.2f}; training's own memory: "
              f"{(ours['peak'] - ours['after_import']) / max(theirs['peak'] - theirs['after_import'], 1e-9):.2f}")
    return results


if __name__ == "__main__":
    main()
