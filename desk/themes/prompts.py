"""The questions the Themes view asks, in one replaceable object.

The view calls these and nothing else that blocks; a test can answer the real
dialogs with a timer, or give the view another object with the same methods.
:meth:`ThemePrompts.dismiss` closes an open question as a Cancel (on lock: a theme's
label must not stay on screen).
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from archive import ThemeUsage

from .labels import english_plural


class DropChoice(enum.Enum):
    MERGE = "merge"
    MOVE = "move"
    CANCEL = "cancel"


class ThemePrompts(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._open: list[QDialog] = []

    def _exec(self, dialog: QDialog) -> int:
        self._open.append(dialog)
        try:
            return dialog.exec()
        finally:
            self._open.remove(dialog)

    def dismiss(self) -> None:
        """Cancel every question still open."""
        for dialog in list(self._open):
            dialog.reject()

    def merge_or_move(self, source: str, target: str) -> DropChoice:
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Merge or move"))
        box.setText(
            self.tr("Merge “{a}” into “{b}”, or move “{a}” under “{b}”?").format(a=source, b=target)
        )
        box.setInformativeText(
            self.tr(
                "Merging gives “{b}” the clips, interviews and sub-themes of “{a}”, "
                "then deletes “{a}”. Moving keeps both themes."
            ).format(a=source, b=target)
        )
        merge = box.addButton(self.tr("Merge"), QMessageBox.ButtonRole.DestructiveRole)
        move = box.addButton(self.tr("Move under"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(move)
        self._exec(box)
        clicked = box.clickedButton()
        if clicked is merge:
            return DropChoice.MERGE
        if clicked is move:
            return DropChoice.MOVE
        return DropChoice.CANCEL

    def confirm_delete(self, label: str, usage: ThemeUsage) -> bool:
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete theme"))
        clips = english_plural(self.tr("%n clip(s)", "", usage.clips), usage.clips)
        interviews = english_plural(
            self.tr("%n interview(s)", "", usage.interviews), usage.interviews
        )
        box.setText(
            self.tr("“{name}” is used by {clips} and {interviews}.").format(
                name=label, clips=clips, interviews=interviews
            )
        )
        box.setInformativeText(
            self.tr("Delete it anyway? It is removed from them; its sub-themes move up.")
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._exec(box)
        return box.clickedButton() is delete

    def ask_label(self, title: str, prompt: str, text: str = "") -> str | None:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(prompt)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(text)
        if self._exec(dialog) != QDialog.DialogCode.Accepted:
            return None
        return dialog.textValue().strip() or None
