"""No reference cycles: dropping the output frees the graph, even with the garbage collector off."""

import gc
import weakref

import saessak
from saessak.autograd import Function


def _without_gc(fn):
    enabled = gc.isenabled()
    gc.disable()
    try:
        return fn()
    finally:
        if enabled:
            gc.enable()


def test_dropping_the_output_frees_nodes_and_saved_tensors():
    def run():
        x = saessak.randn(10, requires_grad=True)
        h = x.exp()
        y = (h * h).sum()
        node, saved = weakref.ref(y.grad_fn), weakref.ref(h)
        del h, y
        return node, saved

    node, saved = _without_gc(run)
    assert node() is None and saved() is None


def test_graph_built_with_create_graph_is_freed():
    def run():
        x = saessak.randn(5, requires_grad=True)
        y = (x.sin() * x).sum()
        (g,) = saessak.autograd.grad(y, x, create_graph=True)
        refs = (weakref.ref(y.grad_fn), weakref.ref(g.grad_fn))
        del y, g
        return refs

    refs = _without_gc(run)
    assert all(r() is None for r in refs)


def test_saved_output_does_not_keep_itself_alive():
    def run():
        x = saessak.randn(5, requires_grad=True)
        y = x.exp()  # ExpBackward0 saves its own output
        ref = weakref.ref(y)
        node = weakref.ref(y.grad_fn)
        del y
        return ref, node

    ref, node = _without_gc(run)
    assert ref() is None and node() is None


def test_backward_frees_saved_tensors_while_the_output_lives():
    def run():
        x = saessak.randn(10, requires_grad=True)
        h = x.sin()
        y = (h * h).sum()  # MulBackward0 saves h
        saved = weakref.ref(h)
        del h
        alive_before = saved() is not None
        y.backward()
        return y, saved, alive_before

    y, saved, alive_before = _without_gc(run)
    assert alive_before and saved() is None and y.grad_fn is not None


def test_retain_graph_keeps_saved_tensors_until_the_output_goes():
    def run():
        x = saessak.randn(10, requires_grad=True)
        h = x.sin()
        y = (h * h).sum()
        saved = weakref.ref(h)
        del h
        y.backward(retain_graph=True)
        alive = saved() is not None
        del y
        return saved, alive

    saved, alive = _without_gc(run)
    assert alive and saved() is None


def test_many_kinds_of_nodes_are_freed():
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx, gy):
            return gy * 2

    def run():
        x = saessak.randn(3, 4, requires_grad=True)
        w = saessak.randn(4, 2, requires_grad=True)
        h = (x @ w).tanh()
        values, _ = h.sort(dim=0)
        v = Twice.apply(values[1:].reshape(-1))
        v.register_hook(lambda g: g)
        out = v.exp().sum() + h.t()[0].sum()
        refs = [weakref.ref(t) for t in (h, values, v)] + [weakref.ref(out.grad_fn), weakref.ref(v.grad_fn)]
        del h, values, v, out
        return refs

    refs = _without_gc(run)
    assert all(r() is None for r in refs)


def test_a_create_graph_grad_holds_its_graph_until_cleared():
    def run():
        x = saessak.randn(5, requires_grad=True)
        h = x.exp()
        (h * h).sum().backward(create_graph=True)
        node = weakref.ref(x.grad.grad_fn)
        saved = weakref.ref(h)
        del h
        alive = node() is not None
        x.grad = None
        return node, saved, alive

    node, saved, alive = _without_gc(run)
    assert alive and node() is None and saved() is None
