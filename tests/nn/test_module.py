"""nn.Module: registration, traversal, state_dict, hooks, modes, conversion, printing."""

from collections import OrderedDict

import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import requires_torch, torch
from tests.nn.conversion import copy_weights, saessak_to_torch


def _net(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = lib.nn.Linear(4, 8)
            self.body = lib.nn.Sequential(lib.nn.Linear(8, 8), lib.nn.Linear(8, 3))
            self.register_buffer("steps", lib.zeros(1))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.body(self.l1(x).relu())

    return Net()


@requires_torch
def test_introspection_matches_torch():
    ours, theirs = _net(saessak), _net(torch)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert ours.get_submodule("body.1").out_features == 3
    assert ours.get_parameter("body.0.bias").shape == (8,)


@requires_torch
def test_same_weights_give_same_outputs_and_gradients():
    ours, theirs = _net(saessak), _net(torch)
    copy_weights(theirs, ours)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    out_ours, out_theirs = ours(saessak.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    out_ours.pow(2).sum().backward()
    out_theirs.pow(2).sum().backward()
    for (name, a), (_, b) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=name)
    theirs.load_state_dict(saessak_to_torch(ours.state_dict()))


def test_custom_linear_registers_parameters_but_not_plain_tensors():
    class MyLinear(nn.Module):
        def __init__(self, inp, out):
            super().__init__()
            self.w = nn.Parameter(saessak.randn(inp, out))
            self.b = nn.Parameter(saessak.randn(out))

        def forward(self, x):
            return x @ self.w + self.b

    class Plain(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = saessak.randn(2, 2)

    assert [n for n, _ in MyLinear(3, 2).named_parameters()] == ["w", "b"]
    assert list(Plain().parameters()) == []
    assert MyLinear(3, 2)(saessak.ones(4, 3)).shape == (4, 2)


def test_shared_parameters_are_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU() if hasattr(nn, "ReLU") else nn.Identity(), shared)
    assert len(list(model.parameters())) == 2
    assert len(list(model.named_parameters(remove_duplicate=False))) == 4


def test_load_state_dict_reports_and_changes_nothing_when_refusing():
    model = _net(saessak)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    bad = {k: v.clone() for k, v in model.state_dict().items()}
    bad["l1.weight"] = saessak.ones(8, 4) * 7
    bad["body.1.weight"] = saessak.zeros(3, 9)
    del bad["l1.bias"]
    bad["extra"] = saessak.zeros(1)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(bad)
    message = str(error.value)
    assert 'Missing key(s) in state_dict: "l1.bias"' in message
    assert 'Unexpected key(s) in state_dict: "extra"' in message
    assert "size mismatch for body.1.weight" in message
    for k, v in model.state_dict().items():
        assert np.array_equal(v.numpy(), before[k].numpy()), k
    del bad["body.1.weight"]
    result = model.load_state_dict(bad, strict=False)
    assert result.missing_keys == ["l1.bias", "body.1.weight"] and result.unexpected_keys == ["extra"]
    assert model.l1.weight[0, 0].item() == 7


def test_forward_hooks_order_replacement_and_removal():
    layer = nn.Linear(2, 2)
    calls = []
    h1 = layer.register_forward_pre_hook(lambda m, args: calls.append("pre") or (args[0] * 0,))
    h2 = layer.register_forward_hook(lambda m, args, out: calls.append("post") or out + 1)
    out = layer(saessak.ones(1, 2))
    assert calls == ["pre", "post"]
    np.testing.assert_allclose(out.detach().numpy(), (layer.bias + 1).detach().numpy()[None])
    h1.remove()
    h2.remove()
    calls.clear()
    layer(saessak.ones(1, 2))
    assert calls == []
    seen = {}
    layer.register_forward_pre_hook(lambda m, args, kwargs: seen.update(kwargs) or None, with_kwargs=True)
    assert seen == {}


@requires_torch
def test_full_backward_hooks_see_the_same_gradients_as_torch():
    results = []
    for lib in (saessak, torch):
        lib.manual_seed(0)
        layer = lib.nn.Linear(3, 2)
        with lib.no_grad():
            layer.weight.copy_(lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]))
        record = {}
        layer.register_full_backward_hook(
            lambda m, gi, go, record=record: record.update(gi=gi[0].clone(), go=go[0].clone())
        )
        layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
        x = lib.ones(4, 3, requires_grad=True)
        layer(x).sum().backward()
        results.append((record["gi"].numpy(), record["go"].numpy(), x.grad.numpy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_train_eval_apply_zero_grad_requires_grad():
    model = _net(saessak)
    assert model.training and all(m.training for m in model.modules())
    model.eval()
    assert not any(m.training for m in model.modules())
    model(saessak.ones(1, 4)).sum().backward()
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    names = []
    model.apply(lambda m: names.append(type(m).__name__))
    assert names[-1] == "Net" and names.count("Linear") == 3


def test_to_double_keeps_parameter_identity():
    model = nn.Linear(2, 3)
    weight = model.weight
    model.double()
    assert model.weight is weight and weight.dtype == saessak.float64
    assert model(saessak.ones(1, 2, dtype=saessak.float64)).dtype == saessak.float64


def test_containers():
    seq = nn.Sequential(OrderedDict([("a", nn.Linear(2, 3)), ("b", nn.Linear(3, 1))]))
    assert seq.a.out_features == 3 and len(seq) == 2 and isinstance(seq[0:1], nn.Sequential)
    seq.append(nn.Identity())
    seq.insert(0, nn.Identity())
    assert len(seq) == 4
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.append(nn.Linear(2, 1))
    assert len(layers) == 4 and len(list(layers.parameters())) == 8
    heads = nn.ModuleDict({"x": nn.Linear(2, 2), "y": nn.Linear(2, 1)})
    assert list(heads.keys()) == ["x", "y"] and len(list(heads.parameters())) == 4
    plist = nn.ParameterList([nn.Parameter(saessak.ones(2)), saessak.zeros(3)])
    assert len(list(plist.parameters())) == 2 and isinstance(plist[1], nn.Parameter)
    pdict = nn.ParameterDict({"scale": nn.Parameter(saessak.ones(1))})
    assert [n for n, _ in pdict.named_parameters()] == ["scale"]


def test_linear_errors_name_the_layer_and_shapes():
    with pytest.raises(RuntimeError, match=r"Linear\(in_features=4, out_features=3, bias=True\) expected input with "
                                           r"last dimension 4, got input of shape \(2, 5\)"):
        nn.Linear(4, 3)(saessak.ones(2, 5))


def test_parameter_repr_and_assignment_rules():
    p = nn.Parameter(saessak.tensor([1.0, 2.0]))
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        layer.weight = saessak.ones(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]


@requires_torch
def test_parameter_container_reprs_match_torch():
    def build(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.scales = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(4)) for _ in range(2)])
                self.extra = lib.nn.ParameterDict({"bias": lib.nn.Parameter(lib.zeros(2))})
                self.more = lib.nn.ParameterDict({"a": lib.nn.Parameter(lib.zeros(2, 3)), "b": lib.ones(1)})
                self.empty = lib.nn.ParameterList()

        return Net()

    assert repr(build(saessak)) == repr(build(torch))


@requires_torch
def test_load_state_dict_result_and_num_batches_tracked_match_torch():
    for lib in (saessak, torch):
        net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
        assert repr(net.load_state_dict(net.state_dict())) == "<All keys matched successfully>"
    ours, theirs = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    partial = {k: v for k, v in ours.state_dict().items() if k != "num_batches_tracked"}
    result = ours.load_state_dict(partial)  # an older checkpoint without the counter still loads strictly
    expected = theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in partial.items()})
    assert result.missing_keys == expected.missing_keys == []
    result = ours.load_state_dict({"weight": saessak.ones(3)}, strict=False)
    assert result.missing_keys == ["bias", "running_mean", "running_var"]
    assert "IncompatibleKeys(missing_keys=" in repr(result)
