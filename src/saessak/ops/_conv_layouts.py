"""Two memory layouts for a convolution's columns, each with its GEMMs; ``layout_for`` picks one by size.

* ``SampleMajor``: columns (N, C*k, L), one GEMM per sample, whose output is already NCHW. Best when each
  image has many output positions (L of a few hundred and up): the per-sample GEMMs are large.
* ``SampleLast``: columns (C*k, L*N) with the samples innermost, from the input seen as (C, H, W, N). One
  GEMM serves the whole batch, and both im2col and col2im move runs of ``out_width * N`` contiguous
  numbers instead of ``out_width``. Best for small feature maps, where per-sample GEMMs are tiny.

Rows are ordered (channel, kernel offset) in both, so the weight (O, C/g, *kernel) is used as it is and
group g owns a contiguous block of rows.
"""

from __future__ import annotations

import math

import numpy as np

from ._im2col import _col2im, _im2col, _out_sizes

SAMPLE_LAST_BELOW = 256  # output positions per image under which SampleLast is faster (measured on LeNet)


def _xp(array):
    return np if isinstance(array, np.ndarray) else __import__("cupy")


def _grouped(weight, groups: int):
    """A weight (O, C/g, *kernel) as (g, O/g, C/g * k) matrices (or one (O, C*k) matrix when g == 1)."""
    if groups == 1:
        return weight.reshape(weight.shape[0], -1)
    return weight.reshape(groups, weight.shape[0] // groups, -1)


class SampleMajor:
    """Columns (N, C*k, L): one GEMM per sample (and per group)."""

    @staticmethod
    def _split(array, groups: int):
        """(N, R, L) rows split into groups: (N, g, R/g, L); unchanged when g == 1."""
        return array if groups == 1 else array.reshape(array.shape[0], groups, -1, array.shape[-1])

    @staticmethod
    def im2col(data, kernel, dilation, padding, stride):
        return _im2col(data, kernel, dilation, padding, stride)

    @staticmethod
    def forward(w, cols, groups: int, out: tuple):
        y = _grouped(w, groups) @ SampleMajor._split(cols, groups)
        return y.reshape((cols.shape[0], w.shape[0]) + out)

    @staticmethod
    def weight_grad(g, cols, groups: int, weight_shape: tuple):
        g = g.reshape(g.shape[0], g.shape[1], -1)
        products = SampleMajor._split(g, groups) @ SampleMajor._split(cols, groups).swapaxes(-1, -2)
        return products.sum(0).reshape(weight_shape)

    @staticmethod
    def input_grad(g, w, groups: int, input_size, dilation, padding, stride):
        g = SampleMajor._split(g.reshape(g.shape[0], g.shape[1], -1), groups)
        gcols = (_grouped(w, groups).swapaxes(-1, -2) @ g).reshape(g.shape[0], -1, g.shape[-1])
        return _col2im(gcols, tuple(input_size), tuple(w.shape[2:]), dilation, padding, stride)


class SampleLast:
    """Columns (C*k, L*N), samples innermost: one GEMM (per group) for the whole batch."""

    @staticmethod
    def _split(array, groups: int):
        """(R, M) rows split into groups: (g, R/g, M); unchanged when g == 1."""
        return array if groups == 1 else array.reshape(groups, -1, array.shape[-1])

    @staticmethod
    def im2col(data, kernel, dilation, padding, stride):
        xp = _xp(data)
        n = len(kernel)
        x = xp.moveaxis(data, 0, -1)  # (C, *spatial, N)
        if any(padding):
            x = xp.pad(x, [(0, 0)] + [(p, p) for p in padding] + [(0, 0)])
        else:
            x = xp.ascontiguousarray(x)
        out = _out_sizes(x.shape[1:-1], kernel, dilation, stride)
        if any(o <= 0 for o in out):  # the sample-major path words the error
            return _im2col(data, kernel, dilation, padding, stride)
        s = x.strides
        view = xp.lib.stride_tricks.as_strided(
            x, (x.shape[0],) + tuple(kernel) + out + (x.shape[-1],),
            (s[0],) + tuple(s[1 + i] * dilation[i] for i in range(n)) + tuple(s[1 + i] * stride[i] for i in range(n))
            + (s[-1],), writeable=False)
        return view.reshape(x.shape[0] * math.prod(kernel), -1), out

    @staticmethod
    def _samples_last(g):
        """A gradient (N, O, *out) as (O, L*N)."""
        xp = _xp(g)
        return xp.ascontiguousarray(xp.moveaxis(g, 0, -1)).reshape(g.shape[1], -1)

    @staticmethod
    def forward(w, cols, groups: int, out: tuple):
        xp = _xp(cols)
        y = (_grouped(w, groups) @ SampleLast._split(cols, groups)).reshape((w.shape[0],) + out + (-1,))
        return xp.ascontiguousarray(xp.moveaxis(y, -1, 0))

    @staticmethod
    def weight_grad(g, cols, groups: int, weight_shape: tuple):
        g = SampleLast._split(SampleLast._samples_last(g), groups)
        return (g @ SampleLast._split(cols, groups).swapaxes(-1, -2)).reshape(weight_shape)

    @staticmethod
    def input_grad(g, w, groups: int, input_size, dilation, padding, stride):
        xp = _xp(g)
        batch, kernel, n = g.shape[0], tuple(w.shape[2:]), len(input_size)
        out = tuple(g.shape[2:])
        g = SampleLast._split(SampleLast._samples_last(g), groups)
        gcols = _grouped(w, groups).swapaxes(-1, -2) @ g  # ([g,] C/g * k, L*N)
        channels = w.shape[1] * groups
        blocks = gcols.reshape((channels,) + kernel + out + (batch,))
        padded = tuple(s + 2 * p for s, p in zip(input_size, padding))
        image = xp.zeros((channels,) + padded + (batch,), dtype=gcols.dtype)
        for offset in np.ndindex(*kernel):  # each add moves runs of out_width * N contiguous numbers
            index = (slice(None),) + tuple(
                slice(offset[i] * dilation[i], offset[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                for i in range(n)) + (slice(None),)
            image[index] += blocks[(slice(None),) + offset]
        crop = (slice(None),) + tuple(slice(p, p + s) for p, s in zip(padding, input_size)) + (slice(None),)
        return xp.ascontiguousarray(xp.moveaxis(image[crop], -1, 0))


def layout_for(out_positions: int):
    """The faster layout for feature maps with ``out_positions`` outputs per image."""
    return SampleLast if out_positions < SAMPLE_LAST_BELOW else SampleMajor
