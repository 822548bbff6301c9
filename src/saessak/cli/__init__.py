"""The ``saessak`` command: ``train``, ``evaluate``, ``predict`` and ``info``.

``saessak train`` trains a classifier on the bundled Digits set by default (no network needed) and writes a
run folder: ``model.safetensors`` (weights), ``config.json`` (everything needed to rebuild the model and its
input scaling), ``history.json`` and ``curves.png`` (loss and accuracy per epoch), ``metrics.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence

import numpy as np

__all__ = ["main"]

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr (and exit status 2)."""

    def error(self, message: str):  # noqa: D401 - argparse's hook
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _hidden(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated layer sizes like 128,64, got '{text}'") from None
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be positive integers, got '{text}'")
    return sizes


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {kind.__name__}, got '{text}'") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="saessak", description="Train, evaluate and use small neural networks with saessak.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    train = commands.add_parser("train", help="train a classifier and write a run folder",
                                description="Train a classifier (Digits by default; no network needed) and write "
                                            "weights, config, curves and metrics into a run folder.")
    train.add_argument("--dataset", default="digits",
                       help="digits (default), iris, mnist, fashion-mnist, or PATH.csv with a header row")
    train.add_argument("--target", help="the label column of a CSV dataset (default: the last column)")
    train.add_argument("--model", default="mlp", choices=("mlp", "cnn", "logistic"), help="model family (mlp)")
    train.add_argument("--hidden", type=_hidden, help="hidden layer sizes, e.g. 128 or 256,128 (mlp: 128; "
                                                      "cnn: conv channels, 16,32)")
    train.add_argument("--epochs", type=_positive(int), default=20, help="passes over the training set (20)")
    train.add_argument("--batch-size", type=_positive(int), default=32, help="samples per step (32)")
    train.add_argument("--optimizer", default="adam", choices=OPTIMIZERS, help="optimizer (adam)")
    train.add_argument("--lr", type=_positive(float), help="learning rate (adam/adamw/rmsprop 1e-3, sgd 0.1, "
                                                           "adagrad 0.01)")
    train.add_argument("--seed", type=int, default=0, help="random seed for initialisation, shuffling, splits (0)")
    train.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    train.add_argument("--out", help="run folder (default: runs/<dataset>-<model>-<time>)")
    train.add_argument("--data-root", help="where downloaded datasets are cached (default: ~/.cache/saessak)")
    train.add_argument("--quiet", action="store_true", help="no progress bars, only the summary lines")

    evaluate = commands.add_parser("evaluate", help="accuracy of a trained run on its test split",
                                   description="Rebuild a run's model, load its weights and report test accuracy.")
    evaluate.add_argument("run_dir", help="a folder written by saessak train")

    predict = commands.add_parser("predict", help="predict classes for the rows of a CSV file",
                                  description="Predict a class for every row of INPUT.csv (a header row, then "
                                              "the same feature columns the model was trained on). Prints CSV.")
    predict.add_argument("run_dir", help="a folder written by saessak train")
    predict.add_argument("input", help="CSV file of feature rows")
    predict.add_argument("--output", help="write the predictions here instead of standard output")

    commands.add_parser("info", help="versions, devices and the BLAS saessak uses",
                        description="Print saessak's, Python's and NumPy's versions, devices and BLAS.")
    return parser


# ---------------------------------------------------------------- train
def _optimizer(name: str, params, lr: float | None):
    from .. import optim

    default = {"sgd": 0.1, "adagrad": 0.01}.get(name, 1e-3)
    lr = default if lr is None else lr
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=0.9), lr
    kinds = {"adam": optim.Adam, "adamw": optim.AdamW, "rmsprop": optim.RMSprop, "adagrad": optim.Adagrad}
    return kinds[name](params, lr=lr), lr


def _accuracy_and_loss(model, x: np.ndarray, y: np.ndarray, device, batch: int = 512) -> tuple[float, float]:
    import saessak
    from saessak.nn import functional as F

    model.eval()
    correct, total_loss = 0, 0.0
    with saessak.no_grad():
        for start in range(0, len(x), batch):
            inputs = saessak.tensor(x[start:start + batch], device=device)
            labels = saessak.tensor(y[start:start + batch], device=device)
            logits = model(inputs)
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += int((logits.argmax(1) == labels).sum().item())
    return correct / max(len(x), 1), total_loss / max(len(x), 1)


def _train(args) -> int:
    import saessak
    from saessak.nn import functional as F
    from saessak.utils.data import DataLoader, TensorDataset

    from . import data, models

    device = saessak.device(args.device)
    if device.type == "cuda" and not saessak.cuda.is_available():
        print("saessak train: error: --device cuda, but no CUDA device (or CuPy) is available", file=sys.stderr)
        return 2
    saessak.manual_seed(args.seed)
    splits = data.load(args.dataset, target=args.target, root=args.data_root, seed=args.seed)
    hidden = args.hidden or ([16, 32] if args.model == "cnn" else [128])
    model = models.build(args.model, splits.n_features, len(splits.classes), hidden, splits.image_shape).to(device)
    optimizer, lr = _optimizer(args.optimizer, model.parameters(), args.lr)
    generator = saessak.Generator().manual_seed(args.seed)
    loader = DataLoader(TensorDataset(saessak.tensor(splits.x_train), saessak.tensor(splits.y_train)),
                        batch_size=args.batch_size, shuffle=True, generator=generator)
    out = args.out or os.path.join("runs", f"{splits.name.replace('.csv', '')}-{args.model}-"
                                           f"{time.strftime('%Y%m%d-%H%M%S')}")
    os.makedirs(out, exist_ok=True)
    config = {"dataset": args.dataset, "target": args.target, "model": args.model, "hidden": hidden,
              "n_features": splits.n_features, "classes": splits.classes, "image_shape": splits.image_shape,
              "feature_names": splits.feature_names, "mean": splits.mean, "std": splits.std,
              "epochs": args.epochs, "batch_size": args.batch_size, "optimizer": args.optimizer, "lr": lr,
              "seed": args.seed, "data_root": args.data_root, "saessak": saessak.__version__}
    print(f"Training {args.model} on {splits.name}: {len(splits.x_train)} train / {len(splits.x_val)} validation / "
          f"{len(splits.x_test)} test samples, {len(splits.classes)} classes, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")
    history: dict[str, list[float]] = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    from tqdm.auto import tqdm

    for epoch in range(1, args.epochs + 1):
        model.train()
        seen, total, correct = 0, 0.0, 0
        bar = tqdm(loader, desc=f"Epoch {epoch}/{args.epochs}", unit="batch", leave=True,
                   disable=args.quiet or None, file=sys.stdout, dynamic_ncols=True)
        for inputs, labels in bar:
            inputs, labels = inputs.to(device), labels.to(device)
            logits = model(inputs)
            loss = F.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(labels)
            total += loss.item() * len(labels)
            correct += int((logits.argmax(1) == labels).sum().item())
            bar.set_postfix(loss=f"{total / seen:.4f}", accuracy=f"{correct / seen:.4f}", refresh=False)
        val_accuracy, val_loss = _accuracy_and_loss(model, splits.x_val, splits.y_val, device)
        history["loss"].append(total / seen)
        history["accuracy"].append(correct / seen)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        print(f"epoch {epoch}/{args.epochs} - loss: {total / seen:.4f} - accuracy: {correct / seen:.4f} - "
              f"val_loss: {val_loss:.4f} - val_accuracy: {val_accuracy:.4f}")
    test_accuracy, test_loss = _accuracy_and_loss(model, splits.x_test, splits.y_test, device)
    print(f"test accuracy: {test_accuracy:.4f} (loss {test_loss:.4f}) on {len(splits.x_test)} samples")

    saessak.save(model.state_dict(), os.path.join(out, "model.safetensors"))
    _write_json(os.path.join(out, "config.json"), config)
    _write_json(os.path.join(out, "history.json"), history)
    _write_json(os.path.join(out, "metrics.json"), {"test_accuracy": test_accuracy, "test_loss": test_loss,
                                                    "val_accuracy": history["val_accuracy"][-1]})
    try:
        from ..viz import plot_history

        plot_history(history, filename=os.path.join(out, "curves.png"),
                     title=f"{args.model} on {splits.name}")
    except ImportError as error:
        print(f"(no curves.png: {error})")
    print(f"run saved to {out}")
    return 0


def _write_json(path: str, value) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------- evaluate / predict
def _load_run(run_dir: str):
    import saessak

    from . import models

    config_path = os.path.join(run_dir, "config.json")
    if not os.path.isfile(config_path):
        raise FileNotFoundError(f"{run_dir} is not a run folder (no config.json); make one with saessak train")
    with open(config_path) as f:
        config = json.load(f)
    image_shape = tuple(config["image_shape"]) if config.get("image_shape") else None
    model = models.build(config["model"], config["n_features"], len(config["classes"]), config["hidden"],
                         image_shape)
    model.load_state_dict(saessak.load(os.path.join(run_dir, "model.safetensors")))
    model.eval()
    return model, config


def _evaluate(args) -> int:
    from . import data

    model, config = _load_run(args.run_dir)
    splits = data.load(config["dataset"], target=config.get("target"), root=config.get("data_root"),
                       seed=config["seed"])
    accuracy, loss = _accuracy_and_loss(model, splits.x_test, splits.y_test, "cpu")
    print(f"test accuracy: {accuracy:.4f} (loss {loss:.4f}) on {len(splits.x_test)} samples of {splits.name}")
    return 0


def _predict(args) -> int:
    import saessak

    from . import data

    model, config = _load_run(args.run_dir)
    x, names, _, header = data.read_csv(args.input, None)
    expected = config["n_features"]
    if x.shape[1] != expected:
        raise data.DataError(f"{args.input}: the model expects {expected} feature columns, got {x.shape[1]}")
    if config.get("mean"):
        x = ((x - np.asarray(config["mean"])) / np.asarray(config["std"])).astype(np.float32)
    with saessak.no_grad():
        probabilities = model(saessak.tensor(x)).softmax(1).numpy()
    classes = config["classes"]
    lines = ["row,prediction,probability"]
    lines += [f"{i},{classes[int(p.argmax())]},{p.max():.4f}" for i, p in enumerate(probabilities)]
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _info(args) -> int:
    import saessak

    print(f"saessak {saessak.__version__}")
    print(f"Python {platform.python_version()} ({platform.platform()})")
    print(f"NumPy {np.__version__}")
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        blas_info = config.get("Build Dependencies", {}).get("blas", {})
        blas = f"{blas_info.get('name', '?')} {blas_info.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older NumPy has no dict mode; the line is informational
        pass
    print(f"BLAS: {blas}")
    print(f"CPU cores: {os.cpu_count()}")
    if saessak.cuda.is_available():
        print(f"CUDA: available, {saessak.cuda.device_count()} device(s)")
    else:
        print("CUDA: not available (install CuPy and use a machine with an NVIDIA GPU: pip install 'saessak[cuda]')")
    for name in ("safetensors", "tqdm", "matplotlib", "graphviz"):
        try:
            module = __import__(name)
            print(f"{name} {getattr(module, '__version__', '?')}")
        except ImportError:
            print(f"{name}: not installed")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``saessak`` command; returns the exit status."""
    from . import data

    args = _parser().parse_args(argv)
    handlers = {"train": _train, "evaluate": _evaluate, "predict": _predict, "info": _info}
    try:
        return handlers[args.command](args)
    except (data.DataError, FileNotFoundError, ValueError) as error:
        print(f"saessak {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
