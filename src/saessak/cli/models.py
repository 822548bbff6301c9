"""The models the ``saessak`` command trains, rebuilt from a run's config when evaluating or predicting."""

from __future__ import annotations

from .. import nn


class _AsImage(nn.Module):
    """Flat feature rows seen as images: (N, C*H*W) -> (N, C, H, W)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


def build(kind: str, n_features: int, n_classes: int, hidden: list[int], image_shape=None) -> nn.Module:
    """``mlp`` (ReLU hidden layers), ``cnn`` (two conv blocks, images only) or ``logistic`` (one linear layer)."""
    if kind == "logistic":
        return nn.Sequential(nn.Linear(n_features, n_classes))
    if kind == "mlp":
        layers, width = [], n_features
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        return nn.Sequential(*layers, nn.Linear(width, n_classes))
    if kind == "cnn":
        if image_shape is None:
            raise ValueError("--model cnn needs an image dataset (digits, mnist, fashion-mnist)")
        channels, height, width = image_shape
        first, second = hidden[:2] if len(hidden) >= 2 else (16, 32)
        pooled = (height // 4) * (width // 4) if height >= 16 else (height // 2) * (width // 2)
        blocks = [nn.Conv2d(channels, first, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(first, second, 3, padding=1), nn.ReLU()]
        if height >= 16:
            blocks.append(nn.MaxPool2d(2))
        return nn.Sequential(_AsImage(image_shape), *blocks, nn.Flatten(), nn.Linear(second * pooled, n_classes))
    raise ValueError(f"unknown model '{kind}': choose mlp, cnn or logistic")
