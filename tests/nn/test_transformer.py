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
