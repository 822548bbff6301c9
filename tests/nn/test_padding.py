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
