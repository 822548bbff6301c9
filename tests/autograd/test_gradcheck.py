import pytest

import saessak
from saessak.autograd import Function


def test_gradcheck_passes_for_correct_gradients():
    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    y = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(lambda a, b: (a * b).sin(), (x, y))
    assert saessak.autograd.gradgradcheck(lambda a, b: (a * b).sin(), (x, y))


def test_gradcheck_catches_a_wrong_gradient():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, gy):
            return gy * 3.0

    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        saessak.autograd.gradcheck(Wrong.apply, (x,))
    assert saessak.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False) is False
