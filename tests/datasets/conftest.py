"""Helpers for the dataset tests: tiny files in the real formats and a local HTTP server with Range support."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import re
import threading
from pathlib import Path

import numpy as np
import pytest

_IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int16): 0x0B, np.dtype(np.float32): 0x0D}


def idx_bytes(array: np.ndarray) -> bytes:
    """``array`` in the IDX format: magic 00 00 <type> <ndim>, big-endian sizes, big-endian values."""
    header = bytes([0, 0, _IDX_CODES[array.dtype], array.ndim])
    sizes = np.array(array.shape, dtype=">u4").tobytes()
    return header + sizes + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path: Path, array: np.ndarray, gz: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = idx_bytes(array)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def write_mnist(folder: Path, prefix: str, n: int, seed: int = 0, gz: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Write ``<prefix>-images-idx3-ubyte[.gz]`` and ``<prefix>-labels-idx1-ubyte[.gz]``; return the arrays."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    suffix = ".gz" if gz else ""
    write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, gz)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, gz)
    return images, labels


def cifar_bytes(images: np.ndarray, labels: np.ndarray) -> bytes:
    """CIFAR-10 binary records for HWC uint8 images: label byte, then the R, G and B planes."""
    planes = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    return np.concatenate([labels.astype(np.uint8)[:, None], planes], axis=1).tobytes()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves files from ``server.root``; honours ``Range: bytes=N-``; can cut a reply short once per path."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        path = server.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match and server.honour_range:
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path in server.cut_once:
            server.cut_once.discard(self.path)
            body = body[: len(body) // 2]
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_server(tmp_path):
    """A local server over ``tmp_path / "served"``; ``.url`` is its base address."""
    root = tmp_path / "served"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RangeHandler)
    server.daemon_threads = True
    server.root, server.requests, server.cut_once, server.honour_range = root, [], set(), True
    server.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


# nothing listens on port 1: connecting fails at once, without touching the network
UNREACHABLE = "http://127.0.0.1:1/"
