"""saessak.save / saessak.load: round trips, safetensors interop, atomic writes, and clear errors."""

from __future__ import annotations

import io
import math
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import saessak
from saessak import serialization
from tests.helpers import requires_torch, torch


def roundtrip(obj, **load_kwargs):
    buffer = io.BytesIO()
    saessak.save(obj, buffer)
    buffer.seek(0)
    return saessak.load(buffer, **load_kwargs)


def assert_same_tensor(loaded, original):
    assert isinstance(loaded, saessak.Tensor)
    assert loaded.dtype == original.dtype
    assert loaded.shape == original.shape
    np.testing.assert_array_equal(loaded.detach().numpy(), original.detach().numpy())


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (3,), (2, 3)])
def test_tensor_roundtrip_keeps_dtype_and_shape(dtype, shape):
    x = saessak.from_numpy(np.asarray(np.arange(math.prod(shape)).reshape(shape) % 3).astype(dtype))
    assert_same_tensor(roundtrip(x), x)


def test_bfloat16_tensor_roundtrips_as_its_storage():
    x = saessak.tensor([1.5, -2.0]).bfloat16()
    assert_same_tensor(roundtrip(x), x)


def test_non_contiguous_views_store_their_values():
    base = saessak.arange(12.0).reshape(3, 4)
    for view in (base.t(), base[:, ::2], base[1]):
        assert_same_tensor(roundtrip(view), view)


def test_state_dict_roundtrip_loads_into_a_model():
    saessak.manual_seed(0)
    model = saessak.nn.Sequential(saessak.nn.Linear(3, 4), saessak.nn.BatchNorm1d(4))
    loaded = roundtrip(model.state_dict())
    assert isinstance(loaded, OrderedDict)
    assert list(loaded) == list(model.state_dict())
    other = saessak.nn.Sequential(saessak.nn.Linear(3, 4), saessak.nn.BatchNorm1d(4))
    other.load_state_dict(loaded)
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert_same_tensor(b, a)
    assert loaded["1.num_batches_tracked"].dtype == saessak.int64


def test_checkpoint_keeps_python_values_exactly():
    checkpoint = {
        "epoch": 7, "loss": 0.25, "best": float("inf"), "nan": float("nan"), "done": False, "note": None,
        "name": "run-1", "betas": (0.9, 0.999), "milestones": [30, 60], "nested": {"a": [(1, "x"), {2: [None]}]},
        "big": 2**70, "neg": -3, "empty": {}, "empty_list": [], "empty_tuple": (),
        "shape": saessak.Size([2, 3]), "dtype": saessak.float16, "device": saessak.device("cpu"),
    }
    loaded = roundtrip(checkpoint)
    assert math.isnan(loaded.pop("nan")) and math.isnan(checkpoint.pop("nan"))
    assert loaded == checkpoint
    assert type(loaded["betas"]) is tuple and type(loaded["milestones"]) is list
    assert type(loaded["shape"]) is saessak.Size and loaded["dtype"] is saessak.float16
    assert type(loaded["epoch"]) is int and type(loaded["loss"]) is float and type(loaded["done"]) is bool


def test_optimizer_style_state_dict_keeps_int_keys_tuples_and_tensors():
    state = {
        "state": {0: {"step": saessak.tensor(3.0), "exp_avg": saessak.ones(2, 2)}, 1: {"step": saessak.tensor(3.0)}},
        "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "amsgrad": False, "foreach": None, "params": [0, 1]}],
    }
    loaded = roundtrip(state)
    assert list(loaded["state"]) == [0, 1]
    assert loaded["param_groups"] == state["param_groups"]
    assert_same_tensor(loaded["state"][0]["exp_avg"], state["state"][0]["exp_avg"])
    assert_same_tensor(loaded["state"][1]["step"], saessak.tensor(3.0))


def test_int_and_str_keys_stay_distinct():
    loaded = roundtrip({1: "int", "1": "str"})
    assert loaded == {1: "int", "1": "str"}


def test_numpy_values_roundtrip():
    loaded = roundtrip({"array": np.arange(6, dtype=np.int16).reshape(2, 3), "scalar": np.float32(1.5)})
    assert loaded["array"].dtype == np.int16 and loaded["array"].shape == (2, 3)
    assert type(loaded["scalar"]) is np.float32 and loaded["scalar"] == 1.5


def test_shared_tensor_loads_as_one_object():
    shared = saessak.randn(3)
    loaded = roundtrip({"a": shared, "nested": [shared, {"again": shared}], "other": saessak.randn(3)})
    assert loaded["a"] is loaded["nested"][0] is loaded["nested"][1]["again"]
    assert loaded["other"] is not loaded["a"]
    loaded["a"].add_(1)
    np.testing.assert_allclose(loaded["nested"][0].numpy(), shared.numpy() + 1)


def test_parameters_and_requires_grad_are_restored():
    weight = saessak.nn.Parameter(saessak.randn(2, 2))
    frozen = saessak.nn.Parameter(saessak.randn(2), requires_grad=False)
    leaf = saessak.randn(2).requires_grad_()
    loaded = roundtrip({"weight": weight, "frozen": frozen, "leaf": leaf, "plain": saessak.randn(2)})
    assert isinstance(loaded["weight"], saessak.nn.Parameter) and loaded["weight"].requires_grad
    assert isinstance(loaded["frozen"], saessak.nn.Parameter) and not loaded["frozen"].requires_grad
    assert not isinstance(loaded["leaf"], saessak.nn.Parameter) and loaded["leaf"].requires_grad
    assert not loaded["plain"].requires_grad
    assert_same_tensor(loaded["weight"], weight)


def test_loaded_tensors_are_writable_and_own_their_memory():
    loaded = roundtrip({"w": saessak.zeros(3)})
    loaded["w"].add_(2.0)
    assert loaded["w"].tolist() == [2.0, 2.0, 2.0]


def test_paths_and_real_files(tmp_path):
    x = {"w": saessak.arange(4)}
    saessak.save(x, str(tmp_path / "a.pt"))
    saessak.save(x, tmp_path / "b.pt")
    with open(tmp_path / "c.pt", "wb") as f:
        saessak.save(x, f)
    for name in ("a.pt", "b.pt", "c.pt"):
        assert saessak.load(tmp_path / name)["w"].tolist() == [0, 1, 2, 3]
        with open(tmp_path / name, "rb") as f:
            assert saessak.load(f, weights_only=True)["w"].tolist() == [0, 1, 2, 3]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_file_is_pickle_free_json_and_safetensors():
    data = io.BytesIO()
    saessak.save({"x": saessak.ones(2), "epoch": 1}, data)
    assert b"pickle" not in data.getvalue() and data.getvalue()[:1] != b"\x80"


# ---------------------------------------------------------------- map_location
@pytest.mark.parametrize("location", [None, "cpu", saessak.device("cpu"), {"cuda:0": "cpu"}, {"cpu": "cpu"}])
def test_map_location_cpu_forms(location):
    loaded = roundtrip({"w": saessak.ones(2)}, map_location=location)
    assert loaded["w"].device.type == "cpu"


def test_map_location_callable_sees_each_tensor_and_location():
    seen = []

    def place(tensor, location):
        seen.append(location)
        return tensor * 2

    loaded = roundtrip({"a": saessak.ones(2), "b": [saessak.ones(1)]}, map_location=place)
    assert seen == ["cpu", "cpu"] and loaded["a"].tolist() == [2.0, 2.0]
    assert roundtrip(saessak.ones(1), map_location=lambda t, loc: None).tolist() == [1.0]


def test_map_location_is_validated():
    with pytest.raises(RuntimeError, match="device"):
        roundtrip(saessak.ones(1), map_location="gpu7")
    with pytest.raises(TypeError, match="map_location"):
        roundtrip(saessak.ones(1), map_location=3.5)


@pytest.mark.skipif(saessak.cuda.is_available(), reason="checks the CPU-only message")
def test_map_location_cuda_without_cuda_says_what_to_do():
    with pytest.raises(RuntimeError, match="map_location='cpu'"):
        roundtrip(saessak.ones(1), map_location="cuda")


# ---------------------------------------------------------------- safetensors interop
def test_state_dict_entries_keep_their_names_for_safetensors_readers(tmp_path):
    from safetensors.numpy import load_file

    model = saessak.nn.Linear(3, 2)
    saessak.save(model.state_dict(), tmp_path / "m.safetensors")
    arrays = load_file(tmp_path / "m.safetensors")
    assert set(arrays) == {"weight", "bias"}
    np.testing.assert_array_equal(arrays["weight"], model.weight.detach().numpy())


def test_tied_weights_keep_every_name_and_load_shared(tmp_path):
    from safetensors.numpy import load_file

    shared = saessak.randn(2, 2)
    saessak.save({"encoder.weight": shared, "decoder.weight": shared}, tmp_path / "tied")
    assert set(load_file(tmp_path / "tied")) == {"encoder.weight", "decoder.weight"}
    loaded = saessak.load(tmp_path / "tied")
    assert loaded["encoder.weight"] is loaded["decoder.weight"]


@requires_torch
def test_saessak_file_opens_with_safetensors_torch(tmp_path):
    from safetensors.torch import load_file

    saessak.manual_seed(0)
    model = saessak.nn.Sequential(saessak.nn.Linear(3, 4), saessak.nn.BatchNorm1d(4))
    saessak.save(model.state_dict(), tmp_path / "m.safetensors")
    tensors = load_file(str(tmp_path / "m.safetensors"))
    assert list(model.state_dict()) == sorted(tensors, key=list(model.state_dict()).index)
    torch_model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    torch_model.load_state_dict(tensors)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(tensors[name].numpy(), value.numpy())
        assert str(tensors[name].dtype) == str(value.dtype)


@requires_torch
def test_safetensors_torch_file_loads_into_a_saessak_model(tmp_path):
    from safetensors.torch import save_file

    torch.manual_seed(0)
    torch_model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    save_file(torch_model.state_dict(), str(tmp_path / "t.safetensors"))
    loaded = saessak.load(tmp_path / "t.safetensors")
    assert set(loaded) == set(torch_model.state_dict())
    model = saessak.nn.Sequential(saessak.nn.Linear(3, 4), saessak.nn.BatchNorm1d(4))
    model.load_state_dict(loaded)
    for name, value in torch_model.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[name].numpy(), value.numpy())
        assert str(model.state_dict()[name].dtype) == str(value.dtype)


@requires_torch
def test_bfloat16_from_torch_widens_to_float32(tmp_path):
    from safetensors.torch import save_file

    values = torch.tensor([1.0, -2.5, 3.140625], dtype=torch.bfloat16)
    save_file({"w": values}, str(tmp_path / "bf16"))
    loaded = saessak.load(tmp_path / "bf16")["w"]
    assert loaded.dtype == saessak.float32
    np.testing.assert_array_equal(loaded.numpy(), values.float().numpy())


# ---------------------------------------------------------------- unsupported objects and atomic writes
@pytest.mark.parametrize("bad, where", [
    ({"config": {"tags": {1, 2}}}, "obj['config']['tags']"),
    ({"fn": [1, lambda: 0]}, "obj['fn'][1]"),
    ({"state": {0: {"opt": object()}}}, "obj['state'][0]['opt']"),
    ({(1, 2): 3}, "obj"),
])
def test_unsupported_values_raise_type_error_naming_the_key_path(tmp_path, bad, where):
    path = tmp_path / "ckpt"
    with pytest.raises(TypeError) as info:
        saessak.save(bad, path)
    assert where in str(info.value)
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_saving_a_module_suggests_its_state_dict():
    with pytest.raises(TypeError, match="state_dict"):
        roundtrip(saessak.nn.Linear(2, 2))


def test_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt"
    saessak.save({"epoch": 1}, path)
    with pytest.raises(TypeError):
        saessak.save({"epoch": 2, "bad": {3}}, path)
    assert saessak.load(path) == {"epoch": 1}

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(serialization.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        saessak.save({"epoch": 3}, path)
    monkeypatch.undo()
    assert saessak.load(path) == {"epoch": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt"]


def test_missing_parent_directory_is_reported(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory"):
        saessak.save({}, tmp_path / "missing" / "ckpt")


# ---------------------------------------------------------------- foreign and damaged files
def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _good_bytes() -> bytes:
    buffer = io.BytesIO()
    saessak.save({"w": saessak.arange(10.0), "epoch": 2}, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"\x01\x02", "truncated"),
    (os.urandom(64) + b"\xff" * 8, "not a saessak/safetensors checkpoint"),
    (b"hello, this is a text file\n" * 4, "not a saessak/safetensors checkpoint"),
    (pickle.dumps({"w": [1, 2]}), "pickle"),
    (b"PK\x03\x04" + b"\x00" * 40, "torch.save"),
])
def test_foreign_files_raise_a_clear_error_with_the_path(tmp_path, data, reason):
    path = _write(tmp_path / "foreign.bin", data)
    with pytest.raises(RuntimeError, match=reason) as info:
        saessak.load(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("keep", [4, 20, -1, -8])
def test_truncated_checkpoints_raise(tmp_path, keep):
    data = _good_bytes()
    path = _write(tmp_path / "cut", data[:keep])
    with pytest.raises(RuntimeError, match="not a saessak/safetensors checkpoint") as info:
        saessak.load(path)
    assert str(path) in str(info.value)


def test_corrupted_structure_raises(tmp_path):
    data = _good_bytes().replace(b'\\"tensor\\":\\"w\\"', b'\\"tensor\\":\\"q\\"')
    with pytest.raises(RuntimeError, match="does not match"):
        saessak.load(_write(tmp_path / "bad", data))


@requires_torch
def test_a_torch_save_file_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "model.pt"
    torch.save({"w": torch.ones(2)}, str(path))
    with pytest.raises(RuntimeError, match="torch.save") as info:
        saessak.load(path)
    assert "safetensors.torch.save_file" in str(info.value)


def test_text_mode_file_objects_are_refused(tmp_path):
    path = tmp_path / "ckpt"
    saessak.save({"epoch": 1}, path)
    with open(path, encoding="latin-1") as f, pytest.raises(TypeError, match="binary"):
        saessak.load(f)


# ---------------------------------------------------------------- GPU tensors
gpu = pytest.mark.skipif(not saessak.cuda.is_available(), reason="needs CuPy and a CUDA device")


@pytest.mark.gpu
@gpu
def test_gpu_tensors_are_saved_from_host_memory_and_restored_where_they_were():
    x = saessak.arange(4.0, device="cuda")
    loaded = roundtrip({"x": x})
    assert loaded["x"].device.type == "cuda" and loaded["x"].cpu().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert roundtrip({"x": x}, map_location="cpu")["x"].device.type == "cpu"
    assert roundtrip({"x": x}, map_location={"cuda:0": "cpu"})["x"].device.type == "cpu"
