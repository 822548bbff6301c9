"""Custom autograd.Function written the PyTorch way, and the saved-tensor rules of every node."""

import numpy as np
import pytest

import saessak
from saessak.autograd import Function
from tests.helpers import requires_torch, torch


class MyReLU(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y


class ScaleWithOptions(Function):
    @staticmethod
    def forward(ctx, x, factor, label):
        ctx.factor = factor
        assert ctx.needs_input_grad == (True, False, False)
        return x * factor

    @staticmethod
    def backward(ctx, gy):
        return gy * ctx.factor, None, None


def test_classic_my_relu():
    x = saessak.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    y = MyReLU.apply(x)
    assert y.tolist() == [0.0, 2.0, 0.0, 4.0]
    assert type(y.grad_fn).__name__ == "MyReLUBackward"
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_saving_the_output_supports_double_backward():
    x = saessak.tensor([0.5, 1.0], dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(Exp.apply, (x,))
    assert saessak.autograd.gradgradcheck(Exp.apply, (x,))
    (g,) = saessak.autograd.grad(Exp.apply(x).sum(), x, create_graph=True)
    (gg,) = saessak.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), np.exp([0.5, 1.0]))


def test_non_tensor_arguments_and_needs_input_grad():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = ScaleWithOptions.apply(x, 3.0, "label")
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_mark_non_differentiable():
    class SortWithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            values, index = x.sort()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return values, index

        @staticmethod
        def backward(ctx, g_values, g_index):
            (index,) = ctx.saved_tensors
            out = saessak.zeros_like(g_values)
            out[index] = g_values
            return out

    x = saessak.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, index = SortWithIndex.apply(x)
    assert values.requires_grad and not index.requires_grad
    (values * saessak.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [3.0, 1.0, 2.0]


def test_modifying_a_saved_tensor_in_place_is_detected():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    z = y * y  # saves y
    y.add_(1.0)
    assert y._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_on_a_leaf_requiring_grad_raises_but_not_under_no_grad():
    w = saessak.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        w.add_(1.0)
    with saessak.no_grad():
        w.add_(1.0)
        w.mul_(2.0)
    assert w.tolist() == [4.0, 6.0]
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        w[0].mul_(2.0)


def test_in_place_ops_keep_gradients_right():
    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.add_(1.0)
    y.mul_(3.0)
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0, 6.0]
    assert y.grad_fn.name() == "MulBackward0"


@requires_torch
def test_in_place_through_views_matches_torch():
    results = []
    for lib in (saessak, torch):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = w * 1.0
        y.view(2, 2)[0].mul_(10.0)
        y[3] = w[0] * 5
        (y * lib.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        results.append((y.detach().numpy().copy(), w.grad.numpy().copy()))
    np.testing.assert_allclose(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1])


def test_version_counter_shared_with_views_and_detach():
    x = saessak.zeros(4)
    v = x[1:]
    d = x.detach()
    x.add_(1)
    assert x._version == v._version == d._version == 1
