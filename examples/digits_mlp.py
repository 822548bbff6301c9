"""The seed's Fashion-MNIST model (Flatten, Dense 128 relu, Dense 10, Adam), run offline on the 8x8 digits.

Seed 001 ends with a Keras model on Fashion-MNIST: ``Flatten(input_shape=(28, 28))``, ``Dense(128,
'relu')``, ``Dense(10)``, Adam and sparse categorical cross-entropy from logits. Here it is in PyTorch
style: ``nn.Flatten``, ``nn.Linear(64, 128)``, ``nn.ReLU``, ``nn.Linear(128, 10)``, ``optim.Adam`` and
``nn.CrossEntropyLoss`` on the handwritten digits that ship with saessak (1438 training and 359 test
images, so no download is needed). ``--dataset fashion-mnist`` trains the same model on the real
Fashion-MNIST (28x28 images flatten to 784 inputs), downloading it into ``--root`` when it is missing; when
it cannot be downloaded the script stops with the message that says where to put the files.

    python examples/digits_mlp.py [--epochs 50] [--batch-size 32] [--lr 0.001] [--seed 0]
    python examples/digits_mlp.py --dataset fashion-mnist [--root DIR] [--epochs 5]
"""

from __future__ import annotations

import argparse
import time

import saessak as torch
import saessak.nn as nn
from saessak.datasets import Digits, FashionMNIST
from saessak.utils.data import DataLoader, TensorDataset


def load(dataset: str, root: str | None = None):
    """``(train, test, image_size)``: two Datasets of ``(flat float image in [0, 1], label)``."""
    if dataset == "digits":
        return Digits(train=True, flatten=True), Digits(train=False, flatten=True), 8
    if dataset != "fashion-mnist":
        raise SystemExit(f"digits_mlp: unknown --dataset {dataset!r}; choose 'digits' or 'fashion-mnist'")
    try:
        train, test = FashionMNIST(root, train=True, download=True), FashionMNIST(root, train=False, download=True)
    except RuntimeError as error:  # the dataset's own message says which files to put where
        raise SystemExit(f"digits_mlp: Fashion-MNIST is not available.\n{error}") from None
    # the whole uint8 array at once: much faster than 60,000 calls of a per-image transform
    return (TensorDataset(train.data.float() / 255, train.targets),
            TensorDataset(test.data.float() / 255, test.targets), 28)


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
            total += len(labels)
    return correct / total


def main(dataset: str = "digits", epochs: int | None = None, batch_size: int = 32, lr: float = 0.001, seed: int = 0,
         root: str | None = None) -> dict:
    torch.manual_seed(seed)
    epochs = epochs or (50 if dataset == "digits" else 5)  # the seed's Keras model trains 5 epochs on Fashion-MNIST
    train, test, size = load(dataset, root)
    train_loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test, batch_size=256)

    model = nn.Sequential(nn.Flatten(), nn.Linear(size * size, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    print(f"{dataset}: {len(train)} training and {len(test)} test images of {size}x{size}")
    print(model)

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
        if epoch == 1 or epoch % 5 == 0 or epoch == epochs:
            print(f"epoch {epoch:3d}  loss {losses[-1]:.4f}")
    seconds = time.perf_counter() - start

    train_accuracy, test_accuracy = evaluate(model, train_loader), evaluate(model, test_loader)
    print(f"train accuracy {train_accuracy:.4f}  test accuracy {test_accuracy:.4f}  ({seconds:.1f} s)")
    return {"losses": losses, "train_accuracy": train_accuracy, "test_accuracy": test_accuracy, "seconds": seconds}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("digits", "fashion-mnist"), default="digits")
    parser.add_argument("--root", default=None, help="data folder for Fashion-MNIST (default: $SAESSAK_DATA or cache)")
    parser.add_argument("--epochs", type=int, default=None, help="default: 50 on digits, 5 on Fashion-MNIST")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
         root=args.root)
