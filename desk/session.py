"""The open archive of this window, and locking it (on demand and when idle).

Locking closes the archive: the database connection and the keys are dropped, every
view is told to clear itself (``locked``), running transcriptions are stopped (they
resume after unlocking), a recording is stopped and kept (offered for recovery after
unlocking), and the passphrase is needed again.  Idle time never locks while a
recording runs (:meth:`Session.keep_awake`).

Archive objects are not shared between threads.  Work on a worker thread opens its
own connection with :meth:`Session.open_for_worker` — with the key, not the
passphrase, so no second key derivation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from archive import Archive, ArchiveLockedError

from .settings import app_settings

DEFAULT_IDLE_MINUTES = 10
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class Session(QObject):
    opened = Signal()
    locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._awake: set[int] = set()  # who holds off the idle lock (a recording)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self.set_idle_minutes(self.saved_idle_minutes())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- the archive ---------------------------------------------------------

    @property
    def archive(self) -> Archive:
        if self._archive is None or self._archive.closed:
            raise ArchiveLockedError("The archive is locked. Unlock it with the passphrase.")
        return self._archive

    @property
    def is_open(self) -> bool:
        return self._archive is not None and not self._archive.closed

    def open(self, archive: Archive) -> None:
        if self._archive is not None:
            self.lock()
        self._archive = archive
        self._idle.start()
        self.opened.emit()

    def lock(self) -> None:
        """Drop the keys and close the archive; views clear themselves on ``locked``."""
        if self._archive is None:
            return
        archive, self._archive = self._archive, None
        self._idle.stop()
        self.locked.emit()  # views and workers let go first
        archive.close()

    @contextmanager
    def open_for_worker(self) -> Iterator[Archive]:
        """A separate connection to the same archive, for one worker thread."""
        with self.archive.worker_connection() as archive:
            yield archive

    # -- idle auto-lock ------------------------------------------------------

    def keep_awake(self, holder: object, on: bool) -> None:
        """While any holder is on (a recording runs), being idle does not lock.

        Locking on demand (Ctrl+L) still works: the recorder stops first, on ``locked``.
        """
        if on:
            self._awake.add(id(holder))
        else:
            self._awake.discard(id(holder))

    def _on_idle(self) -> None:
        if self._awake:
            self._idle.start()  # an interview is being recorded: ask again later
        else:
            self.lock()

    @staticmethod
    def saved_idle_minutes() -> int:
        value = app_settings().value("security/idle_lock_minutes", DEFAULT_IDLE_MINUTES)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, minutes: int) -> None:
        """Auto-lock after this many idle minutes; 0 turns auto-lock off."""
        self.idle_minutes = max(0, int(minutes))
        app_settings().setValue("security/idle_lock_minutes", self.idle_minutes)
        self._idle.setInterval(self.idle_minutes * 60_000 or 2**31 - 1)
        if self.idle_minutes == 0:
            self._idle.stop()
        elif self.is_open:
            self._idle.start()

    def set_idle_interval_ms(self, ms: int) -> None:
        """For tests: a short idle time without touching the saved setting."""
        self._idle.setInterval(ms)
        if self.is_open:
            self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.is_open and self._idle.interval() > 0:
            self._idle.start()  # restart the countdown
        return False
