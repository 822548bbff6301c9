"""Image transforms with torchvision's names and behaviour, for the samples of ``saessak.datasets``.

Two kinds of image flow through a pipeline, as in torchvision (where the first kind is a PIL image):

* a raw image: a NumPy array (H, W) or (H, W, C), usually uint8, as ``MNIST`` and ``CIFAR10`` return;
* a tensor image: a saessak tensor (..., C, H, W), as ``ToTensor`` returns.

The geometric transforms (crops, flips, ``Resize``) take either and return the same kind, so
``Compose([RandomCrop(32, padding=4), RandomHorizontalFlip(), ToTensor(), Normalize(mean, std)])`` works
as written for torchvision. ``Normalize`` and ``ConvertImageDtype`` need tensor images. Random
transforms draw from saessak's default generator: ``saessak.manual_seed`` makes them repeat.
"""

from __future__ import annotations

import enum
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import dtypes
from .._tensor import Tensor
from ..creation import from_numpy, tensor
from ..random import rand, randint

__all__ = [
    "Compose", "ToTensor", "Normalize", "Lambda", "RandomCrop", "RandomHorizontalFlip", "RandomVerticalFlip",
    "CenterCrop", "Resize", "ConvertImageDtype", "InterpolationMode",
]

Image = Any  # a NumPy array (H, W[, C]) or a Tensor (..., C, H, W)


# ---------------------------------------------------------------- helpers shared by the geometric transforms
def _check_image(image: Image, transform: str) -> None:
    if isinstance(image, np.ndarray):
        if image.ndim not in (2, 3):
            raise ValueError(f"{transform} expects a NumPy image of shape (H, W) or (H, W, C), got {image.shape}")
    elif isinstance(image, Tensor):
        if image.ndim < 2:
            raise ValueError(f"{transform} expects a tensor image of shape (..., H, W), got {tuple(image.shape)}")
    else:
        raise TypeError(f"{transform} expects a NumPy array or a saessak Tensor image, got {type(image).__name__}")


def _size_of(image: Image) -> tuple[int, int]:
    """(height, width)."""
    shape = tuple(image.shape)
    return (shape[0], shape[1]) if isinstance(image, np.ndarray) else (shape[-2], shape[-1])


def _pair(size: int | Sequence[int], name: str) -> tuple[int, int]:
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        pair = (int(size), int(size))
    elif isinstance(size, Sequence) and len(size) in (1, 2) and all(isinstance(s, numbers.Integral) for s in size):
        pair = (int(size[0]), int(size[-1]))
    else:
        raise TypeError(f"{name}: size must be an int or a sequence (height, width) of ints, got {size!r}")
    if min(pair) <= 0:
        raise ValueError(f"{name}: size must be positive, got {size!r}")
    return pair


def _crop(image: Image, top: int, left: int, height: int, width: int) -> Image:
    if isinstance(image, np.ndarray):
        return image[top: top + height, left: left + width].copy()
    return image[..., top: top + height, left: left + width]


_NUMPY_PAD_MODES = {"constant": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}


def _pad(image: Image, left: int, top: int, right: int, bottom: int, fill: float, mode: str) -> Image:
    if isinstance(image, np.ndarray):
        widths = [(top, bottom), (left, right)] + [(0, 0)] * (image.ndim - 2)
        array = image
    else:
        widths = [(0, 0)] * (image.ndim - 2) + [(top, bottom), (left, right)]
        array = image.detach().cpu().numpy()
    options = {"constant_values": fill} if mode == "constant" else {}
    padded = np.pad(array, widths, mode=_NUMPY_PAD_MODES[mode], **options)
    if isinstance(image, np.ndarray):
        return padded
    out = from_numpy(np.ascontiguousarray(padded))
    return out if image.device == out.device else out.to(image.device)


def _padding_sides(padding: int | Sequence[int]) -> tuple[int, int, int, int]:
    """torchvision's convention: int (all sides), (left/right, top/bottom) or (left, top, right, bottom)."""
    if isinstance(padding, numbers.Integral):
        sides = (int(padding),) * 4
    elif isinstance(padding, Sequence) and len(padding) in (1, 2, 4):
        values = [int(p) for p in padding]
        sides = {1: values * 4, 2: values * 2, 4: values}[len(values)]
        sides = tuple(sides)
    else:
        raise TypeError(f"padding must be an int or a sequence of 1, 2 or 4 ints, got {padding!r}")
    if min(sides) < 0:
        raise ValueError(f"padding must be non-negative, got {padding!r}")
    return sides


# ---------------------------------------------------------------- composition
class Compose:
    """Apply ``transforms`` one after another.

    >>> t = Compose([ToTensor(), Normalize((0.5,), (0.5,))])
    >>> print(t)
    Compose(
        ToTensor()
        Normalize(mean=(0.5,), std=(0.5,))
    )
    """

    def __init__(self, transforms: Sequence[Callable]) -> None:
        for t in transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {type(t).__name__}: {t!r}")
        self.transforms = list(transforms)

    def __call__(self, image: Any) -> Any:
        for t in self.transforms:
            image = t(image)
        return image

    def __repr__(self) -> str:
        body = "".join("\n    " + repr(t).replace("\n", "\n    ") for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


class Lambda:
    """Wrap any function of one argument as a transform.

    >>> Lambda(lambda x: x * 2)(3)
    6
    """

    def __init__(self, lambd: Callable) -> None:
        if not callable(lambd):
            raise TypeError(f"Lambda: the argument must be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, image: Any) -> Any:
        return self.lambd(image)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# ---------------------------------------------------------------- conversion and normalisation
class ToTensor:
    """A raw image (NumPy (H, W) or (H, W, C)) to a tensor image (C, H, W); uint8 values scaled to [0, 1].

    uint8 arrays become float32 divided by 255; other dtypes keep their values and dtype (as torchvision
    does). Anything with ``__array_interface__`` (a PIL image) is read as an array first. A uint8 tensor
    is read like the array it holds (H, W[, C]); a floating-point tensor is returned unchanged, so a
    ``ToTensor`` after a dataset that already yields tensors (``Digits``) does no harm.

    >>> import numpy as np
    >>> x = ToTensor()(np.full((28, 28), 255, dtype=np.uint8))
    >>> x.shape, x.dtype, float(x.max())
    (torch.Size([1, 28, 28]), torch.float32, 1.0)
    """

    def __call__(self, pic: Any) -> Tensor:
        if isinstance(pic, Tensor):
            if pic.is_floating_point():
                return pic
            if pic.dtype is not dtypes.uint8:
                raise TypeError(f"ToTensor: a tensor input must be uint8 or floating point, got {pic.dtype}")
            pic = pic.detach().cpu().numpy()
        elif not isinstance(pic, np.ndarray) and hasattr(pic, "__array_interface__"):
            pic = np.asarray(pic)
        if not isinstance(pic, np.ndarray):
            raise TypeError(f"ToTensor: expected a NumPy array (H, W[, C]) or a tensor, got {type(pic).__name__}")
        if pic.ndim == 2:
            pic = pic[:, :, None]
        if pic.ndim != 3:
            raise ValueError(f"ToTensor: expected an image of shape (H, W) or (H, W, C), got {pic.shape}")
        chw = np.ascontiguousarray(pic.transpose(2, 0, 1))
        if chw.dtype == np.uint8:
            chw = chw.astype(np.float32) / np.float32(255)
        return from_numpy(chw)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Normalize:
    """Standardise each channel of a float tensor image (..., C, H, W): ``(x - mean[c]) / std[c]``.

    ``mean`` and ``std`` are sequences with one number per channel (or one for all). ``inplace=True``
    overwrites the input.

    >>> x = ToTensor()(np.full((2, 2, 3), 255, dtype=np.uint8))
    >>> Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))(x)[:, 0, 0].tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, image: Tensor) -> Tensor:
        if not isinstance(image, Tensor):
            raise TypeError(f"Normalize: expected a tensor image (..., C, H, W), got {type(image).__name__}; "
                            "put ToTensor() before Normalize")
        if not image.is_floating_point():
            raise TypeError(f"Normalize: expected a floating-point tensor image, got {image.dtype}")
        if image.ndim < 3:
            raise ValueError(f"Normalize: expected a tensor image of shape (..., C, H, W), got {tuple(image.shape)}")
        mean = tensor(self.mean, dtype=image.dtype, device=image.device).reshape(-1, 1, 1)
        std = tensor(self.std, dtype=image.dtype, device=image.device).reshape(-1, 1, 1)
        if bool((std == 0).any()):
            raise ValueError(f"Normalize: std {self.std} has a zero, which would divide by zero")
        channels = image.shape[-3]
        for name, values in (("mean", mean), ("std", std)):
            if values.shape[0] not in (1, channels):
                raise ValueError(
                    f"Normalize: {name} has {values.shape[0]} values for an image with {channels} channels"
                )
        if self.inplace:
            return image.sub_(mean).div_(std)
        return (image - mean) / std

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class ConvertImageDtype:
    """Convert a tensor image to ``dtype``, rescaling between integer [0, 255] and float [0, 1] ranges.

    >>> import saessak
    >>> ConvertImageDtype(saessak.float32)(saessak.tensor([[[255]]], dtype=saessak.uint8)).tolist()
    [[[1.0]]]
    """

    def __init__(self, dtype: dtypes.dtype) -> None:
        self.dtype = dtype

    def __call__(self, image: Tensor) -> Tensor:
        if not isinstance(image, Tensor):
            raise TypeError(f"ConvertImageDtype: expected a tensor image, got {type(image).__name__}")
        source_float, target_float = image.is_floating_point(), self.dtype.is_floating_point
        if source_float == target_float:
            return image.to(self.dtype)
        if target_float:  # integer image to [0, 1]
            return image.to(self.dtype) / 255.0
        return (image * 255.0).round().clamp(0, 255).to(self.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dtype={self.dtype})"


# ---------------------------------------------------------------- crops and flips
class CenterCrop:
    """Cut the central ``size`` (int or (height, width)) out of the image, padding with 0 if it is smaller.

    >>> CenterCrop(2)(np.arange(16).reshape(4, 4)).tolist()
    [[5, 6], [9, 10]]
    """

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = _pair(size, "CenterCrop")

    def __call__(self, image: Image) -> Image:
        _check_image(image, "CenterCrop")
        height, width = _size_of(image)
        target_height, target_width = self.size
        if target_height > height or target_width > width:
            pad_height, pad_width = max(target_height - height, 0), max(target_width - width, 0)
            image = _pad(image, pad_width // 2, pad_height // 2, (pad_width + 1) // 2, (pad_height + 1) // 2,
                         0, "constant")
            height, width = _size_of(image)
        top = int(round((height - target_height) / 2.0))
        left = int(round((width - target_width) / 2.0))
        return _crop(image, top, left, target_height, target_width)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size})"


class RandomCrop:
    """Cut a ``size`` window at a random place, after optional ``padding`` (the CIFAR augmentation).

    ``padding``: int, (left/right, top/bottom) or (left, top, right, bottom); ``pad_if_needed`` pads an
    image smaller than ``size``; ``fill`` is the constant for ``padding_mode="constant"`` (others:
    ``"edge"``, ``"reflect"``, ``"symmetric"``).

    >>> import saessak
    >>> _ = saessak.manual_seed(0)
    >>> RandomCrop(32, padding=4)(np.zeros((32, 32, 3), dtype=np.uint8)).shape
    (32, 32, 3)
    """

    def __init__(self, size: int | Sequence[int], padding: int | Sequence[int] | None = None,
                 pad_if_needed: bool = False, fill: float = 0, padding_mode: str = "constant") -> None:
        self.size = _pair(size, "RandomCrop")
        self.padding = padding
        self._sides = _padding_sides(padding) if padding is not None else None
        if padding_mode not in _NUMPY_PAD_MODES:
            modes = ", ".join(_NUMPY_PAD_MODES)
            raise ValueError(f"RandomCrop: padding_mode must be one of {modes}, got {padding_mode!r}")
        if not isinstance(fill, numbers.Number):
            raise TypeError(f"RandomCrop: fill must be a number, got {fill!r}")
        self.pad_if_needed, self.fill, self.padding_mode = pad_if_needed, fill, padding_mode

    def __call__(self, image: Image) -> Image:
        _check_image(image, "RandomCrop")
        if self._sides is not None:
            image = _pad(image, *self._sides, self.fill, self.padding_mode)
        height, width = _size_of(image)
        target_height, target_width = self.size
        if self.pad_if_needed and (height < target_height or width < target_width):
            extra_height, extra_width = max(target_height - height, 0), max(target_width - width, 0)
            image = _pad(image, extra_width, extra_height, extra_width, extra_height, self.fill, self.padding_mode)
            height, width = _size_of(image)
        if height < target_height or width < target_width:
            raise ValueError(f"RandomCrop: crop size {self.size} is larger than the image size {(height, width)}; "
                             "pass padding= or pad_if_needed=True")
        top = int(randint(0, height - target_height + 1, size=(1,)).item())
        left = int(randint(0, width - target_width + 1, size=(1,)).item())
        return _crop(image, top, left, target_height, target_width)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror the image left-right with probability ``p``.

    >>> RandomHorizontalFlip(p=1.0)(np.array([[1, 2, 3]])).tolist()
    [[3, 2, 1]]
    """

    def __init__(self, p: float = 0.5) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{type(self).__name__}: p must be a probability in [0, 1], got {p!r}")
        self.p = p

    def _flip(self, image: Image) -> Image:
        return image[:, ::-1].copy() if isinstance(image, np.ndarray) else image.flip(-1)

    def __call__(self, image: Image) -> Image:
        _check_image(image, type(self).__name__)
        return self._flip(image) if rand(1).item() < self.p else image

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Flip the image upside down with probability ``p``.

    >>> RandomVerticalFlip(p=1.0)(np.array([[1], [2]])).tolist()
    [[2], [1]]
    """

    def _flip(self, image: Image) -> Image:
        return image[::-1].copy() if isinstance(image, np.ndarray) else image.flip(-2)


# ---------------------------------------------------------------- resizing
class InterpolationMode(str, enum.Enum):
    """How ``Resize`` computes new pixels."""

    NEAREST = "nearest"
    BILINEAR = "bilinear"


class Resize:
    """Resize to ``size``: (height, width), or an int to which the shorter side is scaled (keeping the aspect).

    ``interpolation``: ``"bilinear"`` (default) or ``"nearest"`` (strings or :class:`InterpolationMode`).
    Integer images are rounded back to their dtype.

    >>> import saessak
    >>> Resize((4, 6))(saessak.zeros(3, 2, 3)).shape
    torch.Size([3, 4, 6])
    """

    def __init__(self, size: int | Sequence[int], interpolation: str | InterpolationMode = "bilinear") -> None:
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            if size <= 0:
                raise ValueError(f"Resize: size must be positive, got {size!r}")
            self.size: int | tuple[int, int] = int(size)
        else:
            self.size = _pair(size, "Resize")
        try:
            self.interpolation = InterpolationMode(interpolation)
        except ValueError:
            raise ValueError(f"Resize: interpolation must be 'bilinear' or 'nearest', got {interpolation!r}") from None

    def _target(self, height: int, width: int) -> tuple[int, int]:
        if isinstance(self.size, tuple):
            return self.size
        if height <= width:
            return self.size, int(self.size * width / height)
        return int(self.size * height / width), self.size

    def __call__(self, image: Image) -> Image:
        from ..nn.functional import interpolate  # nn sits beside datasets' users; import on first use

        _check_image(image, "Resize")
        height, width = _size_of(image)
        target = self._target(height, width)
        if isinstance(image, np.ndarray):
            planes = image[:, :, None] if image.ndim == 2 else image
            batch = from_numpy(np.ascontiguousarray(planes.transpose(2, 0, 1), dtype=np.float32)).unsqueeze(0)
        else:
            batch = image.reshape(-1, 1, height, width)
            batch = batch if batch.is_floating_point() else batch.to(dtypes.float32)
        mode = self.interpolation.value
        resized = interpolate(batch, size=target, mode=mode, align_corners=False if mode == "bilinear" else None)
        if isinstance(image, np.ndarray):
            out = resized[0].numpy().transpose(1, 2, 0)
            out = out[:, :, 0] if image.ndim == 2 else out
            if np.issubdtype(image.dtype, np.integer):
                limits = np.iinfo(image.dtype)
                out = np.clip(np.round(out), limits.min, limits.max)
            return np.ascontiguousarray(out.astype(image.dtype))
        out = resized.reshape(*image.shape[:-2], *target)
        if not image.is_floating_point():
            out = out.round().to(image.dtype)
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, interpolation={self.interpolation.value})"
