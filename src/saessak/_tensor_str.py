"""Tensor printing (placeholder, replaced by the PyTorch-formatting work)."""

from __future__ import annotations


def tensor_repr(t) -> str:
    import numpy as np

    body = np.array2string(np.asarray(t._data), separator=", ", prefix="tensor(")
    extra = ""
    if t.dtype.name not in ("float32", "int64", "bool"):
        extra += f", dtype={t.dtype}"
    if t._grad_fn is not None:
        extra += f", grad_fn=<{t._grad_fn.name()}>"
    elif t._requires_grad:
        extra += ", requires_grad=True"
    return f"tensor({body}{extra})"
