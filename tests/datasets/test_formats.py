"""IDX and CIFAR-10 binary readers: round trips and clear errors for corrupt files."""

import gzip
import io
import tarfile

import numpy as np
import pytest

from saessak.datasets.formats import extract_members, parse_cifar_records, parse_idx, read_cifar_batch, read_idx

from .conftest import cifar_bytes, idx_bytes, write_idx


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32])
def test_idx_round_trip_keeps_values_shape_and_dtype(dtype):
    array = (np.arange(24).reshape(2, 3, 4) * (1 if dtype == np.uint8 else -3)).astype(dtype)
    parsed = parse_idx(idx_bytes(array))
    np.testing.assert_array_equal(parsed, array)
    assert parsed.dtype == np.dtype(dtype) and parsed.dtype.isnative


def test_read_idx_accepts_gzipped_and_plain_files(tmp_path):
    labels = np.array([3, 1, 4], dtype=np.uint8)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a.gz", labels)), labels)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a", labels, gz=False)), labels)


def test_bad_magic_number_is_reported():
    with pytest.raises(RuntimeError, match="not an IDX file: its magic number is 00000703"):
        parse_idx(bytes([0, 0, 7, 3]) + bytes(12))
    with pytest.raises(RuntimeError, match="not an IDX file"):
        parse_idx(b"\x01\x00\x08\x01\x00\x00\x00\x01\x05")
    with pytest.raises(RuntimeError, match="magic number is missing"):
        parse_idx(b"")


def test_truncated_and_oversized_idx_data_are_reported():
    raw = idx_bytes(np.zeros((4, 28, 28), dtype=np.uint8))
    with pytest.raises(RuntimeError, match=r"is truncated: its header promises shape \(4, 28, 28\) \(3136 bytes"):
        parse_idx(raw[:-1])
    with pytest.raises(RuntimeError, match="has trailing bytes"):
        parse_idx(raw + b"\x00")
    with pytest.raises(RuntimeError, match="cannot hold the 3 sizes"):
        parse_idx(raw[:9])


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(100, dtype=np.uint8)))[:-10])
    with pytest.raises(RuntimeError, match="corrupt or truncated gzip"):
        read_idx(path)


def test_cifar_records_are_decoded_to_hwc(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 32, 32, 3), dtype=np.uint8)
    labels = np.array([9, 0, 4])
    (tmp_path / "batch.bin").write_bytes(cifar_bytes(images, labels))
    decoded, decoded_labels = read_cifar_batch(tmp_path / "batch.bin")
    np.testing.assert_array_equal(decoded, images)
    assert decoded_labels.tolist() == [9, 0, 4] and decoded_labels.dtype == np.int64
    # the first plane after the label byte is red, row by row
    raw = cifar_bytes(images, labels)
    assert raw[1:33] == images[0, 0, :, 0].tobytes()


def test_cifar_errors():
    with pytest.raises(RuntimeError, match="not a whole number of 3073-byte records"):
        parse_cifar_records(bytes(3073 * 2 - 1))
    with pytest.raises(RuntimeError, match="found label 10"):
        parse_cifar_records(bytes([10]) + bytes(3072))


def _tar(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_extract_members_writes_only_named_regular_files(tmp_path):
    _tar(tmp_path / "a.tar.gz", {"top/x.bin": b"x", "top/../../evil.bin": b"evil", "top/y.bin": b"y"})
    extract_members(tmp_path / "a.tar.gz", ["top/x.bin", "top/y.bin"], tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["x.bin", "y.bin"]
    assert not (tmp_path.parent / "evil.bin").exists()
    with pytest.raises(RuntimeError, match="does not contain top/z.bin"):
        extract_members(tmp_path / "a.tar.gz", ["top/z.bin"], tmp_path / "out")


def test_extract_members_reports_a_corrupt_archive(tmp_path):
    (tmp_path / "bad.tar.gz").write_bytes(gzip.compress(b"not a tar archive at all" * 100)[:50])
    with pytest.raises(RuntimeError, match="corrupt or truncated"):
        extract_members(tmp_path / "bad.tar.gz", ["x"], tmp_path / "out")
