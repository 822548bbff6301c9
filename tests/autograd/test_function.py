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
    assert len(y.grad_fn.next_functions) == 1  # non-tensor arguments get no edge, as in PyTorch


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


def _identity_with_backward(backward):
    class Custom(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

    Custom.backward = staticmethod(backward)
    return Custom


def test_backward_returning_the_wrong_number_or_shape_of_gradients():
    x = saessak.ones(2, requires_grad=True)
    custom = _identity_with_backward(lambda ctx, gy: (gy, gy))
    with pytest.raises(RuntimeError, match=r"returned an incorrect number of gradients \(expected 1, got 2\)"):
        custom.apply(x).sum().backward()
    custom = _identity_with_backward(lambda ctx, gy: saessak.ones(3))
    message = (
        r"CustomBackward returned an invalid gradient at index 0 - got \[3\] but expected shape compatible with \[2\]"
    )
    with pytest.raises(RuntimeError, match=message):
        custom.apply(x).sum().backward()
    # a gradient that broadcasts the input's shape is summed back, as in PyTorch
    custom = _identity_with_backward(lambda ctx, gy: gy.expand(3, 2))
    custom.apply(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_backward_may_return_none_and_extra_gradients_for_non_tensors():
    x = saessak.ones(2, requires_grad=True)
    _identity_with_backward(lambda ctx, gy: None).apply(x).sum().backward()
    assert x.grad is None
    y = MyReLU.apply(saessak.ones(2))  # nothing requires grad: no node
    assert not y.requires_grad and y.grad_fn is None
    with saessak.no_grad():
        y = MyReLU.apply(x)
    assert not y.requires_grad and y.grad_fn is None


def test_save_for_backward_takes_tensors_or_none_only():
    class SavesANumber(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3.0)
            return x * 2

    with pytest.raises(TypeError, match="save_for_backward can only save variables, but argument 1 is of type float"):
        SavesANumber.apply(saessak.ones(2, requires_grad=True))

    class SavesNone(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(None, x)
            return x * 2

        @staticmethod
        def backward(ctx, gy):
            missing, x = ctx.saved_tensors
            assert missing is None
            return gy * 2

    x = saessak.ones(2, requires_grad=True)
    SavesNone.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_needs_input_grad_follows_the_inputs():
    seen = []

    class Mul(Function):
        @staticmethod
        def forward(ctx, x, y):
            seen.append(ctx.needs_input_grad)
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, gy):
            x, y = ctx.saved_tensors
            return (gy * y if ctx.needs_input_grad[0] else None), (gy * x if ctx.needs_input_grad[1] else None)

    a, b = saessak.tensor([2.0], requires_grad=True), saessak.tensor([3.0])
    Mul.apply(a, b).sum().backward()
    Mul.apply(b, a).sum().backward()
    Mul.apply(a, a).sum().backward()
    assert seen == [(True, False), (False, True), (True, True)]
    assert a.grad.tolist() == [3.0 + 3.0 + 4.0]


def test_several_outputs_and_materialized_grads():
    class SinCos(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x.cos()

        @staticmethod
        def backward(ctx, g_sin, g_cos):
            (x,) = ctx.saved_tensors
            return g_sin * x.cos() - g_cos * x.sin()

    x = saessak.tensor([0.5, 1.0], dtype=saessak.float64, requires_grad=True)
    s, c = SinCos.apply(x)
    s.sum().backward()  # g_cos arrives as zeros
    np.testing.assert_allclose(x.grad.numpy(), np.cos([0.5, 1.0]))
    assert saessak.autograd.gradcheck(SinCos.apply, (x,))
    assert saessak.autograd.gradgradcheck(SinCos.apply, (x,))

    class Unmaterialized(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g_first, g_second):
            assert g_second is None
            return g_first * 2

    x = saessak.ones(2, requires_grad=True)
    first, _ = Unmaterialized.apply(x)
    first.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_mark_dirty_for_a_forward_that_works_in_place():
    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, gy):
            return gy * 2

    a = saessak.ones(2, requires_grad=True)
    x = a * 1.0
    y = DoubleInPlace.apply(x)
    assert y is x and x._version == 2 and x.tolist() == [2.0, 2.0]
    y.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0]


def test_once_differentiable_refuses_double_backward():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        @saessak.autograd.function.once_differentiable
        def backward(ctx, gy):
            (x,) = ctx.saved_tensors
            return gy * 2 * x

    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    (g,) = saessak.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    assert g.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError):
        g.sum().backward()


def test_forward_may_use_numpy_and_return_a_new_tensor():
    class NumpyTanh(Function):
        @staticmethod
        def forward(ctx, x):
            y = saessak.from_numpy(np.tanh(x.detach().numpy()))
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, gy):
            (y,) = ctx.saved_tensors
            return gy * (1 - y * y)

    x = saessak.tensor([0.1, -0.4, 2.0], dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradcheck(NumpyTanh.apply, (x,))
    assert saessak.autograd.gradgradcheck(NumpyTanh.apply, (x,))


@requires_torch
def test_custom_functions_match_torch_through_double_backward():
    data = np.array([-1.5, -0.2, 0.3, 2.0])
    results = []
    for lib, relu, exp in ((saessak, MyReLU, Exp), (torch, None, None)):
        x = lib.tensor(data, requires_grad=True)
        if lib is torch:
            y = torch.exp(torch.relu(x) * x)
        else:
            y = exp.apply(relu.apply(x) * x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x)
        results.append((y.detach().numpy(), g.detach().numpy(), gg.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_apply_passes_keyword_options_and_ctx_attributes():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x, *, factor=2.0):
            ctx.factor = factor
            return x * factor

        @staticmethod
        def backward(ctx, gy):
            return gy * ctx.factor

    x = saessak.ones(2, requires_grad=True)
    y = Scale.apply(x, factor=5.0)
    y.sum().backward()
    assert y.tolist() == [5.0, 5.0] and x.grad.tolist() == [5.0, 5.0]
    assert y.grad_fn.next_functions[0][0].variable is x


def test_variable_makes_a_leaf_tensor_sharing_data():
    from saessak.autograd import Variable

    data = saessak.ones(2)
    x = Variable(data, requires_grad=True)
    assert type(x) is saessak.Tensor and x.is_leaf and x.requires_grad
    assert isinstance(data, Variable) and not Variable(data).requires_grad
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    with saessak.no_grad():
        x.add_(1.0)
    np.testing.assert_array_equal(data.numpy(), [2.0, 2.0])  # the same storage, as in PyTorch
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        Variable([1, 2])
