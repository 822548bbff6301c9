"""The networks of the seed material, run exactly as the notes write them (``import saessak as torch``)."""

import numpy as np

import saessak as torch
import saessak.nn as nn
from tests.helpers import requires_torch
from tests.helpers import torch as real_torch


def _iris_net(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super(Net, self).__init__()  # noqa: UP008 - as the seed writes it
            self.l1 = lib.nn.Linear(4, 128)
            self.l2 = lib.nn.Linear(128, 64)
            self.l3 = lib.nn.Linear(64, 32)
            self.l4 = lib.nn.Linear(32, 16)
            self.l5 = lib.nn.Linear(16, 3)
            self.bn1 = lib.nn.BatchNorm1d(128)
            self.bn2 = lib.nn.BatchNorm1d(64)
            self.bn3 = lib.nn.BatchNorm1d(32)
            self.act = lib.nn.ReLU()

        def forward(self, x):
            x = self.act(self.bn1(self.l1(x)))
            x = self.act(self.bn2(self.l2(x)))
            x = self.act(self.bn3(self.l3(x)))
            x = self.act(self.l4(x))
            return self.l5(x)

    return Net()


def test_iris_net_as_in_the_notes():
    net = _iris_net(torch)
    params = list(net.parameters())
    assert len(params) == 16
    assert params[0].size() == torch.Size([128, 4])
    criterion = nn.CrossEntropyLoss()
    x, y = torch.randn([4, 4]), torch.tensor([1, 0, 2, 0])
    loss = criterion(net(x), y)
    assert isinstance(loss.item(), float)
    net.zero_grad()
    assert net.l5.bias.grad is None and net.l5.bias.is_leaf
    loss.backward()
    assert net.l5.bias.grad.shape == (3,)


@requires_torch
def test_iris_net_matches_torch_with_the_same_weights():
    from tests.nn.conversion import copy_weights

    ours, theirs = _iris_net(torch), _iris_net(real_torch)
    copy_weights(theirs, ours)
    x = np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)
    y = np.array([1, 0, 2, 0, 1, 1, 2, 0])
    loss_o = nn.CrossEntropyLoss()(ours(torch.tensor(x)), torch.tensor(y))
    loss_t = real_torch.nn.CrossEntropyLoss()(theirs(real_torch.tensor(x)), real_torch.tensor(y))
    np.testing.assert_allclose(loss_o.item(), loss_t.item(), rtol=1e-5)
    loss_o.backward()
    loss_t.backward()
    np.testing.assert_allclose(ours.l1.weight.grad.numpy(), theirs.l1.weight.grad.numpy(), rtol=1e-3, atol=1e-6)
    assert repr(ours) == repr(theirs)


def test_my_linear_from_the_notes():
    class Plain(nn.Module):
        def __init__(self, input_size, output_size):
            super().__init__()
            self.W = torch.FloatTensor(input_size, output_size)
            self.b = torch.FloatTensor(output_size)

        def forward(self, x):
            return torch.mm(x, self.W) + self.b

    class MyLinear(nn.Module):
        def __init__(self, input_size, output_size):
            super(MyLinear, self).__init__()  # noqa: UP008
            self.W = nn.Parameter(torch.FloatTensor(input_size, output_size), requires_grad=True)
            self.b = nn.Parameter(torch.FloatTensor(output_size), requires_grad=True)

        def forward(self, x):
            return torch.mm(x, self.W) + self.b

    x = torch.FloatTensor(16, 10)
    assert Plain(10, 5)(x).shape == (16, 5) and list(Plain(10, 5).parameters()) == []
    linear = MyLinear(10, 5)
    assert [p.size() for p in linear.parameters()] == [torch.Size([10, 5]), torch.Size([5])]
    objective = 100
    loss = objective - linear(x).sum()
    loss.backward()
    assert linear.W.grad.shape == (10, 5)
    linear.eval()
    assert not linear.training


def test_regression_by_hand_as_in_the_notes():
    torch.manual_seed(1)
    x = torch.linspace(-1, 1, 100).reshape(100, 1)
    y = 2.5 + 4 * x + 0.3 * torch.randn(100, 1)
    net = nn.Linear(1, 1)
    net.weight.data = torch.tensor([[10.0]])
    net.bias.data = torch.tensor([-5.0])
    for _ in range(100):
        loss = ((y - net(x)) ** 2).mean()
        loss.backward()
        net.weight.data = net.weight.data - 0.1 * net.weight.grad
        net.bias.data = net.bias.data - 0.1 * net.bias.grad
        net.weight.grad = None
        net.bias.grad = None
    assert abs(net.weight.item() - 4) < 0.3 and abs(net.bias.item() - 2.5) < 0.2
