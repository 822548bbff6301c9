"""Iris and Digits: the scikit-learn style loaders and the torchvision style Datasets."""

import numpy as np
import pytest

import saessak
from saessak.datasets import Bunch, Digits, Iris, load_digits, load_iris
from saessak.datasets.bundled import stratified_split


def test_load_iris_matches_the_seed_notes_usage():
    dataset = load_iris()
    assert "Fisher" in dataset.DESCR and "CC BY 4.0" in dataset.DESCR
    assert dataset.data.shape == (150, 4) and dataset.data.dtype == np.float64
    assert dataset.target.dtype == np.int64 and np.bincount(dataset.target).tolist() == [50, 50, 50]
    assert list(dataset.target_names) == ["setosa", "versicolor", "virginica"]
    assert len(dataset.feature_names) == 4 and dataset["data"] is dataset.data
    np.testing.assert_allclose(dataset.data[0], [5.1, 3.5, 1.4, 0.2])


def test_load_iris_return_X_y_gives_copies():
    X, y = load_iris(return_X_y=True)
    X[:] = 0
    assert load_iris().data[0, 0] == 5.1
    assert y.shape == (150,)


def test_as_frame_names_pandas_when_missing():
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            load_iris(as_frame=True)
    else:
        frame = load_iris(as_frame=True).frame
        assert frame.shape == (150, 5)


def test_load_digits_shapes_and_range():
    digits = load_digits()
    assert digits.data.shape == (1797, 64) and digits.images.shape == (1797, 8, 8)
    assert digits.data.dtype == np.float64 and digits.target.dtype == np.int64
    assert digits.data.min() == 0 and digits.data.max() == 16
    np.testing.assert_array_equal(digits.images.reshape(-1, 64), digits.data)
    assert sorted(set(digits.target.tolist())) == list(range(10))
    assert digits.feature_names[9] == "pixel_1_1"


def test_load_digits_n_class_keeps_the_first_classes():
    X, y = load_digits(n_class=3, return_X_y=True)
    assert set(y.tolist()) == {0, 1, 2} and len(X) == len(y) < 1797
    with pytest.raises(ValueError, match="n_class"):
        load_digits(n_class=11)


def test_bunch_attribute_access_and_error():
    b = Bunch(a=1)
    b.c = 2
    assert b["c"] == 2 and b.a == 1 and "c" in dir(b)
    with pytest.raises(AttributeError, match="keys are"):
        b.missing


def test_iris_split_is_stratified_disjoint_and_deterministic():
    train, test = Iris(train=True), Iris(train=False)
    assert (len(train), len(test)) == (120, 30)
    assert np.bincount(test.targets.numpy()).tolist() == [10, 10, 10]
    assert not set(train.indices) & set(test.indices)
    np.testing.assert_array_equal(Iris(train=False).indices, test.indices)
    assert not np.array_equal(Iris(train=False, split_seed=1).indices, test.indices)
    features, label = train[0]
    assert features.dtype is saessak.float32 and tuple(features.shape) == (4,) and isinstance(label, int)
    assert train.data.dtype is saessak.float32 and train.targets.dtype is saessak.int64
    assert train.class_to_idx == {"setosa": 0, "versicolor": 1, "virginica": 2}


def test_iris_transforms_and_negative_index():
    data = Iris(transform=lambda x: x * 2, target_transform=lambda y: y + 10)
    features, label = data[-1]
    np.testing.assert_allclose(features.numpy(), data.data[-1].numpy() * 2)
    assert label == int(data.targets[-1]) + 10
    with pytest.raises(IndexError, match="out of range"):
        data[len(data)]


def test_digits_samples_are_scaled_images_or_flat_vectors():
    train = Digits()
    image, label = train[3]
    assert tuple(image.shape) == (1, 8, 8) and image.dtype is saessak.float32
    np.testing.assert_allclose(image.numpy()[0], train.data[3].numpy() / 16.0, rtol=1e-6)
    flat, _ = Digits(flatten=True)[3]
    assert tuple(flat.shape) == (64,)
    assert len(train) + len(Digits(train=False)) == 1797
    assert train.data.dtype is saessak.uint8 and train.classes[7] == "7"


def test_bad_arguments_are_explained():
    with pytest.raises(TypeError, match="root must be a folder path"):
        Iris(root=3)
    with pytest.raises(ValueError, match="test_fraction"):
        Iris(test_fraction=1.5)
    with pytest.raises(TypeError, match="transform must be callable"):
        Digits(transform="ToTensor")
    with pytest.raises(TypeError, match="train must be True or False"):
        Iris(train="yes")


def test_stratified_split_keeps_one_of_each_side():
    targets = np.array([0, 0, 1, 1, 1])
    train, test = stratified_split(targets, 0.01, seed=0)
    assert len(test) == 2 and len(train) == 3
    with pytest.raises(ValueError, match="at least 2"):
        stratified_split(np.array([0, 1, 1]), 0.5, seed=0)


def test_repr_names_the_split():
    text = repr(Digits(train=False))
    assert text.startswith("Dataset Digits") and "Split: Test" in text
