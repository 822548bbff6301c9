import pytest

import saessak
from tests.helpers import requires_torch, torch


@requires_torch
@pytest.mark.parametrize("name", ["float16", "float32", "float64", "bfloat16"])
def test_finfo_matches_torch(name):
    ours, theirs = saessak.finfo(getattr(saessak, name)), torch.finfo(getattr(torch, name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert repr(ours) == repr(theirs)


@requires_torch
@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name):
    ours, theirs = saessak.iinfo(getattr(saessak, name)), torch.iinfo(getattr(torch, name))
    assert (ours.bits, ours.min, ours.max, ours.dtype) == (theirs.bits, theirs.min, theirs.max, theirs.dtype)
    assert repr(ours) == repr(theirs)


def test_finfo_defaults_and_errors():
    assert saessak.finfo().eps == saessak.finfo(saessak.float32).eps
    with pytest.raises(TypeError, match="requires a floating point input type"):
        saessak.finfo(saessak.int32)
    with pytest.raises(TypeError, match="requires an integer input type"):
        saessak.iinfo(saessak.float32)
