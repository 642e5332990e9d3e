"""The encrypted media vault: round trips, random access, tamper detection, no leftovers."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import DiskFullError, VaultError, VaultIntegrityError
from archive.vault import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE, VaultReader, VaultWriter, verify_file

KEY = os.urandom(32)


def store(tmp_path: Path, data: bytes, *, pieces: int = 3) -> Path:
    with VaultWriter(tmp_path, KEY) as w:
        step = max(1, len(data) // pieces)
        for i in range(0, len(data), step):
            w.write(data[i : i + step])
        stored = w.commit()
    assert stored.size == len(data)
    return tmp_path / stored.id


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])
def test_round_trip_at_chunk_edges(tmp_path: Path, size: int):
    data = os.urandom(size)
    path = store(tmp_path, data)
    with VaultReader(path, KEY) as r:
        assert r.size == size
        assert r.read() == data
    assert verify_file(path, KEY)[0] == size
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp file left


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(min_size=0, max_size=3 * 4096 + 17),
    reads=st.lists(st.tuples(st.integers(0, 13000), st.integers(0, 5000)), max_size=8),
)
def test_random_access_matches_plaintext(tmp_path_factory, data: bytes, reads):
    folder = tmp_path_factory.mktemp("v")
    with VaultWriter(folder, KEY, chunk_size=4096) as w:
        w.write(data)
        path = folder / w.commit().id
    with io.BufferedReader(VaultReader(path, KEY)) as r:
        for offset, length in reads:
            r.seek(offset)
            assert r.read(length) == data[offset : offset + length]


def test_names_are_random_and_reveal_nothing(tmp_path: Path):
    a = store(tmp_path, b"same bytes")
    b = store(tmp_path, b"same bytes")
    assert a.name != b.name and len(a.name) == 32
    assert a.read_bytes()[HEADER_SIZE:] != b.read_bytes()[HEADER_SIZE:]
    assert b"same bytes" not in a.read_bytes()


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["header", "key", "first chunk", "last chunk", "tag"])
def test_bit_flip_anywhere_is_detected(tmp_path: Path, where: str):
    path = store(tmp_path, os.urandom(2 * CHUNK_SIZE + 100))
    size = path.stat().st_size
    offset = {
        "header": 2,
        "key": HEADER_SIZE - 5,
        "first chunk": HEADER_SIZE + 10,
        "last chunk": size - TAG_SIZE - 3,
        "tag": size - 1,
    }[where]
    _flip(path, offset)
    with pytest.raises(VaultIntegrityError):
        verify_file(path, KEY)


@pytest.mark.parametrize("cut", [1, TAG_SIZE, 100 + TAG_SIZE, CHUNK_SIZE + TAG_SIZE + 100])
def test_truncation_is_detected(tmp_path: Path, cut: int):
    path = store(tmp_path, os.urandom(2 * CHUNK_SIZE + 100))
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size - cut)
    with pytest.raises(VaultIntegrityError):
        verify_file(path, KEY)


def test_truncation_at_a_chunk_boundary_is_detected(tmp_path: Path):
    path = store(tmp_path, os.urandom(3 * CHUNK_SIZE))
    with open(path, "r+b") as f:
        f.truncate(HEADER_SIZE + 2 * (CHUNK_SIZE + TAG_SIZE))  # drop the whole last chunk
    with pytest.raises(VaultIntegrityError):
        VaultReader(path, KEY)


def test_swapped_chunks_are_detected(tmp_path: Path):
    path = store(tmp_path, os.urandom(3 * CHUNK_SIZE))
    data = bytearray(path.read_bytes())
    sealed = CHUNK_SIZE + TAG_SIZE
    first = data[HEADER_SIZE : HEADER_SIZE + sealed]
    second = data[HEADER_SIZE + sealed : HEADER_SIZE + 2 * sealed]
    data[HEADER_SIZE : HEADER_SIZE + 2 * sealed] = second + first
    path.write_bytes(bytes(data))
    with pytest.raises(VaultIntegrityError, match="chunk 0"):
        verify_file(path, KEY)


def test_file_renamed_onto_another_id_is_detected(tmp_path: Path):
    a = store(tmp_path, b"a" * 100)
    b = store(tmp_path, b"b" * 100)
    shutil.copyfile(a, b)
    with pytest.raises(VaultIntegrityError, match="another file"):
        VaultReader(b, KEY)


def test_wrong_media_key_is_detected(tmp_path: Path):
    path = store(tmp_path, b"x" * 10)
    with pytest.raises(VaultIntegrityError):
        VaultReader(path, os.urandom(32))


def test_missing_file(tmp_path: Path):
    with pytest.raises(VaultError, match="missing"):
        VaultReader(tmp_path / ("0" * 32), KEY)


def test_abort_leaves_nothing(tmp_path: Path):
    with pytest.raises(RuntimeError), VaultWriter(tmp_path, KEY) as w:
        w.write(b"partial")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_is_a_clear_error_and_leaves_nothing(small_disk):
    tiny_disk = small_disk("256k")
    with pytest.raises(DiskFullError, match="disk is full"), VaultWriter(tiny_disk, KEY) as w:
        for _ in range(100):
            w.write(os.urandom(CHUNK_SIZE))
        w.commit()
    assert list(tiny_disk.iterdir()) == []
