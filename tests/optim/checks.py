"""Shared checks for the optimisers: same parameters and gradients in saessak and PyTorch, same updates.

    assert_matches_torch("Adam", dict(lr=0.01, amsgrad=True))
    assert_matches_reference("Adam", dict(lr=0.01), adam_reference)
    assert_resumes_exactly("Adam", dict(lr=0.01))

Gradients are fixed random arrays (one set per step), so the comparison does not depend on a loss; a
second run uses a quartic loss so that the gradients depend on the parameters (and weight decay matters).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import saessak
from tests.helpers import torch

SHAPES = [(3, 4), (5,), (2, 1, 3)]


def initial_arrays(dtype=np.float32, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]


def gradient_sequence(steps: int, dtype=np.float32, seed: int = 1) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(shape).astype(dtype) for shape in SHAPES] for _ in range(steps)]


def make_params(lib, arrays: list[np.ndarray]) -> list:
    return [lib.nn.Parameter(lib.tensor(array.copy())) for array in arrays]


def as_arrays(params) -> list[np.ndarray]:
    return [np.array(p.detach().numpy()) for p in params]


def run_fixed_grads(lib, name: str, kwargs: dict, arrays, grads, *, groups: Callable | None = None):
    """Parameters after one step per entry of ``grads``; ``groups(params)`` may build param groups."""
    params = make_params(lib, arrays)
    optimizer = getattr(lib.optim, name)(groups(params) if groups else params, **kwargs)
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = lib.tensor(g.copy())
        optimizer.step()
    return as_arrays(params), optimizer


def run_quartic(lib, name: str, kwargs: dict, arrays, steps: int):
    """Minimise ``sum(w (p - target)**2 / 2 + p**4 / 20)`` for ``steps`` steps; returns the parameters."""
    targets = initial_arrays(arrays[0].dtype, seed=7)
    rng = np.random.default_rng(8)
    weights = [rng.uniform(0.5, 2.0, array.shape).astype(array.dtype) for array in arrays]
    params = make_params(lib, arrays)
    optimizer = getattr(lib.optim, name)(params, **kwargs)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = sum((lib.tensor(w) * (p - lib.tensor(t)) ** 2 / 2 + p**4 / 20).sum()
                   for p, t, w in zip(params, targets, weights))
        loss.backward()
        optimizer.step()
    return as_arrays(params)


def assert_matches_torch(name: str, kwargs: dict, steps: int = 30, quartic_steps: int = 15) -> None:
    """The same updates as PyTorch, to float32 rounding, with fixed grads, two groups, and a quartic loss."""
    arrays, grads = initial_arrays(), gradient_sequence(steps)
    ours, _ = run_fixed_grads(saessak, name, kwargs, arrays, grads)
    theirs, _ = run_fixed_grads(torch, name, kwargs, arrays, grads)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

    def two_groups(params):  # the second group overrides lr, the first takes the defaults
        return [{"params": params[:1]}, {"params": params[1:], "lr": kwargs.get("lr", 1e-3) * 0.5}]

    ours, _ = run_fixed_grads(saessak, name, kwargs, arrays, grads[:10], groups=two_groups)
    theirs, _ = run_fixed_grads(torch, name, kwargs, arrays, grads[:10], groups=two_groups)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

    if kwargs.get("maximize"):
        return  # ascent on a convex loss diverges; the fixed gradients above cover maximize
    ours = run_quartic(saessak, name, kwargs, arrays, quartic_steps)
    theirs = run_quartic(torch, name, kwargs, arrays, quartic_steps)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def assert_matches_reference(name: str, kwargs: dict, reference: Callable, steps: int = 25,
                             rtol: float = 1e-10) -> None:
    """Agrees in float64 with ``reference(param, grads_over_steps, **kwargs)``, a NumPy transcription of the rule."""
    arrays, grads = initial_arrays(np.float64), gradient_sequence(steps, np.float64)
    ours, _ = run_fixed_grads(saessak, name, kwargs, arrays, grads)
    for index, array in enumerate(arrays):
        expected = reference(array.copy(), [step[index] for step in grads], **kwargs)
        np.testing.assert_allclose(ours[index], expected, rtol=rtol, atol=rtol / 100)


def assert_resumes_exactly(name: str, kwargs: dict) -> None:
    """5 steps, state_dict, a fresh optimiser over fresh copies, load, 5 more == 10 steps in one go."""
    arrays, grads = initial_arrays(), gradient_sequence(10)
    straight, _ = run_fixed_grads(saessak, name, kwargs, arrays, grads)
    halfway, first = run_fixed_grads(saessak, name, kwargs, arrays, grads[:5])
    saved = first.state_dict()
    params = make_params(saessak, halfway)
    second = getattr(saessak.optim, name)(params, **kwargs)
    second.load_state_dict(saved)
    for step_grads in grads[5:]:
        first.step()  # the first optimiser keeps going on its own: the loaded state must not be shared
        for p, g in zip(params, step_grads):
            p.grad = saessak.tensor(g.copy())
        second.step()
    for a, b in zip(as_arrays(params), straight):
        np.testing.assert_array_equal(a, b)


def assert_state_dict_like_torch(name: str, kwargs: dict) -> None:
    """Same group entries, the same state keys per parameter, and state tensors of the same dtype and shape."""
    arrays, grads = initial_arrays(), gradient_sequence(3)
    _, ours = run_fixed_grads(saessak, name, kwargs, arrays, grads)
    _, theirs = run_fixed_grads(torch, name, kwargs, arrays, grads)
    ours, theirs = ours.state_dict(), theirs.state_dict()
    assert ours["param_groups"] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"])
    for index, state in theirs["state"].items():
        assert list(ours["state"][index]) == list(state)
        for key, value in state.items():
            mine = ours["state"][index][key]
            assert str(mine.dtype) == str(value.dtype), key
            assert tuple(mine.shape) == tuple(value.shape), key
            np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=1e-5, atol=1e-6)
