"""Train a small network on the spiral dataset with nothing but saessak tensors and autograd.

The data (3 interleaved spirals, 300 points each) is generated here with a fixed seed, so the run needs
no download and gives the same numbers every time. The model is a 2-64-64-3 MLP written by hand:
parameters are leaf tensors, the loss is cross-entropy from log_softmax, and SGD updates them in place
under ``no_grad``, exactly as one would write it with PyTorch.

    python examples/train_tiny.py [--epochs 300] [--lr 0.5] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import time

import saessak as torch


def spiral(points_per_class: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0):
    """``(x, y)``: 2-D points on ``classes`` interleaved spiral arms, and their arm index."""
    g = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for c in range(classes):
        r = torch.linspace(0.0, 1.0, points_per_class)
        theta = torch.linspace(c * 4.0, (c + 1) * 4.0, points_per_class)
        theta = theta + torch.randn(points_per_class, generator=g) * noise
        xs.append(torch.stack([r * theta.sin(), r * theta.cos()], dim=1))
        ys.append(torch.full((points_per_class,), c))
    return torch.cat(xs), torch.cat(ys)


def init_params(sizes, seed: int):
    """He-initialised weights and zero biases, as leaf tensors that require grad."""
    torch.manual_seed(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = torch.randn(fan_in, fan_out) * math.sqrt(2.0 / fan_in)
        params += [w.requires_grad_(), torch.zeros(fan_out, requires_grad=True)]
    return params


def forward(params, x):
    w1, b1, w2, b2, w3, b3 = params
    h = (x @ w1 + b1).relu()
    h = (h @ w2 + b2).relu()
    return h @ w3 + b3


def cross_entropy(logits, y):
    return -logits.log_softmax(dim=1).gather(1, y.unsqueeze(1)).mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    x, y = spiral(seed=args.seed)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(args.seed))
    train, test = order[:720], order[720:]
    params = init_params((2, 64, 64, 3), args.seed)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        loss = cross_entropy(forward(params, x[train]), y[train])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= args.lr * p.grad
                p.grad = None
        if epoch == 1 or epoch % 50 == 0:
            print(f"epoch {epoch:4d}  loss {loss.item():.4f}")
    with torch.no_grad():
        train_acc = (forward(params, x[train]).argmax(1) == y[train]).float().mean().item()
        test_acc = (forward(params, x[test]).argmax(1) == y[test]).float().mean().item()
    print(f"train accuracy {train_acc:.3f}  test accuracy {test_acc:.3f}  ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
