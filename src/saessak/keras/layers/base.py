"""The Keras ``Layer``: a saessak ``nn.Module`` that builds its weights lazily from the first input shape.

A layer keeps its weights in Keras' layout (a Dense kernel is ``(in, out)``) as saessak Parameters, so
``model.parameters()`` feeds any ``saessak.optim`` optimiser. Called on a symbolic :class:`KerasTensor`
(from ``keras.Input``), a layer records a graph node instead of computing: that is the functional API.

>>> import numpy as np
>>> from saessak import keras
>>> layer = keras.layers.Dense(3)
>>> layer.built
False
>>> layer(np.ones((2, 4))).shape, layer.kernel.shape
(torch.Size([2, 3]), torch.Size([4, 3]))
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ... import creation, dtypes
from ..._tensor import Tensor
from ...autograd import is_grad_enabled, no_grad
from ...nn.modules.module import Module
from ...nn.parameter import Parameter
from .. import backend
from .. import initializers as initializers_module
from .. import regularizers as regularizers_module

__all__ = ["Input", "InputLayer", "InputSpec", "KerasTensor", "Layer", "Node"]

_LAYER_KEYWORDS = ("name", "trainable", "dtype", "input_shape", "batch_input_shape", "batch_size", "input_dim",
                   "input_length", "autocast", "dynamic", "activity_regularizer")


def flatten(structure: Any) -> list:
    """The leaves of nested lists/tuples, in order."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(function: Callable, structure: Any) -> Any:
    """``structure`` with every leaf replaced by ``function(leaf)``; lists stay lists, tuples tuples."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)


def to_tensor(value: Any, dtype=None) -> Any:
    """A saessak tensor from a NumPy array, number or list: floats become float32, integers stay integers."""
    if isinstance(value, Tensor) or value is None:
        return value
    array = np.asarray(value)
    if dtype is not None:
        array = array.astype(dtype)
    elif array.dtype.kind == "f" and array.dtype != np.float32:
        array = array.astype(np.float32)
    elif array.dtype.kind in "iu" and array.dtype != np.int64:
        array = array.astype(np.int64)
    return creation.from_numpy(array if array.flags.c_contiguous else np.ascontiguousarray(array))


def shape_text(shape: Any) -> str:
    """``(None, 128)`` for one shape, ``[(None, 10), (None, 5)]`` for several."""
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(shape_text(s) for s in shape) + "]"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


class InputSpec:
    """What a built layer accepts: a rank (``ndim``/``min_ndim``) and fixed sizes on some axes."""

    def __init__(self, ndim: int | None = None, min_ndim: int | None = None, axes: dict[int, int] | None = None):
        self.ndim, self.min_ndim, self.axes = ndim, min_ndim, dict(axes or {})

    def check(self, layer: Layer, shape: tuple) -> None:
        problem = None
        if self.ndim is not None and len(shape) != self.ndim:
            problem = f"expected ndim={self.ndim}, found ndim={len(shape)}"
        elif self.min_ndim is not None and len(shape) < self.min_ndim:
            problem = f"expected min_ndim={self.min_ndim}, found ndim={len(shape)}"
        else:
            for axis, size in self.axes.items():
                if shape[axis] is not None and shape[axis] != size:
                    problem = f"expected axis {axis} of input shape to have value {size}"
                    break
        if problem:
            raise ValueError(f'Input 0 of layer "{layer.name}" ({type(layer).__name__}) is incompatible with the '
                             f"layer: {problem}, but received input with shape {shape_text(shape)}. The layer was "
                             f"built for inputs of shape {shape_text(layer._build_input_shape)}; create a new "
                             "layer for inputs of another shape.")


class KerasTensor:
    """A symbolic tensor: a shape (``None`` for the batch) and dtype, plus the layer call that made it.

    >>> from saessak import keras
    >>> x = keras.Input(shape=(784,))
    >>> x.shape
    (None, 784)
    """

    def __init__(self, shape: Sequence[int | None], dtype: str = "float32", node: Node | None = None,
                 index: int = 0, name: str | None = None) -> None:
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype, self.node, self.index, self.name = dtype, node, index, name

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        layer = self.node.layer.name if self.node is not None else None
        return f"<KerasTensor shape={shape_text(self.shape)}, dtype={self.dtype}, created by layer '{layer}'>"

    def _dummy(self, batch: int, free: int) -> Tensor:
        shape = tuple((batch if i == 0 else free) if d is None else d for i, d in enumerate(self.shape))
        return creation.zeros(*shape, dtype=getattr(dtypes, self.dtype))

    def __array__(self, *args, **kwargs):
        raise TypeError("A KerasTensor is symbolic: it has no values. Build a keras.Model(inputs, outputs) and call "
                        "it (or predict) on data instead.")


class Node:
    """One call of a layer in a functional graph: which KerasTensors went in, which came out."""

    def __init__(self, layer: Layer, args: tuple, kwargs: dict, outputs: Any) -> None:
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, outputs

    @property
    def input_tensors(self) -> list[KerasTensor]:
        leaves = flatten(list(self.args)) + flatten(list(self.kwargs.values()))
        return [t for t in leaves if isinstance(t, KerasTensor)]


def _accepts(function: Callable, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class Layer(Module):
    """Base class of every Keras layer: override ``build(input_shape)`` to create weights and ``call``.

    Layers accept ``name=``, ``trainable=``, ``dtype=`` and ``input_shape=`` (the shape of one sample, used
    by a ``Sequential`` model to build itself at once).

    >>> from saessak import keras
    >>> class Scale(keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.w
    >>> Scale()(keras.utils.to_categorical([0, 1])).shape
    torch.Size([2, 2])
    """

    _autocast = True  # integer inputs are cast to float32 (Embedding turns this off)

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - set(_LAYER_KEYWORDS))
        if unknown:
            raise TypeError(f"{type(self).__name__}: keyword argument not understood: {', '.join(map(repr, unknown))}")
        super().__init__()
        self.name = name if name is not None else backend.unique_name(backend.snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.dtype = dtype if isinstance(dtype, str) else "float32"
        self.built = False
        self.supports_masking = False
        self.input_spec: InputSpec | None = None
        self._build_input_shape = None
        self._output_shape = None
        self._keras_weights: list[tuple[str, Tensor]] = []
        self._regularized: list[tuple[Tensor, Callable]] = []
        self._call_losses: list = []
        self._inbound_nodes: list[Node] = []
        self.activity_regularizer = regularizers_module.get(kwargs.pop("activity_regularizer", None))
        batch_size = kwargs.get("batch_size")
        if kwargs.get("batch_input_shape") is not None:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif kwargs.get("input_shape") is not None:
            self._batch_input_shape = (batch_size, *tuple(kwargs["input_shape"]))
        elif kwargs.get("input_dim") is not None:
            length = kwargs.get("input_length")
            self._batch_input_shape = (batch_size, kwargs["input_dim"]) if length is None else (batch_size, length)
        else:
            self._batch_input_shape = None
        cls = type(self)
        self._call_takes_training = _accepts(cls.call, "training")
        self._call_takes_mask = _accepts(cls.call, "mask")

    # ------------------------------------------------------------------ weights
    def add_weight(self, name: str | None = None, shape: Sequence[int] = (), dtype: Any = None,
                   initializer: Any = None, regularizer: Any = None, trainable: bool = True,
                   constraint: Any = None, **kwargs: Any) -> Tensor:
        """Create a weight, register it, and return it (a Parameter if trainable, a buffer otherwise).

        ``initializer`` defaults to ``glorot_uniform`` for floating weights as in Keras; ``regularizer`` adds
        its penalty to ``layer.losses``.
        """
        name = name or f"weight_{len(self._keras_weights)}"
        init = initializers_module.get(initializer if initializer is not None else "glorot_uniform")
        with no_grad():
            value = init(tuple(int(d) for d in shape), dtype=dtype or self.dtype)
        if not isinstance(value, Tensor):
            value = to_tensor(value)
        if trainable:
            weight = Parameter(value.detach(), requires_grad=self._trainable)
            self.register_parameter(name, weight)
        else:
            self.register_buffer(name, value.detach().clone())
            weight = self._buffers[name]
        weight._keras_trainable = bool(trainable)
        self._keras_weights.append((name, weight))
        penalty = regularizers_module.get(regularizer)
        if penalty is not None:
            self._regularized.append((name, penalty))
        return weight

    def _own_weights(self) -> list[Tensor]:
        # look names up again: load_state_dict or set_weights may have replaced a buffer object
        return [getattr(self, name) for name, _ in self._keras_weights]

    def _sublayers(self) -> list[Layer]:
        return [m for m in self._modules.values() if isinstance(m, Layer)]

    def _weight_names(self, prefix: str = "") -> dict[int, str]:
        """``id(weight) -> 'layer/weight'`` for this layer's weights and its sublayers'."""
        names = {id(w): f"{prefix}{self.name}/{name}" for (name, _), w in zip(self._keras_weights, self._own_weights())}
        for layer in self._sublayers():
            for key, value in layer._weight_names(f"{prefix}{self.name}/").items():
                names.setdefault(key, value)
        return names

    @property
    def trainable(self) -> bool:
        """Whether the optimiser updates this layer's weights; False freezes them (requires_grad off)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for (_, _), weight in zip(self._keras_weights, self._own_weights()):
            if getattr(weight, "_keras_trainable", False):
                weight.requires_grad_(self._trainable)
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def trainable_weights(self) -> list[Tensor]:
        """Weights the optimiser updates: this layer's, then its sublayers'."""
        if not self._trainable:
            return []
        own = [w for w in self._own_weights() if getattr(w, "_keras_trainable", False)]
        return _unique(own + [w for layer in self._sublayers() for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self) -> list[Tensor]:
        """Weights not updated by gradients: moving statistics, and everything when ``trainable=False``."""
        own = self._own_weights()
        subs = [w for layer in self._sublayers() for w in layer.non_trainable_weights]
        if not self._trainable:
            return _unique(own + subs + [w for layer in self._sublayers() for w in layer.trainable_weights])
        return _unique([w for w in own if not getattr(w, "_keras_trainable", False)] + subs)

    @property
    def weights(self) -> list[Tensor]:
        """Every weight: ``trainable_weights + non_trainable_weights``."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_variables(self) -> list[Tensor]:
        """TensorFlow's name for ``trainable_weights`` (what ``tape.gradient`` differentiates against)."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Tensor]:
        """TensorFlow's name for ``non_trainable_weights``."""
        return self.non_trainable_weights

    @property
    def variables(self) -> list[Tensor]:
        """TensorFlow's name for ``weights``."""
        return self.weights

    def get_weights(self) -> list[np.ndarray]:
        """The weights as NumPy arrays (copies), in the order of ``weights``."""
        return [backend.to_numpy(w).copy() for w in self.weights]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Overwrite the weights from arrays with the shapes of ``get_weights()``, in the same order."""
        targets = self.weights
        if len(weights) != len(targets):
            raise ValueError(f'Layer "{self.name}" expects {len(targets)} weight arrays, but set_weights received '
                             f"{len(weights)}. Pass the list get_weights() returns.")
        for index, (target, value) in enumerate(zip(targets, weights)):
            array = backend.to_numpy(value)
            if tuple(array.shape) != tuple(target.shape):
                raise ValueError(f'Layer "{self.name}" weight {index} has shape {tuple(target.shape)}, but '
                                 f"set_weights received an array of shape {tuple(array.shape)}.")
        with no_grad():
            for target, value in zip(targets, weights):
                target.copy_(to_tensor(backend.to_numpy(value), dtype=backend.to_numpy(target).dtype))

    def count_params(self) -> int:
        """The number of scalars in all weights; the layer must be built."""
        if not self.built and not self.weights:
            raise ValueError(f"You tried to call count_params on layer '{self.name}', but the layer isn't built. "
                             "Build it by calling it on data (or use input_shape=).")
        return int(sum(w.numel() for w in self.weights))

    @property
    def losses(self) -> list:
        """Penalties to add to the loss: weight regularizers, activity regularizers and ``add_loss`` terms."""
        found = [penalty(getattr(self, name)) for name, penalty in self._regularized]
        found += list(self._call_losses)
        for layer in self._sublayers():
            found += layer.losses
        return found

    def add_loss(self, loss: Any) -> None:
        """Add a scalar tensor to the training loss (call it from ``call``)."""
        self._call_losses.append(loss)

    # ------------------------------------------------------------------ building and calling
    def build(self, input_shape: Any) -> None:
        """Create the weights for ``input_shape`` (with the batch axis first); the default creates none."""
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The computation; subclasses override it. The default returns ``inputs`` unchanged."""
        return inputs

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """``nn.Module`` entry point, for code that treats the layer as a module."""
        return self(*args, **kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for ``input_shape``, found by calling the layer symbolically."""
        return self(map_structure(lambda s: KerasTensor(s), input_shape)).shape

    def _maybe_build(self, input_shape: Any) -> None:
        if self.built:
            return
        self._build_input_shape = input_shape
        self.build(input_shape)
        self.built = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not args:
            if "inputs" not in kwargs:
                raise TypeError(f'Layer "{self.name}" was called without inputs')
            args = (kwargs.pop("inputs"),)
        leaves = flatten(list(args)) + flatten(list(kwargs.values()))
        if any(isinstance(leaf, KerasTensor) for leaf in leaves):
            return self._symbolic_call(args, kwargs)
        inputs = map_structure(self._convert_input, args[0])
        self._maybe_build(_batch_shapes(inputs))
        if self.input_spec is not None and isinstance(inputs, Tensor):
            self.input_spec.check(self, tuple(inputs.shape))
        if self._call_takes_training:
            training = kwargs.pop("training", None)
            kwargs["training"] = backend.learning_phase() if training is None else bool(training)
        else:
            kwargs.pop("training", None)
        if not self._call_takes_mask:
            kwargs.pop("mask", None)
        self._call_losses = []
        if backend.records_gradients() or not is_grad_enabled():
            outputs = self.call(inputs, *args[1:], **kwargs)
        else:  # an eager call outside any tape, as TensorFlow: no graph, so outputs convert with .numpy()
            with no_grad():
                outputs = self.call(inputs, *args[1:], **kwargs)
        if self.activity_regularizer is not None:
            self._call_losses.append(self.activity_regularizer(outputs) / max(1, outputs.shape[0]))
        self._output_shape = map_structure(lambda t: (None, *tuple(t.shape)[1:]) if isinstance(t, Tensor) else None,
                                           outputs)
        return outputs

    def _convert_input(self, value: Any) -> Any:
        if isinstance(value, (np.ndarray, list, float, int, np.generic)):
            value = to_tensor(value)
        if self._autocast and isinstance(value, Tensor) and not value.is_floating_point():
            value = value.to(dtypes.float32)
        return value

    def _symbolic_call(self, args: tuple, kwargs: dict) -> Any:
        """Called on KerasTensors: build, infer output shapes from dummy data, and record a graph node."""
        def dummy(batch: int, free: int):
            to_value = lambda leaf: leaf._dummy(batch, free) if isinstance(leaf, KerasTensor) else leaf  # noqa: E731
            return (map_structure(to_value, args),
                    {key: map_structure(to_value, value) for key, value in kwargs.items()})

        symbolic_inputs = flatten(args[0])
        needs_second = any(d is None for t in symbolic_inputs if isinstance(t, KerasTensor) for d in t.shape[1:])
        with no_grad(), backend.training_phase(False):
            first = self._run_dummy(*dummy(1, 8))
            second = self._run_dummy(*dummy(2, 9)) if needs_second else None

        def to_symbolic(pair: tuple[Tensor, Tensor | None]) -> KerasTensor:
            value, other = pair
            shape = list(value.shape)
            if other is None:
                shape[:1] = [None] * min(1, len(shape))
            else:
                shape = [None if a != b else a for a, b in zip(value.shape, other.shape)]
            return KerasTensor(shape, dtype=str(value.dtype).replace("torch.", ""))

        firsts, seconds = flatten(first), flatten(second) if second is not None else [None] * len(flatten(first))
        symbolic = [to_symbolic(pair) for pair in zip(firsts, seconds)]
        outputs = _pack_like(first, symbolic)
        node = Node(self, args, kwargs, outputs)
        for index, tensor in enumerate(symbolic):
            tensor.node, tensor.index = node, index
        self._inbound_nodes.append(node)
        self._output_shape = map_structure(lambda t: t.shape, outputs)
        return outputs

    def _run_dummy(self, args: tuple, kwargs: dict) -> Any:
        return self(*args, **kwargs)

    # ------------------------------------------------------------------ description
    @property
    def input_shape(self) -> Any:
        """The shape the layer was built for (batch axis ``None``)."""
        if self._build_input_shape is None:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has no defined input shape.')
        return map_structure(lambda s: s, self._build_input_shape)

    @property
    def output_shape(self) -> Any:
        """The output shape of the last call (batch axis ``None``)."""
        if self._output_shape is None:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has no defined output '
                                 "shape.")
        return self._output_shape

    @property
    def input(self) -> Any:
        """The KerasTensor(s) this layer was first called on in a functional graph (for feature extraction)."""
        return self._first_node("input").args[0]

    @property
    def output(self) -> Any:
        """The KerasTensor(s) this layer's first call in a functional graph produced.

        >>> from saessak import keras
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        >>> model.layers[0].output.shape
        (None, 2)
        """
        return self._first_node("output").outputs

    def _first_node(self, attribute: str) -> Node:
        if not self._inbound_nodes:
            raise AttributeError(f'Layer "{self.name}" has no {attribute}: it has never been called on a symbolic '
                                 "input. Call it on keras.Input(...) (or give the model an input shape) first.")
        return self._inbound_nodes[0]

    def get_config(self) -> dict:
        """The constructor arguments that recreate this layer (without its weights)."""
        config = {"name": self.name, "trainable": self._trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """A new layer from ``get_config()``'s dict."""
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"

    def __setattr__(self, name: str, value: Any) -> None:
        # layers kept in a list or dict (self.blocks = [Dense(8), Dense(8)]) are tracked as Keras tracks them
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, Module) for v in value):
            for index, module in enumerate(value):
                self.add_module(f"{name}_{index}", module)
        elif isinstance(value, dict) and value and all(isinstance(v, Module) for v in value.values()):
            for key, module in value.items():
                self.add_module(f"{name}_{key}", module)
        super().__setattr__(name, value)


def _unique(tensors: list[Tensor]) -> list[Tensor]:
    seen, result = set(), []
    for tensor in tensors:
        if id(tensor) not in seen:
            seen.add(id(tensor))
            result.append(tensor)
    return result


def _batch_shapes(inputs: Any) -> Any:
    return map_structure(lambda t: (None, *tuple(t.shape)[1:]) if isinstance(t, Tensor) else None, inputs)


def _pack_like(structure: Any, leaves: list) -> Any:
    iterator = iter(leaves)
    return map_structure(lambda _: next(iterator), structure)


class InputLayer(Layer):
    """The entry of a functional model: holds the shape of its inputs and passes data through."""

    def __init__(self, input_shape: Sequence[int | None] | None = None, batch_size: int | None = None,
                 dtype: Any = None, name: str | None = None, batch_input_shape: Sequence | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name or f"input_{backend.get_uid('input')}", dtype=dtype, **kwargs)
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("InputLayer needs input_shape= (the shape of one sample) or batch_input_shape=")
            batch_input_shape = (batch_size, *tuple(input_shape))
        self._batch_input_shape = tuple(batch_input_shape)
        self._build_input_shape = self._batch_input_shape
        self.built = True
        output = KerasTensor(self._batch_input_shape, dtype=self.dtype, name=self.name)
        output.node = Node(self, (), {}, output)
        self._inbound_nodes.append(output.node)
        self._output_shape = [self._batch_input_shape]

    def get_config(self) -> dict:
        return {"batch_input_shape": list(self._batch_input_shape), "dtype": self.dtype, "name": self.name}


def Input(shape: Sequence[int | None] | None = None, batch_size: int | None = None, name: str | None = None,
          dtype: Any = None, batch_shape: Sequence | None = None, **kwargs: Any) -> KerasTensor:
    """A symbolic input of per-sample ``shape``: the start of a functional model.

    >>> from saessak import keras
    >>> inputs = keras.Input(shape=(784,))
    >>> outputs = keras.layers.Dense(10)(inputs)
    >>> keras.Model(inputs, outputs).output_shape
    (None, 10)
    """
    if shape is None and batch_shape is None:
        raise ValueError("keras.Input needs shape= (the shape of one sample, without the batch axis)")
    if isinstance(shape, int):
        shape = (shape,)
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       batch_input_shape=batch_shape, **kwargs)
    return layer.output
