"""No reference cycles: dropping the output frees the graph, even with the garbage collector off."""

import gc
import weakref

import saessak


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
