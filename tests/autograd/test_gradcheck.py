import pytest

import saessak
from saessak.autograd import Function


def test_gradcheck_passes_for_correct_gradients():
    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    y = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(lambda a, b: (a * b).sin(), (x, y))
    assert saessak.autograd.gradgradcheck(lambda a, b: (a * b).sin(), (x, y))


def test_gradcheck_takes_single_tensors_several_outputs_and_non_tensor_inputs():
    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    constant = saessak.randn(3, dtype=saessak.float64)
    assert saessak.autograd.gradcheck(lambda a: a.exp(), x)
    assert saessak.autograd.gradcheck(lambda a: (a.exp(), (a * a).sum()), (x,))
    assert saessak.autograd.gradcheck(lambda a, c, k: a * c * k, (x, constant, 3.0))
    assert saessak.autograd.gradgradcheck(lambda a, c: (a * c).tanh(), (x, constant))


class Wrong(Function):
    @staticmethod
    def forward(ctx, x):
        return x * x

    @staticmethod
    def backward(ctx, gy):
        return gy * 3.0


def test_gradcheck_catches_a_wrong_gradient():
    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input 0"):
        saessak.autograd.gradcheck(Wrong.apply, (x,))
    assert saessak.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False) is False


class DoubleWrongly(Function):
    """``2 x`` with a right first derivative but a backward that is itself differentiated wrongly."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, gy):
        return gy * 3


class SquareWithWrongSecondDerivative(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * DoubleWrongly.apply(x)  # value 2x is right; its own gradient (3, not 2) is wrong


def test_gradgradcheck_catches_a_wrong_second_derivative():
    x = saessak.randn(3, dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(SquareWithWrongSecondDerivative.apply, (x,))
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        saessak.autograd.gradgradcheck(SquareWithWrongSecondDerivative.apply, (x,))
    assert saessak.autograd.gradgradcheck(SquareWithWrongSecondDerivative.apply, (x,), raise_exception=False) is False


def test_gradcheck_input_checks():
    with pytest.raises(ValueError, match="gradcheck expects at least one input tensor to require gradient"):
        saessak.autograd.gradcheck(lambda a: a * 2, (saessak.ones(2, dtype=saessak.float64),))
    x = saessak.randn(3, requires_grad=True)  # float32: finite differences are too coarse, and it says so
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double precision floating point"):
        saessak.autograd.gradcheck(lambda a: a * 2, (x,), raise_exception=False)
