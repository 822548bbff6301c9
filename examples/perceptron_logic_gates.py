"""Perceptrons learn AND, OR and NAND with the delta rule; XOR needs a hidden layer.

Seed 001 writes the gates by hand (``w = [0.5, 0.5], b = -0.7`` for AND) and then learns the weights with
the delta rule ``w <- w + rho * sum(y_k * x_k)`` over the misclassified samples ``x_k`` (labels ``y`` in
{-1, +1}, ``x`` extended with a constant 1 for the bias ``w0``). This script does that with saessak tensors,
no autograd needed. The same rule never gets XOR right: no line separates (0,1),(1,0) from (0,0),(1,1), so
the best a single perceptron reaches is 3/4 (we also search a grid of weights to show it). A 2-4-1 MLP with
a tanh hidden layer, trained with autograd and ``optim.SGD``, learns XOR to 4/4.

    python examples/perceptron_logic_gates.py [--epochs 2000] [--seed 0]
"""

from __future__ import annotations

import argparse

import saessak as torch
import saessak.nn as nn
from saessak.datasets import logic_gate


def with_bias_input(X):
    """Prepend a column of ones, so ``w[0]`` plays the role of the bias ``w0``."""
    return torch.cat([torch.ones(len(X), 1), X], dim=1)


def perceptron_predict(w, X):
    """The step-function perceptron: +1 where ``w0 + w1 x1 + w2 x2 > 0``, else -1."""
    return torch.where(with_bias_input(X) @ w > 0, 1.0, -1.0)


def delta_rule(X, y, rho: float = 0.1, max_epochs: int = 100):
    """Train a perceptron on labels ``y`` in {0, 1}; returns ``(w, epochs, best_correct)``.

    ``best_correct`` is the most samples any weight vector on the way classified correctly.
    """
    X1 = with_bias_input(X)
    target = y.squeeze(1) * 2 - 1  # {0, 1} -> {-1, +1}, the labels of the delta rule
    w = torch.zeros(3)
    best_correct = 0
    for epoch in range(1, max_epochs + 1):
        wrong = (X1 @ w > 0).float() * 2 - 1 != target
        best_correct = max(best_correct, len(X) - int(wrong.sum().item()))
        if not wrong.any():
            return w, epoch - 1, best_correct
        w = w + rho * (target[wrong].unsqueeze(1) * X1[wrong]).sum(0)
    return w, max_epochs, best_correct


def best_linear_separator_on_grid(X, y, steps: int = 21):
    """The most XOR rows any perceptron with weights on a grid in [-2, 2]^3 gets right."""
    grid = torch.linspace(-2.0, 2.0, steps)
    w0, w1, w2 = torch.meshgrid(grid, grid, grid, indexing="ij")
    W = torch.stack([w0.flatten(), w1.flatten(), w2.flatten()], dim=1)  # (steps**3, 3)
    predicted = (with_bias_input(X) @ W.T > 0).float()  # (4, steps**3)
    correct = (predicted == y).sum(0)
    return int(correct.max().item())


def train_xor_mlp(epochs: int = 2000, lr: float = 0.5, seed: int = 0):
    """A 2-4-1 MLP with tanh hidden units and a sigmoid output, trained on XOR with BCELoss and SGD."""
    torch.manual_seed(seed)
    X, y = logic_gate("xor")
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        probabilities = model(X)
    correct = int(((probabilities > 0.5).float() == y).sum().item())
    return model, probabilities, correct, losses


def main(epochs: int = 2000, seed: int = 0) -> dict:
    results: dict = {"gates": {}}
    for name in ("and", "or", "nand"):
        X, y = logic_gate(name)
        w, epochs_needed, _ = delta_rule(X, y)
        predicted = (perceptron_predict(w, X) > 0).float()
        correct = int((predicted == y.squeeze(1)).sum().item())
        results["gates"][name] = {"weights": w.tolist(), "epochs": epochs_needed, "correct": correct}
        print(f"{name.upper():>4}: w0, w1, w2 = {[round(v, 2) for v in w.tolist()]}  learnt in {epochs_needed} "
              f"epochs  outputs {predicted.int().tolist()}  ({correct}/4 correct)")

    X, y = logic_gate("xor")
    _, _, best_correct = delta_rule(X, y, max_epochs=100)
    grid_best = best_linear_separator_on_grid(X, y)
    results["xor_perceptron_best"] = best_correct
    results["xor_grid_best"] = grid_best
    print(f" XOR: the delta rule never converges; best {best_correct}/4 in 100 epochs, "
          f"best over 9261 weight vectors on a grid {grid_best}/4: no single line separates XOR")

    model, probabilities, correct, losses = train_xor_mlp(epochs=epochs, seed=seed)
    results.update(xor_mlp_correct=correct, xor_mlp_losses=losses, xor_mlp_outputs=probabilities.squeeze(1).tolist())
    print(f" XOR with a hidden layer (2-4-1, tanh): loss {losses[0]:.4f} -> {losses[-1]:.4f}, "
          f"outputs {[round(p, 3) for p in probabilities.squeeze(1).tolist()]}  ({correct}/4 correct)")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(epochs=args.epochs, seed=args.seed)
