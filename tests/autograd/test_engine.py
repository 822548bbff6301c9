"""The backward engine: accumulation, ordering, retain_graph, errors, higher order, deep graphs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import saessak
from saessak.autograd import Function
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


@pytest.mark.parametrize("step", ["mul", "add"])
def test_very_deep_graph_needs_no_recursion(step):
    x = saessak.tensor(1.0, dtype=saessak.float64, requires_grad=True)
    y = x
    n = 100_001
    for _ in range(n):
        y = y * 1.0001 if step == "mul" else y + 1.0
    y.backward()
    if step == "mul":
        np.testing.assert_allclose(x.grad.item(), 1.0001**n, rtol=1e-9)
        np.testing.assert_allclose(y.item(), 1.0001**n, rtol=1e-9)
    else:
        assert x.grad.item() == 1.0 and y.item() == n + 1.0


class _Counted(Function):
    """Identity that counts how often its backward runs."""

    calls = 0

    @staticmethod
    def forward(ctx, x):
        return x * 1.0

    @staticmethod
    def backward(ctx, gy):
        _Counted.calls += 1
        return gy


def test_every_node_runs_once_even_with_exponentially_many_paths():
    # each level feeds both inputs of an add: 2**60 paths from the output to x, 120 nodes
    x = saessak.tensor(1.0, dtype=saessak.float64, requires_grad=True)
    y = x
    for _ in range(60):
        y = _Counted.apply(y) + _Counted.apply(y)
    _Counted.calls = 0
    y.backward()
    assert _Counted.calls == 120
    assert x.grad.item() == 2.0**60


@pytest.mark.parametrize("n", [10_000, 40_000])
def test_backward_visits_each_node_of_a_chain_once(n):
    x = saessak.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = _Counted.apply(y)
    _Counted.calls = 0
    y.backward()
    assert _Counted.calls == n and x.grad.item() == 1.0


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


def test_gradient_must_have_the_output_shape():
    x = saessak.ones(3, requires_grad=True)
    message = r"Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[2\]\) and output\[0\] has a shape"
    with pytest.raises(RuntimeError, match=message):
        (x * 2).backward(saessak.ones(2))


def test_retain_graph_allows_a_second_backward_and_create_graph_implies_it():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy())
    z = (x**3).sum()
    (g,) = saessak.autograd.grad(z, x, create_graph=True)  # retain_graph defaults to create_graph
    (g2,) = saessak.autograd.grad(z, x)
    assert g.tolist() == g2.tolist() == [3.0, 12.0]


def test_backward_with_create_graph_gives_a_differentiable_grad():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    assert x.grad.tolist() == [3.0, 12.0]
    (second,) = saessak.autograd.grad(x.grad.sum(), x)
    assert second.tolist() == [6.0, 12.0]


def test_autograd_grad_with_grad_outputs_and_several_outputs():
    x = saessak.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a, b = x * 2, x**2
    ga, gb = saessak.tensor([1.0, 0.0, 1.0]), saessak.tensor([1.0, 1.0, 0.5])
    (gx,) = saessak.autograd.grad([a, b], [x], grad_outputs=[ga, gb], retain_graph=True)
    np.testing.assert_allclose(gx.numpy(), 2 * ga.numpy() + 2 * x.detach().numpy() * gb.numpy())
    (gx,) = saessak.autograd.grad(b, x, grad_outputs=saessak.ones(3), materialize_grads=True)
    assert gx.tolist() == [2.0, 4.0, 6.0]


def test_autograd_grad_errors_and_materialize_grads():
    x = saessak.tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
        saessak.autograd.grad(x * 2, saessak.tensor(1.0))
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does not have a grad_fn"):
        saessak.autograd.grad(saessak.tensor(1.0) * 2, x)
    unused = saessak.tensor(1.0, requires_grad=True)
    gx, gu = saessak.autograd.grad(x * 3, [x, unused], materialize_grads=True)
    assert gx.item() == 3.0 and gu.item() == 0.0


def test_module_level_backward_and_inputs_on_a_non_leaf():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    saessak.autograd.backward([(h * h).sum()], inputs=[h])
    assert h.grad.tolist() == [4.0, 8.0] and x.grad is None
    with pytest.raises(RuntimeError, match="'inputs' argument to backward\\(\\) cannot be empty"):
        (x * 2).sum().backward(inputs=[])
    y1, y2 = x * 1.0, x * 3.0
    saessak.autograd.backward([y1, y2], [saessak.ones(2), saessak.full((2,), 2.0)])
    assert x.grad.tolist() == [7.0, 7.0]


def test_requires_grad_rules():
    x = saessak.tensor([1.0, 2.0])
    assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
    x.requires_grad_(False)
    assert not x.requires_grad
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        saessak.tensor([1, 2]).requires_grad_()
    w = saessak.ones(2, requires_grad=True)
    h = w * 2
    assert not h.is_leaf and h.requires_grad and (saessak.ones(2) * 2).is_leaf
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        h.requires_grad_(False)
    assert not (w > 0).requires_grad and not w.argmax().requires_grad  # integer/bool results carry no gradient


def test_grad_can_be_set_and_cleared():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    x.grad = saessak.tensor([5.0, 5.0])
    (x * 2).sum().backward()
    assert x.grad.tolist() == [7.0, 7.0]
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError):
        x.grad = saessak.ones(3)


@requires_torch
@pytest.mark.parametrize(
    "name, fn",
    [
        ("add", lambda lib, x, y: x + y),
        ("sub", lambda lib, x, y: x - y),
        ("mul", lambda lib, x, y: x * y),
        ("div", lambda lib, x, y: x / y),
        ("neg", lambda lib, x, y: -x),
        ("pow scalar", lambda lib, x, y: x**2),
        ("pow tensor", lambda lib, x, y: x.abs() ** y),
        ("exp", lambda lib, x, y: x.exp()),
        ("sum", lambda lib, x, y: x.sum()),
        ("sum dim", lambda lib, x, y: x.sum(0)),
        ("mean", lambda lib, x, y: x.mean()),
        ("mm", lambda lib, x, y: x @ y.T),
        ("view", lambda lib, x, y: x.view(6)),
        ("transpose", lambda lib, x, y: x.transpose(0, 1)),
        ("select", lambda lib, x, y: x[0]),
        ("slice", lambda lib, x, y: x[1:]),
        ("clone", lambda lib, x, y: x.clone()),
        ("relu", lambda lib, x, y: x.relu()),
        ("cat", lambda lib, x, y: lib.cat([x, y])),
        ("to float64", lambda lib, x, y: x.to(lib.float64)),
        ("index", lambda lib, x, y: x[lib.tensor([0, 1, 1])]),
        ("softmax", lambda lib, x, y: x.softmax(-1)),
    ],
)
def test_grad_fn_names_match_torch(name, fn):
    names = []
    for lib in (saessak, torch):
        x = lib.tensor([[1.0, -2.0, 3.0], [0.5, 1.5, -1.0]], requires_grad=True)
        y = lib.tensor([[2.0, 1.0, 0.5], [1.0, 3.0, 2.0]], requires_grad=True)
        out = fn(lib, x, y)
        names.append([out.grad_fn.name()] + [f.name() for f, _ in out.grad_fn.next_functions if f is not None])
    assert names[0] == names[1]


@requires_torch
@settings(max_examples=25, deadline=None)
@given(
    shapes=st.integers(0, 3).flatmap(
        lambda n: st.tuples(*[st.sampled_from([(1, 1), (1, 3), (3, 1), (2, 2)]) for _ in range(n)])
    ),
    drop_a=st.integers(0, 2),
)
def test_broadcast_gradients_sum_back_to_each_input_shape(shapes, drop_a):
    shape_a = tuple(a for a, _ in shapes)[min(drop_a, len(shapes)) :]
    shape_b = tuple(b for _, b in shapes)
    rng = np.random.default_rng(len(shapes) + drop_a)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    grads = []
    for lib in (saessak, torch):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        ((ta * tb + ta) / (tb * tb + 1.0)).sum().backward()
        grads.append((ta.grad.numpy(), tb.grad.numpy()))
    for ours, theirs, shape in zip(grads[0], grads[1], (shape_a, shape_b)):
        assert ours.shape == shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_nodes_that_receive_no_gradient_are_skipped():
    x = saessak.tensor([1.0, -2.0, 3.0], dtype=saessak.float64, requires_grad=True)
    assert saessak.autograd.gradgradcheck(saessak.relu, (x,))
    (g,) = saessak.autograd.grad(x.relu().sum(), x, create_graph=True)
    (gg,) = saessak.autograd.grad(g.sum(), x, allow_unused=True)
    assert gg is None or not gg.numpy().any()
