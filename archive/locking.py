"""Who else has this archive open?  An advisory lock file answers.

Every open archive holds a shared lock on ``<archive>/.lock``.  Housekeeping that
must not race another process (sweeping unreferenced vault files, marking dead jobs
as interrupted) runs only while the opener holds the lock exclusively, i.e. when no
one else has the archive open.  Where ``fcntl`` is missing (Windows) the lock is a
no-op and housekeeping is skipped, which is safe: it only tidies.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class ArchiveLock:
    def __init__(self, path: Path) -> None:
        self._fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def try_exclusive(self) -> bool:
        """Take the lock alone if nobody else holds it; never waits."""
        if fcntl is None or self._fd is None:
            return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def share(self) -> None:
        """Hold the lock shared (waits while someone tidies exclusively)."""
        if fcntl is not None and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None
