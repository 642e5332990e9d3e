"""The archive facade: one object the UI, the CLI and the tests all use."""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from . import db as dbmod
from .anthologies import AnthologyStore
from .audit import AuditLog
from .clips import ClipStore
from .consent import ConsentStore
from .errors import (
    ArchiveExistsError,
    ArchiveLockedError,
    ArchiveNotFoundError,
    CorruptDatabaseError,
)
from .folding import install as install_folding
from .importer import import_media
from .interviews import InterviewStore
from .jobs import JobStore
from .keys import (
    PURPOSE_DATABASE,
    PURPOSE_MEDIA,
    KdfParams,
    MasterKey,
    create_keyfile,
    read_keyfile,
    rewrap_keyfile,
    unlock_keyfile,
)
from .locking import ArchiveLock
from .mediastore import MediaStore
from .narrators import NarratorStore
from .paths import VAULT_TMP_PREFIX, ArchivePaths, remember_last_archive
from .places import PlaceStore
from .recording_store import RecordingStore
from .records import Interview, InterviewMetadata, VerifyReport
from .redaction import RedactionStore
from .schema import migrate
from .search import SearchFilters, SearchHit, search_archive
from .segments import SegmentStore
from .themes import ThemeStore
from .util import InvalidInputError
from .vault import is_vault_name


def _default_actor() -> str | None:
    try:
        return getpass.getuser()
    except Exception:
        return None


class Archive:
    """An unlocked archive.  Use :meth:`create` or :meth:`open`; :meth:`close` locks it."""

    def __init__(
        self,
        paths: ArchivePaths,
        master: MasterKey,
        archive_id: str,
        lock: ArchiveLock,
        actor: str | None,
    ) -> None:
        self.paths = paths
        self.archive_id = archive_id
        self._master = master
        self._lock = lock
        try:
            self._db: sqlite_utils.Database | None = dbmod.connect(
                paths.db, master.subkey(PURPOSE_DATABASE)
            )
        except BaseException:
            master.wipe()
            lock.release()
            raise
        install_folding(self._db)  # the search index triggers call it
        self.audit = AuditLog(self._db, actor)
        self.interviews = InterviewStore(self)
        self.narrators = NarratorStore(self)
        self.media = MediaStore(self)
        self.segments = SegmentStore(self)
        self.jobs = JobStore(self)
        self.themes = ThemeStore(self)
        self.clips = ClipStore(self)
        self.places = PlaceStore(self)
        self.recordings = RecordingStore(self)
        self.consent = ConsentStore(self)
        self.redactions = RedactionStore(self)
        self.anthologies = AnthologyStore(self)

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        actor: str | None = None,
    ) -> Archive:
        """Make a new archive in ``path`` (a new or empty folder)."""
        paths = ArchivePaths(Path(path))
        if paths.keyfile.exists() or paths.db.exists():
            raise ArchiveExistsError(f"There is already an archive in {paths.root}.")
        if paths.root.exists() and any(paths.root.iterdir()):
            raise ArchiveExistsError(
                f"{paths.root} is not empty. Choose a new or empty folder for the archive."
            )
        if not passphrase:
            raise InvalidInputError("The passphrase cannot be empty.")
        paths.vault.mkdir(parents=True, exist_ok=True)
        master, archive_id = create_keyfile(paths.keyfile, passphrase, kdf or KdfParams())
        archive = cls(paths, master, archive_id, cls._take_lock(paths), actor or _default_actor())
        archive._prepare(fresh=True)
        archive.audit.record("archive.create")
        remember_last_archive(paths.root)
        return archive

    @classmethod
    def open(cls, path: str | Path, passphrase: str, *, actor: str | None = None) -> Archive:
        """Unlock an existing archive.  :class:`WrongPassphraseError` if it does not open."""
        paths = ArchivePaths(Path(path))
        if not paths.root.is_dir():
            raise ArchiveNotFoundError(f"No archive at {paths.root}: the folder does not exist.")
        master, archive_id = unlock_keyfile(paths.keyfile, passphrase)
        archive = cls(paths, master, archive_id, cls._take_lock(paths), actor or _default_actor())
        archive._prepare(fresh=False)
        remember_last_archive(paths.root)
        return archive

    @classmethod
    def open_with_key(cls, path: str | Path, key: bytes, *, actor: str | None = None) -> Archive:
        """Open with the master key itself, for a worker process the app started.

        The key travels over a pipe from the parent, never through a file; a wrong key
        fails like a damaged database.
        """
        paths = ArchivePaths(Path(path))
        archive_id = str(read_keyfile(paths.keyfile)["archive_id"])
        archive = cls(paths, MasterKey(key), archive_id, cls._take_lock(paths), actor)
        archive._prepare(fresh=False, recover=False)  # housekeeping is the opener's job
        return archive

    @contextlib.contextmanager
    def worker_connection(self) -> Iterator[Archive]:
        """A second, separate connection to this archive, for one worker thread."""
        other = Archive.open_with_key(
            self.paths.root, self.key_for_worker(), actor=self.audit.actor
        )
        try:
            yield other
        finally:
            other.close()

    def key_for_worker(self) -> bytes:
        """The master key, to hand to a worker process through a pipe (see above)."""
        return self._master.raw()

    @staticmethod
    def _take_lock(paths: ArchivePaths) -> ArchiveLock:
        return ArchiveLock(paths.lock)

    def _prepare(self, *, fresh: bool, recover: bool = True) -> None:
        try:
            alone = self._lock.try_exclusive()
            migrate(self.db)
            if alone and recover and not fresh:
                self._recover()
            self._lock.share()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise CorruptDatabaseError(
                "The archive database is damaged and cannot be opened. "
                "Run 'sidebyside verify' to see what is affected."
            ) from exc
        except BaseException:
            self.close()
            raise

    def _recover(self) -> None:
        """Tidy what a crash may have left: dead jobs, temp and unreferenced vault files.

        A recording cut off by a crash is kept (its chunks are media rows) and marked
        interrupted, for ``recordings.unfinished()`` to offer.
        """
        self.jobs.mark_interrupted()
        self.recordings.mark_interrupted()
        known = {row["id"] for row in self.db.query("SELECT id FROM media")}
        for entry in self.paths.vault.iterdir():
            if entry.name.startswith(VAULT_TMP_PREFIX) or (
                is_vault_name(entry.name) and entry.name not in known
            ):
                entry.unlink(missing_ok=True)

    def close(self) -> None:
        """Lock the archive: drop the keys and close the database."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        self._master.wipe()
        self._lock.release()

    lock = close

    @property
    def closed(self) -> bool:
        return self._db is None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals the stores share -----------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            raise ArchiveLockedError("The archive is locked. Unlock it with the passphrase.")
        return self._db

    def media_key(self) -> bytes:
        return self._master.subkey(PURPOSE_MEDIA)

    def vault_path(self, media_id: str) -> Path:
        return self.paths.vault_file(media_id)

    # -- operations ----------------------------------------------------------

    def import_file(
        self,
        path: str | Path,
        meta: InterviewMetadata | None = None,
        *,
        progress: Callable[[float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Interview:
        """Import an audio or video file as a new interview (see :mod:`archive.importer`)."""
        return import_media(self, Path(path), meta, progress=progress, cancelled=cancelled)

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Search transcripts, clips and interviews (see :mod:`archive.search`)."""
        return search_archive(self, query, filters, limit=limit, offset=offset)

    def verify(self, progress: Callable[[float], None] | None = None) -> VerifyReport:
        from .verify import verify_open_archive

        return verify_open_archive(self, progress=progress)

    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Rewrap the master key under a new passphrase; no media is rewritten."""
        if not new_passphrase:
            raise InvalidInputError("The new passphrase cannot be empty.")
        rewrap_keyfile(self.paths.keyfile, self._master, new_passphrase, kdf)
        self.audit.record("archive.passphrase_changed")
