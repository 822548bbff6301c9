import numpy as np
import pytest

from tests.helpers import check_op


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,))])
def test_binary_ops_match_torch_and_gradcheck(shapes):
    for op in (lambda lib, x, y: x + y, lambda lib, x, y: x - y, lambda lib, x, y: x * y,
               lambda lib, x, y: lib.add(x, y, alpha=2.5)):
        check_op(op, *shapes)


def test_division_and_power():
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 2.0, (3, 4))
    y = rng.uniform(0.5, 2.0, (4,))
    check_op(lambda lib, a, b: a / b, x, y)
    check_op(lambda lib, a, b: a ** b, x, y)
    check_op(lambda lib, a: a ** 3, x)
    check_op(lambda lib, a: 2.0 / a, x)
    check_op(lambda lib, a: 3 - a, x)
    check_op(lambda lib, a: -a, x)
