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


def test_detect_anomaly_names_the_op_that_produced_nan():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="Traceback of forward call"):
        with saessak.autograd.detect_anomaly():
            y = NaNGrad.apply(x).sum()
            with pytest.raises(RuntimeError, match="Function 'NaNGradBackward' returned nan values in its 0th output"):
                y.backward()


def test_without_anomaly_mode_nan_passes_silently():
    x = saessak.tensor([1.0], requires_grad=True)
    NaNGrad.apply(x).sum().backward()
    assert x.grad.isnan().all()
