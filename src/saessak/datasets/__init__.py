"""Datasets: small sets shipped with saessak, synthetic generators, download-and-cache loaders, transforms.

* bundled, offline: ``load_iris`` / ``load_digits`` (scikit-learn style) and ``Iris`` / ``Digits`` (Datasets);
* synthetic: ``make_spiral``, ``logic_gate`` / ``make_xor``, ``make_regression``, ``make_logistic``;
* downloaded once and cached: ``MNIST``, ``FashionMNIST``, ``CIFAR10`` (torchvision's interface);
* ``saessak.datasets.transforms``: ``Compose``, ``ToTensor``, ``Normalize``, crops, flips, ``Resize``.

>>> from saessak.datasets import load_iris
>>> dataset = load_iris()
>>> dataset.data.shape
(150, 4)
"""

from . import transforms
from .bundled import Bunch, Digits, Iris, load_digits, load_iris
from .download import Resource, data_home, download_resource
from .synthetic import logic_gate, make_logistic, make_regression, make_spiral, make_xor
from .vision import CIFAR10, MNIST, FashionMNIST

__all__ = [
    "transforms", "Bunch", "load_iris", "load_digits", "Iris", "Digits", "make_spiral", "logic_gate", "make_xor",
    "make_regression", "make_logistic", "MNIST", "FashionMNIST", "CIFAR10", "Resource", "data_home",
    "download_resource",
]
