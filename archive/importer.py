"""Import: file -> decode & check -> vault (working copy, original) -> rows committed.

Order matters for "nothing is lost, nothing half-done":

1. The source is decoded first, its working copy streamed into a vault writer.  A
   file that is not audio, or is damaged, fails here and leaves nothing.
2. The original bytes are streamed into a second writer, hashed on the way.
3. Both vault files are committed (fsync, rename, folder fsync).
4. One database transaction adds the narrator (if new), the interview, both media
   rows and the audit entry.

A crash before 4 leaves at most unreferenced vault files, which the next open sweeps
away; a crash after 4 leaves a complete interview.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .errors import (
    EmptyMediaError,
    ImportCancelledError,
    UnreadableFileError,
)
from .media import WORKING_CODEC, WORKING_CONTAINER, WORKING_RATE, decode_to_working_copy
from .records import Interview, InterviewMetadata
from .util import now
from .vault import StoredFile, VaultWriter

if TYPE_CHECKING:
    from .archive import Archive

Progress = Callable[[float], None]

# Share of the progress bar each phase takes.
_DECODE_SHARE = 0.8


def _open_source(path: Path) -> tuple[BinaryIO, int]:
    name = path.name
    try:
        f = open(path, "rb")  # noqa: SIM115 - returned to the caller's with-block
    except FileNotFoundError:
        raise UnreadableFileError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise UnreadableFileError(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise UnreadableFileError(f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise UnreadableFileError(f"{name} cannot be read: {exc.strerror}.") from None
    size = path.stat().st_size
    if size == 0:
        f.close()
        raise EmptyMediaError(f"{name} is empty (0 bytes).")
    return f, size


def import_media(
    archive: Archive,
    path: Path,
    meta: InterviewMetadata | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Interview:
    """Import one audio or video file as a new interview.

    Raises a :class:`MediaImportError` subclass (plain message) for bad input, and
    leaves no row and no vault file behind on any failure.
    """
    path = Path(path)
    meta = meta or InterviewMetadata()
    # Validate the metadata before any work: a bad date costs nothing.
    row = archive.interviews.row_for_new(meta, duration=None)
    media_key = archive.media_key()
    stored: list[StoredFile] = []
    source, size = _open_source(path)
    try:
        with source:
            with VaultWriter(archive.paths.vault, media_key) as working:
                info, duration = decode_to_working_copy(
                    source,
                    working.write,
                    name=path.name,
                    progress=(lambda f: progress(f * _DECODE_SHARE)) if progress else None,
                    cancelled=cancelled,
                )
                working_file = working.commit()
            stored.append(working_file)

            source.seek(0)
            copied = 0
            with VaultWriter(archive.paths.vault, media_key) as original:
                while chunk := source.read(1024 * 1024):
                    original.write(chunk)
                    copied += len(chunk)
                    if progress:
                        progress(_DECODE_SHARE + (1 - _DECODE_SHARE) * copied / size)
                original_file = original.commit()
            stored.append(original_file)

        if cancelled is not None and cancelled():
            raise ImportCancelledError("Import cancelled. Nothing was added.")

        row["duration"] = round(duration, 3)
        stamp = now()
        db = archive.db
        with db.atomic():
            if meta.narrator:
                row["narrator_id"] = archive.narrators.find_or_create(meta.narrator).id
            db["interviews"].insert(row)
            common = {"interview_id": row["id"], "created_at": stamp}
            db["media"].insert(
                {
                    **common,
                    "id": original_file.id,
                    "role": "original",
                    "filename": path.name,
                    "container": info.container,
                    "codec": info.codec,
                    "sample_rate": info.sample_rate,
                    "channels": info.channels,
                    "duration": round(duration, 3),
                    "has_video": int(info.has_video),
                    "size": original_file.size,
                    "sha256": original_file.sha256,
                }
            )
            db["media"].insert(
                {
                    **common,
                    "id": working_file.id,
                    "role": "working",
                    "container": WORKING_CONTAINER,
                    "codec": WORKING_CODEC,
                    "sample_rate": WORKING_RATE,
                    "channels": 1,
                    "duration": round(duration, 3),
                    "size": working_file.size,
                    "sha256": working_file.sha256,
                }
            )
            archive.audit.record("interview.import", "interview", row["id"])
    except BaseException:
        for item in stored:
            archive.vault_path(item.id).unlink(missing_ok=True)
        raise
    if progress:
        progress(1.0)
    return archive.interviews.get(row["id"])
