"""Naming speakers: assign one to the selected segments, rename one everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)


def _speaker_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumContentsLength(14)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    completer = combo.completer()
    if completer is not None:
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo


class SpeakerBar(QWidget):
    """Speaker: [name ▾] [Assign]  [Rename…] — over the segment list."""

    assign_requested = Signal(str)  # the name typed or chosen ("" clears the speaker)
    rename_requested = Signal(str, str)  # old, new

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = _speaker_combo(self)
        self.combo.lineEdit().setPlaceholderText(self.tr("Speaker name"))
        self.assign_button = QPushButton(self.tr("Assign"))
        self.assign_button.setToolTip(self.tr("Give the selected segments this speaker"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.setToolTip(self.tr("Rename a speaker in every segment"))
        for button in (self.assign_button, self.rename_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Speaker:"))
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.assign_button)
        layout.addWidget(self.rename_button)
        self.assign_button.clicked.connect(self._assign)
        self.combo.lineEdit().returnPressed.connect(self._assign)
        self.rename_button.clicked.connect(self.open_rename_dialog)
        self._speakers: list[str] = []
        self.dialog: RenameSpeakerDialog | None = None

    def set_speakers(self, names: list[str]) -> None:
        if names == self._speakers:
            return
        self._speakers = list(names)
        text = self.combo.currentText()
        self.combo.clear()
        self.combo.addItems(names)
        self.combo.setEditText(text)
        self.rename_button.setEnabled(bool(names))

    def focus_name(self) -> None:
        self.combo.setFocus()
        self.combo.lineEdit().selectAll()

    def _assign(self) -> None:
        self.assign_requested.emit(self.combo.currentText())

    def open_rename_dialog(self) -> None:
        """A small dialog, opened without blocking (the audio may be playing)."""
        dialog = RenameSpeakerDialog(self._speakers, self.combo.currentText(), self)
        dialog.accepted.connect(lambda: self.rename_requested.emit(*dialog.names()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()


class RenameSpeakerDialog(QDialog):
    def __init__(self, speakers: list[str], current: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename speaker"))
        self.old_combo = QComboBox()
        self.old_combo.addItems(speakers)
        if current in speakers:
            self.old_combo.setCurrentText(current)
        self.new_edit = QLineEdit(placeholderText=self.tr("New name"))
        form = QFormLayout(self)
        form.addRow(self.tr("Speaker:"), self.old_combo)
        form.addRow(self.tr("Rename to:"), self.new_edit)
        form.addRow(QLabel(self.tr("Every segment of this interview is renamed.")))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.new_edit.setFocus()

    def names(self) -> tuple[str, str]:
        return self.old_combo.currentText(), self.new_edit.text()
