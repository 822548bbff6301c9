"""im2col and col2im on arrays: every sliding window as a column, and columns summed back into an image.

Shared by convolution (ops/conv.py, ops/_conv_layouts.py), unfold/fold and pooling (ops/pooling.py).
"""

from __future__ import annotations

import math

import numpy as np


def _out_sizes(spatial, kernel, dilation, stride) -> tuple:
    return tuple((spatial[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(len(kernel)))


def _windows(data, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple, pad_value=0.0):
    """A read-only strided view (N, C, *out, *kernel) of every window of ``data`` (N, C, *spatial)."""
    xp = np if isinstance(data, np.ndarray) else __import__("cupy")
    n = len(kernel)
    if any(padding):
        data = xp.pad(data, [(0, 0), (0, 0)] + [(p, p) for p in padding], constant_values=pad_value)
    out = _out_sizes(data.shape[2:], kernel, dilation, stride)
    if any(o <= 0 for o in out):
        original = tuple(s - 2 * p for s, p in zip(data.shape[2:], padding))
        raise RuntimeError(
            f"Calculated output size {out} is too small for input of spatial size {original}, kernel {kernel}, "
            f"dilation {dilation}, padding {padding} and stride {stride}"
        )
    strides = data.strides
    view_strides = strides[:2] + tuple(strides[2 + i] * stride[i] for i in range(n)) + \
        tuple(strides[2 + i] * dilation[i] for i in range(n))
    view = xp.lib.stride_tricks.as_strided(data, data.shape[:2] + out + kernel, view_strides, writeable=False)
    return view, out


def _im2col(data, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple):
    """Columns (N, C * prod(kernel), L) of every window of ``data`` (N, C, *spatial), and the output sizes."""
    view, out = _windows(data, kernel, dilation, padding, stride)
    n = len(kernel)
    cols = view.transpose((0, 1) + tuple(range(2 + n, 2 + 2 * n)) + tuple(range(2, 2 + n)))
    return cols.reshape(data.shape[0], -1, math.prod(out)), out


def _col2im(cols, output_size: tuple, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple):
    """The adjoint of ``_im2col``: columns (N, C * prod(kernel), L) summed into an image (N, C, *output_size)."""
    xp = np if isinstance(cols, np.ndarray) else __import__("cupy")
    n = len(kernel)
    padded = tuple(s + 2 * p for s, p in zip(output_size, padding))
    out = _out_sizes(padded, kernel, dilation, stride)
    batch, channels = cols.shape[0], cols.shape[1] // math.prod(kernel)
    if math.prod(out) != cols.shape[2]:
        raise RuntimeError(f"Given output_size={output_size}, kernel_size={kernel}, dilation={dilation}, "
                           f"padding={padding}, stride={stride}, expected size of input's dimension 2 to match the "
                           f"calculated number of sliding blocks {math.prod(out)}, but got "
                           f"input.size(2)={cols.shape[2]}")
    blocks = cols.reshape((batch, channels) + kernel + out)
    image = xp.zeros((batch, channels) + padded, dtype=cols.dtype)
    for offset in np.ndindex(*kernel):  # one vectorised add per kernel position, never per pixel
        index = (slice(None), slice(None)) + tuple(
            slice(offset[i] * dilation[i], offset[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
            for i in range(n)
        )
        image[index] += blocks[(slice(None), slice(None)) + offset]
    crop = (slice(None), slice(None)) + tuple(slice(p, p + s) for p, s in zip(padding, output_size))
    return image[crop].copy() if any(padding) else image
