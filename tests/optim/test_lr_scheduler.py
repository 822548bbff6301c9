"""optim/lr_scheduler.py: lr sequences against PyTorch's and against closed forms, state_dict round trips."""

import math

import numpy as np
import pytest

import saessak
from saessak.optim import lr_scheduler
from tests.helpers import requires_torch, torch

SCHEDULERS = {
    "StepLR": lambda S, o: S.StepLR(o, 7, gamma=0.5),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, [3, 10, 10, 30], gamma=0.3),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, 0.93),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=13, eta_min=0.001),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01),
    "LambdaLR": lambda S, o: S.LambdaLR(o, [lambda e: 0.9**e, lambda e: 1 / (e + 1)]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=17),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.4, total_iters=6),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=20, power=2.0),
    "OneCycleLR": lambda S, o: S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=61),
    "OneCycleLR-three-phase": lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=70, three_phase=True,
                                                        anneal_strategy="linear"),
    "CyclicLR": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=7, step_size_down=4),
    "CyclicLR-triangular2": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=5, mode="triangular2"),
    "CyclicLR-exp_range": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=5, mode="exp_range", gamma=0.97),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, 0.1, total_iters=5), S.CosineAnnealingLR(o, 20), S.ExponentialLR(o, 0.9)],
        milestones=[5, 25]),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler([S.ConstantLR(o, 0.1, total_iters=4),
                                                         S.ExponentialLR(o, 0.9)]),
}


def _optimizer(lib, name="SGD"):
    groups = [{"params": [lib.nn.Parameter(lib.zeros(2))]}, {"params": [lib.nn.Parameter(lib.zeros(1))], "lr": 0.05}]
    if name == "SGD":
        return lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    return lib.optim.Adam(groups, lr=0.1)


def _lrs(lib, make, steps=60, optimizer="SGD", metrics=None):
    """(lrs, momenta) after construction and after each of ``steps`` steps."""
    opt = _optimizer(lib, optimizer)
    scheduler = make(lib.optim.lr_scheduler, opt)
    lrs, momenta = [list(scheduler.get_last_lr())], []
    for i in range(steps):
        opt.step()
        scheduler.step(*([] if metrics is None else [metrics[i]]))
        lrs.append(list(scheduler.get_last_lr()))
        group = opt.param_groups[0]
        momenta.append(group["momentum"] if "momentum" in group else group["betas"][0])
    return np.array(lrs), momenta


@requires_torch
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence_matches_torch(name, optimizer):
    ours, our_momenta = _lrs(saessak, SCHEDULERS[name], optimizer=optimizer)
    theirs, their_momenta = _lrs(torch, SCHEDULERS[name], optimizer=optimizer)
    np.testing.assert_array_equal(ours, theirs)
    assert our_momenta == their_momenta


@requires_torch
@pytest.mark.parametrize(
    "kwargs",
    [dict(), dict(mode="max", patience=2, cooldown=3, threshold_mode="abs", factor=0.5, min_lr=[0.01, 0.001])],
)
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    metrics = list(np.r_[np.linspace(1, 0.5, 10), np.full(30, 0.5), np.linspace(0.5, 0.1, 20)])

    def make(S, o):
        return S.ReduceLROnPlateau(o, **kwargs)

    ours, _ = _lrs(saessak, make, metrics=metrics)
    theirs, _ = _lrs(torch, make, metrics=metrics)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    ("make", "closed_form"),
    [
        (lambda o: lr_scheduler.StepLR(o, 3, gamma=0.5), lambda e: 0.1 * 0.5 ** (e // 3)),
        (lambda o: lr_scheduler.MultiStepLR(o, [2, 5], gamma=0.1), lambda e: 0.1 * 0.1 ** ((e >= 2) + (e >= 5))),
        (lambda o: lr_scheduler.ExponentialLR(o, 0.9), lambda e: 0.1 * 0.9**e),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10),
         lambda e: 0.05 * (1 + math.cos(math.pi * e / 10))),
        (lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4),
         lambda e: 0.1 * (0.25 + 0.75 * min(e, 4) / 4)),
        (lambda o: lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3), lambda e: 0.05 if e < 3 else 0.1),
        (lambda o: lr_scheduler.PolynomialLR(o, total_iters=8, power=2.0), lambda e: 0.1 * (1 - min(e, 8) / 8) ** 2),
        (lambda o: lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + e)), lambda e: 0.1 / (1 + e)),
    ],
)
def test_lr_sequence_follows_the_closed_form(make, closed_form):
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = make(opt)
    for epoch in range(12):
        assert scheduler.get_last_lr()[0] == pytest.approx(closed_form(epoch), rel=1e-12, abs=1e-15)
        assert opt.param_groups[0]["lr"] == scheduler.get_last_lr()[0]
        assert scheduler.last_epoch == epoch
        opt.step()
        scheduler.step()


def test_warm_restarts_restart():
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2)
    lrs = [scheduler.get_last_lr()[0]]
    for _ in range(9):
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    assert lrs[0] == lrs[3] == lrs[9] == 1.0  # restarts at 3 and 3 + 6
    assert lrs[4] == pytest.approx((1 + math.cos(math.pi / 6)) / 2)


def test_initial_lr_is_set_and_needed_to_resume():
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=0.1)
    lr_scheduler.StepLR(opt, 2)
    assert opt.param_groups[0]["initial_lr"] == 0.1
    fresh = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(fresh, 2, last_epoch=4)


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR", "CyclicLR", "SequentialLR",
                                  "ChainedScheduler", "CosineAnnealingWarmRestarts", "LambdaLR"])
def test_state_dict_round_trip_resumes_the_sequence(name):
    make = SCHEDULERS[name]
    straight, _ = _lrs(saessak, make, steps=12)
    opt = _optimizer(saessak)
    scheduler = make(lr_scheduler, opt)
    for _ in range(5):
        opt.step()
        scheduler.step()
    saved_optimizer, saved_scheduler = opt.state_dict(), scheduler.state_dict()
    opt = _optimizer(saessak)
    scheduler = make(lr_scheduler, opt)
    opt.load_state_dict(saved_optimizer)
    scheduler.load_state_dict(saved_scheduler)
    resumed = []
    for _ in range(7):
        opt.step()
        scheduler.step()
        resumed.append(list(scheduler.get_last_lr()))
    np.testing.assert_array_equal(np.array(resumed), straight[6:])


def test_lambdas_are_not_saved_but_callable_objects_are():
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, epoch):
            return self.rate**epoch

    opt = saessak.optim.SGD([{"params": [saessak.zeros(1, requires_grad=True)]},
                             {"params": [saessak.zeros(1, requires_grad=True)]}], lr=0.1)
    decay = Decay()
    state = lr_scheduler.LambdaLR(opt, [lambda e: 1.0, decay]).state_dict()
    assert state["lr_lambdas"] == [None, {"rate": 0.5}]
    assert "optimizer" not in state
    other = Decay()
    other.rate = 0.9
    fresh = saessak.optim.SGD([{"params": [saessak.zeros(1, requires_grad=True)]},
                               {"params": [saessak.zeros(1, requires_grad=True)]}], lr=0.1)
    lr_scheduler.LambdaLR(fresh, [lambda e: 1.0, other]).load_state_dict(state)
    assert other.rate == 0.5


@requires_torch
@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "OneCycleLR", "CyclicLR", "SequentialLR", "LambdaLR"])
def test_state_dict_keys_match_torch(name):
    ours = SCHEDULERS[name](lr_scheduler, _optimizer(saessak)).state_dict()
    theirs = SCHEDULERS[name](torch.optim.lr_scheduler, _optimizer(torch)).state_dict()
    assert sorted(ours) == sorted(theirs)


def test_reduce_lr_on_plateau_waits_for_patience_then_cools_down():
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, patience=2, cooldown=1, factor=0.5, min_lr=0.2)
    lrs = []
    for metric in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]:
        scheduler.step(metric)
        lrs.append(scheduler.get_last_lr()[0])
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2]


def test_deprecated_epoch_argument_and_get_lr_outside_step_warn():
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = lr_scheduler.StepLR(opt, 2, gamma=0.5)
    with pytest.warns(UserWarning, match="deprecated"):
        scheduler.step(5)
    assert scheduler.get_last_lr() == [0.1 * 0.5**2]
    with pytest.warns(UserWarning, match="get_last_lr"):
        scheduler.get_lr()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda o: lr_scheduler.StepLR(object(), 2), TypeError, "is not an Optimizer"),
        (lambda o: lr_scheduler.ConstantLR(o, factor=2.0), ValueError, "between 0 and 1"),
        (lambda o: lr_scheduler.LinearLR(o, start_factor=0), ValueError, "greater than 0"),
        (lambda o: lr_scheduler.LambdaLR(o, [lambda e: 1.0] * 2), ValueError, "Expected 1 lr_lambdas"),
        (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "positive integer T_0"),
        (lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1), ValueError, "total_steps OR"),
        (lambda o: lr_scheduler.CyclicLR(o, 0.1, 1.0, mode="wavy"), ValueError, "mode 'wavy' is invalid"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.5), ValueError, "Factor should be < 1.0"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="avg"), ValueError, "mode avg is unknown"),
        (lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.StepLR(o, 2)], milestones=[3]), ValueError,
         "one more than the number of milestone points"),
    ],
)
def test_bad_arguments_raise(make, error, message):
    opt = saessak.optim.SGD([saessak.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    with pytest.raises(error, match=message):
        make(opt)


def test_cycle_momentum_needs_a_momentum_option():
    opt = saessak.optim.Adagrad([saessak.zeros(1, requires_grad=True)])
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    assert lr_scheduler._LRScheduler is lr_scheduler.LRScheduler
