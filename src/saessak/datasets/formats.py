"""Readers for the binary formats of the classic image datasets, in NumPy alone (nothing is unpickled).

* IDX (MNIST, Fashion-MNIST): a 4-byte magic number ``00 00 <type> <ndim>``, then ``ndim`` big-endian
  uint32 sizes, then the values, big-endian, row-major. Files may be gzipped.
* CIFAR-10 binary: fixed 3073-byte records, one label byte then 3072 pixel bytes (1024 red, 1024 green,
  1024 blue, each a 32x32 image row by row).

Malformed input raises ``RuntimeError`` naming the file and what is wrong with it.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zlib
from pathlib import Path

import numpy as np

__all__ = ["parse_idx", "read_idx", "parse_cifar_records", "read_cifar_batch", "extract_members"]

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32


def _read_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes, un-gzipped when it starts with the gzip magic number."""
    with open(path, "rb") as stream:
        raw = stream.read()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise RuntimeError(f"{path} is a corrupt or truncated gzip file ({error}); delete it and download again") \
            from None


def parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode IDX bytes into an array of the stored type (native byte order) and shape.

    >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise RuntimeError(
            f"{name} is not an IDX file: its magic number is {raw[:4].hex() or 'missing'}, expected 0000 then a "
            f"type code ({', '.join(f'{code:02x}' for code in _IDX_TYPES)}) and the number of dimensions"
        )
    dtype, ndim = np.dtype(_IDX_TYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise RuntimeError(f"{name} is truncated: {len(raw)} bytes cannot hold the {ndim} sizes of its header")
    shape = tuple(int(size) for size in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        problem = "is truncated" if len(raw) - header < expected else "has trailing bytes"
        raise RuntimeError(
            f"{name} {problem}: its header promises shape {shape} ({expected} bytes of data), "
            f"found {len(raw) - header} bytes"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (gzipped or not) into an array.

    >>> images = read_idx("MNIST/raw/t10k-images-idx3-ubyte.gz")     # doctest: +SKIP
    >>> images.shape, images.dtype                                   # doctest: +SKIP
    ((10000, 28, 28), dtype('uint8'))
    """
    return parse_idx(_read_bytes(path), name=str(path))


def parse_cifar_records(raw: bytes, name: str = "CIFAR data") -> tuple[np.ndarray, np.ndarray]:
    """Decode CIFAR-10 binary records into ``(images uint8 (n, 32, 32, 3), labels int64 (n,))``.

    >>> images, labels = parse_cifar_records(bytes([3]) + bytes(3072))
    >>> images.shape, labels.tolist()
    ((1, 32, 32, 3), [3])
    """
    if len(raw) == 0 or len(raw) % CIFAR_RECORD_BYTES:
        raise RuntimeError(
            f"{name} is truncated or not a CIFAR-10 binary batch: {len(raw)} bytes is not a whole number of "
            f"{CIFAR_RECORD_BYTES}-byte records"
        )
    records = np.frombuffer(raw, dtype=np.uint8).reshape(-1, CIFAR_RECORD_BYTES)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise RuntimeError(f"{name} is corrupt: found label {labels.max()}, CIFAR-10 labels are 0..9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


def read_cifar_batch(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read one CIFAR-10 ``*.bin`` batch file: ``(images uint8 (n, 32, 32, 3), labels int64 (n,))``.

    >>> images, labels = read_cifar_batch("cifar-10-batches-bin/test_batch.bin")   # doctest: +SKIP
    """
    return parse_cifar_records(_read_bytes(path), name=str(path))


def extract_members(archive: str | os.PathLike, names: list[str], destination: str | os.PathLike) -> None:
    """Copy the regular files ``names`` (paths inside the archive) out of a tar archive into ``destination``.

    Only the named members are written, each under its own name in ``destination``: no path in the
    archive can place a file elsewhere. Raises ``RuntimeError`` for an unreadable archive or a missing name.

    >>> extract_members("cifar-10-binary.tar.gz", ["cifar-10-batches-bin/test_batch.bin"], "out")  # doctest: +SKIP
    """
    destination = Path(destination)
    wanted = set(names)
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.name not in wanted or not member.isfile():
                    continue
                destination.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                target = destination / Path(member.name).name
                partial = target.with_name(target.name + ".part")
                with source, open(partial, "wb") as out:
                    while chunk := source.read(1 << 20):
                        out.write(chunk)
                os.replace(partial, target)
                wanted.discard(member.name)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise RuntimeError(f"{archive} is corrupt or truncated ({error}); delete it and download again") from None
    if wanted:
        raise RuntimeError(f"{archive} does not contain {', '.join(sorted(wanted))}: is it the right archive?")
