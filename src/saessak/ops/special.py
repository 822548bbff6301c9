"""Special functions: lgamma, digamma, polygamma, mvlgamma, xlogy, and gamma sampling with a gradient.

NumPy has none of the gamma family (and scipy is not a dependency), so the float64 kernels are written here:

- ``lgamma``: a Stirling series for ``x >= 10``; below, the recurrence ``lgamma(x + 1) = lgamma(x) + log(x)``
  brings ``x`` into ``[0.5, 2.5)``, where Taylor series around 1 and 2 in ``zeta(k) - 1`` keep full relative
  precision near the zeros at 1 and 2. Negative ``x`` uses the reflection formula.
- ``digamma``: the asymptotic series for ``x >= 10`` and the recurrence ``psi(x) = psi(x + 1) - 1 / x`` below;
  a Taylor series around the positive zero ``x0 = 1.4616...`` keeps relative precision there. Negative ``x``
  uses ``psi(x) = psi(1 - x) - pi / tan(pi x)``.
- ``polygamma(n, x) = (-1)**(n + 1) n! zeta(n + 1, x)`` with the Hurwitz zeta function summed directly up to
  ``x + N >= 15 + n`` and finished by Euler-Maclaurin; negative ``x`` uses the n-th derivative of the reflection
  formula, ``psi_n(x) = (-1)**n psi_n(1 - x) - pi**(n + 1) P_n(cot(pi x))``.

All agree with scipy to about 1e-14 relative. Gradients: ``lgamma' = digamma``, ``digamma' = polygamma(1)``,
``polygamma(n)' = polygamma(n + 1)``, so every order of derivative works.

``_standard_gamma(alpha)`` draws Gamma(alpha, 1) samples with the implicit reparameterisation gradient
``dx/dalpha = -(dF/dalpha) / (dF/dx)`` (``F`` the gamma CDF), as PyTorch's ``Gamma.rsample`` has.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from ..creation import _write_out
from .arithmetic import _grad_to, as_operand
from .pointwise import where
from .unary import _float_data, _on_host

__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma", "xlogy", "_standard_gamma"]

# B_2, B_4, ..., B_30: the Bernoulli numbers of the Stirling and Euler-Maclaurin series
_BERNOULLI = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30), Fraction(5, 66),
              Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510), Fraction(43867, 798),
              Fraction(-174611, 330), Fraction(854513, 138), Fraction(-236364091, 2730), Fraction(8553103, 6),
              Fraction(-23749461029, 870), Fraction(8615841276005, 14322)]
_EULER_GAMMA = 0.57721566490153286060651209008240243
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_LOG_PI = math.log(math.pi)
# the positive zero of digamma, to more digits than a double holds
_DIGAMMA_ZERO = Fraction("1.46163214496836234126265954232572132846819620400644635129598840859878644035380181")


# ---------------------------------------------------------------- array kernels (float64 NumPy in, out)
def _sinpi_tanpi(x: np.ndarray):
    """``sin(pi x)`` and ``tan(pi x)`` with the argument reduced exactly (no loss for large ``x``)."""
    r = x - np.round(x)  # exact; in [-0.5, 0.5]
    odd = np.fmod(np.round(x), 2.0) != 0
    s = np.sin(np.pi * r)
    return np.where(odd, -s, s), np.tan(np.pi * r)


def _hurwitz_zeta(s: float, q: np.ndarray) -> np.ndarray:
    """``sum_k (q + k)**-s`` for ``q > 0`` and ``s > 1``: direct terms until ``q + N >= 15 + s``, then
    Euler-Maclaurin with the Bernoulli numbers above."""
    a = np.array(q, dtype=np.float64, copy=True)
    total = np.zeros_like(a)
    start = 15.0 + s
    while True:
        small = a < start
        if not small.any():
            break
        total[small] += a[small] ** -s
        a[small] += 1.0
    total += a ** (1.0 - s) / (s - 1.0) + 0.5 * a ** -s
    rising, power, factorial = s, a ** (-s - 1.0), 2.0  # s(s+1)...(s+2j-2), a**(-s-2j+1), (2j)!
    inv_a2 = 1.0 / (a * a)
    for j, b in enumerate(_BERNOULLI[:12], start=1):
        total += float(b) / factorial * rising * power
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        power = power * inv_a2
        factorial *= (2 * j + 1) * (2 * j + 2)
    return total


def _zeta_minus_one(k: int) -> float:
    """``zeta(k) - 1 = zeta(k, 2)``."""
    return float(_hurwitz_zeta(float(k), np.array([2.0]))[0])


# Taylor coefficients of lgamma(2 + z) - log(1 + z)... see _lgamma_positive: S(z) = sum c_k z**k
_LGAMMA_SERIES = np.array([1.0 - _EULER_GAMMA] + [(-1) ** k * _zeta_minus_one(k) / k for k in range(2, 34)])


def _series_s(z: np.ndarray) -> np.ndarray:
    """``lgamma(2 + z)`` for ``|z| <= 0.5``: ``(1 - gamma) z + sum_k (-1)**k (zeta(k) - 1) z**k / k``."""
    acc = np.zeros_like(z)
    for c in _LGAMMA_SERIES[::-1]:
        acc = (acc + c) * z
    return acc


def _lgamma_positive(x: np.ndarray) -> np.ndarray:
    """lgamma for ``x > 0`` (finite)."""
    out = np.empty_like(x)
    big = x >= 10.0
    if big.any():
        v = x[big]
        inv, inv2 = 1.0 / v, 1.0 / (v * v)
        series = np.zeros_like(v)
        for k in range(8, 0, -1):
            b = float(_BERNOULLI[k - 1])
            series = series * inv2 + b / (2 * k * (2 * k - 1))
        out[big] = (v - 0.5) * np.log(v) - v + _HALF_LOG_2PI + series * inv
    rest = ~big
    if rest.any():
        v = x[rest].copy()
        shift = np.zeros_like(v)  # lgamma(x) = lgamma(v) + shift as v moves into [0.5, 2.5)
        low = v < 0.5
        shift[low] = -np.log(v[low])
        v[low] += 1.0
        product = np.ones_like(v)
        while True:
            high = v >= 2.5
            if not high.any():
                break
            v[high] -= 1.0
            product[high] *= v[high]
        shift += np.log(product)
        near_one = v < 1.5
        z = np.where(near_one, v - 1.0, v - 2.0)
        value = _series_s(z)
        value[near_one] -= np.log1p(z[near_one])  # lgamma(1 + z) = lgamma(2 + z) - log(1 + z)
        out[rest] = value + shift
    return out


def lgamma_array(x) -> np.ndarray:
    """``log|Gamma(x)|`` elementwise in float64 (``inf`` at the poles 0, -1, -2, ...)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.inf)
    with np.errstate(all="ignore"):
        finite = np.isfinite(x)
        out[np.isnan(x)] = np.nan
        positive = finite & (x > 0)
        out[positive] = _lgamma_positive(x[positive])
        negative = finite & (x < 0) & (x != np.floor(x))
        if negative.any():
            v = x[negative]
            sin, _ = _sinpi_tanpi(v)
            out[negative] = _LOG_PI - np.log(np.abs(sin)) - _lgamma_positive(1.0 - v)
    return out


def _digamma_positive(x: np.ndarray) -> np.ndarray:
    """digamma for ``x > 0`` (``x = +0`` gives ``-inf``, ``-0`` gives ``+inf``, as PyTorch)."""
    v = x.copy()
    shift = np.zeros_like(v)
    while True:
        small = v < 10.0
        if not small.any():
            break
        shift[small] -= 1.0 / v[small]
        v[small] += 1.0
    inv2 = 1.0 / (v * v)
    series = np.zeros_like(v)
    for k in range(8, 0, -1):
        series = (series + float(_BERNOULLI[k - 1]) / (2 * k)) * inv2
    out = np.log(v) - 0.5 / v - series + shift
    near = np.abs(x - _ZERO) < 0.25
    if near.any():
        t = x[near] - _ZERO
        acc = np.zeros_like(t)
        for c in _DIGAMMA_SERIES[::-1]:
            acc = (acc + c) * t
        out[near] = acc + _DIGAMMA_AT_ZERO
    return out


_ZERO = float(_DIGAMMA_ZERO)
# psi(x) = psi(x0) + sum_k (-1)**(k+1) zeta(k+1, x0) t**k around the double nearest the zero
_DIGAMMA_SERIES = np.array([(-1) ** (k + 1) * float(_hurwitz_zeta(k + 1.0, np.array([_ZERO]))[0])
                            for k in range(1, 26)])
_DIGAMMA_AT_ZERO = _DIGAMMA_SERIES[0] * float(Fraction(_ZERO) - _DIGAMMA_ZERO)


def digamma_array(x) -> np.ndarray:
    """``d/dx lgamma(x)`` elementwise in float64 (nan at the negative integers, ``-inf`` at 0)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    with np.errstate(all="ignore"):
        positive = (x >= 0) & (x < np.inf)
        out[positive] = _digamma_positive(x[positive])
        out[x == np.inf] = np.inf
        negative = (x < 0) & (x != np.floor(x))
        if negative.any():
            v = x[negative]
            _, tan = _sinpi_tanpi(v)
            out[negative] = _digamma_positive(1.0 - v) - np.pi / tan
    return out


def _cot_derivative(n: int) -> np.polynomial.Polynomial:
    """``P_n`` with ``d^n/dy^n cot(y) = P_n(cot y)``: ``P_0 = c``, ``P_{k+1} = -(1 + c**2) P_k'``."""
    p = np.polynomial.Polynomial([0.0, 1.0])
    for _ in range(n):
        p = -np.polynomial.Polynomial([1.0, 0.0, 1.0]) * p.deriv()
    return p


def polygamma_array(n: int, x) -> np.ndarray:
    """The n-th derivative of digamma (``n >= 1``) elementwise in float64."""
    x = np.asarray(x, dtype=np.float64)
    if n == 0:
        return digamma_array(x)
    sign_factorial = (-1.0) ** (n + 1) * math.factorial(n)
    out = np.full(x.shape, np.nan)
    with np.errstate(all="ignore"):
        positive = (x > 0) & (x < np.inf)
        out[positive] = sign_factorial * _hurwitz_zeta(n + 1.0, x[positive])
        out[x == 0] = np.inf if n % 2 else -np.inf
        out[x == np.inf] = 0.0
        negative = (x < 0) & np.isfinite(x)
        integer = negative & (x == np.floor(x))
        out[integer] = np.inf if n % 2 else -np.inf
        negative &= ~integer
        if negative.any():
            v = x[negative]
            _, tan = _sinpi_tanpi(v)
            reflected = sign_factorial * _hurwitz_zeta(n + 1.0, 1.0 - v)
            out[negative] = (-1.0) ** n * reflected - np.pi ** (n + 1) * _cot_derivative(n)(1.0 / tan)
    return out


# ---------------------------------------------------------------- differentiable ops
class Lgamma(Function):
    """``log|Gamma(x)|``; gradient ``digamma(x)``."""

    _backward_name = "LgammaBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _on_host(lgamma_array, _float_data(x), x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * digamma(x)


class Digamma(Function):
    """``d/dx lgamma(x)``; gradient ``polygamma(1, x)``."""

    _backward_name = "DigammaBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _on_host(digamma_array, _float_data(x), x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * polygamma(1, x)


class Polygamma(Function):
    """The n-th derivative of digamma; gradient ``polygamma(n + 1, x)``."""

    _backward_name = "PolygammaBackward0"

    @staticmethod
    def forward(ctx, x, *, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return _on_host(lambda a: polygamma_array(n, a), _float_data(x), x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * polygamma(ctx.n + 1, x)


def lgamma(input: Tensor, *, out=None) -> Tensor:
    """The natural log of the absolute value of the gamma function, elementwise.

    >>> saessak.lgamma(saessak.tensor([0.5, 1.0, 10.0]))   # tensor([0.5724, 0.0000, 12.8018])
    """
    return _write_out(out, Lgamma.apply(input))


def digamma(input: Tensor, *, out=None) -> Tensor:
    """The logarithmic derivative of the gamma function, ``psi(x) = d/dx lgamma(x)``, elementwise.

    >>> saessak.digamma(saessak.tensor([1.0, 0.5]))   # tensor([-0.5772, -1.9635])
    """
    return _write_out(out, Digamma.apply(input))


def polygamma(n: int, input: Tensor, *, out=None) -> Tensor:
    """The n-th derivative of digamma (``n = 0`` is digamma itself), elementwise.

    >>> saessak.polygamma(1, saessak.tensor([1.0]))   # tensor([1.6449]), pi**2 / 6
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"polygamma(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n, got n={n}")
    result = Digamma.apply(input) if n == 0 else Polygamma.apply(input, n=int(n))
    return _write_out(out, result)


def mvlgamma(input: Tensor, p: int, *, out=None) -> Tensor:
    """The log of the multivariate gamma function of dimension ``p``, elementwise.

    ``sum_{i<p} lgamma(x - i / 2) + p (p - 1) / 4 log(pi)``; every element must exceed ``(p - 1) / 2``.
    >>> saessak.mvlgamma(saessak.tensor([2.5]), p=3)   # tensor([1.8810])
    """
    if p < 1:
        raise RuntimeError(f"p has to be greater than or equal to 1, got p={p}")
    if not bool((input.detach() > (p - 1) / 2).all()):
        raise RuntimeError(f"All elements must be greater than (p-1)/2 = {(p - 1) / 2} for mvlgamma with p={p}")
    total = lgamma(input)
    for i in range(1, p):
        total = total + lgamma(input - i / 2)
    return _write_out(out, total + p * (p - 1) / 4 * _LOG_PI)


# ---------------------------------------------------------------- xlogy
class Xlogy(Function):
    """``x * log(y)``, 0 where ``x == 0`` (unless ``y`` is nan); gradients ``log(y)`` and ``x / y``."""

    _backward_name = "XlogyBackward0"

    @staticmethod
    def forward(ctx, x, y):
        dtype = dtypes.result_type(x, y)
        if not dtype.is_floating_point:
            dtype = dtypes.get_default_dtype()
        a, b = x._data.astype(dtype.np, copy=False), y._data.astype(dtype.np, copy=False)
        ctx.save_for_backward(x, y)
        ctx.metas = (a.shape, a.dtype), (b.shape, b.dtype)
        xp = x._xp()
        with np.errstate(divide="ignore", invalid="ignore"):
            return xp.where((a == 0) & ~xp.isnan(b), 0.0, a * xp.log(b)).astype(dtype.np, copy=False)

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        needs = ctx.needs_input_grad
        gx = None
        if needs[0]:  # log(y), except 0 where x == 0 and y <= 0 (PyTorch's convention at the boundary)
            gx = _grad_to(where((x == 0) & (y <= 0), 0.0, xlogy(gy, y)), *ctx.metas[0])
        gb = _grad_to(gy * x / y, *ctx.metas[1]) if needs[1] else None
        return gx, gb


def xlogy(input, other, *, out=None) -> Tensor:
    """``input * log(other)``, defined as 0 where ``input`` is 0 (so ``0 * log(0) = 0``); broadcasts.

    >>> saessak.xlogy(saessak.tensor([0.0, 2.0]), saessak.tensor([0.0, 3.0]))   # tensor([0.0000, 2.1972])
    """
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("xlogy(): at least one of input and other must be a Tensor")
    like = input if isinstance(input, Tensor) else other
    input, other = as_operand(input, like), as_operand(other, like)
    try:
        np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
    except ValueError:
        raise RuntimeError(f"xlogy: the shapes {list(input.shape)} and {list(other.shape)} are not broadcastable; "
                           "each pair of trailing dimensions must be equal or 1") from None
    return _write_out(out, Xlogy.apply(input, other))


# ---------------------------------------------------------------- gamma samples with a reparameterised gradient
def _gamma_sample_grad(x: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``dx/dalpha`` for ``x ~ Gamma(alpha, 1)`` at fixed CDF value: ``-(dF/dalpha) / (dF/dx)``.

    Below ``x < alpha + 1`` the series ``F = sum_k x**(alpha+k) e**-x / Gamma(alpha+k+1)`` is differentiated
    term by term; above, ``log Q = log(1 - F)`` comes from its continued fraction and is differentiated in
    ``alpha`` by central differences (Q keeps relative precision in the upper tail, where F rounds to 1).
    """
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        lower = x < alpha + 1.0
        if lower.any():
            out[lower] = _lower_series_grad(x[lower], alpha[lower])
        upper = ~lower
        if upper.any():
            xu, au = x[upper], alpha[upper]
            h = 1e-4 * np.maximum(au, 1.0)
            slope = (_log_upper_tail(xu, au + h) - _log_upper_tail(xu, au - h)) / (2 * h)
            log_density = (au - 1.0) * np.log(xu) - xu - lgamma_array(au)
            out[upper] = np.exp(_log_upper_tail(xu, au) - log_density) * slope
    return out


def _lower_series_grad(x: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``-sum_k r_k (log x - psi(a + k + 1))`` with ``r_k = x**(k+1) Gamma(a) / Gamma(a + k + 1)``."""
    log_x = np.log(x)
    r = x / a
    psi = digamma_array(a) + 1.0 / a  # psi(a + 1)
    total = r * (log_x - psi)
    for k in range(1, 2000):
        r = r * x / (a + k)
        psi = psi + 1.0 / (a + k)
        term = r * (log_x - psi)
        total += term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    return -total


def _log_upper_tail(x: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``log Q(a, x)``, the regularised upper incomplete gamma, by the modified Lentz continued fraction."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, 1000):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return a * np.log(x) - x - lgamma_array(a) + np.log(h)


class StandardGamma(Function):
    """Gamma(alpha, 1) samples; the gradient is the implicit reparameterisation ``dx/dalpha``."""

    _backward_name = "StandardGammaBackward0"

    @staticmethod
    def forward(ctx, alpha, *, generator):
        from ..random import _rng

        a = alpha.detach().cpu().numpy().astype(np.float64)
        sample = _rng(generator).standard_gamma(a)
        # tiny shapes underflow to 0; PyTorch clamps to the smallest normal number so log(sample) stays finite
        sample = np.maximum(sample, np.finfo(alpha._data.dtype).tiny)
        ctx.alpha = a
        out = sample.astype(alpha._data.dtype)
        ctx.sample = out.astype(np.float64)
        return out if alpha._xp() is np else alpha._xp().asarray(out)

    @staticmethod
    def backward(ctx, gy):
        grad = _gamma_sample_grad(ctx.sample, ctx.alpha)
        return gy * Tensor._make(grad.astype(gy._data.dtype, copy=False)).to(gy.device)


def _standard_gamma(alpha: Tensor, generator=None) -> Tensor:
    """Samples of Gamma(``alpha``, rate 1), one per element, differentiable in ``alpha``.

    >>> alpha = saessak.tensor([2.0, 5.0], requires_grad=True)
    >>> saessak.ops.special._standard_gamma(alpha).sum().backward()   # alpha.grad holds dx/dalpha
    """
    if not alpha.dtype.is_floating_point:
        raise RuntimeError(f"_standard_gamma expects a floating-point alpha, got {alpha.dtype}")
    if not bool((alpha.detach() > 0).all()):
        raise RuntimeError("_standard_gamma expects every alpha > 0")
    return StandardGamma.apply(alpha, generator=generator)


def _standard_gamma_grad(x: Tensor, alpha: Tensor) -> Tensor:
    """``dx/dalpha`` of Gamma(alpha, 1) samples ``x`` (PyTorch's ``torch._standard_gamma_grad``)."""
    grad = _gamma_sample_grad(x.detach().cpu().numpy().astype(np.float64),
                              np.broadcast_to(alpha.detach().cpu().numpy(), tuple(x.shape)).astype(np.float64))
    return Tensor._make(grad.astype(x._data.dtype, copy=False))
