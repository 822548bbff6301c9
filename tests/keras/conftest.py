"""Shared fixtures for the keras tests: fresh layer names and a fixed seed for every test."""

import numpy as np
import pytest

from saessak import keras


@pytest.fixture(autouse=True)
def _fresh_session():
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    yield


@pytest.fixture(scope="session")
def digits():
    """The Digits images scaled to [0, 1], split 80/20 by a fixed permutation."""
    from saessak.datasets import load_digits

    bunch = load_digits()
    x = bunch.images.astype(np.float32) / 16.0
    y = np.asarray(bunch.target)
    order = np.random.default_rng(0).permutation(len(x))
    cut = int(0.8 * len(x))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])
