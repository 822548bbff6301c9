"""Training curves: loss and metrics per epoch, drawn with matplotlib (the ``plot`` extra)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _pyplot():
    try:
        import matplotlib

        if not hasattr(matplotlib, "_saessak_backend_chosen"):
            import os

            if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
                matplotlib.use("Agg")  # no screen: draw to files, never try to open a window
            matplotlib._saessak_backend_chosen = True
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("plotting needs matplotlib: pip install 'saessak[plot]' (or pip install matplotlib)") \
            from error
    return plt


def plot_history(history: Any, metrics: Sequence[str] | None = None, filename: str | None = None,
                 title: str | None = None):
    """Draw loss/metric curves per epoch; return the matplotlib Figure (saved to ``filename`` if given).

    ``history`` is a dict of lists (``{'loss': [...], 'val_loss': [...]}``) or anything with a ``.history``
    dict, such as the ``History`` that Keras-style ``fit`` returns. Each metric gets one panel, with its
    ``val_`` twin on the same axes.

    >>> fig = saessak.viz.plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]}, filename="loss.png")
    """
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or not logs:
        raise ValueError("plot_history needs a non-empty dict of lists (or an object with a .history dict)")
    names = list(metrics) if metrics is not None else [k for k in logs if not k.startswith("val_")]
    missing = [n for n in names if n not in logs]
    if missing:
        raise ValueError(f"no values recorded for {missing}; recorded: {sorted(logs)}")
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False)
    for ax, name in zip(axes[0], names):
        values = list(logs[name])
        ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=name)
        if f"val_{name}" in logs:
            val = list(logs[f"val_{name}"])
            ax.plot(range(1, len(val) + 1), val, marker="o", markersize=3, label=f"val_{name}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if filename is not None:
        fig.savefig(filename, dpi=100)
    return fig
