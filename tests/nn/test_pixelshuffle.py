import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch


def test_shuffles_match_torch():
    check_op(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), (2, 8, 2, 3))
    check_op(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 3), (9, 1, 2))  # unbatched
    check_op(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), (2, 3, 4, 6))
    check_op(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), (2, 1, 2, 4, 2))  # two batch dims
    check_op(lambda lib, x: lib.nn.functional.channel_shuffle(x, 3), (2, 6, 2, 2))
    check_op(lambda lib, x: lib.nn.functional.channel_shuffle(x, 2), (2, 4, 3))


def test_pixel_unshuffle_inverts_pixel_shuffle():
    x = saessak.randn(2, 12, 3, 4)
    assert saessak.equal(nn.functional.pixel_unshuffle(nn.functional.pixel_shuffle(x, 2), 2), x)


@requires_torch
def test_shuffle_modules_match_torch():
    x = np.random.default_rng(0).standard_normal((2, 8, 4, 4)).astype(np.float32)
    for name, arg in (("PixelShuffle", 2), ("PixelUnshuffle", 2), ("ChannelShuffle", 4)):
        ours, theirs = getattr(nn, name)(arg), getattr(torch.nn, name)(arg)
        assert repr(ours) == repr(theirs)
        np.testing.assert_array_equal(ours(saessak.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy())


def test_shuffle_errors_teach():
    with pytest.raises(RuntimeError, match=r"input.size\(-3\)=5 is not divisible by 4"):
        nn.PixelShuffle(2)(saessak.ones(1, 5, 2, 2))
    with pytest.raises(RuntimeError, match=r"input.size\(-1\)=3 is not divisible by 2"):
        nn.PixelUnshuffle(2)(saessak.ones(1, 1, 2, 3))
    with pytest.raises(RuntimeError, match="Got 5 channels and 2 groups"):
        nn.ChannelShuffle(2)(saessak.ones(1, 5, 2))
