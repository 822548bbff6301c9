"""Embeddings: a lookup table of vectors (Embedding) and bags of them (EmbeddingBag)."""

from __future__ import annotations

from ... import creation
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding", "EmbeddingBag", "embedding", "embedding_bag"]


def _renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, the looked-up rows whose norm exceeds ``max_norm`` (as PyTorch does)."""
    with no_grad():
        rows = input.reshape(-1).unique()
        norms = weight[rows].norm(norm_type, dim=1, keepdim=True)
        scale = (max_norm / (norms + 1e-7)).clamp(max=1.0)
        weight[rows] = weight[rows] * scale


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer ``input``; the ``padding_idx`` row gets no gradient."""
    if input.dtype.is_floating_point:
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
            f"but got {input.type()} instead (while checking arguments for embedding)"
        )
    if max_norm is not None:
        _renorm_(weight, input, max_norm, norm_type)
    out = weight[input]
    if padding_idx is not None:
        from ...ops.pointwise import where

        if padding_idx < 0:
            padding_idx += weight.shape[0]
        keep = (input != padding_idx).unsqueeze(-1)
        out = where(keep, out, out.detach())
    return out


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, initialised from N(0, 1)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise AssertionError("Padding_idx must be within num_embeddings")
            if padding_idx < 0:
                padding_idx += num_embeddings
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(creation.empty(num_embeddings, embedding_dim, device=device, dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """N(0, 1) entries, with the padding row zeroed."""
        with no_grad():
            self.weight.normal_()
            if self.padding_idx is not None:
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        return text

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose table is ``embeddings`` (frozen by default)."""
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sum, mean or max of the embeddings of each bag (2-D ``input``: one bag per row; 1-D: bags by ``offsets``)."""
    from ...ops.join import stack

    if input.ndim == 2:
        bags = list(input)
    else:
        starts = offsets.tolist()
        ends = starts[1:] + [input.shape[0]] if not include_last_offset else starts[1:]
        starts = starts if not include_last_offset else starts[:-1]
        bags = [input[s:e] for s, e in zip(starts, ends)]
        if per_sample_weights is not None:
            weights_per_bag = [per_sample_weights[s:e] for s, e in zip(starts, ends)]
    results = []
    for i, bag in enumerate(bags):
        vectors = embedding(bag, weight, padding_idx, max_norm, norm_type)
        if per_sample_weights is not None:
            w = per_sample_weights[i] if input.ndim == 2 else weights_per_bag[i]
            vectors = vectors * w.unsqueeze(-1)
        if vectors.shape[0] == 0:
            results.append(creation.zeros(weight.shape[1], dtype=weight.dtype))
        elif mode == "sum":
            results.append(vectors.sum(0))
        elif mode == "mean":
            results.append(vectors.mean(0))
        elif mode == "max":
            results.append(vectors.amax(0))
        else:
            raise ValueError(f"mode has to be one of sum, mean or max, got {mode}")
    return stack(results)


class EmbeddingBag(Module):
    """Bags of embeddings reduced by ``mode`` ('sum', 'mean' or 'max'), without materialising each lookup."""

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim, self.mode = num_embeddings, embedding_dim, mode
        self.max_norm, self.norm_type, self.include_last_offset = max_norm, norm_type, include_last_offset
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = Parameter(creation.empty(num_embeddings, embedding_dim, device=device, dtype=dtype))
            with no_grad():
                self.weight.normal_()
        else:
            self.weight = Parameter(_weight)

    def forward(self, input: Tensor, offsets: Tensor | None = None, per_sample_weights: Tensor | None = None) -> Tensor:
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, mode=self.mode,
                             per_sample_weights=per_sample_weights, include_last_offset=self.include_last_offset,
                             padding_idx=self.padding_idx)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}, mode='{self.mode}'"
