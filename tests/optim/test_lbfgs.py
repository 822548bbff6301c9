"""optim/lbfgs.py: L-BFGS against PyTorch, and against the exact minimiser of a quadratic."""

import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch

CONFIGS = [
    dict(),
    dict(lr=0.5, history_size=3),
    dict(line_search_fn="strong_wolfe"),
    dict(line_search_fn="strong_wolfe", history_size=2, max_iter=8),
]


def _rosenbrock(lib, dtype, config, outer_steps=3):
    """Run ``outer_steps`` L-BFGS steps on a 6-d Rosenbrock function; returns (x, losses, state)."""
    start = (np.random.default_rng(1).standard_normal(6) * 0.5 - 1).astype(dtype)
    x = lib.tensor(start, requires_grad=True)
    opt = lib.optim.LBFGS([x], max_iter=config.pop("max_iter", 10), **config)

    def closure():
        opt.zero_grad()
        loss = (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
        loss.backward()
        return loss

    losses = [float(opt.step(closure).detach()) for _ in range(outer_steps)]
    return x.detach().numpy().copy(), losses, opt.state_dict()["state"][0]


@requires_torch
@pytest.mark.parametrize("config", CONFIGS)
def test_matches_torch_in_float64(config):
    ours = _rosenbrock(saessak, np.float64, dict(config))
    theirs = _rosenbrock(torch, np.float64, dict(config))
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-8)
    assert ours[2]["func_evals"] == theirs[2]["func_evals"] and ours[2]["n_iter"] == theirs[2]["n_iter"]


@requires_torch
@pytest.mark.parametrize("config", CONFIGS)
def test_matches_torch_in_float32(config):
    # Rosenbrock is ill-conditioned, so float32 sums taken in a different order drift a little
    ours = _rosenbrock(saessak, np.float32, dict(config), outer_steps=2)
    theirs = _rosenbrock(torch, np.float32, dict(config), outer_steps=2)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-3, atol=1e-3)
    assert ours[2]["n_iter"] == theirs[2]["n_iter"]


@requires_torch
def test_state_dict_keys_match_torch():
    config = dict(line_search_fn="strong_wolfe")
    ours, theirs = _rosenbrock(saessak, np.float64, dict(config))[2], _rosenbrock(torch, np.float64, config)[2]
    assert sorted(ours) == sorted(theirs)
    assert len(ours["old_dirs"]) == len(theirs["old_dirs"])


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_finds_the_minimum_of_a_quadratic(line_search_fn):
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((5, 5))
    matrix = matrix @ matrix.T + 5 * np.eye(5)
    vector = rng.standard_normal(5)
    a, b = saessak.tensor(matrix), saessak.tensor(vector)
    x = saessak.zeros(5, dtype=saessak.float64, requires_grad=True)
    opt = saessak.optim.LBFGS([x], lr=1 if line_search_fn else 0.2, max_iter=100, line_search_fn=line_search_fn,
                              tolerance_grad=1e-12, tolerance_change=1e-14)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (x @ (a @ x)) - (b * x).sum()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(x.detach().numpy(), np.linalg.solve(matrix, vector), rtol=1e-5, atol=1e-7)
    assert opt.state[x]["func_evals"] > 1


def test_errors_teach():
    x = saessak.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        saessak.optim.LBFGS([{"params": [x]}, {"params": [saessak.zeros(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="only 'strong_wolfe' is supported"):
        saessak.optim.LBFGS([x], line_search_fn="backtracking")
    with pytest.raises(ValueError, match="Invalid learning rate"):
        saessak.optim.LBFGS([x], lr=-1)
    with pytest.raises(RuntimeError, match="needs a closure"):
        saessak.optim.LBFGS([x]).step(None)
