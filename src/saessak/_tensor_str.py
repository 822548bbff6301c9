"""Printing tensors exactly as PyTorch does, so tutorial outputs match line for line.

The rules (PyTorch's): one formatter per tensor decides between integer-looking floats (``1.``), fixed
point with ``precision`` digits, and scientific notation (when the largest/smallest nonzero magnitudes
differ by more than 1000x, or exceed 1e8, or fall below 1e-4); every element is right-aligned to the
widest; rows wrap at ``linewidth``; more than ``threshold`` elements print as a summary with ``...``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "tensor_repr"]


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None) -> None:
    """Set how tensors print (PyTorch's options and profiles: 'default', 'short', 'full')."""
    if profile == "default":
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 4, 1000, 3, 80
    elif profile == "short":
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 2, 1000, 2, 80
    elif profile == "full":
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 4, math.inf, 3, 80
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current print options."""
    return dict(PRINT_OPTS.__dict__)


class _Formatter:
    """Chooses one notation and width for all elements of a tensor."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        magnitudes = np.abs(finite)
        low, high = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4)
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)
        p = PRINT_OPTS.precision
        if self.sci_mode:
            texts = (f"{v:.{p}e}" for v in finite.tolist())
        elif self.int_mode:  # the trailing "." of an integer-valued float takes one column
            texts = (f"{v:.0f}." for v in finite.tolist())
        else:
            texts = (f"{v:.{p}f}" for v in finite.tolist())
        self.max_width = max(self.max_width, max(len(text) for text in texts))

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if self.floating:
            p = PRINT_OPTS.precision
            if self.sci_mode:
                text = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{value:.{p}f}"
        else:
            text = f"{value}"
        return (self.max_width - len(text)) * " " + text


def _summarized(values: np.ndarray) -> np.ndarray:
    """Only the elements a summarised print shows (edge items of every dim)."""
    e = PRINT_OPTS.edgeitems
    if values.ndim == 0:
        return values
    if values.ndim == 1:
        return np.concatenate([values[:e], values[-e:]]) if values.shape[0] > 2 * e else values
    if not e:
        return np.empty((0,) * values.ndim, dtype=values.dtype)
    rows = list(range(e)) + list(range(values.shape[0] - e, values.shape[0])) if values.shape[0] > 2 * e \
        else range(values.shape[0])
    return np.stack([_summarized(values[i]) for i in rows])


def _vector(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    element_length = formatter.width() + 2
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / element_length)))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and values.shape[0] > 2 * e:
        data = [formatter.format(v) for v in values[:e].tolist()] + [" ..."] + \
            [formatter.format(v) for v in values[-e:].tolist()]
    else:
        data = [formatter.format(v) for v in values.tolist()]
    lines = [", ".join(data[i: i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, formatter)
    e = PRINT_OPTS.edgeitems
    n = values.shape[0]
    if summarize and n > 2 * e:
        slices = [_nested(values[i], indent + 1, summarize, formatter) for i in range(e)] + ["..."] + \
            [_nested(values[i], indent + 1, summarize, formatter) for i in range(n - e, n)]
    else:
        slices = [_nested(values[i], indent + 1, summarize, formatter) for i in range(n)]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def tensor_body(values: np.ndarray, indent: int) -> str:
    """The bracketed numbers of a tensor's repr."""
    if values.size == 0:
        return "[]"
    if values.dtype == np.float16:
        values = values.astype(np.float32)
    summarize = values.size > PRINT_OPTS.threshold
    formatter = _Formatter(_summarized(values) if summarize else values)
    return _nested(values, indent, summarize, formatter)


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


# Parameter and Buffer print as plain tensors (Parameter adds its own header); other subclasses by name.
_PLAIN_TYPES = ("Tensor", "Parameter", "Buffer")


def tensor_repr(t, tensor_contents: str | None = None) -> str:
    """``tensor([[1., 2.]], requires_grad=True)``, ``tensor(23., grad_fn=<AddBackward0>)``, as PyTorch prints.

    ``tensor_contents`` replaces the bracketed numbers (PyTorch's hook for custom tensor types).
    """
    from .dtypes import bool as bool_
    from .dtypes import get_default_dtype, int64

    name = type(t).__name__
    prefix = "tensor(" if name in _PLAIN_TYPES else f"{name}("
    indent = len(prefix)
    data = t._data
    values = data if isinstance(data, np.ndarray) else data.get()
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    dtype = t.dtype
    if values.size == 0:
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype is not get_default_dtype():
            suffixes.append(f"dtype={dtype}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype not in (get_default_dtype(), int64, bool_):
            suffixes.append(f"dtype={dtype}")
        body = tensor_body(values, indent) if tensor_contents is None else ""
    if tensor_contents is not None:
        body = tensor_contents
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{t._grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
