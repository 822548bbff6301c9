"""``Function``: one differentiable op, its forward and backward side by side.

Every op in saessak, built in or written by a user, is a ``Function`` subclass:

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = np.exp(x._data)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, gy):
            (y,) = ctx.saved_tensors
            return gy * y

``forward`` runs with grad recording off and receives the inputs as given (Tensors stay Tensors);
it may return Tensors or backend arrays. ``backward`` receives Tensors and returns Tensors built from
other ops, so that with ``create_graph=True`` the backward pass is itself recorded and higher-order
gradients come for free.

The instance passed as ``ctx`` is the graph node: ``y.grad_fn`` is it, its class is named
``<Name>Backward`` (built-in ops choose PyTorch's names, ``AddBackward0``), and ``next_functions``
lists the nodes of its inputs.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .grad_mode import state

_OUTPUT = object()  # marks a saved output: unpacked lazily so the node never references its output
_NOT_NEEDED = tuple((False,) * n for n in range(8))
_NEEDS = {(True, True): (True, True), (True, False): (True, False), (False, True): (False, True)}
_ONE_NEEDED = (True,)
_SAVED_OWN_OUTPUT = ((_OUTPUT, 0),)
_VERSION_ZERO = (0,)  # a fresh output's version
_new = object.__new__
_ndarray = np.ndarray
_Tensor: Any = None  # set by saessak._tensor once Tensor exists (avoids an import cycle and per-call imports)


def _edge(tensor) -> tuple:
    """The graph edge to an input that requires grad: (its node, output index), or (the leaf itself, 0)."""
    fn = tensor._grad_fn
    return (fn, tensor._out_idx) if fn is not None else (tensor, 0)


class Function:
    """Base class of differentiable operations; call ``MyFunction.apply(*inputs)`` to use one."""

    # Class-level defaults keep node creation cheap: instances set only what they use.
    _edges: tuple = ()
    _saved: tuple | None = ()
    _saved_versions: tuple = ()
    _saved_outputs: tuple = ()
    _to_save: tuple = ()
    _freed = False
    _pre_hooks: dict | None = None
    _post_hooks: list | None = None
    _retained: dict | None = None
    _non_differentiable: tuple = ()
    _dirty: tuple = ()
    _materialize = True
    _n_outputs = 1
    _special_grads = False  # hooks, retained grads or several outputs: the engine takes the slow path
    _trace: str | None = None
    _backward_name: str | None = None
    _view_of: int | None = None  # view ops: index of the input whose memory the output shares
    _backward_cls: type
    _check_grads = False
    _input_shapes: tuple = ()
    needs_input_grad: tuple = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_is_node_class"):
            return
        name = cls.__dict__.get("_backward_name") or cls.__name__ + "Backward"
        cls._backward_cls = type(name, (cls,), {"_is_node_class": True, "__module__": cls.__module__})
        # a user's backward may return gradients of the wrong shape: the engine checks those (PyTorch does too)
        cls._check_grads = not cls.__module__.startswith("saessak.")

    # ------------------------------------------------------------------ the user-facing ctx
    def save_for_backward(self, *tensors: Any) -> None:
        """Keep inputs or outputs for ``backward``; read them back with ``ctx.saved_tensors``."""
        self._to_save = tensors

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Declare outputs that carry no gradient (indices, masks)."""
        self._non_differentiable = outputs

    def mark_dirty(self, *tensors: Any) -> None:
        """Declare inputs that ``forward`` modified in place."""
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """When False, gradients of unused outputs reach ``backward`` as None instead of zeros."""
        self._materialize = bool(value)

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``, checked against in-place changes since."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors "
                "after they have already been freed). Saved intermediate values of the graph are freed "
                "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
                "backward through the graph a second time or if you need to access saved tensors after "
                "calling backward."
            )
        if not saved:
            return ()
        if saved is _SAVED_OWN_OUTPUT:
            item = self._unpack_output(0)
            if item._vc[0] != self._saved_versions[0]:
                raise RuntimeError(_modified_message(self, item, self._saved_versions[0]))
            return (item,)
        out = []
        for item, version in zip(saved, self._saved_versions):
            if item is None:
                out.append(None)
                continue
            if type(item) is tuple:  # (_OUTPUT, index)
                item = self._unpack_output(item[1])
            if version is not None and item._vc[0] != version:
                raise RuntimeError(_modified_message(self, item, version))
            out.append(item)
        return tuple(out)

    def _saved_output_data(self):
        """The array of a saved own output, without making a Tensor (checked against in-place changes like
        ``saved_tensors``): the fast path of built-in backwards that need no graph."""
        if self._saved is _SAVED_OWN_OUTPUT:
            data, vc = self._saved_outputs[0]
            if vc[0] == self._saved_versions[0]:
                return data
        return self.saved_tensors[0]._data

    @property
    def saved_variables(self) -> tuple:
        return self.saved_tensors

    def _unpack_output(self, index: int):
        data, vc = self._saved_outputs[index]
        t = _Tensor._make(data, True)
        t._vc = vc
        t._grad_fn = self
        t._out_idx = index
        return t

    # ------------------------------------------------------------------ the graph node
    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """Compute the op's outputs from its inputs (recording is off here)."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Given gradients of the outputs, return gradients of the inputs (None where not needed)."""
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` and, when any input requires grad, record a node for ``backward``."""
        ctx = _new(cls._backward_cls)
        previous = state.enabled
        edges = None
        n = len(args)
        if previous and n <= 2:  # unary and binary ops (nearly all) without building a list
            e0 = e1 = None
            if n:
                a = args[0]
                if isinstance(a, _Tensor) and a._requires_grad:
                    fn = a._grad_fn
                    e0 = (fn, a._out_idx) if fn is not None else (a, 0)
                if n == 2:
                    a = args[1]
                    if isinstance(a, _Tensor) and a._requires_grad:
                        fn = a._grad_fn
                        e1 = (fn, a._out_idx) if fn is not None else (a, 0)
            if e0 is not None or e1 is not None:
                ctx._edges = edges = (e0, e1) if n == 2 else (e0,)
                ctx.needs_input_grad = _ONE_NEEDED if n == 1 else _NEEDS[(e0 is not None, e1 is not None)]
        elif previous:
            found = [_edge(a) if isinstance(a, _Tensor) and a._requires_grad else None for a in args]
            if any(e is not None for e in found):
                ctx._edges = edges = tuple(found)
                ctx.needs_input_grad = tuple([e is not None for e in found])
        if edges is None:
            ctx.needs_input_grad = _NOT_NEEDED[n] if n < 8 else (False,) * n
        if previous:
            state.enabled = False
            try:
                raw = cls.forward(ctx, *args, **kwargs)
            finally:
                state.enabled = True
        else:  # already off (no_grad, inference): nothing to switch
            raw = cls.forward(ctx, *args, **kwargs)
        if type(raw) is not _ndarray:
            return _wrap_outputs(ctx, raw, args, edges is not None, _Tensor)
        # the common case, one array out, without the general bookkeeping
        out = _new(_Tensor)
        out._data = raw
        out._vc = [0]
        if ctx._view_of is not None:
            _link_views((out,), args[ctx._view_of])
        if edges is not None and raw.dtype.kind == "f" and not ctx._non_differentiable:
            out._requires_grad = True
            out._grad_fn = ctx
            ctx._out_shape = raw.shape  # for graph drawings (viz.plot_graph)
            to_save = ctx._to_save
            if to_save:
                if len(to_save) == 1 and to_save[0] is raw:  # "save my own output" (exp, tanh...): see _save
                    ctx._saved, ctx._saved_versions = _SAVED_OWN_OUTPUT, _VERSION_ZERO
                    ctx._saved_outputs = ((raw, out._vc),)
                    ctx._to_save = ()
                else:
                    _save(ctx, (out,))
            if state.anomaly:
                from .anomaly_mode import record_trace

                record_trace(ctx)
        return out

    def name(self) -> str:
        """The node's name, e.g. ``'AddBackward0'``."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def next_functions(self) -> tuple:
        """``((node, output_index), ...)`` for each input: AccumulateGrad for leaves, None for constants."""
        out = []
        shapes = self._input_shapes
        for index, edge in enumerate(self._edges):
            if shapes and shapes[index] is None:
                continue  # a user Function's non-tensor argument has no edge in PyTorch
            if edge is None:
                out.append((None, 0))
            elif edge[0]._is_tensor:
                out.append((_accumulator(edge[0]), 0))
            else:
                out.append(edge)
        return tuple(out)

    @property
    def metadata(self) -> dict:
        meta = self.__dict__.get("_metadata")
        if meta is None:
            meta = self._metadata = {}
        return meta

    _is_tensor = False

    # ------------------------------------------------------------------ hooks on the node
    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward; may return new grad_inputs."""
        from ..utils.hooks import RemovableHandle

        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node's backward; may return new grad_outputs."""
        from ..utils.hooks import RemovableHandle

        hooks = self._node_pre_hooks()
        hooks.append(fn)
        return RemovableHandle(hooks, fn)

    def _node_pre_hooks(self) -> list:
        self._special_grads = True
        hooks = self.__dict__.get("_whole_pre_hooks")
        if hooks is None:
            hooks = self._whole_pre_hooks = []
        return hooks

    def _tensor_pre_hooks(self, index: int) -> list:
        self._special_grads = True
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return self._pre_hooks.setdefault(index, [])


def _wrap_outputs(ctx, raw, args, record: bool, Tensor):
    """Turn forward's arrays/Tensors into output Tensors and, when recording, link them to ``ctx``."""
    single = not isinstance(raw, tuple)
    items = (raw,) if single else raw
    outputs = []
    for item in items:
        if isinstance(item, Tensor):
            if any(item is a for a in args) and not (ctx._dirty and any(item is d for d in ctx._dirty)):
                item = item._alias()
            outputs.append(item)
        elif item is None or isinstance(item, int | float | bool | str) and not hasattr(item, "shape"):
            outputs.append(item)
        else:
            outputs.append(Tensor._make(item, False))
    if ctx._view_of is not None:
        _link_views(outputs, args[ctx._view_of])
    if record:
        non_diff = ctx._non_differentiable
        for index, out in enumerate(outputs):
            if not isinstance(out, Tensor):
                continue
            if ctx._dirty and any(out is d for d in ctx._dirty):
                out._vc[0] += 1
            if (non_diff and any(out is n or out._data is n for n in non_diff)) or not out.dtype.is_floating_point:
                out._requires_grad = False
                continue
            out._requires_grad = True
            out._grad_fn = ctx
            out._out_idx = index
            if index == 0:
                ctx._out_shape = out._data.shape
        ctx._n_outputs = len(outputs)
        if ctx._check_grads:
            ctx._input_shapes = tuple(a._data.shape if isinstance(a, Tensor) else None for a in args)
        if len(outputs) > 1:
            ctx._special_grads = True  # shapes let the engine fill in zeros for outputs that got no gradient
            ctx._out_meta = tuple(
                (o._data.shape, o._data.dtype, o._xp()) if isinstance(o, Tensor) else None for o in outputs
            )
        if ctx._to_save:
            _save(ctx, outputs, items)
        if state.anomaly:
            from .anomaly_mode import record_trace

            record_trace(ctx)
    else:
        ctx._to_save = ()
    return outputs[0] if single else tuple(outputs)


def _save(ctx, outputs, raw: tuple = ()) -> None:
    """Turn what forward passed to ``save_for_backward`` into saved tensors with their versions.

    A saved output is kept as its array and version counter only: the node must not reference its own
    output tensor (that would be a reference cycle keeping the graph alive).
    """
    to_save = ctx._to_save
    if len(to_save) == 1 and len(outputs) == 1 and (to_save[0] is outputs[0]._data or to_save[0] is outputs[0]):
        out = outputs[0]  # the common "save my own output" (exp, tanh, sigmoid, relu...)
        ctx._saved, ctx._saved_versions = _SAVED_OWN_OUTPUT, (out._vc[0],)
        ctx._saved_outputs = ((out._data, out._vc),)
        ctx._to_save = ()
        return
    saved, versions, saved_outputs = [], [], None
    for item in to_save:
        if item is None:
            saved.append(None)
            versions.append(None)
            continue
        index = _output_index(item, outputs, raw)
        if index is not None:
            if saved_outputs is None:
                saved_outputs = [None] * len(outputs)
            out = outputs[index]
            saved_outputs[index] = (out._data, out._vc)
            saved.append((_OUTPUT, index))
            versions.append(out._vc[0])
        else:
            if not isinstance(item, _Tensor):
                if not hasattr(item, "ndim"):
                    raise TypeError(
                        f"save_for_backward can only save variables, but argument {len(saved)} is of type "
                        f"{type(item).__name__}"
                    )
                item = _Tensor._make(item, False)
            saved.append(item)
            versions.append(item._vc[0])
    ctx._saved = tuple(saved)
    ctx._saved_versions = tuple(versions)
    if saved_outputs is not None:
        ctx._saved_outputs = tuple(saved_outputs)
    ctx._to_save = ()


def _link_views(outputs, source) -> None:
    """Outputs that share memory with ``source`` share its version counter and base, as PyTorch views do."""
    for out in outputs:
        if out is not None and hasattr(out, "_data") and out._data.base is not None:
            out._vc = source._vc
            out._base = source if source._base is None else source._base


def _output_index(item, outputs, raw: tuple = ()) -> int | None:
    for index, out in enumerate(outputs):
        # raw: what forward returned, e.g. a NumPy scalar (ufuncs give those for 0-dim input) before wrapping
        if item is out or (out is not None and hasattr(out, "_data") and item is out._data) or (
            raw and item is raw[index]
        ):
            return index
    return None


def _modified_message(node, tensor, version: int) -> str:
    return (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        f"[{tensor.type()} {list(tensor.shape)}], which is saved by {node.name()}, is at version "
        f"{tensor._vc[0]}; expected version {version} instead. Hint: replace the in-place operation "
        "(such as add_ or x[...] = v) with an out-of-place one, or clone() the tensor before changing it."
    )


class AccumulateGrad:
    """The node that stores a leaf's gradient into its ``.grad`` (shown in ``next_functions``)."""

    _edges: tuple = ()

    def __init__(self, variable) -> None:
        self._variable = weakref.ref(variable)

    @property
    def variable(self):
        """The leaf tensor this node accumulates into."""
        return self._variable()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


def _accumulator(tensor) -> AccumulateGrad:
    """The leaf's AccumulateGrad node, made once and kept on the tensor (it refers back only weakly)."""
    node = tensor.__dict__.get("_accumulate_node")
    if node is None:
        node = tensor._accumulate_node = AccumulateGrad(tensor)
    return node


class once_differentiable:
    """Decorator for a ``backward`` that is not itself differentiable (runs it with recording off)."""

    def __new__(cls, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(ctx, *grads):
            previous = state.enabled
            state.enabled = False
            try:
                return fn(ctx, *grads)
            finally:
                state.enabled = previous

        return wrapper


FunctionCtx = Function
BackwardCFunction = Function
