import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch
from tests.nn.conversion import copy_weights


def test_scaled_dot_product_attention_matches_torch():
    sdpa = lambda lib: lib.nn.functional.scaled_dot_product_attention  # noqa: E731
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v), (2, 3, 4), (2, 5, 4), (2, 5, 4))
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, is_causal=True), (1, 2, 4, 3), (1, 2, 4, 3), (1, 2, 4, 3))
    mask = np.array([[True, False, True], [True, True, False]])
    check_op(lambda lib, q, k, v, m: sdpa(lib)(q, k, v, attn_mask=m), (2, 2, 4), (2, 3, 4), (2, 3, 4), mask,
             grad=(True, True, True, False))


@requires_torch
@pytest.mark.parametrize("batch_first", [False, True])
def test_multihead_attention_matches_torch(batch_first):
    rng = np.random.default_rng(0)
    ours, theirs = nn.MultiheadAttention(8, 2, batch_first=batch_first), torch.nn.MultiheadAttention(
        8, 2, batch_first=batch_first)
    copy_weights(theirs, ours)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    q = rng.standard_normal((3, 4, 8) if batch_first else (4, 3, 8)).astype(np.float32)
    kv = rng.standard_normal((3, 5, 8) if batch_first else (5, 3, 8)).astype(np.float32)
    padding = np.zeros((3, 5), dtype=bool)
    padding[:, -1] = True
    out_o, w_o = ours(saessak.tensor(q), saessak.tensor(kv), saessak.tensor(kv),
                      key_padding_mask=saessak.tensor(padding))
    out_t, w_t = theirs(torch.tensor(q), torch.tensor(kv), torch.tensor(kv), key_padding_mask=torch.tensor(padding))
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(w_o.detach().numpy(), w_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    out_o.sum().backward()
    out_t.sum().backward()
    for (name, p), (_, r) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), r.grad.numpy(), rtol=1e-3, atol=1e-5, err_msg=name)


@requires_torch
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_encoder_matches_torch(norm_first):
    rng = np.random.default_rng(1)
    layer_o = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    layer_t = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    ours = nn.TransformerEncoder(layer_o, 2)
    theirs = torch.nn.TransformerEncoder(layer_t, 2, enable_nested_tensor=False)
    copy_weights(theirs, ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    x = rng.standard_normal((5, 3, 8)).astype(np.float32)
    mask = nn.TransformerEncoder.generate_square_subsequent_mask(5)
    a = ours(saessak.tensor(x), mask=mask)
    b = theirs(torch.tensor(x), mask=torch.nn.Transformer.generate_square_subsequent_mask(5))
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_dropout_train_eval_and_reproducibility():
    layer = nn.Dropout(0.5)
    x = saessak.ones(1000)
    saessak.manual_seed(0)
    a = layer(x)
    saessak.manual_seed(0)
    b = layer(x)
    assert a.tolist() == b.tolist()
    kept = (a != 0).float().mean().item()
    assert 0.4 < kept < 0.6 and set(np.unique(a.numpy())) <= {0.0, 2.0}
    layer.eval()
    assert layer(x) is x
    maps = nn.Dropout2d(0.5)(saessak.ones(4, 6, 3, 3))
    per_channel = maps.reshape(4, 6, 9)
    assert bool(((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all())
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        nn.Dropout(1.5)


# ---- decoder, Transformer and the rest of MultiheadAttention, each against torch ----------------------------

# warnings torch gives about its own fast paths and mask types, not about the numbers compared
_ignore_nested_tensor_warning = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
_ignore_mixed_mask_warning = pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask and attn_mask")


def _padding(batch: int, length: int, padded: int) -> np.ndarray:
    """A bool key padding mask (True = ignore) that pads the last ``padded`` positions of every other sample."""
    mask = np.zeros((batch, length), dtype=bool)
    mask[::2, length - padded:] = True
    return mask


def _assert_same_outputs_and_grads(ours, theirs, run, *, rtol=1e-6, atol=1e-8, seed=0):
    """Copy torch's weights into ``ours``; ``run(lib, module)`` must agree in value and in every parameter's grad."""
    copy_weights(theirs, ours)
    names_ours = [name for name, _ in ours.named_parameters()]
    assert names_ours == [name for name, _ in theirs.named_parameters()]
    out_o, out_t = run(saessak, ours), run(torch, theirs)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=rtol, atol=atol)
    weight = np.random.default_rng(seed).standard_normal(tuple(out_o.shape))  # LayerNorm makes plain sums flat
    (out_o * saessak.tensor(weight, dtype=out_o.dtype)).sum().backward()
    (out_t * torch.tensor(weight, dtype=out_t.dtype)).sum().backward()
    for (name, p), (_, r) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), r.grad.numpy(), rtol=rtol * 10, atol=atol * 10, err_msg=name)


def _sequences(rng, length: int, batch: int, width: int, batch_first: bool) -> np.ndarray:
    return rng.standard_normal((batch, length, width) if batch_first else (length, batch, width))


@requires_torch
@pytest.mark.parametrize("batch_first,norm_first,activation,training", [
    (False, False, "relu", True), (True, True, "gelu", True), (False, True, "gelu", False),
    (True, False, "relu", False),
])
@_ignore_mixed_mask_warning
def test_transformer_decoder_layer_matches_torch(batch_first, norm_first, activation, training):
    rng = np.random.default_rng(2)
    # eval mode keeps the default dropout (it must switch off); train mode needs dropout=0.0 to be comparable
    options = dict(dim_feedforward=16, dropout=0.0 if training else 0.1, activation=activation,
                   batch_first=batch_first, norm_first=norm_first)
    ours, theirs = nn.TransformerDecoderLayer(8, 2, **options).double(), torch.nn.TransformerDecoderLayer(
        8, 2, **options).double()
    ours.train(training), theirs.train(training)
    tgt, memory = _sequences(rng, 5, 4, 8, batch_first), _sequences(rng, 6, 4, 8, batch_first)
    tgt_padding, memory_padding = _padding(4, 5, 2), _padding(4, 6, 1)

    def run(lib, layer):
        causal = lib.nn.Transformer.generate_square_subsequent_mask(5, dtype=lib.float64)
        return layer(lib.tensor(tgt), lib.tensor(memory), tgt_mask=causal, tgt_key_padding_mask=lib.tensor(tgt_padding),
                     memory_key_padding_mask=lib.tensor(memory_padding))

    _assert_same_outputs_and_grads(ours, theirs, run)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


@requires_torch
def test_transformer_decoder_layer_bool_memory_mask_and_module_activation():
    rng = np.random.default_rng(3)
    ours = nn.TransformerDecoderLayer(8, 4, 12, dropout=0.0, activation=nn.GELU()).double()
    theirs = torch.nn.TransformerDecoderLayer(8, 4, 12, dropout=0.0, activation=torch.nn.GELU()).double()
    assert repr(ours) == repr(theirs)
    tgt, memory = rng.standard_normal((3, 2, 8)), rng.standard_normal((5, 2, 8))
    memory_mask = np.triu(np.ones((3, 5), dtype=bool), 3)  # bool: True = may not attend

    def run(lib, layer):
        causal = lib.ones(3, 3, dtype=lib.bool).triu(1)
        return layer(lib.tensor(tgt), lib.tensor(memory), tgt_mask=causal, memory_mask=lib.tensor(memory_mask),
                     tgt_is_causal=True)

    _assert_same_outputs_and_grads(ours, theirs, run)


@requires_torch
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_decoder_matches_torch(norm_first):
    rng = np.random.default_rng(4)
    layer_o = nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    layer_t = torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    ours = nn.TransformerDecoder(layer_o, 2, norm=nn.LayerNorm(8)).double()
    theirs = torch.nn.TransformerDecoder(layer_t, 2, norm=torch.nn.LayerNorm(8)).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    assert ours.layers[0] is not layer_o and ours.layers[0].linear1.weight is not ours.layers[1].linear1.weight
    tgt, memory = rng.standard_normal((4, 3, 8)), rng.standard_normal((6, 3, 8))

    def run(lib, decoder):
        causal = lib.nn.Transformer.generate_square_subsequent_mask(4, dtype=lib.float64)
        return decoder(lib.tensor(tgt), lib.tensor(memory), tgt_mask=causal)

    _assert_same_outputs_and_grads(ours, theirs, run)


@requires_torch
@pytest.mark.parametrize("batch_first,norm_first,activation", [(False, False, "relu"), (True, True, "gelu")])
@pytest.mark.parametrize("training", [False, True])
@_ignore_nested_tensor_warning
@_ignore_mixed_mask_warning
def test_transformer_matches_torch(batch_first, norm_first, activation, training):
    rng = np.random.default_rng(5)
    options = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16,
                   dropout=0.0 if training else 0.1, activation=activation, batch_first=batch_first,
                   norm_first=norm_first)
    ours, theirs = nn.Transformer(**options), torch.nn.Transformer(**options)
    ours.train(training), theirs.train(training)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    src, tgt = _sequences(rng, 6, 4, 8, batch_first), _sequences(rng, 5, 4, 8, batch_first)
    src_padding, tgt_padding = _padding(4, 6, 2), _padding(4, 5, 1)

    def run(lib, model):
        causal = lib.nn.Transformer.generate_square_subsequent_mask(5)
        return model(lib.tensor(src, dtype=lib.float32), lib.tensor(tgt, dtype=lib.float32), tgt_mask=causal,
                     src_key_padding_mask=lib.tensor(src_padding), tgt_key_padding_mask=lib.tensor(tgt_padding),
                     memory_key_padding_mask=lib.tensor(src_padding))

    _assert_same_outputs_and_grads(ours, theirs, run, rtol=1e-4, atol=1e-5)


@requires_torch
@_ignore_nested_tensor_warning
def test_transformer_unbatched_input_matches_torch():
    rng = np.random.default_rng(6)
    options = dict(d_model=4, nhead=1, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8, dropout=0.0)
    ours, theirs = nn.Transformer(**options).double(), torch.nn.Transformer(**options).double()
    src, tgt = rng.standard_normal((5, 4)), rng.standard_normal((3, 4))
    _assert_same_outputs_and_grads(ours, theirs, lambda lib, model: model(lib.tensor(src), lib.tensor(tgt)))


@requires_torch
def test_generate_square_subsequent_mask_matches_torch():
    for size in (1, 4):
        ours = nn.Transformer.generate_square_subsequent_mask(size)
        theirs = torch.nn.Transformer.generate_square_subsequent_mask(size)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.dtype == saessak.float32
    assert nn.Transformer.generate_square_subsequent_mask(3, dtype=saessak.float64).dtype == saessak.float64


def test_transformer_initialisation_and_custom_stacks():
    saessak.manual_seed(0)
    model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=48)
    weight = model.encoder.layers[0].linear1.weight.detach()  # (48, 16): Xavier bound sqrt(6 / 64)
    bound = np.sqrt(6 / 64)
    assert np.abs(weight.numpy()).max() <= bound and np.abs(weight.numpy()).max() > 0.9 * bound
    assert model.decoder.layers[0].self_attn.in_proj_bias.abs().sum().item() == 0.0
    assert model.encoder.norm.weight.tolist() == [1.0] * 16 and model.decoder.norm is not None
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 1)
    custom = nn.Transformer(d_model=16, nhead=2, custom_encoder=encoder, num_decoder_layers=1, dim_feedforward=32)
    assert custom.encoder is encoder and custom.decoder.num_layers == 1


def test_transformer_shape_errors_teach():
    model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8)
    with pytest.raises(RuntimeError, match="batch number of src and tgt must be equal"):
        model(saessak.randn(5, 2, 8), saessak.randn(5, 3, 8))
    with pytest.raises(RuntimeError, match="feature number of src and tgt must be equal to d_model=8"):
        model(saessak.randn(5, 2, 8), saessak.randn(5, 2, 6))
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerDecoderLayer(8, 2, activation="tanh")


@requires_torch
@pytest.mark.parametrize("options", [
    dict(kdim=4, vdim=6), dict(add_bias_kv=True), dict(add_zero_attn=True),
    dict(kdim=4, vdim=6, add_bias_kv=True, add_zero_attn=True, batch_first=True),
])
def test_multihead_attention_options_match_torch(options):
    rng = np.random.default_rng(7)
    ours = nn.MultiheadAttention(8, 2, **options).double()
    theirs = torch.nn.MultiheadAttention(8, 2, **options).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    batch_first = options.get("batch_first", False)
    query = _sequences(rng, 4, 3, 8, batch_first)
    key = _sequences(rng, 5, 3, options.get("kdim", 8), batch_first)
    value = _sequences(rng, 5, 3, options.get("vdim", 8), batch_first)
    padding, attn_mask = _padding(3, 5, 2), np.triu(np.ones((4, 5), dtype=bool), 2)
    results = {}

    def run(lib, attention):
        out, weights = attention(lib.tensor(query), lib.tensor(key), lib.tensor(value),
                                 key_padding_mask=lib.tensor(padding), attn_mask=lib.tensor(attn_mask))
        results[lib.__name__] = weights.detach().numpy()
        return out

    _assert_same_outputs_and_grads(ours, theirs, run)
    np.testing.assert_allclose(results["saessak"], results["torch"], rtol=1e-6, atol=1e-8)


def test_multihead_attention_options_shapes_and_init():
    attention = nn.MultiheadAttention(8, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True)
    assert attention.in_proj_weight is None and tuple(attention.k_proj_weight.shape) == (8, 3)
    assert tuple(attention.bias_k.shape) == (1, 1, 8) and attention.bias_k.abs().sum().item() > 0
    out, weights = attention(saessak.randn(4, 2, 8), saessak.randn(6, 2, 3), saessak.randn(6, 2, 5))
    assert tuple(out.shape) == (4, 2, 8) and tuple(weights.shape) == (2, 4, 8)  # 6 keys + bias_k + zero key
    np.testing.assert_allclose(weights.sum(-1).detach().numpy(), 1.0, rtol=1e-5)


def test_tiny_transformer_learns_to_copy():
    saessak.manual_seed(0)
    vocab, length, width, start = 6, 5, 16, 0
    rng = np.random.default_rng(0)
    src = saessak.tensor(rng.integers(1, vocab, size=(32, length)))
    tgt_in = saessak.cat([saessak.full((32, 1), start, dtype=saessak.int64), src[:, :-1]], dim=1)
    embed, position = nn.Embedding(vocab, width), nn.Embedding(length, width)
    model = nn.Transformer(d_model=width, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32,
                           dropout=0.0, batch_first=True)
    head = nn.Linear(width, vocab)
    parameters = [*embed.parameters(), *position.parameters(), *model.parameters(), *head.parameters()]
    optimizer = saessak.optim.Adam(parameters, lr=0.01)
    positions = saessak.arange(length)
    causal = nn.Transformer.generate_square_subsequent_mask(length)
    losses = []
    for _ in range(40):
        hidden = model(embed(src) + position(positions), embed(tgt_in) + position(positions), tgt_mask=causal)
        loss = nn.functional.cross_entropy(head(hidden).reshape(-1, vocab), src.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 10, losses  # about 1.9 falls to about 0.01
