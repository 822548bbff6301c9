"""MNIST, Fashion-MNIST and CIFAR-10 with torchvision's interface, downloaded once and cached.

A sample is ``(image, label)``. Without a transform the image is what torchvision's PIL image would be
as an array: a uint8 NumPy array, (28, 28) for the MNISTs and (32, 32, 3) (height, width, RGB) for
CIFAR-10. ``transforms.ToTensor()`` turns it into a float32 (C, H, W) tensor in [0, 1], so torchvision
code (``transform=transforms.Compose([transforms.ToTensor(), ...])``) runs unchanged.

Files live in ``root`` (default: ``$SAESSAK_DATA`` or ``~/.cache/saessak/datasets``) in torchvision's
layout, so a folder torchvision already filled works as is:

* ``<root>/MNIST/raw/`` and ``<root>/FashionMNIST/raw/``: the four ``*-idx?-ubyte.gz`` files (or the
  same files un-gzipped);
* ``<root>/cifar-10-batches-bin/``: ``data_batch_1.bin`` .. ``data_batch_5.bin`` and ``test_batch.bin``,
  extracted from ``<root>/cifar-10-binary.tar.gz``.

Downloads are checked against the published SHA-256 and MD5 digests (``MNIST.resources``,
``CIFAR10.archive``); files placed by hand are used without a network and checked only for their
structure. To expect other digests or mirrors, replace them, for example
``MNIST.resources = tuple(dataclasses.replace(r, sha256=None) for r in MNIST.resources)``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..creation import from_numpy
from ._base import LabelledDataset
from .download import Resource, data_home, download_resource
from .formats import extract_members, read_cifar_batch, read_idx

__all__ = ["MNIST", "FashionMNIST", "CIFAR10"]


def _mirrored(filename: str, mirrors: tuple[str, ...], sha256: str, md5: str) -> Resource:
    return Resource(filename, tuple(mirror + filename for mirror in mirrors), sha256=sha256, md5=md5)


def _fetch_missing(dataset: str, folder: Path, resources: tuple[Resource, ...], alternatives: str = "") -> None:
    """Download each resource not yet in ``folder``; on failure explain how to place the files by hand."""
    for resource in resources:
        if (folder / resource.filename).is_file():
            continue
        print(f"Downloading {resource.filename} for {dataset} into {folder}", file=sys.stderr)
        try:
            download_resource(resource, folder)
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n\n{_placement_help(dataset, folder, resources, alternatives)}") from None


def _placement_help(dataset: str, folder: Path, resources: tuple[Resource, ...], alternatives: str = "") -> str:
    lines = [f"{dataset} needs these files; download them and place each at the path shown:"]
    for resource in resources:
        lines.append(f"  {folder / resource.filename}")
        lines.append(f"      from {resource.urls[0]}")
    if alternatives:
        lines.append(alternatives)
    lines.append("(pass root= or set SAESSAK_DATA to use another folder)")
    return "\n".join(lines)


# ---------------------------------------------------------------- MNIST and Fashion-MNIST
class MNIST(LabelledDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale, labels 0..9.

    ``root``: the data folder (files in ``<root>/MNIST/raw``); ``train``: which split; ``download``: fetch
    missing files. A sample is ``(image, label)`` with the image a uint8 NumPy array (28, 28) unless
    ``transform`` changes it. ``data`` is a uint8 tensor (n, 28, 28), ``targets`` an int64 tensor (n,).

    >>> from saessak.datasets import MNIST, transforms
    >>> train = MNIST("data", train=True, download=True, transform=transforms.ToTensor())  # doctest: +SKIP
    >>> image, label = train[0]                                                            # doctest: +SKIP
    >>> image.shape, label                                                                 # doctest: +SKIP
    (torch.Size([1, 28, 28]), 5)
    """

    mirrors = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/",
               "http://yann.lecun.com/exdb/mnist/")
    # SHA-256 digests as recorded by several independent projects; MD5 digests as torchvision publishes them
    resources = (
        _mirrored("train-images-idx3-ubyte.gz", mirrors,
                  "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                  "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        _mirrored("train-labels-idx1-ubyte.gz", mirrors,
                  "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                  "d53e105ee54ea40749a09fcbcd1e9432"),
        _mirrored("t10k-images-idx3-ubyte.gz", mirrors,
                  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                  "9fb629c4189551a2d022fa330f9573f3"),
        _mirrored("t10k-labels-idx1-ubyte.gz", mirrors,
                  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                  "ec29112dd5afa0611ce80d1b7f02629c"),
    )
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False) -> None:
        super().__init__(transform, target_transform)
        self.root = data_home(root)
        self.train = bool(train)
        self.split = "train" if self.train else "test"
        prefix = "train" if self.train else "t10k"
        needed = tuple(r for r in self.resources if r.filename.startswith(prefix))
        if download and not self._present(needed):
            _fetch_missing(type(self).__name__, self.raw_folder, needed)
        if not self._present(needed):
            raise RuntimeError(
                f"{type(self).__name__} {self.split} files not found. Pass download=True to fetch them, or place "
                f"them by hand.\n{_placement_help(type(self).__name__, self.raw_folder, needed)}"
            )
        images = read_idx(self._path(needed[0].filename))
        labels = read_idx(self._path(needed[1].filename))
        self._check(images, labels)
        self._images, self._labels = images, labels.astype(np.int64)
        self.data = from_numpy(self._images)
        self.targets = from_numpy(self._labels)

    @property
    def raw_folder(self) -> Path:
        """Where the IDX files are read from and downloaded to: ``<root>/<class name>/raw``."""
        return self.root / type(self).__name__ / "raw"

    def _path(self, filename: str) -> Path:
        gzipped = self.raw_folder / filename
        return gzipped if gzipped.is_file() else self.raw_folder / filename.removesuffix(".gz")

    def _present(self, resources: tuple[Resource, ...]) -> bool:
        return all(self._path(r.filename).is_file() for r in resources)

    def _check(self, images: np.ndarray, labels: np.ndarray) -> None:
        name = f"{type(self).__name__} {self.split} files in {self.raw_folder}"
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
            raise RuntimeError(f"{name}: expected uint8 images of shape (n, 28, 28), got {images.dtype} {images.shape}")
        if labels.dtype != np.uint8 or labels.ndim != 1:
            raise RuntimeError(f"{name}: expected a flat list of uint8 labels, got {labels.dtype} {labels.shape}")
        if len(images) != len(labels):
            raise RuntimeError(f"{name}: {len(images)} images but {len(labels)} labels")
        if len(labels) and labels.max() >= len(self.classes):
            raise RuntimeError(f"{name}: found label {labels.max()}, expected 0..{len(self.classes) - 1}")

    def _raw(self, index: int) -> tuple[Any, int]:
        return self._images[index].copy(), int(self._labels[index])


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: MNIST's format and sizes, with 10 kinds of clothing instead of digits.

    Same arguments and attributes as :class:`MNIST`; files live in ``<root>/FashionMNIST/raw``.

    >>> test = FashionMNIST("data", train=False, download=True)    # doctest: +SKIP
    >>> test.classes[9]                                            # doctest: +SKIP
    'Ankle boot'
    """

    mirrors = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
               "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")
    resources = (
        _mirrored("train-images-idx3-ubyte.gz", mirrors,
                  "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                  "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        _mirrored("train-labels-idx1-ubyte.gz", mirrors,
                  "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                  "25c81989df183df01b3e8a0aad5dffbe"),
        _mirrored("t10k-images-idx3-ubyte.gz", mirrors,
                  "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                  "bef4ecab320f06d8554ea6380940ec79"),
        _mirrored("t10k-labels-idx1-ubyte.gz", mirrors,
                  "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                  "bb300cfdad3c16e7a12a480ee83cd310"),
    )
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


# ---------------------------------------------------------------- CIFAR-10
class CIFAR10(LabelledDataset):
    """CIFAR-10: 50,000 training and 10,000 test colour images, 32x32, in 10 classes (the binary version).

    A sample is ``(image, label)`` with the image a uint8 NumPy array (32, 32, 3) unless ``transform``
    changes it. As in torchvision, ``data`` is a uint8 NumPy array (n, 32, 32, 3) and ``targets`` a list
    of ints. The files are read from ``<root>/cifar-10-batches-bin``, extracted from
    ``<root>/cifar-10-binary.tar.gz`` when needed (only the batch files are written).

    >>> train = CIFAR10("data", train=True, download=True)   # doctest: +SKIP
    >>> train.data.shape, train.classes[3]                   # doctest: +SKIP
    ((50000, 32, 32, 3), 'cat')
    """

    base_folder = "cifar-10-batches-bin"
    archive = Resource("cifar-10-binary.tar.gz", ("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",),
                       sha256="c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
                       md5="c32a1d4ab5d03f1284b67883e8d87530")
    train_list = [f"data_batch_{i}.bin" for i in range(1, 6)]
    test_list = ["test_batch.bin"]
    classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False) -> None:
        super().__init__(transform, target_transform)
        self.root = data_home(root)
        self.train = bool(train)
        self.split = "train" if self.train else "test"
        batches = self.train_list if self.train else self.test_list
        folder = self.root / self.base_folder
        if not all((folder / name).is_file() for name in batches):
            self._prepare(batches, download)
        images, labels = zip(*(read_cifar_batch(folder / name) for name in batches))
        self.data = np.concatenate(images)
        self.targets = np.concatenate(labels).tolist()

    def _prepare(self, batches: list[str], download: bool) -> None:
        archive_path = self.root / self.archive.filename
        extracted = f"  or the extracted files {', '.join(batches)} in {self.root / self.base_folder}"
        if download and not archive_path.is_file():
            _fetch_missing(type(self).__name__, self.root, (self.archive,), extracted)
        if not archive_path.is_file():
            raise RuntimeError(
                f"CIFAR10 {self.split} files not found. Pass download=True to fetch them, or place them by hand.\n"
                + _placement_help(type(self).__name__, self.root, (self.archive,), extracted)
            )
        members = [f"{self.base_folder}/{name}" for name in self.train_list + self.test_list]
        extract_members(archive_path, members, self.root / self.base_folder)

    def _raw(self, index: int) -> tuple[Any, int]:
        return self.data[index].copy(), self.targets[index]
