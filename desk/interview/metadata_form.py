"""What is known about an interview, edited in a form and saved through the archive API."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, ArchiveError, InterviewMetadata


class MetadataForm(QWidget):
    saved = Signal()

    def __init__(self, archive: Archive, interview_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive = archive
        self.interview_id = interview_id
        self.title = QLineEdit()
        self.narrator = QLineEdit()
        self.pseudonym = QLineEdit()
        self.pseudonym.setPlaceholderText(self.tr("Used wherever the real name may not be"))
        self.interviewer = QLineEdit()
        self.date = QLineEdit()
        self.date.setPlaceholderText(self.tr("YYYY, YYYY-MM or YYYY-MM-DD"))
        self.place = QLineEdit()
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(self.tr("e.g. hy, ru"))
        self.summary = QPlainTextEdit()
        self.summary.setMaximumHeight(90)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Narrator"), self.narrator)
        form.addRow(self.tr("Pseudonym"), self.pseudonym)
        form.addRow(self.tr("Interviewer"), self.interviewer)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Languages"), self.languages)
        form.addRow(self.tr("Summary"), self.summary)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        interview = self._archive.interviews.get(self.interview_id)
        self.title.setText(interview.title or "")
        self.narrator.setText(interview.narrator_name or "")
        self.pseudonym.setText(interview.narrator_pseudonym or "")
        self.interviewer.setText(interview.interviewer or "")
        self.date.setText(interview.recorded_on or "")
        self.place.setText(interview.place or "")
        self.languages.setText(", ".join(interview.languages))
        self.summary.setPlainText(interview.summary or "")
        self.message.clear()

    def save(self) -> bool:
        meta = InterviewMetadata(
            title=self.title.text(),
            narrator=self.narrator.text(),
            interviewer=self.interviewer.text(),
            recorded_on=self.date.text(),
            place=self.place.text(),
            languages=(self.languages.text(),),
            summary=self.summary.toPlainText(),
        )
        try:
            interview = self._archive.interviews.update(self.interview_id, meta)
            if interview.narrator_id:
                self._archive.narrators.update(
                    interview.narrator_id, pseudonym=self.pseudonym.text()
                )
        except ArchiveError as exc:
            self.message.setText(f"<span style='color:#c0392b'>{exc}</span>")
            return False
        self.message.setText(self.tr("Saved."))
        self.saved.emit()
        return True
