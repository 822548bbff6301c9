"""Spatial transformers: ``F.affine_grid`` builds a sampling grid from affine matrices, ``F.grid_sample`` reads
an image at the grid's (x, y) positions.

Both are compositions of differentiable ops (matmul, gather, arithmetic), so their gradients, with respect
to ``theta``, ``input`` and ``grid``, come for free, double backward included. Grid coordinates are
normalised: -1 is the left/top edge and +1 the right/bottom edge of the input (the centres of the corner
pixels when ``align_corners=True``, their outer edges otherwise).
"""

from __future__ import annotations

import warnings

from ..._tensor import Tensor
from ...ops.pointwise import where

__all__ = ["affine_grid", "grid_sample"]

_MODES = ("bilinear", "nearest", "bicubic")
_PADDING_MODES = ("zeros", "border", "reflection")


def _default_align_corners(align_corners: bool | None) -> bool:
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                      "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                      "grid_sample for details.", UserWarning, stacklevel=3)
        return False
    return bool(align_corners)


# ---------------------------------------------------------------- affine_grid
def _linspace_from_neg_one(xp, steps: int, align_corners: bool, dtype):
    """The normalised coordinates of ``steps`` pixel centres along one axis."""
    if steps <= 1:
        return xp.zeros(max(steps, 0), dtype=dtype)
    values = xp.linspace(-1.0, 1.0, steps, dtype=dtype)
    return values if align_corners else values * ((steps - 1) / steps)


def affine_grid(theta: Tensor, size: list[int], align_corners: bool | None = None) -> Tensor:
    """The sampling grid of a batch of affine maps: (N, 2, 3) -> (N, H, W, 2), or (N, 3, 4) -> (N, D, H, W, 3).

    ``size`` is the output image size, (N, C, H, W) or (N, C, D, H, W). Each output position's normalised
    coordinates ``(x, y, 1)`` are multiplied by ``theta``; feed the result to ``grid_sample``.

    >>> theta = saessak.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> F.affine_grid(theta, [1, 3, 4, 5], align_corners=False).shape
    saessak.Size([1, 4, 5, 2])
    """
    align_corners = _default_align_corners(align_corners)
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = [int(s) for s in size]
    if len(size) not in (4, 5):
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    spatial = len(size) - 2
    if theta.ndim != 3 or tuple(theta.shape) != (size[0], spatial, spatial + 1):
        raise ValueError(f"Expected a batch of {spatial}D affine matrices of shape Nx{spatial}x{spatial + 1} for size "
                         f"{size}. Got {tuple(theta.shape)}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if align_corners and min(size[2:]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation of "
                      "affine_grid for details.", UserWarning, stacklevel=2)
    xp, dtype = theta._xp(), theta._data.dtype
    # axes in (x, y[, z]) order: x runs along the last dim (W), y along H, z along D
    axes = [_linspace_from_neg_one(xp, steps, align_corners, dtype) for steps in reversed(size[2:])]
    mesh = xp.meshgrid(*reversed(axes), indexing="ij")  # each shaped (D,) H, W
    base = xp.stack([*reversed(mesh), xp.ones_like(mesh[0])], axis=-1).reshape(1, -1, spatial + 1)
    grid = Tensor._make(base).matmul(theta.transpose(1, 2))
    return grid.reshape(size[0], *size[2:], spatial)


# ---------------------------------------------------------------- grid_sample
def _reflect(coord: Tensor, twice_low: int, twice_high: int) -> Tensor:
    """Fold coordinates back into [twice_low / 2, twice_high / 2] by reflecting at its ends (PyTorch's rule)."""
    if twice_low == twice_high:
        return coord * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    coord = (coord - low).abs()
    extra = coord.fmod(span)
    flips = coord._xp().floor(coord._data / span)
    return where(Tensor._make(flips % 2 == 0), extra + low, span - extra + low)


def _source_coordinate(coord: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    """Normalised grid coordinates as (fractional) pixel indices, folded in by the padding mode."""
    if align_corners:
        coord = (coord + 1) / 2 * (size - 1)
    else:
        coord = ((coord + 1) * size - 1) / 2
    if padding_mode == "border":
        coord = coord.clamp(0, size - 1)
    elif padding_mode == "reflection":
        coord = _reflect(coord, 0, 2 * (size - 1)) if align_corners else _reflect(coord, -1, 2 * size - 1)
        coord = coord.clamp(0, size - 1)
    return coord


def _taps(flat: Tensor, x, y, height: int, width: int) -> Tensor:
    """``flat`` (N, C, H*W) read at integer positions ``x, y`` (arrays (N, L)); zero outside the image."""
    xp = flat._xp()
    inside = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    index = xp.clip(y, 0, height - 1) * width + xp.clip(x, 0, width - 1)
    index = Tensor._make(index.astype(xp.int64)[:, None, :]).expand(flat.shape[0], flat.shape[1], -1)
    return flat.gather(2, index) * Tensor._make(inside[:, None, :].astype(flat._data.dtype))


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` (N, C, H, W) at the normalised (x, y) positions of ``grid`` (N, H_out, W_out, 2).

    Returns (N, C, H_out, W_out). ``mode``: 'bilinear' (differentiable w.r.t. input and grid) or 'nearest'
    (w.r.t. input only). ``padding_mode`` says what lies outside the image: 'zeros', 'border' (the edge pixels
    repeat) or 'reflection' (the image mirrors at its edges).

    >>> image = saessak.arange(16.0).reshape(1, 1, 4, 4)
    >>> grid = F.affine_grid(saessak.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]), [1, 1, 4, 4], False)
    >>> bool((F.grid_sample(image, grid, align_corners=False) == image).all())
    True
    """
    if mode not in _MODES:
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    align_corners = _default_align_corners(align_corners)
    if mode == "bicubic" or input.ndim == 5:
        raise NotImplementedError("grid_sample supports 4-D input with mode 'bilinear' or 'nearest' only; "
                                  f"got {input.ndim}-D input and mode '{mode}'")
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError(f"grid_sample expected 4-D input (N, C, H, W) and grid (N, H_out, W_out, 2) with the "
                           f"same N, but got input of shape {tuple(input.shape)} and grid of shape "
                           f"{tuple(grid.shape)}")
    batch, channels, height, width = input.shape
    out_height, out_width = grid.shape[1], grid.shape[2]
    grid = grid.reshape(batch, out_height * out_width, 2)
    x = _source_coordinate(grid[..., 0], width, padding_mode, align_corners)
    y = _source_coordinate(grid[..., 1], height, padding_mode, align_corners)
    flat = input.reshape(batch, channels, height * width)
    xp = input._xp()
    if mode == "nearest":  # round half to even, as PyTorch's nearbyint
        out = _taps(flat, xp.round(x._data), xp.round(y._data), height, width)
    else:
        x0, y0 = xp.floor(x._data), xp.floor(y._data)
        wx1, wy1 = x - Tensor._make(x0), y - Tensor._make(y0)
        wx0, wy0 = 1 - wx1, 1 - wy1
        out = (_taps(flat, x0, y0, height, width) * (wx0 * wy0).unsqueeze(1)
               + _taps(flat, x0 + 1, y0, height, width) * (wx1 * wy0).unsqueeze(1)
               + _taps(flat, x0, y0 + 1, height, width) * (wx0 * wy1).unsqueeze(1)
               + _taps(flat, x0 + 1, y0 + 1, height, width) * (wx1 * wy1).unsqueeze(1))
    return out.reshape(batch, channels, out_height, out_width)
