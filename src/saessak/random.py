"""Random numbers: a seedable ``Generator``, ``manual_seed``, and the sampling functions (rand, randn...).

Every function draws from a ``Generator`` (the default one unless ``generator=`` is given), which wraps
NumPy's PCG64 bit generator: the same seed gives the same numbers on every machine. CUDA tensors are
sampled on the host and copied, so they follow the same seed.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tensor import Tensor
from .backend import CPU, Device, array_module, to_device

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
    "rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "rand_like", "randn_like",
    "randint_like", "poisson",
]


class Generator:
    """A source of random numbers with its own seed and state.

    >>> g = saessak.Generator().manual_seed(42)
    >>> saessak.rand(2, generator=g)      # the same two numbers every time
    """

    def __init__(self, device="cpu") -> None:
        self.device = device if isinstance(device, Device) else Device(device)
        self._seed = 67280421310721  # PyTorch's default seed
        self._rng = np.random.Generator(np.random.PCG64(self._seed))

    def manual_seed(self, seed: int) -> Generator:
        """Reset the state from ``seed``; returns the generator."""
        seed = int(seed)
        if seed < 0:
            seed += 1 << 64
        self._seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed))
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy; returns the seed used."""
        new = int(np.random.SeedSequence().entropy) % (1 << 63)
        self.manual_seed(new)
        return new

    def initial_seed(self) -> int:
        """The seed the generator was last seeded with."""
        return self._seed

    def get_state(self) -> Tensor:
        """The full state as a uint8 tensor (restore it with ``set_state``)."""
        state = self._rng.bit_generator.state
        words = [state["state"]["state"], state["state"]["inc"], state["has_uint32"], state["uinteger"], self._seed]
        raw = b"".join(int(w).to_bytes(16, "little") for w in words)
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state from ``get_state``."""
        raw = bytes(np.asarray(new_state._data if isinstance(new_state, Tensor) else new_state, dtype=np.uint8))
        if len(raw) != 80:
            raise RuntimeError(f"Expected a generator state of 80 bytes, got {len(raw)}")
        words = [int.from_bytes(raw[i: i + 16], "little") for i in range(0, 80, 16)]
        bit_generator = np.random.PCG64()
        bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": words[0], "inc": words[1]},
            "has_uint32": words[2],
            "uinteger": words[3],
        }
        self._rng = np.random.Generator(bit_generator)
        self._seed = words[4]
        return self

    def __repr__(self) -> str:
        return "<torch._C.Generator object>"


default_generator = Generator()


def _rng(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator)._rng


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (and so every sampling function); returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator's state."""
    default_generator.set_state(new_state)


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    return tuple(int(s) for s in size)


def _finish(array: np.ndarray, dtype, device, requires_grad: bool) -> Tensor:
    if dtype is not None:
        array = array.astype(dtypes.to_dtype(dtype).np, copy=False)
    if device is not None:
        dev = device if isinstance(device, Device) else Device(device)
        if dev != CPU:
            array = to_device(array, dev)
    t = Tensor._make(array)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float_dtype(dtype):
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not d.is_floating_point:
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for '{d.name}'")
    return d


# ---------------------------------------------------------------- sampling functions
def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Uniform samples on ``[0, 1)``."""
    d = _float_dtype(dtype)
    return _finish(_rng(generator).random(_size(size), dtype=np.float64).astype(d.np), None, device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal samples."""
    d = _float_dtype(dtype)
    data = _rng(generator).standard_normal(_size(size), dtype=np.float32 if d.np == np.float32 else np.float64)
    return _finish(data.astype(d.np, copy=False), None, device, requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False) -> Tensor:
    """Integers uniform on ``[low, high)``: ``randint(10, (3,))`` or ``randint(2, 10, (3,))``."""
    if size is None:
        if isinstance(high, tuple | list):
            low, high, size = 0, low, high
        else:
            raise TypeError("randint() missing required argument 'size'")
    if high is None:
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    data = _rng(generator).integers(low, high, size=tuple(size), dtype=np.int64)
    return _finish(data, dtype or dtypes.int64, device, requires_grad)


def randperm(n: int, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    """A random permutation of ``0 .. n-1``."""
    return _finish(_rng(generator).permutation(int(n)).astype(np.int64), dtype or dtypes.int64, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False) -> Tensor:
    """Normal samples with per-element ``mean``/``std`` (tensors or numbers; numbers need ``size``)."""
    rng = _rng(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        if np.any(np.asarray(s) < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        like = mean if isinstance(mean, Tensor) else std
        data = (rng.standard_normal(shape) * s + m).astype(like._data.dtype if like.dtype.is_floating_point
                                                             else dtypes.get_default_dtype().np)
        return _finish(data, dtype, device or like.device, requires_grad)
    if size is None:
        raise TypeError("normal() with numbers for mean and std needs a size")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    d = _float_dtype(dtype)
    data = rng.standard_normal(tuple(size)) * std + mean
    return _finish(data.astype(d.np), None, device, requires_grad)


def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 samples with probability ``input`` (or ``p``) of 1, in ``input``'s dtype."""
    probs = input._data if p is None else np.broadcast_to(p, input._data.shape)
    host = probs if isinstance(probs, np.ndarray) else np.asarray(probs)
    if np.any((host < 0) | (host > 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    data = (_rng(generator).random(input._data.shape) < host).astype(input._data.dtype)
    return _finish(data, None, input.device, False)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Indices sampled from the rows of ``input`` (unnormalised non-negative weights)."""
    rng = _rng(generator)
    weights = np.asarray(input.detach().cpu()._data, dtype=np.float64)
    rows = weights.reshape(-1, weights.shape[-1]) if weights.ndim > 1 else weights.reshape(1, -1)
    if np.any(rows < 0) or not np.all(np.isfinite(rows)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(axis=1)
    if np.any(totals <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if replacement:
        cdf = np.cumsum(rows, axis=1) / totals[:, None]
        u = rng.random((rows.shape[0], num_samples))
        samples = (u[:, :, None] > cdf[:, None, :]).sum(axis=2)
        samples = np.minimum(samples, rows.shape[1] - 1)
    else:
        # Gumbel top-k: sampling without replacement proportionally to the weights, vectorised over rows
        with np.errstate(divide="ignore"):
            keys = np.log(rows) - np.log(-np.log(rng.random(rows.shape)))
        samples = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    samples = samples.astype(np.int64)
    if weights.ndim == 1:
        samples = samples.reshape(-1)
    return _finish(samples, None, input.device, False)


def poisson(input: Tensor, generator=None) -> Tensor:
    """Poisson samples with rates ``input``."""
    data = _rng(generator).poisson(np.asarray(input.detach().cpu()._data)).astype(input._data.dtype)
    return _finish(data, None, input.device, False)


def rand_like(input: Tensor, *, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """``rand`` with ``input``'s shape, dtype and device."""
    return rand(*input.shape, dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad, generator=generator)


def randn_like(input: Tensor, *, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """``randn`` with ``input``'s shape, dtype and device."""
    return randn(*input.shape, dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad, generator=generator)


def randint_like(input: Tensor, low=0, high=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``randint`` with ``input``'s shape."""
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device)


# ---------------------------------------------------------------- in-place fillers (Tensor.uniform_ ...)
def _fill(x: Tensor, sample: np.ndarray) -> Tensor:
    """Write samples into ``x`` in place (no graph: initialisers run under no_grad in practice)."""
    from .ops.inplace import _check_inplace

    _check_inplace(x)
    xp = array_module(x.device)
    x._data[...] = xp.asarray(sample, dtype=x._data.dtype) if xp is not np else sample.astype(x._data.dtype)
    x._vc[0] += 1
    return x


def uniform_(x: Tensor, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with uniform samples on ``[a, b)``."""
    return _fill(x, _rng(generator).uniform(a, b, size=x._data.shape))


def normal_(x: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with normal samples."""
    return _fill(x, _rng(generator).standard_normal(x._data.shape) * std + mean)


def bernoulli_(x: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fill ``x`` with 0/1 samples with probability ``p`` of 1."""
    probs = p._data if isinstance(p, Tensor) else p
    return _fill(x, _rng(generator).random(x._data.shape) < probs)


def random_(x: Tensor, low: int = 0, high=None, *, generator=None) -> Tensor:
    """Fill ``x`` with integers on ``[low, high)`` (``[0, low)`` with one argument)."""
    if high is None:
        if low == 0:
            high = 2 ** 24 if x.dtype.is_floating_point else np.iinfo(x._data.dtype).max
        else:
            low, high = 0, low
    return _fill(x, _rng(generator).integers(low, high, size=x._data.shape))


def exponential_(x: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with exponential samples of rate ``lambd``."""
    return _fill(x, _rng(generator).exponential(1.0 / lambd, size=x._data.shape))
