"""Random numbers: a seedable ``Generator``, ``manual_seed``, and the sampling functions (rand, randn...).

Every function draws from a ``Generator`` (the default one unless ``generator=`` is given), which wraps
NumPy's PCG64 bit generator: the same seed gives the same numbers on every machine. CUDA tensors are
sampled on the host and copied, so they follow the same seed.

Samples do not depend smoothly on their parameters, so, as in PyTorch, sampling ops that take tensors
(``normal(mean, std)``, ``bernoulli(p)``, ``x.uniform_()`` on a non-leaf) record a node whose gradient
is zero: gradients flow, and are zero, instead of failing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from . import dtypes
from ._tensor import Tensor
from .autograd.function import Function
from .autograd.grad_mode import state
from .creation import _finish, _size, _write_out, zeros

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
    "fork_rng", "rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson",
    "rand_like", "randn_like", "randint_like",
]

_DEFAULT_SEED = 67280421310721  # PyTorch's default seed
_STATE_BYTES = 80  # five 128-bit words: PCG64 state and increment, the cached 32 bits and its flag, the seed


# ---------------------------------------------------------------- generators and seeds
class Generator:
    """A source of random numbers with its own seed and state.

    >>> g = saessak.Generator().manual_seed(42)
    >>> saessak.rand(2, generator=g)      # the same two numbers every time
    """

    def __init__(self, device="cpu") -> None:
        from .backend import Device

        self.device = device if isinstance(device, Device) else Device(device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Reset the state from ``seed`` (an int in [-2**63, 2**64)); returns the generator."""
        seed = int(seed)
        if not -(1 << 63) <= seed < (1 << 64):
            raise ValueError(f"Overflow when unpacking long long: seed {seed} is outside [-2**63, 2**64)")
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
        words = (state["state"]["state"], state["state"]["inc"], state["has_uint32"], state["uinteger"], self._seed)
        raw = b"".join(int(w).to_bytes(16, "little") for w in words)
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state) -> Generator:
        """Restore a state from ``get_state`` (a uint8 tensor, or bytes)."""
        if isinstance(new_state, Tensor):
            if new_state.dtype is not dtypes.uint8:
                raise TypeError(f"RNG state must be a torch.ByteTensor (uint8), got {new_state.dtype}")
            raw = new_state.detach().cpu().numpy().tobytes()
        elif isinstance(new_state, bytes | bytearray | memoryview):
            raw = bytes(new_state)
        else:
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(
                f"Expected a generator state of size {_STATE_BYTES} but found the input RNG state size to be "
                f"{len(raw)}: pass a state from get_state() / get_rng_state()"
            )
        words = [int.from_bytes(raw[i: i + 16], "little") for i in range(0, _STATE_BYTES, 16)]
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

    def clone_state(self) -> Generator:
        """A new generator in the same state (both then produce the same numbers)."""
        return Generator(self.device).set_state(self.get_state())

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()


def _rng(generator: Generator | None) -> np.random.Generator:
    return (generator if generator is not None else default_generator)._rng


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
    """The default generator's state, a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator's state (from ``get_rng_state``)."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, **kwargs) -> Iterator[None]:
    """Run a block with the default generator's state restored afterwards.

    >>> with saessak.random.fork_rng():
    ...     noise = saessak.randn(3)       # draws here do not change the numbers drawn after the block
    """
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)


# ---------------------------------------------------------------- shared checks
_TYPE_WORDS = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
               "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _floating(d: dtypes.dtype, kernel: str) -> dtypes.dtype:
    """``d`` itself when floating; else PyTorch's error naming the sampling kernel."""
    if not d.is_floating_point:
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_TYPE_WORDS[d.name]}': sample a floating dtype "
            f"(e.g. dtype=torch.float32) and convert, or use randint for integers"
        )
    return d


def _number(value) -> str:
    """A number the way PyTorch's messages print it (``-1``, ``0.5``)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _result_dtype(dtype) -> dtypes.dtype:
    return dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()


def _uniform01(rng: np.random.Generator, shape: tuple, d: dtypes.dtype) -> np.ndarray:
    """Uniform samples on [0, 1) in ``d``'s precision (never rounding up to 1)."""
    if d.np == np.float16:  # 11-bit grid: float32 samples near 1 would round to 1.0 in half precision
        return (rng.integers(0, 1 << 11, shape) * (1.0 / (1 << 11))).astype(np.float16)
    return rng.random(shape, dtype=np.float32 if d.np == np.float32 else np.float64)


def _standard_normal(rng: np.random.Generator, shape: tuple, d: dtypes.dtype) -> np.ndarray:
    if d.np == np.float64:
        return rng.standard_normal(shape)
    return rng.standard_normal(shape, dtype=np.float32).astype(d.np, copy=False)


def _on_device(sample: np.ndarray, like: Tensor):
    """Host samples moved to ``like``'s device and cast to its dtype."""
    xp = like._xp()
    sample = np.asarray(sample)  # NumPy returns a Python scalar for a 0-dim parameter
    data = sample if xp is np else xp.asarray(sample)
    return data.astype(like._data.dtype, copy=False)


# ---------------------------------------------------------------- zero-gradient sampling nodes
class _Sample(Function):
    """Returns the given samples; the gradient to every tensor parameter is zero (PyTorch's rule)."""

    @staticmethod
    def forward(ctx, *params, sample):
        ctx.params = [(p.shape, p.dtype, p.device) if isinstance(p, Tensor) else None for p in params]
        return sample

    @staticmethod
    def backward(ctx, gy):
        return tuple(
            zeros(p[0], dtype=p[1], device=p[2]) if p is not None and needed else None
            for p, needed in zip(ctx.params, ctx.needs_input_grad)
        )


def _node(name: str) -> type:
    return type(name.removesuffix("Backward0"), (_Sample,), {"_backward_name": name, "__module__": __name__})


_NORMAL_TENSOR_FLOAT = _node("NormalBackward1")
_NORMAL_FLOAT_TENSOR = _node("NormalBackward2")
_NORMAL_TENSOR_TENSOR = _node("NormalBackward3")
_BERNOULLI = _node("BernoulliBackward0")
_POISSON = _node("PoissonBackward0")
_FILLERS = {name: _node(name) for name in (
    "UniformBackward0", "NormalBackward0", "BernoulliBackward1", "BernoulliBackward2", "RandomBackward0",
    "RandomBackward1", "RandomBackward2", "ExponentialBackward0", "LogNormalBackward0", "GeometricBackward0",
    "CauchyBackward0",
)}


# ---------------------------------------------------------------- sampling new tensors
def rand(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
         requires_grad=False) -> Tensor:
    """Uniform samples on ``[0, 1)``: ``rand(2, 3)`` or ``rand((2, 3))``, float32 by default."""
    d = _floating(_result_dtype(dtype), "check_uniform_bounds")
    data = _uniform01(_rng(generator), _size(args if size is None else (size,), "rand"), d).astype(d.np, copy=False)
    return _write_out(out, _finish(data, d, device, requires_grad))


def randn(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
          requires_grad=False) -> Tensor:
    """Standard normal samples (mean 0, variance 1): ``randn(2, 3)``, float32 by default."""
    d = _floating(_result_dtype(dtype), "normal_kernel_cpu")
    data = _standard_normal(_rng(generator), _size(args if size is None else (size,), "randn"), d)
    return _write_out(out, _finish(data, d, device, requires_grad))


def _integer(value, name: str) -> int:
    if isinstance(value, Tensor) and value.numel() == 1 and not value.dtype.is_floating_point:
        value = value.item()
    if not isinstance(value, int | np.integer) or isinstance(value, bool):
        raise TypeError(f"randint(): argument '{name}' must be int, not {type(value).__name__}")
    return int(value)


def _check_int_range(low: int, high: int, d: dtypes.dtype, op: str) -> None:
    if low >= high:
        raise RuntimeError(f"{op} expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if d.np.kind in "iu" and (low < np.iinfo(d.np).min or high - 1 > np.iinfo(d.np).max):
        raise RuntimeError(f"{op}: [from={low}, to={high}) is out of bounds for {d}")


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
            pin_memory=False, requires_grad=False) -> Tensor:
    """Integers uniform on ``[low, high)``: ``randint(10, (3,))`` or ``randint(2, 10, (3,))``; int64 by default."""
    if size is None:
        if not isinstance(high, tuple | list):
            raise TypeError("randint() missing required argument 'size': call randint(high, size) or "
                            "randint(low, high, size), e.g. randint(10, (3,))")
        low, high, size = 0, low, high
    low, high = _integer(low, "low"), _integer(high, "high")
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    _check_int_range(low, high, d, "random_")
    data = _rng(generator).integers(low, high, size=_size((size,), "randint"), dtype=np.int64)
    return _write_out(out, _finish(data.astype(d.np, copy=False), d, device, requires_grad))


def randperm(n: int, *, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False) -> Tensor:
    """A random permutation of ``0 .. n-1`` (int64 by default)."""
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    data = _rng(generator).permutation(n).astype(d.np)
    return _write_out(out, _finish(data, d, device, requires_grad))


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           pin_memory=False, requires_grad=False) -> Tensor:
    """Normal samples: ``normal(mean, std)`` with tensor(s) (broadcast), or ``normal(0.0, 1.0, size)``.

    >>> saessak.normal(saessak.zeros(3), 2.0)      # three samples with mean 0 and standard deviation 2
    """
    rng = _rng(generator)
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal() with numbers for mean and std needs a size: normal(0.0, 1.0, (2, 3))")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_number(std)}")
        d = _floating(_result_dtype(dtype), "normal_kernel_cpu")
        data = (_standard_normal(rng, _size((size,), "normal"), d) * std + mean).astype(d.np, copy=False)
        return _write_out(out, _finish(data, d, device, requires_grad))
    if size is not None:
        raise TypeError("normal() takes a size only when mean and std are numbers; a tensor mean/std sets the shape")
    d = tensors[0].dtype if len(tensors) == 1 else dtypes.promote_types(mean.dtype, std.dtype)
    _floating(d, "normal_kernel_cpu")
    xp = tensors[0]._xp()
    if isinstance(std, Tensor):
        if bool(xp.any(std._data < 0)):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_number(std)}")
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    try:
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    except ValueError:
        raise RuntimeError(f"normal: the shapes of mean {tuple(np.shape(m))} and std {tuple(np.shape(s))} "
                           "do not broadcast") from None
    eps = _standard_normal(rng, shape, d)
    if xp is not np:
        eps = xp.asarray(eps)
    data = (eps * s + m).astype(d.np, copy=False)
    node = _NORMAL_TENSOR_TENSOR if len(tensors) == 2 else (
        _NORMAL_TENSOR_FLOAT if isinstance(mean, Tensor) else _NORMAL_FLOAT_TENSOR)
    return _write_out(out, node.apply(mean, std, sample=data))


def _check_probabilities(probs, xp, name: str) -> None:
    if not bool(xp.all((probs >= 0) & (probs <= 1))):  # NaN fails both comparisons
        raise RuntimeError(f"Expected p_in >= 0 && p_in <= 1 to be true, but got false: every {name} must be a "
                           "probability in [0, 1]")


def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 samples, 1 with probability ``input`` (or the number ``p``), in ``input``'s dtype and shape.

    >>> saessak.bernoulli(saessak.full((4,), 0.5))    # e.g. tensor([0., 1., 1., 0.])
    """
    _floating(input.dtype, "bernoulli_tensor_cpu_p_")
    u = _rng(generator).random(input._data.shape)
    if p is not None:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli expects p to be in [0, 1], but got p={_number(p)}")
        return _write_out(out, Tensor._make(_on_device(u < p, input)))
    _check_probabilities(input._data, input._xp(), "element of input")
    sample = (_on_device(u, input) < input._data).astype(input._data.dtype)
    return _write_out(out, _BERNOULLI.apply(input, sample=sample))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Indices drawn from the rows of ``input`` (non-negative weights, not necessarily normalised).

    ``input`` of shape (k,) gives (num_samples,); of shape (n, k) gives (n, num_samples).
    >>> saessak.multinomial(saessak.tensor([0.1, 0.9]), 4, replacement=True)   # e.g. tensor([1, 1, 0, 1])
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_TYPE_WORDS[input.dtype.name]}")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got shape {tuple(input.shape)}")
    if num_samples <= 0:
        raise RuntimeError(f"cannot sample n_sample <= 0 samples (got num_samples={num_samples})")
    weights = np.asarray(input.detach().cpu().numpy(), dtype=np.float64)
    rows = weights.reshape(-1, weights.shape[-1])
    categories = rows.shape[1]
    if not replacement and num_samples > categories:
        raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without replacement "
                           f"(num_samples={num_samples}, categories={categories})")
    if not (np.all(np.isfinite(rows)) and np.all(rows >= 0)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if np.any(rows.sum(axis=1) <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _rng(generator)
    if replacement:
        samples = _sample_with_replacement(rng, rows, num_samples)
    else:
        # exponential race: the k largest weight / Exp(1) keys are a draw without replacement, in order
        # (zero weights come last, as in PyTorch)
        keys = rows / rng.standard_exponential(rows.shape)
        samples = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    samples = samples.astype(np.int64).reshape(weights.shape[:-1] + (num_samples,))
    return _write_out(out, _finish(samples, dtypes.int64, input.device if input.device.type != "cpu" else None,
                                   False))


def _sample_with_replacement(rng: np.random.Generator, rows: np.ndarray, num_samples: int) -> np.ndarray:
    """Inverse-CDF sampling for all rows in one ``searchsorted``: row i's CDF is shifted up by i."""
    cdf = np.cumsum(rows, axis=1)
    cdf /= cdf[:, -1:]  # the last entry is exactly 1, so u in [0, 1) never falls past it
    offsets = np.arange(rows.shape[0], dtype=np.float64)[:, None]
    u = rng.random((rows.shape[0], num_samples)) + offsets
    flat = np.searchsorted((cdf + offsets).reshape(-1), u.reshape(-1), side="right").reshape(u.shape)
    return flat - np.arange(rows.shape[0])[:, None] * rows.shape[1]


def poisson(input: Tensor, generator=None) -> Tensor:
    """Poisson samples with rates ``input`` (same shape and floating dtype)."""
    _floating(input.dtype, "poisson_cpu")
    rates = input.detach().cpu().numpy()
    if not np.all(rates >= 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _POISSON.apply(input, sample=_on_device(_rng(generator).poisson(rates), input))


def rand_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None) -> Tensor:
    """``rand`` with ``input``'s shape, dtype and device."""
    return rand(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad, generator=generator)


def randn_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None) -> Tensor:
    """``randn`` with ``input``'s shape, dtype and device."""
    return randn(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad, generator=generator)


def randint_like(input: Tensor, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None) -> Tensor:
    """``randint`` with ``input``'s shape, dtype and device: ``randint_like(x, 10)`` or ``randint_like(x, 2, 10)``."""
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                   requires_grad=requires_grad, generator=generator)


# ---------------------------------------------------------------- in-place fillers (Tensor.uniform_ ...)
def _fill(x: Tensor, sample: np.ndarray, node: str) -> Tensor:
    """Write host samples into ``x``; while recording a graph through ``x``, as a zero-gradient node."""
    data = _on_device(sample, x)
    if state.enabled and x._requires_grad:
        from .ops.inplace import apply_inplace

        return apply_inplace(x, _FILLERS[node].apply(x, sample=data))
    x._data[...] = data
    x._vc[0] += 1
    return x


def uniform_(x: Tensor, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with uniform samples on ``[a, b)``."""
    _floating(x.dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_number(a)} > "
                           f"to={_number(b)}")
    u = _uniform01(_rng(generator), x._data.shape, x.dtype)
    return _fill(x, a + (b - a) * u.astype(np.float64), "UniformBackward0")


def normal_(x: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with normal samples of the given mean and standard deviation."""
    _floating(x.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_number(std)}")
    return _fill(x, _standard_normal(_rng(generator), x._data.shape, x.dtype) * std + mean, "NormalBackward0")


def bernoulli_(x: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fill ``x`` with 0/1 samples, 1 with probability ``p`` (a number or a broadcastable tensor)."""
    u = _rng(generator).random(x._data.shape)
    if isinstance(p, Tensor):
        probs = p.detach().cpu().numpy()
        _check_probabilities(probs, np, "element of p")
        return _fill(x, u < probs, "BernoulliBackward1")
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_number(p)}")
    return _fill(x, u < p, "BernoulliBackward2")


_MANTISSA_BITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def random_(x: Tensor, from_=None, to=None, *, generator=None) -> Tensor:
    """Fill ``x`` with integers: on ``[from_, to)``, ``[0, from_)`` with one argument, else the dtype's range.

    Without bounds, floats get ``[0, 2**mantissa]`` (every integer exactly representable), integers
    ``[0, max]``.
    """
    rng = _rng(generator)
    if from_ is None and to is None:
        if x.dtype.is_floating_point:
            high = 1 << _MANTISSA_BITS[x.dtype.name]
        else:
            high = 1 if x.dtype is dtypes.bool else int(np.iinfo(x._data.dtype).max)
        return _fill(x, rng.integers(0, high, size=x._data.shape, endpoint=True), "RandomBackward2")
    if to is None:
        low, high, node = 0, from_, "RandomBackward1"
    else:
        low, high, node = (from_ or 0), to, "RandomBackward0"
    _check_int_range(int(low), int(high), x.dtype, "random_")
    return _fill(x, rng.integers(int(low), int(high), size=x._data.shape), node)


def _positive_floating(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_TYPE_WORDS[x.dtype.name]}")


def exponential_(x: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with exponential samples of rate ``lambd`` (mean ``1 / lambd``)."""
    _positive_floating(x, "Exponential")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_number(lambd)}")
    return _fill(x, _rng(generator).exponential(1.0 / lambd, size=x._data.shape), "ExponentialBackward0")


def log_normal_(x: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """Fill ``x`` with ``exp`` of normal samples of the given mean and standard deviation."""
    _positive_floating(x, "log_normal_")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_number(std)}")
    return _fill(x, _rng(generator).lognormal(mean, std, size=x._data.shape), "LogNormalBackward0")


def geometric_(x: Tensor, p: float, *, generator=None) -> Tensor:
    """Fill ``x`` with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_number(p)}")
    return _fill(x, _rng(generator).geometric(p, size=x._data.shape), "GeometricBackward0")


def cauchy_(x: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Fill ``x`` with Cauchy samples of the given median and scale."""
    _positive_floating(x, "Cauchy")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_number(sigma)}")
    return _fill(x, median + sigma * _rng(generator).standard_cauchy(size=x._data.shape), "CauchyBackward0")
