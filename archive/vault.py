"""The media vault: every file encrypted in authenticated chunks.

The construction follows age's STREAM: the plaintext is cut into 64 KiB chunks,
each sealed with AES-256-GCM under a random per-file key, with a nonce made of an
11-byte chunk counter and a last-chunk flag.  Reordering, dropping or truncating
chunks, or flipping any bit, fails authentication.  The per-file key is wrapped by
the archive's media key, with the header fields as associated data, so editing the
header (or renaming a file onto another's id) is detected too.  Any chunk can be
decrypted alone, which gives random access for seeking in playback.

File layout::

    version (1) | chunk size (4, big-endian) | file id (16) | key nonce (12)
    | wrapped file key (48) | chunk 0 | chunk 1 | ... | last chunk

Each chunk is ``ciphertext || 16-byte tag``; all but the last hold exactly
``chunk size`` bytes of plaintext.  The last may be shorter, and is empty only when
the whole file is.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import DiskFullError, VaultError, VaultIntegrityError
from .fsutil import fsync_dir, is_disk_full
from .paths import VAULT_TMP_PREFIX

FORMAT_VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
_HEADER = struct.Struct(">BI16s12s48s")
HEADER_SIZE = _HEADER.size
_ID_RE = re.compile(r"^[0-9a-f]{32}$")


def new_file_id() -> str:
    return secrets.token_hex(16)


def is_vault_name(name: str) -> bool:
    return bool(_ID_RE.match(name))


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _header_aad(version: int, chunk_size: int, file_id: bytes) -> bytes:
    return struct.pack(">BI16s", version, chunk_size, file_id)


@dataclass(frozen=True)
class StoredFile:
    """What the vault knows of a file it has written."""

    id: str
    size: int
    sha256: str


class VaultWriter:
    """Streams plaintext into a new vault file; nothing is visible until :meth:`commit`.

    Data goes to a temporary name in the vault folder.  ``commit`` seals the last
    chunk, fsyncs, renames to the file's id and fsyncs the folder; only then may the
    caller write the database row.  ``abort`` (or leaving a ``with`` block on an
    error) removes the temporary file.
    """

    def __init__(self, vault_dir: Path, media_key: bytes, chunk_size: int = CHUNK_SIZE) -> None:
        self.id = new_file_id()
        self._dir = vault_dir
        self._chunk_size = chunk_size
        self._tmp = vault_dir / f"{VAULT_TMP_PREFIX}{secrets.token_hex(8)}"
        self._file_key = AESGCM.generate_key(bit_length=256)
        self._aead = AESGCM(self._file_key)
        self._buffer = bytearray()
        self._index = 0
        self._size = 0
        self._sha = hashlib.sha256()
        self._done = False
        self._out = self._guard(lambda: open(self._tmp, "xb"))  # noqa: SIM115 - closed in commit/abort
        file_id = bytes.fromhex(self.id)
        key_nonce = secrets.token_bytes(12)
        wrapped = AESGCM(media_key).encrypt(
            key_nonce, self._file_key, _header_aad(FORMAT_VERSION, chunk_size, file_id)
        )
        self._write(_HEADER.pack(FORMAT_VERSION, chunk_size, file_id, key_nonce, wrapped))

    def _guard(self, action: Callable[[], object]) -> object:
        try:
            return action()
        except OSError as exc:
            self.abort()
            if is_disk_full(exc):
                raise DiskFullError(
                    "The disk is full: the media file could not be stored. Nothing was added."
                ) from exc
            raise

    def _write(self, data: bytes) -> None:
        self._guard(lambda: self._out.write(data))

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._done:
            raise ValueError("vault writer is closed")
        self._sha.update(data)
        self._size += len(data)
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as last.
        while len(self._buffer) > self._chunk_size:
            chunk = bytes(self._buffer[: self._chunk_size])
            del self._buffer[: self._chunk_size]
            self._write(self._aead.encrypt(_nonce(self._index, False), chunk, None))
            self._index += 1

    def commit(self) -> StoredFile:
        if self._done:
            raise ValueError("vault writer is closed")
        self._write(self._aead.encrypt(_nonce(self._index, True), bytes(self._buffer), None))
        final = self._dir / self.id

        def seal() -> None:
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
            self._tmp.replace(final)
            fsync_dir(self._dir)

        self._guard(seal)
        self._done = True
        return StoredFile(self.id, self._size, self._sha.hexdigest())

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        out = getattr(self, "_out", None)
        if out is not None:
            # Closing flushes; on a full disk that fails too, and must not hide
            # the original error or keep the temporary file.
            with contextlib.suppress(OSError):
                out.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> VaultWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            self.abort()


class VaultReader(io.RawIOBase):
    """Read-only, seekable plaintext view of one vault file.

    Opening authenticates the header and the last chunk (so a truncated file is
    refused at once); every read authenticates the chunks it touches.
    """

    def __init__(self, path: Path, media_key: bytes) -> None:
        super().__init__()
        self.path = path
        self.id = path.name
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None
        try:
            self._f = open(path, "rb")  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise VaultError(f"Media file {self.id} is missing from the vault.") from None
        try:
            self._open(media_key)
        except BaseException:
            self._f.close()
            raise

    def _fail(self, what: str) -> VaultIntegrityError:
        return VaultIntegrityError(f"Media file {self.id} failed its integrity check: {what}.")

    def _open(self, media_key: bytes) -> None:
        head = self._f.read(HEADER_SIZE)
        if len(head) < HEADER_SIZE:
            raise self._fail("the header is truncated")
        version, chunk_size, file_id, key_nonce, wrapped = _HEADER.unpack(head)
        if version != FORMAT_VERSION:
            raise self._fail(f"unknown format version {version}")
        if file_id.hex() != self.id:
            raise self._fail("it is stored under another file's name")
        try:
            file_key = AESGCM(media_key).decrypt(
                key_nonce, wrapped, _header_aad(version, chunk_size, file_id)
            )
        except InvalidTag:
            raise self._fail("the header was altered") from None
        self._aead = AESGCM(file_key)
        self._chunk_size = chunk_size
        body = os.fstat(self._f.fileno()).st_size - HEADER_SIZE
        sealed = chunk_size + TAG_SIZE
        if body < TAG_SIZE:
            raise self._fail("it is truncated")
        self.chunk_count = -(-body // sealed)
        last_len = body - (self.chunk_count - 1) * sealed - TAG_SIZE
        if last_len < 0 or (last_len == 0 and self.chunk_count > 1):
            raise self._fail("it is truncated")
        self.size = (self.chunk_count - 1) * chunk_size + last_len
        self._chunk(self.chunk_count - 1)  # authenticates the end: catches truncation

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        sealed = self._chunk_size + TAG_SIZE
        self._f.seek(HEADER_SIZE + index * sealed)
        data = self._f.read(sealed)
        last = index == self.chunk_count - 1
        try:
            plain = self._aead.decrypt(_nonce(index, last), data, None)
        except InvalidTag:
            raise self._fail(f"chunk {index} was altered, moved or cut") from None
        self._cached = (index, plain)
        return plain

    def iter_chunks(self) -> Iterator[bytes]:
        """Every chunk's plaintext, in order (authenticating each)."""
        for index in range(self.chunk_count):
            yield self._chunk(index)

    # io.RawIOBase interface
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        pos = base + offset
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self._pos < self.size:
            index, offset = divmod(self._pos, self._chunk_size)
            piece = self._chunk(index)[offset : offset + len(view) - written]
            view[written : written + len(piece)] = piece
            written += len(piece)
            self._pos += len(piece)
        return written

    def readall(self) -> bytes:
        out = bytearray()
        while self._pos < self.size:
            index, offset = divmod(self._pos, self._chunk_size)
            piece = self._chunk(index)[offset:]
            out += piece
            self._pos += len(piece)
        return bytes(out)

    def close(self) -> None:
        if not self.closed:
            self._f.close()
            self._cached = None
        super().close()


def verify_file(path: Path, media_key: bytes) -> tuple[int, str]:
    """Authenticate every chunk; return (plaintext size, SHA-256 hex)."""
    sha = hashlib.sha256()
    with VaultReader(path, media_key) as reader:
        for chunk in reader.iter_chunks():
            sha.update(chunk)
        return reader.size, sha.hexdigest()
