"""Collation (utils/data/collate.py): default_collate and default_convert keep structure and dtypes like PyTorch."""

from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import saessak
from saessak.utils.data import default_collate, default_convert
from tests.helpers import requires_torch, torch

Point = namedtuple("Point", ["x", "y"])


def describe(value):
    """A library-neutral picture of a collated batch: containers by kind, tensors as (dtype, shape, values)."""
    if hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, np.ndarray):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.tolist())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, [describe(v) for v in value])
    if isinstance(value, dict):
        return (type(value).__name__, {k: describe(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value).__name__, [describe(v) for v in value])
    return value


def samples(lib):
    return {
        "tensors": [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        "ints": [1, 2, 3],
        "floats": [0.5, 1.5],
        "bools": [True, False],
        "strings": ["a", "b"],
        "numpy": [np.zeros((2, 2), np.float32), np.ones((2, 2), np.float32)],
        "numpy_scalars": [np.int32(1), np.int32(2)],
        "tuples": [(lib.tensor(1), 0), (lib.tensor(2), 1)],
        "lists": [[1, "x"], [2, "y"]],
        "dicts": [{"image": lib.ones(2), "label": 1, "name": "a"}, {"image": lib.zeros(2), "label": 0, "name": "b"}],
        "ordered": [OrderedDict(a=1, b=2.0), OrderedDict(a=3, b=4.0)],
        "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
        "nested": [{"pair": (1, [2.0, lib.tensor(3)])}, {"pair": (4, [5.0, lib.tensor(6)])}],
    }


@requires_torch
@pytest.mark.parametrize("kind", list(samples(saessak)))
def test_default_collate_matches_torch(kind):
    ours = default_collate(samples(saessak)[kind])
    theirs = torch.utils.data.default_collate(samples(torch)[kind])
    assert describe(ours) == describe(theirs)


@requires_torch
@pytest.mark.parametrize("value", [np.arange(3), {"a": np.ones(2), "b": (np.float64(1.5), "s")}, Point(np.zeros(1), 2),
                                   [np.int64(4), 5], "text", 3])
def test_default_convert_matches_torch(value):
    assert describe(default_convert(value)) == describe(torch.utils.data.default_convert(value))


def test_default_collate_dtypes_without_torch():
    assert default_collate([1, 2]).dtype == saessak.int64
    assert default_collate([1.0, 2.0]).dtype == saessak.float64
    assert default_collate([True, False]).dtype == saessak.bool
    assert default_collate([np.float16(1), np.float16(2)]).dtype == saessak.float16
    batch = default_collate([{"x": saessak.zeros(3)}, {"x": saessak.ones(3)}])
    assert batch["x"].shape == (2, 3)


def test_default_collate_errors_are_clear():
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([object(), object()])
    with pytest.raises(TypeError, match="default_collate"):
        default_collate([np.array(["a"]), np.array(["b"])])
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [3]])
