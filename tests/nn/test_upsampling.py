import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch


@requires_torch
@pytest.mark.parametrize("make, shape", [
    (lambda lib: lib.nn.Upsample(scale_factor=2), (2, 3, 4, 5)),
    (lambda lib: lib.nn.Upsample(size=(3, 7), mode="bilinear", align_corners=True), (2, 3, 4, 5)),
    (lambda lib: lib.nn.Upsample(scale_factor=(2, 3)), (1, 2, 3, 3)),
    (lambda lib: lib.nn.Upsample(size=9, mode="linear"), (2, 3, 4)),
    (lambda lib: lib.nn.Upsample(scale_factor=2, mode="trilinear"), (1, 2, 2, 3, 2)),
    (lambda lib: lib.nn.UpsamplingNearest2d(scale_factor=2), (1, 2, 3, 4)),
    (lambda lib: lib.nn.UpsamplingBilinear2d(size=(5, 6)), (1, 2, 3, 4)),
])
def test_upsample_modules_match_torch(make, shape):
    ours, theirs = make(saessak), make(torch)
    assert repr(ours) == repr(theirs)
    check_op(lambda lib, x: (ours if lib is saessak else theirs)(x), shape)


@requires_torch
def test_deprecated_upsample_functions_warn_and_match_torch():
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    for name, kwargs in (("upsample", {"scale_factor": 2, "mode": "bilinear"}), ("upsample_nearest", {"size": 5}),
                         ("upsample_bilinear", {"scale_factor": 2})):
        with pytest.warns(UserWarning, match=f"nn.functional.{name}` is deprecated"):
            ours = getattr(saessak.nn.functional, name)(saessak.tensor(x), **kwargs)
        with pytest.warns(UserWarning):
            theirs = getattr(torch.nn.functional, name)(torch.tensor(x), **kwargs)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-12)


def test_upsample_doubles_a_feature_map():
    y = nn.Upsample(scale_factor=2)(saessak.tensor([[[1.0, 2.0]]]))
    assert y.tolist() == [[[1.0, 1.0, 2.0, 2.0]]]
