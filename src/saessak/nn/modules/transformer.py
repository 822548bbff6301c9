"""Attention and the Transformer: scaled_dot_product_attention, MultiheadAttention, the encoder and decoder
layers and stacks, and Transformer itself (PyTorch's parameter names, mask conventions and shapes).
"""

from __future__ import annotations

import copy
import math

from ... import creation, dtypes
from ..._tensor import Tensor
from ...ops.join import cat
from ...ops.pointwise import where
from .. import init
from ..parameter import Parameter
from .container import ModuleList
from .linear import Linear, linear
from .module import Module
from .normalization import LayerNorm

__all__ = ["scaled_dot_product_attention", "MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder",
           "TransformerDecoderLayer", "TransformerDecoder", "Transformer"]


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
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        if embed_dim % num_heads:
            raise AssertionError(f"embed_dim must be divisible by num_heads, got embed_dim={embed_dim} and "
                                 f"num_heads={num_heads}")
        factory = {"device": device, "dtype": dtype}
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(creation.empty(3 * embed_dim, embed_dim, **factory))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        else:  # keys and values of other widths get their own projections
            self.q_proj_weight = Parameter(creation.empty(embed_dim, embed_dim, **factory))
            self.k_proj_weight = Parameter(creation.empty(embed_dim, self.kdim, **factory))
            self.v_proj_weight = Parameter(creation.empty(embed_dim, self.vdim, **factory))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(creation.empty(3 * embed_dim, **factory))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **factory)
        if add_bias_kv:
            self.bias_k = Parameter(creation.empty(1, 1, embed_dim, **factory))
            self.bias_v = Parameter(creation.empty(1, 1, embed_dim, **factory))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """Xavier-uniform projections, zero biases, Xavier-normal ``bias_k``/``bias_v`` (as PyTorch)."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        for extra in (self.bias_k, self.bias_v):
            if extra is not None:
                init.xavier_normal_(extra)

    def _project(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """The query, key and value projections, shapes ``(L, N, E)``, ``(S, N, E)``, ``(S, N, E)``."""
        if self._qkv_same_embed_dim:
            w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        return linear(query, w_q, b_q), linear(key, w_k, b_k), linear(value, w_v, b_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """Attend from ``query`` (L, N, E) to ``key``/``value`` (S, N, kdim/vdim); ``(N, L, E)`` etc. if batch_first.

        >>> attention = nn.MultiheadAttention(8, 2)
        >>> out, weights = attention(saessak.randn(4, 3, 8), saessak.randn(5, 3, 8), saessak.randn(5, 3, 8))
        >>> out.shape, weights.shape
        (torch.Size([4, 3, 8]), torch.Size([3, 4, 5]))
        """
        batched = query.ndim == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        length, batch, embed = query.shape
        q, k, v = self._project(query, key, value)
        mask = _additive_mask(attn_mask, q.dtype, masked_is_true=True)
        if is_causal and mask is None:
            causal = creation.ones(length, k.shape[0]).triu(1).bool()
            mask = _additive_mask(causal, q.dtype, masked_is_true=True)
        padding = _additive_mask(key_padding_mask, q.dtype, masked_is_true=True)
        if self.bias_k is not None:  # one learned key/value appended to every sequence; every query may see it
            k = cat([k, self.bias_k.expand(1, batch, embed)])
            v = cat([v, self.bias_v.expand(1, batch, embed)])
            mask, padding = _allow_one_more_key(mask), _allow_one_more_key(padding)
        heads, head_dim = self.num_heads, self.head_dim

        def split(t: Tensor) -> Tensor:  # (n, N, E) -> (N, heads, n, head_dim)
            n = t.shape[0]
            return t.reshape(n, batch * heads, head_dim).transpose(0, 1).reshape(batch, heads, n, head_dim)

        q, k, v = split(q), split(k), split(v)
        if self.add_zero_attn:  # an all-zero key and value appended after the heads are split
            zeros = creation.zeros(batch, heads, 1, head_dim, dtype=k.dtype, device=k.device)
            k, v = cat([k, zeros], dim=2), cat([v, zeros], dim=2)
            mask, padding = _allow_one_more_key(mask), _allow_one_more_key(padding)
        source = k.shape[2]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(head_dim)
        if mask is not None:
            if mask.ndim == 3:  # (N * heads, L, S)
                mask = mask.reshape(batch, heads, length, source)
            scores = scores + mask
        if padding is not None:
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


def _allow_one_more_key(mask: Tensor | None) -> Tensor | None:
    """An additive mask widened by one key column that every query may attend to."""
    if mask is None:
        return None
    return cat([mask, creation.zeros(*mask.shape[:-1], 1, dtype=mask.dtype, device=mask.device)], dim=-1)


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
        self.activation = _activation_function(activation)
        if isinstance(activation, str):
            self.activation_relu_or_gelu = 1 if activation == "relu" else 2

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


def _activation_function(activation):
    """``"relu"`` or ``"gelu"`` as a function; a callable (a function or a Module) passes through."""
    if not isinstance(activation, str):
        return activation
    if activation not in ("relu", "gelu"):
        raise RuntimeError(f"activation should be relu/gelu, not {activation}")
    return _relu if activation == "relu" else _gelu


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
        return _square_subsequent_mask(size, device, dtype)


def _square_subsequent_mask(size: int, device, dtype) -> Tensor:
    return creation.full((size, size), -math.inf, dtype=dtype or dtypes.get_default_dtype(), device=device).triu(1)


class TransformerDecoderLayer(Module):
    """Self-attention over ``tgt``, attention to ``memory``, then a feed-forward block; each with dropout, a
    residual connection and LayerNorm (before the block when ``norm_first``, after it otherwise).

    >>> layer = nn.TransformerDecoderLayer(d_model=8, nhead=2, dim_feedforward=16)
    >>> layer(saessak.randn(5, 3, 8), saessak.randn(7, 3, 8)).shape   # (T, N, E) and (S, N, E)
    torch.Size([5, 3, 8])
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation="relu", layer_norm_eps: float = 1e-5, batch_first: bool = False, norm_first: bool = False,
                 bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        from .dropout import Dropout

        factory = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            **factory)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                 batch_first=batch_first, **factory)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **factory)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **factory)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _activation_function(activation)

    def _self_attention(self, x: Tensor, mask, padding_mask, is_causal: bool) -> Tensor:
        out = self.self_attn(x, x, x, attn_mask=mask, key_padding_mask=padding_mask, need_weights=False,
                             is_causal=is_causal)[0]
        return self.dropout1(out)

    def _memory_attention(self, x: Tensor, memory: Tensor, mask, padding_mask, is_causal: bool) -> Tensor:
        out = self.multihead_attn(x, memory, memory, attn_mask=mask, key_padding_mask=padding_mask,
                                  need_weights=False, is_causal=is_causal)[0]
        return self.dropout2(out)

    def _feed_forward(self, x: Tensor) -> Tensor:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None, memory_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                tgt_is_causal: bool = False, memory_is_causal: bool = False) -> Tensor:
        """``tgt`` (T, N, E) attends to itself and to ``memory`` (S, N, E); masks as in MultiheadAttention."""
        x = tgt
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._memory_attention(self.norm2(x), memory, memory_mask, memory_key_padding_mask,
                                           memory_is_causal)
            return x + self._feed_forward(self.norm3(x))
        x = self.norm1(x + self._self_attention(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
        x = self.norm2(x + self._memory_attention(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
        return self.norm3(x + self._feed_forward(x))


class TransformerDecoder(Module):
    """A stack of ``num_layers`` copies of ``decoder_layer`` (and an optional final norm).

    >>> decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), num_layers=2)
    >>> decoder(saessak.randn(5, 3, 8), saessak.randn(7, 3, 8)).shape
    torch.Size([5, 3, 8])
    """

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(decoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None, memory_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                tgt_is_causal: bool | None = None, memory_is_causal: bool = False) -> Tensor:
        """Run ``tgt`` through every layer, each attending to the same ``memory``."""
        x = tgt
        for layer in self.layers:
            x = layer(x, memory, tgt_mask=tgt_mask, memory_mask=memory_mask, tgt_key_padding_mask=tgt_key_padding_mask,
                      memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=bool(tgt_is_causal),
                      memory_is_causal=memory_is_causal)
        return self.norm(x) if self.norm is not None else x


class Transformer(Module):
    """An encoder over ``src`` and a decoder over ``tgt`` that attends to the encoder's output (Vaswani et al.).

    Both stacks end in a LayerNorm; every parameter with more than one dimension starts Xavier-uniform.

    >>> model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16)
    >>> tgt_mask = nn.Transformer.generate_square_subsequent_mask(5)
    >>> model(saessak.randn(7, 3, 8), saessak.randn(5, 3, 8), tgt_mask=tgt_mask).shape   # (T, N, E)
    torch.Size([5, 3, 8])
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6, num_decoder_layers: int = 6,
                 dim_feedforward: int = 2048, dropout: float = 0.1, activation="relu",
                 custom_encoder: Module | None = None, custom_decoder: Module | None = None,
                 layer_norm_eps: float = 1e-5, batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            encoder_layer = TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
                                                    layer_norm_eps, batch_first, norm_first, bias, **factory)
            encoder_norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
            self.encoder = TransformerEncoder(encoder_layer, num_encoder_layers, encoder_norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            decoder_layer = TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
                                                    layer_norm_eps, batch_first, norm_first, bias, **factory)
            decoder_norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **factory)
            self.decoder = TransformerDecoder(decoder_layer, num_decoder_layers, decoder_norm)
        self._reset_parameters()
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first

    def _reset_parameters(self) -> None:
        """Xavier-uniform every weight matrix (parameters with more than one dimension), as PyTorch."""
        for parameter in self.parameters():
            if parameter.ndim > 1:
                init.xavier_uniform_(parameter)

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Tensor | None = None, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        """Encode ``src`` (S, N, E) and decode ``tgt`` (T, N, E) against it; returns (T, N, E)."""
        batch_dim = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch_dim] != tgt.shape[batch_dim]:
            raise RuntimeError(f"the batch number of src and tgt must be equal, got src of shape {tuple(src.shape)} "
                               f"and tgt of shape {tuple(tgt.shape)} (batch_first={self.batch_first})")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"the feature number of src and tgt must be equal to d_model={self.d_model}, got "
                               f"src of shape {tuple(src.shape)} and tgt of shape {tuple(tgt.shape)}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
        """A float ``(sz, sz)`` mask of -inf above the diagonal and 0 elsewhere: position i sees positions <= i.

        >>> nn.Transformer.generate_square_subsequent_mask(3)
        tensor([[0., -inf, -inf],
                [0., 0., -inf],
                [0., 0., 0.]])
        """
        return _square_subsequent_mask(sz, device, dtype)
