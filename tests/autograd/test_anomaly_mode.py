import pytest

import saessak
from saessak.autograd import Function


class NaNGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1.0

    @staticmethod
    def backward(ctx, gy):
        return gy * float("nan")


def test_detect_anomaly_names_the_custom_function_that_produced_nan():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="Traceback of forward call"):
        with saessak.autograd.detect_anomaly():
            y = NaNGrad.apply(x).sum()
            with pytest.raises(RuntimeError, match="Function 'NaNGradBackward' returned nan values in its 0th output"):
                y.backward()


def test_detect_anomaly_names_sqrt_of_zero_times_zero():
    # d/dx sqrt(x) at 0 is inf; times the zero gradient from `* 0` it is nan, produced by SqrtBackward0
    x = saessak.zeros(2, requires_grad=True)
    with pytest.warns(RuntimeWarning, match=r"Error detected in SqrtBackward0(.|\n)*test_anomaly_mode.py"):
        with saessak.autograd.detect_anomaly():
            y = (x.sqrt() * 0).sum()
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan values in its 0th output"):
                y.backward()


def test_without_anomaly_mode_nan_passes_silently():
    x = saessak.tensor([1.0], requires_grad=True)
    NaNGrad.apply(x).sum().backward()
    assert x.grad.isnan().all()
    z = saessak.zeros(2, requires_grad=True)
    with saessak.autograd.detect_anomaly(check_nan=False):
        (z.sqrt() * 0).sum().backward()
    assert z.grad.isnan().all()


def test_anomaly_switches():
    assert not saessak.is_anomaly_enabled()
    with saessak.autograd.detect_anomaly():
        assert saessak.is_anomaly_enabled() and saessak.is_anomaly_check_nan_enabled()
    assert not saessak.is_anomaly_enabled()
    with saessak.autograd.set_detect_anomaly(True, check_nan=False):
        assert saessak.is_anomaly_enabled() and not saessak.is_anomaly_check_nan_enabled()
    assert not saessak.is_anomaly_enabled() and saessak.is_anomaly_check_nan_enabled()

    @saessak.autograd.detect_anomaly()
    def inside():
        return saessak.is_anomaly_enabled()

    assert inside() and not saessak.is_anomaly_enabled()
