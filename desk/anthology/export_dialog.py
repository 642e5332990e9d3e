"""One export: format, where to write it, what consent allows — then progress, Cancel
and the result.

Every format of ``archive.export.FORMATS`` is offered by its label (the last one used
is remembered).  The output is a file or a folder as the format needs; its default
name comes from the title (any script; no path characters) with the format's
suffix.  The purpose is the format's, shown read-only in a sentence.

**Export** runs ``archive.export.export`` in a Task on a worker connection, with a
progress bar and **Cancel** (the archive checks it between steps; a cancelled,
failed or disk-full export leaves nothing behind).  Success says what went out and
what consent kept back, with "Show in folder"; errors are shown as the archive words
them.  The dialog never waits for the export: closing it while it runs cancels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive.export import (
    FORMATS,
    AnthologySpec,
    ExportCancelledError,
    ExportFormat,
    ExportResult,
    export,
)

from ..session import Session
from ..settings import app_settings
from ..tasks import Cancelled, Progress, Task
from ..transcript.fonts import transcript_font
from .common import count_line, purpose_sentence, safe_file_name, tr

LAST_FORMAT_KEY = "export/format"
# The last export folder is kept for this run only, never in the settings file:
# folder names often name a narrator or a place, and the settings file is plaintext.
_last_folder: Path | None = None
RED = "#b3261e"


def default_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def output_hint(fmt: ExportFormat) -> str:
    if fmt.name == "bagit":
        return tr("Makes a folder with this name: a BagIt package, checksummed.")
    if fmt.may_be_folder:
        return tr("With several interviews this makes a folder of that name, a file for each.")
    if fmt.variants:
        suffixes = ", ".join(f".{s}" for s, _ in fmt.variants)
        return tr("A single file; name it {others} for that format instead.").format(
            others=suffixes
        )
    return tr("A single file.")


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        session: Session,
        spec: AnthologySpec,
        parent: QWidget | None = None,
        *,
        what: str | None = None,
    ) -> None:
        """``what`` says in a few words what is exported (default: the title)."""
        super().__init__(parent)
        self._session = session
        self.spec = spec
        self.task: Task | None = None
        self.result: ExportResult | None = None
        self._close_when_done = False
        self._running = False  # from start until the task's finished signal arrives
        self._named_by_hand = False
        self.setWindowTitle(tr("Export"))
        self.setMinimumWidth(560)

        heading = QLabel(what or tr("Export “{title}”").format(title=spec.title))
        heading.setFont(transcript_font(self.font()))
        heading.setStyleSheet("font-size: 12pt; font-weight: 600")
        heading.setWordWrap(True)
        self.format = QComboBox()
        for fmt in FORMATS.values():
            self.format.addItem(tr(fmt.label), fmt.name)
        last = str(app_settings().value(LAST_FORMAT_KEY, "pdf"))
        self.format.setCurrentIndex(max(0, self.format.findData(last)))
        self.path = QLineEdit()
        self.path.setFont(transcript_font(self.font()))
        self.path.textEdited.connect(self._typed)
        self.choose_button = QPushButton(tr("Choose…"))
        self.choose_button.clicked.connect(lambda: self.choose_path())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(dark)")
        self.purpose = QLabel()
        self.purpose.setWordWrap(True)
        self.purpose.setStyleSheet(
            "QLabel { background: palette(alternate-base); border-left: 4px solid #546e7a;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.show_button = QPushButton(tr("Show in folder"))
        self.show_button.clicked.connect(self.show_in_folder)
        self.show_button.hide()
        self.export_button = QPushButton(tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.start())
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.clicked.connect(self.close)

        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Save to"), where)
        form.addRow("", self.hint)
        form.addRow(tr("Purpose"), self.purpose)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.format.currentIndexChanged.connect(self._format_changed)
        session.locked.connect(self._on_locked)
        self.path.setText(str(default_folder() / safe_file_name(spec.title, self.fmt.suffix)))
        self._format_changed()
        self._set_running(False)

    # -- the choices -----------------------------------------------------------------

    @property
    def fmt(self) -> ExportFormat:
        return FORMATS[self.format.currentData()]

    def set_format(self, name: str) -> None:
        self.format.setCurrentIndex(self.format.findData(name))

    def _format_changed(self, *_: object) -> None:
        fmt = self.fmt
        self.hint.setText(output_hint(fmt))
        self.purpose.setText(purpose_sentence(fmt.purpose) + ".")
        current = Path(self.path.text()) if self.path.text() else default_folder()
        if not self._named_by_hand:
            name = safe_file_name(self.spec.title, fmt.suffix)
        else:
            stem = current.name
            for other in FORMATS.values():
                suffixes = [other.suffix] + [f".{s}" for s, _ in other.variants]
                for suffix in suffixes:
                    if suffix and stem.lower().endswith(suffix):
                        stem = stem[: -len(suffix)]
                        break
            name = stem + fmt.suffix
        self.path.setText(str(current.with_name(name)))

    def _typed(self, _text: str) -> None:
        self._named_by_hand = True

    def choose_path(self) -> bool:
        fmt = self.fmt
        current = self.path.text()
        if fmt.suffix:
            patterns = " ".join(f"*{s}" for s in [fmt.suffix] + [f".{v}" for v, _ in fmt.variants])
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Export to"), current, f"{tr(fmt.label)} ({patterns})"
            )
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Name the folder to make"), current, ""
            )
        if not chosen:
            return False
        self.path.setText(chosen)
        self._named_by_hand = True
        return True

    # -- exporting -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> Task | None:
        """Check the target, then export on a worker thread."""
        if self.running or not self._session.is_open:
            return None
        text = self.path.text().strip()
        if not text:
            self._show(tr("Choose where to save the export."), error=True)
            return None
        out = Path(text).expanduser()
        fmt = self.fmt
        if fmt.suffix and not out.suffix:
            out = out.with_name(out.name + fmt.suffix)
            self.path.setText(str(out))
        if not out.parent.is_dir():
            self._show(tr("The folder {folder} does not exist.").format(folder=out.parent), True)
            return None
        if out.is_file() and not self._confirm_replace(out):
            return None
        settings = app_settings()
        settings.setValue(LAST_FORMAT_KEY, fmt.name)
        global _last_folder
        _last_folder = out.parent
        session, spec, name = self._session, self.spec, fmt.name

        def work(progress: Progress, cancelled: Cancelled) -> ExportResult:
            if cancelled():
                raise ExportCancelledError("Export cancelled. Nothing was written.")
            with session.open_for_worker() as archive:
                return export(archive, spec, name, out, progress=progress, cancelled=cancelled)

        self.result = None
        self.show_button.hide()
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setValue(0)
        self.progress.show()
        self._show(tr("Exporting to {name}…").format(name=out.name), error=False)
        # Owned by this widget and deleted on the UI thread once it has reported.
        task = Task(work, self)
        task.finished.connect(task.deleteLater)
        task.progressed.connect(self._progressed)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self.task = task
        self._set_running(True)
        return task.start()

    def _confirm_replace(self, out: Path) -> bool:
        answer = QMessageBox.question(
            self,
            tr("Replace the file?"),
            tr("{name} exists already. Replace it?").format(name=out.name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self._show(tr("Cancelling…"), error=False)
        else:
            self.close()

    def _progressed(self, fraction: float) -> None:
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1000)
        self.progress.setValue(round(1000 * min(1.0, max(0.0, fraction))))

    def _succeeded(self, result: ExportResult) -> None:
        self.result = result
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        line = count_line(result.interviews, result.excerpts, result.excluded, self.spec.unit)
        self._show(tr("Exported to {path}.").format(path=result.path) + "\n" + line, error=False)
        self.show_button.show()
        self.exported.emit(result)

    def _failed(self, message: str) -> None:
        error = self.task.error if self.task is not None else None
        self.progress.hide()
        if isinstance(error, ExportCancelledError):
            self._show(tr("Export cancelled. Nothing was written."), error=False)
        else:
            self._show(message, error=True)

    def _finished(self) -> None:
        self._set_running(False)
        if self._close_when_done:
            super().reject()

    def _set_running(self, running: bool) -> None:
        self._running = running
        for widget in (self.format, self.path, self.choose_button, self.export_button):
            widget.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        self.export_button.setText(tr("Export again") if self.result else tr("Export"))

    def _show(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {RED}" if error else "")
        self.status.show()

    def show_in_folder(self) -> None:
        if self.result is not None:
            folder = self.result.path if self.result.path.is_dir() else self.result.path.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- closing ---------------------------------------------------------------------

    def reject(self) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def _on_locked(self) -> None:
        if self.running:
            self._close_when_done = True
            if self.task is not None:
                self.task.cancel()
        else:
            super().reject()
