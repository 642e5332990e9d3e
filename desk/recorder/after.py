"""Right after a recording is saved: offer to transcribe it now, in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ..interview.view import InterviewView


def offer_transcription(view: InterviewView, parent: QWidget) -> QMessageBox:
    """A non-blocking question; "Transcribe now…" opens the usual Transcribe dialog."""
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("Recording saved"))
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(parent.tr("The recording is saved as a new interview."))
    box.setInformativeText(
        parent.tr(
            "Fill in what you know about it in the form on the left. Transcribe it now? "
            "Transcription runs on this computer, in the background, while you work."
        )
    )
    now = box.addButton(parent.tr("Transcribe now…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(parent.tr("Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    now.clicked.connect(view.transcription.choose)
    box.open()
    return box
