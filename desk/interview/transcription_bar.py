"""The Transcribe button of an interview, its progress (with ETA) and cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from transcription import list_models
from transcription.runner import JobEvent

from ..jobs.controller import JobsController
from ..jobs.panel import format_eta
from ..jobs.transcribe_dialog import TranscribeDialog
from ..tasks import Task


class TranscriptionBar(QWidget):
    segments_arrived = Signal()
    finished = Signal(str)  # the job's final status

    def __init__(
        self, controller: JobsController, interview_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self.interview_id = interview_id
        self._job_id: int | None = None
        self.button = QPushButton(self.tr("Transcribe…"))
        self.button.clicked.connect(self.choose)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.status = QLabel()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.button)
        controller.job_event.connect(self._on_event)
        self._models_task: Task | None = None

    def choose(self) -> None:
        """List models off the UI thread (the first time assembles base), then ask."""
        self.button.setEnabled(False)
        self.status.setText(self.tr("Looking for Whisper models…"))
        task = Task(lambda _p, _c: list_models(), self)
        task.succeeded.connect(self._ask)
        task.failed.connect(lambda message: self._reset(message))
        self._models_task = task.start()

    def _ask(self, models: list) -> None:
        self.button.setEnabled(True)
        self.status.clear()
        dialog = TranscribeDialog(models, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.params())

    def start(self, params: dict) -> None:
        job = self._controller.enqueue(self.interview_id, params)
        if job is None:
            return
        self._job_id = job.id
        self.button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(self.tr("Starting…"))

    def cancel(self) -> None:
        if self._job_id is not None:
            self._controller.cancel(self._job_id)

    def _on_event(self, event: JobEvent) -> None:
        if event.job_id != self._job_id:
            return
        self.progress.setValue(int(event.fraction * 1000))
        if event.kind == "started":
            self.status.setText(
                self.tr("Transcribing ({language})…").format(language=event.language or "?")
            )
        elif event.kind == "segment":
            self.status.setText(format_eta(event.eta_seconds))
            self.segments_arrived.emit()
        else:
            self.segments_arrived.emit()
            self._reset(
                self.tr("Transcription {status}.").format(status=event.kind)
                + (f" {event.message}" if event.message and event.kind == "failed" else "")
            )
            self.finished.emit(event.kind)

    def _reset(self, message: str = "") -> None:
        self._job_id = None
        self.button.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(message)
