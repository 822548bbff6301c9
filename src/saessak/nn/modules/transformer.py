"""Attention and the Transformer encoder: scaled_dot_product_attention, MultiheadAttention,
TransformerEncoderLayer, TransformerEncoder (PyTorch's parameter names, mask conventions and shapes).
"""

from __future__ import annotations

import copy
import math

from ... import creation, dtypes
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...ops.pointwise import where
from ..parameter import Parameter
from .container import ModuleList
from .linear import Linear, linear
from .module import Module
from .normalization import LayerNorm

__all__ = ["scaled_dot_product_attention", "MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder"]


def _dropout(x: Tensor, p: float, training: bool) -> Tensor:
    if not training or p == 0.0:
        return x
    from ...random import bernoulli

    return x * bernoulli(creation.full(tuple(x.shape), 1.0 - p, dtype=x.dtype)) / (1.0 - p)


def _additive_mask(mask: Tensor | None, dtype, masked_is_true: bool) -> Tensor | None:
    """A float mask to add to attention scores: -inf where attention is not allowed."""
    if mask is None:
        return None
    if mask.dtype.is_floating_point:
        return mask
    blocked = mask if masked_is_true else ~mask
    return where(blocked, -math.inf, 0.0).to(dtype)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """``softmax(Q K^T * scale + mask) V``; a bool ``attn_mask`` marks with True the positions that may attend."""
    length, source = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        causal = creation.ones(length, source, dtype=dtypes.bool).tril()
        scores = scores + _additive_mask(causal, scores.dtype, masked_is_true=False)
    if attn_mask is not None:
        scores = scores + _additive_mask(attn_mask, scores.dtype, masked_is_true=False)
    weights = scores.softmax(-1)
    weights = _dropout(weights, dropout_p, dropout_p > 0)
    return weights @ value


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection of MultiheadAttention (a Linear; the name matches PyTorch's repr)."""


class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads over ``embed_dim`` features; returns ``(output, weights)``.

    Masks follow ``nn.MultiheadAttention``: in a bool ``attn_mask`` or ``key_padding_mask``, True means
    "do not attend"; float masks are added to the scores.
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device=None, dtype=None) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if add_bias_kv or add_zero_attn or (kdim not in (None, embed_dim)) or (vdim not in (None, embed_dim)):
            raise NotImplementedError("add_bias_kv, add_zero_attn and kdim/vdim != embed_dim are not supported yet")
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        self.kdim = self.vdim = embed_dim
        self._qkv_same_embed_dim = True
        self.in_proj_weight = Parameter(creation.empty(3 * embed_dim, embed_dim, device=device, dtype=dtype))
        self.register_parameter("q_proj_weight", None)
        self.register_parameter("k_proj_weight", None)
        self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(creation.empty(3 * embed_dim, device=device, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, device=device, dtype=dtype)
        self.bias_k = self.bias_v = None
        self.add_zero_attn = False
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """Xavier-uniform in-projection, zero biases (as PyTorch)."""
        bound = math.sqrt(6.0 / (self.embed_dim + 3 * self.embed_dim))
        with no_grad():
            self.in_proj_weight.uniform_(-bound, bound)
            if self.in_proj_bias is not None:
                self.in_proj_bias.zero_()
                self.out_proj.bias.zero_()

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False):
        batched = query.ndim == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        length, batch, embed = query.shape
        source = key.shape[0]
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        heads, head_dim = self.num_heads, self.head_dim

        def split(t: Tensor, n: int) -> Tensor:  # (n, N, E) -> (N, heads, n, head_dim)
            return t.reshape(n, batch * heads, head_dim).transpose(0, 1).reshape(batch, heads, n, head_dim)

        q = split(linear(query, w_q, b_q), length)
        k = split(linear(key, w_k, b_k), source)
        v = split(linear(value, w_v, b_v), source)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(head_dim)
        mask = _additive_mask(attn_mask, scores.dtype, masked_is_true=True)
        if is_causal and mask is None:
            causal = creation.ones(length, source).triu(1).bool()
            mask = _additive_mask(causal, scores.dtype, masked_is_true=True)
        if mask is not None:
            if mask.ndim == 3:  # (N * heads, L, S)
                mask = mask.reshape(batch, heads, length, source)
            scores = scores + mask
        if key_padding_mask is not None:
            padding = _additive_mask(key_padding_mask, scores.dtype, masked_is_true=True)
            scores = scores + padding.reshape(batch, 1, 1, source)
        weights = scores.softmax(-1)
        attended = _dropout(weights, self.dropout, self.training) @ v  # (N, heads, L, head_dim)
        attended = attended.permute(2, 0, 1, 3).reshape(length, batch, embed)
        output = self.out_proj(attended)
        if self.batch_first and batched:
            output = output.transpose(0, 1)
        if not batched:
            output = output.squeeze(1)
        if not need_weights:
            return output, None
        if average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            weights = weights.squeeze(0)
        return output, weights


class TransformerEncoderLayer(Module):
    """Self-attention then a feed-forward block, each with dropout, a residual connection and LayerNorm."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation="relu", layer_norm_eps: float = 1e-5, batch_first: bool = False, norm_first: bool = False,
                 bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        from .dropout import Dropout

        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            device=device, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, device=device, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, device=device, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            if activation not in ("relu", "gelu"):
                raise RuntimeError(f"activation should be relu/gelu, not {activation}")
            self.activation_relu_or_gelu = 1 if activation == "relu" else 2
            activation = _relu if activation == "relu" else _gelu
        self.activation = activation

    def _self_attention(self, x: Tensor, mask, padding_mask, is_causal: bool) -> Tensor:
        out = self.self_attn(x, x, x, attn_mask=mask, key_padding_mask=padding_mask, need_weights=False,
                             is_causal=is_causal)[0]
        return self.dropout1(out)

    def _feed_forward(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def forward(self, src: Tensor, src_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool = False) -> Tensor:
        x = src
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._feed_forward(self.norm2(x))
        x = self.norm1(x + self._self_attention(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._feed_forward(x))


def _relu(x: Tensor) -> Tensor:
    return x.relu()


def _gelu(x: Tensor) -> Tensor:
    return 0.5 * x * (1.0 + (x * (1.0 / math.sqrt(2.0))).erf())


class TransformerEncoder(Module):
    """A stack of ``num_layers`` copies of ``encoder_layer`` (and an optional final norm)."""

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, src: Tensor, mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool | None = None) -> Tensor:
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=bool(is_causal))
        return self.norm(x) if self.norm is not None else x

    @staticmethod
    def generate_square_subsequent_mask(size: int, device=None, dtype=None) -> Tensor:
        """A float mask with -inf above the diagonal (a position attends only to itself and earlier ones)."""
        return where(creation.ones(size, size).triu(1).bool(), -math.inf, 0.0).to(dtype or dtypes.get_default_dtype())

