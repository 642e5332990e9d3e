"""Media rows and their encrypted vault files."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import NotFoundError, VaultIntegrityError
from .fsutil import atomic_output
from .media import pcm_to_float32
from .records import MediaFile, from_row
from .vault import VaultReader

if TYPE_CHECKING:
    from .archive import Archive


class MediaStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def get(self, media_id: str) -> MediaFile:
        rows = list(self._archive.db.query("SELECT * FROM media WHERE id = ?", [media_id]))
        if not rows:
            raise NotFoundError(f"No media file with id {media_id}.")
        return from_row(MediaFile, rows[0])

    def list(self) -> list[MediaFile]:
        return [from_row(MediaFile, r) for r in self._archive.db.query("SELECT * FROM media")]

    def for_interview(self, interview_id: str) -> list[MediaFile]:
        rows = self._archive.db.query(
            "SELECT * FROM media WHERE interview_id = ? ORDER BY role", [interview_id]
        )
        return [from_row(MediaFile, r) for r in rows]

    def of_role(self, interview_id: str, role: str) -> MediaFile:
        rows = list(
            self._archive.db.query(
                "SELECT * FROM media WHERE interview_id = ? AND role = ?", [interview_id, role]
            )
        )
        if not rows:
            raise NotFoundError(f"Interview {interview_id} has no {role} media.")
        return from_row(MediaFile, rows[0])

    def has_original(self, interview_id: str) -> bool:
        rows = self._archive.db.query(
            "SELECT 1 FROM media WHERE interview_id = ? AND role = 'original' LIMIT 1",
            [interview_id],
        )
        return any(True for _ in rows)

    def open(self, media_id: str) -> io.BufferedReader:
        """A seekable, decrypting reader of a media file's plaintext."""
        raw = VaultReader(self._archive.vault_path(media_id), self._archive.media_key())
        return io.BufferedReader(raw, buffer_size=64 * 1024)

    def read_all(self, media_id: str) -> bytes:
        with self.open(media_id) as f:
            return f.read()

    def write_original(self, interview_id: str, out: Path) -> MediaFile:
        """Write the exact original bytes to ``out``, checked against the import SHA-256.

        The file appears only when complete and verified; on any error nothing is
        left at ``out``.
        """
        item = self.of_role(interview_id, "original")
        sha = hashlib.sha256()
        with self.open(item.id) as src, atomic_output(Path(out)) as dst:
            while chunk := src.read(1024 * 1024):
                sha.update(chunk)
                dst.write(chunk)
            if sha.hexdigest() != item.sha256:
                raise VaultIntegrityError(
                    f"Media file {item.id} does not match the checksum recorded at import."
                )
        self._archive.audit.record("media.export_original", "interview", interview_id)
        return item

    def working_audio(self, interview_id: str) -> np.ndarray:
        """The interview's 16 kHz mono working copy as float32, decrypted in memory."""
        item = self.of_role(interview_id, "working")
        return pcm_to_float32(self.read_all(item.id))
