"""What every labelled dataset here shares: transforms, ``classes``, ``class_to_idx``, ``__len__``, a repr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..utils.data.dataset import Dataset


class LabelledDataset(Dataset):
    """A map-style dataset of ``(sample, target)`` pairs with torchvision's transform hooks.

    Subclasses set ``classes``, ``targets`` and ``split`` and define ``_raw(index) -> (sample, int)``.
    """

    classes: list[str] = []
    split: str = "train"
    root: Any = None

    def __init__(self, transform: Callable | None = None, target_transform: Callable | None = None) -> None:
        for name, value in (("transform", transform), ("target_transform", target_transform)):
            if value is not None and not callable(value):
                raise TypeError(f"{type(self).__name__}: {name} must be callable or None, got {type(value).__name__}")
        self.transform = transform
        self.target_transform = target_transform

    @property
    def class_to_idx(self) -> dict[str, int]:
        """``{class name: label}``."""
        return {name: i for i, name in enumerate(self.classes)}

    def _raw(self, index: int) -> tuple[Any, int]:
        raise NotImplementedError

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        length = len(self)
        index = int(index)
        if not -length <= index < length:
            raise IndexError(f"index {index} is out of range for {type(self).__name__} with {length} samples")
        sample, target = self._raw(index % length)
        if self.transform is not None:
            sample = self.transform(sample)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return sample, target

    def __len__(self) -> int:
        return len(self.targets)

    def __repr__(self) -> str:
        lines = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            lines.append(f"Root location: {self.root}")
        lines.append(f"Split: {self.split.capitalize()}")
        if self.transform is not None:
            lines.append(f"Transform: {self.transform!r}")
        if self.target_transform is not None:
            lines.append(f"Target transform: {self.target_transform!r}")
        body = "\n".join(lines).replace("\n", "\n    ")
        return f"Dataset {type(self).__name__}\n    {body}"
