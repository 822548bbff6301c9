import numpy as np
import pytest

import saessak
from tests.helpers import check_op


@pytest.mark.parametrize("invert", [False, True])
def test_isin_matches_torch(invert):
    elements, test = np.array([[1, 2], [3, 4]]), np.array([2, 3, 9])
    check_op(lambda lib, x, y: lib.isin(x, y, invert=invert), elements, test, grad=False)
    check_op(lambda lib, x: lib.isin(x, 2.0), np.array([1.0, 2.0]), grad=False)
    check_op(lambda lib, y: lib.isin(2, y), np.array([1, 2]), grad=False)


def test_isin_needs_a_tensor():
    with pytest.raises(TypeError, match=r"isin\(\) received an invalid combination of arguments"):
        saessak.isin(1, 2)
