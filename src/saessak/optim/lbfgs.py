"""``LBFGS``: limited-memory BFGS, a quasi-Newton method that re-evaluates the loss through a closure.

All parameters are handled as one flat vector. Scalars (dot products, step lengths) stay in the
parameters' dtype, as PyTorch keeps them in 0-d tensors, so the iterates round the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..backend import get_array_module
from .optimizer import Optimizer, ParamsT, _check_range, _scalar

__all__ = ["LBFGS"]


def _sqrt(x):
    return np.sqrt(x) if isinstance(x, np.generic | float | int) else x**0.5


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to ``bounds``."""
    if bounds is not None:
        low, high = bounds
    else:
        low, high = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = _sqrt(d2_square)
        if x1 <= x2:
            position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(position, low), high)
    return (low + high) / 2.0


def _strong_wolfe(evaluate, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Line search for a step ``t`` along ``d`` meeting the strong Wolfe conditions (Nocedal & Wright, alg. 3.5).

    ``evaluate(x, t, d)`` returns ``(loss, flat_grad)`` at ``x + t d``. Returns ``(loss, grad, t, evaluations)``.
    """
    xp = get_array_module(d)
    d_norm = xp.abs(d).max()
    g = g.copy()
    f_new, g_new = evaluate(x, t, d)
    evaluations = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    # bracketing phase: grow t until an interval holds a point satisfying the conditions
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        previous = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = previous, f_new, g_new.copy(), gtd_new
        f_new, g_new = evaluate(x, t, d)
        evaluations += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom phase: shrink the bracket until a point satisfies the conditions
    insufficient_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        # keep away from the bracket's ends so the interval keeps shrinking
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insufficient_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = evaluate(x, t, d)
        evaluations += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], evaluations


def _pack(value: Any) -> Any:
    """State as PyTorch stores it: arrays and array scalars become Tensors, lists stay lists."""
    if isinstance(value, list):
        return [_pack(v) for v in value]
    if isinstance(value, np.generic):
        return Tensor._make(np.asarray(value))
    if hasattr(value, "shape") and not isinstance(value, Tensor):
        return Tensor._make(value)
    return value


def _unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [_unpack(v) for v in value]
    if isinstance(value, Tensor):
        data = value._data
        return data[()] if isinstance(data, np.ndarray) and data.ndim == 0 else data
    return value


class LBFGS(Optimizer):
    r"""L-BFGS (Nocedal & Wright, *Numerical Optimization*, algorithm 7.4), optionally with a strong-Wolfe search.

    Each ``step(closure)`` runs up to ``max_iter`` iterations. With ``s_k = x_{k+1} - x_k`` and
    ``y_k = g_{k+1} - g_k`` from the last ``history_size`` iterations, the direction is ``d = -H g``, where
    ``H g`` comes from the two-loop recursion with initial scaling ``H_0 = (s.y) / (y.y)``::

        q = g ;  for i newest..oldest: a_i = rho_i s_i.q ;  q = q - a_i y_i
        r = H_0 q ;  for i oldest..newest: b = rho_i y_i.r ;  r = r + (a_i - b) s_i
        x = x + t d     (t = lr, the first iteration min(1, 1/|g|_1) lr, or from the line search)

    Stops early when ``max|g| <= tolerance_grad`` or the step or loss change falls below
    ``tolerance_change``. All parameters form one group; ``closure`` must clear the grads, compute the loss,
    call ``backward()`` and return the loss.

    >>> opt = saessak.optim.LBFGS(model.parameters(), line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); return loss
    >>> opt.step(closure)
    """

    def __init__(self, params: ParamsT, lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                        tolerance_change=tolerance_change, history_size=history_size, line_search_fn=line_search_fn)
        self._check_group(defaults)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups); "
                             "pass one list of parameters")
        self._params = self.param_groups[0]["params"]

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_range("LBFGS", "lr", group["lr"], label="learning rate")
        if group["line_search_fn"] not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: only 'strong_wolfe' is supported as line_search_fn (or None), "
                             f"got {group['line_search_fn']!r}")
        if group["max_iter"] < 1 or group["history_size"] < 1:
            raise ValueError(f"LBFGS expects max_iter >= 1 and history_size >= 1, got max_iter={group['max_iter']}, "
                             f"history_size={group['history_size']}")

    # ------------------------------------------------------------------ the flat view of all parameters
    def _gather_flat_grad(self):
        xp = self._params[0]._xp()
        parts = [xp.zeros(p._data.size, p._data.dtype) if p._grad is None else p._grad._data.reshape(-1)
                 for p in self._params]
        return xp.concatenate(parts)

    def _add_grad(self, step_size, update) -> None:
        offset = 0
        for p in self._params:
            param = p._data
            size = param.size
            view = update[offset:offset + size].reshape(param.shape)
            p._xp().add(param, view * step_size, out=param)
            p._vc[0] += 1
            offset += size

    def _set_param(self, saved: list) -> None:
        for p, data in zip(self._params, saved):
            p._xp().copyto(p._data, data)
            p._vc[0] += 1

    def _directional_evaluate(self, closure: Callable, x: list, t, d):
        self._add_grad(t, d)
        loss = float(self._evaluate(closure))
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; ``closure`` re-evaluates the loss. Returns the first loss."""
        if closure is None:
            raise RuntimeError("LBFGS.step needs a closure that clears the grads, computes the loss, calls "
                               "backward() and returns the loss")
        group = self.param_groups[0]
        lr = _scalar(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]
        xp = self._params[0]._xp()

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        original_loss = self._evaluate(closure)
        loss = float(original_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if xp.abs(flat_grad).max() <= tolerance_grad:
            return original_loss

        d, t = _unpack(state.get("d")), _unpack(state.get("t"))
        old_dirs, old_steps = _unpack(state.get("old_dirs")), _unpack(state.get("old_stps"))
        ro, h_diag = _unpack(state.get("ro")), _unpack(state.get("H_diag"))
        prev_flat_grad, prev_loss = _unpack(state.get("prev_flat_grad")), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_steps, ro = [], [], []
                h_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:  # skip updates that would break positive definiteness
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_steps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_steps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                if "al" not in state:
                    state["al"] = [None] * history_size
                alphas = _unpack(state["al"])
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    alphas[i] = old_steps[i].dot(q) * ro[i]
                    xp.add(q, old_dirs[i] * -alphas[i], out=q)
                d = r = q * h_diag
                for i in range(len(old_dirs)):
                    beta = old_dirs[i].dot(r) * ro[i]
                    xp.add(r, old_steps[i] * (alphas[i] - beta), out=r)
                state["al"] = _pack(alphas)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                xp.copyto(prev_flat_grad, flat_grad)
            prev_loss = loss

            t = min(1.0, 1.0 / xp.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # not a descent direction any more
                break

            evaluations = 0
            if group["line_search_fn"] is not None:
                x_init = [p._data.copy() for p in self._params]

                def evaluate(x, step, direction):
                    return self._directional_evaluate(closure, x, step, direction)

                loss, flat_grad, t, evaluations = _strong_wolfe(evaluate, x_init, t, d, loss, flat_grad, gtd,
                                                                max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                optimal = xp.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                optimal = False
                if n_iter != max_iter:  # the last iteration's loss is the next step's first evaluation
                    loss = float(self._evaluate(closure))
                    flat_grad = self._gather_flat_grad()
                    optimal = xp.abs(flat_grad).max() <= tolerance_grad
                    evaluations = 1
            current_evals += evaluations
            state["func_evals"] += evaluations

            if n_iter == max_iter or current_evals >= max_eval or optimal:
                break
            if xp.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        state["d"] = _pack(d)
        state["t"] = _pack(t)
        state["old_dirs"] = _pack(old_dirs)
        state["old_stps"] = _pack(old_steps)
        state["ro"] = _pack(ro)
        state["H_diag"] = _pack(h_diag)
        state["prev_flat_grad"] = _pack(prev_flat_grad)
        state["prev_loss"] = prev_loss
        return original_loss
