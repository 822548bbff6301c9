import os

import numpy as np
import pytest

import saessak
from saessak.backend import Device, array_module, cuda_available

gpu = pytest.mark.skipif(not cuda_available(), reason="needs CuPy and a CUDA device")


def test_device_parsing_and_printing_match_torch():
    assert repr(Device("cpu")) == "device(type='cpu')"
    assert repr(Device("cuda:1")) == "device(type='cuda', index=1)"
    assert str(Device("cuda", 0)) == "cuda:0"
    assert Device("cpu") == "cpu"
    assert saessak.device("cuda:0").index == 0
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        Device("tpu")


def test_cpu_tensors_use_numpy():
    t = saessak.zeros(2)
    assert t.device == Device("cpu")
    assert array_module(t.device) is np
    assert saessak.cuda.is_available() in (True, False)
    assert saessak.cuda.device_count() >= 0


@pytest.mark.gpu
@gpu
def test_cuda_round_trip_and_gradients():
    x = saessak.tensor([1.0, 2.0, 3.0], device="cuda", requires_grad=True)
    assert x.device.type == "cuda"
    y = (x * x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [2.0, 4.0, 6.0])


def test_set_num_threads_sets_the_blas_pool():
    previous = saessak.get_num_threads()
    try:
        saessak.set_num_threads(1)
        assert saessak.get_num_threads() == 1
    finally:
        saessak.set_num_threads(previous)
    with pytest.raises(RuntimeError, match="positive integer"):
        saessak.set_num_threads(0)


def test_malloc_tuning_keeps_step_temporaries_without_page_faults():
    import platform
    import resource

    from saessak.backend import host_memory

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc tuning applies to glibc only")
    if os.environ.get("SAESSAK_MALLOC_TUNING") == "0":
        pytest.skip("malloc tuning switched off by SAESSAK_MALLOC_TUNING=0")
    assert host_memory.tuned
    x = saessak.randn(64, 6, 14, 14, requires_grad=True)
    w = saessak.randn(16, 6, 5, 5, requires_grad=True)
    for _ in range(3):
        saessak.nn.functional.conv2d(x, w).sum().backward()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        saessak.nn.functional.conv2d(x, w).sum().backward()
    per_step = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 5
    assert per_step < 50  # without the tuning: hundreds (one per 4 KiB page of every temporary)


def test_compile_returns_what_it_was_given():
    model = saessak.nn.Linear(3, 2)
    assert saessak.compile(model) is model

    @saessak.compile
    def f(x):
        return x * 2

    @saessak.compile(mode="reduce-overhead")
    def g(x):
        return x + 1

    assert f(saessak.ones(2)).tolist() == [2.0, 2.0] and g(saessak.ones(1)).item() == 2.0
    with pytest.raises(RuntimeError, match="expects a module or a function"):
        saessak.compile(3)
