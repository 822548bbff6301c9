"""``saessak.cuda``: is a CUDA device usable (through CuPy)? Mirrors the parts of ``torch.cuda`` scripts use."""

from __future__ import annotations

from .backend import cuda_available

__all__ = ["is_available", "device_count", "current_device", "synchronize", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    """True when CuPy is installed and sees a CUDA device (``pip install saessak[cuda]``)."""
    return cuda_available()


def device_count() -> int:
    """Number of visible CUDA devices (0 without CuPy)."""
    if not cuda_available():
        return 0
    import cupy

    return int(cupy.cuda.runtime.getDeviceCount())


def current_device() -> int:
    """Index of the current CUDA device."""
    import cupy

    return int(cupy.cuda.runtime.getDevice())


def synchronize(device=None) -> None:
    """Wait for all queued GPU work to finish (no-op without a GPU)."""
    if cuda_available():
        import cupy

        cupy.cuda.runtime.deviceSynchronize()


def manual_seed(seed: int) -> None:
    """Seed the GPU random generator (saessak draws GPU random numbers from the same seeded generator)."""
    from . import random

    random.manual_seed(seed)


manual_seed_all = manual_seed
