"""A small convolutional network on the 8x8 handwritten digits that ship with saessak.

Each image is a (1, 8, 8) tensor in [0, 1]. Two 3x3 convolutions with padding 1 keep the size; one 2x2
max-pool in between halves it, so the classifier sees 32 channels of 4x4 = 512 features:

    Conv2d(1, 16, 3, padding=1) -> ReLU -> MaxPool2d(2) -> Conv2d(16, 32, 3, padding=1) -> ReLU
    -> Flatten -> Linear(512, 10)

trained with Adam and cross-entropy on the fixed 1438/359 split of ``saessak.datasets.Digits``.

    python examples/digits_cnn.py [--epochs 15] [--batch-size 32] [--lr 0.002] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import saessak as torch
import saessak.nn as nn
from saessak.datasets import Digits
from saessak.utils.data import DataLoader


class DigitsCNN(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),  # (16, 8, 8)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (16, 4, 4)
            nn.Conv2d(16, 32, kernel_size=3, padding=1),  # (32, 4, 4)
            nn.ReLU(),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def accuracy(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
            total += len(labels)
    return correct / total


def main(epochs: int = 15, batch_size: int = 32, lr: float = 0.002, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    train_loader = DataLoader(Digits(train=True), batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(Digits(train=False), batch_size=256)
    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters())} parameters")

    losses, start = [], time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        running, batches = 0.0, 0
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            running, batches = running + loss.item(), batches + 1
        losses.append(running / batches)
        print(f"epoch {epoch:3d}  loss {losses[-1]:.4f}")
    seconds = time.perf_counter() - start

    test_accuracy = accuracy(model, test_loader)
    print(f"test accuracy {test_accuracy:.4f} on {len(test_loader.dataset)} images ({seconds:.1f} s)")
    return {"losses": losses, "test_accuracy": test_accuracy, "seconds": seconds}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.002)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed)
