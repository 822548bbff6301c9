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
