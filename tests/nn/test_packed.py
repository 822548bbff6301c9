"""Packed sequences (nn/utils/rnn.py) and the recurrent layers (nn/modules/rnn.py) run on them."""

import numpy as np
import pytest

import saessak
import saessak.nn as nn
from saessak.nn.utils.rnn import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)
from tests.helpers import requires_torch, torch
from tests.nn.conversion import copy_weights

rnn_utils = torch.nn.utils.rnn if torch is not None else None


def _close(ours, theirs, rtol=1e-5, atol=1e-6, err_msg=""):
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=atol, err_msg=err_msg)


def _same_index(ours, theirs):
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert ours.dtype == saessak.int64
        assert ours.tolist() == theirs.tolist()


def _same_packed(ours, theirs):
    _close(ours.data, theirs.data)
    assert ours.batch_sizes.dtype == saessak.int64 and ours.batch_sizes.device.type == "cpu"
    assert ours.batch_sizes.tolist() == theirs.batch_sizes.tolist()
    _same_index(ours.sorted_indices, theirs.sorted_indices)
    _same_index(ours.unsorted_indices, theirs.unsorted_indices)


# ---------------------------------------------------------------- pack / pad against PyTorch
PACK_CASES = [
    ([4, 3, 1], True, False),
    ([4, 3, 1], True, True),
    ([2, 4, 1], False, False),
    ([3, 1, 3, 2], False, True),  # ties keep their order
]


@requires_torch
@pytest.mark.parametrize("lengths, enforce_sorted, batch_first", PACK_CASES)
@pytest.mark.parametrize("as_tensor", [False, True])
def test_pack_then_pad_matches_torch(lengths, enforce_sorted, batch_first, as_tensor):
    rng = np.random.default_rng(0)
    shape = (len(lengths), 5, 2) if batch_first else (5, len(lengths), 2)
    x = rng.standard_normal(shape).astype(np.float32)
    weight = rng.standard_normal((len(lengths), 6, 2) if batch_first else (6, len(lengths), 2)).astype(np.float32)
    ours_x, theirs_x = saessak.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_lengths = saessak.tensor(lengths) if as_tensor else lengths
    theirs_lengths = torch.tensor(lengths) if as_tensor else lengths
    ours = pack_padded_sequence(ours_x, ours_lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    theirs = rnn_utils.pack_padded_sequence(theirs_x, theirs_lengths, batch_first=batch_first,
                                            enforce_sorted=enforce_sorted)
    assert isinstance(ours, PackedSequence) and isinstance(ours, tuple)
    _same_packed(ours, theirs)
    padded_o, lengths_o = pad_packed_sequence(ours, batch_first=batch_first, padding_value=-2.0, total_length=6)
    padded_t, lengths_t = rnn_utils.pad_packed_sequence(theirs, batch_first=batch_first, padding_value=-2.0,
                                                        total_length=6)
    _close(padded_o, padded_t)
    assert lengths_o.dtype == saessak.int64 and lengths_o.tolist() == lengths_t.tolist() == list(lengths)
    (padded_o * saessak.tensor(weight)).sum().backward()
    (padded_t * torch.tensor(weight)).sum().backward()
    _close(ours_x.grad, theirs_x.grad)


@requires_torch
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_and_unpack_match_torch(enforce_sorted):
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((n, 3)).astype(np.float32) for n in ([4, 2, 2, 1] if enforce_sorted else [2, 4, 1])]
    ours_in = [saessak.tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    ours = pack_sequence(ours_in, enforce_sorted=enforce_sorted)
    theirs = rnn_utils.pack_sequence(theirs_in, enforce_sorted=enforce_sorted)
    _same_packed(ours, theirs)
    (ours.data * ours.data).sum().backward()
    (theirs.data * theirs.data).sum().backward()
    for a, b in zip(ours_in, theirs_in):
        _close(a.grad, b.grad)
    unpacked_o, unpacked_t = unpack_sequence(ours), rnn_utils.unpack_sequence(theirs)
    assert len(unpacked_o) == len(unpacked_t) == len(arrays)
    for a, b, original in zip(unpacked_o, unpacked_t, arrays):
        _close(a, b)
        np.testing.assert_array_equal(a.detach().numpy(), original)


@requires_torch
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_and_unpad_sequence_match_torch(batch_first, padding_side):
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((n, 2)).astype(np.float32) for n in (2, 4, 1)]
    ours = pad_sequence([saessak.tensor(a) for a in arrays], batch_first=batch_first, padding_value=7.0,
                        padding_side=padding_side)
    theirs = rnn_utils.pad_sequence([torch.tensor(a) for a in arrays], batch_first=batch_first, padding_value=7.0,
                                    padding_side=padding_side)
    _close(ours, theirs)
    if padding_side == "right":
        for a, b in zip(unpad_sequence(ours, saessak.tensor([2, 4, 1]), batch_first=batch_first),
                        rnn_utils.unpad_sequence(theirs, torch.tensor([2, 4, 1]), batch_first=batch_first)):
            _close(a, b)


def test_pad_sequence_rejects_unknown_padding_side():
    with pytest.raises(RuntimeError, match="padding_side to be one of left or right, but got middle"):
        pad_sequence([saessak.ones(2)], padding_side="middle")


@pytest.mark.parametrize("lengths, kwargs, error, message", [
    ([2, 3], {}, RuntimeError, "must be sorted in decreasing order when `enforce_sorted` is True"),
    ([3, 0], {}, RuntimeError, "Length of all samples has to be greater than 0"),
    ([0, 3], {"enforce_sorted": False}, RuntimeError, "Length of all samples has to be greater than 0"),
    ([3, 2, 1], {}, RuntimeError, r"Expected `len\(lengths\)` to be equal to batch_size, but got 3 \(batch_size=2\)"),
    ([5, 2], {}, RuntimeError, "a sequence has length 5 but the input holds only 3 time steps"),
])
def test_pack_padded_sequence_errors(lengths, kwargs, error, message):
    with pytest.raises(error, match=message):
        pack_padded_sequence(saessak.zeros(3, 2, 1), lengths, **kwargs)


def test_pad_packed_sequence_rejects_short_total_length():
    packed = pack_sequence([saessak.ones(3), saessak.ones(1)])
    with pytest.raises(ValueError, match="total_length=2 and max sequence length being 3"):
        pad_packed_sequence(packed, total_length=2)


def test_packed_sequence_behaves_like_torchs():
    packed = pack_padded_sequence(saessak.ones(3, 2, 1), saessak.tensor([1.0, 3.0]), enforce_sorted=False)
    data, batch_sizes, sorted_indices, unsorted_indices = packed  # a namedtuple
    assert batch_sizes.tolist() == [2, 1, 1] and sorted_indices.tolist() == [1, 0] == unsorted_indices.tolist()
    assert packed.is_cuda is False and packed.is_pinned() is False
    assert packed.double().data.dtype == saessak.float64 and packed.double().float().data.dtype == saessak.float32
    assert packed.to(saessak.float32) is packed
    assert packed.to(saessak.float64).batch_sizes is batch_sizes
    assert PackedSequence(data, batch_sizes, sorted_indices).unsorted_indices.tolist() == [1, 0]
    legacy = PackedSequence((data, batch_sizes))
    assert legacy.batch_sizes is batch_sizes and legacy.sorted_indices is None
    assert "batch_sizes=tensor([2, 1, 1])" in repr(packed)


def test_importable_the_torch_way():
    from saessak.nn.utils.rnn import pack_padded_sequence as imported

    assert imported is saessak.nn.utils.rnn.pack_padded_sequence
    assert saessak.nn.utils.rnn.PackedSequence is PackedSequence


# ---------------------------------------------------------------- recurrent layers on packed input
LAYER_CASES = [
    ("LSTM", {}, [5, 3, 2], True, False),
    ("LSTM", {"num_layers": 2, "bidirectional": True}, [5, 3, 3, 1], True, False),
    ("LSTM", {"batch_first": True}, [2, 5, 3], False, False),
    ("LSTM", {"num_layers": 2, "bidirectional": True}, [3, 5, 1, 4], False, True),
    ("LSTM", {"bias": False, "bidirectional": True}, [4, 2], True, True),
    ("GRU", {}, [5, 3, 2], True, False),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True}, [3, 5, 1], False, True),
    ("RNN", {"bidirectional": True}, [2, 5, 3], False, True),
    ("RNN", {"num_layers": 2, "nonlinearity": "relu"}, [4, 4, 2], True, True),
]


def _run_packed(module, x, lengths, batch_first, enforce_sorted, hx, lib):
    utils = lib.nn.utils.rnn
    packed = utils.pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    output, state = module(packed, hx)
    assert isinstance(output, utils.PackedSequence)
    assert output.batch_sizes is packed.batch_sizes
    padded, out_lengths = utils.pad_packed_sequence(output, batch_first=batch_first)
    assert out_lengths.tolist() == list(lengths)
    return padded, (state if isinstance(state, tuple) else (state,))


def _compare_packed(ours, theirs, lengths, enforce_sorted, with_states, seed=0):
    copy_weights(theirs, ours)
    rng = np.random.default_rng(seed)
    batch, steps = len(lengths), max(lengths)
    batch_first = ours.batch_first
    x = rng.standard_normal((batch, steps, ours.input_size) if batch_first else (steps, batch, ours.input_size))
    x = x.astype(np.float32)
    states = ours.num_layers * (2 if ours.bidirectional else 1)
    hx_arrays = []
    if with_states:
        hx_arrays = [rng.standard_normal((states, batch, ours.proj_size or ours.hidden_size)).astype(np.float32)]
        if ours.mode == "LSTM":
            hx_arrays.append(rng.standard_normal((states, batch, ours.hidden_size)).astype(np.float32))
    results = []
    for module, lib in ((ours, saessak), (theirs, torch)):
        inputs = [lib.tensor(a, requires_grad=True) for a in [x, *hx_arrays]]
        hx = None if not with_states else (tuple(inputs[1:]) if ours.mode == "LSTM" else inputs[1])
        padded, final = _run_packed(module, inputs[0], lengths, batch_first, enforce_sorted, hx, lib)
        weights = lib.tensor(np.random.default_rng(seed + 1).standard_normal(tuple(padded.shape)).astype(np.float32))
        ((padded * weights).sum() + sum((s * s).sum() for s in final)).backward()
        results.append((padded, final, inputs, dict(module.named_parameters())))
    (padded_o, final_o, inputs_o, params_o), (padded_t, final_t, inputs_t, params_t) = results
    _close(padded_o, padded_t, rtol=1e-4, atol=1e-5)
    assert len(final_o) == len(final_t)
    for a, b in zip(final_o, final_t):
        _close(a, b, rtol=1e-4, atol=1e-5)
    for a, b in zip(inputs_o, inputs_t):
        _close(a.grad, b.grad, rtol=1e-3, atol=1e-5)
    assert params_o.keys() == params_t.keys()
    for name in params_o:
        _close(params_o[name].grad, params_t[name].grad, rtol=1e-3, atol=1e-5, err_msg=name)


@requires_torch
@pytest.mark.parametrize("cls, config, lengths, enforce_sorted, with_states", LAYER_CASES)
def test_recurrent_layers_on_packed_input_match_torch(cls, config, lengths, enforce_sorted, with_states):
    _compare_packed(getattr(nn, cls)(3, 4, **config), getattr(torch.nn, cls)(3, 4, **config), lengths,
                    enforce_sorted, with_states)


@requires_torch
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN:UserWarning")
@pytest.mark.parametrize("config", [{}, {"num_layers": 2, "bidirectional": True}])
def test_lstm_with_projections_on_packed_input_matches_torch(config):
    _compare_packed(nn.LSTM(3, 5, proj_size=2, **config), torch.nn.LSTM(3, 5, proj_size=2, **config), [2, 4, 3],
                    False, True)


@pytest.mark.parametrize("cls", ["LSTM", "GRU", "RNN"])
def test_packed_equal_lengths_match_padded_path(cls):
    saessak.manual_seed(0)
    model = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=True)
    x = saessak.randn(4, 2, 3)
    output, state = model(x)
    packed_output, packed_state = model(pack_padded_sequence(x, [4, 4]))
    np.testing.assert_allclose(packed_output.data.detach().numpy(), output.reshape(8, -1).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    for a, b in zip(packed_state if cls == "LSTM" else (packed_state,), state if cls == "LSTM" else (state,)):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_between_layers_on_packed_input():
    saessak.manual_seed(0)
    model = nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = saessak.randn(4, 2, 3)
    saessak.manual_seed(1)
    padded_output, _ = model(x)
    saessak.manual_seed(1)
    packed_output, _ = model(pack_padded_sequence(x, [4, 4]))
    # equal lengths: the packed layer output is the padded one flattened, so the same draws give the same masks
    np.testing.assert_allclose(packed_output.data.detach().numpy(), padded_output.reshape(8, -1).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    model.eval()
    eval_output, _ = model(pack_padded_sequence(x, [4, 4]))
    assert not np.allclose(eval_output.data.detach().numpy(), packed_output.data.detach().numpy())
    packed_output.data.sum().backward()
    assert model.weight_ih_l0.grad is not None and model.weight_ih_l0.grad.abs().sum().item() > 0


def test_packed_hidden_state_shape_error():
    model = nn.GRU(3, 4)
    packed = pack_padded_sequence(saessak.zeros(3, 2, 3), [3, 1])
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 2, 4\), got \(1, 3, 4\)"):
        model(packed, saessak.zeros(1, 3, 4))


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_gradcheck_packed_forward_through_padded_input(cls):
    saessak.manual_seed(0)
    model = getattr(nn, cls)(2, 3, bidirectional=True).double()
    x = saessak.randn(3, 2, 2, dtype=saessak.float64, requires_grad=True)

    def forward(padded):
        output, state = model(pack_padded_sequence(padded, [1, 3], enforce_sorted=False))
        h = state[0] if cls == "LSTM" else state
        return pad_packed_sequence(output)[0], h

    assert saessak.autograd.gradcheck(forward, (x,))
