"""Passphrase -> Argon2id -> key-encryption key -> master key -> subkeys.

The master key is random and never changes, so changing the passphrase only
rewraps it (no media or database is rewritten).  The key file stores the KDF salt
and parameters and the wrapped master key; the parameters are authenticated as
associated data, so editing them breaks the unwrap.
"""

from __future__ import annotations

import base64
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import (
    ArchiveLockedError,
    ArchiveNotFoundError,
    KeyfileError,
    NewerArchiveError,
    WeakKdfError,
    WrongPassphraseError,
)
from .fsutil import atomic_write_bytes

KEYFILE_FORMAT = "sidebyside-keyfile"
KEYFILE_VERSION = 1
KEY_BYTES = 32

# Subkey purposes: one per use, so a key is never used for two things.
PURPOSE_DATABASE = "database"
PURPOSE_MEDIA = "media"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost.  The default takes about one second on a 2-core laptop."""

    time_cost: int = 4
    memory_kib: int = 256 * 1024
    parallelism: int = 2

    # OWASP's floor for Argon2id; nothing weaker is ever accepted.
    FLOOR_TIME = 2
    FLOOR_MEMORY_KIB = 19 * 1024
    FLOOR_PARALLELISM = 1

    @classmethod
    def minimum(cls) -> KdfParams:
        """The weakest accepted settings (fast; used by tests)."""
        return cls(cls.FLOOR_TIME, cls.FLOOR_MEMORY_KIB, cls.FLOOR_PARALLELISM)

    def check_floor(self) -> None:
        if (
            self.time_cost < self.FLOOR_TIME
            or self.memory_kib < self.FLOOR_MEMORY_KIB
            or self.parallelism < self.FLOOR_PARALLELISM
        ):
            raise WeakKdfError(
                "Key derivation settings are below the safe minimum "
                f"(Argon2id m={self.FLOOR_MEMORY_KIB // 1024} MiB, t={self.FLOOR_TIME}, "
                f"p={self.FLOOR_PARALLELISM})."
            )


def _normalise(passphrase: str) -> bytes:
    # The same passphrase typed on different keyboards (Armenian, Georgian...)
    # may arrive in different Unicode forms.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        _normalise(passphrase),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


class MasterKey:
    """The archive's master key, held in a buffer that :meth:`wipe` zeroes."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("master key must be 32 bytes")
        self._key = bytearray(key)
        self._wiped = False

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def _bytes(self) -> bytes:
        if self._wiped:
            raise ArchiveLockedError("The archive is locked. Unlock it with the passphrase.")
        return bytes(self._key)

    def raw(self) -> bytes:
        """The key bytes, only to hand to a worker process of this app."""
        return self._bytes()

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose, derived with HKDF-SHA256."""
        return HKDF(
            algorithm=hashes.SHA256(),
            length=KEY_BYTES,
            salt=None,
            info=f"sidebyside/v1/{purpose}".encode(),
        ).derive(self._bytes())

    def wipe(self) -> None:
        for i in range(len(self._key)):
            self._key[i] = 0
        self._wiped = True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _associated_data(header: dict[str, Any]) -> bytes:
    authenticated = {k: header[k] for k in ("format", "version", "archive_id", "kdf")}
    return json.dumps(authenticated, sort_keys=True, separators=(",", ":")).encode()


def _build_keyfile(master: MasterKey, passphrase: str, params: KdfParams, archive_id: str) -> bytes:
    params.check_floor()
    salt = secrets.token_bytes(16)
    header: dict[str, Any] = {
        "format": KEYFILE_FORMAT,
        "version": KEYFILE_VERSION,
        "archive_id": archive_id,
        "kdf": {"algorithm": "argon2id", "salt": _b64(salt), **asdict(params)},
    }
    kek = derive_kek(passphrase, salt, params)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(kek).encrypt(nonce, master._bytes(), _associated_data(header))
    header["wrap"] = {"algorithm": "AES-256-GCM", "nonce": _b64(nonce), "ciphertext": _b64(wrapped)}
    return json.dumps(header, indent=2, sort_keys=True).encode() + b"\n"


def create_keyfile(path: Path, passphrase: str, params: KdfParams) -> tuple[MasterKey, str]:
    """Write a new key file with a fresh master key; return it and the archive id."""
    master = MasterKey.generate()
    archive_id = secrets.token_hex(16)
    atomic_write_bytes(path, _build_keyfile(master, passphrase, params, archive_id))
    return master, archive_id


def read_keyfile(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ArchiveNotFoundError(
            f"No archive here: {path.parent} has no key file. Create one with 'init'."
        ) from None
    damaged = KeyfileError("The key file is damaged and cannot be read.")
    try:
        header = json.loads(raw)
        version = int(header["version"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise damaged from exc
    if header.get("format") != KEYFILE_FORMAT:
        raise KeyfileError("The key file is not a Side by Side key file.")
    if version > KEYFILE_VERSION:
        raise NewerArchiveError(
            "This archive was created by a newer version of Side by Side. "
            "Update the app to open it."
        )
    if not isinstance(header.get("kdf"), dict) or not isinstance(header.get("wrap"), dict):
        raise damaged
    return header


def unlock_keyfile(path: Path, passphrase: str) -> tuple[MasterKey, str]:
    """Unwrap the master key; :class:`WrongPassphraseError` if it does not open."""
    header = read_keyfile(path)
    kdf = header["kdf"]
    try:
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]))
        salt = _unb64(kdf["salt"])
        nonce = _unb64(header["wrap"]["nonce"])
        wrapped = _unb64(header["wrap"]["ciphertext"])
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyfileError("The key file is damaged and cannot be read.") from exc
    params.check_floor()
    kek = derive_kek(passphrase, salt, params)
    try:
        key = AESGCM(kek).decrypt(nonce, wrapped, _associated_data(header))
    except InvalidTag:
        raise WrongPassphraseError() from None
    return MasterKey(key), str(header["archive_id"])


def rewrap_keyfile(
    path: Path, master: MasterKey, new_passphrase: str, params: KdfParams | None = None
) -> None:
    """Wrap the same master key under a new passphrase (new salt), atomically."""
    header = read_keyfile(path)
    if params is None:
        kdf = header["kdf"]
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]))
    data = _build_keyfile(master, new_passphrase, params, str(header["archive_id"]))
    atomic_write_bytes(path, data)
