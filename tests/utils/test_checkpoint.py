"""utils/checkpoint.py: the segment runs without a graph, then again in backward, with the same results."""

import numpy as np
import pytest

import saessak
import saessak.nn as nn
from saessak.utils.checkpoint import checkpoint, checkpoint_sequential


def _grads(module):
    return [p.grad.numpy().copy() for p in module.parameters()]


def test_checkpoint_gives_the_same_outputs_and_gradients():
    layer = nn.Linear(4, 3)
    x = saessak.randn(2, 4, requires_grad=True)
    checkpoint(layer, x, use_reentrant=False).sum().backward()
    checkpointed, params = x.grad.clone(), _grads(layer)
    x.grad = None
    layer.zero_grad()
    layer(x).sum().backward()
    np.testing.assert_allclose(checkpointed.numpy(), x.grad.numpy())
    for a, b in zip(params, _grads(layer)):
        np.testing.assert_allclose(a, b)


def test_segment_is_recomputed_in_backward_and_keeps_no_graph_inside():
    calls = []

    def segment(x):
        calls.append(saessak.is_grad_enabled())
        return (x * 2).tanh()

    x = saessak.randn(3, requires_grad=True)
    y = checkpoint(segment, x, use_reentrant=False)
    assert calls == [False]  # the first run records nothing
    assert type(y.grad_fn).__name__ == "CheckpointFunctionBackward"
    y.sum().backward()
    assert calls == [False, True]
    np.testing.assert_allclose(x.grad.numpy(), 2 * (1 - np.tanh(2 * x.detach().numpy()) ** 2), rtol=1e-6)


def test_parameters_get_gradients_when_the_input_needs_none():
    block = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    x = saessak.randn(6, 4)
    checkpoint(block, x, use_reentrant=False).sum().backward()
    checkpointed = _grads(block)
    block.zero_grad()
    block(x).sum().backward()
    for a, b in zip(checkpointed, _grads(block)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_dropout_draws_the_same_mask_when_recomputed():
    block = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    x = saessak.randn(16, 8)
    saessak.manual_seed(3)
    checkpoint(block, x, use_reentrant=False).square().sum().backward()
    checkpointed = _grads(block)
    block.zero_grad()
    saessak.manual_seed(3)
    block(x).square().sum().backward()
    for a, b in zip(checkpointed, _grads(block)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_tuple_outputs_and_keyword_arguments():
    x = saessak.randn(3, requires_grad=True)
    a, b = checkpoint(lambda t, scale: (t * scale, t.exp()), x, scale=3.0, use_reentrant=False)
    (a.sum() + b.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), 3.0 + np.exp(x.detach().numpy()), rtol=1e-6)


def test_input_modified_in_place_before_backward_raises():
    x = saessak.randn(3, requires_grad=True)
    h = x * 1.0
    y = checkpoint(lambda t: t.sin(), h, use_reentrant=False)
    with saessak.no_grad():
        h.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_under_no_grad_it_is_a_plain_call():
    with saessak.no_grad():
        y = checkpoint(lambda t: t * 2, saessak.ones(2), use_reentrant=False)
    assert y.grad_fn is None and y.tolist() == [2.0, 2.0]


def test_checkpoint_sequential_matches_the_plain_model():
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 1))
    x = saessak.randn(7, 3)
    out = checkpoint_sequential(model, 2, x, use_reentrant=False)
    np.testing.assert_allclose(out.detach().numpy(), model(x).detach().numpy(), rtol=1e-6)
    out.sum().backward()
    checkpointed = _grads(model)
    model.zero_grad()
    model(x).sum().backward()
    for a, b in zip(checkpointed, _grads(model)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_checkpoint_sequential_rejects_zero_segments():
    with pytest.raises(ValueError, match="segments >= 1"):
        checkpoint_sequential(nn.Sequential(nn.Linear(2, 2)), 0, saessak.ones(1, 2))
