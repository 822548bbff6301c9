"""One op-checking helper for every op: saessak against PyTorch and against central differences.

    check_op(lambda lib, x, y: lib.add(x, y), (3, 4), (4,))
    check_op(lambda lib, x: x.exp(), np.array([...]))

``fn(lib, *tensors)`` is called with ``lib`` = saessak and, when importable, ``lib`` = torch, on the same
float64 inputs (shapes become random normal arrays). The helper compares forward values, dtypes and
shapes, every input's gradient (through a random weighting of the outputs), runs a numerical
``gradcheck`` in float64 and, for smooth ops, ``gradgradcheck``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import saessak

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - torch is the optional oracle
    torch = None

requires_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed (test oracle only)")


def _as_array(spec, rng) -> np.ndarray:
    if isinstance(spec, np.ndarray):
        return spec
    if isinstance(spec, tuple):
        return rng.standard_normal(spec)
    return np.asarray(spec)


def _outputs(value) -> list:
    if isinstance(value, tuple | list):
        return [v for v in value if hasattr(v, "shape") and not isinstance(v, np.ndarray)]
    return [value]


def to_numpy(t) -> np.ndarray:
    """A saessak or torch tensor (or number) as a NumPy array."""
    if torch is not None and isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    if isinstance(t, saessak.Tensor):
        return np.asarray(t.detach().numpy())
    return np.asarray(t)


def check_op(
    fn: Callable,
    *specs,
    grad: bool | tuple = True,
    gradgrad: bool = True,
    atol: float = 1e-6,
    rtol: float = 1e-5,
    seed: int = 0,
    check_torch: bool = True,
    check_dtype: bool = True,
    numerical: bool = True,
) -> list:
    """Check ``fn`` on saessak (forward, gradients, gradcheck, gradgradcheck) and against torch.

    ``specs``: shapes (random normal float64 inputs) or arrays (used as given; integer arrays are passed
    as non-differentiable tensors). ``grad``: False for non-differentiable ops, or a tuple of booleans
    naming which inputs get gradients. ``numerical=False`` skips the central-difference checks (for inputs at
    a kink, such as ties, where only torch's gradient is a meaningful reference). Returns saessak's outputs.
    """
    rng = np.random.default_rng(seed)
    arrays = [_as_array(s, rng) for s in specs]
    wants = grad if isinstance(grad, tuple) else tuple(
        bool(grad) and a.dtype.kind == "f" for a in arrays
    )

    def make(lib, tensor_fn):
        return [tensor_fn(a.copy(), w) for a, w in zip(arrays, wants)]

    ours_in = make(saessak, lambda a, w: saessak.tensor(a, requires_grad=w))
    ours = _outputs(fn(saessak, *ours_in))
    for o in ours:
        assert isinstance(o, saessak.Tensor), f"expected a saessak Tensor, got {type(o)}"

    if torch is not None and check_torch:
        theirs_in = make(torch, lambda a, w: torch.tensor(a, requires_grad=w))
        theirs = _outputs(fn(torch, *theirs_in))
        assert len(ours) == len(theirs), "number of outputs differs from torch"
        for o, t in zip(ours, theirs):
            assert tuple(o.shape) == tuple(t.shape), f"shape {tuple(o.shape)} != torch's {tuple(t.shape)}"
            if check_dtype:
                assert str(o.dtype) == str(t.dtype), f"dtype {o.dtype} != torch's {t.dtype}"
            np.testing.assert_allclose(to_numpy(o), to_numpy(t), atol=atol, rtol=rtol, equal_nan=True)
        if any(wants):
            weights = [rng.standard_normal(tuple(o.shape)) for o in ours]
            diff = [(o, t, w) for o, t, w in zip(ours, theirs, weights) if o.requires_grad]
            if diff:
                sum(((o * saessak.tensor(w, dtype=o.dtype)).sum() for o, t, w in diff),
                    start=saessak.tensor(0.0, dtype=saessak.float64)).backward()
                sum(((t * torch.tensor(w, dtype=t.dtype)).sum() for o, t, w in diff),
                    start=torch.tensor(0.0, dtype=torch.float64)).backward()
                for i, (a, b, w) in enumerate(zip(ours_in, theirs_in, wants)):
                    if not w:
                        continue
                    if b.grad is None:
                        assert a.grad is None or not np.any(to_numpy(a.grad)), f"input {i}: torch has no grad"
                        continue
                    assert a.grad is not None, f"input {i}: no gradient, torch has one"
                    np.testing.assert_allclose(to_numpy(a.grad), to_numpy(b.grad), atol=atol * 10, rtol=rtol * 10,
                                               err_msg=f"gradient of input {i} differs from torch")

    if any(wants) and numerical:
        inputs = [saessak.tensor(a.copy(), requires_grad=w) for a, w in zip(arrays, wants)]
        assert saessak.autograd.gradcheck(lambda *xs: fn(saessak, *xs), tuple(inputs), atol=1e-5, rtol=1e-3)
        if gradgrad:
            assert saessak.autograd.gradgradcheck(lambda *xs: fn(saessak, *xs), tuple(inputs), atol=1e-4,
                                                  rtol=1e-3)
    return ours
