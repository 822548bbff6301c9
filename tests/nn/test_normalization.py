import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch
from tests.nn.conversion import copy_weights


def test_functional_norms_match_torch():
    rng = np.random.default_rng(0)
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    check_op(lambda lib, x, w, b: lib.nn.functional.batch_norm(x, None, None, w, b, training=True), (4, 3), w, b)
    check_op(lambda lib, x, w, b: lib.nn.functional.batch_norm(x, None, None, w, b, training=True), (2, 3, 2, 2), w, b)
    check_op(lambda lib, x: lib.nn.functional.layer_norm(x, (4,)), (3, 4))
    check_op(lambda lib, x, w, b: lib.nn.functional.layer_norm(x, (2, 3), w, b), (2, 2, 3), (2, 3), (2, 3))
    check_op(lambda lib, x, w, b: lib.nn.functional.group_norm(x, 1, w, b), (2, 3, 4), w, b)


@requires_torch
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_running_stats_and_eval_match_torch(momentum):
    rng = np.random.default_rng(1)
    ours, theirs = nn.BatchNorm1d(3, momentum=momentum), torch.nn.BatchNorm1d(3, momentum=momentum)
    for _ in range(3):
        x = rng.standard_normal((8, 3)).astype(np.float32)
        np.testing.assert_allclose(ours(saessak.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                                   rtol=1e-5, atol=1e-5)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-5, err_msg=name)
    ours.eval()
    theirs.eval()
    x = rng.standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_allclose(ours(saessak.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-5)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


@requires_torch
def test_batchnorm2d_layernorm_groupnorm_modules_match_torch():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
    pairs = [(nn.BatchNorm2d(4), torch.nn.BatchNorm2d(4)), (nn.LayerNorm([3, 3]), torch.nn.LayerNorm([3, 3])),
             (nn.GroupNorm(2, 4), torch.nn.GroupNorm(2, 4))]
    for ours, theirs in pairs:
        copy_weights(theirs, ours)
        a, b = ours(saessak.tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
        assert repr(ours) == repr(theirs)


def test_batchnorm_bad_input():
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        nn.BatchNorm1d(3)(saessak.ones(2, 3, 4, 5))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(saessak.ones(1, 3))


@requires_torch
def test_embedding_matches_torch_and_padding_gets_no_gradient():
    ours, theirs = nn.Embedding(6, 3, padding_idx=0), torch.nn.Embedding(6, 3, padding_idx=0)
    copy_weights(theirs, ours)
    idx = np.array([[0, 2, 2], [5, 0, 1]])
    a, b = ours(saessak.tensor(idx)), theirs(torch.tensor(idx))
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy())
    (a * a).sum().backward()
    (b * b).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-6)
    assert np.all(ours.weight.grad.numpy()[0] == 0)
    assert repr(ours) == repr(theirs)


@requires_torch
def test_embedding_bag_matches_torch():
    for mode in ("sum", "mean", "max"):
        ours, theirs = nn.EmbeddingBag(6, 3, mode=mode), torch.nn.EmbeddingBag(6, 3, mode=mode)
        copy_weights(theirs, ours)
        idx, offsets = np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2])
        a = ours(saessak.tensor(idx), saessak.tensor(offsets))
        b = theirs(torch.tensor(idx), torch.tensor(offsets))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6)


@requires_torch
def test_seed_iris_net_has_torch_parameter_count_and_shapes():
    def build(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = lib.nn.Linear(4, 64)
                self.bn1 = lib.nn.BatchNorm1d(64)
                self.fc2 = lib.nn.Linear(64, 32)
                self.bn2 = lib.nn.BatchNorm1d(32)
                self.fc3 = lib.nn.Linear(32, 16)
                self.bn3 = lib.nn.BatchNorm1d(16)
                self.fc4 = lib.nn.Linear(16, 8)
                self.bn4 = lib.nn.BatchNorm1d(8)
                self.fc5 = lib.nn.Linear(8, 3)

            def forward(self, x):
                for i in range(1, 5):
                    x = getattr(self, f"bn{i}")(getattr(self, f"fc{i}")(x)).relu()
                return self.fc5(x)

        return Net()

    ours, theirs = build(saessak), build(torch)
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 18
    assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    copy_weights(theirs, ours)
    x = np.random.default_rng(3).standard_normal((10, 4)).astype(np.float32)
    np.testing.assert_allclose(ours(saessak.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- instance, RMS and local response normalization
def test_instance_rms_and_local_response_norm_functions_match_torch():
    rng = np.random.default_rng(3)
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    check_op(lambda lib, x: lib.nn.functional.instance_norm(x), (2, 3, 5))
    check_op(lambda lib, x, w, b: lib.nn.functional.instance_norm(x, weight=w, bias=b), (2, 3, 2, 3), w, b)
    check_op(lambda lib, x, m, v: lib.nn.functional.instance_norm(x, m, v, use_input_stats=False), (2, 3, 2, 2, 2),
             rng.standard_normal(3), rng.uniform(0.5, 2, 3), grad=(True, False, False))
    check_op(lambda lib, x: lib.nn.functional.rms_norm(x, (4,)), (3, 4))
    check_op(lambda lib, x, w: lib.nn.functional.rms_norm(x, [2, 3], w, eps=1e-3), (2, 2, 3), (2, 3))
    check_op(lambda lib, x: lib.nn.functional.local_response_norm(x, 3, alpha=0.5, beta=0.7, k=2.0), (2, 5, 4))
    check_op(lambda lib, x: lib.nn.functional.local_response_norm(x, 2, alpha=0.3), (2, 4, 3, 2))
    check_op(lambda lib, x: lib.nn.functional.local_response_norm(x, 4, alpha=0.3), (1, 6, 2, 2, 2))


@requires_torch
@pytest.mark.parametrize("name, kwargs, shape", [
    ("InstanceNorm1d", {}, (2, 3, 5)),
    ("InstanceNorm1d", {"affine": True}, (3, 5)),
    ("InstanceNorm2d", {"affine": True, "track_running_stats": True}, (2, 3, 4, 3)),
    ("InstanceNorm2d", {"track_running_stats": True, "momentum": 0.3, "eps": 1e-3}, (3, 4, 3)),
    ("InstanceNorm3d", {"affine": True, "bias": False, "track_running_stats": True}, (2, 3, 2, 3, 2)),
])
def test_instance_norm_modules_match_torch_in_training_and_eval(name, kwargs, shape):
    rng = np.random.default_rng(4)
    ours, theirs = getattr(nn, name)(3, **kwargs), getattr(torch.nn, name)(3, **kwargs)
    if ours.affine:
        with torch.no_grad():
            theirs.weight.uniform_(0.5, 1.5)
            if theirs.bias is not None:
                theirs.bias.uniform_(-1, 1)
    copy_weights(theirs, ours)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for mode in ("train", "train", "eval"):
        ours.train(mode == "train")
        theirs.train(mode == "train")
        x = rng.standard_normal(shape).astype(np.float32)
        np.testing.assert_allclose(ours(saessak.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                                   rtol=1e-4, atol=1e-5)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-5, atol=1e-6, err_msg=key)


@requires_torch
def test_rms_and_local_response_norm_modules_match_torch():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
    pairs = [(nn.RMSNorm([3, 3]), torch.nn.RMSNorm([3, 3])),
             (nn.RMSNorm(3, eps=1e-6, elementwise_affine=False), torch.nn.RMSNorm(3, eps=1e-6,
                                                                                  elementwise_affine=False)),
             (nn.LocalResponseNorm(3), torch.nn.LocalResponseNorm(3)),
             (nn.LocalResponseNorm(2, alpha=0.1, beta=0.5, k=2), torch.nn.LocalResponseNorm(2, alpha=0.1, beta=0.5,
                                                                                            k=2))]
    for ours, theirs in pairs:
        copy_weights(theirs, ours)
        assert repr(ours) == repr(theirs)
        a, b = ours(saessak.tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_instance_norm_errors_and_warnings_teach():
    with pytest.raises(ValueError, match=r"expected input's size at dim=1 to match num_features \(3\), but got: 4"):
        nn.InstanceNorm2d(3, affine=True)(saessak.ones(2, 4, 5, 5))
    with pytest.warns(UserWarning, match="input's size at dim=1 does not match num_features"):
        nn.InstanceNorm2d(3)(saessak.randn(2, 4, 5, 5))
    with pytest.raises(ValueError, match=r"expected 3D or 4D input \(got 2D input\)"):
        nn.InstanceNorm2d(3)(saessak.ones(5, 5))
    with pytest.raises(ValueError, match="Expected more than 1 spatial element when training"):
        nn.functional.instance_norm(saessak.ones(2, 3, 1))
    with pytest.raises(ValueError, match="Expected 3D or higher dimensionality input"):
        nn.LocalResponseNorm(2)(saessak.ones(2, 3))
