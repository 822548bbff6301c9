import pytest

import saessak
from tests.helpers import requires_torch, torch


def test_backend_flags_can_be_set_and_read_back():
    cudnn = saessak.backends.cudnn
    assert cudnn.enabled and not cudnn.benchmark and not cudnn.deterministic
    cudnn.benchmark = True
    try:
        assert saessak.backends.cudnn.benchmark
    finally:
        cudnn.benchmark = False
    assert saessak.backends.mps.is_available() is False
    assert saessak.backends.cudnn.is_available() == saessak.cuda.is_available()


def test_deterministic_algorithms_switch():
    assert not saessak.are_deterministic_algorithms_enabled()
    try:
        saessak.use_deterministic_algorithms(True, warn_only=True)
        assert saessak.are_deterministic_algorithms_enabled()
        assert saessak.is_deterministic_algorithms_warn_only_enabled()
        assert saessak.get_deterministic_debug_mode() == 1
        saessak.set_deterministic_debug_mode("error")
        assert saessak.get_deterministic_debug_mode() == 2
    finally:
        saessak.use_deterministic_algorithms(False)
    assert saessak.get_deterministic_debug_mode() == 0
    with pytest.raises(TypeError, match="must be bool, not str"):
        saessak.use_deterministic_algorithms("yes")


@requires_torch
def test_defaults_match_torch():
    for name in ("enabled", "benchmark", "deterministic", "allow_tf32"):
        assert getattr(saessak.backends.cudnn, name) == getattr(torch.backends.cudnn, name)
    assert saessak.backends.cuda.matmul.allow_tf32 == torch.backends.cuda.matmul.allow_tf32
