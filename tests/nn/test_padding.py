import numpy as np
import pytest

import saessak
from tests.helpers import check_op, requires_torch, torch


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_modes_match_torch(mode):
    check_op(lambda lib, x: lib.nn.functional.pad(x, (1, 2), mode=mode), (2, 3, 4))
    check_op(lambda lib, x: lib.nn.functional.pad(x, (1, 1, 2, 0), mode=mode), (1, 2, 3, 4))


def test_constant_value_and_cropping():
    check_op(lambda lib, x: lib.nn.functional.pad(x, (1, 1), value=3.5), (2, 3))
    check_op(lambda lib, x: lib.nn.functional.pad(x, (-1, 2)), (2, 4))


@pytest.mark.parametrize("kwargs", [{"scale_factor": 2}, {"size": (5, 3)}, {"scale_factor": 2, "mode": "bilinear"},
                                    {"size": (5, 7), "mode": "bilinear", "align_corners": True},
                                    {"size": (3, 2), "mode": "bilinear"}])
def test_interpolate_matches_torch(kwargs):
    check_op(lambda lib, x: lib.nn.functional.interpolate(x, **kwargs), (1, 2, 3, 4), gradgrad=False)


@requires_torch
def test_pad_sequence_matches_torch():
    rng = np.random.default_rng(0)
    seqs = [rng.standard_normal((n, 2)).astype(np.float32) for n in (3, 1, 2)]
    for batch_first in (False, True):
        a = saessak.nn.utils.rnn.pad_sequence([saessak.tensor(s) for s in seqs], batch_first=batch_first,
                                               padding_value=-1.0)
        b = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], batch_first=batch_first,
                                            padding_value=-1.0)
        np.testing.assert_allclose(a.numpy(), b.numpy())


@requires_torch
def test_clip_grad_norm_matches_torch():
    rng = np.random.default_rng(1)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    results = []
    for lib in (saessak, torch):
        params = [lib.zeros(*g.shape, dtype=lib.float64, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
        total = lib.nn.utils.clip_grad_norm_(params, 1.0)
        results.append((total.item(), [p.grad.numpy().copy() for p in params]))
    np.testing.assert_allclose(results[0][0], results[1][0])
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    vector = saessak.nn.utils.parameters_to_vector([saessak.ones(2, 2), saessak.zeros(3)])
    assert vector.tolist() == [1.0] * 4 + [0.0] * 3


# ---------------------------------------------------------------- padding modules and more modes
@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_3d_matches_torch(mode):
    check_op(lambda lib, x: lib.nn.functional.pad(x, (1, 2, 0, 1, 2, 1), mode=mode), (1, 2, 3, 3, 4))


_PAD_MODULES = [
    ("ZeroPad1d", (2,), 1), ("ZeroPad2d", ((1, 2, 0, 3),), 2), ("ZeroPad3d", (1,), 3),
    ("ConstantPad1d", ((1, 2), 3.5), 1), ("ConstantPad2d", (1, -2.0), 2), ("ConstantPad3d", ((1, 0, 2, 1, 0, 1), 1), 3),
    ("ReflectionPad1d", (2,), 1), ("ReflectionPad2d", ((1, 2, 2, 0),), 2), ("ReflectionPad3d", (1,), 3),
    ("ReplicationPad1d", ((3, 1),), 1), ("ReplicationPad2d", (2,), 2), ("ReplicationPad3d", ((1, 2, 0, 1, 2, 0),), 3),
    ("CircularPad1d", (2,), 1), ("CircularPad2d", ((1, 3, 2, 0),), 2), ("CircularPad3d", (1,), 3),
]


@requires_torch
@pytest.mark.parametrize("name, args, dims", _PAD_MODULES)
def test_padding_modules_match_torch(name, args, dims):
    ours, theirs = getattr(saessak.nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    for shape in ((2, 2, 3, 4, 5)[: dims + 2], (2, 3, 4, 5)[: dims + 1]):  # batched and unbatched
        check_op(lambda lib, x, name=name: (ours if lib is saessak else theirs)(x), shape)


def test_padding_module_errors_teach():
    with pytest.raises(ValueError, match=r"ReflectionPad2d expected 3D \(unbatched\) or 4D \(batched\) input"):
        saessak.nn.ReflectionPad2d(1)(saessak.ones(3, 3))
    with pytest.raises(RuntimeError, match=r"Padding size should be less than the corresponding input dimension"):
        saessak.nn.functional.pad(saessak.ones(1, 2, 3), (3, 3), mode="reflect")
    with pytest.raises(RuntimeError, match="wrapping around more than once"):
        saessak.nn.functional.pad(saessak.ones(1, 2, 3), (4, 0), mode="circular")
    with pytest.raises(ValueError, match="expected padding to be an int or a tuple of 4 ints"):
        saessak.nn.ZeroPad2d((1, 2))


# ---------------------------------------------------------------- interpolate: every mode and rank
@pytest.mark.parametrize("shape, kwargs", [
    ((2, 3, 5), {"scale_factor": 2, "mode": "linear"}),
    ((2, 3, 5), {"size": 7, "mode": "linear", "align_corners": True}),
    ((2, 3, 5), {"size": 3, "mode": "nearest"}),
    ((1, 2, 2, 3, 4), {"scale_factor": 2, "mode": "nearest"}),
    ((1, 2, 2, 3, 4), {"size": (3, 5, 3), "mode": "trilinear"}),
    ((1, 2, 2, 3, 4), {"scale_factor": (1.5, 2, 0.5), "mode": "trilinear", "align_corners": True}),
    ((1, 2, 3, 4), {"scale_factor": 2, "mode": "bicubic"}),
    ((1, 2, 4, 5), {"size": (3, 7), "mode": "bicubic", "align_corners": True}),
    ((1, 2, 3, 5), {"size": (7, 4), "mode": "nearest-exact"}),
    ((1, 2, 6, 5), {"size": (3, 2), "mode": "area"}),
    ((2, 3, 7), {"size": 3, "mode": "area"}),
    ((1, 2, 3, 4), {"scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True}),
])
def test_interpolate_modes_match_torch(shape, kwargs):
    check_op(lambda lib, x: lib.nn.functional.interpolate(x, **kwargs), shape)


def test_interpolate_errors_match_torch():
    f = saessak.nn.functional
    with pytest.raises(NotImplementedError, match="Got 4D input, but linear mode needs 3D input"):
        f.interpolate(saessak.ones(1, 1, 2, 2), scale_factor=2, mode="linear")
    with pytest.raises(ValueError, match="align_corners option can only be set with the interpolating modes"):
        f.interpolate(saessak.ones(1, 1, 2, 2), scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="only one of size or scale_factor should be defined"):
        f.interpolate(saessak.ones(1, 1, 2, 2), size=3, scale_factor=2)
    with pytest.raises(ValueError, match="must have the same number of spatial dimensions"):
        f.interpolate(saessak.ones(1, 1, 2, 2), size=(1, 2, 3))
