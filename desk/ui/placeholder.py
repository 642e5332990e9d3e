"""A view whose place in the window exists before its feature does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderView(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18pt; font-weight: 600")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setStyleSheet("color: palette(dark); font-size: 11pt")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(body, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
