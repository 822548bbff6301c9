"""optim/optimizer.py: parameter groups, state_dict layout, zero_grad, closures, hooks, errors, repr."""

import numpy as np
import pytest

import saessak
from saessak import nn, optim
from tests.helpers import requires_torch, torch


def _params(lib, *sizes):
    return [lib.nn.Parameter(lib.ones(size)) for size in sizes]


def test_accepts_a_generator_of_parameters():
    model = nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    assert [p is q for p, q in zip(opt.param_groups[0]["params"], model.parameters())] == [True, True]


def test_param_groups_fill_in_defaults_and_keep_their_own_options():
    a, b = _params(saessak, 2, 3)
    group = {"params": b, "lr": 0.5}
    opt = optim.SGD([{"params": [a]}, group], lr=0.1, momentum=0.9)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[1]["lr"] == 0.5
    assert opt.param_groups[1]["momentum"] == 0.9
    assert opt.param_groups[1] is group and group["params"] == [b]  # a single tensor becomes a list
    assert opt.defaults["lr"] == 0.1


def test_add_param_group_and_named_parameters():
    model = nn.Linear(3, 2)
    opt = optim.Adam(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    extra = nn.Parameter(saessak.ones(4))
    with pytest.raises(ValueError, match="with/without names"):
        opt.add_param_group({"params": [extra]})
    opt.add_param_group({"params": [("extra", extra)], "lr": 0.01})
    assert opt.param_groups[1]["lr"] == 0.01 and opt.param_groups[1]["betas"] == (0.9, 0.999)


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ([], ValueError, "optimizer got an empty parameter list"),
        (iter(()), ValueError, "optimizer got an empty parameter list"),
        ([saessak.ones(2, requires_grad=True), 3.0], TypeError, "optimizer can only optimize Tensors"),
        (saessak.ones(2, requires_grad=True), TypeError, "iterable of Tensors or dicts"),
        ([{"params": {saessak.ones(1, requires_grad=True)}}], TypeError, "ordered collections"),
        ([saessak.ones(2, requires_grad=True) * 2], ValueError, "can't optimize a non-leaf Tensor"),
    ],
)
def test_bad_params_raise(params, error, message):
    with pytest.raises(error, match=message):
        optim.SGD(params, lr=0.1)


def test_a_parameter_in_two_groups_raises_and_changes_nothing():
    a, b = _params(saessak, 2, 3)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        optim.SGD([{"params": [a, b]}, {"params": [b]}], lr=0.1)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        opt.add_param_group({"params": [b], "lr": -1})
    assert len(opt.param_groups) == 1


def test_parameters_without_grad_are_skipped():
    a, b = _params(saessak, 2, 2)
    a.grad = saessak.ones(2)
    opt = optim.Adam([a, b], lr=0.1)
    opt.step()
    np.testing.assert_array_equal(b.detach().numpy(), [1.0, 1.0])
    assert b not in opt.state and a in opt.state
    assert not np.allclose(a.detach().numpy(), 1.0)


def test_zero_grad_sets_to_none_or_zeros_in_place():
    (a,) = _params(saessak, 3)
    a.grad = saessak.ones(3)
    opt = optim.SGD([a], lr=0.1)
    grad = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad
    np.testing.assert_array_equal(grad.numpy(), [0.0, 0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None


def test_closure_runs_with_grad_enabled_and_its_loss_is_returned():
    (a,) = _params(saessak, 3)
    opt = optim.SGD([a], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum()
        assert saessak.is_grad_enabled()
        loss.backward()
        return loss

    with saessak.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 3.0
    np.testing.assert_allclose(a.detach().numpy(), [0.8, 0.8, 0.8], rtol=1e-6)


def test_step_hooks_run_around_step():
    (a,) = _params(saessak, 1)
    a.grad = saessak.ones(1)
    opt = optim.SGD([a], lr=0.1)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o is opt)))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", float(a.detach().numpy()[0]))))
    opt.step()
    pre.remove()
    opt.step()
    assert calls[0] == ("pre", True) and calls[1][0] == "post" and calls[2][0] == "post" and len(calls) == 3


def test_a_custom_optimizer_subclass_works():
    class SignSGD(optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        with saessak.no_grad():
                            p.sub_(group["lr"] * p.grad.sign())
            return None

    (a,) = _params(saessak, 2)
    a.grad = saessak.tensor([3.0, -0.5])
    SignSGD([a]).step()
    np.testing.assert_allclose(a.detach().numpy(), [0.9, 1.1], rtol=1e-6)


def test_load_state_dict_checks_the_layout():
    a, b = _params(saessak, 2, 3)
    saved = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD([a], lr=0.1).load_state_dict(saved)


def test_load_state_dict_restores_options_and_casts_state():
    (a,) = _params(saessak, 2)
    a.grad = saessak.ones(2)
    first = optim.Adam([a], lr=0.1)
    first.step()
    (b,) = [nn.Parameter(saessak.ones(2, dtype=saessak.float64))]
    second = optim.Adam([b], lr=0.5)
    second.load_state_dict(first.state_dict())
    assert second.param_groups[0]["lr"] == 0.1 and second.param_groups[0]["params"][0] is b
    assert second.state[b]["exp_avg"].dtype == saessak.float64
    assert second.state[b]["step"].dtype == saessak.float32  # step keeps its own dtype
    assert second.state[b]["exp_avg"] is not first.state[a]["exp_avg"]


@requires_torch
def test_state_dict_layout_and_repr_match_torch():
    def build(lib):
        a, b, c = _params(lib, 2, 3, 1)
        opt = lib.optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5, "nesterov": True}], lr=0.1,
                            momentum=0.9)
        for p in (a, c):
            p.grad = lib.ones(p.shape)
        opt.step()
        return opt

    ours, theirs = build(saessak), build(torch)
    assert repr(ours) == repr(theirs)
    assert ours.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]
    assert list(ours.state_dict()["state"]) == list(theirs.state_dict()["state"]) == [0, 2]
    for name in ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "LBFGS"]:
        mine = getattr(saessak.optim, name)(_params(saessak, 1))
        reference = getattr(torch.optim, name)(_params(torch, 1))
        assert repr(mine) == repr(reference), name


@requires_torch
def test_exports_match_torch():
    names = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
             "LBFGS", "lr_scheduler"]
    for name in names:
        assert name in optim.__all__ and name in torch.optim.__all__
    assert optim.lr_scheduler.StepLR is saessak.optim.lr_scheduler.StepLR


def test_differentiable_steps_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        optim.Adam([saessak.ones(1, requires_grad=True)], differentiable=True)
