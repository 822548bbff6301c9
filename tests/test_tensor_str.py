import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch


@pytest.fixture(autouse=True)
def _default_printoptions():
    yield
    saessak.set_printoptions(profile="default", sci_mode=None)
    if torch is not None:
        torch.set_printoptions(profile="default", sci_mode=None)


def _random_array(rng: np.random.Generator) -> np.ndarray:
    """Shapes up to 4-D (sometimes large enough to summarise), magnitudes 1e-9..1e11, every printable dtype."""
    ndim = int(rng.integers(0, 5))
    high = 25 if rng.random() < 0.15 else (6 if ndim > 2 else 12)
    shape = tuple(int(s) for s in rng.integers(0, high, ndim))
    a = rng.standard_normal(shape) * 10.0 ** rng.integers(-9, 12)
    if rng.random() < 0.3:
        a = np.round(a)
    if rng.random() < 0.2 and a.size:
        flat = a.reshape(-1)
        for value in rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-30, 1e30], size=2):
            flat[rng.integers(0, flat.size)] = value
    kind = rng.choice(["float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"])
    if kind == "float16":
        return np.clip(a, -6e4, 6e4).astype(np.float16)
    if kind == "bool":
        return a > 0
    if kind.startswith(("int", "uint")):
        info = np.iinfo(kind)
        return np.clip(np.nan_to_num(a), max(info.min, -1e18), min(info.max, 1e18)).astype(kind)
    return a.astype(kind)


def _random_options(rng: np.random.Generator) -> dict:
    if rng.random() < 0.5:
        return {}
    return dict(precision=int(rng.integers(0, 8)), threshold=int(rng.choice([5, 50, 1000])),
                edgeitems=int(rng.integers(0, 5)), linewidth=int(rng.choice([20, 40, 80, 120])),
                sci_mode=[None, True, False][int(rng.integers(0, 3))])


def _make(lib, array, history: int):
    """A tensor of ``array``; ``history`` 1: requires grad, 2: has a grad_fn (negation is exact)."""
    x = lib.tensor(array, requires_grad=bool(history))
    return -x if history == 2 else x


@requires_torch
@pytest.mark.parametrize("seed", range(8))
def test_repr_matches_torch_on_random_tensors_and_options(seed):
    rng = np.random.default_rng(seed)
    for _ in range(60):
        array = np.asarray(_random_array(rng))
        options = _random_options(rng)
        history = int(rng.integers(0, 3)) if array.dtype.kind == "f" else 0
        texts = []
        for lib in (saessak, torch):
            lib.set_printoptions(**options) if options else lib.set_printoptions(profile="default", sci_mode=None)
            with np.errstate(all="ignore"):
                texts.append(repr(_make(lib, array, history)))
        assert texts[0] == texts[1], f"{array.dtype} {array.shape} {options}"


@requires_torch
@pytest.mark.parametrize("values", [
    [1.0, 2.0], [1e-5, 1.0], [1e9, 1.0], [100000.0, 1.0], [1.5, float("nan"), float("inf"), -0.0],
    [0.0, -0.0], [float("nan")], [-float("inf"), 3.0], [1e-300], [123456789.0], [0.1, 0.25, 1000.5],
])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_float_notation_matches_torch(values, dtype):
    ours = saessak.tensor(values, dtype=getattr(saessak, dtype))
    theirs = torch.tensor(values, dtype=getattr(torch, dtype))
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@requires_torch
def test_repr_with_autograd_suffixes_matches_torch():
    texts = []
    for lib in (saessak, torch):
        x = lib.tensor([[1.0, 2.0]], requires_grad=True)
        y = (x * 2).sum() + 17
        long = lib.arange(30.0, requires_grad=True) * 3  # the suffix moves to its own line
        empty = lib.zeros(0, 2, requires_grad=True)
        texts.append((repr(x), repr(y), str(y), repr(long), repr(x.detach()), repr(empty)))
    assert texts[0] == texts[1]


@requires_torch
def test_print_options_profiles_match_torch():
    array = np.linspace(-3, 3, 2500).reshape(50, 50).astype(np.float32)
    for profile in ("default", "short", "full"):
        saessak.set_printoptions(profile=profile)
        torch.set_printoptions(profile=profile)
        assert repr(saessak.tensor(array)) == repr(torch.tensor(array))
        assert saessak.get_printoptions()["precision"] == torch._tensor_str.PRINT_OPTS.precision


def test_golden_strings_without_torch():
    x = saessak.tensor([[1.0, 2.0]], requires_grad=True)
    assert repr(x) == "tensor([[1., 2.]], requires_grad=True)"
    w = saessak.tensor(2.0, requires_grad=True)
    assert repr(5 * w**2 + 3) == "tensor(23., grad_fn=<AddBackward0>)"
    assert repr(saessak.tensor([1, 2], dtype=saessak.int32)) == "tensor([1, 2], dtype=torch.int32)"
    assert repr(saessak.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(saessak.tensor([True, False])) == "tensor([ True, False])"
    assert repr(saessak.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(saessak.zeros(0, dtype=saessak.int64)) == "tensor([], dtype=torch.int64)"
    assert repr(saessak.tensor([0.5, 1.25], dtype=saessak.float64)) == "tensor([0.5000, 1.2500], dtype=torch.float64)"
    assert repr(saessak.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(saessak.tensor([1.5, float("nan"), float("inf"), -0.0])) == "tensor([1.5000,    nan,    inf, -0.0000])"
    matrix = saessak.tensor([[1.0, -2.5], [30.0, 4.0]])
    assert repr(matrix) == "tensor([[ 1.0000, -2.5000],\n        [30.0000,  4.0000]])"
    assert repr(saessak.tensor(3)) == "tensor(3)"


def test_summarised_and_wrapped_golden_strings():
    assert repr(saessak.arange(2000)) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    assert repr(saessak.arange(1000.0, 3000.0).reshape(1000, 2)) == (
        "tensor([[1000., 1001.],\n        [1002., 1003.],\n        [1004., 1005.],\n        ...,\n"
        "        [2994., 2995.],\n        [2996., 2997.],\n        [2998., 2999.]])"
    )
    text = repr(saessak.arange(30))
    assert text.splitlines()[0] == "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,"
    assert all(len(line) <= 80 for line in text.splitlines())


def test_set_printoptions_changes_precision_sci_mode_and_threshold():
    saessak.set_printoptions(precision=2)
    assert repr(saessak.tensor([1.23456])) == "tensor([1.23])"
    saessak.set_printoptions(sci_mode=True)
    assert repr(saessak.tensor([1.5])) == "tensor([1.50e+00])"
    saessak.set_printoptions(profile="default", sci_mode=False)
    assert repr(saessak.tensor([1e-5, 1.0])) == "tensor([0.0000, 1.0000])"
    saessak.set_printoptions(threshold=3, edgeitems=1, sci_mode=None)
    assert repr(saessak.tensor([1, 2, 3, 4])) == "tensor([1,  ..., 4])"
    saessak.set_printoptions(profile="default")
    assert saessak.get_printoptions()["threshold"] == 1000


def test_edgeitems_zero_prints_size():
    saessak.set_printoptions(threshold=5, edgeitems=0)
    assert repr(saessak.ones(3, 4)) == "tensor([...], size=(3, 4))"
    assert repr(saessak.ones(30)) == "tensor([...], size=(30,))"


def test_subclasses_and_custom_contents():
    class Marked(saessak.Tensor):
        pass

    x = saessak.ones(2)
    x.__class__ = Marked
    assert repr(x) == "Marked([1., 1.])"
    p = saessak.nn.Parameter(saessak.ones(2))
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"
    y = saessak.ones(2, requires_grad=True)
    assert y.__repr__(tensor_contents="[abc]") == "tensor([abc], requires_grad=True)"


def test_str_and_format():
    t = saessak.tensor(2.5)
    assert str(t) == repr(t) == "tensor(2.5000)"
    assert f"{t:.1f}" == "2.5"
