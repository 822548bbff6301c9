import pytest

import saessak


def test_tensor_hook_on_leaf_can_replace_gradient_and_be_removed():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
    (x * 2).sum().backward()
    assert seen == [[2.0, 2.0]] and x.grad.tolist() == [20.0, 20.0]
    handle.remove()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_tensor_hook_on_intermediate_changes_what_flows_on():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.register_hook(lambda g: g * 0.5)
    (h * h).sum().backward()
    assert x.grad.tolist() == [9.0, 18.0]


def test_post_accumulate_grad_hook_sees_the_accumulated_grad():
    w = saessak.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    w.register_post_accumulate_grad_hook(lambda t: calls.append(t.grad.tolist()))
    (w * w).sum().backward()
    assert calls == [[2.0, 4.0]]


def test_node_hooks():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    seen = {}
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.update(inputs=grad_inputs[0].tolist()))
    y.grad_fn.register_prehook(lambda grad_outputs: (grad_outputs[0] * 2,))
    y.sum().backward()
    assert seen["inputs"] == [4.0, 4.0] and x.grad.tolist() == [4.0, 4.0]


def test_hooks_run_in_registration_order_and_none_keeps_the_gradient():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(("first", g.tolist())))
    x.register_hook(lambda g: g * 2)
    x.register_hook(lambda g: seen.append(("third", g.tolist())))
    (x * 3).sum().backward()
    assert seen == [("first", [3.0, 3.0]), ("third", [6.0, 6.0])]
    assert x.grad.tolist() == [6.0, 6.0]


def test_hook_on_an_intermediate_can_be_removed_and_runs_every_backward():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    calls = []
    handle = h.register_hook(lambda g: calls.append(g.tolist()))
    y = (h * h).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    handle.remove()
    y.backward()
    assert calls == [[4.0, 8.0], [4.0, 8.0]]


def test_retain_grad_sees_the_hooked_gradient():
    # PyTorch runs retain_grad's hook last, whatever the registration order
    for retain_first in (True, False):
        x = saessak.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        if retain_first:
            h.retain_grad()
        h.register_hook(lambda g: g * 10)
        if not retain_first:
            h.retain_grad()
        (h * 2).sum().backward()
        assert h.grad.tolist() == [20.0, 20.0] and x.grad.tolist() == [60.0, 60.0]


def test_hooks_apply_to_autograd_grad_too():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (g,) = saessak.autograd.grad((x**2).sum(), x)
    assert g.tolist() == [4.0, 8.0] and x.grad is None


def test_hook_errors():
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        saessak.ones(2).register_hook(lambda g: g)
    x = saessak.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf tensors"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    x.register_hook(lambda g: saessak.ones(3))
    with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the size of value"):
        (x * 2).sum().backward()


def test_post_accumulate_grad_hook_can_change_grad_and_be_removed():
    w = saessak.tensor([1.0, 2.0], requires_grad=True)

    def halve(t):
        with saessak.no_grad():
            t.grad.mul_(0.5)

    handle = w.register_post_accumulate_grad_hook(halve)
    (w * 4).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]
    handle.remove()
    (w * 4).sum().backward()
    assert w.grad.tolist() == [6.0, 6.0]
