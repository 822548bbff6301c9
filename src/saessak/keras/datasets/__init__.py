"""``keras.datasets``: ``mnist.load_data()``, ``fashion_mnist.load_data()`` and ``cifar10.load_data()``,
returning ``((x_train, y_train), (x_test, y_test))`` as uint8 NumPy arrays, from ``saessak.datasets``'s
downloaded-and-cached copies (set ``SAESSAK_DATA`` or pass ``path`` to choose the folder).
"""

from . import cifar10, fashion_mnist, mnist

__all__ = ["cifar10", "fashion_mnist", "mnist"]
