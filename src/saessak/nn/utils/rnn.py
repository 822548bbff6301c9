"""Sequence utilities: ``pad_sequence`` (stack variable-length sequences into one padded batch)."""

from __future__ import annotations

from ..._tensor import Tensor


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
                 ) -> Tensor:
    """Stack tensors of shape (L_i, *) into (max L, B, *) (or (B, max L, *)), padding with ``padding_value``."""
    from ...ops.join import stack
    from ..modules.padding import pad

    sequences = list(sequences)
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        extra = longest - s.shape[0]
        widths = [0, 0] * (s.ndim - 1) + ([0, extra] if padding_side == "right" else [extra, 0])
        padded.append(pad(s, tuple(widths), value=padding_value) if extra else s)
    return stack(padded, 0 if batch_first else 1)
