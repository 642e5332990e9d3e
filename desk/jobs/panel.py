"""The Jobs panel: the transcription queue, progress, cancel, resume."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from transcription.runner import JobEvent

from ..session import Session
from .controller import JobsController

JOB_ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ["Job", "Interview", "Status", "Progress", "Model", "Note"]


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s left" if minutes else f"{secs} s left"


class JobsPanel(QWidget):
    def __init__(
        self, session: Session, controller: JobsController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._controller = controller
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.cancel_button = QPushButton(self.tr("Cancel job"))
        self.cancel_button.clicked.connect(self._cancel_selected)
        self.resume_button = QPushButton(self.tr("Resume interrupted"))
        self.resume_button.clicked.connect(controller.resume_all)
        self.live = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.live, 1)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        controller.queue_changed.connect(self.refresh)
        controller.job_finished.connect(lambda _s: self.refresh())
        controller.job_event.connect(self._on_event)

    def refresh(self) -> None:
        if not self._session.is_open:
            self.clear()
            return
        jobs = self._controller.jobs()
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(reversed(jobs)):
            values = [
                str(job.id),
                job.interview_id,
                self.tr(job.status),
                f"{job.progress:.0%}",
                job.params.get("model") or "",
                job.error or "",
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setData(JOB_ID_ROLE, job.id)
                self.table.setItem(row, col, item)
        resumable = any(j.status in ("interrupted", "queued") for j in jobs)
        self.resume_button.setEnabled(resumable)

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.live.clear()

    def _on_event(self, event: JobEvent) -> None:
        if event.kind == "segment":
            self.live.setText(
                self.tr("Job {job}: {pct:.0%}, {n} segments, {eta}").format(
                    job=event.job_id,
                    pct=event.fraction,
                    n=event.segments,
                    eta=format_eta(event.eta_seconds),
                )
            )
            for row in range(self.table.rowCount()):
                item = self.table.item(row, 0)
                if item is not None and item.data(JOB_ID_ROLE) == event.job_id:
                    self.table.item(row, 3).setText(f"{event.fraction:.0%}")
                    self.table.item(row, 2).setText(self.tr("running"))
        elif event.kind in ("done", "failed", "cancelled", "interrupted"):
            self.live.setText(
                self.tr("Job {job} {status}.").format(job=event.job_id, status=event.kind)
            )

    def _cancel_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        for row in rows:
            item = self.table.item(row, 0)
            if item is not None:
                self._controller.cancel(int(item.data(JOB_ID_ROLE)))
