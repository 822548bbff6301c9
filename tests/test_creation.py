import numpy as np
import pytest

import saessak


def test_tensor_infers_pytorch_dtypes_and_copies():
    assert saessak.tensor([1.0, 2]).dtype == saessak.float32
    assert saessak.tensor([[1, 2]]).dtype == saessak.int64
    array = np.array([1.0, 2.0])
    t = saessak.tensor(array)
    assert t.dtype == saessak.float64
    array[0] = 9
    assert t[0].item() == 1.0
    assert saessak.tensor([saessak.tensor(1.0), saessak.tensor(2.0)]).tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="floating point"):
        saessak.tensor([1, 2], requires_grad=True)


def test_from_numpy_and_as_tensor_share_memory():
    array = np.zeros(3, dtype=np.float32)
    for t in (saessak.from_numpy(array), saessak.as_tensor(array)):
        array[1] = 5.0
        assert t[1].item() == 5.0


def test_filled_constructors():
    assert saessak.zeros(2, 3).shape == (2, 3) and saessak.zeros((2, 3)).shape == (2, 3)
    assert saessak.ones(2, dtype=saessak.int64).tolist() == [1, 1]
    assert saessak.full((2,), 7).dtype == saessak.int64
    assert saessak.full((2,), 0.5).tolist() == [0.5, 0.5]
    like = saessak.ones(2, 2, dtype=saessak.float64)
    assert saessak.zeros_like(like).dtype == saessak.float64 and saessak.full_like(like, 3).sum().item() == 12
    assert saessak.empty(3, 1).shape == (3, 1)
    assert saessak.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_ranges():
    assert saessak.arange(5).tolist() == [0, 1, 2, 3, 4] and saessak.arange(5).dtype == saessak.int64
    assert len(saessak.arange(0, 1, 0.1)) == 10 and saessak.arange(0, 1, 0.1).dtype == saessak.float32
    np.testing.assert_allclose(saessak.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1.0])


def test_legacy_constructors():
    assert saessak.Tensor(2, 3).shape == (2, 3) and saessak.Tensor(2, 3).dtype == saessak.float32
    assert saessak.Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert saessak.FloatTensor([1, 2]).dtype == saessak.float32
    assert saessak.LongTensor([1, 2]).dtype == saessak.int64
    assert saessak.Tensor().shape == (0,)


def test_legacy_types_work_with_isinstance():
    assert isinstance(saessak.ones(2), saessak.FloatTensor)
    assert not isinstance(saessak.ones(2), saessak.LongTensor)
    assert isinstance(saessak.tensor([1]), saessak.LongTensor)
