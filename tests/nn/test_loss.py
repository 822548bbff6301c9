import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch

REDUCTIONS = ["none", "mean", "sum"]
rng = np.random.default_rng(0)


def _classes(*shape, n_classes=3, seed=1, ignore=()):
    """Random class indices; positions listed in ``ignore`` (flat) become -100."""
    t = np.random.default_rng(seed).integers(0, n_classes, size=shape)
    t.reshape(-1)[list(ignore)] = -100
    return t


# ---------------------------------------------------------------- regression
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_match_torch(reduction):
    check_op(lambda lib, x, y: lib.nn.functional.mse_loss(x, y, reduction=reduction), (3, 4), (3, 4))
    check_op(lambda lib, x, y: lib.nn.functional.l1_loss(x, y, reduction=reduction), (3, 4), (3, 4), gradgrad=False)
    for beta in (1.0, 0.5, 0.0):
        check_op(lambda lib, x, y, beta=beta: lib.nn.functional.smooth_l1_loss(x, y, reduction=reduction, beta=beta),
                 (3, 4), (3, 4), gradgrad=False)
    for delta in (1.0, 0.3):
        check_op(lambda lib, x, y, delta=delta: lib.nn.functional.huber_loss(x, y, reduction=reduction, delta=delta),
                 (3, 4), (3, 4), gradgrad=False)


def test_weighted_regression_losses_match_torch():
    w = rng.random((3, 4))
    check_op(lambda lib, x, y, w: lib.nn.functional.mse_loss(x, y, weight=w), (3, 4), (3, 4), w,
             grad=(True, True, False))
    check_op(lambda lib, x, y, w: lib.nn.functional.l1_loss(x, y, weight=w, reduction="sum"), (3, 4), (3, 4), w,
             grad=(True, True, False), gradgrad=False)
    check_op(lambda lib, x, y, w: lib.nn.functional.huber_loss(x, y, weight=w, delta=0.5), (3, 4), (3, 4), w,
             grad=(True, True, False), gradgrad=False)
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        saessak.nn.functional.mse_loss(saessak.ones(2, 3), saessak.ones(2, 3), weight=saessak.ones(3))


def test_mse_loss_warns_about_broadcasting_like_torch():
    x, y = saessak.zeros(2, 1), saessak.ones(2)
    message = ("Using a target size (torch.Size([2])) that is different to the input size (torch.Size([2, 1])). "
               "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.")
    with pytest.warns(UserWarning) as record:
        out = saessak.nn.functional.mse_loss(x, y, reduction="none")
    assert str(record[0].message) == message
    assert out.shape == (2, 2)


def test_bad_reduction_and_legacy_flags():
    x = saessak.ones(2)
    with pytest.raises(ValueError, match="mean1 is not a valid value for reduction"):
        saessak.nn.functional.l1_loss(x, x, reduction="mean1")
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        out = saessak.nn.functional.l1_loss(x, x * 3, size_average=False)
    assert out.item() == 4.0


# ---------------------------------------------------------------- cross-entropy and nll
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_class_indices_match_torch(reduction):
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, reduction=reduction), (4, 3), _classes(4))
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, reduction=reduction), (2, 3, 2, 2),
             _classes(2, 2, 2))
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, reduction=reduction), (3,), np.array(2))
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, reduction=reduction, ignore_index=-100),
             (5, 3), _classes(5, ignore=(1, 3)))


def test_cross_entropy_fused_op_is_stable_and_named_like_torch():
    x = saessak.tensor([[1000.0, 0.0], [0.0, -1000.0]], requires_grad=True)
    loss = saessak.nn.functional.cross_entropy(x, saessak.tensor([1, 1]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert np.isclose(loss.item(), 1000.0 / 2 + 1000.0 / 2)
    loss.backward()
    assert np.all(np.isfinite(x.grad.numpy()))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_weight_ignore_index_label_smoothing_match_torch(reduction):
    w = rng.random(3) + 0.5
    t = _classes(5, ignore=(2,))
    grad = (True, False, False)
    check_op(lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, weight=w, reduction=reduction), (5, 3), t, w,
             grad=grad)
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, label_smoothing=0.2, reduction=reduction),
             (5, 3), t)
    check_op(lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, weight=w, label_smoothing=0.1,
                                                                   reduction=reduction, ignore_index=1),
             (2, 3, 3), _classes(2, 3), w, grad=grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probability_targets_match_torch(reduction):
    p = rng.random((4, 3))
    p /= p.sum(1, keepdims=True)
    w = rng.random(3) + 0.5
    check_op(lambda lib, x, p: lib.nn.functional.cross_entropy(x, p, reduction=reduction), (4, 3), p)
    check_op(lambda lib, x, p, w: lib.nn.functional.cross_entropy(x, p, w, reduction=reduction, label_smoothing=0.3),
             (4, 3), p, w, grad=(True, True, False))
    q = rng.random((2, 3, 2))
    check_op(lambda lib, x, q: lib.nn.functional.cross_entropy(x, q, reduction=reduction), (2, 3, 2), q)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_matches_torch(reduction):
    w = rng.random(3) + 0.5
    t = _classes(5, ignore=(0, 4))
    check_op(lambda lib, x, t: lib.nn.functional.nll_loss(x, t, reduction=reduction), (5, 3), t)
    check_op(lambda lib, x, t, w: lib.nn.functional.nll_loss(x, t, w, reduction=reduction), (5, 3), t, w,
             grad=(True, False, False))
    check_op(lambda lib, x, t, w: lib.nn.functional.nll_loss(x, t, w, reduction=reduction, ignore_index=2),
             (2, 3, 2, 2), _classes(2, 2, 2), w, grad=(True, False, False))


def test_all_targets_ignored_gives_nan_mean_like_torch():
    t = np.array([-100, -100])
    check_op(lambda lib, x, t: lib.nn.functional.cross_entropy(x, t), (2, 3), t, grad=False)
    check_op(lambda lib, x, t: lib.nn.functional.nll_loss(x, t), (2, 3), t, grad=False)


def test_cross_entropy_bad_targets():
    F = saessak.nn.functional
    x = saessak.zeros(2, 3)
    with pytest.raises(IndexError, match=r"Target 5 is out of bounds\. The input has 3 classes"):
        F.cross_entropy(x, saessak.tensor([0, 5]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.nll_loss(x, saessak.tensor([-1, 0]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(2\) to match target batch_size \(3\)"):
        F.cross_entropy(x, saessak.tensor([0, 1, 2]))
    with pytest.raises(RuntimeError, match="Long"):
        F.nll_loss(x, saessak.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities"):
        F.cross_entropy(x, saessak.zeros(2, 3, dtype=saessak.int64))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        F.cross_entropy(x, saessak.tensor([0, 1]), label_smoothing=1.5)
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 3 classes"):
        F.cross_entropy(x, saessak.tensor([0, 1]), weight=saessak.ones(2))


def test_cross_entropy_float32_keeps_dtype():
    x = saessak.randn(3, 4, requires_grad=True)
    loss = saessak.nn.functional.cross_entropy(x, saessak.tensor([0, 3, 1]))
    loss.backward()
    assert loss.dtype == saessak.float32 and x.grad.dtype == saessak.float32


# ---------------------------------------------------------------- binary
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_matches_torch(reduction):
    x = rng.uniform(0.05, 0.95, (3, 4))
    y = rng.random((3, 4))
    w = rng.random(4) + 0.5
    check_op(lambda lib, x, y: lib.nn.functional.binary_cross_entropy(x, y, reduction=reduction), x, y)
    check_op(lambda lib, x, y, w: lib.nn.functional.binary_cross_entropy(x, y, w, reduction=reduction), x, y, w,
             grad=(True, True, False))


def test_binary_cross_entropy_clamps_log_at_minus_100_like_torch():
    check_op(lambda lib, x, y: lib.nn.functional.binary_cross_entropy(x, y, reduction="none"),
             np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0]), grad=False)
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        saessak.nn.functional.binary_cross_entropy(saessak.tensor([1.5]), saessak.tensor([1.0]))
    with pytest.raises(ValueError, match="different to the input size"):
        saessak.nn.functional.binary_cross_entropy(saessak.tensor([0.5]), saessak.tensor([1.0, 0.0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_matches_torch(reduction):
    y = rng.random((3, 4))
    w, pos_weight = rng.random(4) + 0.5, rng.random(4) + 0.5
    grad = (True, True, False)
    check_op(lambda lib, x, y: lib.nn.functional.binary_cross_entropy_with_logits(x, y, reduction=reduction),
             (3, 4), y)
    check_op(lambda lib, x, y, w: lib.nn.functional.binary_cross_entropy_with_logits(x, y, w, reduction=reduction),
             (3, 4), y, w, grad=grad)
    check_op(lambda lib, x, y, pw: lib.nn.functional.binary_cross_entropy_with_logits(x, y, reduction=reduction,
                                                                                       pos_weight=pw),
             (3, 4), y, pos_weight, grad=grad)


def test_binary_cross_entropy_with_logits_is_stable_for_huge_logits():
    check_op(lambda lib, x, y: lib.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="none"),
             np.array([1000.0, -1000.0, 800.0]), np.array([0.0, 1.0, 1.0]), numerical=False)
    with pytest.raises(ValueError, match=r"Target size \(torch.Size\(\[2\]\)\) must be the same as input size"):
        saessak.nn.functional.binary_cross_entropy_with_logits(saessak.zeros(2, 1), saessak.zeros(2))


# ---------------------------------------------------------------- distributions
@pytest.mark.parametrize("reduction", ["none", "sum", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(reduction, log_target):
    p = rng.random((3, 4)) + 0.1
    p /= p.sum(1, keepdims=True)
    target = np.log(p) if log_target else p
    check_op(lambda lib, x, t: lib.nn.functional.kl_div(x.log_softmax(1), t, reduction=reduction,
                                                        log_target=log_target), (3, 4), target)


def test_kl_div_mean_warns_like_torch():
    x = saessak.zeros(2, 2)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        out = saessak.nn.functional.kl_div(x, saessak.ones(2, 2))
    assert out.item() == 0.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_poisson_nll_loss_matches_torch(reduction):
    target = rng.integers(0, 5, (3, 4)).astype(np.float64)
    check_op(lambda lib, x, t: lib.nn.functional.poisson_nll_loss(x, t, reduction=reduction), (3, 4), target)
    check_op(lambda lib, x, t: lib.nn.functional.poisson_nll_loss(x, t, log_input=False, full=True,
                                                                  reduction=reduction),
             rng.uniform(0.5, 2.0, (3, 4)), target, grad=(True, False))


# ---------------------------------------------------------------- margins and embeddings
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_losses_match_torch(reduction):
    sign = np.array([1.0, -1.0, 1.0, -1.0])
    no_target_grad = (True, True, False)
    check_op(lambda lib, a, b, t: lib.nn.functional.margin_ranking_loss(a, b, t, margin=0.3, reduction=reduction),
             (4,), (4,), sign, grad=no_target_grad, gradgrad=False)
    check_op(lambda lib, x, t: lib.nn.functional.hinge_embedding_loss(x, t, margin=0.5, reduction=reduction),
             (4,), sign, grad=(True, False), gradgrad=False)
    check_op(lambda lib, x, t: lib.nn.functional.soft_margin_loss(x, t, reduction=reduction), (4,), sign,
             grad=(True, False))
    for margin in (0.0, 0.2):
        check_op(lambda lib, a, b, t, margin=margin: lib.nn.functional.cosine_embedding_loss(a, b, t, margin=margin,
                                                                                              reduction=reduction),
                 (4, 3), (4, 3), sign, grad=no_target_grad, gradgrad=False)
    check_op(lambda lib, a, b, t: lib.nn.functional.cosine_embedding_loss(a, b, t, reduction=reduction),
             (3,), (3,), np.array(-1.0), grad=no_target_grad, gradgrad=False)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("p", "swap"), [(2.0, False), (1.0, True), (3.0, False)])
def test_triplet_margin_loss_matches_torch(reduction, p, swap):
    check_op(lambda lib, a, b, c: lib.nn.functional.triplet_margin_loss(a, b, c, margin=2.0, p=p, swap=swap,
                                                                         reduction=reduction),
             (4, 3), (4, 3), (4, 3), gradgrad=False)


def test_margin_loss_errors():
    F = saessak.nn.functional
    with pytest.raises(ValueError, match="margin must be greater than 0, got 0"):
        F.triplet_margin_loss(saessak.ones(2, 3), saessak.ones(2, 3), saessak.ones(2, 3), margin=0)
    with pytest.raises(RuntimeError, match="anchor 2D, positive 1D, and negative 2D"):
        F.triplet_margin_loss(saessak.ones(2, 3), saessak.ones(3), saessak.ones(2, 3))
    with pytest.raises(RuntimeError, match="cosine_embedding_loss expects"):
        F.cosine_embedding_loss(saessak.ones(2, 3), saessak.ones(2, 3), saessak.ones(2, 1))


# ---------------------------------------------------------------- modules
MODULES = [
    ("MSELoss", {}, 2), ("L1Loss", {"reduction": "sum"}, 2), ("SmoothL1Loss", {"beta": 0.5}, 2),
    ("HuberLoss", {"delta": 0.5}, 2), ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, 2),
    ("SoftMarginLoss", {}, 2), ("HingeEmbeddingLoss", {"margin": 0.5}, 2), ("PoissonNLLLoss", {}, 2),
    ("MarginRankingLoss", {"margin": 0.1}, 3), ("TripletMarginLoss", {"margin": 0.5, "swap": True}, 3),
]


@requires_torch
@pytest.mark.parametrize(("name", "kwargs", "n_inputs"), MODULES)
def test_loss_modules_match_torch(name, kwargs, n_inputs):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs) == f"{name}()"
    assert ours.reduction == theirs.reduction
    arrays = [rng.standard_normal((3, 4)) for _ in range(n_inputs)]
    if name in ("SoftMarginLoss", "HingeEmbeddingLoss", "MarginRankingLoss"):
        arrays[-1] = np.sign(arrays[-1])
    a = ours(*[saessak.tensor(x) for x in arrays])
    b = theirs(*[torch.tensor(x) for x in arrays])
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-8)


@requires_torch
def test_weighted_loss_modules_match_torch():
    w, x = rng.random(3) + 0.5, rng.standard_normal((4, 3))
    t = np.array([0, 2, 1, 1])
    for name, kwargs in [("CrossEntropyLoss", {"ignore_index": 2, "label_smoothing": 0.1}), ("NLLLoss", {})]:
        ours = getattr(nn, name)(weight=saessak.tensor(w), **kwargs)
        theirs = getattr(torch.nn, name)(weight=torch.tensor(w), **kwargs)
        assert repr(ours) == repr(theirs) == f"{name}()"
        assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
        np.testing.assert_allclose(ours(saessak.tensor(x), saessak.tensor(t)).numpy(),
                                   theirs(torch.tensor(x), torch.tensor(t)).numpy(), rtol=1e-6)
    y, p = rng.random((4, 3)), rng.uniform(0.1, 0.9, (4, 3))
    ours = nn.BCEWithLogitsLoss(weight=saessak.tensor(w), pos_weight=saessak.tensor(w))
    theirs = torch.nn.BCEWithLogitsLoss(weight=torch.tensor(w), pos_weight=torch.tensor(w))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "pos_weight"]
    np.testing.assert_allclose(ours(saessak.tensor(x), saessak.tensor(y)).numpy(),
                               theirs(torch.tensor(x), torch.tensor(y)).numpy(), rtol=1e-6)
    np.testing.assert_allclose(nn.BCELoss(saessak.tensor(w))(saessak.tensor(p), saessak.tensor(y)).numpy(),
                               torch.nn.BCELoss(torch.tensor(w))(torch.tensor(p), torch.tensor(y)).numpy(), rtol=1e-6)
    ours, theirs = nn.CosineEmbeddingLoss(margin=0.1), torch.nn.CosineEmbeddingLoss(margin=0.1)
    sign = np.array([1.0, -1.0, -1.0, 1.0])
    np.testing.assert_allclose(ours(saessak.tensor(x), saessak.tensor(y), saessak.tensor(sign)).numpy(),
                               theirs(torch.tensor(x), torch.tensor(y), torch.tensor(sign)).numpy(), rtol=1e-6)


def test_cross_entropy_loss_trains_a_linear_classifier():
    saessak.manual_seed(0)
    model, criterion = nn.Linear(2, 2), nn.CrossEntropyLoss()
    x = saessak.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 0.5], [0.5, 2.0]])
    t = saessak.tensor([0, 1, 0, 1])
    first = None
    for _ in range(50):
        loss = criterion(model(x), t)
        first = loss.item() if first is None else first
        model.zero_grad()
        loss.backward()
        with saessak.no_grad():
            for parameter in model.parameters():
                parameter -= 0.5 * parameter.grad
    assert loss.item() < first / 4


def test_cross_entropy_double_backward_matches_torch():
    t = _classes(4)
    check_op(lambda lib, x, t: lib.autograd.grad(lib.nn.functional.cross_entropy(x, t), x, create_graph=True)[0],
             (4, 3), t, gradgrad=False)


# ---------------------------------------------------------------- Gaussian NLL, multi-class/label margins, triplets
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_new_losses_match_torch(reduction):
    rng = np.random.default_rng(11)
    var = rng.uniform(0.5, 2.0, (4, 3))
    check_op(lambda lib, x, t, v: lib.nn.functional.gaussian_nll_loss(x, t, v, reduction=reduction), (4, 3), (4, 3),
             var)
    check_op(lambda lib, x, t, v: lib.nn.functional.gaussian_nll_loss(x, t, v, full=True, reduction=reduction),
             (4, 3), (4, 3), var[:, 0])  # one variance per sample
    check_op(lambda lib, x, t, v: lib.nn.functional.gaussian_nll_loss(x, t, v, reduction=reduction), (4, 3), (4, 3),
             var[:, :1])
    labels = rng.integers(0, 2, (4, 3)).astype(np.float64)
    check_op(lambda lib, x, t: lib.nn.functional.multilabel_soft_margin_loss(x, t, reduction=reduction), (4, 3),
             labels, grad=(True, False))
    check_op(lambda lib, x, t, w: lib.nn.functional.multilabel_soft_margin_loss(x, t, weight=w, reduction=reduction),
             (4, 3), labels, rng.uniform(0.5, 2, 3), grad=(True, False, True))
    classes = np.array([0, 2, 1, 2])
    check_op(lambda lib, x, t: lib.nn.functional.multi_margin_loss(x, t, reduction=reduction), (4, 3), classes)
    check_op(lambda lib, x, t, w: lib.nn.functional.multi_margin_loss(x, t, p=2, margin=0.7, weight=w,
                                                                      reduction=reduction),
             (4, 3), classes, rng.uniform(0.5, 2, 3), grad=(True, False, False))
    check_op(lambda lib, x, t: lib.nn.functional.multi_margin_loss(x, t, reduction=reduction), (3,), np.array(1))
    targets = np.array([[3, 0, -1, 1], [1, -1, 2, 2], [-1, 0, 0, 0]])
    check_op(lambda lib, x, t: lib.nn.functional.multilabel_margin_loss(x, t, reduction=reduction), (3, 4), targets)
    check_op(lambda lib, x, t: lib.nn.functional.multilabel_margin_loss(x, t, reduction=reduction), (4,),
             np.array([2, 1, -1, 0]))
    check_op(lambda lib, a, p, n: lib.nn.functional.triplet_margin_with_distance_loss(a, p, n, reduction=reduction),
             (4, 3), (4, 3), (4, 3))
    check_op(lambda lib, a, p, n: lib.nn.functional.triplet_margin_with_distance_loss(
        a, p, n, distance_function=lambda u, v: 1 - lib.nn.functional.cosine_similarity(u, v), margin=0.5, swap=True,
        reduction=reduction), (4, 3), (4, 3), (4, 3))


@requires_torch
def test_new_loss_modules_match_torch():
    rng = np.random.default_rng(12)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    weight = rng.uniform(0.5, 2, 3)
    cases = [
        (lambda lib: lib.nn.GaussianNLLLoss(full=True, eps=1e-3), (x, y, np.abs(y) + 0.1)),
        (lambda lib: lib.nn.MultiLabelSoftMarginLoss(weight=lib.tensor(weight)), (x, (y > 0).astype(np.float64))),
        (lambda lib: lib.nn.MultiMarginLoss(p=2, margin=0.5, reduction="sum"), (x, np.array([0, 1, 2, 1]))),
        (lambda lib: lib.nn.MultiLabelMarginLoss(), (x, np.array([[2, -1, 0], [0, 1, 2], [1, 0, -1], [-1, 1, 1]]))),
        (lambda lib: lib.nn.TripletMarginWithDistanceLoss(margin=2.0, swap=True), (x, y, -y)),
        (lambda lib: lib.nn.TripletMarginWithDistanceLoss(distance_function=lib.nn.CosineSimilarity()), (x, y, -y)),
    ]
    for make, args in cases:
        ours, theirs = make(saessak), make(torch)
        assert repr(ours) == repr(theirs)
        a = ours(*(saessak.tensor(v) for v in args))
        b = theirs(*(torch.tensor(v) for v in args))
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)


def test_new_loss_errors_teach():
    f = saessak.nn.functional
    with pytest.raises(ValueError, match="var has negative entry"):
        f.gaussian_nll_loss(saessak.zeros(2), saessak.zeros(2), saessak.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match="var is of incorrect size"):
        f.gaussian_nll_loss(saessak.zeros(2, 3), saessak.zeros(2, 3), saessak.ones(3, 2))
    with pytest.raises(ValueError, match="only p == 1 and p == 2 supported"):
        saessak.nn.MultiMarginLoss(p=3)
    with pytest.raises(IndexError, match="out of range for 3 classes"):
        f.multi_margin_loss(saessak.zeros(2, 3), saessak.tensor([0, 3]))
    with pytest.raises(ValueError, match="expected margin to be greater than 0"):
        saessak.nn.TripletMarginWithDistanceLoss(margin=0.0)
