"""Bad input raises the exception type PyTorch raises, with a message that names the problem."""

import pytest

import saessak
from tests.helpers import requires_torch, torch


def _backward_twice(lib):
    x = lib.ones(2, requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward()
    y.backward()


def _modify_saved(lib):
    x = lib.ones(2, requires_grad=True)
    h = x * 1.0
    y = h.sin()
    h.add_(1.0)
    y.sum().backward()


CASES = {
    "shape mismatch": (lambda lib: lib.ones(2, 3) + lib.ones(4), r"size of tensor a \(3\).*tensor b \(4\)"),
    "int by float matmul": (lambda lib: lib.ones(2, 3, dtype=lib.int64) @ lib.ones(3, 2), "long int != float"),
    "matmul shapes": (lambda lib: lib.ones(2, 3) @ lib.ones(4, 2), r"\(2x3 and 4x2\)"),
    "backward twice": (_backward_twice, "retain_graph=True"),
    "numpy of requires_grad": (lambda lib: lib.ones(2, requires_grad=True).numpy(), "detach"),
    "view of non-contiguous": (lambda lib: lib.ones(2, 3).t().view(6), "view size is not compatible"),
    "in-place on leaf": (lambda lib: lib.ones(2, requires_grad=True).add_(1), "leaf Variable that requires grad"),
    "modified saved tensor": (_modify_saved, "modified by an inplace operation"),
    "implicit grad of non-scalar": (lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(),
                                    "grad can be implicitly created only for scalar outputs"),
    "dim out of range": (lambda lib: lib.ones(2, 3).sum(3), "Dimension out of range"),
    "bad reshape": (lambda lib: lib.ones(2, 3).reshape(4, 2), r"shape '\[4, 2\]' is invalid for input of size 6"),
    "index out of bounds": (lambda lib: lib.ones(3)[5], "index 5 is out of bounds for dimension 0 with size 3"),
    "cat sizes": (lambda lib: lib.cat([lib.ones(2, 2), lib.ones(3, 3)], 1), "Sizes of tensors must match"),
    "mean of ints": (lambda lib: lib.tensor([1, 2]).mean(), "mean\\(\\): could not infer output dtype"),
    "bool of many": (lambda lib: bool(lib.ones(2)), "ambiguous"),
    "item of many": (lambda lib: lib.ones(2).item(), "cannot be converted to Scalar"),
    "grad of int": (lambda lib: lib.tensor([1, 2], requires_grad=True), "floating point"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_saessak_raises_a_message_that_names_the_problem(name):
    fn, pattern = CASES[name]
    with pytest.raises((RuntimeError, IndexError, TypeError, ValueError), match=pattern):
        fn(saessak)


@requires_torch
@pytest.mark.parametrize("name", sorted(CASES))
def test_exception_types_match_torch(name):
    fn, _ = CASES[name]
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(Exception) as ours:
        fn(saessak)
    assert type(ours.value) is type(theirs.value) or issubclass(type(theirs.value), type(ours.value)), (
        f"saessak raised {type(ours.value).__name__}, torch {type(theirs.value).__name__}"
    )
