"""The two small datasets shipped inside the package (Iris, Digits), usable offline, in two styles.

* scikit-learn style: ``load_iris()`` / ``load_digits()`` return a :class:`Bunch` of NumPy arrays.
* torchvision style: ``Iris(train=True)`` / ``Digits(train=False)`` are ``Dataset``\\ s of
  ``(float32 tensor, int)`` pairs over a fixed, stratified train/test split.

The split: within each class, the sample indices are shuffled by ``saessak.randperm`` with a generator
seeded by ``split_seed``; the first ``round(test_fraction * class size)`` of them (at least one, and at
least one left for training) form the test set. Each split keeps the file's order. The same seed gives
the same split on every machine, and train and test never share a sample.
"""

from __future__ import annotations

import functools
import gzip
import os
from collections.abc import Callable
from importlib import resources
from typing import Any

import numpy as np

from ..creation import from_numpy
from ..random import Generator, randperm
from ._base import LabelledDataset
from .download import check_root

__all__ = ["Bunch", "load_iris", "load_digits", "Iris", "Digits"]

IRIS_CLASSES = ["setosa", "versicolor", "virginica"]
IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]

IRIS_DESCR = """\
Iris plants
-----------
150 flowers from three species of iris (setosa, versicolor, virginica), 50 of each, each described
by four measurements in centimetres: sepal length, sepal width, petal length and petal width.
Setosa is separable from the other two by a straight line; versicolor and virginica overlap a little.

data: float64 (150, 4)    target: int64 (150,) with 0 = setosa, 1 = versicolor, 2 = virginica

Source: R. A. Fisher (1936), "The use of multiple measurements in taxonomic problems", Annals of
Eugenics 7(2); via the UCI Machine Learning Repository (https://doi.org/10.24432/C56C76), CC BY 4.0.
"""

DIGITS_DESCR = """\
Optical recognition of handwritten digits
-----------------------------------------
1797 handwritten digits 0-9, each an 8x8 image. Every pixel counts the ink in a 4x4 block of the
original 32x32 bitmap, so it is an integer from 0 (blank) to 16 (full).

data: float64 (n, 64)    images: float64 (n, 8, 8)    target: int64 (n,) the digit

Source: E. Alpaydin and C. Kaynak (1998), "Optical Recognition of Handwritten Digits", UCI Machine
Learning Repository (https://doi.org/10.24432/C50P49), CC BY 4.0.
"""


class Bunch(dict):
    """A dict whose keys are also attributes, like scikit-learn's: ``b.data is b["data"]``.

    >>> b = Bunch(data=[1, 2])
    >>> b.data
    [1, 2]
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"Bunch has no key {name!r}; keys are {sorted(self)}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self))


# ---------------------------------------------------------------- reading the shipped files
@functools.cache
def _iris_arrays() -> tuple[np.ndarray, np.ndarray]:
    with resources.files(__package__).joinpath("data", "iris.csv").open("rb") as stream:
        table = np.loadtxt(stream, delimiter=",", skiprows=1, dtype=np.float64)
    return table[:, :4], table[:, 4].astype(np.int64)


@functools.cache
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    with resources.files(__package__).joinpath("data", "digits.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rb") as stream:
            table = np.loadtxt(stream, delimiter=",", dtype=np.int64)
    return table[:, :64].astype(np.uint8), table[:, 64]


def _as_frame(bunch: Bunch) -> Bunch:
    try:
        import pandas
    except ImportError:
        raise ImportError("as_frame=True needs pandas, which is not installed: pip install pandas") from None
    data = pandas.DataFrame(bunch.data, columns=bunch.feature_names)
    target = pandas.Series(bunch.target, name="target")
    bunch.update(data=data, target=target, frame=pandas.concat([data, target], axis=1))
    return bunch


def load_iris(return_X_y: bool = False, as_frame: bool = False) -> Bunch | tuple[Any, Any]:
    """Fisher's iris flowers: 150 samples, 4 float features, 3 classes (scikit-learn's ``load_iris``).

    Returns a :class:`Bunch` with ``data`` (float64, (150, 4)), ``target`` (int64, (150,)),
    ``feature_names``, ``target_names``, ``DESCR`` and ``frame`` (``None`` unless ``as_frame``), or
    ``(data, target)`` when ``return_X_y``. ``as_frame=True`` gives pandas objects (needs pandas).

    >>> dataset = load_iris()
    >>> dataset.data.shape, dataset.target[:3].tolist(), str(dataset.target_names[2])
    ((150, 4), [0, 0, 0], 'virginica')
    """
    data, target = _iris_arrays()
    bunch = Bunch(data=data.copy(), target=target.copy(), frame=None, feature_names=list(IRIS_FEATURES),
                  target_names=np.array(IRIS_CLASSES), DESCR=IRIS_DESCR, filename="iris.csv")
    if as_frame:
        _as_frame(bunch)
    return (bunch.data, bunch.target) if return_X_y else bunch


def load_digits(n_class: int = 10, return_X_y: bool = False, as_frame: bool = False) -> Bunch | tuple[Any, Any]:
    """Handwritten digits as 8x8 images with pixels 0..16 (scikit-learn's ``load_digits``).

    ``n_class`` keeps the digits ``0 .. n_class - 1``. Returns a :class:`Bunch` with ``data`` (float64,
    (n, 64)), ``images`` (float64, (n, 8, 8)), ``target`` (int64), ``feature_names`` (``pixel_<row>_<col>``),
    ``target_names`` and ``DESCR``; or ``(data, target)`` when ``return_X_y``.

    >>> digits = load_digits()
    >>> digits.data.shape, digits.images.shape, float(digits.data.max())
    ((1797, 64), (1797, 8, 8), 16.0)
    """
    if isinstance(n_class, bool) or not isinstance(n_class, int | np.integer) or not 1 <= n_class <= 10:
        raise ValueError(f"load_digits: n_class must be an integer from 1 to 10, got {n_class!r}")
    pixels, target = _digits_arrays()
    keep = target < n_class
    data = pixels[keep].astype(np.float64)
    bunch = Bunch(data=data, target=target[keep].copy(), frame=None, images=data.reshape(-1, 8, 8),
                  feature_names=[f"pixel_{row}_{col}" for row in range(8) for col in range(8)],
                  target_names=np.arange(10), DESCR=DIGITS_DESCR)
    if as_frame:
        _as_frame(bunch)
    return (bunch.data, bunch.target) if return_X_y else bunch


# ---------------------------------------------------------------- torchvision-style datasets
def stratified_split(targets: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(train_indices, test_indices)``: each class split by ``test_fraction``, shuffled by ``seed``.

    >>> train, test = stratified_split(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.25, seed=0)
    >>> len(train), len(test)
    (6, 2)
    """
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, float | int) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number strictly between 0 and 1, got {test_fraction!r}")
    generator = Generator().manual_seed(int(seed))
    test_parts = []
    for label in np.unique(targets):
        members = np.flatnonzero(targets == label)
        if len(members) < 2:
            raise ValueError(f"class {label} has {len(members)} sample(s); a train/test split needs at least 2")
        n_test = min(max(round(test_fraction * len(members)), 1), len(members) - 1)
        order = randperm(len(members), generator=generator).numpy()
        test_parts.append(members[order[:n_test]])
    test = np.sort(np.concatenate(test_parts))
    train = np.setdiff1d(np.arange(len(targets)), test)
    return train, test


class _BundledDataset(LabelledDataset):
    def __init__(self, root, train: bool, transform, target_transform, split_seed: int, test_fraction: float,
                 all_targets: np.ndarray) -> None:
        super().__init__(transform, target_transform)
        self.root = check_root(root)  # accepted for the torchvision signature; the data ship with saessak
        if not isinstance(train, bool):
            raise TypeError(f"{type(self).__name__}: train must be True or False, got {train!r}")
        self.train = train
        self.split = "train" if train else "test"
        train_indices, test_indices = stratified_split(all_targets, test_fraction, split_seed)
        self.indices = train_indices if train else test_indices


class Iris(_BundledDataset):
    """Iris as a ``Dataset`` of ``(features, label)``: a float32 tensor of shape (4,) and an int 0..2.

    A fixed stratified split (see the module docstring): with the defaults, 120 training and 30 test
    samples, 10 of each species in the test set. ``root`` is accepted and ignored (the data ship with
    saessak). ``data`` is a float32 tensor (n, 4); ``targets`` an int64 tensor (n,).

    >>> train = Iris(train=True)
    >>> len(train), train[0][0].shape, train.classes
    (120, torch.Size([4]), ['setosa', 'versicolor', 'virginica'])
    """

    classes = list(IRIS_CLASSES)

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, split_seed: int = 0, test_fraction: float = 0.2) -> None:
        features, labels = _iris_arrays()
        super().__init__(root, train, transform, target_transform, split_seed, test_fraction, labels)
        self._features = np.ascontiguousarray(features[self.indices], dtype=np.float32)
        self._labels = labels[self.indices]
        self.data = from_numpy(self._features.copy())
        self.targets = from_numpy(self._labels.copy())

    def _raw(self, index: int) -> tuple[Any, int]:
        return from_numpy(self._features[index].copy()), int(self._labels[index])


class Digits(_BundledDataset):
    """The 8x8 handwritten digits as a ``Dataset`` of ``(image, label)`` pairs.

    The image is a float32 tensor scaled to [0, 1] (pixel / 16), of shape (1, 8, 8), or (64,) with
    ``flatten=True`` (for an MLP or a Keras ``Dense`` model). ``transform`` receives that tensor.
    ``data`` is the raw uint8 tensor (n, 8, 8) with pixels 0..16; ``targets`` an int64 tensor. The split is
    fixed and stratified (see the module docstring): 1438 training and 359 test images by default.

    >>> test = Digits(train=False, flatten=True)
    >>> image, label = test[0]
    >>> image.shape, image.dtype
    (torch.Size([64]), torch.float32)
    """

    classes = [str(digit) for digit in range(10)]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, split_seed: int = 0, test_fraction: float = 0.2,
                 flatten: bool = False) -> None:
        pixels, labels = _digits_arrays()
        super().__init__(root, train, transform, target_transform, split_seed, test_fraction, labels)
        self.flatten = bool(flatten)
        self._images = pixels[self.indices].reshape(-1, 8, 8)
        self._labels = labels[self.indices]
        self.data = from_numpy(self._images.copy())
        self.targets = from_numpy(self._labels.copy())

    def _raw(self, index: int) -> tuple[Any, int]:
        image = self._images[index].astype(np.float32) / np.float32(16.0)
        image = image.reshape(64) if self.flatten else image.reshape(1, 8, 8)
        return from_numpy(image), int(self._labels[index])

