"""Linear regression twice: by hand with autograd, then with nn.Linear and optim.SGD (seed 003).

The data are noisy points on the line ``y = 2.5 + 4 x + eps`` (the lecture's numbers). First the four steps
of the lecture written out: ``yhat = X @ What``, the mean squared error, ``loss.backward()``, and the update
``What.data -= lr * What.grad; What.grad = None``, starting from the lecture's ``What = [[-5], [10]]``.
Then the same model as ``nn.Linear(1, 1)`` with ``nn.MSELoss`` and ``optim.SGD(net.parameters(), lr=0.1)``.
Both recover the intercept 2.5 and the slope 4 up to the noise.

    python examples/linear_regression.py [--n 100] [--epochs 100] [--lr 0.1] [--seed 43052]
"""

from __future__ import annotations

import argparse

import saessak as torch
from saessak.datasets import make_regression

TRUE_W0, TRUE_W1 = 2.5, 4.0


def by_hand(x, y, epochs: int, lr: float):
    """Gradient descent on ``What = [w0, w1]`` with ``X = [1, x]``; returns ``(What, losses)``."""
    X = torch.cat([torch.ones(len(x), 1), x], dim=1)  # the column of ones carries the intercept w0
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    losses = []
    for _ in range(epochs):
        yhat = X @ What  # step 1: prediction
        loss = torch.mean((y - yhat) ** 2)  # step 2: loss
        loss.backward()  # step 3: derivative
        What.data -= lr * What.grad  # step 4: update the values, outside the graph
        What.grad = None
        losses.append(loss.item())
    return What.detach(), losses


def with_optimizer(x, y, epochs: int, lr: float):
    """The same fit as ``nn.Linear(1, 1)`` + ``MSELoss`` + ``optim.SGD``; returns ``(net, losses)``."""
    net = torch.nn.Linear(1, 1)
    net.weight.data = torch.tensor([[10.0]])
    net.bias.data = torch.tensor([-5.0])
    loss_fn = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = loss_fn(net(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return net, losses


def main(n: int = 100, epochs: int = 100, lr: float = 0.1, noise: float = 0.5, seed: int = 43052) -> dict:
    torch.manual_seed(seed)
    x, y = make_regression(n, w=TRUE_W1, b=TRUE_W0, noise=noise, seed=seed)
    print(f"data: {n} points on y = {TRUE_W0} + {TRUE_W1} x + {noise} * eps")

    What, hand_losses = by_hand(x, y, epochs, lr)
    w0_hand, w1_hand = What.flatten().tolist()
    print(f"by hand:       w0 = {w0_hand:.4f}  w1 = {w1_hand:.4f}  loss {hand_losses[0]:.4f} -> {hand_losses[-1]:.4f}")

    net, net_losses = with_optimizer(x, y, epochs, lr)
    w0_net, w1_net = net.bias.item(), net.weight.item()
    print(f"nn.Linear+SGD: w0 = {w0_net:.4f}  w1 = {w1_net:.4f}  loss {net_losses[0]:.4f} -> {net_losses[-1]:.4f}")
    print(f"true:          w0 = {TRUE_W0:.4f}  w1 = {TRUE_W1:.4f}")
    return {
        "by_hand": (w0_hand, w1_hand),
        "nn_linear": (w0_net, w1_net),
        "by_hand_losses": hand_losses,
        "nn_linear_losses": net_losses,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=43052)
    args = parser.parse_args()
    main(n=args.n, epochs=args.epochs, lr=args.lr, seed=args.seed)
