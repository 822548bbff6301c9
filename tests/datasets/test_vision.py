"""MNIST, FashionMNIST and CIFAR10 on tiny files in the real formats: placed by hand, or served locally."""

import dataclasses
import io
import tarfile

import numpy as np
import pytest

import saessak
from saessak.datasets import CIFAR10, MNIST, FashionMNIST, transforms

from .conftest import UNREACHABLE, cifar_bytes, idx_bytes, sha256, write_idx, write_mnist


def test_mnist_reads_hand_placed_files(tmp_path):
    images, labels = write_mnist(tmp_path / "MNIST" / "raw", "train", 5)
    train = MNIST(tmp_path, train=True)
    assert len(train) == 5 and train.data.dtype is saessak.uint8 and tuple(train.data.shape) == (5, 28, 28)
    assert train.targets.dtype is saessak.int64 and train.targets.tolist() == labels.tolist()
    image, label = train[2]
    assert isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.shape == (28, 28)
    np.testing.assert_array_equal(image, images[2])
    assert label == int(labels[2]) and isinstance(label, int)
    assert train.classes[3] == "3 - three" and train.class_to_idx["9 - nine"] == 9


def test_mnist_with_to_tensor_gives_float_chw_in_unit_range(tmp_path):
    images, _ = write_mnist(tmp_path / "MNIST" / "raw", "t10k", 3, gz=False)
    test = MNIST(str(tmp_path), train=False, transform=transforms.Compose([transforms.ToTensor()]))
    image, _ = test[0]
    assert tuple(image.shape) == (1, 28, 28) and image.dtype is saessak.float32
    np.testing.assert_allclose(image.numpy()[0], images[0] / 255.0, rtol=1e-6)
    assert "Split: Test" in repr(test) and "ToTensor()" in repr(test)


def test_missing_files_say_where_to_put_them(tmp_path):
    with pytest.raises(RuntimeError, match="download=True") as info:
        MNIST(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte.gz") in message
    assert str(tmp_path / "MNIST" / "raw" / "train-labels-idx1-ubyte.gz") in message


def test_root_defaults_to_saessak_data(tmp_path, monkeypatch):
    write_mnist(tmp_path / "FashionMNIST" / "raw", "t10k", 2)
    monkeypatch.setenv("SAESSAK_DATA", str(tmp_path))
    test = FashionMNIST(train=False)
    assert len(test) == 2 and test.root == tmp_path and test.classes[9] == "Ankle boot"


def test_root_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="root must be a folder path"):
        MNIST(root=42)


def test_corrupt_mnist_files_are_explained(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    write_mnist(raw, "train", 5)
    write_idx(raw / "train-labels-idx1-ubyte.gz", np.zeros(4, dtype=np.uint8))
    with pytest.raises(RuntimeError, match="5 images but 4 labels"):
        MNIST(tmp_path)
    write_idx(raw / "train-images-idx3-ubyte.gz", np.zeros((4, 27, 27), dtype=np.uint8))
    with pytest.raises(RuntimeError, match=r"shape \(n, 28, 28\)"):
        MNIST(tmp_path)
    (raw / "train-images-idx3-ubyte.gz").write_bytes(idx_bytes(np.zeros((5, 28, 28), dtype=np.uint8))[:-100])
    with pytest.raises(RuntimeError, match="truncated"):
        MNIST(tmp_path)


def _serve_mnist(server, monkeypatch, prefix="train", n=4):
    images, labels = write_mnist(server.root, prefix, n)
    resources = tuple(
        dataclasses.replace(r, urls=(UNREACHABLE + r.filename, server.url + r.filename),
                            sha256=sha256(server.root / r.filename), md5=None)
        if r.filename.startswith(prefix) else r
        for r in MNIST.resources
    )
    monkeypatch.setattr(MNIST, "resources", resources)
    return images, labels


def test_mnist_download_fetches_verifies_and_loads(http_server, tmp_path, monkeypatch):
    images, labels = _serve_mnist(http_server, monkeypatch)
    train = MNIST(tmp_path / "data", download=True)
    np.testing.assert_array_equal(train.data.numpy(), images)
    assert train.targets.tolist() == labels.tolist()
    assert sorted(p.name for p in (tmp_path / "data" / "MNIST" / "raw").iterdir()) == [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    count = len(http_server.requests)
    MNIST(tmp_path / "data", download=True)  # already there: no request
    assert len(http_server.requests) == count


def test_mnist_download_failure_explains_the_manual_route(tmp_path, monkeypatch):
    offline = tuple(dataclasses.replace(r, urls=(UNREACHABLE + r.filename,)) for r in MNIST.resources)
    monkeypatch.setattr(MNIST, "resources", offline)
    with pytest.raises(RuntimeError, match="could not download train-images-idx3-ubyte.gz") as info:
        MNIST(tmp_path, download=True)
    assert str(tmp_path / "MNIST" / "raw" / "train-labels-idx1-ubyte.gz") in str(info.value)


def test_the_published_checksums_are_recorded():
    for dataset in (MNIST, FashionMNIST):
        assert len(dataset.resources) == 4
        for resource in dataset.resources:
            assert len(resource.sha256) == 64 and len(resource.md5) == 32 and len(resource.urls) >= 2
    assert len(CIFAR10.archive.sha256) == 64 and CIFAR10.archive.urls[0].endswith("cifar-10-binary.tar.gz")


# ---------------------------------------------------------------- CIFAR-10
def _cifar_archive(path, rng, extra_members=None):
    """A tiny cifar-10-binary.tar.gz: 2 records per training batch, 3 in the test batch."""
    batches = {}
    with tarfile.open(path, "w:gz") as tar:
        names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
        for name in names:
            n = 3 if name == "test_batch.bin" else 2
            images = rng.integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)
            labels = rng.integers(0, 10, size=n)
            batches[name] = (images, labels)
            members = {f"cifar-10-batches-bin/{name}": cifar_bytes(images, labels), **(extra_members or {})}
            for member, data in members.items():
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return batches


def test_cifar10_extracts_the_archive_and_reads_the_batches(tmp_path):
    batches = _cifar_archive(tmp_path / "cifar-10-binary.tar.gz", np.random.default_rng(0),
                             {"../outside.bin": b"should not be written"})
    train = CIFAR10(tmp_path, train=True)
    assert len(train) == 10 and train.data.shape == (10, 32, 32, 3) and train.data.dtype == np.uint8
    np.testing.assert_array_equal(train.data[:2], batches["data_batch_1.bin"][0])
    assert train.targets[:2] == batches["data_batch_1.bin"][1].tolist() and isinstance(train.targets, list)
    image, label = train[9]
    np.testing.assert_array_equal(image, batches["data_batch_5.bin"][0][1])
    assert not (tmp_path.parent / "outside.bin").exists()
    (tmp_path / "cifar-10-binary.tar.gz").unlink()  # the extracted folder is enough from now on
    test = CIFAR10(tmp_path, train=False, transform=transforms.ToTensor())
    tensor, _ = test[0]
    assert tuple(tensor.shape) == (3, 32, 32)
    np.testing.assert_allclose(tensor.numpy()[1], batches["test_batch.bin"][0][0][:, :, 1] / 255, rtol=1e-6)
    assert test.classes[3] == "cat"


def test_cifar10_downloads_the_archive(http_server, tmp_path, monkeypatch):
    _cifar_archive(http_server.root / "cifar-10-binary.tar.gz", np.random.default_rng(1))
    archive = dataclasses.replace(CIFAR10.archive, urls=(http_server.url + "cifar-10-binary.tar.gz",),
                                  sha256=sha256(http_server.root / "cifar-10-binary.tar.gz"), md5=None)
    monkeypatch.setattr(CIFAR10, "archive", archive)
    assert len(CIFAR10(tmp_path, train=False, download=True)) == 3


def test_cifar10_missing_and_corrupt_files(tmp_path):
    with pytest.raises(RuntimeError, match="download=True") as info:
        CIFAR10(tmp_path)
    assert str(tmp_path / "cifar-10-binary.tar.gz") in str(info.value)
    assert str(tmp_path / "cifar-10-batches-bin") in str(info.value)
    (tmp_path / "cifar-10-binary.tar.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(RuntimeError, match="corrupt or truncated"):
        CIFAR10(tmp_path)
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    (folder / "test_batch.bin").write_bytes(bytes(3073 + 5))
    with pytest.raises(RuntimeError, match="3073-byte records"):
        CIFAR10(tmp_path, train=False)


def test_dataloader_batches_iris_and_transformed_mnist(tmp_path):
    data = pytest.importorskip("saessak.utils.data")
    if not hasattr(data, "DataLoader"):
        pytest.skip("saessak.utils.data.DataLoader is not there yet")
    from saessak.datasets import Iris

    features, labels = next(iter(data.DataLoader(Iris(), batch_size=16)))
    assert tuple(features.shape) == (16, 4) and tuple(labels.shape) == (16,)
    write_mnist(tmp_path / "MNIST" / "raw", "train", 6)
    loader = data.DataLoader(MNIST(tmp_path, transform=transforms.ToTensor()), batch_size=4)
    images, _ = next(iter(loader))
    assert tuple(images.shape) == (4, 1, 28, 28)
