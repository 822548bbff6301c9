"""Download-and-cache: where dataset files live, and a resumable, checksummed, mirror-aware downloader.

A file is described once by a :class:`Resource` (its name, the addresses that serve it, and its SHA-256
and/or MD5 when known). :func:`download_resource` fetches it into a folder:

* bytes go to ``<name>.part`` first; a ``.part`` left by an interrupted run is resumed with an HTTP
  ``Range`` request (a server that ignores the range simply sends the whole file again);
* the finished file is checked against every known checksum, then renamed into place atomically, so a
  file with the final name is always complete;
* when one address fails, the next is tried; when all fail, the error lists each address and why.

Without ``root=`` datasets live under ``$SAESSAK_DATA`` or, if that is unset, ``~/.cache/saessak/datasets``.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Resource", "data_home", "download_resource", "file_digest", "check_root"]

ENVIRONMENT_VARIABLE = "SAESSAK_DATA"
_CHUNK_BYTES = 1 << 20
_USER_AGENT = "saessak-datasets/0.1 (+urllib)"


# ---------------------------------------------------------------- where files live
def check_root(root: object, owner: str = "root") -> Path | None:
    """``root`` as a ``Path`` (``~`` expanded), or ``None``; a clear ``TypeError`` for anything else.

    >>> check_root("~/data")            # doctest: +SKIP
    PosixPath('/home/me/data')
    """
    if root is None:
        return None
    if isinstance(root, str | os.PathLike):
        return Path(os.fspath(root)).expanduser()
    raise TypeError(f"{owner} must be a folder path (str or os.PathLike) or None, got {type(root).__name__}: {root!r}")


def data_home(root: str | os.PathLike | None = None) -> Path:
    """The folder datasets are read from and downloaded to.

    ``root`` when given; else ``$SAESSAK_DATA``; else ``~/.cache/saessak/datasets``. The folder is not created.

    >>> data_home("/tmp/data")
    PosixPath('/tmp/data')
    """
    path = check_root(root)
    if path is not None:
        return path
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser()
    return Path.home() / ".cache" / "saessak" / "datasets"


# ---------------------------------------------------------------- what a file is
@dataclass(frozen=True)
class Resource:
    """One downloadable file: its name on disk, the addresses serving it (tried in order) and checksums.

    A checksum left as ``None`` is not checked. Supply your own with ``dataclasses.replace``:

    >>> r = Resource("t10k-labels-idx1-ubyte.gz", ("https://example.org/t10k-labels-idx1-ubyte.gz",))
    >>> r.sha256 is None
    True
    """

    filename: str
    urls: tuple[str, ...]
    sha256: str | None = None
    md5: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.urls, str):
            object.__setattr__(self, "urls", (self.urls,))
        if not self.urls:
            raise ValueError(f"Resource {self.filename!r} needs at least one URL")

    def verify(self, path: str | os.PathLike) -> None:
        """Raise ``RuntimeError`` if the file at ``path`` does not match every known checksum."""
        for algorithm in ("sha256", "md5"):
            expected = getattr(self, algorithm)
            if expected is None:
                continue
            actual = file_digest(path, algorithm)
            if actual.lower() != expected.lower():
                raise RuntimeError(
                    f"checksum mismatch for {path}: expected {algorithm} {expected}, got {actual}. "
                    "The download is corrupt or the server sent a different file."
                )


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """The hex digest of a file, read in 1 MiB chunks.

    >>> file_digest(__file__, "sha256")     # doctest: +SKIP
    '3f1c...'
    """
    digest = hashlib.new(algorithm, usedforsecurity=False)  # integrity, not security: MD5 is what some sites publish
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- fetching
class _ChecksumError(RuntimeError):
    pass


def download_resource(resource: Resource, folder: str | os.PathLike, *, timeout: float = 30.0) -> Path:
    """Fetch ``resource`` into ``folder`` (created if needed) and return the file's path.

    An existing file with the final name is trusted and returned at once. A ``<name>.part`` file is resumed.
    Raises ``RuntimeError`` naming each address tried and the error it gave, when no address succeeds.

    >>> r = Resource("iris.data", ("https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data",))
    >>> download_resource(r, "/tmp/iris")        # doctest: +SKIP
    PosixPath('/tmp/iris/iris.data')
    """
    folder = Path(folder)
    target = folder / resource.filename
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / (resource.filename + ".part")
    failures = []
    for url in resource.urls:
        try:
            _fetch_verified(url, part, resource, timeout)
        except (OSError, http.client.HTTPException, _ChecksumError) as error:
            failures.append(f"  {url}: {_describe(error)}")
            continue
        os.replace(part, target)
        return target
    raise RuntimeError(f"could not download {resource.filename} into {folder}:\n" + "\n".join(failures))


def _fetch_verified(url: str, part: Path, resource: Resource, timeout: float) -> None:
    resumed = _fetch(url, part, timeout)
    try:
        resource.verify(part)
    except RuntimeError as error:
        part.unlink(missing_ok=True)
        if not resumed:
            raise _ChecksumError(str(error)) from None
        # the old .part may hold another file's bytes: one fresh try from byte 0
        _fetch(url, part, timeout)
        try:
            resource.verify(part)
        except RuntimeError as error_again:
            part.unlink(missing_ok=True)
            raise _ChecksumError(str(error_again)) from None


def _fetch(url: str, part: Path, timeout: float) -> bool:
    """Write ``url`` into ``part``, resuming what is there; True when bytes were kept from an earlier run."""
    have = part.stat().st_size if part.is_file() else 0
    headers = {"User-Agent": _USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        error.close()  # the error carries the open response; its code and headers stay readable
        if error.code == 416 and have and _range_total(error.headers.get("Content-Range")) == have:
            return True  # the .part already holds the whole file
        if error.code == 416:
            part.unlink(missing_ok=True)
        raise
    with response:
        status = getattr(response, "status", 200)
        if have and status == 206:
            start = _range_start(response.headers.get("Content-Range"))
            if start != have:
                raise OSError(f"server resumed at byte {start}, expected {have}")
            mode, resumed = "ab", True
        else:
            mode, resumed, have = "wb", False, 0
        expected = response.headers.get("Content-Length")
        received = 0
        with open(part, mode) as out:
            for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                out.write(chunk)
                received += len(chunk)
        if expected is not None and received != int(expected):
            raise OSError(f"connection closed after {received} of {expected} bytes (the .part file is kept to resume)")
    return resumed


def _range_start(content_range: str | None) -> int | None:
    match = re.match(r"bytes (\d+)-", content_range or "")
    return int(match.group(1)) if match else None


def _range_total(content_range: str | None) -> int | None:
    match = re.match(r"bytes [^/]*/(\d+)", content_range or "")
    return int(match.group(1)) if match else None


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"{error.reason}"
    return f"{type(error).__name__}: {error}" if not isinstance(error, _ChecksumError) else str(error)
