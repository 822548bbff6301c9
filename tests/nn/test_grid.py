"""nn/_functional/grid.py: F.affine_grid and F.grid_sample against PyTorch, values and gradients."""

import numpy as np
import pytest

import saessak
import saessak.nn.functional as F
from tests.helpers import check_op, requires_torch, torch

RNG = np.random.default_rng(0)
GRID = RNG.uniform(-1.3, 1.3, (2, 4, 7, 2))  # reaches past the edges, so the padding modes matter


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [[2, 3, 4, 5], [2, 1, 3, 2]])
def test_affine_grid_2d_matches_torch(size, align_corners):
    check_op(lambda lib, theta: lib.nn.functional.affine_grid(theta, size, align_corners=align_corners), (2, 2, 3))


@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_3d_matches_torch(align_corners):
    check_op(lambda lib, theta: lib.nn.functional.affine_grid(theta, [2, 1, 3, 4, 5], align_corners=align_corners),
             (2, 3, 4))


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_grid_sample_bilinear_matches_torch(padding_mode, align_corners):
    check_op(lambda lib, x, grid: lib.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode=padding_mode,
                                                                align_corners=align_corners),
             (2, 3, 5, 6), GRID)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_grid_sample_nearest_matches_torch(padding_mode, align_corners):
    check_op(lambda lib, x, grid: lib.nn.functional.grid_sample(x, grid, mode="nearest", padding_mode=padding_mode,
                                                                align_corners=align_corners),
             (2, 3, 5, 6), GRID, grad=(True, False))


@requires_torch
def test_grid_sample_float32_matches_torch():
    x, grid = RNG.standard_normal((1, 2, 4, 4)).astype(np.float32), GRID[:1].astype(np.float32)
    ours = F.grid_sample(saessak.tensor(x), saessak.tensor(grid), align_corners=False)
    theirs = torch.nn.functional.grid_sample(torch.tensor(x), torch.tensor(grid), align_corners=False)
    assert ours.dtype == saessak.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_identity_transform_reproduces_the_image():
    image = saessak.arange(20.0).reshape(1, 1, 4, 5)
    for align_corners in (False, True):
        theta = saessak.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
        grid = F.affine_grid(theta, [1, 1, 4, 5], align_corners=align_corners)
        out = F.grid_sample(image, grid, align_corners=align_corners)
        np.testing.assert_allclose(out.numpy(), image.numpy(), atol=1e-5)


def test_transform_and_sampling_train_end_to_end():
    theta = saessak.tensor([[[0.9, 0.1, 0.05], [-0.1, 1.1, 0.0]]], requires_grad=True)
    image = saessak.tensor(RNG.standard_normal((1, 2, 6, 6)), requires_grad=True)
    grid = F.affine_grid(theta, [1, 2, 5, 5], align_corners=False)
    F.grid_sample(image, grid, align_corners=False).square().sum().backward()
    assert theta.grad.shape == (1, 2, 3) and np.all(np.isfinite(theta.grad.numpy()))
    assert image.grad.shape == (1, 2, 6, 6) and np.any(image.grad.numpy() != 0)


def test_missing_align_corners_warns_like_torch():
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.affine_grid(saessak.zeros(1, 2, 3), [1, 1, 2, 2])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="expected padding_mode to be 'zeros', 'border', or 'reflection'"):
        F.grid_sample(saessak.zeros(1, 1, 2, 2), saessak.zeros(1, 2, 2, 2), padding_mode="wrap", align_corners=False)
    with pytest.raises(ValueError, match="Nx2x3"):
        F.affine_grid(saessak.zeros(1, 3, 3), [1, 1, 2, 2], align_corners=False)
