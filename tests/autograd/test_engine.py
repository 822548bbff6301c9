"""The backward engine: accumulation, ordering, retain_graph, errors, higher order, deep graphs."""

import numpy as np
import pytest

import saessak
from tests.helpers import requires_torch, torch


def test_seed_examples():
    w = saessak.tensor(2.0, requires_grad=True)
    z = 5 * w**2 + 3
    z.backward()
    assert w.grad.item() == 20.0

    x = saessak.tensor(1.0, requires_grad=True)
    (first,) = saessak.autograd.grad(x**3, x, create_graph=True)
    (second,) = saessak.autograd.grad(first, x)
    assert first.item() == 3.0 and second.item() == 6.0

    x = saessak.ones(2, 2, requires_grad=True)
    out = ((x + 2) ** 3).mean()
    out.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 2), 6.75))
    out.backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 2), 13.5))

    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = saessak.tensor([0.1, 1.0, 0.0001])
    (2 * x).backward(v)
    np.testing.assert_allclose(x.grad.numpy(), 2 * v.numpy())


def test_leaf_and_grad_fn_bookkeeping():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = y + x
    assert x.is_leaf and not y.is_leaf and x.grad_fn is None
    assert z.grad_fn.name() == "AddBackward0" and y.grad_fn.name() == "MulBackward0"
    functions = z.grad_fn.next_functions
    assert functions[0][0] is y.grad_fn
    assert type(functions[1][0]).__name__ == "AccumulateGrad" and functions[1][0].variable is x
    assert y.grad_fn.next_functions[1] == (None, 0)
    assert not saessak.tensor([1.0]).requires_grad


def test_diamond_sums_each_path_once():
    x = saessak.tensor(3.0, requires_grad=True)
    a = x * 2
    b = a * a
    c = a + a
    (b + c).backward()
    # d/dx (4x^2 + 4x) = 8x + 4
    assert x.grad.item() == 28.0


def test_fan_out_of_a_leaf_into_many_ops():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    total = sum((x * k).sum() for k in range(1, 6))
    total.backward()
    assert x.grad.tolist() == [15.0, 15.0]


def test_non_scalar_backward_needs_gradient():
    x = saessak.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()


def test_second_backward_through_freed_graph_says_retain_graph():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_saved_tensors_are_released_after_backward():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    with pytest.raises(RuntimeError, match="freed"):
        node.saved_tensors


def test_backward_without_requires_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        saessak.ones(2).sum().backward()


def test_gradients_accumulate_and_are_independent_tensors():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    b = saessak.tensor([3.0, 4.0], requires_grad=True)
    (x + b).sum().backward()
    assert x.grad is not b.grad
    x.grad.mul_(10)
    assert b.grad.tolist() == [1.0, 1.0]
    (x * b).sum().backward()
    assert x.grad.tolist() == [13.0, 14.0]


def test_backward_inputs_restricts_accumulation():
    x = saessak.tensor(1.0, requires_grad=True)
    y = saessak.tensor(2.0, requires_grad=True)
    (x * y).backward(inputs=[x])
    assert x.grad.item() == 2.0 and y.grad is None


def test_autograd_grad_does_not_touch_grad_and_reports_unused():
    x = saessak.tensor(2.0, requires_grad=True)
    unused = saessak.tensor(1.0, requires_grad=True)
    y = x**2
    (gx,) = saessak.autograd.grad(y, x, retain_graph=True)
    assert gx.item() == 4.0 and x.grad is None
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        saessak.autograd.grad(y, [x, unused], retain_graph=True)
    gx, gu = saessak.autograd.grad(y, [x, unused], allow_unused=True)
    assert gu is None


def test_grad_with_respect_to_intermediate():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    out = (h * h).sum()
    (gh,) = saessak.autograd.grad(out, h)
    assert gh.tolist() == [6.0, 12.0]


def test_higher_order_to_fourth_order():
    x = saessak.tensor(2.0, requires_grad=True)
    y = x**5
    derivatives = []
    g = y
    for _ in range(4):
        (g,) = saessak.autograd.grad(g, x, create_graph=True)
        derivatives.append(g.item())
    assert derivatives == [5 * 16.0, 20 * 8.0, 60 * 4.0, 120 * 2.0]


@requires_torch
def test_double_backward_of_a_composite_matches_torch():
    data = np.random.default_rng(0).standard_normal((3, 4))
    results = []
    for lib in (saessak, torch):
        x = lib.tensor(data, requires_grad=True)
        y = (x.sin() * x.exp() + x.tanh() ** 2).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        g.pow(2).sum().backward()
        results.append(x.grad.detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-10)


def test_very_deep_graph_needs_no_recursion():
    x = saessak.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_001):
        y = y + 1.0
    y.backward()
    assert x.grad.item() == 1.0
    assert y.item() == 100_002.0


def test_retain_grad_keeps_intermediate_gradients():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]
    assert h.retains_grad


def test_detach_cuts_the_graph_and_shares_memory():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.grad_fn is None
    y = x * 1.0
    y.detach_()
    assert y.is_leaf and not y.requires_grad
    e = x.detach()
    e[0] = 5.0
    assert x[0].item() == 5.0


def test_backward_is_linear_in_graph_size():
    import time

    def run(n):
        x = saessak.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * 1.0
        start = time.perf_counter()
        y.backward()
        return time.perf_counter() - start

    run(1000)
    small, large = min(run(5000) for _ in range(2)), min(run(20000) for _ in range(2))
    assert large < small * 12  # 4x the nodes: linear is ~4x; quadratic would be ~16x
