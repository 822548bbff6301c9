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
