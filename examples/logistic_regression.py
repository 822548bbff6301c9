"""Logistic regression on coin flips whose odds follow ``sigmoid(-1 + 5 x)`` (seed 003).

The lecture draws ``y_i ~ Bernoulli(pi_i)`` with ``pi_i = sigmoid(w0 + w1 x_i)``, ``w0 = -1``, ``w1 = 5``
and fits ``yhat = sigmoid(l1(x))`` with ``l1 = nn.Linear(1, 1)``. Here the loss is the one the lecture says
to memorise, the binary cross-entropy ``-mean(y log yhat + (1 - y) log(1 - yhat))``: once as
``nn.Sigmoid`` + ``nn.BCELoss``, once as ``nn.BCEWithLogitsLoss`` on the logits (the same loss, computed
without forming ``log(sigmoid)``). With a few thousand flips both recover ``w0`` and ``w1``.

    python examples/logistic_regression.py [--n 4000] [--epochs 500] [--lr 0.1] [--seed 0]
"""

from __future__ import annotations

import argparse

import saessak as torch
from saessak.datasets import make_logistic

TRUE_W0, TRUE_W1 = -1.0, 5.0


def fit(x, y, *, with_logits: bool, epochs: int, lr: float, seed: int):
    """Fit ``sigmoid(w0 + w1 x)`` by minimising binary cross-entropy with Adam; returns ``(l1, losses)``."""
    torch.manual_seed(seed)
    l1 = torch.nn.Linear(1, 1)
    if with_logits:
        model, loss_fn = l1, torch.nn.BCEWithLogitsLoss()
    else:
        model, loss_fn = torch.nn.Sequential(l1, torch.nn.Sigmoid()), torch.nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return l1, losses


def main(n: int = 4000, epochs: int = 500, lr: float = 0.1, seed: int = 0) -> dict:
    x, y = make_logistic(n, w0=TRUE_W0, w1=TRUE_W1, seed=seed)
    print(f"data: {n} flips with P(y=1|x) = sigmoid({TRUE_W0} + {TRUE_W1} x), {int(y.sum().item())} ones")
    results: dict = {}
    for name, with_logits in (("sigmoid_bce", False), ("bce_with_logits", True)):
        l1, losses = fit(x, y, with_logits=with_logits, epochs=epochs, lr=lr, seed=seed)
        w0, w1 = l1.bias.item(), l1.weight.item()
        results[name] = (w0, w1)
        results[name + "_losses"] = losses
        label = "Sigmoid + BCELoss " if not with_logits else "BCEWithLogitsLoss "
        print(f"{label}: w0 = {w0:.3f}  w1 = {w1:.3f}  loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    with torch.no_grad():
        accuracy = ((l1(x) > 0).float() == y).float().mean().item()  # predict 1 where sigmoid(w0 + w1 x) > 0.5
    results["train_accuracy"] = accuracy
    print(f"true              : w0 = {TRUE_W0:.3f}  w1 = {TRUE_W1:.3f}   (training accuracy {accuracy:.3f})")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(n=args.n, epochs=args.epochs, lr=args.lr, seed=args.seed)
