"""Importing files from the UI: a worker task with a progress dialog and plain errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from archive import ImportCancelledError, MediaImportError

from ..session import Session
from ..tasks import Cancelled, Progress, Task


class ImportController(QObject):
    """Imports several files one after another; a failure of one never stops the rest."""

    finished = Signal(list, list)  # imported interview ids, [(file name, message)]

    def __init__(self, session: Session, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent = parent_widget
        self._task: Task | None = None
        self.last_errors: list[tuple[str, str]] = []

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done

    def import_files(self, paths: Sequence[Path], *, show_dialogs: bool = True) -> Task | None:
        files = [Path(p) for p in paths]
        if not files or self.running:
            return None
        imported: list[str] = []
        errors: list[tuple[str, str]] = []

        def work(progress: Progress, cancelled: Cancelled) -> None:
            with self._session.open_for_worker() as archive:
                for n, path in enumerate(files):
                    if cancelled():
                        break
                    try:
                        interview = archive.import_file(
                            path,
                            progress=lambda f, n=n: progress((n + f) / len(files)),
                            cancelled=cancelled,
                        )
                        imported.append(interview.id)
                    except ImportCancelledError:
                        break
                    except MediaImportError as exc:
                        errors.append((path.name, str(exc)))

        dialog = QProgressDialog(
            self.tr("Importing {count} file(s)…").format(count=len(files)),
            self.tr("Cancel"),
            0,
            1000,
            self._parent,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        task = Task(work, self)
        task.progressed.connect(lambda f: dialog.setValue(int(f * 1000)))
        dialog.canceled.connect(task.cancel)

        def done() -> None:
            dialog.reset()
            dialog.deleteLater()
            self.last_errors = errors
            if errors and show_dialogs:
                self._show_errors(errors, len(imported))
            self.finished.emit(imported, errors)

        def failed(message: str) -> None:
            if show_dialogs:
                QMessageBox.warning(self._parent, self.tr("Import failed"), message)

        task.failed.connect(failed)
        task.finished.connect(done)
        self._task = task.start()
        return task

    def _show_errors(self, errors: list[tuple[str, str]], imported: int) -> None:
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Some files were not imported"))
        box.setText(
            self.tr("{ok} imported, {bad} not imported. Nothing was added for those:").format(
                ok=imported, bad=len(errors)
            )
        )
        box.setInformativeText("\n".join(f"• {message}" for _, message in errors))
        box.open()
