"""Creating, unlocking and building the demo archive, off the UI thread.

Unlocking derives the key with Argon2id (about a second): it runs in a Task, the
welcome screen shows a spinner, and a wrong passphrase brings the dialog back with
the error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from archive import Archive, WrongPassphraseError
from archive.demo import open_or_build_demo

from ..session import Session
from ..tasks import Cancelled, Progress, Task
from .passphrase_dialogs import CreateArchiveDialog, UnlockDialog


class ArchiveOpener(QObject):
    busy = Signal(object)  # str message, or None when done
    failed = Signal(str)

    def __init__(self, session: Session, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent = parent_widget
        self._task: Task | None = None

    def create(self) -> None:
        dialog = CreateArchiveDialog(self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        folder, passphrase = dialog.folder.path(), dialog.passphrase.text()
        assert folder is not None
        self._run(
            self.tr("Creating the encrypted archive…"),
            lambda _p, _c: Archive.create(folder, passphrase),
        )

    def unlock(self, folder: Path | None, error: str | None = None) -> None:
        dialog = UnlockDialog(folder, self._parent)
        if error:
            dialog.show_error(error)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen, passphrase = dialog.folder.path(), dialog.passphrase.text()
        if chosen is None:
            self.unlock(None, self.tr("Choose the archive's folder."))
            return
        self._run(
            self.tr("Unlocking…"),
            lambda _p, _c: Archive.open(chosen, passphrase),
            retry=lambda message: self.unlock(chosen, message),
        )

    def open_demo(self) -> None:
        self._run(
            self.tr("Opening the demo archive (built the first time, a few seconds)…"),
            lambda progress, _c: open_or_build_demo(progress),
        )

    def _run(
        self,
        message: str,
        work: Callable[[Progress, Cancelled], Archive],
        retry: Callable[[str], None] | None = None,
    ) -> None:
        self.busy.emit(message)
        task = Task(work, self)

        def failed(text: str) -> None:
            self.busy.emit(None)
            if retry is not None and isinstance(task.error, WrongPassphraseError):
                retry(text)
            else:
                self.failed.emit(text)

        def succeeded(archive: Archive) -> None:
            self.busy.emit(None)
            self._session.open(archive)

        task.failed.connect(failed)
        task.succeeded.connect(succeeded)
        self._task = task.start()
