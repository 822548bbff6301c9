import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch
from tests.nn.conversion import copy_weights


def _f(lib):
    return lib.nn.functional


@pytest.fixture(params=["sample_major", "sample_last"], autouse=True)
def conv_layout(request, monkeypatch):
    """Every test here runs with each of the convolution's two column layouts (ops/_conv_layouts.py)."""
    from saessak.ops import _conv_layouts

    monkeypatch.setattr(_conv_layouts, "SAMPLE_LAST_BELOW", 0 if request.param == "sample_major" else 10**9)
    return request.param


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("kwargs", [{}, {"stride": 2}, {"padding": 1}, {"dilation": 2}, {"padding": "same"},
                                    {"stride": (2, 1), "padding": (1, 0)}])
def test_conv2d_matches_torch(kwargs):
    check_op(lambda lib, x, w, b: _f(lib).conv2d(x, w, b, **kwargs), (2, 3, 6, 5), (4, 3, 3, 2), (4,))


def test_conv2d_groups_conv1d_and_transpose_match_torch():
    check_op(lambda lib, x, w: _f(lib).conv2d(x, w, groups=2), (1, 4, 4, 4), (6, 2, 2, 2))
    check_op(lambda lib, x, w, b: _f(lib).conv1d(x, w, b, stride=2, padding=1), (2, 3, 7), (2, 3, 3), (2,))
    check_op(lambda lib, x, w, b: _f(lib).conv_transpose2d(x, w, b, stride=2), (1, 2, 3, 3), (2, 3, 2, 2), (3,))
    check_op(lambda lib, x, w: _f(lib).conv_transpose2d(x, w, stride=2, padding=1, output_padding=1), (1, 2, 3, 3),
             (2, 2, 3, 3))
    check_op(lambda lib, x, w, b: _f(lib).conv_transpose2d(x, w, b, stride=2, groups=2), (1, 4, 3, 3), (4, 3, 2, 2),
             (6,))


def test_unfold_fold_match_torch():
    check_op(lambda lib, x: _f(lib).unfold(x, 2, padding=1, stride=2), (1, 2, 4, 4))
    check_op(lambda lib, x: _f(lib).fold(x, (4, 4), 2, stride=2), (1, 8, 4))


def test_pooling_matches_torch():
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 2), (2, 3, 4, 6))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 3, stride=2, padding=1), (1, 2, 5, 5))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 2, ceil_mode=True), (1, 2, 5, 5))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, (3, 2), stride=(1, 2), padding=1, dilation=(1, 2)), (2, 2, 6, 7))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 3, stride=2, ceil_mode=True, padding=1), (1, 1, 6, 6))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 2, return_indices=True)[1], (1, 2, 4, 4), grad=False)
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 3, stride=2, padding=1, return_indices=True)[1], (2, 2, 5, 6),
             grad=False)
    check_op(lambda lib, x: _f(lib).max_pool1d(x, 2), (2, 3, 6))
    check_op(lambda lib, x: _f(lib).max_pool1d(x, 3, stride=1, padding=1, dilation=1), (2, 3, 6))
    check_op(lambda lib, x: _f(lib).max_pool2d(x, 2), (3, 4, 4))  # unbatched
    check_op(lambda lib, x: _f(lib).avg_pool2d(x, 2), (2, 3, 4, 6))
    check_op(lambda lib, x: _f(lib).avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False), (1, 2, 4, 4))
    check_op(lambda lib, x: _f(lib).avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), (1, 2, 6, 6))
    check_op(lambda lib, x: _f(lib).avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
             (1, 2, 6, 7))
    check_op(lambda lib, x: _f(lib).avg_pool2d(x, 2, divisor_override=3), (1, 2, 4, 4))
    check_op(lambda lib, x: _f(lib).avg_pool1d(x, 3, stride=2), (2, 3, 7))
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool2d(x, (2, 3)), (1, 2, 4, 6))
    check_op(lambda lib, x: _f(lib).adaptive_avg_pool2d(x, 3), (1, 2, 5, 7))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool2d(x, (2, 2)), (1, 2, 5, 4))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool2d(x, (3, 2)), (2, 6, 4))
    check_op(lambda lib, x: _f(lib).adaptive_max_pool2d(x, (3, 5), return_indices=True)[1], (1, 2, 7, 9), grad=False)
    check_op(lambda lib, x: _f(lib).adaptive_max_pool2d(x, 2, return_indices=True)[1], (1, 2, 4, 4), grad=False)


def test_max_pool_gradient_goes_to_the_first_maximum_and_to_nan():
    x = saessak.tensor([[[[1.0, 1.0], [0.0, 1.0]]]], requires_grad=True)
    _f(saessak).max_pool2d(x, 2).sum().backward()
    assert x.grad.tolist() == [[[[1.0, 0.0], [0.0, 0.0]]]]
    x = saessak.tensor([[[[1.0, float("nan")], [3.0, 1.0]]]], requires_grad=True)
    y = _f(saessak).max_pool2d(x, 2)
    assert np.isnan(y.item())
    y.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_convolutions_double_backward_and_more_shapes():
    check_op(lambda lib, x, w, b: _f(lib).conv2d(x, w, b, groups=3, stride=2, padding=1), (2, 6, 5, 5), (3, 2, 3, 3),
             (3,))
    check_op(lambda lib, x, w: _f(lib).conv1d(x, w, dilation=2, padding="same"), (2, 2, 7), (3, 2, 3))
    check_op(lambda lib, x, w: _f(lib).conv_transpose2d(x, w, stride=2, dilation=2, groups=2), (1, 4, 3, 3),
             (4, 1, 2, 2))


def test_conv_dtype_mismatch_is_an_error():
    with pytest.raises(RuntimeError, match="Input type .*float64.* and weight type .*float32.* should be the same"):
        _f(saessak).conv2d(saessak.ones(1, 1, 3, 3, dtype=saessak.float64), saessak.ones(1, 1, 2, 2))


@requires_torch
def test_modules_match_torch_after_copying_weights():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    pairs = [
        (nn.Conv2d(3, 4, 3, padding=1), torch.nn.Conv2d(3, 4, 3, padding=1)),
        (nn.Conv2d(3, 6, (3, 1), stride=2, groups=3, bias=False), torch.nn.Conv2d(3, 6, (3, 1), stride=2, groups=3,
                                                                                  bias=False)),
        (nn.ConvTranspose2d(3, 2, 2, stride=2), torch.nn.ConvTranspose2d(3, 2, 2, stride=2)),
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
        (nn.AdaptiveAvgPool2d(1), torch.nn.AdaptiveAvgPool2d(1)),
    ]
    for ours, theirs in pairs:
        copy_weights(theirs, ours)
        a, b = ours(saessak.tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
        assert repr(ours) == repr(theirs)


def test_conv_errors_name_layer_and_shape():
    with pytest.raises(RuntimeError, match=r"expected input with 3 channels, got input of shape \(1, 4, 5, 5\)"):
        nn.Conv2d(3, 2, 3)(saessak.ones(1, 4, 5, 5))


def test_lenet_trains_a_step():
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
    x = saessak.randn(4, 1, 28, 28)
    out = model(x)
    assert out.shape == (4, 10)
    out.sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


@requires_torch
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_modes_match_torch(mode):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 2, 6, 7)).astype(np.float32)
    for kwargs in ({"padding": 1}, {"padding": (2, 1), "stride": 2}, {"padding": "same", "dilation": 2}):
        ours = nn.Conv2d(2, 3, 3, padding_mode=mode, **kwargs)
        theirs = torch.nn.Conv2d(2, 3, 3, padding_mode=mode, **kwargs)
        copy_weights(theirs, ours)
        assert repr(ours) == repr(theirs)
        xs, xt = saessak.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        a, b = ours(xs), theirs(xt)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
        a.sum().backward()
        b.sum().backward()
        np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    ours, theirs = nn.Conv1d(2, 3, 3, padding=2, padding_mode=mode), torch.nn.Conv1d(2, 3, 3, padding=2,
                                                                                     padding_mode=mode)
    copy_weights(theirs, ours)
    np.testing.assert_allclose(ours(saessak.tensor(x[:, :, 0])).detach().numpy(),
                               theirs(torch.tensor(x[:, :, 0])).detach().numpy(), rtol=1e-4, atol=1e-5)


@requires_torch
def test_conv_transpose_output_size_matches_torch():
    ours, theirs = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), torch.nn.ConvTranspose2d(2, 3, 3, stride=2,
                                                                                             padding=1)
    copy_weights(theirs, ours)
    x = np.random.default_rng(6).standard_normal((1, 2, 4, 4)).astype(np.float32)
    for size in ((7, 7), (8, 8), (1, 3, 8, 7)):
        a, b = ours(saessak.tensor(x), output_size=size), theirs(torch.tensor(x), output_size=size)
        assert a.shape == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match=r"requested an output size of \[9, 9\], but valid sizes range from"):
        ours(saessak.tensor(x), output_size=(9, 9))
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")


# ---------------------------------------------------------------- 3-D convolution and every transposed rank
def test_conv3d_matches_torch():
    check_op(lambda lib, x, w, b: _f(lib).conv3d(x, w, b, stride=(1, 2, 1), padding=1), (2, 2, 3, 4, 3),
             (3, 2, 2, 3, 2), (3,))
    check_op(lambda lib, x, w: _f(lib).conv3d(x, w, groups=2, dilation=(2, 1, 1), padding="same"), (2, 3, 3, 3),
             (4, 1, 2, 2, 1))  # unbatched, with 'same' padding


def test_conv_transpose1d_and_3d_match_torch():
    check_op(lambda lib, x, w, b: _f(lib).conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
             (2, 3, 5), (3, 2, 3), (2,))
    check_op(lambda lib, x, w: _f(lib).conv_transpose1d(x, w, stride=3, groups=3, dilation=2), (3, 4), (3, 2, 2))
    check_op(lambda lib, x, w, b: _f(lib).conv_transpose3d(x, w, b, stride=(2, 1, 2), padding=(0, 1, 0)),
             (1, 2, 2, 3, 2), (2, 3, 2, 3, 2), (3,))
    check_op(lambda lib, x, w: _f(lib).conv_transpose3d(x, w, stride=2, output_padding=1, groups=2),
             (4, 2, 2, 2), (4, 1, 2, 2, 2))


@requires_torch
def test_3d_and_transposed_modules_match_torch_after_copying_weights():
    rng = np.random.default_rng(3)
    cases = [
        ((2, 3, 4, 5, 4), lambda lib: lib.nn.Conv3d(3, 4, (2, 3, 2), stride=(1, 2, 1), padding=1)),
        ((3, 4, 5, 4), lambda lib: lib.nn.Conv3d(3, 2, 3, padding="same", padding_mode="reflect", bias=False)),
        ((2, 3, 4, 5, 4), lambda lib: lib.nn.Conv3d(3, 6, 2, groups=3, padding_mode="circular", padding=1)),
        ((2, 4, 6), lambda lib: lib.nn.ConvTranspose1d(4, 3, 3, stride=2, padding=1, output_padding=1)),
        ((4, 6), lambda lib: lib.nn.ConvTranspose1d(4, 2, 2, groups=2, dilation=2, bias=False)),
        ((1, 2, 3, 2, 3), lambda lib: lib.nn.ConvTranspose3d(2, 3, 2, stride=2)),
        ((2, 3, 2, 3), lambda lib: lib.nn.ConvTranspose3d(2, 4, (1, 2, 3), stride=(1, 2, 2), padding=(0, 1, 1))),
    ]
    for shape, make in cases:
        ours, theirs = make(saessak), make(torch)
        copy_weights(theirs, ours)
        assert repr(ours) == repr(theirs)
        assert ours.weight.shape == tuple(theirs.weight.shape)
        x = rng.standard_normal(shape).astype(np.float32)
        a, b = ours(saessak.tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    ours, theirs = nn.ConvTranspose1d(2, 3, 3, stride=2), torch.nn.ConvTranspose1d(2, 3, 3, stride=2)
    copy_weights(theirs, ours)
    x = rng.standard_normal((1, 2, 4)).astype(np.float32)
    a, b = ours(saessak.tensor(x), output_size=[10]), theirs(torch.tensor(x), output_size=[10])
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_conv3d_default_init_is_bounded_by_fan_in():
    layer = nn.Conv3d(4, 8, 3)
    bound = 1 / np.sqrt(4 * 27)
    assert layer.weight.shape == (8, 4, 3, 3, 3)
    assert float(layer.weight.abs().max()) <= bound and float(layer.bias.abs().max()) <= bound


def test_conv_transpose_errors_teach():
    with pytest.raises(RuntimeError, match="expected 4D \\(unbatched\\) or 5D \\(batched\\) input"):
        nn.ConvTranspose3d(2, 2, 2)(saessak.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="output padding must be smaller than either stride or dilation"):
        _f(saessak).conv_transpose1d(saessak.ones(1, 1, 3), saessak.ones(1, 1, 2), output_padding=1)


@requires_torch
def test_fold_unfold_modules_match_torch():
    x = np.random.default_rng(7).standard_normal((2, 3, 5, 4))
    for ours, theirs in ((nn.Unfold(2, padding=1), torch.nn.Unfold(2, padding=1)),
                         (nn.Unfold((2, 3), dilation=(2, 1), stride=2), torch.nn.Unfold((2, 3), dilation=(2, 1),
                                                                                         stride=2))):
        assert repr(ours) == repr(theirs)
        for sample in (x, x[0]):  # batched and unbatched
            np.testing.assert_allclose(ours(saessak.tensor(sample)).numpy(), theirs(torch.tensor(sample)).numpy())
    ours, theirs = nn.Fold((5, 4), 2, padding=1), torch.nn.Fold((5, 4), 2, padding=1)
    assert repr(ours) == repr(theirs)
    cols = np.random.default_rng(8).standard_normal((2, 12, 30))
    for sample in (cols, cols[0]):
        np.testing.assert_allclose(ours(saessak.tensor(sample)).numpy(), theirs(torch.tensor(sample)).numpy())
