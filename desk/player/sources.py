"""Which bytes the player plays, opened from the vault as a :class:`VaultDevice`.

The ORIGINAL is played when it can be: it is the exact recording (its own sample
rate, channels and timing), and QtMultimedia's FFmpeg backend opens every container
the importer accepts straight from a ``QIODevice`` - on this build WAV, FLAC, MP3,
Ogg/Opus, M4A/AAC, and MP4 and WebM with a video track (the video is ignored).  If
the backend ever refuses one (another Qt build, an odd codec), the player falls back
to the WORKING copy, 16 kHz mono PCM, served as a WAV with a header made in memory.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import PurePath

from PySide6.QtCore import QUrl

from archive import Archive

from .vault_device import VaultDevice
from .wav import wav_header


class MediaKind(enum.StrEnum):
    ORIGINAL = "original"
    WORKING = "working"


@dataclass
class PlaybackSource:
    """An opened device and the name the backend probes it under."""

    kind: MediaKind
    device: VaultDevice
    url: QUrl


def open_source(archive: Archive, interview_id: str, kind: MediaKind) -> PlaybackSource:
    """Open the interview's ``kind`` media for playback.

    Raises the archive's errors (``NotFoundError``, ``VaultError``,
    ``VaultIntegrityError``) with plain messages when it cannot.
    """
    media = archive.media.of_role(interview_id, kind.value)
    stream = archive.media.open(media.id)
    if kind is MediaKind.WORKING:
        device = VaultDevice(stream, media.size, header=wav_header(media.size))
        extension = "wav"
    else:
        device = VaultDevice(stream, media.size)
        extension = PurePath(media.filename or "").suffix.lstrip(".").lower() or "bin"
    # Only the extension helps FFmpeg guess the container; the file name (which may
    # carry a narrator's name) stays out of the backend and its log messages.
    return PlaybackSource(kind, device, QUrl(f"{kind.value}.{extension}"))
