"""Array backends: NumPy on the CPU, CuPy on CUDA devices (imported only when used)."""

from __future__ import annotations

import numpy as np

from .host_memory import tune_malloc

tune_malloc()

__all__ = ["Device", "device", "array_module", "array_device", "to_device", "cuda_available"]


class Device:
    """Where a tensor's memory lives: ``Device('cpu')`` or ``Device('cuda', 0)``.

    >>> Device('cuda:1')
    device(type='cuda', index=1)
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | Device = "cpu", index: int | None = None) -> None:
        if isinstance(type, Device):
            type, index = type.type, type.index if index is None else index
        elif isinstance(type, int):
            type, index = "cuda", type
        elif ":" in type:
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {type}"
            )
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = Device(other)
        if not isinstance(other, Device):
            return NotImplemented
        if self.type != other.type:
            return False
        return self.index == other.index or self.type == "cpu"

    def __hash__(self) -> int:
        return hash((self.type, self.index))


device = Device
CPU = Device("cpu")


def _cupy():
    try:
        import cupy
    except ImportError as error:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "CUDA tensors need CuPy: install it with `pip install saessak[cuda]` "
            "(or the cupy wheel that matches your CUDA version)"
        ) from error
    return cupy


def cuda_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def array_module(device: Device | None):
    """The array library (``numpy`` or ``cupy``) that holds arrays of ``device``."""
    if device is None or device.type == "cpu":
        return np
    return _cupy()


def array_device(array) -> Device:
    """The Device an array lives on."""
    if isinstance(array, np.ndarray | np.generic):
        return CPU
    dev = getattr(array, "device", None)
    if dev is not None and hasattr(dev, "id"):
        return Device("cuda", dev.id)
    return CPU


def get_array_module(array):
    """``numpy`` for NumPy arrays, ``cupy`` for CuPy arrays."""
    if isinstance(array, np.ndarray | np.generic):
        return np
    return _cupy().get_array_module(array)


def to_device(array, device: Device):
    """Copy ``array`` to ``device`` (no copy when it is already there)."""
    if device.type == "cpu":
        if isinstance(array, np.ndarray):
            return array
        return array.get()
    cupy = _cupy()
    with cupy.cuda.Device(device.index or 0):
        return cupy.asarray(array)
