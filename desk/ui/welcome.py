"""The first screen: create an archive, open one, or explore the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from archive.demo import DEMO_PASSPHRASE


def _card(title: str, text: str, button: QPushButton) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    frame.setStyleSheet(
        "#card { border: 1px solid palette(mid); border-radius: 10px; background: palette(base); }"
    )
    heading = QLabel(f"<b>{title}</b>")
    body = QLabel(text)
    body.setWordWrap(True)
    body.setStyleSheet("color: palette(dark)")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.addWidget(heading)
    layout.addWidget(body)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
    return frame


class WelcomeView(QWidget):
    create_requested = Signal()
    open_requested = Signal(object)  # Path | None: the folder to offer
    demo_requested = Signal()

    def __init__(self, last_archive: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Side by Side"))
        title.setStyleSheet("font-size: 28pt; font-weight: 600")
        subtitle = QLabel(
            self.tr(
                "An archive of oral histories that never leaves this computer: "
                "encrypted at rest, transcribed on this machine, published only with consent."
            )
        )
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("font-size: 12pt; color: palette(dark)")

        self.create_button = QPushButton(self.tr("New archive…"))
        self.create_button.clicked.connect(self.create_requested)
        self.open_button = QPushButton(self.tr("Open archive…"))
        self.open_button.clicked.connect(lambda: self.open_requested.emit(last_archive))
        self.demo_button = QPushButton(self.tr("Open the demo archive"))
        self.demo_button.clicked.connect(self.demo_requested)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(360)
        self.busy.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)

        recent = (
            self.tr("Last opened: {folder}").format(folder=last_archive)
            if last_archive
            else self.tr("Choose the folder of an existing archive and type its passphrase.")
        )
        column = QVBoxLayout()
        column.setSpacing(14)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(10)
        column.addWidget(
            _card(
                self.tr("Start a new archive"),
                self.tr(
                    "Pick an empty folder and a passphrase. Everything in it is encrypted; "
                    "without the passphrase nothing in it can be read."
                ),
                self.create_button,
            )
        )
        column.addWidget(_card(self.tr("Open an archive"), recent, self.open_button))
        column.addWidget(
            _card(
                self.tr("Explore the demo"),
                self.tr(
                    "A small archive of generated speech with transcripts, narrators and "
                    "themes, built on first use. Its passphrase is “{passphrase}”. "
                    "Never put real testimony in it."
                ).format(passphrase=DEMO_PASSPHRASE),
                self.demo_button,
            )
        )
        column.addWidget(self.busy)
        column.addWidget(self.status)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        wrapper = QWidget()
        wrapper.setLayout(column)
        wrapper.setMaximumWidth(640)
        wrapper.setMinimumWidth(560)
        outer.addWidget(wrapper, 0, Qt.AlignmentFlag.AlignHCenter)

    def set_busy(self, message: str | None) -> None:
        """Show a spinner and a message while an archive opens (Argon2 takes ~1 s)."""
        busy = message is not None
        self.busy.setVisible(busy)
        self.status.setText(message or "")
        for button in (self.create_button, self.open_button, self.demo_button):
            button.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(None)
        self.status.setText(f"<span style='color:#c0392b'>{message}</span>")
