"""``saessak.save`` and ``saessak.load``: checkpoints that can never run code when opened.

A checkpoint is one safetensors file. Tensors are its named entries; everything around them (dicts, lists,
tuples, numbers, strings, which entries are Parameters, which are the same tensor) is JSON in the file's
``__metadata__`` header. Nothing is pickled, so loading an untrusted file is as safe as reading JSON.

A flat ``{name: tensor}`` dict (a ``state_dict``) is stored under exactly its own names, so the file opens
with ``safetensors.torch.load_file``; and a plain safetensors file (no saessak metadata) loads as such a dict.
"""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, Any

import numpy as np
import safetensors.numpy

from . import dtypes
from ._tensor import Size, Tensor, _to_host
from .backend import Device

__all__ = ["save", "load"]

FileLike = str | os.PathLike | IO[bytes]
MapLocation = str | Device | dict | Callable | None

_FORMAT_KEY = "saessak"  # the metadata entry holding the JSON structure
_FORMAT_VERSION = 1
_ROOT_TENSOR_NAME = "tensor"
_SCALARS = (bool, int, float, str, type(None))


# ---------------------------------------------------------------- encoding: object tree -> tensors + JSON
def _describe(path: tuple) -> str:
    """A key path as Python would index it: ``obj['optimizer']['state'][0]``."""
    return "obj" + "".join(f"[{key!r}]" for key in path)


class _Encoder:
    """Walks an object tree once, collecting host arrays by name and returning the JSON-able structure."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.names_by_id: dict[int, str] = {}
        self.keep_alive: list = []  # ids stay unique while the walk holds the objects

    def encode(self, obj: Any, path: tuple = ()) -> Any:
        if isinstance(obj, Tensor):
            return self._tensor(obj, path)
        if isinstance(obj, float) and not math.isfinite(obj):
            return {"float": repr(obj)}  # JSON has no nan/inf; keep them exactly
        if type(obj) in _SCALARS:
            return obj
        if isinstance(obj, dict) and type(obj) in (dict, OrderedDict):
            items = [[self._key(key, path), self.encode(value, (*path, key))] for key, value in obj.items()]
            return {"ordered_dict" if type(obj) is OrderedDict else "dict": items}
        if type(obj) is list:
            return {"list": [self.encode(value, (*path, i)) for i, value in enumerate(obj)]}
        if type(obj) is tuple:
            return {"tuple": [self.encode(value, (*path, i)) for i, value in enumerate(obj)]}
        if type(obj) is Size:
            return {"size": list(obj)}
        if isinstance(obj, dtypes.dtype):
            return {"dtype": obj.name}
        if isinstance(obj, Device):
            return {"device": str(obj)}
        if isinstance(obj, np.ndarray):
            return {"ndarray": self._store(obj, obj, path)}
        if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
            return {"numpy_scalar": obj.dtype.str, "value": self.encode(obj.item(), path)}
        return self._unsupported(obj, path)

    def _key(self, key: Any, path: tuple) -> Any:
        if type(key) in (str, int):
            return key
        raise TypeError(
            f"saessak.save: dict key {key!r} of type {type(key).__name__} at {_describe(path)} is not supported; "
            "dict keys must be str or int"
        )

    def _unsupported(self, obj: Any, path: tuple):
        kind = type(obj).__name__
        hint = "convert it to a list, dict or tensor first"
        if hasattr(obj, "state_dict"):
            hint = "save its state_dict() instead and rebuild the object with load_state_dict()"
        elif isinstance(obj, tuple):
            hint = "convert it to a plain tuple or dict (e.g. namedtuple._asdict()) first"
        elif callable(obj):
            hint = "functions and classes cannot be stored without pickle; store their name instead"
        raise TypeError(
            f"saessak.save cannot store {kind} at {_describe(path)}: checkpoints hold tensors, NumPy arrays, "
            f"dicts (str/int keys), lists, tuples, str, int, float, bool and None; {hint}"
        )

    def _tensor(self, t: Tensor, path: tuple) -> dict:
        node: dict[str, Any] = {"tensor": self._store(t, t._data, path)}
        device = t.device
        if device.type != "cpu":
            node["device"] = str(device)
        if t.requires_grad:
            node["requires_grad"] = True
        from .nn.parameter import Parameter

        if isinstance(t, Parameter):
            node["parameter"] = True
        return node

    def _store(self, owner: Any, array, path: tuple) -> str:
        """The entry name of ``owner``'s data, writing it on first sight (the same object is stored once)."""
        top_level_name = len(path) == 1 and isinstance(path[0], str)
        known = self.names_by_id.get(id(owner))
        if known is not None and not top_level_name:
            return known
        name = self._fresh_name(path)
        if known is not None:  # a top-level state_dict key keeps its own entry, for safetensors readers
            self.arrays[name] = self.arrays[known]
            return known
        array = _to_host(array)  # GPU arrays are copied to host memory
        self.arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")  # views: their values
        self.names_by_id[id(owner)] = name
        self.keep_alive.append(owner)
        return name

    def _fresh_name(self, path: tuple) -> str:
        base = ".".join(str(key) for key in path) or _ROOT_TENSOR_NAME
        if base == "__metadata__":
            base = "__metadata__."
        name, suffix = base, 1
        while name in self.arrays:
            name, suffix = f"{base}#{suffix}", suffix + 1
        return name


def _serialize(obj: Any) -> bytes:
    encoder = _Encoder()
    structure = encoder.encode(obj)
    header = json.dumps({"version": _FORMAT_VERSION, "root": structure}, separators=(",", ":"))
    return safetensors.numpy.save(encoder.arrays, metadata={"format": "pt", _FORMAT_KEY: header})


# ---------------------------------------------------------------- writing
def save(obj: Any, f: FileLike, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Save ``obj`` (a tensor, a state_dict, or a checkpoint dict of them) to a path or binary file.

    Supported: tensors and Parameters (any device; stored from host memory), NumPy arrays, and dicts
    (str or int keys), lists and tuples of them mixed with str, int, float, bool and None. Anything else
    raises ``TypeError`` naming where it sits, before a byte is written. Writing to a path is atomic: a
    failure leaves any previous file untouched. The pickle arguments are accepted for PyTorch compatibility
    and ignored: nothing is pickled.

    >>> model = saessak.nn.Linear(2, 1)
    >>> saessak.save({"model": model.state_dict(), "epoch": 3}, "checkpoint.safetensors")
    >>> saessak.load("checkpoint.safetensors")["epoch"]
    3
    """
    data = _serialize(obj)
    if isinstance(f, str | os.PathLike):
        _write_atomically(os.fspath(f), data)
    elif hasattr(f, "write"):
        f.write(data)
        if hasattr(f, "flush"):
            f.flush()
    else:
        raise TypeError(f"saessak.save expects a path or a binary file object opened for writing, got {f!r}")


def _write_atomically(path: str, data: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync it, then rename it over ``path`` in one step."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist: create it before saving to {path}")
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _file_mode(path: str) -> int:
    """Keep an existing file's permissions; a new one gets what open() would give (0o666 less the umask)."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# ---------------------------------------------------------------- reading
def load(f: FileLike, map_location: MapLocation = None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load what ``saessak.save`` wrote (or any safetensors file) from a path or binary file.

    ``map_location`` places the tensors: ``None`` where they were saved, a device or device string
    (``'cpu'``), a dict renaming locations (``{'cuda:0': 'cpu'}``), or a callable ``fn(tensor, location)``
    returning the placed tensor (or ``None`` for the default). A plain safetensors file loads as a
    ``{name: tensor}`` dict. Loading never runs code from the file, so ``weights_only`` is always true in
    effect; the pickle arguments are accepted for compatibility and ignored.

    >>> saessak.save(saessak.arange(3), "x.safetensors")
    >>> saessak.load("x.safetensors", map_location="cpu")
    tensor([0, 1, 2])
    """
    if isinstance(f, str | os.PathLike):
        source = os.fspath(f)
        with open(source, "rb") as stream:
            data = stream.read()
    elif hasattr(f, "read"):
        source = str(getattr(f, "name", f"<{type(f).__name__}>"))
        data = f.read()
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"saessak.load expects a binary file object (opened 'rb'), got one returning "
                            f"{type(data).__name__}")
        data = bytes(data)
    else:
        raise TypeError(f"saessak.load expects a path or a binary file object opened for reading, got {f!r}")
    header, arrays = _read(data, source)
    placer = _Placer(map_location)
    metadata = header.get("__metadata__") or {}
    if _FORMAT_KEY not in metadata:  # a plain safetensors file: its entries are the state_dict
        return {name: placer.tensor(array, {}) for name, array in arrays.items()}
    try:
        structure = json.loads(metadata[_FORMAT_KEY])
        version = structure["version"]
        root = structure["root"]
    except (ValueError, KeyError, TypeError) as error:
        raise _not_a_checkpoint(source, f"its saessak metadata is damaged ({error})") from None
    if version != _FORMAT_VERSION:
        raise RuntimeError(f"{source} was written by a newer saessak (format version {version}; this one reads "
                           f"version {_FORMAT_VERSION}): upgrade saessak to load it")
    try:
        return _Decoder(arrays, placer).decode(root)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise _not_a_checkpoint(source, f"its structure does not match its tensors ({error!r})") from None


def _not_a_checkpoint(source: str, reason: str) -> RuntimeError:
    return RuntimeError(f"{source} is not a saessak/safetensors checkpoint: {reason}")


def _read(data: bytes, source: str) -> tuple[dict, dict[str, np.ndarray]]:
    """Check the safetensors framing and return its header and arrays; a clear error for anything else."""
    if not data:
        raise _not_a_checkpoint(source, "the file is empty")
    header_size = struct.unpack("<Q", data[:8])[0] if len(data) >= 8 else 0
    if data[8:9] != b"{" or header_size > 100_000_000:  # every safetensors header is a JSON object
        if data[:4] == b"PK\x03\x04" or data[:1] == b"\x80":
            raise _not_a_checkpoint(
                source, "it looks like a pickle/zip file written by torch.save, which saessak never unpickles "
                "(unpickling can run arbitrary code); in PyTorch re-save it with "
                "safetensors.torch.save_file(state_dict, path)")
        if len(data) <= 8:
            raise _not_a_checkpoint(source, f"it is truncated ({len(data)} bytes, too short for a header)")
        raise _not_a_checkpoint(source, "it does not start with a safetensors header")
    if header_size > len(data) - 8:
        raise _not_a_checkpoint(source, f"it is truncated (header of {header_size} bytes, file of {len(data)})")
    try:
        header = json.loads(data[8: 8 + header_size])
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
    except (ValueError, UnicodeDecodeError):
        raise _not_a_checkpoint(source, "its header is not valid safetensors JSON") from None
    entries = {name: entry for name, entry in header.items() if name != "__metadata__"}
    try:
        needed = max((int(entry["data_offsets"][1]) for entry in entries.values()), default=0)
    except (KeyError, TypeError, ValueError, IndexError):
        raise _not_a_checkpoint(source, "its header lists a tensor without valid data_offsets") from None
    if 8 + header_size + needed > len(data):
        raise _not_a_checkpoint(
            source, f"it is truncated ({len(data)} bytes, its header needs {8 + header_size + needed})")
    bfloat16_names = [name for name, entry in entries.items() if entry.get("dtype") == "BF16"]
    if bfloat16_names:  # NumPy has no bfloat16: read the raw 16 bits, widen to float32 below
        header = {**header, **{name: {**entries[name], "dtype": "U16"} for name in bfloat16_names}}
        raw = json.dumps(header).encode()
        data = struct.pack("<Q", len(raw)) + raw + data[8 + header_size:]
    try:
        arrays = safetensors.numpy.load(data)
    except Exception as error:  # the Rust SafetensorError and NumPy's dtype KeyError share no base class
        raise _not_a_checkpoint(source, f"safetensors could not read it ({error})") from None
    for name in bfloat16_names:
        arrays[name] = (arrays[name].astype(np.uint32) << 16).view(np.float32)
    ordered = {name: arrays[name] for name in entries}  # the file's own order
    return header, ordered


class _Placer:
    """Turns host arrays into tensors on the device ``map_location`` asks for."""

    def __init__(self, map_location: MapLocation) -> None:
        self.function: Callable | None = None
        self.renames: dict[str, str] = {}
        self.target: Device | None = None
        if map_location is None:
            pass
        elif isinstance(map_location, str | Device):
            self.target = Device(map_location)
        elif isinstance(map_location, dict):
            for source, target in map_location.items():
                self.renames[str(Device(source))] = str(Device(target))
        elif callable(map_location):
            self.function = map_location
        else:
            raise TypeError(
                f"map_location should be None, a device, a device string, a dict or a callable, got "
                f"{type(map_location).__name__}"
            )

    def tensor(self, array: np.ndarray, node: dict) -> Tensor:
        if not array.flags.writeable:
            array = array.copy()
        t = Tensor._make(array)
        location = node.get("device", "cpu")
        if self.function is not None:
            placed = self.function(t, location)
            if placed is not None:
                if not isinstance(placed, Tensor):
                    raise TypeError(f"map_location callable must return a Tensor or None, got "
                                    f"{type(placed).__name__}")
                return self._finish(placed, node)
        if self.target is not None:
            target = self.target
        else:  # an exact location ('cuda:1') first, then its device type ('cuda')
            target = Device(self.renames.get(location, self.renames.get(location.partition(":")[0], location)))
        return self._finish(self._move(t, target), node)

    @staticmethod
    def _move(t: Tensor, target: Device) -> Tensor:
        if target.type == "cpu":
            return t
        from . import cuda

        if not cuda.is_available():
            raise RuntimeError(
                f"Attempting to deserialize object on {target} but CUDA is not available (CuPy with a GPU). "
                "If you are running on a CPU-only machine, pass map_location='cpu' (or "
                "map_location=saessak.device('cpu')) to saessak.load"
            )
        return t.to(target)

    @staticmethod
    def _finish(t: Tensor, node: dict) -> Tensor:
        if node.get("parameter"):
            from .nn.parameter import Parameter

            return Parameter(t, requires_grad=bool(node.get("requires_grad")))
        if node.get("requires_grad"):
            t.requires_grad_(True)
        return t


class _Decoder:
    """Rebuilds the object tree from its JSON structure, making each stored tensor once."""

    def __init__(self, arrays: dict[str, np.ndarray], placer: _Placer) -> None:
        self.arrays = arrays
        self.placer = placer
        self.made: dict[tuple, Any] = {}

    def decode(self, node: Any) -> Any:
        if not isinstance(node, dict):
            if isinstance(node, list):
                raise ValueError("a bare JSON list")
            return node
        if "tensor" in node:
            key = ("tensor", node["tensor"])
            if key not in self.made:  # the same stored tensor is one shared object after loading
                self.made[key] = self.placer.tensor(self.arrays[node["tensor"]], node)
            return self.made[key]
        if "dict" in node or "ordered_dict" in node:
            kind = dict if "dict" in node else OrderedDict
            return kind((key, self.decode(value)) for key, value in node.get("dict", node.get("ordered_dict")))
        if "list" in node:
            return [self.decode(value) for value in node["list"]]
        if "tuple" in node:
            return tuple(self.decode(value) for value in node["tuple"])
        if "float" in node:
            return float(node["float"])
        if "size" in node:
            return Size(node["size"])
        if "dtype" in node:
            return dtypes.to_dtype(node["dtype"])
        if "device" in node:
            return Device(node["device"])
        if "ndarray" in node:
            key = ("ndarray", node["ndarray"])
            if key not in self.made:
                self.made[key] = self.arrays[node["ndarray"]].copy()
            return self.made[key]
        if "numpy_scalar" in node:
            return np.dtype(node["numpy_scalar"]).type(self.decode(node["value"]))
        raise ValueError(f"unknown node {sorted(node)}")

