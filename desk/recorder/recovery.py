"""Recordings a crash (or a lock) left unfinished: recover, discard, or decide later.

Offered when an archive is unlocked and has some, and from the Record view.  Recovering
saves what was committed (at most the last two seconds before a crash are missing) as
a new interview, on a worker thread; discarding asks twice, because it deletes audio
for good.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError
from archive.recording import RecordingInfo
from archive.util import format_clock

from ..session import Session
from ..tasks import Task

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(info: RecordingInfo) -> str:
    """Two lines for a person: when, how long and why unfinished; from what, in what format."""
    try:
        started = dt.datetime.fromisoformat(info.started_at).astimezone()
        when = f"{started:%Y-%m-%d %H:%M}"
    except ValueError:
        when = info.started_at
    how = {"interrupted": "cut off", "stopped": "stopped"}.get(info.status, info.status)
    if info.status == "stopped" and info.error and len(info.error) < 40:
        how = f"stopped: {info.error}"
    details = [info.device] if info.device else []
    details.append(info.format.label())
    if info.markers:
        details.append(f"{info.markers} marker{'s' if info.markers != 1 else ''}")
    return f"{when} — {format_clock(info.duration)} — {how}\n{' · '.join(details)}"


class RecoveryDialog(QDialog):
    recovered = Signal(str)  # interview id

    def __init__(
        self,
        session: Session,
        recordings: list[RecordingInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._task: Task | None = None
        self._confirming: str | None = None
        self.setWindowTitle(self.tr("Unfinished recordings"))
        self.setMinimumWidth(600)
        intro = QLabel(
            self.tr(
                "These recordings were not saved as interviews: the app stopped or the "
                "archive was locked while they ran. Everything written to disk is kept "
                "(at most the last two seconds before a crash are missing)."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for info in recordings:
            item = QListWidgetItem(describe(info))
            item.setData(ID_ROLE, info.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.currentRowChanged.connect(lambda _r: self._reset_discard())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.recover_button = QPushButton(self.tr("Recover"))
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(self.recover_selected)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button = QPushButton(self.tr("Later"))
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.recover_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _selected(self) -> QListWidgetItem | None:
        return self.list.currentItem()

    def _busy(self, busy: bool) -> None:
        for button in (self.recover_button, self.discard_button, self.later_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def recover_selected(self) -> None:
        item = self._selected()
        if item is None or not self._session.is_open:
            return
        recording_id = item.data(ID_ROLE)
        session = self._session

        def work(progress: Callable[[float], None], _cancelled: Callable[[], bool]) -> str:
            with session.open_for_worker() as archive:
                return archive.recordings.recover(recording_id, progress=progress).id

        self._busy(True)
        self.message.setText(self.tr("Saving the recording as an interview…"))
        task = Task(work, self)
        task.progressed.connect(lambda f: self.progress.setValue(int(f * 1000)))
        task.succeeded.connect(lambda interview_id, it=item: self._done(it, interview_id))
        task.failed.connect(self._failed)
        self._task = task
        task.start()

    def _done(self, item: QListWidgetItem, interview_id: str) -> None:
        self._busy(False)
        self.list.takeItem(self.list.row(item))
        self.message.setText(self.tr("Recovered as a new interview in the Library."))
        self.recovered.emit(interview_id)
        if self.list.count() == 0:
            self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.message.setText(message)

    def _reset_discard(self) -> None:
        self._confirming = None
        self.discard_button.setText(self.tr("Discard…"))

    def discard_selected(self) -> None:
        """First click asks, the second (on the same recording) deletes it."""
        item = self._selected()
        if item is None or not self._session.is_open:
            return
        recording_id = item.data(ID_ROLE)
        if self._confirming != recording_id:
            self._confirming = recording_id
            self.discard_button.setText(self.tr("Really delete this audio?"))
            self.message.setText(
                self.tr("Discarding deletes this recording for good. Click again to confirm.")
            )
            return
        try:
            self._session.archive.recordings.discard(recording_id)
        except ArchiveError as exc:
            self.message.setText(str(exc))
            return
        self._reset_discard()
        self.list.takeItem(self.list.row(item))
        self.message.setText(self.tr("The recording was discarded."))
        if self.list.count() == 0:
            self.accept()

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done


def offer_recovery(session: Session, parent: QWidget) -> RecoveryDialog | None:
    """After unlocking: if recordings were left unfinished, offer them (non-blocking)."""
    try:
        recordings = session.archive.recordings.unfinished()
    except ArchiveError:
        return None
    if not recordings:
        return None
    dialog = RecoveryDialog(session, recordings, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
