"""``torch.backends`` flags and the deterministic-algorithms switch, for code that sets them.

saessak's NumPy/CuPy kernels have no cuDNN autotuner, no TF32 paths and no nondeterministic kernels, so these
flags are recorded (scripts may read back what they set) and change nothing:

>>> saessak.backends.cudnn.benchmark = True
>>> saessak.backends.mps.is_available()
False
"""

from __future__ import annotations

from types import SimpleNamespace

from .. import cuda as _cuda

__all__ = [
    "cudnn", "cuda", "mps", "mkldnn",
    "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled", "set_deterministic_debug_mode", "get_deterministic_debug_mode",
]

cudnn = SimpleNamespace(
    enabled=True, benchmark=False, deterministic=False, allow_tf32=True,
    is_available=lambda: _cuda.is_available(), version=lambda: None,
)
cuda = SimpleNamespace(
    matmul=SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True),
    is_built=lambda: _cuda.is_available(),
)
mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
mkldnn = SimpleNamespace(enabled=True, is_available=lambda: False)

_deterministic = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms; every saessak kernel already is, so this only records the setting."""
    if not isinstance(mode, bool):
        raise TypeError(
            f"_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}"
        )
    _deterministic.update(mode=mode, warn_only=bool(warn_only))


def are_deterministic_algorithms_enabled() -> bool:
    """True after ``use_deterministic_algorithms(True)``."""
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """True after ``use_deterministic_algorithms(True, warn_only=True)``."""
    return _deterministic["mode"] and _deterministic["warn_only"]


def set_deterministic_debug_mode(debug_mode: str | int) -> None:
    """``"default"`` (0), ``"warn"`` (1) or ``"error"`` (2), as ``use_deterministic_algorithms`` would set."""
    modes = {"default": 0, "warn": 1, "error": 2}
    level = modes.get(debug_mode, debug_mode) if isinstance(debug_mode, str) else debug_mode
    if level not in (0, 1, 2):
        raise RuntimeError(
            f"invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got {debug_mode}"
        )
    use_deterministic_algorithms(level > 0, warn_only=level == 1)


def get_deterministic_debug_mode() -> int:
    """0 when off, 1 when warn-only, 2 when deterministic algorithms are required."""
    if not _deterministic["mode"]:
        return 0
    return 1 if _deterministic["warn_only"] else 2
