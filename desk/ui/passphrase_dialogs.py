"""Choosing a new archive (folder + passphrase with a strength hint) and unlocking one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive.strength import assess

_STRENGTH_COLOURS = ("#c0392b", "#d35400", "#d4a017", "#2e8b57", "#1e7b46")


def _password_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(320)
    return field


class FolderPicker(QWidget):
    """A path field with a Browse… button."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = caption
        self.field = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(browse)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self._caption, self.field.text())
        if folder:
            self.field.setText(folder)

    def path(self) -> Path | None:
        text = self.field.text().strip()
        return Path(text).expanduser() if text else None


class CreateArchiveDialog(QDialog):
    """New archive: a new or empty folder and a passphrase typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New archive"))
        self.folder = FolderPicker(self.tr("Folder for the new archive"))
        self.passphrase = _password_field(self.tr("Several words are easy to remember"))
        self.repeat = _password_field(self.tr("The same passphrase again"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        warning = QLabel(
            self.tr(
                "There is no way to recover an archive whose passphrase is lost. "
                "Write it down and keep it apart from this computer."
            )
        )
        warning.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), self.folder)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow("", self.meter)
        form.addRow("", self.hint)
        form.addRow(self.tr("Repeat"), self.repeat)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._update_strength)
        self._update_strength("")

    def _update_strength(self, text: str) -> None:
        strength = assess(text)
        self.meter.setValue(strength.score)
        colour = _STRENGTH_COLOURS[strength.score]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        advice = f" — {strength.hint}" if strength.hint else ""
        self.hint.setText(
            self.tr("Strength: {label} (guessing it would take {time}){advice}").format(
                label=strength.label, time=strength.crack_time, advice=advice
            )
        )

    def _accept(self) -> None:
        if self.folder.path() is None:
            self.error.setText(self.tr("Choose a folder for the archive."))
        elif not self.passphrase.text():
            self.error.setText(self.tr("Choose a passphrase."))
        elif self.passphrase.text() != self.repeat.text():
            self.error.setText(self.tr("The two passphrases differ."))
        else:
            self.accept()


class UnlockDialog(QDialog):
    """Ask for the passphrase of an archive; ``show_error`` keeps the dialog open."""

    def __init__(self, folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock archive"))
        self.folder = FolderPicker(self.tr("Archive folder"))
        if folder is not None:
            self.folder.field.setText(str(folder))
        self.passphrase = _password_field(self.tr("Passphrase"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Archive"), self.folder)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Unlock"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
