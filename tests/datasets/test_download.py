"""The downloader, against a local HTTP server: checksums, resuming a .part, Range ignored, mirror fallback."""

import hashlib
from pathlib import Path

import pytest

from saessak.datasets.download import Resource, check_root, data_home, download_resource, file_digest

from .conftest import UNREACHABLE, sha256

PAYLOAD = bytes(range(256)) * 40  # 10 KiB


@pytest.fixture
def served(http_server):
    (http_server.root / "blob.bin").write_bytes(PAYLOAD)
    return http_server


def _resource(server, **checks):
    return Resource("blob.bin", (server.url + "blob.bin",), **checks)


def test_download_verifies_and_renames_atomically(served, tmp_path):
    resource = _resource(served, sha256=hashlib.sha256(PAYLOAD).hexdigest(), md5=hashlib.md5(PAYLOAD).hexdigest())
    path = download_resource(resource, tmp_path / "cache")
    assert path == tmp_path / "cache" / "blob.bin" and path.read_bytes() == PAYLOAD
    assert not (tmp_path / "cache" / "blob.bin.part").exists()
    assert served.requests == [("/blob.bin", None)]


def test_existing_file_is_used_without_network(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"placed by hand")
    path = download_resource(Resource("blob.bin", (UNREACHABLE + "blob.bin",)), tmp_path)
    assert path.read_bytes() == b"placed by hand"


def test_partial_file_is_resumed_with_a_range_request(served, tmp_path):
    (tmp_path / "blob.bin.part").write_bytes(PAYLOAD[:1000])
    path = download_resource(_resource(served, sha256=hashlib.sha256(PAYLOAD).hexdigest()), tmp_path)
    assert path.read_bytes() == PAYLOAD
    assert served.requests == [("/blob.bin", "bytes=1000-")]


def test_interrupted_download_keeps_the_part_and_the_next_call_resumes(served, tmp_path):
    served.cut_once.add("/blob.bin")
    resource = _resource(served, sha256=hashlib.sha256(PAYLOAD).hexdigest())
    with pytest.raises(RuntimeError, match="connection closed after 5120 of 10240 bytes"):
        download_resource(resource, tmp_path)
    assert (tmp_path / "blob.bin.part").stat().st_size == len(PAYLOAD) // 2
    assert download_resource(resource, tmp_path).read_bytes() == PAYLOAD
    assert served.requests[-1] == ("/blob.bin", f"bytes={len(PAYLOAD) // 2}-")


def test_server_that_ignores_range_sends_the_whole_file(served, tmp_path):
    served.honour_range = False
    (tmp_path / "blob.bin.part").write_bytes(PAYLOAD[:1000])
    assert download_resource(_resource(served), tmp_path).read_bytes() == PAYLOAD


def test_complete_part_answered_with_416_is_accepted(served, tmp_path):
    (tmp_path / "blob.bin.part").write_bytes(PAYLOAD)
    path = download_resource(_resource(served, md5=hashlib.md5(PAYLOAD).hexdigest()), tmp_path)
    assert path.read_bytes() == PAYLOAD


def test_stale_part_with_wrong_bytes_is_fetched_again_from_zero(served, tmp_path):
    (tmp_path / "blob.bin.part").write_bytes(b"x" * 1000)
    path = download_resource(_resource(served, sha256=hashlib.sha256(PAYLOAD).hexdigest()), tmp_path)
    assert path.read_bytes() == PAYLOAD
    assert served.requests == [("/blob.bin", "bytes=1000-"), ("/blob.bin", None)]


def test_falls_back_to_the_next_mirror(served, tmp_path):
    resource = Resource("blob.bin", (UNREACHABLE + "blob.bin", served.url + "missing/blob.bin",
                                     served.url + "blob.bin"), sha256=hashlib.sha256(PAYLOAD).hexdigest())
    assert download_resource(resource, tmp_path).read_bytes() == PAYLOAD
    assert [path for path, _ in served.requests] == ["/missing/blob.bin", "/blob.bin"]


def test_checksum_mismatch_removes_the_download_and_explains(served, tmp_path):
    wrong = "0" * 64
    with pytest.raises(RuntimeError, match=f"checksum mismatch .*expected sha256 {wrong}, got "):
        download_resource(_resource(served, sha256=wrong), tmp_path)
    assert list(tmp_path.glob("blob.bin*")) == []


def test_every_failing_address_is_listed(served, tmp_path):
    resource = Resource("blob.bin", (UNREACHABLE + "blob.bin", served.url + "nope.bin"))
    with pytest.raises(RuntimeError, match="could not download blob.bin") as info:
        download_resource(resource, tmp_path)
    assert UNREACHABLE + "blob.bin" in str(info.value) and "HTTP 404" in str(info.value)


def test_data_home_order_root_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv("SAESSAK_DATA", raising=False)
    assert data_home() == Path.home() / ".cache" / "saessak" / "datasets"
    monkeypatch.setenv("SAESSAK_DATA", str(tmp_path))
    assert data_home() == tmp_path
    assert data_home(tmp_path / "x") == tmp_path / "x"
    with pytest.raises(TypeError, match="root must be a folder path .* got int"):
        check_root(5)


def test_resource_needs_an_address_and_digest_reads_files(tmp_path):
    with pytest.raises(ValueError, match="at least one URL"):
        Resource("a.bin", ())
    assert Resource("a.bin", "http://x/a.bin").urls == ("http://x/a.bin",)
    (tmp_path / "f").write_bytes(b"abc")
    assert file_digest(tmp_path / "f") == sha256(tmp_path / "f")
