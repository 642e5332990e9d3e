"""Typed errors with plain messages.

Every error the archive raises on purpose derives from :class:`ArchiveError`; its
``str()`` is a sentence a user can read, and never contains testimony content.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: something the user can act on."""


class ArchiveNotFoundError(ArchiveError):
    """The folder is not a Side by Side archive."""


class ArchiveExistsError(ArchiveError):
    """An archive (or other files) already occupy the chosen folder."""


class WrongPassphraseError(ArchiveError):
    """The passphrase does not unlock this archive."""

    def __init__(self) -> None:
        super().__init__("Wrong passphrase: this passphrase does not unlock the archive.")


class WeakKdfError(ArchiveError):
    """Key-derivation settings below the safe floor were requested."""


class KeyfileError(ArchiveError):
    """The key file is missing, damaged, or of an unknown format."""


class NewerArchiveError(ArchiveError):
    """The archive was written by a newer version of the app."""


class ArchiveLockedError(ArchiveError):
    """The archive has been locked; its keys were dropped."""


class CorruptDatabaseError(ArchiveError):
    """The encrypted database cannot be read: it is damaged."""


class VaultError(ArchiveError):
    """A media file in the vault is missing or cannot be decrypted."""


class VaultIntegrityError(VaultError):
    """A vault file failed authentication: it was altered, truncated or reordered."""


class NotFoundError(ArchiveError):
    """A record (interview, narrator, media...) does not exist."""


class DiskFullError(ArchiveError):
    """The disk ran out of space; nothing was written."""


class MediaImportError(ArchiveError):
    """A file could not be imported. Nothing was added to the archive."""


class UnreadableFileError(MediaImportError):
    """The file cannot be opened (missing, a folder, no permission)."""


class EmptyMediaError(MediaImportError):
    """The file is empty."""


class NotMediaError(MediaImportError):
    """The file is not audio or video that FFmpeg understands."""


class UnsupportedMediaError(MediaImportError):
    """The file is media, but its audio cannot be decoded (no audio, unknown codec)."""


class CorruptMediaError(MediaImportError):
    """The file is truncated or damaged."""


class ImportCancelledError(MediaImportError):
    """The user cancelled the import; nothing was added."""
