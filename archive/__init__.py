"""Side by Side's archive: encrypted storage of interviews, media and transcripts.

A library with a small typed API used the same way by the desktop app, the command
line and the tests.  It never imports Qt or Whisper.
"""

from .archive import Archive
from .clips import CLIP_KINDS, Clip
from .errors import (
    ArchiveError,
    ArchiveExistsError,
    ArchiveLockedError,
    ArchiveNotFoundError,
    CorruptDatabaseError,
    CorruptMediaError,
    DiskFullError,
    EmptyMediaError,
    ImportCancelledError,
    KeyfileError,
    MediaImportError,
    NewerArchiveError,
    NotFoundError,
    NotMediaError,
    UnreadableFileError,
    UnsupportedMediaError,
    VaultError,
    VaultIntegrityError,
    WeakKdfError,
    WrongPassphraseError,
)
from .keys import KdfParams
from .places import Place, PlaceName
from .records import (
    AuditEntry,
    Interview,
    InterviewMetadata,
    InterviewSummary,
    MediaFile,
    Narrator,
    NewSegment,
    Problem,
    Segment,
    VerifyReport,
    Word,
)
from .search import SearchFilters, SearchHit
from .themes import Theme, ThemeInUseError, ThemeNode, ThemeUsage
from .util import InvalidInputError
from .verify import verify_archive

__all__ = [
    "CLIP_KINDS",
    "Archive",
    "ArchiveError",
    "ArchiveExistsError",
    "ArchiveLockedError",
    "ArchiveNotFoundError",
    "AuditEntry",
    "Clip",
    "CorruptDatabaseError",
    "CorruptMediaError",
    "DiskFullError",
    "EmptyMediaError",
    "ImportCancelledError",
    "Interview",
    "InterviewMetadata",
    "InterviewSummary",
    "InvalidInputError",
    "KdfParams",
    "KeyfileError",
    "MediaFile",
    "MediaImportError",
    "Narrator",
    "NewSegment",
    "NewerArchiveError",
    "NotFoundError",
    "NotMediaError",
    "Place",
    "PlaceName",
    "Problem",
    "SearchFilters",
    "SearchHit",
    "Segment",
    "Theme",
    "ThemeInUseError",
    "ThemeNode",
    "ThemeUsage",
    "UnreadableFileError",
    "UnsupportedMediaError",
    "VaultError",
    "VaultIntegrityError",
    "VerifyReport",
    "WeakKdfError",
    "Word",
    "WrongPassphraseError",
    "verify_archive",
]
