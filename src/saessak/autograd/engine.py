"""The backward engine: walk the graph once, in dependency order, without recursion.

1. From the roots, an iterative depth-first walk counts how many edges point at each node
   (a node's "dependencies"). Leaf tensors that require grad are nodes too: the places where
   gradients are accumulated.
2. Kahn's algorithm: a node runs once every consumer has handed it its gradient, so a shared
   subexpression (diamond, fan-out) gets its gradients summed exactly once before it runs.
3. Each node's saved tensors are freed right after it ran, unless ``retain_graph``.
"""

from __future__ import annotations

from typing import Any

from .grad_mode import state


def _roots_and_grads(tensors, grad_tensors, Tensor):
    roots, grads = [], []
    for index, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not t._requires_grad:
            raise RuntimeError(
                f"element {index} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = Tensor._make(t._xp().ones(t._data.shape, dtype=t._data.dtype), False)
        elif not isinstance(g, Tensor):
            g = Tensor._make(t._xp().asarray(g, dtype=t._data.dtype), False)
        elif tuple(g.shape) != tuple(t.shape):
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{index}] has a shape of {g.shape} and output[{index}] "
                f"has a shape of {t.shape}."
            )
        roots.append(t)
        grads.append(g)
    return roots, grads


def _node_of(t):
    return (t._grad_fn, t._out_idx) if t._grad_fn is not None else (t, 0)


def run_backward(
    tensors,
    grad_tensors,
    retain_graph: bool,
    create_graph: bool,
    inputs: Any = None,
    capture: bool = False,
    allow_unused: bool = False,
):
    """Backpropagate from ``tensors``; accumulate into leaves' ``.grad`` or, with ``capture``, return grads.

    ``inputs``: when given, only these tensors receive gradients (into ``.grad``, or returned in order
    when ``capture``).
    """
    from .._tensor import Tensor

    roots, root_grads = _roots_and_grads(tensors, grad_tensors, Tensor)

    # ---- 1. count dependencies with an explicit stack
    deps: dict = {}
    stack = []
    for t in roots:
        target = _node_of(t)[0]
        if target not in deps:
            deps[target] = 0
            if not target._is_tensor:
                stack.append(target)
    pop, push, get_count = stack.pop, stack.append, deps.get
    while stack:
        for edge in pop()._edges:
            if edge is None:
                continue
            target = edge[0]
            count = get_count(target)
            if count is None:
                deps[target] = 1
                if not target._is_tensor:
                    push(target)
            else:
                deps[target] = count + 1

    # ---- what to capture, and which nodes lead to it
    captures: dict | None = None
    needed: set | None = None
    if inputs is not None:
        captures = {}
        for i, t in enumerate(inputs):
            captures.setdefault(_node_of(t), []).append(i)
        needed = _nodes_leading_to({key[0] for key in captures}, deps)
    results: list = [None] * (len(inputs) if inputs is not None else 0)

    # ---- seed the roots
    delivered = {id(g._data) for g in root_grads}  # arrays that must not become a leaf's .grad as-is
    pending: dict = {}
    for t, g in zip(roots, root_grads):
        _add_pending(pending, t._grad_fn if t._grad_fn is not None else t, t._out_idx, g)

    ready = [node for node in {_node_of(t)[0]: None for t in roots} if deps[node] == 0]
    previous_mode = state.enabled
    state.enabled = create_graph
    anomaly = state.anomaly
    pop_ready, push_ready, pop_pending, get_pending = ready.pop, ready.append, pending.pop, pending.get
    summed: set = set()  # gradient sums the engine created itself (safe to accumulate into in place)
    try:
        while ready:
            node = pop_ready()
            grads = pop_pending(node, None)
            if node._is_tensor:
                if grads is not None and (needed is None or node in needed):
                    _deliver_leaf(node, grads, captures, results, inputs is None, capture, create_graph, delivered)
                continue
            if (needed is not None and node not in needed) or (grads is None and node._n_outputs == 1):
                # not on a path to what was asked for, or no gradient reached it: nothing to compute
                _release(node, retain_graph)
                _propagate_ready(node, deps, ready)
                continue
            saved = node._saved
            if saved is None:
                _ = node.saved_tensors  # raises the "backward through the graph a second time" error
            if node._special_grads or captures is not None:
                grads = _prepare_grads(node, grads) if node._special_grads else (grads,)
                if captures is not None:
                    for index in range(len(grads)):
                        slots = captures.get((node, index))
                        if slots:
                            for slot in slots:
                                results[slot] = grads[index]
                grad_inputs = node.backward(node, *grads)
            else:  # the common case: one output, no hooks
                grad_inputs = node.backward(node, grads)
                grads = (grads,)
            if type(grad_inputs) is not tuple:
                grad_inputs = (grad_inputs,)
            edges = node._edges
            if len(grad_inputs) != len(edges):
                if len(grad_inputs) > len(edges) and all(g is None for g in grad_inputs[len(edges):]):
                    grad_inputs = grad_inputs[: len(edges)]
                elif len(grad_inputs) < len(edges) and all(e is None for e in edges[len(grad_inputs):]):
                    grad_inputs = grad_inputs + (None,) * (len(edges) - len(grad_inputs))
                else:
                    raise RuntimeError(
                        f"function {node.name()} returned an incorrect number of gradients "
                        f"(expected {len(edges)}, got {len(grad_inputs)})"
                    )
            if node._check_grads:
                grad_inputs = _check_shapes(node, grad_inputs)
            if node._post_hooks:
                for hook in node._post_hooks:
                    replaced = hook(grad_inputs, grads)
                    if replaced is not None:
                        grad_inputs = tuple(replaced)
            if anomaly:
                from .anomaly_mode import check_gradients

                check_gradients(node, grad_inputs)
            if saved and not retain_graph:  # free what backward used (``_release``, inlined: this runs per node)
                node._saved = None
                node._saved_outputs = ()
                node._freed = True
            for edge, g in zip(edges, grad_inputs):
                if edge is None:
                    continue
                target = edge[0]
                if g is not None:
                    if not isinstance(g, Tensor):
                        g = Tensor._make(target._xp().asarray(g), False) if target._is_tensor else g
                    if target._n_outputs == 1:
                        current = get_pending(target)
                        if current is None:
                            pending[target] = g
                        elif current in summed and current._data.shape == g._data.shape:
                            current._data += g._data  # a sum made here: nobody else holds it, add in place
                        else:
                            current = pending[target] = current + g
                            if not create_graph and current._data.flags.writeable:
                                summed.add(current)
                    else:
                        _add_pending(pending, target, edge[1], g)
                count = deps[target] - 1
                deps[target] = count
                if count == 0:
                    push_ready(target)
    finally:
        state.enabled = previous_mode

    if inputs is not None and not capture:
        # backward(inputs=[...]) also fills the .grad of non-leaf inputs, as PyTorch does
        for t, g in zip(inputs, results):
            if g is not None and t._grad_fn is not None:
                _accumulate(t, g, create_graph, delivered)
    if inputs is not None and capture:
        for i in range(len(inputs)):
            if results[i] is None and not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
        return tuple(results)
    return None


def _check_shapes(node, grad_inputs: tuple) -> tuple:
    """A user Function's gradients: undo broadcasting as PyTorch does, refuse shapes that cannot fit."""
    from ..ops._broadcast import sum_to

    out = list(grad_inputs)
    for index, (g, shape, edge) in enumerate(zip(grad_inputs, node._input_shapes, node._edges)):
        if g is None or edge is None or not hasattr(g, "_data") or g._data.shape == shape:
            continue
        n = len(g._data.shape)
        padded = (1,) * (n - len(shape)) + tuple(shape)
        if len(shape) > n or any(s != 1 and s != d for s, d in zip(padded, g._data.shape)):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(g._data.shape)} but expected shape compatible with {list(shape)}"
            )
        out[index] = sum_to(g, shape)
    return tuple(out)


def _run_hook(hook, g):
    """A tensor hook may replace the gradient, but not change its shape."""
    replaced = hook(g)
    if replaced is not None and replaced.shape != g.shape:
        raise RuntimeError(f"hook '{getattr(hook, '__name__', repr(hook))}' has changed the size of value")
    return replaced


def _propagate_ready(node, deps, ready) -> None:
    for edge in node._edges:
        if edge is None:
            continue
        target = edge[0]
        count = deps[target] - 1
        deps[target] = count
        if count == 0:
            ready.append(target)


def _nodes_leading_to(targets: set, deps: dict) -> set:
    """Nodes from which some target is reachable (the part of the graph autograd.grad must run)."""
    needed = set(targets)
    # process nodes in reverse topological order: a node is needed if any input edge is needed
    order = _topological(deps)
    for node in reversed(order):
        if node in needed or node._is_tensor:
            continue
        for edge in node._edges:
            if edge is not None and edge[0] in needed:
                needed.add(node)
                break
    return needed


def _topological(deps: dict) -> list:
    remaining = dict(deps)
    ready = [n for n, c in remaining.items() if c == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for edge in node._edges:
            if edge is None:
                continue
            target = edge[0]
            remaining[target] -= 1
            if remaining[target] == 0:
                ready.append(target)
    return order


def _add_pending(pending: dict, target, index: int, g) -> None:
    current = pending.get(target)
    if target._is_tensor or target._n_outputs == 1:
        pending[target] = g if current is None else current + g
        return
    if current is None:
        current = pending[target] = [None] * target._n_outputs
    current[index] = g if current[index] is None else current[index] + g


def _prepare_grads(node, grads) -> list:
    """Per-output gradients for ``node``: tensor hooks applied, retained grads stored, zeros filled in."""
    from .._tensor import Tensor

    grads = [grads] if node._n_outputs == 1 else list(grads)
    if node._pre_hooks:
        for index, hooks in node._pre_hooks.items():
            for hook in list(hooks):
                if grads[index] is None:
                    continue
                replaced = _run_hook(hook, grads[index])
                if replaced is not None:
                    grads[index] = replaced
    if node._retained:
        for index, ref in node._retained.items():
            t = ref()
            if t is not None and grads[index] is not None:
                g = grads[index]
                t._grad = g.detach().clone() if t._grad is None else t._grad + g.detach()
    whole = node.__dict__.get("_whole_pre_hooks")
    if whole:
        for hook in whole:
            replaced = hook(tuple(grads))
            if replaced is not None:
                grads = list(replaced)
    if node._materialize and any(g is None for g in grads):
        meta = node.__dict__.get("_out_meta")
        for index, g in enumerate(grads):
            if g is None and meta is not None and meta[index] is not None:
                shape, dtype, xp = meta[index]
                grads[index] = Tensor._make(xp.zeros(shape, dtype=dtype), False)
    return grads


def _release(node, retain_graph: bool) -> None:
    if not retain_graph and node._saved:
        node._saved = None
        node._saved_outputs = ()
        node._freed = True


def _deliver_leaf(leaf, g, captures, results, accumulate_all, capture, create_graph, delivered) -> None:
    """Run the leaf's hooks, then store the gradient: captured for autograd.grad, else into ``.grad``."""
    if leaf._hooks:
        for hook in list(leaf._hooks):
            replaced = _run_hook(hook, g)
            if replaced is not None:
                g = replaced
    if captures is not None:
        slots = captures.get((leaf, 0))
        if slots is None:
            return
        if capture:
            for slot in slots:
                results[slot] = g
            return
    elif not accumulate_all:
        return
    _accumulate(leaf, g, create_graph, delivered)
    if leaf._post_acc_hooks:
        for hook in list(leaf._post_acc_hooks):
            hook(leaf)


def _accumulate(leaf, g, create_graph: bool, delivered: set) -> None:
    """``leaf.grad += g``; the first gradient is stored as an independent tensor (never an alias)."""
    if g.shape != leaf.shape:
        g = g.sum_to_size(*leaf.shape) if g.numel() != leaf.numel() else g.reshape(leaf.shape)
    current = leaf._grad
    if current is None:
        if not create_graph:
            data = g._data
            if (
                id(data) in delivered
                or data.base is not None
                or not data.flags.writeable
                or data.dtype != leaf._data.dtype
            ):
                data = data.astype(leaf._data.dtype, order="C" if leaf._data.flags.c_contiguous else "K", copy=True)
            delivered.add(id(data))
            if data is not g._data or g._grad_fn is not None or g._requires_grad:
                g = type(g)._make(data, False)
        leaf._grad = g
    elif create_graph or current._requires_grad:
        leaf._grad = current + g
    else:
        current._data += g._data
        current._vc[0] += 1
