"""Transforms: conversion, normalisation, crops, flips, resizing, reprs and seeded randomness."""

import numpy as np
import pytest

import saessak
from saessak.datasets import transforms as T

from ..helpers import requires_torch, torch


def _image(height=6, width=8, channels=3, seed=0):
    shape = (height, width, channels) if channels else (height, width)
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


# ---------------------------------------------------------------- ToTensor
def test_to_tensor_converts_hwc_uint8_to_chw_unit_range():
    image = _image()
    out = T.ToTensor()(image)
    assert tuple(out.shape) == (3, 6, 8) and out.dtype is saessak.float32
    np.testing.assert_allclose(out.numpy(), image.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    assert tuple(T.ToTensor()(_image(channels=0)).shape) == (1, 6, 8)


def test_to_tensor_keeps_float_arrays_and_passes_float_tensors():
    array = np.full((2, 2), 3.5)
    out = T.ToTensor()(array)
    assert out.dtype is saessak.float64 and float(out[0, 0, 0]) == 3.5
    already = saessak.rand(1, 4, 4)
    assert T.ToTensor()(already) is already
    from_uint8_tensor = T.ToTensor()(saessak.from_numpy(_image(channels=0)))
    assert tuple(from_uint8_tensor.shape) == (1, 6, 8) and float(from_uint8_tensor.max()) <= 1.0


def test_to_tensor_reads_objects_with_an_array_interface():
    class FakePIL:
        def __init__(self, array):
            self.__array_interface__ = array.__array_interface__
            self._keep = array

    image = _image(channels=0)
    np.testing.assert_allclose(T.ToTensor()(FakePIL(image)).numpy()[0], image / 255.0, rtol=1e-6)


def test_to_tensor_errors():
    with pytest.raises(TypeError, match="expected a NumPy array"):
        T.ToTensor()([[1, 2]])
    with pytest.raises(ValueError, match=r"\(H, W\) or \(H, W, C\), got \(1, 2, 3, 4\)"):
        T.ToTensor()(np.zeros((1, 2, 3, 4), dtype=np.uint8))
    with pytest.raises(TypeError, match="uint8 or floating point"):
        T.ToTensor()(saessak.zeros(2, 2, dtype=saessak.int64))


# ---------------------------------------------------------------- Normalize, ConvertImageDtype
def test_normalize_per_channel_and_inplace():
    x = saessak.rand(3, 4, 5)
    expected = (x.numpy() - np.array([0.1, 0.2, 0.3])[:, None, None]) / np.array([0.5, 0.25, 2.0])[:, None, None]
    out = T.Normalize((0.1, 0.2, 0.3), (0.5, 0.25, 2.0))(x)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6, atol=1e-6)
    assert out is not x
    y = x.clone()
    assert T.Normalize([0.1, 0.2, 0.3], [0.5, 0.25, 2.0], inplace=True)(y) is y
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-6, atol=1e-6)
    batch = T.Normalize((0.5,), (0.5,))(saessak.ones(2, 1, 3, 3))
    assert batch.tolist() == saessak.ones(2, 1, 3, 3).tolist()


def test_normalize_errors():
    with pytest.raises(ValueError, match="zero"):
        T.Normalize((0.0,), (0.0,))(saessak.rand(1, 2, 2))
    with pytest.raises(ValueError, match="mean has 2 values for an image with 3 channels"):
        T.Normalize((0.0, 0.0), (1.0, 1.0))(saessak.rand(3, 2, 2))
    with pytest.raises(TypeError, match="put ToTensor\\(\\) before Normalize"):
        T.Normalize((0.0,), (1.0,))(_image())
    with pytest.raises(TypeError, match="floating-point"):
        T.Normalize((0.0,), (1.0,))(saessak.zeros(1, 2, 2, dtype=saessak.uint8))


def test_convert_image_dtype_rescales():
    x = saessak.tensor([[[0, 128, 255]]], dtype=saessak.uint8)
    as_float = T.ConvertImageDtype(saessak.float32)(x)
    np.testing.assert_allclose(as_float.numpy(), [[[0, 128 / 255, 1]]], rtol=1e-6)
    assert T.ConvertImageDtype(saessak.uint8)(as_float).tolist() == [[[0, 128, 255]]]


# ---------------------------------------------------------------- composition and reprs
def test_compose_applies_in_order_and_prints_like_torchvision():
    pipeline = T.Compose([T.ToTensor(), T.Normalize(mean=(0.5,), std=(0.5,)), T.Lambda(lambda x: x * 0)])
    assert float(pipeline(_image(channels=0)).abs().max()) == 0.0
    assert repr(pipeline) == "Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.5,))\n    Lambda()\n)"
    nested = T.Compose([T.Compose([T.ToTensor()]), T.RandomHorizontalFlip()])
    assert repr(nested) == "Compose(\n    Compose(\n        ToTensor()\n    )\n    RandomHorizontalFlip(p=0.5)\n)"
    assert repr(T.RandomCrop(32, padding=4)) == "RandomCrop(size=(32, 32), padding=4)"
    assert repr(T.CenterCrop(10)) == "CenterCrop(size=(10, 10))"
    assert repr(T.Resize(16)) == "Resize(size=16, interpolation=bilinear)"
    with pytest.raises(TypeError, match="callable"):
        T.Compose([T.ToTensor(), "Normalize"])


# ---------------------------------------------------------------- crops and flips
def test_center_crop_positions_and_padding():
    grid = np.arange(36).reshape(6, 6)
    assert T.CenterCrop(2)(grid).tolist() == [[14, 15], [20, 21]]
    assert T.CenterCrop((3, 2))(grid).tolist() == [[14, 15], [20, 21], [26, 27]]  # top = round(1.5) = 2
    tensor_crop = T.CenterCrop(2)(saessak.from_numpy(grid.reshape(1, 6, 6).astype(np.float32)))
    assert tensor_crop.tolist() == [[[14.0, 15.0], [20.0, 21.0]]]
    padded = T.CenterCrop(4)(np.ones((2, 2), dtype=np.uint8))
    assert padded.tolist() == [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]


def test_random_crop_with_padding_is_a_window_of_the_padded_image_and_seeded():
    image = _image(8, 8)
    padded = np.pad(image, [(2, 2), (2, 2), (0, 0)])
    crop = T.RandomCrop(8, padding=2)
    saessak.manual_seed(3)
    first = [crop(image) for _ in range(5)]
    for out in first:
        assert out.shape == (8, 8, 3)
        windows = [padded[i: i + 8, j: j + 8] for i in range(5) for j in range(5)]
        assert any(np.array_equal(out, w) for w in windows)
    saessak.manual_seed(3)
    assert all(np.array_equal(a, crop(image)) for a in first)
    assert len({a.tobytes() for a in first}) > 1


def test_random_crop_on_tensors_padding_modes_and_errors():
    x = saessak.arange(16, dtype=saessak.float32).reshape(1, 4, 4)
    assert tuple(T.RandomCrop(4, padding=(1, 2))(x).shape) == (1, 4, 4)
    edge = T.RandomCrop((4, 6), padding=(1, 0), padding_mode="edge")(x)  # left/right only: one window
    assert edge.numpy()[0, 0].tolist() == [0, 0, 1, 2, 3, 3]
    assert T.RandomCrop(6, pad_if_needed=True, fill=7)(np.zeros((4, 4), dtype=np.uint8)).shape == (6, 6)
    with pytest.raises(ValueError, match="larger than the image"):
        T.RandomCrop(5)(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="padding_mode"):
        T.RandomCrop(4, padding_mode="wrap")
    with pytest.raises(TypeError, match="size must be an int"):
        T.RandomCrop("big")


def test_flips_on_arrays_and_tensors():
    grid = np.arange(6).reshape(2, 3)
    assert T.RandomHorizontalFlip(p=1.0)(grid).tolist() == [[2, 1, 0], [5, 4, 3]]
    assert T.RandomVerticalFlip(p=1.0)(grid).tolist() == [[3, 4, 5], [0, 1, 2]]
    assert T.RandomHorizontalFlip(p=0.0)(grid) is grid
    x = saessak.from_numpy(grid.reshape(1, 2, 3).astype(np.float32))
    assert T.RandomHorizontalFlip(p=1.0)(x).tolist() == [[[2, 1, 0], [5, 4, 3]]]
    saessak.manual_seed(0)
    flips = [T.RandomHorizontalFlip()(grid)[0, 0] == 2 for _ in range(200)]
    assert 60 < sum(flips) < 140
    with pytest.raises(ValueError, match="probability"):
        T.RandomVerticalFlip(p=2)
    with pytest.raises(TypeError, match="NumPy array or a saessak Tensor"):
        T.RandomHorizontalFlip()([[1, 2]])


# ---------------------------------------------------------------- resizing
def test_resize_shorter_side_and_exact_size():
    assert T.Resize(3)(_image(6, 8)).shape == (3, 4, 3)
    assert T.Resize((5, 7), "nearest")(_image(6, 8, channels=0)).shape == (5, 7)
    out = T.Resize((3, 3))(saessak.rand(2, 6, 6))
    assert tuple(out.shape) == (2, 3, 3)
    upscaled = T.Resize((4, 4), T.InterpolationMode.NEAREST)(np.array([[1, 2], [3, 4]], dtype=np.uint8))
    assert upscaled.dtype == np.uint8 and upscaled.tolist() == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    with pytest.raises(ValueError, match="interpolation"):
        T.Resize(3, interpolation="bicubic")


@requires_torch
def test_resize_bilinear_matches_torch_interpolate():
    x = np.random.default_rng(0).random((3, 5, 7)).astype(np.float32)
    ours = T.Resize((8, 4))(saessak.from_numpy(x)).numpy()
    theirs = torch.nn.functional.interpolate(torch.from_numpy(x)[None], size=(8, 4), mode="bilinear",
                                             align_corners=False)[0].numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
