"""``keras.Model``: subclassed models (layers in ``__init__``, ``call``) and functional graphs
(``Model(inputs, outputs)``), with Keras' weight access, summary and saving.

>>> from saessak import keras
>>> inputs = keras.Input(shape=(784,))
>>> x = keras.layers.Dense(64, activation="relu")(inputs)
>>> outputs = keras.layers.Dense(10)(x)
>>> model = keras.Model(inputs, outputs)
>>> model.count_params()
50890
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import creation
from ...autograd import no_grad
from .. import backend
from ..layers.base import InputLayer, KerasTensor, Layer, Node, flatten, map_structure
from . import saving
from .summary import print_summary
from .training import Trainer

__all__ = ["Model"]


class Model(Trainer, Layer):
    """A trainable stack of layers, made either by subclassing or from a graph of symbolic tensors.

    Subclassing: create layers in ``__init__`` and write ``call(self, inputs, training=None)``.
    Functional: ``Model(inputs, outputs)`` with ``inputs`` from ``keras.Input`` and ``outputs`` from calling
    layers on them.

    >>> from saessak import keras
    >>> class TwoLayers(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(8, activation="relu")
    ...         self.out = keras.layers.Dense(2)
    ...     def call(self, inputs, training=None):
    ...         return self.out(self.hidden(inputs))
    """

    _autocast = False  # integer ids reach Embedding untouched; other layers cast for themselves

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        inputs = kwargs.pop("inputs", args[0] if len(args) > 0 else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        if len(args) > 2:
            raise TypeError("Model() takes at most two positional arguments: inputs and outputs")
        Layer.__init__(self, **kwargs)
        self._is_graph_network = False
        self._init_training_state()
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("A functional Model needs both inputs= and outputs=")
            self._init_graph(inputs, outputs)

    # ------------------------------------------------------------------ the functional graph
    def _init_graph(self, inputs: Any, outputs: Any) -> None:
        for tensor in flatten(inputs) + flatten(outputs):
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f"Model(inputs, outputs) takes KerasTensors from keras.Input and layer calls, got "
                                f"{type(tensor).__name__}")
        for tensor in flatten(inputs):
            if not isinstance(tensor.node.layer, InputLayer):
                raise ValueError(f"Model inputs must come from keras.Input(); {tensor} was made by a layer")
        self._input_structure, self._output_structure = inputs, outputs
        self.inputs, self.outputs = flatten(inputs), flatten(outputs)
        nodes: list[Node] = []
        seen: set[int] = set()

        def visit(tensor: KerasTensor) -> None:
            stack = [(tensor.node, False)]
            while stack:
                node, expanded = stack.pop()
                if id(node) in seen:
                    continue
                if expanded:
                    seen.add(id(node))
                    nodes.append(node)
                    continue
                stack.append((node, True))
                for parent in reversed(node.input_tensors):
                    if parent.node is None:
                        raise ValueError(f"{parent} was not made by a layer call; build the graph from keras.Input")
                    stack.append((parent.node, False))

        for tensor in self.outputs:
            visit(tensor)
        input_layers = [t.node.layer for t in self.inputs]
        for node in nodes:
            if isinstance(node.layer, InputLayer) and node.layer not in input_layers:
                raise ValueError(f'Graph disconnected: the outputs depend on input "{node.layer.name}", which is '
                                 "not among the inputs passed to Model(inputs, outputs).")
        layers: list[Layer] = list(input_layers)
        for node in nodes:
            if node.layer not in layers:
                layers.append(node.layer)
        names = [layer.name for layer in layers]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"All layers of a model need unique names; {duplicates} appear more than once.")
        for layer in layers:
            self.add_module(layer.name, layer)
        self._graph_layers, self._nodes = layers, nodes
        self._is_graph_network = True
        self.built = True
        self._build_input_shape = map_structure(lambda t: t.shape, inputs)
        self._output_shape = map_structure(lambda t: t.shape, outputs)

    def _run_graph(self, inputs: Any, training: bool | None) -> Any:
        given = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(given) != len(self.inputs):
            raise ValueError(f'Model "{self.name}" expects {len(self.inputs)} input(s), got {len(given)}')
        values = {}
        for tensor, value in zip(self.inputs, given):
            values[id(tensor)] = tensor.node.layer._convert_input(value) if tensor.dtype.startswith("float") else value
        lookup = lambda leaf: values[id(leaf)] if isinstance(leaf, KerasTensor) else leaf  # noqa: E731
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = map_structure(lookup, node.args)
            kwargs = {key: map_structure(lookup, value) for key, value in node.kwargs.items()}
            kwargs["training"] = training
            result = node.layer(*args, **kwargs)
            for tensor, value in zip(flatten(node.outputs), flatten(result)):
                values[id(tensor)] = value
        return map_structure(lookup, self._output_structure)

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        """The forward pass; a subclass overrides it, a functional model runs its graph."""
        if self._is_graph_network:
            return self._run_graph(inputs, training)
        raise NotImplementedError(f"{type(self).__name__} has no call(): subclass keras.Model and define "
                                  "call(self, inputs, training=None), or build it as Model(inputs, outputs)")

    def _maybe_build(self, input_shape: Any) -> None:
        if not self.built:
            self._build_input_shape = input_shape
            self.built = True  # sublayers build themselves during the call

    def build(self, input_shape: Any = None) -> None:
        """Create all weights by running the model once on zeros of ``input_shape`` (batch axis may be None)."""
        if self._is_graph_network:
            return
        if input_shape is None:
            input_shape = self._batch_input_shape
        if input_shape is None:
            raise ValueError(f'Model "{self.name}": build() needs an input_shape, e.g. model.build((None, 784))')
        is_shape = lambda s: isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)  # noqa: E731
        shapes = [input_shape] if is_shape(input_shape) else list(input_shape)
        dummies = [creation.zeros(*[1 if d is None else int(d) for d in shape]) for shape in shapes]
        with no_grad(), backend.training_phase(False):
            self(dummies[0] if is_shape(input_shape) else dummies)
        self._build_input_shape = tuple(input_shape) if is_shape(input_shape) else input_shape

    @property
    def input(self) -> Any:
        """The model's symbolic input (a list when it has several), as in ``Model(inputs=model.input, ...)``."""
        inputs = self._symbolic("inputs")
        return inputs[0] if len(inputs) == 1 else inputs

    @property
    def output(self) -> Any:
        """The model's symbolic output (a list when it has several)."""
        outputs = self._symbolic("outputs")
        return outputs[0] if len(outputs) == 1 else outputs

    def _symbolic(self, attribute: str) -> list:
        tensors = getattr(self, attribute, None)
        if not tensors:
            raise AttributeError(f'Model "{self.name}" has no symbolic {attribute}: only functional models and '
                                 "Sequential models with a known input shape have them.")
        return tensors

    # ------------------------------------------------------------------ structure
    @property
    def layers(self) -> list[Layer]:
        """The model's layers in order (a functional model's InputLayers first)."""
        if self._is_graph_network:
            return list(self._graph_layers)
        return [module for module in self._modules.values() if isinstance(module, Layer)]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by ``name`` or by ``index`` into ``layers``."""
        if index is not None and name is not None:
            raise ValueError("get_layer: pass either name= or index=, not both")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has {len(layers)} "
                                 "layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")
        raise ValueError("get_layer: provide either a layer name or a layer index")

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        own = [w for w in self._own_weights() if getattr(w, "_keras_trainable", False)]
        return _unique([w for layer in self.layers for w in layer.trainable_weights] + own)

    @property
    def non_trainable_weights(self) -> list:
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    @property
    def weights(self) -> list:
        """Every weight, layer by layer (each layer's trainable weights, then its non-trainable ones)."""
        return _unique([w for layer in self.layers for w in layer.weights] + self._own_weights())

    def _weight_names(self, prefix: str = "") -> dict[int, str]:
        names: dict[int, str] = {}
        for layer in self.layers:
            for key, value in layer._weight_names().items():
                names.setdefault(key, value)
        for key, value in Layer._weight_names(self).items():
            names.setdefault(key, value)
        return names

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(f"You tried to call count_params on model '{self.name}', but the model isn't built. "
                             "Call it on a batch of data, call build(input_shape), or give the first layer "
                             "input_shape=.")
        return int(sum(w.numel() for w in self.weights))

    @property
    def input_shape(self) -> Any:
        if self._is_graph_network:
            shapes = [t.shape for t in self.inputs]
            return shapes[0] if len(shapes) == 1 else shapes
        return Layer.input_shape.fget(self)

    @property
    def output_shape(self) -> Any:
        if self._is_graph_network:
            shapes = [t.shape for t in self.outputs]
            return shapes[0] if len(shapes) == 1 else shapes
        return Layer.output_shape.fget(self)

    def summary(self, line_length: int | None = None, positions: Sequence[float] | None = None,
                print_fn: Any = None, expand_nested: bool = False, show_trainable: bool = False) -> None:
        """Print the layer table (name and type, output shape, parameter count) and the totals, as Keras does."""
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling `build()` or by "
                             "calling the model on a batch of data.")
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    # ------------------------------------------------------------------ saving
    def save_weights(self, filepath: str, overwrite: bool = True, save_format: str | None = None) -> None:
        """Write the weights to a safetensors file (via ``saessak.save``), in the order of ``weights``."""
        saving.save_weights(self, filepath, overwrite)

    def load_weights(self, filepath: str, skip_mismatch: bool = False, by_name: bool = False) -> None:
        """Read weights written by ``save_weights`` (or ``save``) into this model, matching them in order."""
        saving.load_weights(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch)

    def save(self, filepath: str, overwrite: bool = True, **kwargs: Any) -> None:
        """Write architecture (as JSON) and weights to one safetensors file; reload with
        ``keras.models.load_model``. Sequential and functional models only."""
        saving.save_model(self, filepath, overwrite)

    def get_config(self) -> dict:
        return saving.model_config(self)

    def __repr__(self) -> str:
        return f"<keras {type(self).__name__} name={self.name!r}, built={self.built}>"


def _unique(tensors: list) -> list:
    seen, result = set(), []
    for tensor in tensors:
        if id(tensor) not in seen:
            seen.add(id(tensor))
            result.append(tensor)
    return result


