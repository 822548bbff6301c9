"""Saving models: ``save_weights``/``load_weights`` (weights only) and ``save``/``load_model`` (architecture
as JSON plus weights), all in one safetensors file through ``saessak.save``/``saessak.load``.

A weights file is a flat ``{name: tensor}`` dict, so ``safetensors`` itself can open it; names are
``'0003/dense_1/kernel'``: the position in ``model.weights``, then the layer and weight names.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ... import serialization
from ..._tensor import Tensor

__all__ = ["load_model", "load_weights", "model_config", "save_model", "save_weights"]

_CONFIG_KEY = "keras_config"


def _named_weights(model: Any) -> dict[str, Tensor]:
    names = model._weight_names()
    return {f"{index:04d}/{names.get(id(w), 'weight')}": w.detach() for index, w in enumerate(model.weights)}


def _check_overwrite(filepath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} exists; pass overwrite=True to replace it")


def save_weights(model: Any, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Write ``model.weights`` to ``filepath``."""
    filepath = os.fspath(filepath)
    if not model.built:
        raise ValueError(f'Model "{model.name}" has no weights yet: call it on data or build() it before saving.')
    _check_overwrite(filepath, overwrite)
    serialization.save(_named_weights(model), filepath)


def _read_weights(filepath: str) -> dict[str, Tensor]:
    state = serialization.load(filepath)
    if isinstance(state, dict) and "weights" in state and _CONFIG_KEY in state:
        state = state["weights"]
    if not isinstance(state, dict):
        raise ValueError(f"{filepath} does not hold Keras weights (expected a dict of tensors)")
    return state


def load_weights(model: Any, filepath: str | os.PathLike, by_name: bool = False, skip_mismatch: bool = False) -> None:
    """Set ``model``'s weights from a file written by ``save_weights`` or ``save``."""
    filepath = os.fspath(filepath)
    state = _read_weights(filepath)
    if not model.built or not model.weights:
        raise ValueError(f'Model "{model.name}" has not created its weights yet: call it on a batch of data or '
                         "build(input_shape) before load_weights().")
    targets = model.weights
    if by_name:
        names = model._weight_names()
        stored = {key.split("/", 1)[1]: value for key, value in state.items()}
        values = []
        for weight in targets:
            value = stored.get(names.get(id(weight)))
            if value is None or tuple(value.shape) != tuple(weight.shape):
                if skip_mismatch:
                    value = weight.detach()
                else:
                    raise ValueError(f"load_weights(by_name=True): no matching weight for {names.get(id(weight))}")
            values.append(value)
        model.set_weights(values)
        return
    values = [state[key] for key in sorted(state)]
    if len(values) != len(targets):
        raise ValueError(f"The file {filepath} holds {len(values)} weights, but model \"{model.name}\" has "
                         f"{len(targets)}. Was it saved from a model with the same layers?")
    model.set_weights(values)


# ---------------------------------------------------------------- whole models
def _layer_entry(layer: Any) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def model_config(model: Any) -> dict:
    """The JSON-able description ``load_model`` rebuilds ``model`` from."""
    from .sequential import Sequential

    if isinstance(model, Sequential):
        config: dict = {"name": model.name, "layers": [_layer_entry(layer) for layer in model.layers]}
        if model._input_tensor is not None:
            config["batch_input_shape"] = list(model._input_tensor.shape)
        return {"class_name": "Sequential", "config": config}
    if getattr(model, "_is_graph_network", False):
        layers = []
        for layer in model.layers:
            entry = _layer_entry(layer)
            entry["inbound_nodes"] = []
            layers.append(entry)
        index_of = {id(layer): i for i, layer in enumerate(model.layers)}
        nodes = []
        for node in model._nodes:
            if type(node.layer).__name__ == "InputLayer":
                continue
            def ref(tensor: Any) -> Any:
                if not hasattr(tensor, "node"):
                    return {"value": tensor}
                layer = tensor.node.layer
                return [layer.name, layer._inbound_nodes.index(tensor.node), tensor.index]
            nodes.append({"layer": node.layer.name, "args": _map(ref, list(node.args)),
                          "kwargs": {k: _map(ref, v) for k, v in node.kwargs.items()}})
        refs = lambda tensors: [[t.node.layer.name, t.node.layer._inbound_nodes.index(t.node), t.index]  # noqa: E731
                                for t in tensors]
        del index_of
        return {"class_name": "Functional", "config": {
            "name": model.name, "layers": layers, "nodes": nodes, "input_layers": refs(model.inputs),
            "output_layers": refs(model.outputs),
            "single_input": not isinstance(model._input_structure, (list, tuple)),
            "single_output": not isinstance(model._output_structure, (list, tuple))}}
    raise NotImplementedError(f"{type(model).__name__} is a subclassed model: its call() is Python code that cannot "
                              "be saved as a configuration. Use save_weights() and rebuild the model in code.")


def _map(function: Any, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_map(function, v) for v in value]
    return function(value)


def save_model(model: Any, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Write architecture and weights of a Sequential or functional model to one file."""
    filepath = os.fspath(filepath)
    config = json.dumps(model_config(model))
    _check_overwrite(filepath, overwrite)
    serialization.save({_CONFIG_KEY: config, "weights": _named_weights(model)}, filepath)


def _layer_from_entry(entry: dict, custom_objects: dict) -> Any:
    from .. import layers as layers_module

    name = entry["class_name"]
    cls = custom_objects.get(name) or getattr(layers_module, name, None)
    if cls is None:
        raise ValueError(f"Unknown layer: '{name}'. Pass it in custom_objects={{'{name}': {name}}}.")
    config = dict(entry["config"])
    if name == "InputLayer":
        return cls(batch_input_shape=config["batch_input_shape"], dtype=config.get("dtype"), name=config["name"])
    return cls.from_config(config)


def load_model(filepath: str | os.PathLike, custom_objects: dict | None = None, compile: bool = True) -> Any:
    """Rebuild a model saved with ``model.save(filepath)``, weights included (not compiled)."""
    from .model import Model
    from .sequential import Sequential

    filepath = os.fspath(filepath)
    stored = serialization.load(filepath)
    if not isinstance(stored, dict) or _CONFIG_KEY not in stored:
        raise ValueError(f"{filepath} holds no model architecture; it was probably written by save_weights(). "
                         "Rebuild the model in code and call model.load_weights() instead.")
    description = json.loads(stored[_CONFIG_KEY])
    custom_objects = dict(custom_objects or {})
    config = description["config"]
    if description["class_name"] == "Sequential":
        model = Sequential(name=config["name"])
        if config.get("batch_input_shape") is not None:
            from ..layers.base import Input

            model.add(Input(batch_shape=config["batch_input_shape"]))
        for entry in config["layers"]:
            model.add(_layer_from_entry(entry, custom_objects))
    else:
        layers = {entry["config"]["name"]: _layer_from_entry(entry, custom_objects) for entry in config["layers"]}
        outputs_of: dict[str, list] = {name: [] for name in layers}
        for name, layer in layers.items():
            if type(layer).__name__ == "InputLayer":
                outputs_of[name].append([layer.output])

        def lookup(ref: Any) -> Any:
            if isinstance(ref, dict):
                return ref["value"]
            if isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str):
                layer_name, node_index, tensor_index = ref
                return outputs_of[layer_name][node_index][tensor_index]
            return [lookup(r) for r in ref]

        for node in config["nodes"]:
            args = [lookup(a) for a in node["args"]]
            kwargs = {k: lookup(v) for k, v in node["kwargs"].items()}
            result = layers[node["layer"]](*args, **kwargs)
            outputs_of[node["layer"]].append(list(result) if isinstance(result, (list, tuple)) else [result])
        inputs = [lookup(r) for r in config["input_layers"]]
        outputs = [lookup(r) for r in config["output_layers"]]
        model = Model(inputs[0] if config["single_input"] else inputs,
                      outputs[0] if config["single_output"] else outputs, name=config["name"])
    values = [stored["weights"][key] for key in sorted(stored["weights"])]
    model.set_weights(values)
    return model
